#include "synapses/postsynaptic.h"

#include "model/table_helpers.h"

namespace spikelab::synapses {

std::vector<PostsynapticModelInfo> postsynapticModels() {
    using namespace table;
    return {{PostsynapticKind::DeltaCurr, "DeltaCurr",
             "Each arriving spike adds its weight to the target's input for one step.",
             {}},
            {PostsynapticKind::ExpCurr, "ExpCurr",
             "Arriving weights add to a synaptic current that decays with time constant tau; the "
             "target receives init*I each step, init = tau*(1-exp(-dt/tau))/dt (GeNN's ExpCurr).",
             {positive("tau", "ms", 5.0, "synaptic time constant")}}};
}

std::vector<WeightUpdateModelInfo> weightUpdateModels() {
    return {{WeightUpdateKind::StaticPulse, "StaticPulse",
             "Fixed weights: a presynaptic spike delivers each synapse's weight.",
             {}}};
}

} // namespace spikelab::synapses
