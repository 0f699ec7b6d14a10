#pragma once
// SpikeSource: a population that does not integrate anything; each step it emits the spikes
// its input gives it (a Poisson or latency encoder, or a replayed event recording). No
// parameters, no state.
#include "spikelab/models.h"

namespace spikelab::neurons {
NeuronModelInfo spikeSourceModel();
} // namespace spikelab::neurons
