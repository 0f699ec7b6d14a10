// The interpreter of checked model code (spikelab/lang.h): walks the tree for one neuron in
// float arithmetic, every operation rounded to float as the generated C is (no contraction).
// It is the reference the printers are tested against and the fallback where no compiler is.
#include "spikelab/lang.h"
#include "lang/prelude.h"

#include <cmath>
#include <type_traits>

namespace spikelab::lang {

namespace {

// Random numbers: the prelude's own functions, so the interpreter draws what generated code draws.
template <typename F>
SpikelabRandom streamOf(const F& f) {
    return spikelab_random(f.random.key[0], f.random.key[1], f.random.neuron, f.random.step);
}

// Evaluates in T (float for neuron code, double for derived parameters on the host); `Values`
// gives a T& for each name and the random numbers.
template <typename T, typename Values>
T calculate(const Expr& e, Values& v);

template <typename T, typename Values>
bool truth(const Expr& e, Values& v) {
    return calculate<T>(e, v) != T(0);
}

// A function of the language: in float SpikeLab's own (lang/prelude.h), as generated code calls
// them; in double (derived parameters, on the host) the C library's.
inline float maths(int index, float a, float b) {
    switch (index) {
    case 0: return spikelab_exp(a);
    case 1: return spikelab_log(a);
    case 2: return spikelab_log1p(a);
    case 3: return spikelab_expm1(a);
    case 4: return spikelab_sqrt(a);
    case 5: return spikelab_pow(a, b);
    case 6: return spikelab_fabs(a);
    case 7: return spikelab_fmin(a, b);
    case 8: return spikelab_fmax(a, b);
    case 9: return spikelab_tanh(a);
    case 10: return spikelab_sin(a);
    case 11: return spikelab_cos(a);
    case 12: return spikelab_floor(a);
    }
    throw InternalError("model language: function " + std::to_string(index) + " has no implementation");
}

inline double maths(int index, double a, double b) {
    switch (index) {
    case 0: return std::exp(a);
    case 1: return std::log(a);
    case 2: return std::log1p(a);
    case 3: return std::expm1(a);
    case 4: return std::sqrt(a);
    case 5: return std::pow(a, b);
    case 6: return std::fabs(a);
    case 7: return std::fmin(a, b);
    case 8: return std::fmax(a, b);
    case 9: return std::tanh(a);
    case 10: return std::sin(a);
    case 11: return std::cos(a);
    case 12: return std::floor(a);
    }
    throw InternalError("model language: function " + std::to_string(index) + " has no implementation");
}

template <typename T, typename Values>
T call(const Expr& e, Values& v) {
    if (e.index == 13) return T(v.uniform(e.draw));
    if (e.index == 14) return T(v.normal(e.draw));
    const T a = calculate<T>(*e.operands[0], v);
    const T b = e.operands.size() > 1 ? calculate<T>(*e.operands[1], v) : T(0);
    return maths(e.index, a, b);
}

template <typename T, typename Values>
T calculate(const Expr& e, Values& v) {
    switch (e.kind) {
    case Expr::Kind::Number:
        if constexpr (std::is_same_v<T, double>)
            return e.value;
        else
            return e.number;
    case Expr::Kind::Name: return v.slot(e.nameKind, e.index);
    case Expr::Kind::Call: return call<T>(e, v);
    case Expr::Kind::Conditional:
        return truth<T>(*e.operands[0], v) ? calculate<T>(*e.operands[1], v) : calculate<T>(*e.operands[2], v);
    case Expr::Kind::Unary: {
        const T x = calculate<T>(*e.operands[0], v);
        return e.text == "!" ? T(x == T(0)) : -x;
    }
    case Expr::Kind::Binary: {
        const std::string& op = e.text;
        if (op == "&&") return T(truth<T>(*e.operands[0], v) && truth<T>(*e.operands[1], v));
        if (op == "||") return T(truth<T>(*e.operands[0], v) || truth<T>(*e.operands[1], v));
        const T a = calculate<T>(*e.operands[0], v), b = calculate<T>(*e.operands[1], v);
        if (op == "+") return a + b;
        if (op == "-") return a - b;
        if (op == "*") return a * b;
        if (op == "/") return a / b;
        if (op == "<") return T(a < b);
        if (op == "<=") return T(a <= b);
        if (op == ">") return T(a > b);
        if (op == ">=") return T(a >= b);
        if (op == "==") return T(a == b);
        return T(a != b);
    }
    }
    throw InternalError("model language: unknown expression kind");
}

// A neuron's frame: Frame in float (simulation), HostFrame in double (analysis on the host).
template <typename F, typename T>
struct FrameValues {
    F& f;
    T& slot(NameKind kind, int index) {
        switch (kind) {
        case NameKind::Parameter: return f.parameters[std::size_t(index)];
        case NameKind::Derived: return f.derived[std::size_t(index)];
        case NameKind::State: return f.state[std::size_t(index)];
        case NameKind::Builtin: return f.builtins[std::size_t(index)];
        case NameKind::Local: return f.locals[std::size_t(index)];
        }
        throw InternalError("model language: unknown name kind");
    }
    T uniform(int draw) {
        const SpikelabRandom r = streamOf(f);
        return T(spikelab_uniform(&r, unsigned(draw)));
    }
    T normal(int draw) {
        const SpikelabRandom r = streamOf(f);
        return T(spikelab_normal(&r, unsigned(draw)));
    }
};

template <typename F, typename T>
void execute(const Stmt& s, FrameValues<F, T>& v) {
    switch (s.kind) {
    case Stmt::Kind::Empty: return;
    case Stmt::Kind::Block:
        for (const auto& inner : s.body) execute(inner, v);
        return;
    case Stmt::Kind::If:
        if (truth<T>(*s.value, v))
            execute(s.body[0], v);
        else if (s.body.size() > 1)
            execute(s.body[1], v);
        return;
    case Stmt::Kind::Declare: v.f.locals[std::size_t(s.target)] = calculate<T>(*s.value, v); return;
    case Stmt::Kind::Assign: {
        T& target = v.slot(s.targetKind, s.target);
        const T x = calculate<T>(*s.value, v);
        if (s.op == "=") target = x;
        else if (s.op == "+=") target = target + x;
        else if (s.op == "-=") target = target - x;
        else if (s.op == "*=") target = target * x;
        else target = target / x;
        return;
    }
    case Stmt::Kind::AddToPost: {
        if (!v.f.addToPost) throw InternalError("model language: addToPost without a target to deliver to");
        const T x = calculate<T>(*s.value, v);
        *v.f.addToPost = *v.f.addToPost + x;
        return;
    }
    }
}

// Parameters and derived parameters in double, for derivedValues.
struct HostValues {
    std::vector<double> parameters;
    std::vector<double>& derived;
    std::vector<double> builtins;
    double& slot(NameKind kind, int index) {
        switch (kind) {
        case NameKind::Parameter: return parameters[std::size_t(index)];
        case NameKind::Derived: return derived[std::size_t(index)];
        case NameKind::Builtin: return builtins[std::size_t(index)];
        default: break;
        }
        throw InternalError("model language: a derived parameter names a state variable or local");
    }
    double uniform(int) { throw InternalError("model language: random numbers in a derived parameter"); }
    double normal(int draw) { return uniform(draw); }
};

} // namespace

float evaluate(const Expr& expr, Frame& frame) {
    FrameValues<Frame, float> v{frame};
    return calculate<float>(expr, v);
}

void run(const Code& code, Frame& frame) {
    frame.locals.assign(std::size_t(code.locals), 0.0f);
    FrameValues<Frame, float> v{frame};
    for (const auto& s : code.statements) execute(s, v);
}

void runOnHost(const Code& code, HostFrame& frame) {
    frame.locals.assign(std::size_t(code.locals), 0.0);
    FrameValues<HostFrame, double> v{frame};
    for (const auto& s : code.statements) execute(s, v);
}

double evaluateOnHost(const Expr& expr, const std::vector<double>& parameters,
                      std::vector<double>& derived, double dt) {
    HostValues v{parameters, derived, {dt}};
    return calculate<double>(expr, v);
}

} // namespace spikelab::lang
