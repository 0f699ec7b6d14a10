#pragma once
// IF: the non-leaky integrate-and-fire neuron of the GeNN MNIST tutorial.
//
//   V += Isyn                    every step (no leak, no dt: Isyn is charge per step)
//   spike when V >= Vthr, then V = 0
//
// | parameter | default | unit | meaning          |
// |-----------|---------|------|------------------|
// | Vthr      | 5.0     | mV   | spike threshold  |
// State: V (mV, initial 0). Every population also keeps a per-neuron spike count, readable
// as the variable "SpikeCount" (the tutorial's SpikeCount).
#include "spikelab/models.h"

namespace spikelab::neurons {
NeuronModelInfo ifModel();
} // namespace spikelab::neurons
