#pragma once
// Checks every backend makes before it reads or changes state, and the parts of the Backend
// interface that do not depend on where the state lives, written once so that the CPU and
// CUDA backends refuse the same things with the same words (tests compare their messages).
#include "spikelab/compiled.h"
#include "spikelab/events.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace spikelab::backends {

// Throws InternalError unless `population` and `batchIndex` index the network and the batch.
void checkIndex(const CompiledNetwork& network, int batch, int population, int batchIndex);

// Throws InternalError unless an input current of `count` values fits the population.
void checkInputSize(const CompiledPopulation& population, std::size_t count);

// The index of `variable` in the model's state table; throws spikelab::Error naming the
// population and the variable when the model has no such variable.
int stateIndex(const CompiledPopulation& population, const std::string& variable);

// The position of `variable` in `recorded` (state indices a population records); throws
// spikelab::Error naming the population when it does not record it.
std::size_t recordedPosition(const CompiledPopulation& population, const std::vector<int>& recorded,
                             const std::string& variable);

// Throws spikelab::Error naming the population: it does not record spikes.
[[noreturn]] void notRecordingSpikes(const CompiledPopulation& population);

// Checks readWeights' projection and batch indices and the size of `out` (InternalError).
void checkWeightsRead(const CompiledNetwork& network, int batch, int projection, int batchIndex,
                      std::span<float> out);

// The index of `variable` in the model's state table after checking every value against the
// table; throws spikelab::Error naming the population, variable, element and value.
int checkedStateWrite(const CompiledPopulation& population, const std::string& variable,
                      std::span<const float> values);

// A train for a SpikeSource population: offsets ascending, neurons inside the population and
// no step with more spikes than the population has neurons (a step's spikes fill a buffer of
// that size). Throws spikelab::Error naming the population and the step.
void checkSpikeTrain(const CompiledPopulation& population, const SpikeTrain& train);

// The index of `param` in the model's parameter table after checking `value`.
std::size_t checkedParam(const CompiledPopulation& population, const std::string& param,
                         double value);

// What setNeuronModel may do: neither the population nor the new model is a spike source, and
// the values fit the new model's tables (InternalError: the caller compiled them for another).
void checkModelSwap(const CompiledPopulation& population, const NeuronModelInfo& model,
                    const std::vector<double>& params, const std::vector<double>& initial);

// The state variables that stay sampled when a population changes to `model`: those of
// `recorded` (indices into the old model's state) that the new model has too, by name.
std::vector<std::string> keptStateRecording(const CompiledPopulation& population, const std::vector<int>& recorded,
                                            const NeuronModelInfo& model);

// What setStateRecording asks for, resolved: state indices and neuron indices (all neurons
// when `neurons` is empty and variables are given; none without variables).
struct StateRecording {
    std::vector<int> variables;
    std::vector<std::uint32_t> neurons;
};
StateRecording resolveStateRecording(const CompiledPopulation& population,
                                     const std::vector<std::string>& variables,
                                     const std::vector<std::int64_t>& neurons);

} // namespace spikelab::backends
