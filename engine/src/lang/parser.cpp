// Lexer, parser and checker of the model language (spikelab/lang.h) in one pass: a recursive
// descent whose depth is bounded by kMaxCodeDepth, so that hostile text cannot exhaust the
// stack, and whose every error carries the line and column of the token it concerns.
#include "spikelab/lang.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

namespace spikelab::lang {

CodeError::CodeError(int line, int column, const std::string& message)
    : Error("line " + std::to_string(line) + ", col " + std::to_string(column) + ": " + message),
      line_(line), column_(column), message_(message) {}

CodeError::CodeError(const std::string& where, const CodeError& inner)
    : Error(where + ": " + inner.what()), line_(inner.line()), column_(inner.column()),
      message_(inner.message()), where_(inner.where().empty() ? where : where + ": " + inner.where()) {}

const std::vector<Function>& functions() {
    static const std::vector<Function> all = {
        {"exp", 1},  {"log", 1},  {"log1p", 1}, {"expm1", 1}, {"sqrt", 1},
        {"pow", 2},  {"fabs", 1}, {"fmin", 2},  {"fmax", 2},  {"tanh", 1},
        {"sin", 1},  {"cos", 1},  {"floor", 1}, {"gennrand_uniform", 0}, {"gennrand_normal", 0}};
    return all;
}

namespace {

struct Token {
    enum class Kind { Number, Name, Symbol, End } kind;
    std::string text;
    int line, column;
};

// Two-character symbols first, so that "<=" is not read as "<" then "=".
const char* const kSymbols[] = {"+=", "-=", "*=", "/=", "<=", ">=", "==", "!=", "&&", "||",
                                "+",  "-",  "*",  "/",  "<",  ">",  "=",  "!",  "?",  ":",
                                "(",  ")",  "{",  "}",  ";",  ","};

std::vector<Token> tokenize(const std::string& text) {
    if (text.size() > kMaxCodeBytes)
        throw CodeError(1, 1, "the code is " + std::to_string(text.size()) + " bytes long; at most " +
                                  std::to_string(kMaxCodeBytes) + " are allowed");
    std::vector<Token> tokens;
    int line = 1, column = 1;
    std::size_t i = 0;
    auto advance = [&](std::size_t n) {
        for (std::size_t k = 0; k < n && i < text.size(); ++k, ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
    };
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            advance(1);
            continue;
        }
        if (text.compare(i, 2, "//") == 0) {
            while (i < text.size() && text[i] != '\n') advance(1);
            continue;
        }
        if (text.compare(i, 2, "/*") == 0) {
            const int l = line, col = column;
            const std::size_t end = text.find("*/", i + 2);
            if (end == std::string::npos) throw CodeError(l, col, "the comment is never closed with */");
            advance(end + 2 - i);
            continue;
        }
        const int l = line, col = column;
        if (std::isdigit(static_cast<unsigned char>(c)) ||
            (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
            std::size_t j = i;
            while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
            if (j < text.size() && text[j] == '.') {
                ++j;
                while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
            }
            if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) {
                std::size_t k = j + 1;
                if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
                if (k >= text.size() || !std::isdigit(static_cast<unsigned char>(text[k])))
                    throw CodeError(l, col, "the number " + text.substr(i, k - i) + " has no exponent digits");
                while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
                j = k;
            }
            std::string number = text.substr(i, j - i);
            if (j < text.size() && (text[j] == 'f' || text[j] == 'F')) ++j;  // C's float suffix
            if (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))
                throw CodeError(l, col, "\"" + text.substr(i, j + 1 - i) + "\" is not a number");
            tokens.push_back({Token::Kind::Number, number, l, col});
            advance(j - i);
            continue;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
            tokens.push_back({Token::Kind::Name, text.substr(i, j - i), l, col});
            advance(j - i);
            continue;
        }
        bool matched = false;
        for (const char* s : kSymbols) {
            const std::size_t n = std::char_traits<char>::length(s);
            if (text.compare(i, n, s) == 0) {
                tokens.push_back({Token::Kind::Symbol, s, l, col});
                advance(n);
                matched = true;
                break;
            }
        }
        if (matched) continue;
        const auto byte = static_cast<unsigned char>(c);
        std::string shown = byte >= 0x20 && byte < 0x7f ? std::string(1, c) : "\\x" + std::to_string(int(byte));
        std::string why = "unexpected character \"" + shown + "\"";
        if (c == '%' || c == '&' || c == '|' || c == '^' || c == '~')
            why += " (the language has + - * /, comparisons and && || !)";
        else if (c == '[' || c == ']')
            why += " (the language has no arrays)";
        else if (c == '#')
            why += " (the language has no preprocessor)";
        throw CodeError(l, col, why);
    }
    tokens.push_back({Token::Kind::End, "", line, column});
    return tokens;
}

// Edit distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

const char* kindName(NameKind k) {
    switch (k) {
    case NameKind::Parameter: return "a parameter";
    case NameKind::Derived: return "a derived parameter";
    case NameKind::State: return "a state variable";
    case NameKind::Builtin: return "a built-in value";
    case NameKind::Local: return "a local";
    }
    return "";
}

class Parser {
public:
    Parser(const std::string& text, const Scope& scope) : tokens_(tokenize(text)), scope_(scope) {}

    Code code() {
        Code out;
        while (peek().kind != Token::Kind::End) out.statements.push_back(statement());
        out.locals = int(localNames_.size());
        return out;
    }

    std::unique_ptr<Expr> wholeExpression(bool condition) {
        auto e = expression();
        if (peek().kind != Token::Kind::End) fail(peek(), "unexpected " + describe(peek()) + " after the expression");
        if (!condition) requireNumber(*e, "the expression");
        return e;
    }

private:
    struct Local {
        std::string name;
        int index;
        bool constant;
    };

    const Token& peek() const { return tokens_[pos_]; }
    Token next() { return tokens_[pos_ == tokens_.size() - 1 ? pos_ : pos_++]; }
    bool accept(const char* symbol) {
        if (peek().kind == Token::Kind::Symbol && peek().text == symbol) {
            ++pos_;
            return true;
        }
        return false;
    }
    Token expect(const char* symbol, const std::string& where) {
        if (peek().kind != Token::Kind::Symbol || peek().text != symbol)
            fail(peek(), "expected \"" + std::string(symbol) + "\" " + where + ", found " + describe(peek()));
        return next();
    }
    [[noreturn]] static void fail(const Token& at, const std::string& message) {
        throw CodeError(at.line, at.column, message);
    }
    static std::string describe(const Token& t) {
        switch (t.kind) {
        case Token::Kind::End: return "the end of the code";
        case Token::Kind::Number: return "the number " + t.text;
        case Token::Kind::Name: return "\"" + t.text + "\"";
        case Token::Kind::Symbol: return "\"" + t.text + "\"";
        }
        return "";
    }

    // Bounds recursion: every nested statement, parenthesis and operator level enters one.
    struct Depth {
        explicit Depth(Parser& p) : parser(p) {}
        Depth(Parser& p, const Token& at) : parser(p) { enter(at); }
        ~Depth() { parser.depth_ -= levels; }
        // One more level, held until this Depth ends.
        void enter(const Token& at) {
            ++levels;
            if (++parser.depth_ > kMaxCodeDepth)
                fail(at, "the code nests more than " + std::to_string(kMaxCodeDepth) + " levels deep");
        }
        Parser& parser;
        int levels = 0;
    };

    bool isTypeName(const Token& t) const {
        return t.kind == Token::Kind::Name && (t.text == "scalar" || t.text == "float" || t.text == "double");
    }

    Stmt statement() {
        const Token start = peek();
        const Depth depth(*this, start);
        Stmt s;
        s.line = start.line;
        s.column = start.column;
        if (accept(";")) {
            s.kind = Stmt::Kind::Empty;
            return s;
        }
        if (accept("{")) {
            s.kind = Stmt::Kind::Block;
            const std::size_t scopeMark = visible_.size();
            while (!accept("}")) {
                if (peek().kind == Token::Kind::End) fail(start, "the block opened here is never closed with \"}\"");
                s.body.push_back(statement());
            }
            visible_.resize(scopeMark);
            return s;
        }
        if (start.kind == Token::Kind::Name && start.text == "if") {
            next();
            s.kind = Stmt::Kind::If;
            expect("(", "after \"if\"");
            s.value = expression();
            expect(")", "to close the condition of \"if\"");
            s.body.push_back(scoped());
            if (peek().kind == Token::Kind::Name && peek().text == "else") {
                next();
                s.body.push_back(scoped());
            }
            return s;
        }
        if (start.kind == Token::Kind::Name && (start.text == "else"))
            fail(start, "\"else\" without an \"if\" before it");
        if (start.kind == Token::Kind::Name &&
            (start.text == "for" || start.text == "while" || start.text == "do" || start.text == "return" ||
             start.text == "goto" || start.text == "switch"))
            fail(start, "\"" + start.text + "\" is not part of the model language (no loops or jumps)");
        const bool constant = start.kind == Token::Kind::Name && start.text == "const";
        if (constant) next();
        if (constant || isTypeName(peek())) {
            if (!isTypeName(peek())) fail(peek(), "expected a type (scalar, float or double) after \"const\"");
            next();
            const Token name = next();
            if (name.kind != Token::Kind::Name) fail(name, "expected the name of the local, found " + describe(name));
            if (isKnownName(name.text) || isFunction(name.text) || isKeyword(name.text) || name.text == "addToPost")
                fail(name, "\"" + name.text + "\" is already a name here; choose another name for the local");
            expect("=", "after the name of the local (a local must be given a value)");
            s.kind = Stmt::Kind::Declare;
            s.name = name.text;
            s.value = expression();
            requireNumber(*s.value, "a local's value");
            expect(";", "at the end of the declaration");
            s.target = int(localNames_.size());
            localNames_.push_back(name.text);
            visible_.push_back({name.text, s.target, constant});
            return s;
        }
        if (start.kind != Token::Kind::Name) fail(start, "expected a statement, found " + describe(start));
        if (start.text == "addToPost") return addToPost(s);
        next();
        const Token op = next();
        static const char* const assignments[] = {"=", "+=", "-=", "*=", "/="};
        const bool isAssignment = op.kind == Token::Kind::Symbol &&
                                  std::any_of(std::begin(assignments), std::end(assignments),
                                              [&](const char* a) { return op.text == a; });
        if (!isAssignment) {
            if (op.kind == Token::Kind::Symbol && op.text == "(")
                fail(start, "a call is not a statement: its value would be lost");
            fail(op, "expected an assignment (=, +=, -=, *=, /=) after \"" + start.text + "\", found " + describe(op));
        }
        s.kind = Stmt::Kind::Assign;
        s.op = op.text;
        s.name = start.text;
        if (const Local* local = findLocal(start.text)) {
            if (local->constant) fail(start, "\"" + start.text + "\" is a const local and cannot be assigned");
            s.targetKind = NameKind::Local;
            s.target = local->index;
        } else {
            const auto found = lookup(start);
            if (found.first == NameKind::Builtin)
                for (const auto& [name, why] : scope_.readOnly)
                    if (name == start.text) fail(start, "\"" + name + "\"" + why + " and cannot be assigned here");
            if (found.first != NameKind::State)
                fail(start, "\"" + start.text + "\" is " + kindName(found.first) + " and cannot be assigned; "
                            "only state variables and locals can");
            s.targetKind = NameKind::State;
            s.target = found.second;
        }
        s.value = expression();
        requireNumber(*s.value, "the value assigned");
        expect(";", "at the end of the assignment");
        return s;
    }

    // `addToPost(e);`, where the scope allows it.
    Stmt addToPost(Stmt& s) {
        const Token start = next();
        if (!scope_.addToPost)
            fail(start, "addToPost(...) delivers to the target neuron, which only a weight-update model's "
                        "pre-spike synapse code (\"pre_spike_syn\") does");
        expect("(", "after \"addToPost\"");
        s.kind = Stmt::Kind::AddToPost;
        s.value = expression();
        requireNumber(*s.value, "what addToPost delivers");
        expect(")", "to close addToPost(...)");
        expect(";", "after addToPost(...)");
        return std::move(s);
    }

    // The branch of an if: a declaration there would be visible nowhere, so it gets its own scope.
    Stmt scoped() {
        const std::size_t mark = visible_.size();
        Stmt s = statement();
        visible_.resize(mark);
        return s;
    }

    std::unique_ptr<Expr> make(Expr::Kind kind, const Token& at) {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->line = at.line;
        e->column = at.column;
        return e;
    }

    void requireNumber(const Expr& e, const std::string& what) const {
        if (e.type == Expr::Type::Condition)
            throw CodeError(e.line, e.column, what + " must be a number, but this is a condition (a comparison or "
                                              "&&, ||, !); write c ? 1 : 0 to turn it into one");
    }

    std::unique_ptr<Expr> expression() {
        const Depth depth(*this, peek());
        auto condition = logicalOr();
        if (peek().kind == Token::Kind::Symbol && peek().text == "?") {
            const Token q = next();
            auto e = make(Expr::Kind::Conditional, q);
            e->line = condition->line;
            e->column = condition->column;
            auto yes = expression();
            expect(":", "in the conditional expression");
            auto no = expression();
            if (yes->type != no->type)
                fail(q, "both branches of ?: must be numbers, or both conditions");
            e->type = yes->type;
            e->operands.push_back(std::move(condition));
            e->operands.push_back(std::move(yes));
            e->operands.push_back(std::move(no));
            return e;
        }
        return condition;
    }

    using Level = std::unique_ptr<Expr> (Parser::*)();
    // A chain "a + b + c" builds a tree as deep as the chain is long (left to right, as C
    // evaluates it), and the interpreter and the printers recurse through that depth: each
    // operator of the chain is a level, held until the chain ends.
    std::unique_ptr<Expr> binary(Level operand, std::initializer_list<const char*> ops, bool logical, bool comparison) {
        auto left = (this->*operand)();
        Depth chain(*this);
        for (;;) {
            const Token& t = peek();
            if (t.kind != Token::Kind::Symbol ||
                std::none_of(ops.begin(), ops.end(), [&](const char* o) { return t.text == o; }))
                return left;
            chain.enter(t);
            const Token op = next();
            auto right = (this->*operand)();
            if (!logical) {
                requireNumber(*left, "the left side of \"" + op.text + "\"");
                requireNumber(*right, "the right side of \"" + op.text + "\"");
            }
            auto e = make(Expr::Kind::Binary, op);
            e->line = left->line;
            e->column = left->column;
            e->text = op.text;
            e->type = logical || comparison ? Expr::Type::Condition : Expr::Type::Number;
            e->operands.push_back(std::move(left));
            e->operands.push_back(std::move(right));
            left = std::move(e);
        }
    }
    std::unique_ptr<Expr> logicalOr() { return binary(&Parser::logicalAnd, {"||"}, true, false); }
    std::unique_ptr<Expr> logicalAnd() { return binary(&Parser::equality, {"&&"}, true, false); }
    std::unique_ptr<Expr> equality() { return binary(&Parser::relational, {"==", "!="}, false, true); }
    std::unique_ptr<Expr> relational() { return binary(&Parser::additive, {"<", "<=", ">", ">="}, false, true); }
    std::unique_ptr<Expr> additive() { return binary(&Parser::multiplicative, {"+", "-"}, false, false); }
    std::unique_ptr<Expr> multiplicative() { return binary(&Parser::unary, {"*", "/"}, false, false); }

    std::unique_ptr<Expr> unary() {
        const Token& t = peek();
        if (t.kind == Token::Kind::Symbol && (t.text == "-" || t.text == "+" || t.text == "!")) {
            const Depth depth(*this, t);
            const Token op = next();
            auto operand = unary();
            if (op.text != "!") requireNumber(*operand, "the operand of \"" + op.text + "\"");
            if (op.text == "+") return operand;
            auto e = make(Expr::Kind::Unary, op);
            e->text = op.text;
            e->type = op.text == "!" ? Expr::Type::Condition : Expr::Type::Number;
            e->operands.push_back(std::move(operand));
            return e;
        }
        return primary();
    }

    std::unique_ptr<Expr> primary() {
        const Token t = next();
        if (t.kind == Token::Kind::Number) {
            auto e = make(Expr::Kind::Number, t);
            errno = 0;
            const double value = std::strtod(t.text.c_str(), nullptr);
            if (errno == ERANGE && std::fabs(value) > 1.0)
                fail(t, "the number " + t.text + " is too large");
            if (std::fabs(value) > double(std::numeric_limits<float>::max()))
                fail(t, "the number " + t.text + " does not fit a float");
            e->number = float(value);
            e->value = value;
            return e;
        }
        if (t.kind == Token::Kind::Symbol && t.text == "(") {
            auto e = expression();
            expect(")", "to close the parenthesis opened at line " + std::to_string(t.line) + ", col " +
                            std::to_string(t.column));
            return e;
        }
        if (t.kind != Token::Kind::Name) fail(t, "expected a number, a name or \"(\", found " + describe(t));
        if (peek().kind == Token::Kind::Symbol && peek().text == "(") return call(t);
        if (isKeyword(t.text)) fail(t, "\"" + t.text + "\" cannot be used in an expression");
        auto e = make(Expr::Kind::Name, t);
        e->text = t.text;
        if (const Local* local = findLocal(t.text)) {
            e->nameKind = NameKind::Local;
            e->index = local->index;
        } else {
            const auto found = lookup(t);
            e->nameKind = found.first;
            e->index = found.second;
        }
        return e;
    }

    std::unique_ptr<Expr> call(const Token& name) {
        const auto& all = functions();
        const auto it = std::find_if(all.begin(), all.end(), [&](const Function& f) { return name.text == f.name; });
        if (it == all.end()) {
            std::string known;
            for (const auto& f : all) known += (known.empty() ? "" : ", ") + std::string(f.name);
            fail(name, "unknown function \"" + name.text + "\"" + suggestion(name.text, true) + "; known: " + known);
        }
        if (!scope_.random && name.text.rfind("gennrand_", 0) == 0)
            fail(name, name.text + " draws a random number, which this code may not do");
        auto e = make(Expr::Kind::Call, name);
        e->text = name.text;
        e->index = int(it - all.begin());
        expect("(", "after the function name");
        if (!accept(")")) {
            do {
                auto arg = expression();
                requireNumber(*arg, "an argument of " + name.text);
                e->operands.push_back(std::move(arg));
            } while (accept(","));
            expect(")", "to close the arguments of " + name.text);
        }
        if (int(e->operands.size()) != it->arity)
            fail(name, name.text + " takes " + std::to_string(it->arity) + " argument" + (it->arity == 1 ? "" : "s") +
                           ", not " + std::to_string(e->operands.size()));
        return e;
    }

    static bool isKeyword(const std::string& s) {
        return s == "if" || s == "else" || s == "const" || s == "scalar" || s == "float" || s == "double";
    }
    static bool isFunction(const std::string& s) {
        const auto& all = functions();
        return std::any_of(all.begin(), all.end(), [&](const Function& f) { return s == f.name; });
    }

    const Local* findLocal(const std::string& name) const {
        for (auto it = visible_.rbegin(); it != visible_.rend(); ++it)
            if (it->name == name) return &*it;
        return nullptr;
    }
    bool isKnownName(const std::string& name) const {
        for (const auto* list : {&scope_.parameters, &scope_.derived, &scope_.state, &scope_.builtins})
            if (std::find(list->begin(), list->end(), name) != list->end()) return true;
        return findLocal(name) != nullptr;
    }

    std::pair<NameKind, int> lookup(const Token& t) const {
        const std::pair<NameKind, const std::vector<std::string>*> lists[] = {
            {NameKind::Parameter, &scope_.parameters}, {NameKind::Derived, &scope_.derived},
            {NameKind::State, &scope_.state}, {NameKind::Builtin, &scope_.builtins}};
        for (const auto& [kind, list] : lists) {
            const auto it = std::find(list->begin(), list->end(), t.text);
            if (it != list->end()) return {kind, int(it - list->begin())};
        }
        for (const auto& [name, why] : scope_.unavailable)
            if (name == t.text) fail(t, "\"" + name + "\"" + why);
        fail(t, "unknown name \"" + t.text + "\"" + suggestion(t.text, false));
    }

    // " (did you mean "X"?)" for the nearest known name within two edits, else "".
    std::string suggestion(const std::string& name, bool functionsOnly) const {
        std::vector<std::string> known;
        if (functionsOnly) {
            for (const auto& f : functions()) known.emplace_back(f.name);
        } else {
            for (const auto* list : {&scope_.parameters, &scope_.derived, &scope_.state, &scope_.builtins})
                known.insert(known.end(), list->begin(), list->end());
            for (const auto& l : visible_) known.push_back(l.name);
        }
        std::string best;
        std::size_t bestDistance = 3;
        for (const auto& k : known) {
            const std::size_t d = distance(name, k);
            if (d < bestDistance && d < name.size()) {  // "a" is one edit from any one-letter name
                bestDistance = d;
                best = k;
            }
        }
        return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    const Scope& scope_;
    int depth_ = 0;
    std::vector<std::string> localNames_;  // every local declared, in order
    std::vector<Local> visible_;           // the locals in scope here
};

} // namespace

Code parseCode(const std::string& text, const Scope& scope) {
    Parser parser(text, scope);
    return parser.code();
}

std::unique_ptr<Expr> parseExpression(const std::string& text, const Scope& scope, bool condition) {
    Parser parser(text, scope);
    return parser.wholeExpression(condition);
}

} // namespace spikelab::lang
