#include "spikelab/models.h"

#include "spikelab/error.h"

#include <limits>

namespace spikelab {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

ParamInfo positive(std::string name, std::string unit, double def, std::string description) {
    return {std::move(name), std::move(unit), def, 0.0, inf, false, true, false,
            std::move(description)};
}
ParamInfo nonNegative(std::string name, std::string unit, double def, std::string description) {
    return {std::move(name), std::move(unit), def, 0.0, inf, true, true, false,
            std::move(description)};
}
ParamInfo anyValue(std::string name, std::string unit, double def, std::string description) {
    return {std::move(name), std::move(unit), def, -inf, inf, true, true, false,
            std::move(description)};
}

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
    static const std::vector<NeuronModelInfo> models = {
        {NeuronKind::IF, "IF",
         "Non-leaky integrate-and-fire (GeNN MNIST tutorial): V += Isyn each step; spike when "
         "V >= Vthr, then V = 0.",
         {anyValue("Vthr", "mV", 5.0, "spike threshold")},
         {anyValue("V", "mV", 0.0, "membrane potential")},
         "V",
         "Vthr"},
        {NeuronKind::LIF, "LIF",
         "Leaky integrate-and-fire (GeNN's LIF): V = a*V + (1-a)*(Vrest + (TauM/C)*(Isyn+Ioffset)) "
         "with a = exp(-dt/TauM) while not refractory; spike when V >= Vthresh, then V = Vreset "
         "for TauRefrac ms.",
         {positive("C", "nF", 0.25, "membrane capacitance"),
          positive("TauM", "ms", 10.0, "membrane time constant"),
          anyValue("Vrest", "mV", -65.0, "resting potential"),
          anyValue("Vreset", "mV", -65.0, "potential after a spike"),
          anyValue("Vthresh", "mV", -50.0, "spike threshold"),
          anyValue("Ioffset", "nA", 0.0, "constant input current"),
          nonNegative("TauRefrac", "ms", 2.0, "refractory period")},
         {anyValue("V", "mV", -65.0, "membrane potential"),
          nonNegative("RefracTime", "ms", 0.0, "refractory time left")},
         "V",
         "Vthresh"},
    };
    return models;
}

const std::vector<PostsynapticModelInfo>& postsynapticModels() {
    static const std::vector<PostsynapticModelInfo> models = {
        {PostsynapticKind::DeltaCurr, "DeltaCurr",
         "Each arriving spike adds its weight to the target's input for one step.",
         {}},
        {PostsynapticKind::ExpCurr, "ExpCurr",
         "Arriving weights add to a synaptic current that decays with time constant tau; the "
         "target receives init*I each step, init = tau*(1-exp(-dt/tau))/dt (GeNN's ExpCurr).",
         {positive("tau", "ms", 5.0, "synaptic time constant")}},
    };
    return models;
}

const std::vector<WeightUpdateModelInfo>& weightUpdateModels() {
    static const std::vector<WeightUpdateModelInfo> models = {
        {WeightUpdateKind::StaticPulse, "StaticPulse",
         "Fixed weights: a presynaptic spike delivers each synapse's weight.",
         {}},
    };
    return models;
}

const std::vector<EncoderInfo>& encoders() {
    static const std::vector<EncoderInfo> all = {
        {EncoderKind::CurrentInjection, "CurrentInjection",
         "Current injection: every step of a presentation each neuron of the target receives "
         "its pixel's value (0-255) times scale.",
         {anyValue("scale", "nA", 0.01, "current per unit of pixel value")}},
    };
    return all;
}

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
