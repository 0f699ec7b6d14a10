// Checking a neuron, postsynaptic or weight-update model declaration's code as a whole
// (spikelab/lang.h):
// every part in the scope it may see, each error placed in its part.
#include "spikelab/lang.h"

#include <algorithm>
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

namespace {

// Claims the names of the parameters, state variables and derived parameters (after `names`,
// the built-in ones) and checks the derived parameters: each sees the parameters, the derived
// parameters before it and dt. Returns the scope they were checked in.
Scope checkDerived(const std::vector<std::string>& parameters, const std::vector<std::string>& state,
                   const std::vector<DerivedParameter>& derived, std::set<std::string> names,
                   std::vector<std::unique_ptr<Expr>>& checked) {
    const auto claim = [&](const std::string& name, const char* kind) {
        if (name.empty()) throw Error(std::string("a ") + kind + " has no name");
        if (!names.insert(name).second)
            throw Error(std::string(kind) + " \"" + name + "\": the name is already used in this model");
    };
    for (const auto& p : parameters) claim(p, "parameter");
    for (const auto& v : state) claim(v, "state variable");
    for (const auto& d : derived) claim(d.name, "derived parameter");
    Scope host;
    host.parameters = parameters;
    host.builtins = {"dt"};
    host.random = false;
    for (const auto& d : derived) {
        checked.push_back(inPart("derived parameter \"" + d.name + "\"",
                                 [&] { return parseExpression(d.expression, host, false); }));
        host.derived.push_back(d.name);
    }
    return host;
}

std::vector<double> evaluateDerived(const std::vector<std::unique_ptr<Expr>>& derivedExprs, std::size_t parameterCount,
                                    const std::vector<double>& parameters, double dt) {
    if (parameters.size() != parameterCount)
        throw InternalError("derivedValues: " + std::to_string(parameters.size()) + " parameter values for " +
                            std::to_string(parameterCount) + " parameters");
    std::vector<double> derived;
    derived.reserve(derivedExprs.size());
    for (const auto& expr : derivedExprs) {
        const double v = evaluateOnHost(*expr, parameters, derived, dt);
        derived.push_back(v);
    }
    return derived;
}

// Whether `code` is the one statement `target op value;` on state variables, `value` being
// state variable `source` (source >= 0) or the number 0 (source < 0).
bool isOnly(const Code& code, int target, const char* op, int source) {
    if (code.statements.size() != 1) return false;
    const Stmt& s = code.statements[0];
    if (s.kind != Stmt::Kind::Assign || s.targetKind != NameKind::State || s.target != target || s.op != op)
        return false;
    const Expr& v = *s.value;
    if (source >= 0) return v.kind == Expr::Kind::Name && v.nameKind == NameKind::State && v.index == source;
    return v.kind == Expr::Kind::Number && v.value == 0.0;
}

} // namespace

CheckedNeuronModel checkNeuronModel(const NeuronModelCode& code) {
    CheckedNeuronModel model;
    const Scope host = checkDerived(code.parameters, code.state, code.derived, {"Isyn", "dt", "t"}, model.derived);
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

CheckedPostsynapticModel checkPostsynapticModel(const PostsynapticModelCode& code) {
    CheckedPostsynapticModel model;
    const Scope host = checkDerived(code.parameters, {}, code.derived, {"inSyn", "Isyn", "dt", "t"}, model.derived);
    for (Scope* scope : {&model.apply, &model.decay}) {
        scope->parameters = code.parameters;
        scope->derived = host.derived;
        scope->builtins = {"dt", "t"};
        scope->random = false;
    }
    model.apply.state = {"inSyn", "Isyn"};
    model.decay.state = {"inSyn"};
    model.decay.unavailable = {{"Isyn", " is the target neuron's input, which only the apply_input code sees"}};
    model.applyInput = inPart("apply_input code", [&] { return parseCode(code.applyInput, model.apply); });
    model.decayCode = inPart("decay code", [&] { return parseCode(code.decay, model.decay); });
    model.delta = isOnly(model.applyInput, 1, "+=", 0) && isOnly(model.decayCode, 0, "=", -1);
    return model;
}

namespace {

// Whether `code` assigns the state variable `v` anywhere.
bool assigns(const std::vector<Stmt>& statements, int v) {
    for (const auto& s : statements) {
        if (s.kind == Stmt::Kind::Assign && s.targetKind == NameKind::State && s.target == v) return true;
        if (assigns(s.body, v)) return true;
    }
    return false;
}

} // namespace

CheckedWeightUpdateModel checkWeightUpdateModel(const WeightUpdateModelCode& code) {
    CheckedWeightUpdateModel model;
    std::vector<std::string> variables = code.synapse;
    variables.insert(variables.end(), code.pre.begin(), code.pre.end());
    variables.insert(variables.end(), code.post.begin(), code.post.end());
    const Scope host =
        checkDerived(code.parameters, variables, code.derived, {"dt", "t", "st_pre", "st_post", "addToPost"}, model.derived);
    const auto weight = std::find(code.synapse.begin(), code.synapse.end(), code.weight);
    if (code.weight.empty()) throw Error("names no weight: which synapse variable do a projection's weights set?");
    if (weight == code.synapse.end())
        throw Error("the weight \"" + code.weight + "\" is not one of its synapse variables");
    model.weight = int(weight - code.synapse.begin());

    for (Scope* scope : {&model.preSynapse, &model.postSynapse, &model.pre, &model.post}) {
        scope->parameters = code.parameters;
        scope->derived = host.derived;
        scope->random = false;
    }
    // Synapse code: its synapse's variables, and both sides' variables and spike times to read.
    const auto sideOnly = [](const char* side, const char* blocks) {
        return std::string(" is a ") + side + " variable, which only " + blocks + " changes";
    };
    for (Scope* scope : {&model.preSynapse, &model.postSynapse}) {
        scope->state = code.synapse;
        scope->builtins = {"dt", "t", "st_pre", "st_post"};
        scope->builtins.insert(scope->builtins.end(), code.pre.begin(), code.pre.end());
        scope->builtins.insert(scope->builtins.end(), code.post.begin(), code.post.end());
        for (const auto& v : code.pre) scope->readOnly.emplace_back(v, sideOnly("presynaptic", "pre_spike and pre_dynamics code"));
        for (const auto& v : code.post) scope->readOnly.emplace_back(v, sideOnly("postsynaptic", "post_spike and post_dynamics code"));
        scope->readOnly.emplace_back("st_pre", " is the time of the last presynaptic spike, which the simulation sets");
        scope->readOnly.emplace_back("st_post", " is the time of the last postsynaptic spike, which the simulation sets");
    }
    model.preSynapse.addToPost = true;
    // Neuron code: its own side's variables; it runs once per neuron, not per synapse.
    const auto perNeuron = [&](Scope& scope, const std::vector<std::string>& own, const std::vector<std::string>& other,
                               const char* side, const char* otherSide) {
        scope.state = own;
        scope.builtins = {"dt", "t"};
        const std::string once = std::string(", and this code runs once per ") + side + " neuron";
        for (const auto& v : code.synapse) scope.unavailable.emplace_back(v, " is a synapse variable" + once);
        for (const auto& v : other) scope.unavailable.emplace_back(v, std::string(" is a ") + otherSide + " variable" + once);
        scope.unavailable.emplace_back("st_pre", " is a spike time, which only synapse code sees");
        scope.unavailable.emplace_back("st_post", " is a spike time, which only synapse code sees");
    };
    perNeuron(model.pre, code.pre, code.post, "presynaptic", "postsynaptic");
    perNeuron(model.post, code.post, code.pre, "postsynaptic", "presynaptic");

    model.preSpikeSyn = inPart("pre_spike_syn code", [&] { return parseCode(code.preSpikeSyn, model.preSynapse); });
    model.postSpikeSyn = inPart("post_spike_syn code", [&] { return parseCode(code.postSpikeSyn, model.postSynapse); });
    model.preSpike = inPart("pre_spike code", [&] { return parseCode(code.preSpike, model.pre); });
    model.preDynamics = inPart("pre_dynamics code", [&] { return parseCode(code.preDynamics, model.pre); });
    model.postSpike = inPart("post_spike code", [&] { return parseCode(code.postSpike, model.post); });
    model.postDynamics = inPart("post_dynamics code", [&] { return parseCode(code.postDynamics, model.post); });

    model.plastic = !code.pre.empty() || !code.post.empty();
    for (int v = 0; v < int(code.synapse.size()); ++v)
        model.plastic = model.plastic || assigns(model.preSpikeSyn.statements, v) ||
                        assigns(model.postSpikeSyn.statements, v);
    const auto& first = model.preSpikeSyn.statements;
    model.pulse = !model.plastic && first.size() == 1 && first[0].kind == Stmt::Kind::AddToPost &&
                  first[0].value->kind == Expr::Kind::Name && first[0].value->nameKind == NameKind::State &&
                  first[0].value->index == model.weight;
    return model;
}

std::vector<double> derivedValues(const CheckedWeightUpdateModel& model, const std::vector<double>& parameters,
                                  double dt) {
    return evaluateDerived(model.derived, model.preSynapse.parameters.size(), parameters, dt);
}

std::vector<double> derivedValues(const CheckedNeuronModel& model, const std::vector<double>& parameters,
                                  double dt) {
    return evaluateDerived(model.derived, model.scope.parameters.size(), parameters, dt);
}

std::vector<double> derivedValues(const CheckedPostsynapticModel& model, const std::vector<double>& parameters,
                                  double dt) {
    return evaluateDerived(model.derived, model.apply.parameters.size(), parameters, dt);
}

} // namespace spikelab::lang
