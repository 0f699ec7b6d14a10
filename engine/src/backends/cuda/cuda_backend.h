#pragma once
// The CUDA backend: the CPU backend's semantics, float for float, on one GPU.
//
// Design (the MNIST target is 10,000 images x 100 steps of 784-128-10 IF in 0.03 s):
// - State is batch-major (copy b's neurons are contiguous), weights are shared by all copies.
// - advance(n) is one kernel launch with one block per batch copy; the block runs all n steps
//   of its copy, so there is no host round trip and no grid-wide barrier per step. Per step:
//   every thread owns target neurons of the copy (all populations in one loop) and adds the
//   rows of that copy's spiking presynaptic neurons in spike-list order, projection by
//   projection in network order: the CPU's summation order per target, and coalesced, as
//   neighbouring threads read neighbouring weights of the same row. Then each population's
//   spike flags become its ascending spike list with warp ballots and a block scan.
// - Sparse rows are searched per target (targets ascend within a row) so the order of
//   additions stays the CPU's; one-to-one targets scan the spike list. Neither uses atomics
//   on floats, so results never depend on scheduling.
// - Derived constants (LIF propagators, ExpCurr factors) are computed on the host exactly as
//   the CPU backend does, and uploaded; kernels.cu is built with -fmad=false.
// - Recordings stay on the device in blocks of `blockSteps` steps and are copied into the
//   RingBuffers when full or when the host reads them (spikes(), states()).
// - Input currents and spike trains are staged on the host and uploaded once per advance,
//   and spike counts are downloaded once per advance for all copies, so a batch of 10,000
//   encoded images costs a few large copies rather than 10,000 small ones.
#include "backends/backend_base.h"
#include "device_api.h"
#include "spikelab/backend.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace spikelab::cuda {

// Why `network` cannot run on this backend (a project's own model with more state than the
// device tables hold, or no NVRTC to compile it: step_library.h); empty when it can. The
// built-in models run in the step kernel nvcc built; a network with the project's own models
// runs in a step library compiled for it when the backend is made. Plastic projections run on
// the CPU backend only so far.
std::string cpuOnlyReason(const CompiledNetwork& network);

class CudaBackend final : public backends::BackendBase {
public:
    // recordBlockSteps: steps the device recording buffers hold before they are copied back;
    // 0 chooses it from the recording volume (at most 1,000 steps, at most ~64 MiB).
    // Throws DeviceError when CUDA cannot be used (no device, out of memory).
    CudaBackend(const CompiledNetwork& network, const BackendOptions& options,
                std::int64_t recordBlockSteps = 0);

    std::string name() const override { return "cuda"; }
    int threads() const override { return 1; }

    void resetState() override;
    void advance(std::int64_t steps) override;

    void setInputCurrent(int population, int batchIndex, std::span<const float> values) override;
    void setInputSpikes(int population, int batchIndex, SpikeTrain train) override;
    void clearInputs() override;

    void spikeCounts(int population, int batchIndex, std::span<std::uint32_t> out) const override;
    void readState(int population, const std::string& variable, int batchIndex,
                   std::span<float> out) const override;
    void writeState(int population, const std::string& variable, int batchIndex,
                    std::span<const float> values) override;
    void setNeuronModel(int population, const NeuronModelInfo& model, std::vector<double> params,
                        std::vector<double> initial) override;

    void clearRecordings() override;
    void setStateRecording(int population, const std::vector<std::string>& variables,
                           const std::vector<std::int64_t>& neurons) override;

    std::int64_t recordBlockSteps() const { return blockSteps_; }

private:
    struct Population {
        std::vector<DeviceArray<float>> state;  // per state variable: batch x size
        DeviceArray<std::uint32_t> counts;
        DeviceArray<float> input;
        DeviceArray<std::uint8_t> spiked;
        DeviceArray<std::uint32_t> history;
        DeviceArray<std::int64_t> historyCount;
        std::int64_t historySlots = 1;
        bool hasIncoming = false;
        std::vector<float> constants;

        std::vector<float> hostInput;  // staged external current, batch x size
        bool hasInput = false;
        std::vector<SpikeTrain> trains;  // SpikeSource: per copy
        std::vector<std::int64_t> trainStart;
        DeviceArray<std::int64_t> trainOffsets;
        DeviceArray<std::uint32_t> trainInputs;
        DeviceArray<DeviceTrain> deviceTrains;

        DeviceArray<std::uint32_t> recordedNeuronsDevice;
        DeviceArray<std::uint32_t> recordedSpikes;
        DeviceArray<std::int32_t> recordedSpikeCount;
        DeviceArray<float> recordedStates;
        mutable std::vector<std::uint32_t> countCache;  // batch x size; empty: stale
    };
    struct Projection {
        DeviceArray<float> weights;
        DeviceArray<std::int64_t> rowStart;
        DeviceArray<std::uint32_t> targets;
        DeviceArray<float> inSyn;  // empty for a delta postsynaptic model
    };

    void computeConstants(int population) override;
    void syncRecordings() const override { flushRecordings(); }
    // DevicePopulation::model of a population of `model` (not a spike source).
    int deviceModel(const NeuronModelInfo& model) const;
    void allocateRecordings();
    void uploadStagedInputs();
    void uploadNetworkTable();
    // Copies the recorded block from the device into the RingBuffers.
    void flushRecordings() const;

    std::int64_t requestedBlockSteps_;
    std::int64_t blockSteps_ = 1;
    std::vector<Population> pops_;
    std::vector<Projection> projs_;
    std::vector<const NeuronModelInfo*> projectModels_;  // those the step library dispatches
    std::shared_ptr<const StepLibrary> library_;  // null: the built-in step kernel runs

    DeviceArray<DevicePopulation> popTable_;
    DeviceArray<DeviceProjection> projTable_;
    DeviceArray<int> incoming_;
    std::vector<int> incomingHost_;
    std::vector<int> firstIncoming_;
    bool inputsDirty_ = false, tableDirty_ = true;
    mutable std::int64_t pendingSteps_ = 0;  // recorded on the device, not yet copied back
    mutable std::int64_t pendingFirstStep_ = 0;
};

} // namespace spikelab::cuda
