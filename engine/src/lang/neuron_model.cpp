// Checking a neuron model declaration's code as a whole (spikelab/lang.h): every part in the
// scope it may see, each error placed in its part.
#include "spikelab/lang.h"

#include <set>

namespace spikelab::lang {

namespace {

template <typename F>
auto inPart(const std::string& where, F&& parse) {
    try {
        return parse();
    } catch (const CodeError& e) {
        throw CodeError(where, e);
    }
}

// Numbers the random call sites of `e` in source order (lang/prelude.h, "Random numbers").
void numberDraws(Expr& e, int& next) {
    if (e.kind == Expr::Kind::Call && e.text.rfind("gennrand_", 0) == 0) e.draw = next++;
    for (auto& operand : e.operands) numberDraws(*operand, next);
}

void numberDraws(Stmt& s, int& next) {
    if (s.value) numberDraws(*s.value, next);
    for (auto& inner : s.body) numberDraws(inner, next);
}

void numberDraws(Code& code, int& next) {
    for (auto& s : code.statements) numberDraws(s, next);
}

} // namespace

std::uint32_t randomKeyOf(const std::string& population) {
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (unsigned char c : population) hash = (hash ^ c) * 16777619u;
    return hash;
}

CheckedNeuronModel checkNeuronModel(const NeuronModelCode& code) {
    CheckedNeuronModel model;
    std::set<std::string> names = {"Isyn", "dt", "t"};
    const auto claim = [&](const std::string& name, const char* kind) {
        if (name.empty()) throw Error(std::string("a ") + kind + " has no name");
        if (!names.insert(name).second)
            throw Error(std::string(kind) + " \"" + name + "\": the name is already used in this model");
    };
    for (const auto& p : code.parameters) claim(p, "parameter");
    for (const auto& v : code.state) claim(v, "state variable");
    for (const auto& d : code.derived) claim(d.name, "derived parameter");

    // A derived parameter sees the parameters, the derived parameters before it and dt.
    Scope host;
    host.parameters = code.parameters;
    host.builtins = {"dt"};
    host.random = false;
    for (const auto& d : code.derived) {
        model.derived.push_back(inPart("derived parameter \"" + d.name + "\"",
                                       [&] { return parseExpression(d.expression, host, false); }));
        host.derived.push_back(d.name);
    }
    model.scope.parameters = code.parameters;
    model.scope.derived = host.derived;
    model.scope.state = code.state;
    model.sim = inPart("sim code", [&] { return parseCode(code.sim, model.scope); });
    model.threshold = inPart("threshold condition", [&] { return parseExpression(code.threshold, model.scope, true); });
    model.reset = inPart("reset code", [&] { return parseCode(code.reset, model.scope); });
    numberDraws(model.sim, model.randomDraws);
    numberDraws(*model.threshold, model.randomDraws);
    numberDraws(model.reset, model.randomDraws);
    return model;
}

std::vector<double> derivedValues(const CheckedNeuronModel& model, const std::vector<double>& parameters,
                                  double dt) {
    if (parameters.size() != model.scope.parameters.size())
        throw InternalError("derivedValues: " + std::to_string(parameters.size()) + " parameter values for " +
                            std::to_string(model.scope.parameters.size()) + " parameters");
    std::vector<double> derived;
    derived.reserve(model.derived.size());
    for (const auto& expr : model.derived) {
        const double v = evaluateOnHost(*expr, parameters, derived, dt);
        derived.push_back(v);
    }
    return derived;
}

} // namespace spikelab::lang
