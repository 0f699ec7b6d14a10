// The registry: the only place that knows every model. Neuron models are declarations in
// engine/models/ (read here from the text the build embeds), postsynaptic models and
// encoders declare themselves in synapses/ and encoders/; backends look them up here by name.
#include "spikelab/models.h"

#include "encoders/encoders.h"
#include "spikelab/error.h"
#include "synapses/postsynaptic.h"

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

const std::vector<PostsynapticModelInfo>& postsynapticModels() {
    static const std::vector<PostsynapticModelInfo> models = synapses::postsynapticModels();
    return models;
}

const std::vector<WeightUpdateModelInfo>& weightUpdateModels() {
    static const std::vector<WeightUpdateModelInfo> models = synapses::weightUpdateModels();
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
