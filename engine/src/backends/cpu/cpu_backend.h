#pragma once
// The reference backend. Batch copies are independent, so each thread takes whole copies and
// runs them through all requested steps at once: one copy's state (a few KB for the MNIST
// network) stays in L1 while the shared weights stream from L2. Results do not depend on the
// number of threads.
#include "aligned.h"
#include "backends/backend_base.h"
#include "lang/neuron_abi.h"
#include "lang/postsynaptic_abi.h"
#include "plasticity.h"
#include "runtime_kernels.h"
#include "spikelab/backend.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace spikelab::cpu {

class CpuBackend final : public backends::BackendBase {
public:
    CpuBackend(const CompiledNetwork& network, const BackendOptions& options);

    std::string name() const override { return "cpu"; }
    // Why some of the network runs below full speed (a project's model in the interpreter);
    // empty when nothing does. createBackend passes it on as backendNotice().
    const std::string& notice() const { return notice_; }
    int threads() const override { return threads_; }

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
    // A plastic projection's weights are copy batchIndex's own.
    void readWeights(int projection, int batchIndex, std::span<float> out) const override;

private:
    struct Population {
        std::int64_t size = 0;
        std::int64_t stride = 0;                // size rounded up to whole cache lines
        std::vector<AlignedVector<float>> state;  // per state variable: batch x stride
        AlignedVector<std::uint32_t> counts;      // batch x stride
        AlignedVector<float> input;               // batch x stride, external current
        bool hasInput = false;
        bool hasIncoming = false;                 // target of at least one projection
        std::vector<SpikeTrain> trains;           // SpikeSource: per batch copy
        std::vector<std::int64_t> trainStart;     // step at which each copy's train began
        std::int64_t historySlots = 1;            // max outgoing delay + 1
        AlignedVector<std::uint32_t> history;     // batch x slots x stride spike indices
        AlignedVector<std::int64_t> historyCount; // batch x countStride (slots, padded)
        std::int64_t countStride = 8;           // a copy's counts fill whole cache lines, so
                                                // threads on neighbouring copies never share one
        std::vector<float> constants;           // parameters, then derived parameters (as floats)
        SpikelabNeuronKernel kernel = nullptr;  // a built-in model's generated update
        std::shared_ptr<const RuntimeNeuronKernel> runtime;  // a project's own model's
        std::uint32_t randomKey = 0;            // key[0] of its neurons' random streams
        // Source or target of a plastic projection: the time of each neuron's last spike
        // (batch x stride; -FLT_MAX before the first), st_pre / st_post of its synapse code.
        AlignedVector<float> spikeTime;
    };
    // A projection whose postsynaptic model is not "delta" has a buffer and the model's
    // generated kernels (docs/architecture.md, "The model language"); a plastic one has its
    // weight-update model's variables and code.
    struct Projection {
        AlignedVector<float> inSyn;  // batch x stride of the target; empty for a delta model
        std::vector<float> constants;  // the model's parameters, then derived parameters
        SpikelabPostsynapticKernels kernels{};
        std::unique_ptr<PlasticSynapses> plastic;  // null for a pulse model (StaticPulse)
    };
    struct Scratch {
        std::vector<std::vector<float>> isyn;    // per population
        std::vector<std::uint8_t> spiked;        // largest population
        std::vector<float*> state;               // the state arrays a kernel gets
    };

    void computeConstants(int population) override;
    void stepCopy(int b, std::int64_t t, Scratch& scratch);
    void updatePopulation(int p, int b, std::int64_t t, const float* drive, Scratch& scratch);
    // Phase 3's end for plastic projections: spike times, then pre and post neuron code.
    void updatePlasticity(int b, std::int64_t t);
    // Copy b's spikes of population p at `step` (one of the last historySlots steps).
    std::span<const std::uint32_t> spikesAt(const Population& pop, int b, std::int64_t step) const;
    // True when the population's input this step is exactly its external current.
    bool drivenByInputOnly(const Population& pop) const { return pop.hasInput && !pop.hasIncoming; }

    int threads_;
    std::string notice_;
    std::vector<Population> pops_;
    std::vector<Projection> projs_;
    std::vector<Scratch> scratch_;  // per thread
};

} // namespace spikelab::cpu
