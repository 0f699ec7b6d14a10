// The interpreter of checked model code (spikelab/lang.h): walks the tree for one neuron in
// float arithmetic, every operation rounded to float as the generated C is (no contraction).
// It is the reference the printers are tested against and the fallback where no compiler is.
#include "spikelab/lang.h"
#include "spikelab/philox.h"

#include <cmath>

namespace spikelab::lang {

namespace {

// Random numbers: Philox keyed by the model language's tag, counted by the frame's key (the
// neuron and step) and a counter that each draw advances.
float uniform(Frame& f) {
    const auto bits = philox4x32({f.randomCounter++, std::uint32_t(f.randomKey), std::uint32_t(f.randomKey >> 32), 0},
                                 {0x4c414e47u, 0x434f4445u});  // "LANG", "CODE"
    return uniformFromBits(bits[0]);
}

float normal(Frame& f) {
    // Box-Muller; 1 - u is in (0, 1], so the logarithm is finite.
    const float u1 = 1.0f - uniform(f), u2 = uniform(f);
    return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.28318530717958647692f * u2);
}

bool truth(const Expr& e, Frame& f) { return evaluate(e, f) != 0.0f; }

float call(const Expr& e, Frame& f) {
    const auto arg = [&](std::size_t k) { return evaluate(*e.operands[k], f); };
    switch (e.index) {
    case 0: return std::exp(arg(0));
    case 1: return std::log(arg(0));
    case 2: return std::log1p(arg(0));
    case 3: return std::expm1(arg(0));
    case 4: return std::sqrt(arg(0));
    case 5: return std::pow(arg(0), arg(1));
    case 6: return std::fabs(arg(0));
    case 7: return std::fmin(arg(0), arg(1));
    case 8: return std::fmax(arg(0), arg(1));
    case 9: return std::tanh(arg(0));
    case 10: return std::sin(arg(0));
    case 11: return std::cos(arg(0));
    case 12: return std::floor(arg(0));
    case 13: return uniform(f);
    case 14: return normal(f);
    }
    throw InternalError("model language: function " + std::to_string(e.index) + " has no implementation");
}

float& slot(NameKind kind, int index, Frame& f) {
    switch (kind) {
    case NameKind::Parameter: return f.parameters[std::size_t(index)];
    case NameKind::Derived: return f.derived[std::size_t(index)];
    case NameKind::State: return f.state[std::size_t(index)];
    case NameKind::Builtin: return f.builtins[std::size_t(index)];
    case NameKind::Local: return f.locals[std::size_t(index)];
    }
    throw InternalError("model language: unknown name kind");
}

void execute(const Stmt& s, Frame& f) {
    switch (s.kind) {
    case Stmt::Kind::Empty: return;
    case Stmt::Kind::Block:
        for (const auto& inner : s.body) execute(inner, f);
        return;
    case Stmt::Kind::If:
        if (truth(*s.value, f))
            execute(s.body[0], f);
        else if (s.body.size() > 1)
            execute(s.body[1], f);
        return;
    case Stmt::Kind::Declare: f.locals[std::size_t(s.target)] = evaluate(*s.value, f); return;
    case Stmt::Kind::Assign: {
        float& target = slot(s.targetKind, s.target, f);
        const float v = evaluate(*s.value, f);
        if (s.op == "=") target = v;
        else if (s.op == "+=") target = target + v;
        else if (s.op == "-=") target = target - v;
        else if (s.op == "*=") target = target * v;
        else target = target / v;
        return;
    }
    }
}

} // namespace

float evaluate(const Expr& e, Frame& f) {
    switch (e.kind) {
    case Expr::Kind::Number: return e.number;
    case Expr::Kind::Name: return slot(e.nameKind, e.index, f);
    case Expr::Kind::Call: return call(e, f);
    case Expr::Kind::Conditional:
        return truth(*e.operands[0], f) ? evaluate(*e.operands[1], f) : evaluate(*e.operands[2], f);
    case Expr::Kind::Unary: {
        const float v = evaluate(*e.operands[0], f);
        return e.text == "!" ? float(v == 0.0f) : -v;
    }
    case Expr::Kind::Binary: {
        const std::string& op = e.text;
        if (op == "&&") return float(truth(*e.operands[0], f) && truth(*e.operands[1], f));
        if (op == "||") return float(truth(*e.operands[0], f) || truth(*e.operands[1], f));
        const float a = evaluate(*e.operands[0], f), b = evaluate(*e.operands[1], f);
        if (op == "+") return a + b;
        if (op == "-") return a - b;
        if (op == "*") return a * b;
        if (op == "/") return a / b;
        if (op == "<") return float(a < b);
        if (op == "<=") return float(a <= b);
        if (op == ">") return float(a > b);
        if (op == ">=") return float(a >= b);
        if (op == "==") return float(a == b);
        return float(a != b);
    }
    }
    throw InternalError("model language: unknown expression kind");
}

void run(const Code& code, Frame& frame) {
    frame.locals.assign(std::size_t(code.locals), 0.0f);
    for (const auto& s : code.statements) execute(s, frame);
}

} // namespace spikelab::lang
