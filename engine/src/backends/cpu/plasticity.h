#pragma once
// A plastic projection on the CPU backend (docs/architecture.md, "Weight-update models"): the
// weight-update model's synapse, presynaptic and postsynaptic variables for every batch copy
// (each copy learns its own weights), and its code run in the documented order of a step: the
// kernels the build generated from a built-in model's declaration (lang/weight_update_abi.h),
// or the model language's interpreter, which gives the same floats. The backend calls, for
// copy b at step t:
//   phase 1: preSpikes (the source spikes arriving now, delivering into the target's input or
//            buffer), then postSpikes (the target's spikes of step t - 1);
//   phase 3: after every population's spikes are known and their spike times set,
//            preNeurons and postNeurons (dynamics code for all, spike code for the spikers).
// Copies are independent: calls for different copies may run on different threads at once.
#include "lang/weight_update_abi.h"
#include "spikelab/compiled.h"
#include "spikelab/lang.h"

#include <cstdint>
#include <span>
#include <vector>

namespace spikelab::cpu {

class PlasticSynapses {
public:
    // `interpret`: run the code in the interpreter even where kernels exist (tests compare the two).
    PlasticSynapses(const CompiledProjection& projection, double dt, int batch, bool interpret = false);

    // Pre and post variables back to their initial values in every copy; the synapse
    // variables (the learned weights) are kept.
    void resetNeuronVariables();

    // `spikes` ascending; stPre / stPost are the source's and the target's last spike times in
    // this copy (-FLT_MAX before the first). addToPost adds into deliver[target].
    void preSpikes(int b, float t, std::span<const std::uint32_t> spikes, const float* stPre,
                   const float* stPost, float* deliver);
    void postSpikes(int b, float t, std::span<const std::uint32_t> spikes, const float* stPre,
                    const float* stPost);
    void preNeurons(int b, float t, std::span<const std::uint32_t> spiked);
    void postNeurons(int b, float t, std::span<const std::uint32_t> spiked);

    // True when the code runs in the interpreter (no generated kernels for the model).
    bool interpreted() const { return !kernels_.preSpikeSyn; }

    // Copy b's weights (the model's weight variable), in the SynapseMatrix's order.
    void readWeights(int b, std::span<float> out) const;

private:
    // Copy b's arrays in a list's form; the caller fills in which synapses or neurons.
    SpikelabSynapseUpdate synapseList(int b, float t, const float* stPre, const float* stPost, float* deliver,
                                      std::vector<float*>& synapse, std::vector<const float*>& pre,
                                      std::vector<const float*>& post);
    // The interpreter's frame: the constants, `stateSize` variables, the built-ins dt and t.
    lang::Frame interpreterFrame(std::size_t stateSize, float t) const;
    void runSynapses(SpikelabSynapseKernel kernel, const lang::Code& code, const SpikelabSynapseUpdate& list);
    void runNeurons(SpikelabSynapseNeuronKernel kernel, const lang::Code& code, std::vector<std::vector<float>>& vars,
                    std::int64_t size, int b, float t, const unsigned* neurons, std::int64_t count);

    const lang::CheckedWeightUpdateModel& code_;
    const SynapseMatrix& synapses_;
    SpikelabWeightUpdateKernels kernels_{};  // all null: the interpreter runs the code
    std::vector<float> constants_;           // parameters, then derived parameters
    std::size_t parameterCount_;
    float dt_;
    std::int64_t count_;  // synapses per copy
    std::vector<std::vector<float>> synapse_;  // per synapse variable: batch x count_
    std::vector<std::vector<float>> pre_;      // per pre variable: batch x numPre
    std::vector<std::vector<float>> post_;     // per post variable: batch x numPost
    std::vector<float> preInitial_, postInitial_;
    // Sparse and fixed-probability connectivity: the synapses onto each target, by source
    // ascending (CSC of the CSR matrix), for post-spike code.
    std::vector<std::int64_t> columnStart_;
    std::vector<long long> columnSynapse_;  // the ABI's type
    std::vector<std::uint32_t> columnSource_;
};

} // namespace spikelab::cpu
