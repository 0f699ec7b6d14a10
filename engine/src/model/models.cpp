// The registry: the only place that knows every model. Neuron, postsynaptic and weight-update
// models are declarations in engine/models/ (read here from the text the build embeds),
// encoders declare themselves in encoders/; backends look them up here by name.
#include "spikelab/models.h"

#include "encoders/encoders.h"
#include "spikelab/error.h"
#include "spikelab/network.h"

#include <deque>
#include <mutex>

namespace spikelab {

namespace {
template <typename Info>
const Info& lookup(const std::vector<Info>& all, const std::string& name, const std::string& what,
                   const char* family) {
    for (const auto& m : all)
        if (m.name == name) return m;
    std::string known;
    for (const auto& m : all) known += (known.empty() ? "" : ", ") + m.name;
    throw Error(what + ": unknown " + family + " " + quote(name) + " (known: " + known + ")");
}
} // namespace

namespace {
#include "builtin_neuron_models.inc"
#include "builtin_postsynaptic_models.inc"
#include "builtin_weight_update_models.inc"
} // namespace

NeuronModelInfo neuronModelInfo(NeuronModelDeclaration declaration, int builtin) {
    NeuronModelInfo info;
    info.name = declaration.name;
    info.description = declaration.description;
    info.params = declaration.parameters;
    info.state = declaration.state;
    info.voltage = declaration.voltage;
    info.threshold = declaration.thresholdParameter;
    info.spikeSource = declaration.spikeSource;
    info.builtin = builtin;
    if (!declaration.spikeSource)
        info.code = std::make_shared<const lang::CheckedNeuronModel>(checkDeclaration(declaration));
    info.declaration = std::make_shared<const NeuronModelDeclaration>(std::move(declaration));
    return info;
}

const std::vector<NeuronModelInfo>& neuronModels() {
    static const std::vector<NeuronModelInfo> models = [] {
        std::vector<NeuronModelInfo> all;
        int index = 0;
        for (const char* text : kBuiltinNeuronModels) {
            all.push_back(neuronModelInfo(neuronModelFromJson(text, "built-in neuron model"), index));
            ++index;
        }
        return all;
    }();
    return models;
}

namespace {
// A postsynaptic or weight-update model's registry entries, read from the declarations the
// build embeds (`read` is the declaration's reader), with their checked code.
template <typename Info, typename Checked, typename Read, std::size_t N>
std::vector<Info> synapseModels(const char* const (&texts)[N], Read read, const char* what) {
    std::vector<Info> all;
    for (const char* text : texts) {
        Info info;
        auto declaration = read(text, what);
        info.name = declaration.name;
        info.description = declaration.description;
        info.params = declaration.parameters;
        info.builtin = int(all.size());
        info.code = std::make_shared<const Checked>(checkDeclaration(declaration));
        info.declaration = std::make_shared<const decltype(declaration)>(std::move(declaration));
        all.push_back(std::move(info));
    }
    return all;
}
} // namespace

const std::vector<PostsynapticModelInfo>& postsynapticModels() {
    static const std::vector<PostsynapticModelInfo> models =
        synapseModels<PostsynapticModelInfo, lang::CheckedPostsynapticModel>(
            kBuiltinPostsynapticModels, postsynapticModelFromJson, "built-in postsynaptic model");
    return models;
}

const std::vector<WeightUpdateModelInfo>& weightUpdateModels() {
    static const std::vector<WeightUpdateModelInfo> models =
        synapseModels<WeightUpdateModelInfo, lang::CheckedWeightUpdateModel>(
            kBuiltinWeightUpdateModels, weightUpdateModelFromJson, "built-in weight-update model");
    return models;
}

const std::vector<EncoderInfo>& encoders() {
    static const std::vector<EncoderInfo> all = [] {
        auto list = encoding::imageEncoders();
        for (auto& e : encoding::eventEncoders()) list.push_back(std::move(e));
        return list;
    }();
    return all;
}

bool encoderMakesSpikes(EncoderKind kind) { return kind != EncoderKind::CurrentInjection; }

const NeuronModelInfo& neuronModel(const std::string& name, const std::string& what) {
    return lookup(neuronModels(), name, what, "neuron model");
}

namespace {
// The registry entries of the projects' own models, one per distinct declaration, kept for the
// program's life: a backend built from an older version of a project keeps pointing at the
// entry it was built with, and equal declarations (the same project opened twice, an undone
// edit) share one entry and so one compiled kernel. Entries are small; a session that edits a
// model a thousand times keeps a thousand.
const NeuronModelInfo& projectModel(const NeuronModelDeclaration& declaration) {
    static std::mutex mutex;
    static std::deque<NeuronModelInfo> entries;
    const std::lock_guard lock(mutex);
    for (const auto& e : entries)
        if (*e.declaration == declaration) return e;
    return entries.emplace_back(neuronModelInfo(declaration));
}
} // namespace

std::vector<const NeuronModelInfo*> neuronModels(const NetworkSpec& spec) {
    std::vector<const NeuronModelInfo*> all;
    for (const auto& m : neuronModels()) all.push_back(&m);
    for (const auto& d : spec.models) all.push_back(&projectModel(d));
    return all;
}

const NeuronModelInfo& neuronModel(const NetworkSpec& spec, const std::string& name, const std::string& what) {
    for (const auto& d : spec.models)
        if (d.name == name) return projectModel(d);
    for (const auto& m : neuronModels())
        if (m.name == name) return m;
    std::string known;
    for (const auto& m : neuronModels()) known += (known.empty() ? "" : ", ") + m.name;
    for (const auto& d : spec.models) known += ", " + d.name;
    throw Error(what + ": unknown neuron model " + quote(name) + " (known: " + known + ")");
}
const PostsynapticModelInfo& postsynapticModel(const std::string& name, const std::string& what) {
    return lookup(postsynapticModels(), name, what, "postsynaptic model");
}
const WeightUpdateModelInfo& weightUpdateModel(const std::string& name, const std::string& what) {
    return lookup(weightUpdateModels(), name, what, "weight update model");
}
const EncoderInfo& encoder(const std::string& name, const std::string& what) {
    return lookup(encoders(), name, what, "input type");
}

} // namespace spikelab
