#pragma once
// The simulation backend interface: a handful of virtuals, one factory. A backend owns the
// state of `batch` independent copies of a compiled network that share its fixed weights (each
// copy learns its own plastic ones), and
// advances them by whole steps with the semantics of docs/architecture.md ("Simulation
// semantics").
// One thread at a time calls a backend.
#include "spikelab/compiled.h"
#include "spikelab/spike_train.h"
#include "spikelab/recording.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace spikelab {

struct BackendOptions {
    int batch = 1;
    int threads = 0;                        // 0: all cores
    std::size_t spikeCapacity = 1 << 16;    // recorded spikes kept per population and batch copy
    std::size_t stateCapacity = 1 << 14;    // state samples kept per population and batch copy
    bool recording = true;                  // false: ignore RecordSpecs (bulk evaluation)
};

class Backend {
public:
    virtual ~Backend() = default;

    virtual std::string name() const = 0;
    virtual int batch() const = 0;
    virtual int threads() const = 0;
    virtual const CompiledNetwork& network() const = 0;
    virtual std::int64_t currentStep() const = 0;  // steps done since construction

    // Every neuron, synapse and in-flight spike back to its initial state, spike counts to 0.
    // Plastic synapses keep what they learned (their weights and other synapse variables);
    // their pre and post variables (traces) and the neurons' last spike times start again.
    // Time and recordings go on (a new sample starts; the raster keeps scrolling).
    virtual void resetState() = 0;
    // Advances all batch copies by `steps` steps.
    virtual void advance(std::int64_t steps) = 0;

    // A population's whole external current [nA], added to each neuron's input every step
    // until changed (docs/architecture.md, "Simulation semantics", step 2); it replaces the
    // earlier one, so a caller with several inputs on the population passes their sum (the
    // encoders do: "Several inputs on one population"). values.size() must equal the
    // population size.
    virtual void setInputCurrent(int population, int batchIndex, std::span<const float> values) = 0;
    // Spikes for a SpikeSource population: step s of `train` is emitted at step
    // currentStep() + s (a presentation that starts now). Replaces any earlier train: several
    // spike inputs on one population are merged first (mergeSpikeTrains).
    virtual void setInputSpikes(int population, int batchIndex, SpikeTrain train) = 0;
    // Removes every input current and spike train.
    virtual void clearInputs() = 0;

    // Spikes per neuron since the last resetState().
    virtual void spikeCounts(int population, int batchIndex, std::span<std::uint32_t> out) const = 0;
    virtual void readState(int population, const std::string& variable, int batchIndex,
                           std::span<float> out) const = 0;
    virtual void writeState(int population, const std::string& variable, int batchIndex,
                            std::span<const float> values) = 0;
    // Changes a neuron parameter of a population; applies from the next step. Validated
    // against the model's table (spikelab::Error on a bad name or value, nothing changed).
    virtual void setParam(int population, const std::string& param, double value) = 0;
    // Gives a population another neuron model from the next step (the model editor's Apply):
    // `params` and `initial` in the new model's table order. In every copy, the state variables
    // the new model shares by name with the old keep their values and the others start at
    // their initial value; spike counts, in-flight spikes and the other populations go on
    // untouched. Sampled variables the new model lacks stop being sampled. Throws
    // spikelab::Error, changing nothing, when this backend cannot (the CUDA backend runs the
    // built-in models it was built with; a spike source has no model to swap).
    virtual void setNeuronModel(int population, const NeuronModelInfo& model, std::vector<double> params,
                                std::vector<double> initial) = 0;

    // Recorded spikes and state samples of populations whose RecordSpec asks for them.
    virtual const RingBuffer<SpikeEvent>& spikes(int population, int batchIndex) const = 0;
    virtual const RingBuffer<StateSample>& states(int population, const std::string& variable,
                                                  int batchIndex) const = 0;
    virtual void clearRecordings() = 0;
    // Replaces which state variables of a population are sampled, and of which neurons
    // (empty: all), from the next step on; the population's state recordings restart empty.
    // Empty `variables` stops sampling. This is how the workbench probes the neurons a user
    // picks while the network runs. Throws spikelab::Error naming an unknown variable or a
    // neuron index out of range, and changes nothing then.
    virtual void setStateRecording(int population, const std::vector<std::string>& variables,
                                   const std::vector<std::int64_t>& neurons) = 0;

    // The projection's current weights in batch copy batchIndex, in the order of its
    // SynapseMatrix (network().projections[p].synapses); out.size() must equal its synapse
    // count. A fixed projection's weights are the same in every copy; a plastic one's are the
    // copy's own (docs/architecture.md, "Weight-update models"). Views poll this to show
    // weights while they learn.
    virtual void readWeights(int projection, int batchIndex, std::span<float> out) const = 0;
};

// "cpu" (always), "cuda" (when built with CUDA and a device is usable).
std::vector<std::string> availableBackends();
// Throws spikelab::Error when `kind` is unknown ("cpu", "cuda" and "auto" are known) or is
// "cuda" in a build without the CUDA backend, with the same message createBackend would give;
// lets a caller fail before loading data. In a build with CUDA, "cuda" passes even on a
// machine without a device: createBackend then falls back to the CPU.
void requireBackend(const std::string& kind);
// "auto" gives the CUDA backend when a device is usable, else the CPU backend, silently.
// "cuda" without a driver or device, or when the device runs out of memory, gives the CPU
// backend and leaves the reason in backendNotice(); createBackend prints nothing itself.
std::unique_ptr<Backend> createBackend(const std::string& kind, const CompiledNetwork& network,
                                       const BackendOptions& options = {});
// Why the last createBackend call on this thread gave another backend than asked for, e.g.
// 'backend "cuda": no CUDA device on this machine; using the CPU backend', or runs part of the
// network below full speed ('neuron model "X" runs in the interpreter, more slowly: compiler
// "cc" not found ...'); empty when it gave what was asked at full speed. Callers show it (the
// CLI on stderr, the workbench in its status bar).
std::string backendNotice();

} // namespace spikelab
