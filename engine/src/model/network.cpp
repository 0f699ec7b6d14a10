#include "spikelab/network.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

#include <cctype>
#include <cmath>
#include <set>

namespace spikelab {

const PopulationSpec* NetworkSpec::findPopulation(const std::string& n) const {
    for (const auto& p : populations)
        if (p.name == n) return &p;
    return nullptr;
}

PopulationSpec* NetworkSpec::findPopulation(const std::string& n) {
    for (auto& p : populations)
        if (p.name == n) return &p;
    return nullptr;
}

std::optional<std::size_t> NetworkSpec::populationIndex(const std::string& n) const {
    for (std::size_t i = 0; i < populations.size(); ++i)
        if (populations[i].name == n) return i;
    return std::nullopt;
}

const char* toString(ConnectivityType type) {
    switch (type) {
    case ConnectivityType::Dense: return "dense";
    case ConnectivityType::OneToOne: return "one_to_one";
    case ConnectivityType::FixedProbability: return "fixed_probability";
    case ConnectivityType::Sparse: return "sparse";
    }
    throw InternalError("unknown connectivity type");
}

const char* toString(WeightInitType type) {
    switch (type) {
    case WeightInitType::Constant: return "constant";
    case WeightInitType::Uniform: return "uniform";
    case WeightInitType::Normal: return "normal";
    case WeightInitType::Glorot: return "glorot";
    case WeightInitType::Inline: return "inline";
    case WeightInitType::Npy: return "npy";
    }
    throw InternalError("unknown weight init type");
}

namespace {


void checkName(const std::string& name, const std::string& kind) {
    if (name.empty()) throw Error(kind + " with an empty name");
    for (char c : name)
        if (c == '.' || c == '/' || std::iscntrl(static_cast<unsigned char>(c)))
            throw Error(kind + " " + quote(name) +
                        ": names may not contain '.', '/' or control characters");
}

// A file named in a project: control characters (an encoded NUL would cut the name short
// and open another file) are refused.
void checkFileName(const std::string& file, const std::string& what) {
    for (char c : file)
        if (std::iscntrl(static_cast<unsigned char>(c)))
            throw Error(what + ": file name " + quote(file) + " holds a control character (code " +
                        std::to_string(int(static_cast<unsigned char>(c))) + ")");
}

void checkFinite(double v, const std::string& what) {
    if (!std::isfinite(v)) throw Error(what + " must be a finite number");
}

void checkPosition(const std::optional<CanvasPosition>& p, const std::string& what) {
    if (p && !(std::isfinite(p->x) && std::isfinite(p->y)))
        throw Error(what + ": position (" + formatNumber(p->x) + ", " + formatNumber(p->y) +
                    ") must be two finite numbers");
}

void checkAccuracy(const std::optional<double>& a, const std::string& key) {
    if (a && !(*a >= 0.0 && *a <= 1.0))
        throw Error("provenance: " + key + " " + formatNumber(*a) + " must be between 0 and 1");
}

void validatePopulation(const NetworkSpec& spec, const PopulationSpec& p) {
    const std::string what = "population " + quote(p.name);
    checkPosition(p.position, what);
    if (p.size < 1 || p.size > kMaxPopulationSize)
        throw Error(what + ": size " + std::to_string(p.size) + " must be between 1 and " +
                    std::to_string(kMaxPopulationSize));
    const auto& model = neuronModel(spec, p.model, what);
    resolveParams(model.params, p.params, what);
    resolveParams(model.state, p.initial, what, "state variable");
    for (const auto& v : p.record.variables)
        if (!findParam(model.state, v))
            throw Error(what + ": cannot record unknown state variable " + quote(v));
    for (auto n : p.record.neurons)
        if (n < 0 || n >= p.size)
            throw Error(what + ": recorded neuron " + std::to_string(n) + " is outside 0.." +
                        std::to_string(p.size - 1));
}

void validateConnectivity(const ProjectionSpec& j, const PopulationSpec& src,
                          const PopulationSpec& dst, const std::string& what) {
    const auto& c = j.connectivity;
    switch (c.type) {
    case ConnectivityType::Dense: break;
    case ConnectivityType::OneToOne:
        if (src.size != dst.size)
            throw Error(what + ": one_to_one needs equal sizes but " + quote(src.name) + " has " +
                        std::to_string(src.size) + " and " + quote(dst.name) + " has " +
                        std::to_string(dst.size) + " neurons");
        break;
    case ConnectivityType::FixedProbability:
        if (!(c.probability >= 0.0 && c.probability <= 1.0))
            throw Error(what + ": probability " + formatNumber(c.probability) +
                        " must be between 0 and 1");
        break;
    case ConnectivityType::Sparse:
        if (c.pre.size() != c.post.size())
            throw Error(what + ": sparse connectivity has " + std::to_string(c.pre.size()) +
                        " pre indices but " + std::to_string(c.post.size()) + " post indices");
        for (std::size_t i = 0; i < c.pre.size(); ++i) {
            if (c.pre[i] < 0 || c.pre[i] >= src.size)
                throw Error(what + ": synapse " + std::to_string(i) + " has pre index " +
                            std::to_string(c.pre[i]) + " outside 0.." +
                            std::to_string(src.size - 1));
            if (c.post[i] < 0 || c.post[i] >= dst.size)
                throw Error(what + ": synapse " + std::to_string(i) + " has post index " +
                            std::to_string(c.post[i]) + " outside 0.." +
                            std::to_string(dst.size - 1));
        }
        break;
    }
}

void validateWeights(const ProjectionSpec& j, const PopulationSpec& src,
                     const PopulationSpec& dst, const std::string& what) {
    const auto& w = j.weights;
    switch (w.type) {
    case WeightInitType::Constant: checkFinite(w.value, what + ": weight value"); break;
    case WeightInitType::Uniform:
        checkFinite(w.low, what + ": uniform low");
        checkFinite(w.high, what + ": uniform high");
        if (w.low > w.high)
            throw Error(what + ": uniform low " + formatNumber(w.low) + " exceeds high " +
                        formatNumber(w.high));
        break;
    case WeightInitType::Normal:
        checkFinite(w.mean, what + ": normal mean");
        checkFinite(w.sd, what + ": normal sd");
        if (w.sd < 0) throw Error(what + ": normal sd " + formatNumber(w.sd) + " must be >= 0");
        break;
    case WeightInitType::Glorot: break;
    case WeightInitType::Inline: {
        for (std::size_t i = 0; i < w.values.size(); ++i)
            checkFinite(w.values[i], what + ": inline weight " + std::to_string(i));
        std::int64_t expected = -1;
        if (j.connectivity.type == ConnectivityType::Dense) expected = src.size * dst.size;
        if (j.connectivity.type == ConnectivityType::OneToOne) expected = src.size;
        if (j.connectivity.type == ConnectivityType::Sparse)
            expected = std::int64_t(j.connectivity.pre.size());
        if (expected >= 0 && std::int64_t(w.values.size()) != expected)
            throw Error(what + ": " + std::to_string(w.values.size()) +
                        " inline weights given but the connectivity has " +
                        std::to_string(expected) + " synapses");
        break;
    }
    case WeightInitType::Npy:
        if (w.file.empty()) throw Error(what + ": npy weights need a file");
        checkFileName(w.file, what);
        break;
    }
}

// The project's own models: within bounds, named apart from the built-in ones and each other,
// and each declaration checked with its code.
void validateModels(const NetworkSpec& spec) {
    if (spec.models.size() > kMaxProjectModels)
        throw Error("the project declares " + std::to_string(spec.models.size()) + " neuron models; at most " +
                    std::to_string(kMaxProjectModels));
    std::set<std::string> names;
    for (const auto& m : spec.models) {
        const std::string what = "neuron model " + quote(m.name);
        for (const auto& builtin : neuronModels())
            if (builtin.name == m.name)
                throw Error(what + ": a built-in model has this name; give the project's model another");
        if (!names.insert(m.name).second) throw Error(what + ": the project declares two models of this name");
        checkDeclaration(m);
    }
}

} // namespace

void validate(const NetworkSpec& spec) {
    validateModels(spec);
    std::set<std::string> names;
    auto unique = [&](const std::string& name, const std::string& kind) {
        checkName(name, kind);
        if (!names.insert(name).second)
            throw Error(kind + " " + quote(name) + ": the name is already used");
    };
    for (const auto& p : spec.populations) {
        unique(p.name, "population");
        validatePopulation(spec, p);
    }
    for (const auto& j : spec.projections) {
        unique(j.name, "projection");
        const std::string what = "projection " + quote(j.name);
        const auto* src = spec.findPopulation(j.source);
        const auto* dst = spec.findPopulation(j.target);
        if (!src) throw Error(what + ": unknown source population " + quote(j.source));
        if (!dst) throw Error(what + ": unknown target population " + quote(j.target));
        if (j.delaySteps < 0 || j.delaySteps > kMaxDelaySteps)
            throw Error(what + ": delay " + std::to_string(j.delaySteps) +
                        " steps must be between 0 and " + std::to_string(kMaxDelaySteps));
        resolveParams(postsynapticModel(j.postsynaptic.model, what).params, j.postsynaptic.params,
                      what);
        const auto& weightUpdate = weightUpdateModel(j.weightUpdate.model, what);
        resolveParams(weightUpdate.params, j.weightUpdate.params, what);
        if (weightUpdate.code->plastic && j.delaySteps != 0)
            throw Error(what + ": plastic synapses (" + quote(weightUpdate.name) + ") with a delay of " +
                        std::to_string(j.delaySteps) + " steps are not supported; set delay_steps to 0");
        validateConnectivity(j, *src, *dst, what);
        validateWeights(j, *src, *dst, what);
    }
    for (const auto& in : spec.inputs) {
        unique(in.name, "input");
        const std::string what = "input " + quote(in.name);
        checkPosition(in.position, what);
        const auto& enc = encoder(in.type, what);
        checkFileName(in.file, what);
        resolveParams(enc.params, in.params, what);
        const auto* target = spec.findPopulation(in.target);
        if (!target) throw Error(what + ": unknown target population " + quote(in.target));
        const bool spikeTarget = neuronModel(spec, target->model, what).spikeSource;
        if (encoderMakesSpikes(enc.kind) && !spikeTarget)
            throw Error(what + ": " + in.type + " makes spikes, so its target must be a SpikeSource "
                        "population, but " + quote(target->name) + " is " + target->model);
        if (!encoderMakesSpikes(enc.kind) && spikeTarget)
            throw Error(what + ": " + in.type + " injects current, but " + quote(target->name) +
                        " is a SpikeSource population, which integrates nothing");
    }
    checkAccuracy(spec.provenance.annAccuracy, "ann_accuracy");
    checkAccuracy(spec.provenance.snnAccuracy, "snn_accuracy");
    const auto& e = spec.experiment;
    if (!(std::isfinite(e.dt) && e.dt > 0))
        throw Error("experiment: dt " + formatNumber(e.dt) + " must be > 0");
    if (e.stepsPerSample < 1 || e.stepsPerSample > kMaxStepsPerSample)
        throw Error("experiment: steps_per_sample " + std::to_string(e.stepsPerSample) +
                    " must be between 1 and " + std::to_string(kMaxStepsPerSample));
    if (!e.readout.empty() && !spec.findPopulation(e.readout))
        throw Error("experiment: unknown readout population " + quote(e.readout));
    if (e.dataset.split != "train" && e.dataset.split != "test")
        throw Error("experiment: dataset split " + quote(e.dataset.split) +
                    " must be \"train\" or \"test\"");
    checkNetworkFitsMemory(spec);
    const auto& t = e.training;
    if (t.epochs < 1) throw Error("training: epochs " + std::to_string(t.epochs) + " must be >= 1");
    if (t.batchSize < 1)
        throw Error("training: batch_size " + std::to_string(t.batchSize) + " must be >= 1");
    if (!(std::isfinite(t.learningRate) && t.learningRate > 0))
        throw Error("training: learning_rate " + formatNumber(t.learningRate) + " must be > 0");
}

} // namespace spikelab
