// The C printer of checked model code (spikelab/lang.h). What it prints computes exactly what
// the interpreter computes when compiled without contraction (-ffp-contract=off, nvcc
// --fmad=false): the same literals to the bit, the same order of operations, the same maths
// functions (lang/prelude.h, which the printed code must include).
#include "spikelab/lang.h"

#include <cstdio>
#include <initializer_list>
#include <string_view>

namespace spikelab::lang {

namespace {

// SpikeLab's own maths functions (lang/prelude.h), the same on every target, and the random
// numbers.
const char* const kFloatFunctions[] = {"spikelab_exp",   "spikelab_log",    "spikelab_log1p", "spikelab_expm1",
                                       "spikelab_sqrt",  "spikelab_pow",    "spikelab_fabs",  "spikelab_fmin",
                                       "spikelab_fmax",  "spikelab_tanh",   "spikelab_sin",   "spikelab_cos",
                                       "spikelab_floor", "spikelab_uniform", "spikelab_normal"};

// Joins pieces by appending (GCC 12 warns, wrongly, about chains of operator+ on literals).
std::string cat(std::initializer_list<std::string_view> pieces) {
    std::string out;
    for (auto piece : pieces) out.append(piece);
    return out;
}

std::string literal(float value) {
    char text[48];
    std::snprintf(text, sizeof text, "%af", double(value));
    return text;
}

struct Printer {
    NamePrinter name;
    const void* context;
    const std::vector<std::string>* locals = nullptr;

    std::string expr(const Expr& e) const {
        switch (e.kind) {
        case Expr::Kind::Number: return literal(e.number);
        case Expr::Kind::Name:
            return e.nameKind == NameKind::Local ? cat({"l_", e.text}) : name(e.nameKind, e.index, context);
        case Expr::Kind::Call: {
            std::string out = kFloatFunctions[e.index];
            out += '(';
            if (e.index >= 13) out += "&b_rng, " + std::to_string(e.draw) + "u";
            for (std::size_t k = 0; k < e.operands.size(); ++k) {
                if (k) out += ", ";
                out += expr(*e.operands[k]);
            }
            return out + ')';
        }
        case Expr::Kind::Conditional:
            return cat({"(", expr(*e.operands[0]), " ? ", expr(*e.operands[1]), " : ", expr(*e.operands[2]), ")"});
        case Expr::Kind::Unary: return cat({"(", e.text, expr(*e.operands[0]), ")"});
        case Expr::Kind::Binary:
            return cat({"(", expr(*e.operands[0]), " ", e.text, " ", expr(*e.operands[1]), ")"});
        }
        return {};
    }

    void statement(const Stmt& s, int indent, std::string& out) const {
        const std::string pad(std::size_t(indent) * 4, ' ');
        switch (s.kind) {
        case Stmt::Kind::Empty: return;
        case Stmt::Kind::Block:
            out += cat({pad, "{\n"});
            for (const auto& inner : s.body) statement(inner, indent + 1, out);
            out += cat({pad, "}\n"});
            return;
        case Stmt::Kind::If:
            out += cat({pad, "if (", expr(*s.value), ") {\n"});
            body(s.body[0], indent + 1, out);
            if (s.body.size() > 1) {
                out += cat({pad, "} else {\n"});
                body(s.body[1], indent + 1, out);
            }
            out += cat({pad, "}\n"});
            return;
        case Stmt::Kind::Declare: out += cat({pad, "float l_", s.name, " = ", expr(*s.value), ";\n"}); return;
        case Stmt::Kind::Assign: {
            const std::string target =
                s.targetKind == NameKind::Local ? cat({"l_", s.name}) : name(s.targetKind, s.target, context);
            out += cat({pad, target, " ", s.op, " ", expr(*s.value), ";\n"});
            return;
        }
        case Stmt::Kind::AddToPost: out += cat({pad, "SPIKELAB_ADD_TO_POST(", expr(*s.value), ");\n"}); return;
        }
    }
    // The branch of an if: a block's statements go straight in (one pair of braces).
    void body(const Stmt& s, int indent, std::string& out) const {
        if (s.kind == Stmt::Kind::Block)
            for (const auto& inner : s.body) statement(inner, indent, out);
        else
            statement(s, indent, out);
    }
};

} // namespace

std::string printC(const Code& code, NamePrinter name, const void* context, int indent) {
    const Printer p{name, context};
    std::string out;
    for (const auto& s : code.statements) p.statement(s, indent, out);
    return out;
}

std::string printC(const Expr& expr, NamePrinter name, const void* context) {
    return Printer{name, context}.expr(expr);
}

} // namespace spikelab::lang
