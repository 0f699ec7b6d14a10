#pragma once
// A plastic projection on the CPU backend (docs/architecture.md, "Weight-update models"): the
// weight-update model's synapse, presynaptic and postsynaptic variables for every batch copy
// (each copy learns its own weights), and its code run by the model language's interpreter in
// the documented order of a step. The backend calls, for copy b at step t:
//   phase 1: preSpikes (the source spikes arriving now, delivering into the target's input or
//            buffer), then postSpikes (the target's spikes of step t - 1);
//   phase 3: after every population's spikes are known and their spike times set,
//            preNeurons and postNeurons (dynamics code for all, spike code for the spikers).
// Copies are independent: calls for different copies may run on different threads at once.
#include "spikelab/compiled.h"
#include "spikelab/lang.h"

#include <cstdint>
#include <span>
#include <vector>

namespace spikelab::cpu {

class PlasticSynapses {
public:
    PlasticSynapses(const CompiledProjection& projection, double dt, int batch);

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

    // Copy b's weights (the model's weight variable), in the SynapseMatrix's order.
    void readWeights(int b, std::span<float> out) const;

private:
    // Runs synapse code on synapse k between pre i and post j of copy b.
    void runSynapse(const lang::Code& code, lang::Frame& frame, int b, std::int64_t k, std::int64_t i,
                    std::int64_t j, const float* stPre, const float* stPost);
    void runNeurons(const lang::Code& dynamics, const lang::Code& spike, std::vector<std::vector<float>>& vars,
                    std::int64_t size, int b, float t, std::span<const std::uint32_t> spiked);
    lang::Frame frame(std::size_t stateSize, float t) const;

    const lang::CheckedWeightUpdateModel& code_;
    const SynapseMatrix& synapses_;
    std::vector<float> parameters_, derived_;
    float dt_;
    std::int64_t count_;  // synapses per copy
    std::vector<std::vector<float>> synapse_;  // per synapse variable: batch x count_
    std::vector<std::vector<float>> pre_;      // per pre variable: batch x numPre
    std::vector<std::vector<float>> post_;     // per post variable: batch x numPost
    std::vector<float> preInitial_, postInitial_;
    // Sparse and fixed-probability connectivity: the synapses onto each target, by source
    // ascending (CSC of the CSR matrix), for post-spike code.
    std::vector<std::int64_t> columnStart_, columnSynapse_, columnSource_;
};

} // namespace spikelab::cpu
