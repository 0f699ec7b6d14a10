// bench/plasticity: the cost of plastic synapses on the CPU backend (backends/cpu/plasticity.h),
// in the shape of the mushroom body's KC -> MBON projection: 20,000 sources, 10 targets, dense,
// with the symmetric STDP rule (STDPSymmetric), and the same with pair-based additive STDP
// (STDPAdditive, whose traces add neuron code every step). Random spikes: each source spikes
// with probability 0.0025 per step (about 50 spikes a step, sparse as the Kenyon cells), each
// target with 0.02 (its post-spike code then runs over 20,000 synapses). 2,000 steps (ten
// images of 20 ms at dt 0.1 ms), one batch copy, one thread; the median of 5 runs. Each rule
// runs through the kernels the build generated from its declaration and through the model
// language's interpreter. Prints nanoseconds per synapse update and the time per image; never
// fails on time.
#include "backends/cpu/plasticity.h"
#include "spikelab/compiled.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace spikelab;

namespace {

constexpr std::int64_t kPre = 20000, kPost = 10, kSteps = 2000;
constexpr int kRuns = 5;

struct Spikes {
    std::vector<std::vector<std::uint32_t>> pre, post;  // per step
    std::int64_t synapseUpdates = 0;                   // synapse code runs over the whole run
};

Spikes randomSpikes() {
    std::mt19937 rng(1);
    std::bernoulli_distribution preSpike(0.0025), postSpike(0.02);
    Spikes s;
    s.pre.resize(kSteps);
    s.post.resize(kSteps);
    for (std::int64_t t = 0; t < kSteps; ++t) {
        for (std::uint32_t i = 0; i < kPre; ++i)
            if (preSpike(rng)) s.pre[std::size_t(t)].push_back(i);
        for (std::uint32_t j = 0; j < kPost; ++j)
            if (postSpike(rng)) s.post[std::size_t(t)].push_back(j);
        s.synapseUpdates += std::int64_t(s.pre[std::size_t(t)].size()) * kPost +
                            std::int64_t(s.post[std::size_t(t)].size()) * kPre;
    }
    return s;
}

CompiledNetwork network(const std::string& model) {
    NetworkSpec spec;
    PopulationSpec kc, mbon;
    kc.name = "KC";
    kc.size = kPre;
    kc.model = mbon.model = "SpikeSource";
    mbon.name = "MBON";
    mbon.size = kPost;
    spec.populations = {kc, mbon};
    ProjectionSpec j;
    j.name = "KC_MBON";
    j.source = "KC";
    j.target = "MBON";
    j.weights.value = 0.01;
    j.weightUpdate.model = model;
    spec.projections = {j};
    return compileNetwork(spec, ".");
}

// Seconds for the whole run, as the backend calls a plastic projection in each step.
double run(const CompiledProjection& projection, bool interpret, const Spikes& spikes) {
    cpu::PlasticSynapses synapses(projection, 0.1, 1, interpret);
    std::vector<float> stPre(kPre, -FLT_MAX), stPost(kPost, -FLT_MAX), deliver(kPost, 0.0f);
    const std::vector<std::uint32_t> none;
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t t = 0; t < kSteps; ++t) {
        const float time = float(double(t) * 0.1);
        const auto& before = t > 0 ? spikes.pre[std::size_t(t - 1)] : none;
        const auto& beforePost = t > 0 ? spikes.post[std::size_t(t - 1)] : none;
        synapses.preSpikes(0, time, before, stPre.data(), stPost.data(), deliver.data());
        synapses.postSpikes(0, time, beforePost, stPre.data(), stPost.data());
        for (const auto i : spikes.pre[std::size_t(t)]) stPre[i] = time;
        for (const auto j : spikes.post[std::size_t(t)]) stPost[j] = time;
        synapses.preNeurons(0, time, spikes.pre[std::size_t(t)]);
        synapses.postNeurons(0, time, spikes.post[std::size_t(t)]);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main() {
    const Spikes spikes = randomSpikes();
    std::printf("plastic synapses: %lld sources x %lld targets, dense, %lld steps (10 images of 20 ms at dt 0.1 ms),\n"
                "%lld synapse code runs; one copy, one thread, median of %d runs\n\n",
                (long long)kPre, (long long)kPost, (long long)kSteps, (long long)spikes.synapseUpdates, kRuns);
    std::printf("  rule            code           ns/synapse update   ms/image\n");
    for (const char* model : {"STDPSymmetric", "STDPAdditive"}) {
        const CompiledNetwork net = network(model);
        for (const bool interpret : {false, true}) {
            std::vector<double> times;
            for (int r = 0; r < kRuns; ++r) times.push_back(run(net.projections[0], interpret, spikes));
            std::sort(times.begin(), times.end());
            const double seconds = times[kRuns / 2];
            std::printf("  %-15s %-14s %10.2f        %8.3f\n", model, interpret ? "interpreter" : "generated",
                        seconds * 1e9 / double(spikes.synapseUpdates), seconds * 1e3 / 10.0);
        }
    }
    std::printf("\n(STDPAdditive's time includes its trace code on all 20,010 neurons every step)\n");
    return 0;
}
