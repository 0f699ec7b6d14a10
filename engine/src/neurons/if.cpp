#include "neurons/if.h"

#include "model/table_helpers.h"

namespace spikelab::neurons {

NeuronModelInfo ifModel() {
    using namespace table;
    return {NeuronKind::IF,
            "IF",
            "Non-leaky integrate-and-fire (GeNN MNIST tutorial): V += Isyn each step; spike when "
            "V >= Vthr, then V = 0.",
            {anyValue("Vthr", "mV", 5.0, "spike threshold")},
            {anyValue("V", "mV", 0.0, "membrane potential")},
            "V",
            "Vthr"};
}

} // namespace spikelab::neurons
