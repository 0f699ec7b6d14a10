// Neuron, postsynaptic and weight-update model declarations as JSON (spikelab/model_declaration.h): read
// strictly, written so that they read back the same, and checked as a whole.
#include "spikelab/model_declaration.h"

#include "model/model_declaration_json.h"
#include "spikelab/project.h"

#include <cctype>
#include <cmath>
#include <set>

namespace spikelab {

namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxItems = 256;  // parameters, state variables, derived, presets

bool isIdentifier(const std::string& s) {
    if (s.empty() || s.size() > kMaxNameLength) return false;
    if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

bool printable(const std::string& s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

std::string identifier(Reader& r, const std::string& key) {
    const std::string name = r.string(key);
    if (!isIdentifier(name))
        r.fail(quote(key) + " " + quote(name) + " must be a name of letters, digits and _ that starts with a letter "
               "or _ (at most " + std::to_string(kMaxNameLength) + " characters)");
    return name;
}

// Code as one string or an array of lines.
std::string codeText(Reader& r, const std::string& key) {
    if (!r.has(key)) return {};
    const Json& v = r.get(key);
    if (v.is_string()) return v.get<std::string>();
    if (!v.is_array()) r.fail(quote(key) + " must be a string or an array of lines");
    std::string text;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) r.fail(quote(key) + "[" + std::to_string(i) + "] must be a string");
        if (i) text += '\n';
        text += v[i].get<std::string>();
    }
    if (text.size() > lang::kMaxCodeBytes)
        r.fail(quote(key) + " has " + std::to_string(text.size()) + " characters; code may have at most " +
               std::to_string(lang::kMaxCodeBytes));
    return text;
}

Json codeJson(const std::string& text) {
    if (text.find('\n') == std::string::npos) return text;
    Json lines = Json::array();
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

const Json& list(Reader& r, const std::string& key) {
    const Json& v = r.array(key);
    if (v.size() > kMaxItems)
        r.fail(quote(key) + " has " + std::to_string(v.size()) + " entries; at most " + std::to_string(kMaxItems));
    return v;
}

// One parameter or state variable. The value is under "default" (parameters) or "initial"
// (state variables).
ParamInfo paramFromJson(const Json& j, const std::string& where, const char* valueKey) {
    Reader r(j, where);
    ParamInfo p;
    p.name = identifier(r, "name");
    Reader named(j, where + " " + quote(p.name));
    named.get("name");
    p.unit = named.string("unit", "");
    p.defaultValue = named.number(valueKey);
    p.description = named.string("meaning", "");
    const std::string range = named.string("range", "");
    if (range == "positive") {
        p.min = 0.0;
        p.minInclusive = false;
    } else if (range == "non-negative") {
        p.min = 0.0;
    } else if (!range.empty() && range != "any") {
        named.fail("\"range\" " + quote(range) + " is not one of any, positive, non-negative");
    }
    if (named.has("min")) {
        if (!range.empty()) named.fail("give either \"range\" or \"min\"/\"max\", not both");
        p.min = named.number("min");
    }
    if (named.has("max")) {
        if (!range.empty()) named.fail("give either \"range\" or \"min\"/\"max\", not both");
        p.max = named.number("max");
    }
    p.minInclusive = !named.boolean("min_exclusive", !p.minInclusive);
    p.maxInclusive = !named.boolean("max_exclusive", false);
    p.integer = named.boolean("integer", false);
    named.finish();
    if (!(p.min <= p.max)) named.fail("\"min\" " + formatNumber(p.min) + " is above \"max\" " + formatNumber(p.max));
    if (const std::string why = p.check(p.defaultValue); !why.empty())
        named.fail(quote(valueKey) + " " + formatNumber(p.defaultValue) + " " + why);
    return p;
}

Json paramToJson(const ParamInfo& p, const char* valueKey) {
    Json out = {{"name", p.name}};
    if (!p.unit.empty()) out["unit"] = p.unit;
    out[valueKey] = p.defaultValue;
    const bool lowest = std::isinf(p.min) && p.min < 0, highest = std::isinf(p.max) && p.max > 0;
    if (p.min == 0.0 && highest && !p.minInclusive) {
        out["range"] = "positive";
    } else if (p.min == 0.0 && highest) {
        out["range"] = "non-negative";
    } else {
        if (!lowest) {
            out["min"] = p.min;
            if (!p.minInclusive) out["min_exclusive"] = true;
        }
        if (!highest) {
            out["max"] = p.max;
            if (!p.maxInclusive) out["max_exclusive"] = true;
        }
    }
    if (p.integer) out["integer"] = true;
    if (!p.description.empty()) out["meaning"] = p.description;
    return out;
}

// The "name" of a model declaration; returns it with a reader whose errors name the model.
std::string modelName(Reader& r) {
    const std::string name = r.string("name");
    if (name.empty() || name.size() > kMaxNameLength || !printable(name))
        r.fail("\"name\" " + quote(name) + " must be 1 to " + std::to_string(kMaxNameLength) +
               " printable characters");
    return name;
}

ParamTable parametersFromJson(Reader& model, const std::string& what) {
    ParamTable parameters;
    if (!model.has("parameters")) return parameters;
    const Json& all = list(model, "parameters");
    for (std::size_t i = 0; i < all.size(); ++i) parameters.push_back(paramFromJson(all[i], what + ": parameter", "default"));
    return parameters;
}

std::vector<lang::DerivedParameter> derivedFromJson(Reader& model, const std::string& what) {
    std::vector<lang::DerivedParameter> derived;
    if (!model.has("derived")) return derived;
    const Json& all = list(model, "derived");
    for (std::size_t i = 0; i < all.size(); ++i) {
        Reader d(all[i], what + ": derived parameter");
        lang::DerivedParameter p;
        p.name = identifier(d, "name");
        p.expression = codeText(d, "expression");
        d.finish();
        derived.push_back(std::move(p));
    }
    return derived;
}

void parametersToJson(Json& out, const ParamTable& parameters, const std::vector<lang::DerivedParameter>& derived) {
    if (!parameters.empty()) {
        out["parameters"] = Json::array();
        for (const auto& p : parameters) out["parameters"].push_back(paramToJson(p, "default"));
    }
    if (!derived.empty()) {
        out["derived"] = Json::array();
        for (const auto& d : derived) out["derived"].push_back({{"name", d.name}, {"expression", codeJson(d.expression)}});
    }
}

Json parseJson(const std::string& text, const std::string& where) {
    checkJsonStructure(text, where);
    try {
        return Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + ": not valid JSON: " + e.what());
    }
}

// The declaration read whole (no key left over) and checked, its errors placed at `where`.
template <typename Declaration>
Declaration finished(Reader& model, Declaration m, const std::string& where) {
    model.finish();
    try {
        checkDeclaration(m);
    } catch (const Error& e) {
        throw Error(where + ": " + e.what());
    }
    return m;
}

} // namespace

lang::NeuronModelCode NeuronModelDeclaration::code() const {
    lang::NeuronModelCode c;
    for (const auto& p : parameters) c.parameters.push_back(p.name);
    for (const auto& v : state) c.state.push_back(v.name);
    c.derived = derived;
    c.sim = sim;
    c.threshold = threshold;
    c.reset = reset;
    return c;
}

NeuronModelDeclaration neuronModelFromJson(const Json& j, const std::string& where) {
    Reader r(j, where);
    NeuronModelDeclaration m;
    m.name = modelName(r);
    const std::string what = where + ": neuron model " + quote(m.name);
    Reader model(j, what);
    model.get("name");
    m.description = model.string("description", "");
    m.spikeSource = model.boolean("spike_source", false);
    m.parameters = parametersFromJson(model, what);
    m.derived = derivedFromJson(model, what);
    if (model.has("state")) {
        const Json& all = list(model, "state");
        for (std::size_t i = 0; i < all.size(); ++i)
            m.state.push_back(paramFromJson(all[i], what + ": state variable", "initial"));
    }
    m.sim = codeText(model, "sim");
    m.threshold = codeText(model, "threshold");
    m.reset = codeText(model, "reset");
    m.voltage = model.string("voltage", "");
    m.thresholdParameter = model.string("threshold_parameter", "");
    if (model.has("presets")) {
        const Json& all = list(model, "presets");
        for (std::size_t i = 0; i < all.size(); ++i) {
            Reader p(all[i], what + ": presets[" + std::to_string(i) + "]");
            ParameterPreset preset;
            preset.name = p.string("name");
            preset.description = p.string("description", "");
            preset.values = p.params("values");
            p.finish();
            m.presets.push_back(std::move(preset));
        }
    }
    return finished(model, std::move(m), where);
}

NeuronModelDeclaration neuronModelFromJson(const std::string& text, const std::string& where) {
    return neuronModelFromJson(parseJson(text, where), where);
}

Json neuronModelJson(const NeuronModelDeclaration& m) {
    Json out = {{"name", m.name}};
    if (!m.description.empty()) out["description"] = m.description;
    if (m.spikeSource) out["spike_source"] = true;
    parametersToJson(out, m.parameters, m.derived);
    if (!m.state.empty()) {
        out["state"] = Json::array();
        for (const auto& v : m.state) out["state"].push_back(paramToJson(v, "initial"));
    }
    if (!m.sim.empty()) out["sim"] = codeJson(m.sim);
    if (!m.threshold.empty()) out["threshold"] = codeJson(m.threshold);
    if (!m.reset.empty()) out["reset"] = codeJson(m.reset);
    if (!m.voltage.empty()) out["voltage"] = m.voltage;
    if (!m.thresholdParameter.empty()) out["threshold_parameter"] = m.thresholdParameter;
    if (!m.presets.empty()) {
        out["presets"] = Json::array();
        for (const auto& p : m.presets) {
            Json preset = {{"name", p.name}};
            if (!p.description.empty()) preset["description"] = p.description;
            preset["values"] = Json::object();
            for (const auto& [k, v] : p.values) preset["values"][k] = v;
            out["presets"].push_back(preset);
        }
    }
    return out;
}

std::string neuronModelToJson(const NeuronModelDeclaration& model) { return neuronModelJson(model).dump(2) + "\n"; }

lang::CheckedNeuronModel checkDeclaration(const NeuronModelDeclaration& m) {
    const std::string what = "neuron model " + quote(m.name);
    const auto fail = [&](const std::string& why) { throw Error(what + ": " + why); };
    if (m.spikeSource) {
        if (!m.sim.empty() || !m.threshold.empty() || !m.reset.empty() || !m.state.empty() || !m.derived.empty() ||
            !m.parameters.empty() || !m.presets.empty() || !m.voltage.empty() || !m.thresholdParameter.empty())
            fail("a spike source emits the spikes its inputs give it and has no parameters, state or code");
        return {};
    }
    if (m.threshold.empty()) fail("has no threshold condition (\"threshold\"): a neuron model says when it spikes");
    lang::CheckedNeuronModel checked;
    try {
        checked = lang::checkNeuronModel(m.code());
    } catch (const Error& e) {
        fail(e.what());
    }
    const auto findIn = [](const ParamTable& table, const std::string& name) { return findParam(table, name) != nullptr; };
    if (!m.voltage.empty() && !findIn(m.state, m.voltage))
        fail("\"voltage\" " + quote(m.voltage) + " is not one of its state variables");
    if (!m.thresholdParameter.empty() && !findIn(m.parameters, m.thresholdParameter))
        fail("\"threshold_parameter\" " + quote(m.thresholdParameter) + " is not one of its parameters");
    std::set<std::string> presetNames;
    for (const auto& preset : m.presets) {
        if (!presetNames.insert(preset.name).second) fail("two presets are named " + quote(preset.name));
        resolveParams(m.parameters, preset.values, what + ": preset " + quote(preset.name));
    }
    return checked;
}

lang::PostsynapticModelCode PostsynapticModelDeclaration::code() const {
    lang::PostsynapticModelCode c;
    for (const auto& p : parameters) c.parameters.push_back(p.name);
    c.derived = derived;
    c.applyInput = applyInput;
    c.decay = decay;
    return c;
}

PostsynapticModelDeclaration postsynapticModelFromJson(const std::string& text, const std::string& where) {
    const Json j = parseJson(text, where);
    Reader r(j, where);
    PostsynapticModelDeclaration m;
    m.name = modelName(r);
    const std::string what = where + ": postsynaptic model " + quote(m.name);
    Reader model(j, what);
    model.get("name");
    m.description = model.string("description", "");
    m.parameters = parametersFromJson(model, what);
    m.derived = derivedFromJson(model, what);
    m.applyInput = codeText(model, "apply_input");
    m.decay = codeText(model, "decay");
    return finished(model, std::move(m), where);
}

std::string postsynapticModelToJson(const PostsynapticModelDeclaration& m) {
    Json out = {{"name", m.name}};
    if (!m.description.empty()) out["description"] = m.description;
    parametersToJson(out, m.parameters, m.derived);
    out["apply_input"] = codeJson(m.applyInput);
    out["decay"] = codeJson(m.decay);
    return out.dump(2) + "\n";
}

lang::WeightUpdateModelCode WeightUpdateModelDeclaration::code() const {
    lang::WeightUpdateModelCode c;
    const auto names = [](const ParamTable& table) {
        std::vector<std::string> out;
        for (const auto& p : table) out.push_back(p.name);
        return out;
    };
    c.parameters = names(parameters);
    c.derived = derived;
    c.synapse = names(synapse);
    c.pre = names(pre);
    c.post = names(post);
    c.weight = weight;
    c.preSpikeSyn = preSpikeSyn;
    c.postSpikeSyn = postSpikeSyn;
    c.preSpike = preSpike;
    c.preDynamics = preDynamics;
    c.postSpike = postSpike;
    c.postDynamics = postDynamics;
    return c;
}

namespace {

// The weight-update model's variable tables and code, under their JSON keys.
constexpr std::pair<const char*, ParamTable WeightUpdateModelDeclaration::*> kWeightUpdateTables[] = {
    {"synapse", &WeightUpdateModelDeclaration::synapse},
    {"pre", &WeightUpdateModelDeclaration::pre},
    {"post", &WeightUpdateModelDeclaration::post}};
constexpr std::pair<const char*, std::string WeightUpdateModelDeclaration::*> kWeightUpdateCode[] = {
    {"pre_spike_syn", &WeightUpdateModelDeclaration::preSpikeSyn},
    {"post_spike_syn", &WeightUpdateModelDeclaration::postSpikeSyn},
    {"pre_spike", &WeightUpdateModelDeclaration::preSpike},
    {"pre_dynamics", &WeightUpdateModelDeclaration::preDynamics},
    {"post_spike", &WeightUpdateModelDeclaration::postSpike},
    {"post_dynamics", &WeightUpdateModelDeclaration::postDynamics}};

} // namespace

WeightUpdateModelDeclaration weightUpdateModelFromJson(const std::string& text, const std::string& where) {
    const Json j = parseJson(text, where);
    Reader r(j, where);
    WeightUpdateModelDeclaration m;
    m.name = modelName(r);
    const std::string what = where + ": weight-update model " + quote(m.name);
    Reader model(j, what);
    model.get("name");
    m.description = model.string("description", "");
    m.parameters = parametersFromJson(model, what);
    m.derived = derivedFromJson(model, what);
    for (const auto& [key, table] : kWeightUpdateTables) {
        if (!model.has(key)) continue;
        const Json& all = list(model, key);
        for (std::size_t i = 0; i < all.size(); ++i)
            (m.*table).push_back(paramFromJson(all[i], what + ": " + key + " variable", "initial"));
    }
    m.weight = model.string("weight", "");
    for (const auto& [key, code] : kWeightUpdateCode) m.*code = codeText(model, key);
    if (model.has("synapse_dynamics"))
        model.fail("\"synapse_dynamics\" (code run every step for every synapse) is not supported yet; "
                   "a trace in \"pre\" or \"post\" with its own dynamics does the same for the usual rules");
    return finished(model, std::move(m), where);
}

std::string weightUpdateModelToJson(const WeightUpdateModelDeclaration& m) {
    Json out = {{"name", m.name}};
    if (!m.description.empty()) out["description"] = m.description;
    parametersToJson(out, m.parameters, m.derived);
    for (const auto& [key, table] : kWeightUpdateTables) {
        if ((m.*table).empty()) continue;
        out[key] = Json::array();
        for (const auto& v : m.*table) out[key].push_back(paramToJson(v, "initial"));
    }
    out["weight"] = m.weight;
    for (const auto& [key, code] : kWeightUpdateCode)
        if (!(m.*code).empty()) out[key] = codeJson(m.*code);
    return out.dump(2) + "\n";
}

lang::CheckedWeightUpdateModel checkDeclaration(const WeightUpdateModelDeclaration& m) {
    const std::string what = "weight-update model " + quote(m.name);
    if (m.preSpikeSyn.empty())
        throw Error(what + ": has no \"pre_spike_syn\" code: a weight-update model says what a presynaptic spike "
                    "does at each of its synapses (for fixed weights: addToPost(g);)");
    try {
        return lang::checkWeightUpdateModel(m.code());
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
}

lang::CheckedPostsynapticModel checkDeclaration(const PostsynapticModelDeclaration& m) {
    const std::string what = "postsynaptic model " + quote(m.name);
    if (m.applyInput.empty())
        throw Error(what + ": has no \"apply_input\" code: a postsynaptic model says how the weights that arrived "
                    "reach the target's input");
    try {
        return lang::checkPostsynapticModel(m.code());
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
}

} // namespace spikelab
