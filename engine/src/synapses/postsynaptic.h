#pragma once
// Postsynaptic models: how arriving weights become input current.
//
// DeltaCurr: each arriving spike adds its weight to the target's Isyn for one step.
// ExpCurr(tau [ms], default 5): arriving weights add to inSyn; each step the target receives
//   init * inSyn with init = tau * (1 - exp(-dt/tau)) / dt, and after the neuron update
//   inSyn *= exp(-dt/tau) (GeNN's ExpCurr, so the total charge of a weight w is w).
//
// Weight update: StaticPulse (fixed weights; a presynaptic spike delivers every synapse's
// weight).
#include "spikelab/models.h"

#include <vector>

namespace spikelab::synapses {
std::vector<PostsynapticModelInfo> postsynapticModels();
std::vector<WeightUpdateModelInfo> weightUpdateModels();
} // namespace spikelab::synapses
