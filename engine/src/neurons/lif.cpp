#include "neurons/lif.h"

#include "model/table_helpers.h"

namespace spikelab::neurons {

NeuronModelInfo lifModel() {
    using namespace table;
    return {NeuronKind::LIF,
            "LIF",
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
            "Vthresh"};
}

} // namespace spikelab::neurons
