#pragma once
// Per-step constants of the neuron and postsynaptic models, computed once in double and
// rounded to float. Every backend takes its constants from here: the same floats are half of
// what makes the CPU and CUDA backends give identical spikes (the other half is doing the
// same float operations in the same order).
#include "spikelab/compiled.h"

#include <vector>

namespace spikelab::backends {

// What a neuron model's generated code reads: its parameters, then its derived parameters
// (computed in double from the parameters and dt), each rounded to float once. A spike
// source has none.
std::vector<float> neuronConstants(const CompiledPopulation& population, double dt);

// What a projection's postsynaptic model's generated code reads, in the same order.
std::vector<float> postsynapticConstants(const CompiledProjection& projection, double dt);

} // namespace spikelab::backends
