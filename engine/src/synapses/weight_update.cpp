#include "synapses/weight_update.h"

namespace spikelab::synapses {

std::vector<WeightUpdateModelInfo> weightUpdateModels() {
    return {{WeightUpdateKind::StaticPulse, "StaticPulse",
             "Fixed weights: a presynaptic spike delivers each synapse's weight.",
             {}}};
}

} // namespace spikelab::synapses
