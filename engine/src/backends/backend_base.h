#pragma once
// What the CPU and CUDA backends share (docs/architecture.md, "Backends"): the compiled
// network as it runs, the batch size and the current step, the parameter changes, and the
// recordings the host reads (per population: the spike log and the sampled state variables,
// one ring buffer per batch copy). Each backend keeps its own state and steps it its own way;
// the CUDA backend copies what the device recorded into these logs when they are read
// (syncRecordings).
#include "spikelab/backend.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spikelab::backends {

class BackendBase : public Backend {
public:
    int batch() const override { return batch_; }
    const CompiledNetwork& network() const override { return net_; }
    std::int64_t currentStep() const override { return step_; }

    // Checks the value against the model's table, keeps it, and recomputes the population's
    // constants (computeConstants).
    void setParam(int population, const std::string& param, double value) override;
    const RingBuffer<SpikeEvent>& spikes(int population, int batchIndex) const override;
    const RingBuffer<StateSample>& states(int population, const std::string& variable,
                                          int batchIndex) const override;
    void clearRecordings() override;
    void setStateRecording(int population, const std::vector<std::string>& variables,
                           const std::vector<std::int64_t>& neurons) override;
    void readWeights(int projection, int batchIndex, std::span<float> out) const override;

protected:
    // Throws spikelab::Error for a batch size below 1.
    BackendBase(const CompiledNetwork& network, const BackendOptions& options);

    // One population's recordings.
    struct Recording {
        std::vector<RingBuffer<SpikeEvent>> spikeLog;               // per copy; empty: not recorded
        std::vector<std::vector<RingBuffer<StateSample>>> stateLog;  // per variable, per copy
        std::vector<int> variables;            // state indices of the sampled variables
        std::vector<std::uint32_t> neurons;    // the sampled neurons
    };

    // The population's parameters and derived parameters as the backend's kernels read them.
    virtual void computeConstants(int population) = 0;
    // Brings the logs up to date before they are read or their layout changes (the CUDA
    // backend copies its device blocks); nothing on the CPU, which writes them as it steps.
    virtual void syncRecordings() const {}

    void checkIndex(int population, int batchIndex) const;
    // Starts the population's spike log as the network asks (record.spikes), when recording.
    void startSpikeLog(int population);

    CompiledNetwork net_;
    const int batch_;
    const std::size_t spikeCapacity_, stateCapacity_;
    const bool recording_;
    std::int64_t step_ = 0;
    // Per population. Mutable: a const read on the CUDA backend first copies the device's
    // recorded steps in (syncRecordings).
    mutable std::vector<Recording> recordings_;
};

} // namespace spikelab::backends
