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

// ExpCurr with time constant tau: the current decays by `decay` each step, and a weight w
// arriving in a step adds init * w to the neuron's input (GeNN's exponential current).
struct ExpCurrConstants {
    float init = 0.0f, decay = 0.0f;
};
ExpCurrConstants expCurrConstants(double tau, double dt);

} // namespace spikelab::backends
