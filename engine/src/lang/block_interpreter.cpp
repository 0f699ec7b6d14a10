// The block interpreter (lang/block_interpreter.h, docs/architecture.md "The model language").
// Every operation is the checked tree's, in its order, rounded to float (this file is built
// with -ffp-contract=off), with the prelude's maths functions and random numbers: the same
// floats as the compiled kernel and as the tree interpreter (interpret.cpp), whose treatment of
// conditions it mirrors: a comparison gives 1 or 0, and anything used as a condition is true
// where it is not 0.
#include "lang/block_interpreter.h"
#include "lang/prelude.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <map>

namespace spikelab::lang {

namespace {

using Op = NeuronProgram::Op;
constexpr int kBlock = NeuronProgram::kBlock;
constexpr int kAllLanes = INT_MIN;  // the mask of code that no branch guards

// d[l] = f(l) for every lane: one loop the compiler vectorises once f is inlined.
template <typename F>
inline void lanes(float* d, F f) {
    for (int l = 0; l < kBlock; ++l) d[l] = f(l);
}

void maths(int function, float* d, const float* x, const float* y) {
    switch (function) {
    case 0: lanes(d, [&](int l) { return spikelab_exp(x[l]); }); return;
    case 1: lanes(d, [&](int l) { return spikelab_log(x[l]); }); return;
    case 2: lanes(d, [&](int l) { return spikelab_log1p(x[l]); }); return;
    case 3: lanes(d, [&](int l) { return spikelab_expm1(x[l]); }); return;
    case 4: lanes(d, [&](int l) { return spikelab_sqrt(x[l]); }); return;
    case 5: lanes(d, [&](int l) { return spikelab_pow(x[l], y[l]); }); return;
    case 6: lanes(d, [&](int l) { return spikelab_fabs(x[l]); }); return;
    case 7: lanes(d, [&](int l) { return spikelab_fmin(x[l], y[l]); }); return;
    case 8: lanes(d, [&](int l) { return spikelab_fmax(x[l], y[l]); }); return;
    case 9: lanes(d, [&](int l) { return spikelab_tanh(x[l]); }); return;
    case 10: lanes(d, [&](int l) { return spikelab_sin(x[l]); }); return;
    case 11: lanes(d, [&](int l) { return spikelab_cos(x[l]); }); return;
    case 12: lanes(d, [&](int l) { return spikelab_floor(x[l]); }); return;
    }
    throw InternalError("block interpreter: function " + std::to_string(function) + " has no implementation");
}

Op binaryOp(const std::string& op) {
    static const std::map<std::string, Op> ops = {
        {"+", Op::Add},         {"-", Op::Sub},      {"*", Op::Mul},   {"/", Op::Div},
        {"<", Op::Less},        {"<=", Op::LessEq},  {">", Op::Greater}, {">=", Op::GreaterEq},
        {"==", Op::Equal},      {"!=", Op::NotEqual}, {"&&", Op::And}, {"||", Op::Or}};
    const auto found = ops.find(op);
    if (found == ops.end()) throw InternalError("block interpreter: unknown operator " + op);
    return found->second;
}

} // namespace

// Registers: the state variables first, then named ones (Isyn, t, dt, constants, literals,
// locals, the spike flag) as the code first needs them, then temporaries. An expression at
// nesting level k leaves its value in temporary k (or names a register), and its operands use
// levels above k only, so no instruction writes a register it reads from another lane and
// temporaries are reused from one statement to the next. Temporaries are numbered -1 - level
// while compiling and placed after the named registers at the end.
struct NeuronProgram::Compiler {
    NeuronProgram& p;
    int named = 0, levels = 0;
    std::vector<int> locals{};  // the registers of the current code's locals
    std::map<std::uint32_t, int> literals{};
    std::map<int, int> constants{};

    int emit(Op op, int dst, int a = 0, int b = 0, int c = 0, int arg = 0) {
        p.program_.push_back({op, dst, a, b, c, arg});
        return dst;
    }
    int temp(int level) {
        levels = std::max(levels, level + 1);
        return -1 - level;
    }
    int literal(float x) {
        const auto [at, added] = literals.try_emplace(std::bit_cast<std::uint32_t>(x), named);
        if (added) p.literals_.emplace_back(named++, x);
        return at->second;
    }
    int constant(int index) {
        const auto [at, added] = constants.try_emplace(index, named);
        if (added) p.constants_.emplace_back(named++, index);
        return at->second;
    }
    int once(int& reg) { return reg >= 0 ? reg : (reg = named++); }
    // Puts `value` into register `target`: a temporary the last instruction wrote is written
    // there instead (each lane reads only its own lane, so the target may be an operand).
    int into(int value, int target) {
        if (value < 0 && p.program_.back().dst == value) return p.program_.back().dst = target;
        return emit(Op::Copy, target, value);
    }

    int name(NameKind kind, int index) {
        switch (kind) {
        case NameKind::State: return index;
        case NameKind::Local: return locals[std::size_t(index)];
        case NameKind::Parameter: return constant(index);
        case NameKind::Derived: return constant(int(p.model_->scope.parameters.size()) + index);
        case NameKind::Builtin: return once(index == 0 ? p.isyn_ : index == 1 ? p.dt_ : p.t_);
        }
        throw InternalError("block interpreter: unknown name kind");
    }

    int expr(const Expr& e, int level) {
        const auto operand = [&](std::size_t k) { return expr(*e.operands[k], level + 1 + int(k)); };
        switch (e.kind) {
        case Expr::Kind::Number: return literal(e.number);
        case Expr::Kind::Name: return name(e.nameKind, e.index);
        case Expr::Kind::Call:
            if (e.index >= 13) return emit(e.index == 13 ? Op::Uniform : Op::Normal, temp(level), 0, 0, 0, e.draw);
            return emit(Op::Maths, temp(level), operand(0), e.operands.size() > 1 ? operand(1) : 0, 0, e.index);
        case Expr::Kind::Conditional: {
            const int c = operand(0), x = operand(1), y = operand(2);
            return emit(Op::Select, temp(level), x, y, c);
        }
        case Expr::Kind::Unary: return emit(e.text == "!" ? Op::Not : Op::Neg, temp(level), operand(0));
        case Expr::Kind::Binary: {
            const int a = operand(0), b = operand(1);
            return emit(binaryOp(e.text), temp(level), a, b);
        }
        }
        throw InternalError("block interpreter: unknown expression kind");
    }

    // Code under `mask` (kAllLanes, or a register that is 1 on the lanes it runs for).
    void stmt(const Stmt& s, int mask, int level) {
        switch (s.kind) {
        case Stmt::Kind::Empty: return;
        case Stmt::Kind::Block:
            for (const auto& inner : s.body) stmt(inner, mask, level);
            return;
        case Stmt::Kind::Declare: {
            // Only code inside the declaring block reads a local, on lanes its mask covers, so
            // all lanes may be written.
            const int value = expr(*s.value, level);
            locals[std::size_t(s.target)] = into(value, named++);
            return;
        }
        case Stmt::Kind::Assign: {
            const int target = s.targetKind == NameKind::Local ? locals[std::size_t(s.target)] : s.target;
            int value = expr(*s.value, level);
            if (s.op != "=") value = emit(binaryOp(s.op.substr(0, 1)), temp(level + 1), target, value);
            if (mask != kAllLanes)
                emit(Op::Blend, target, value, 0, mask);
            else
                into(value, target);
            return;
        }
        case Stmt::Kind::AddToPost: throw InternalError("block interpreter: addToPost in neuron code");
        case Stmt::Kind::If: {
            // Both masks before either side runs: a side may change what the condition read.
            const int then = temp(level), otherwise = temp(level + 1);
            const int c = expr(*s.value, level + 2);
            if (mask == kAllLanes) {
                emit(Op::NotEqual, then, c, literal(0.0f));
                emit(Op::Not, otherwise, c);
            } else {
                emit(Op::And, then, mask, c);
                emit(Op::AndNot, otherwise, mask, c);
            }
            guarded(then, [&] { stmt(s.body[0], then, level + 2); });
            if (s.body.size() > 1) guarded(otherwise, [&] { stmt(s.body[1], otherwise, level + 2); });
            return;
        }
        }
    }
    // Code under a mask, skipped when no lane of the block takes it.
    template <typename Body>
    void guarded(int mask, Body body) {
        const std::size_t skip = p.program_.size();
        emit(Op::SkipIfNone, 0, mask);
        body();
        p.program_[skip].arg = int(p.program_.size());
    }
    void code(const Code& c, int mask) {
        locals.assign(std::size_t(c.locals), 0);
        for (const auto& s : c.statements) stmt(s, mask, 0);
    }
};

NeuronProgram::NeuronProgram(std::shared_ptr<const CheckedNeuronModel> model) : model_(std::move(model)) {
    Compiler c{*this, int(model_->scope.state.size())};
    c.code(model_->sim, kAllLanes);
    spike_ = c.named++;
    // A condition is already 1 or 0; a number is true where it is not 0.
    const int threshold = c.expr(*model_->threshold, 0);
    if (model_->threshold->type == Expr::Type::Condition)
        c.into(threshold, spike_);
    else
        c.emit(Op::NotEqual, spike_, threshold, c.literal(0.0f));
    c.guarded(spike_, [&] { c.code(model_->reset, spike_); });
    registers_ = c.named + c.levels;
    const auto place = [&](int& r) {
        if (r < 0) r = c.named - 1 - r;
    };
    for (auto& in : program_) {
        place(in.dst);
        place(in.a);
        place(in.b);
        place(in.c);
    }
}

void NeuronProgram::execute(float* registers, long long first, int count, const SpikelabNeuronUpdate& a) const {
    const auto reg = [registers](int r) { return registers + std::size_t(r) * kBlock; };
    for (std::size_t pc = 0; pc < program_.size(); ++pc) {
        const Instruction& in = program_[pc];
        float* d = reg(in.dst);
        const float *x = reg(in.a), *y = reg(in.b), *c = reg(in.c);
        switch (in.op) {
        case Op::Copy: lanes(d, [&](int l) { return x[l]; }); break;
        case Op::Blend: lanes(d, [&](int l) { return c[l] != 0.0f ? x[l] : d[l]; }); break;
        case Op::Add: lanes(d, [&](int l) { return x[l] + y[l]; }); break;
        case Op::Sub: lanes(d, [&](int l) { return x[l] - y[l]; }); break;
        case Op::Mul: lanes(d, [&](int l) { return x[l] * y[l]; }); break;
        case Op::Div: lanes(d, [&](int l) { return x[l] / y[l]; }); break;
        case Op::Less: lanes(d, [&](int l) { return float(x[l] < y[l]); }); break;
        case Op::LessEq: lanes(d, [&](int l) { return float(x[l] <= y[l]); }); break;
        case Op::Greater: lanes(d, [&](int l) { return float(x[l] > y[l]); }); break;
        case Op::GreaterEq: lanes(d, [&](int l) { return float(x[l] >= y[l]); }); break;
        case Op::Equal: lanes(d, [&](int l) { return float(x[l] == y[l]); }); break;
        case Op::NotEqual: lanes(d, [&](int l) { return float(x[l] != y[l]); }); break;
        case Op::And: lanes(d, [&](int l) { return float((x[l] != 0.0f) & (y[l] != 0.0f)); }); break;
        case Op::AndNot: lanes(d, [&](int l) { return float((x[l] != 0.0f) & (y[l] == 0.0f)); }); break;
        case Op::Or: lanes(d, [&](int l) { return float((x[l] != 0.0f) | (y[l] != 0.0f)); }); break;
        case Op::Not: lanes(d, [&](int l) { return float(x[l] == 0.0f); }); break;
        case Op::Neg: lanes(d, [&](int l) { return -x[l]; }); break;
        case Op::Select: lanes(d, [&](int l) { return c[l] != 0.0f ? x[l] : y[l]; }); break;
        case Op::Maths: maths(in.arg, d, x, y); break;
        case Op::Uniform:
        case Op::Normal:
            for (int l = 0; l < count; ++l) {
                const SpikelabRandom rng = spikelab_random(a.randomKey[0], a.randomKey[1], first + l, a.step);
                d[l] = in.op == Op::Uniform ? spikelab_uniform(&rng, unsigned(in.arg)) : spikelab_normal(&rng, unsigned(in.arg));
            }
            break;
        case Op::SkipIfNone:
            if (std::none_of(x, x + count, [](float m) { return m != 0.0f; })) pc = std::size_t(in.arg) - 1;
            break;
        }
    }
}

void NeuronProgram::run(const SpikelabNeuronUpdate& a) const {
    // Registers of lanes past the end of a partial block keep earlier values: they are
    // computed on (no float operation traps) but never stored.
    thread_local std::vector<float> scratch;
    if (scratch.size() < std::size_t(registers_) * kBlock) scratch.resize(std::size_t(registers_) * kBlock);
    float* const registers = scratch.data();
    const auto reg = [registers](int r) { return registers + std::size_t(r) * kBlock; };
    for (const auto& [r, value] : literals_) std::fill_n(reg(r), kBlock, value);
    for (const auto& [r, k] : constants_) std::fill_n(reg(r), kBlock, a.constants[k]);
    if (t_ >= 0) std::fill_n(reg(t_), kBlock, a.t);
    if (dt_ >= 0) std::fill_n(reg(dt_), kBlock, a.dt);
    const std::size_t states = model_->scope.state.size();
    for (long long first = 0; first < a.n; first += kBlock) {
        const int count = int(std::min<long long>(kBlock, a.n - first));
        for (std::size_t v = 0; v < states; ++v) std::copy_n(a.state[v] + first, count, reg(int(v)));
        if (isyn_ >= 0) std::copy_n(a.isyn + first, count, reg(isyn_));
        execute(registers, first, count, a);
        for (std::size_t v = 0; v < states; ++v) std::copy_n(reg(int(v)), count, a.state[v] + first);
        const float* spike = reg(spike_);
        for (int l = 0; l < count; ++l) a.spiked[first + l] = spike[l] != 0.0f ? 1 : 0;
    }
}

} // namespace spikelab::lang
