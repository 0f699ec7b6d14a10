// The registry: the only place that knows every model. Models declare themselves in
// neurons/, synapses/ and encoders/; backends look them up here by name.
#include "spikelab/models.h"

#include "encoders/encoders.h"
#include "neurons/if.h"
#include "neurons/lif.h"
#include "neurons/spike_source.h"
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

const std::vector<NeuronModelInfo>& neuronModels() {
    static const std::vector<NeuronModelInfo> models = {neurons::ifModel(), neurons::lifModel(),
                                                          neurons::spikeSourceModel()};
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
