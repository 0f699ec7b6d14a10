#include "spikelab/project.h"

#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/models.h"
#include "model/json_reader.h"
#include "model/model_declaration_json.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <limits>
#include <set>

namespace spikelab {

namespace {

// ---- writing ---------------------------------------------------------------------------

Json paramsToJson(const ParamValues& values) {
    Json out = Json::object();
    for (const auto& [k, v] : values) out[k] = v;
    return out;
}

Json connectivityToJson(const ConnectivitySpec& c) {
    Json out = {{"type", toString(c.type)}};
    if (c.type == ConnectivityType::FixedProbability) {
        out["probability"] = c.probability;
        out["seed"] = c.seed;
    } else if (c.type == ConnectivityType::Sparse) {
        out["pre"] = c.pre;
        out["post"] = c.post;
    }
    return out;
}

Json weightsToJson(const WeightSpec& w) {
    Json out = {{"type", toString(w.type)}};
    switch (w.type) {
    case WeightInitType::Constant: out["value"] = w.value; break;
    case WeightInitType::Uniform:
        out["low"] = w.low;
        out["high"] = w.high;
        out["seed"] = w.seed;
        break;
    case WeightInitType::Normal:
        out["mean"] = w.mean;
        out["sd"] = w.sd;
        out["seed"] = w.seed;
        break;
    case WeightInitType::Glorot: out["seed"] = w.seed; break;
    case WeightInitType::Inline: out["values"] = w.values; break;
    case WeightInitType::Npy: out["file"] = w.file; break;
    }
    return out;
}

Json positionToJson(const CanvasPosition& p) { return Json::array({p.x, p.y}); }

Json populationToJson(const PopulationSpec& p) {
    Json out = {{"name", p.name},       {"size", p.size},
                {"model", p.model},     {"params", paramsToJson(p.params)},
                {"initial", paramsToJson(p.initial)}};
    out["record"] = {{"spikes", p.record.spikes},
                     {"variables", p.record.variables},
                     {"neurons", p.record.neurons}};
    if (p.position) out["position"] = positionToJson(*p.position);
    return out;
}

// How a plastic projection's weights live in a batch (docs/architecture.md, "Weight-update
// models"): "per_copy", each copy learns its own. A project file says so for every plastic
// projection, so that a file written now still reads the same when summed weights come.
constexpr const char* kPerCopy = "per_copy";

bool plasticModel(const std::string& name) {
    for (const auto& m : weightUpdateModels())
        if (m.name == name) return m.code->plastic;
    return false;
}

Json projectionToJson(const ProjectionSpec& j) {
    Json weightUpdate = {{"model", j.weightUpdate.model}, {"params", paramsToJson(j.weightUpdate.params)}};
    if (plasticModel(j.weightUpdate.model)) weightUpdate["batch"] = kPerCopy;
    return {{"name", j.name},
            {"source", j.source},
            {"target", j.target},
            {"connectivity", connectivityToJson(j.connectivity)},
            {"weights", weightsToJson(j.weights)},
            {"delay_steps", j.delaySteps},
            {"postsynaptic",
             {{"model", j.postsynaptic.model}, {"params", paramsToJson(j.postsynaptic.params)}}},
            {"weight_update", weightUpdate}};
}

Json provenanceToJson(const ProvenanceSpec& p) {
    Json out = Json::object();
    if (!p.dataset.empty()) out["dataset"] = p.dataset;
    if (!p.command.empty()) out["command"] = p.command;
    if (p.annAccuracy) out["ann_accuracy"] = *p.annAccuracy;
    if (p.snnAccuracy) out["snn_accuracy"] = *p.snnAccuracy;
    return out;
}

Json experimentToJson(const ExperimentSpec& e) {
    return {{"dt", e.dt},
            {"steps_per_sample", e.stepsPerSample},
            {"dataset",
             {{"name", e.dataset.name}, {"split", e.dataset.split}, {"path", e.dataset.path}}},
            {"readout", e.readout},
            {"training",
             {{"epochs", e.training.epochs},
              {"batch_size", e.training.batchSize},
              {"learning_rate", e.training.learningRate},
              {"seed", e.training.seed}}}};
}

// ---- reading ---------------------------------------------------------------------------

template <typename Enum>
Enum parseEnum(Reader& r, const std::string& key, std::initializer_list<Enum> all) {
    const std::string text = r.string(key);
    std::string known;
    for (Enum e : all) {
        if (text == toString(e)) return e;
        known += (known.empty() ? "" : ", ") + std::string(toString(e));
    }
    r.fail(quote(key) + " " + quote(text) + " is not one of " + known);
}

PopulationSpec populationFromJson(const Json& j, const std::string& where) {
    Reader r(j, where);
    PopulationSpec p;
    p.name = r.string("name");
    Reader named(j, where + " (population " + quote(p.name) + ")");
    p.size = named.integer("size");
    p.model = named.string("model");
    p.params = named.params("params");
    p.initial = named.params("initial");
    named.get("name");
    if (named.has("record")) {
        Reader rec(named.get("record"), named.where() + ".record");
        p.record.spikes = rec.boolean("spikes", false);
        p.record.variables = rec.strings("variables");
        p.record.neurons = rec.integers("neurons");
        rec.finish();
    }
    if (named.has("position")) p.position = named.position("position");
    named.finish();
    return p;
}

ProjectionSpec projectionFromJson(const Json& j, const std::string& where) {
    ProjectionSpec p;
    p.name = Reader(j, where).string("name");
    Reader r(j, where + " (projection " + quote(p.name) + ")");
    r.get("name");
    p.source = r.string("source");
    p.target = r.string("target");
    {
        Reader c(r.get("connectivity"), r.where() + ".connectivity");
        p.connectivity.type =
            parseEnum(c, "type",
                      {ConnectivityType::Dense, ConnectivityType::OneToOne,
                       ConnectivityType::FixedProbability, ConnectivityType::Sparse});
        if (p.connectivity.type == ConnectivityType::FixedProbability) {
            p.connectivity.probability = c.number("probability");
            p.connectivity.seed = c.seed("seed", 1);
        } else if (p.connectivity.type == ConnectivityType::Sparse) {
            p.connectivity.pre = c.integers("pre");
            p.connectivity.post = c.integers("post");
        }
        c.finish();
    }
    {
        Reader w(r.get("weights"), r.where() + ".weights");
        auto& s = p.weights;
        s.type = parseEnum(w, "type",
                           {WeightInitType::Constant, WeightInitType::Uniform,
                            WeightInitType::Normal, WeightInitType::Glorot, WeightInitType::Inline,
                            WeightInitType::Npy});
        switch (s.type) {
        case WeightInitType::Constant: s.value = w.number("value"); break;
        case WeightInitType::Uniform:
            s.low = w.number("low");
            s.high = w.number("high");
            s.seed = w.seed("seed", 1);
            break;
        case WeightInitType::Normal:
            s.mean = w.number("mean");
            s.sd = w.number("sd");
            s.seed = w.seed("seed", 1);
            break;
        case WeightInitType::Glorot: s.seed = w.seed("seed", 1); break;
        case WeightInitType::Inline: s.values = w.numbers("values"); break;
        case WeightInitType::Npy: s.file = w.string("file"); break;
        }
        w.finish();
    }
    p.delaySteps = r.integer("delay_steps", 0);
    auto model = [&](const std::string& key, SynapseModelRef& ref) {
        Reader m(r.get(key), r.where() + "." + key);
        ref.model = m.string("model");
        ref.params = m.params("params");
        if (key == "weight_update" && m.has("batch")) {
            const std::string batch = m.string("batch");
            if (batch != kPerCopy)
                throw Error(m.where() + ".batch: " + quote(batch) + " is not a way plastic weights live in a batch; "
                            "the one there is: \"per_copy\" (each batch copy learns its own weights)");
        }
        m.finish();
    };
    if (r.has("postsynaptic")) model("postsynaptic", p.postsynaptic);
    if (r.has("weight_update")) model("weight_update", p.weightUpdate);
    r.finish();
    return p;
}

InputSpec inputFromJson(const Json& j, const std::string& where) {
    InputSpec in;
    in.name = Reader(j, where).string("name");
    Reader r(j, where + " (input " + quote(in.name) + ")");
    r.get("name");
    in.type = r.string("type");
    in.target = r.string("target");
    in.params = r.params("params");
    in.file = r.string("file", "");
    if (r.has("position")) in.position = r.position("position");
    r.finish();
    return in;
}

ProvenanceSpec provenanceFromJson(const Json& j, const std::string& where) {
    Reader r(j, where);
    ProvenanceSpec p;
    p.dataset = r.string("dataset", "");
    p.command = r.string("command", "");
    if (r.has("ann_accuracy")) p.annAccuracy = r.number("ann_accuracy");
    if (r.has("snn_accuracy")) p.snnAccuracy = r.number("snn_accuracy");
    r.finish();
    return p;
}

ExperimentSpec experimentFromJson(const Json& j, const std::string& where) {
    Reader r(j, where);
    ExperimentSpec e;
    e.dt = r.number("dt");
    e.stepsPerSample = r.integer("steps_per_sample");
    if (r.has("dataset")) {
        Reader d(r.get("dataset"), where + ".dataset");
        e.dataset.name = d.string("name");
        e.dataset.split = d.string("split", "test");
        e.dataset.path = d.string("path", "");
        d.finish();
    }
    e.readout = r.string("readout", "");
    if (r.has("training")) {
        Reader t(r.get("training"), where + ".training");
        e.training.epochs = t.integer("epochs", e.training.epochs);
        e.training.batchSize = t.integer("batch_size", e.training.batchSize);
        e.training.learningRate = t.number("learning_rate", e.training.learningRate);
        e.training.seed = t.seed("seed", e.training.seed);
        t.finish();
    }
    r.finish();
    return e;
}

// Brings a document of an older format version up to kProjectFormatVersion, one version at a
// time, so that the readers above only ever see the current layout.
void migrateProjectJson([[maybe_unused]] Json& root, std::int64_t version) {
    for (; version < kProjectFormatVersion; ++version) {
        switch (version) {
        case 1: break; // 1 -> 2 added optional keys only ("position", "provenance")
        case 2: break; // 2 -> 3 added the optional "models"
        default: throw InternalError("no migration from project format version " +
                                     std::to_string(version));
        }
    }
}

} // namespace

std::string projectToJson(const NetworkSpec& spec) {
    Json root;
    root["format"] = kProjectFormatName;
    root["version"] = kProjectFormatVersion;
    root["name"] = spec.name;
    root["description"] = spec.description;
    if (!spec.provenance.empty()) root["provenance"] = provenanceToJson(spec.provenance);
    if (!spec.models.empty()) {
        root["models"] = Json::array();
        for (const auto& m : spec.models) root["models"].push_back(neuronModelJson(m));
    }
    root["populations"] = Json::array();
    for (const auto& p : spec.populations) root["populations"].push_back(populationToJson(p));
    root["projections"] = Json::array();
    for (const auto& j : spec.projections) root["projections"].push_back(projectionToJson(j));
    root["inputs"] = Json::array();
    for (const auto& in : spec.inputs) {
        Json input = {{"name", in.name},
                      {"type", in.type},
                      {"target", in.target},
                      {"params", paramsToJson(in.params)}};
        if (!in.file.empty()) input["file"] = in.file;
        if (in.position) input["position"] = positionToJson(*in.position);
        root["inputs"].push_back(input);
    }
    root["experiment"] = experimentToJson(spec.experiment);
    return root.dump(2) + "\n";
}

NetworkSpec projectFromJson(const std::string& text, const std::string& what) {
    checkJsonStructure(text, what);
    Json root;
    try {
        root = Json::parse(text);
    } catch (const nlohmann::json::exception& e) { // a syntax error, or a number beyond double
        throw Error(what + ": not valid JSON: " + e.what());
    }
    Reader r(root, what);
    const std::string format = r.string("format");
    if (format != kProjectFormatName)
        r.fail("\"format\" is " + quote(format) + ", expected " + quote(kProjectFormatName));
    const std::int64_t version = r.integer("version");
    if (version > kProjectFormatVersion)
        throw Error(what + " is format version " + std::to_string(version) +
                    ", this SpikeLab reads up to " + std::to_string(kProjectFormatVersion) +
                    "; update SpikeLab");
    if (version < 1)
        r.fail("format version " + std::to_string(version) + " is not valid (versions start at 1)");
    migrateProjectJson(root, version);

    NetworkSpec spec;
    spec.name = r.string("name", "");
    spec.description = r.string("description", "");
    if (r.has("provenance"))
        spec.provenance = provenanceFromJson(r.get("provenance"), what + ": provenance");
    const auto list = [&](const std::string& key, auto parse, auto& out) {
        const Json& arr = r.array(key);
        for (std::size_t i = 0; i < arr.size(); ++i)
            out.push_back(parse(arr[i], what + ": " + key + "[" + std::to_string(i) + "]"));
    };
    if (r.has("models")) {
        if (r.array("models").size() > kMaxProjectModels)
            r.fail("\"models\" has " + std::to_string(r.array("models").size()) + " entries; at most " +
                   std::to_string(kMaxProjectModels));
        list("models", [](const Json& j, const std::string& where) { return neuronModelFromJson(j, where); },
             spec.models);
    }
    if (r.has("populations")) list("populations", populationFromJson, spec.populations);
    if (r.has("projections")) list("projections", projectionFromJson, spec.projections);
    if (r.has("inputs")) list("inputs", inputFromJson, spec.inputs);
    spec.experiment = experimentFromJson(r.get("experiment"), what + ": experiment");
    r.finish();
    try {
        validate(spec);
    } catch (const Error& e) {
        throw Error(what + ": " + e.what());
    }
    return spec;
}

NetworkSpec loadProject(const std::string& path) {
    const auto bytes = readFile(path, kMaxProjectFileBytes, "a project file");
    return projectFromJson(std::string(bytes.begin(), bytes.end()), "file " + quote(path));
}

void saveProject(const std::string& path, const NetworkSpec& spec) {
    validate(spec);
    writeFileAtomic(path, projectToJson(spec));
}

std::string projectDir(const std::string& projectPath) {
    auto parent = std::filesystem::path(projectPath).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

} // namespace spikelab
