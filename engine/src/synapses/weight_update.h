#pragma once
// Weight update models. StaticPulse: fixed weights; a presynaptic spike delivers every
// synapse's weight. (Postsynaptic models are declarations in engine/models/postsynaptic/.)
#include "spikelab/models.h"

#include <vector>

namespace spikelab::synapses {
std::vector<WeightUpdateModelInfo> weightUpdateModels();
} // namespace spikelab::synapses
