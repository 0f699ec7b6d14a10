// Plastic projections on the CPU backend (docs/architecture.md, "Weight-update models"): the
// built-in STDP rules give the weights computed by hand and by a plain scalar reference of the
// same equations, per batch copy, for every connectivity; resetState keeps what was learned;
// the project file says how plastic weights live in a batch; what cannot run yet is refused
// with a reason.
#include "generated_code.h"
#include "spec_builders.h"
#include "test_support.h"

#include "backends/cpu/plasticity.h"
#include "spikelab/models.h"

#include "spikelab/backend.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <random>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// A train over `steps` steps in which neuron n spikes at the steps spikes[n] lists.
SpikeTrain trainOf(std::int64_t steps, const std::vector<std::vector<std::int64_t>>& spikes) {
    SpikeTrain train;
    train.steps = steps;
    train.stepStart.push_back(0);
    for (std::int64_t s = 0; s < steps; ++s) {
        for (std::size_t n = 0; n < spikes.size(); ++n)
            if (std::find(spikes[n].begin(), spikes[n].end(), s) != spikes[n].end())
                train.inputs.push_back(std::uint32_t(n));
        train.stepStart.push_back(std::int64_t(train.inputs.size()));
    }
    return train;
}

ParamValues stdpParams() {
    return {{"tauPlus", 20.0}, {"tauMinus", 20.0}, {"aPlus", 0.01}, {"aMinus", 0.012}, {"wMin", 0.0}, {"wMax", 1.0}};
}

// Two spike sources, pre -> post, with the weight-update model `model`.
NetworkSpec pairNetwork(std::int64_t numPre, std::int64_t numPost, const std::string& model, ParamValues params,
                        WeightSpec weights, ConnectivityType type = ConnectivityType::Dense) {
    NetworkSpec s;
    s.populations = {population("pre", numPre, "SpikeSource"), population("post", numPost, "SpikeSource")};
    auto j = projection("learn", "pre", "post", std::move(weights), type);
    j.weightUpdate = {model, std::move(params)};
    s.projections = {j};
    return s;
}

std::vector<float> weightsOf(const Backend& b, int projection, int copy) {
    std::vector<float> w(std::size_t(b.network().projections[std::size_t(projection)].synapses.synapseCount()));
    b.readWeights(projection, copy, w);
    return w;
}

// A trace of 1 after `steps` decays of exp(-1/20), in float as the code computes it.
float decayed(int steps) {
    const float d = float(std::exp(-1.0 / 20.0));
    float x = 1.0f;
    for (int i = 0; i < steps; ++i) x *= d;
    return x;
}

// Pair-based additive STDP for one synapse, written out in plain float arithmetic from the
// documented equations and order of a step, independent of the model language.
float additiveStdpReference(float w, const std::vector<std::int64_t>& pre, const std::vector<std::int64_t>& post,
                            std::int64_t steps) {
    const float decay = float(std::exp(-1.0 / 20.0));
    const float aPlus = 0.01f, aMinus = 0.012f, wMin = 0.0f, wMax = 1.0f;
    float x = 0.0f, y = 0.0f;  // pre and post traces
    const auto spikedAt = [](const std::vector<std::int64_t>& s, std::int64_t t) {
        return std::find(s.begin(), s.end(), t) != s.end();
    };
    for (std::int64_t t = 0; t < steps; ++t) {
        if (spikedAt(pre, t - 1)) w = std::fmax(wMin, w - aMinus * y);
        if (spikedAt(post, t - 1)) w = std::fmin(wMax, w + aPlus * x);
        x *= decay;
        if (spikedAt(pre, t)) x += 1.0f;
        y *= decay;
        if (spikedAt(post, t)) y += 1.0f;
    }
    return w;
}

std::vector<std::vector<std::int64_t>> randomSpikes(std::int64_t neurons, std::int64_t steps, double p,
                                                    std::mt19937& rng) {
    std::bernoulli_distribution spike(p);
    std::vector<std::vector<std::int64_t>> out{std::size_t(neurons)};
    for (auto& n : out)
        for (std::int64_t t = 0; t < steps; ++t)
            if (spike(rng)) n.push_back(t);
    return out;
}

} // namespace

TEST(Plasticity, AdditiveStdpGivesTheHandComputedWeightsInEachBatchCopy) {
    auto b = createBackend("cpu", compileNetwork(pairNetwork(1, 1, "STDPAdditive", stdpParams(), constantWeight(0.5)), "."),
                           {.batch = 4, .threads = 2});
    // Copy 0: pre at 10, post at 15 (potentiation); copy 1: post at 10, pre at 15
    // (depression); copy 2: both at 10; copy 3: no spikes.
    const std::vector<std::pair<std::int64_t, std::int64_t>> pairs = {{10, 15}, {15, 10}, {10, 10}, {-1, -1}};
    for (int c = 0; c < 4; ++c) {
        const auto [pre, post] = pairs[std::size_t(c)];
        b->setInputSpikes(0, c, trainOf(30, {pre < 0 ? std::vector<std::int64_t>{} : std::vector{pre}}));
        b->setInputSpikes(1, c, trainOf(30, {post < 0 ? std::vector<std::int64_t>{} : std::vector{post}}));
    }
    b->advance(30);
    EXPECT_EQ(weightsOf(*b, 0, 0)[0], 0.5f + 0.01f * decayed(5));
    EXPECT_NEAR(weightsOf(*b, 0, 0)[0], 0.50778800, 1e-7);
    EXPECT_EQ(weightsOf(*b, 0, 1)[0], 0.5f - 0.012f * decayed(5));
    EXPECT_NEAR(weightsOf(*b, 0, 1)[0], 0.49065438, 1e-7);
    EXPECT_EQ(weightsOf(*b, 0, 2)[0], (0.5f - 0.012f) + 0.01f);
    EXPECT_EQ(weightsOf(*b, 0, 3)[0], 0.5f);
    // The compiled network keeps the initial weights.
    EXPECT_EQ(b->network().projections[0].synapses.weights[0], 0.5f);
}

TEST(Plasticity, EveryConnectivityGivesTheScalarReferenceOnEverySynapse) {
    constexpr std::int64_t kPre = 12, kPost = 7, kSteps = 200;
    std::mt19937 rng(5);
    const auto preSpikes = randomSpikes(kPre, kSteps, 0.05, rng);
    const auto postSpikes = randomSpikes(kPost, kSteps, 0.05, rng);
    std::uniform_real_distribution<double> weight(0.2, 0.8);
    std::vector<double> dense(std::size_t(kPre * kPost));
    for (auto& w : dense) w = weight(rng);

    const auto run = [&](NetworkSpec spec) {
        auto b = createBackend("cpu", compileNetwork(spec, "."), {.batch = 2, .threads = 2});
        for (int c = 0; c < 2; ++c) {
            // Copy 1 sees the trains the other way round, so that the copies learn differently.
            b->setInputSpikes(0, c, trainOf(kSteps, c == 0 ? preSpikes : std::vector(preSpikes.rbegin(), preSpikes.rend())));
            b->setInputSpikes(1, c, trainOf(kSteps, postSpikes));
        }
        b->advance(kSteps);
        return b;
    };
    const auto expectReference = [&](const Backend& b, const std::vector<std::int64_t>& pre,
                                     const std::vector<std::int64_t>& post, const char* what) {
        const auto& m = b.network().projections[0].synapses;
        for (int c = 0; c < 2; ++c) {
            const auto w = weightsOf(b, 0, c);
            for (std::size_t k = 0; k < w.size(); ++k) {
                const std::int64_t i = pre[k], j = post[k];
                const auto& preTrain = c == 0 ? preSpikes[std::size_t(i)] : preSpikes[std::size_t(kPre - 1 - i)];
                ASSERT_EQ(w[k], additiveStdpReference(m.weights[k], preTrain, postSpikes[std::size_t(j)], kSteps))
                    << what << ": copy " << c << ", synapse " << i << " -> " << j;
            }
        }
    };

    // Dense: every pair, row-major.
    std::vector<std::int64_t> pre, post;
    for (std::int64_t i = 0; i < kPre; ++i)
        for (std::int64_t j = 0; j < kPost; ++j) pre.push_back(i), post.push_back(j);
    const auto denseRun = run(pairNetwork(kPre, kPost, "STDPAdditive", stdpParams(), inlineWeights(dense)));
    expectReference(*denseRun, pre, post, "dense");
    EXPECT_NE(weightsOf(*denseRun, 0, 0), weightsOf(*denseRun, 0, 1));

    // Sparse: a random third of the pairs, listed out of order.
    NetworkSpec sparse = pairNetwork(kPre, kPost, "STDPAdditive", stdpParams(), constantWeight(0.5), ConnectivityType::Sparse);
    std::vector<std::pair<std::int64_t, std::int64_t>> chosen;
    std::bernoulli_distribution keep(1.0 / 3);
    for (std::int64_t i = 0; i < kPre; ++i)
        for (std::int64_t j = 0; j < kPost; ++j)
            if (keep(rng)) chosen.emplace_back(i, j);
    std::shuffle(chosen.begin(), chosen.end(), rng);
    for (const auto& [i, j] : chosen) {
        sparse.projections[0].connectivity.pre.push_back(i);
        sparse.projections[0].connectivity.post.push_back(j);
    }
    const auto sparseRun = run(sparse);
    const auto& m = sparseRun->network().projections[0].synapses;
    std::vector<std::int64_t> sparsePre, sparsePost;
    for (std::int64_t i = 0; i < kPre; ++i)
        for (auto k = m.rowStart[std::size_t(i)]; k < m.rowStart[std::size_t(i) + 1]; ++k)
            sparsePre.push_back(i), sparsePost.push_back(m.targets[std::size_t(k)]);
    ASSERT_EQ(sparsePre.size(), chosen.size());
    expectReference(*sparseRun, sparsePre, sparsePost, "sparse");

    // One to one.
    auto oneToOne = pairNetwork(kPost, kPost, "STDPAdditive", stdpParams(), constantWeight(0.5), ConnectivityType::OneToOne);
    auto b = createBackend("cpu", compileNetwork(oneToOne, "."), {.batch = 1, .threads = 1});
    b->setInputSpikes(0, 0, trainOf(kSteps, std::vector(preSpikes.begin(), preSpikes.begin() + kPost)));
    b->setInputSpikes(1, 0, trainOf(kSteps, postSpikes));
    b->advance(kSteps);
    const auto w = weightsOf(*b, 0, 0);
    for (std::int64_t n = 0; n < kPost; ++n)
        EXPECT_EQ(w[std::size_t(n)], additiveStdpReference(0.5f, preSpikes[std::size_t(n)], postSpikes[std::size_t(n)], kSteps))
            << "one to one, synapse " << n;
}

TEST(Plasticity, GeneratedKernelsGiveTheInterpretersFloats) {
    // Both built-in rules, dense and sparse, two copies: the same spikes through the kernels the
    // build generated and through the interpreter give the same weights, traces' effects and
    // delivered inputs, bit for bit.
    constexpr std::int64_t kPre = 9, kPost = 5, kSteps = 120;
    std::mt19937 rng(3);
    for (const char* model : {"STDPAdditive", "STDPSymmetric"}) {
        for (const auto type : {ConnectivityType::Dense, ConnectivityType::FixedProbability}) {
            auto spec = pairNetwork(kPre, kPost, model, {}, constantWeight(0.01), type);
            spec.projections[0].connectivity.probability = 0.5;
            const auto net = compileNetwork(spec, ".");
            cpu::PlasticSynapses kernels(net.projections[0], 1.0, 2), interpreted(net.projections[0], 1.0, 2, true);
            std::vector<float> stPre(kPre * 2, -FLT_MAX), stPost(kPost * 2, -FLT_MAX);
            std::vector<float> deliverK(kPost, 0.0f), deliverI(kPost, 0.0f);
            std::vector<std::vector<std::uint32_t>> lastPre(2), lastPost(2);
            std::bernoulli_distribution spike(0.15);
            for (std::int64_t t = 0; t < kSteps; ++t) {
                for (int b = 0; b < 2; ++b) {
                    const float time = float(t);
                    const float* sp = stPre.data() + b * kPre;
                    const float* so = stPost.data() + b * kPost;
                    kernels.preSpikes(b, time, lastPre[std::size_t(b)], sp, so, deliverK.data());
                    interpreted.preSpikes(b, time, lastPre[std::size_t(b)], sp, so, deliverI.data());
                    kernels.postSpikes(b, time, lastPost[std::size_t(b)], sp, so);
                    interpreted.postSpikes(b, time, lastPost[std::size_t(b)], sp, so);
                    std::vector<std::uint32_t> pre, post;
                    for (std::uint32_t i = 0; i < kPre; ++i)
                        if (spike(rng)) pre.push_back(i), stPre[std::size_t(b * kPre + i)] = time;
                    for (std::uint32_t j = 0; j < kPost; ++j)
                        if (spike(rng)) post.push_back(j), stPost[std::size_t(b * kPost + j)] = time;
                    kernels.preNeurons(b, time, pre);
                    interpreted.preNeurons(b, time, pre);
                    kernels.postNeurons(b, time, post);
                    interpreted.postNeurons(b, time, post);
                    lastPre[std::size_t(b)] = pre;
                    lastPost[std::size_t(b)] = post;
                }
            }
            const std::string what = std::string(model) + (type == ConnectivityType::Dense ? ", dense" : ", sparse");
            EXPECT_EQ(deliverK, deliverI) << what;
            for (int b = 0; b < 2; ++b) {
                std::vector<float> wk(std::size_t(net.projections[0].synapses.synapseCount())), wi(wk.size());
                kernels.readWeights(b, wk);
                interpreted.readWeights(b, wi);
                EXPECT_EQ(wk, wi) << what << ", copy " << b;
                EXPECT_NE(wk, std::vector<float>(wk.size(), 0.01f)) << what << ": nothing was learned";
            }
        }
    }
}

TEST(Plasticity, GeneratedKernelsOfAdditiveStdpAreTheGoldenOnes) {
    const auto& model = weightUpdateModel("STDPAdditive", "test");
    expectGoldenFiles({{"stdp_additive_cpu.c", lang::printCpuWeightUpdateKernels(*model.code, "stdp") + "\n" +
                                                   lang::printCpuWeightUpdateTable(*model.code, "stdp") + "\n"}});
    // A pulse has no code of its own: the backends' delivery loops run it.
    EXPECT_EQ(lang::printCpuWeightUpdateKernels(*weightUpdateModel("StaticPulse", "test").code, "pulse"), "");
    EXPECT_EQ(lang::printCpuWeightUpdateTable(*weightUpdateModel("StaticPulse", "test").code, "pulse"), "{0, 0, 0, 0, 0, 0}");
    EXPECT_EQ(lang::printCpuWeightUpdateTable(*weightUpdateModel("STDPSymmetric", "test").code, "sym"),
              "{sym_pre_spike_syn, sym_post_spike_syn, 0, 0, 0, 0}");
}

TEST(Plasticity, ThreadsDoNotChangeWhatIsLearned) {
    std::mt19937 rng(11);
    const auto preSpikes = randomSpikes(30, 100, 0.1, rng);
    const auto postSpikes = randomSpikes(4, 100, 0.1, rng);
    const auto run = [&](int threads) {
        auto b = createBackend("cpu", compileNetwork(pairNetwork(30, 4, "STDPSymmetric", {{"eta", 1e-3}}, constantWeight(0.01)), "."),
                               {.batch = 5, .threads = threads});
        for (int c = 0; c < 5; ++c) {
            auto shifted = preSpikes;
            for (auto& n : shifted)
                for (auto& t : n) t = (t + c) % 100;
            for (auto& n : shifted) std::sort(n.begin(), n.end());
            b->setInputSpikes(0, c, trainOf(100, shifted));
            b->setInputSpikes(1, c, trainOf(100, postSpikes));
        }
        b->advance(100);
        std::vector<std::vector<float>> all;
        for (int c = 0; c < 5; ++c) all.push_back(weightsOf(*b, 0, c));
        return all;
    };
    const auto one = run(1);
    EXPECT_EQ(run(2), one);
    EXPECT_NE(one[0], one[1]);
}

TEST(Plasticity, ASpikeDeliversTheWeightItFindsAndTheChangeLasts) {
    // STDPSymmetric with no postsynaptic spike: each presynaptic spike delivers g, then
    // g += eta * (exp(-inf) - rho) = -0.1. The target integrates what arrives (IF: V += Isyn).
    NetworkSpec s;
    s.populations = {population("pre", 1, "SpikeSource"), population("post", 1, "IF", {{"Vthr", 100.0}})};
    auto j = projection("learn", "pre", "post", constantWeight(0.5));
    j.weightUpdate = {"STDPSymmetric", {{"eta", 0.1}, {"rho", 1.0}, {"wMin", -1.0}, {"wMax", 1.0}}};
    s.projections = {j};
    auto b = cpuBackend(s);
    b->setInputSpikes(0, 0, trainOf(30, {{10, 20}}));
    b->advance(12);  // the spike of step 10 arrives at step 11
    EXPECT_EQ(state(*b, 1, "V")[0], 0.5f);
    EXPECT_EQ(weightsOf(*b, 0, 0)[0], 0.5f + 0.1f * (0.0f - 1.0f));
    b->advance(10);
    EXPECT_EQ(state(*b, 1, "V")[0], 0.5f + 0.4f);
    EXPECT_FLOAT_EQ(weightsOf(*b, 0, 0)[0], 0.3f);
}

TEST(Plasticity, ResetStateKeepsTheWeightsAndForgetsTracesAndSpikeTimes) {
    const ParamValues p = {{"tau", 15.0}, {"rho", 0.01}, {"eta", 1e-2}, {"wMin", 0.0}, {"wMax", 1.0}};
    auto b = cpuBackend(pairNetwork(1, 1, "STDPSymmetric", p, constantWeight(0.5)));
    // Sample 1: post at 5, pre at 8. At step 6 the post code finds no pre spike yet (0 - rho);
    // at step 9 the pre code sees t - st_post = 9 - 5 = 4 ms.
    b->setInputSpikes(0, 0, trainOf(20, {{8}}));
    b->setInputSpikes(1, 0, trainOf(20, {{5}}));
    b->advance(20);
    const double afterFirst = 0.5 + 0.01 * (0.0 - 0.01) + 0.01 * (std::exp(-4.0 / 15.0) - 0.01);
    EXPECT_NEAR(weightsOf(*b, 0, 0)[0], afterFirst, 1e-7);
    const float learned = weightsOf(*b, 0, 0)[0];
    // Sample 2 after a reset: a lone pre spike finds no post spike time (it was forgotten), so
    // the change is eta * (0 - rho) from the learned weight.
    b->resetState();
    b->setInputSpikes(0, 0, trainOf(20, {{2}}));
    b->advance(20);
    EXPECT_EQ(weightsOf(*b, 0, 0)[0], std::fmax(0.0f, learned + 0.01f * (0.0f - 0.01f)));

    // Traces too: STDPAdditive's pre trace from before the reset is gone.
    auto additive = cpuBackend(pairNetwork(1, 1, "STDPAdditive", stdpParams(), constantWeight(0.5)));
    additive->setInputSpikes(0, 0, trainOf(10, {{8}}));
    additive->advance(10);
    additive->resetState();
    additive->setInputSpikes(1, 0, trainOf(10, {{1}}));
    additive->advance(10);
    EXPECT_EQ(weightsOf(*additive, 0, 0)[0], 0.5f);  // the post spike found no pre trace
}

TEST(Plasticity, DelaysWithPlasticityAreRefusedWithAReason) {
    auto s = pairNetwork(1, 1, "STDPAdditive", stdpParams(), constantWeight(0.5));
    s.projections[0].delaySteps = 2;
    EXPECT_EQ(errorOf([&] { validate(s); }),
              "projection \"learn\": plastic synapses (\"STDPAdditive\") with a delay of 2 steps are not "
              "supported; set delay_steps to 0");
    s.projections[0].weightUpdate = {"StaticPulse", {}};
    EXPECT_NO_THROW(validate(s));
}

TEST(Plasticity, TheProjectFileSaysEachCopyLearnsItsOwnWeights) {
    auto s = pairNetwork(1, 1, "STDPAdditive", stdpParams(), constantWeight(0.5));
    s.populations.push_back(population("other", 1, "SpikeSource"));
    s.projections.push_back(projection("fixed", "pre", "other", constantWeight(1.0)));
    const std::string text = projectToJson(s);
    const auto json = nlohmann::json::parse(text);
    EXPECT_EQ(json["projections"][0]["weight_update"]["batch"], "per_copy");
    EXPECT_FALSE(json["projections"][1]["weight_update"].contains("batch"));
    EXPECT_EQ(projectFromJson(text, "p.json"), s);

    auto shared = json;
    shared["projections"][0]["weight_update"]["batch"] = "shared";
    EXPECT_EQ(errorOf([&] { projectFromJson(shared.dump(), "p.json"); }),
              "p.json: projections[0] (projection \"learn\").weight_update.batch: \"shared\" is not a way plastic "
              "weights live in a batch; the one there is: \"per_copy\" (each batch copy learns its own weights)");
}

TEST(Plasticity, EvaluatingAPlasticNetworkIsRefusedWithAReason) {
    const auto net = compileNetwork(pairNetwork(1, 1, "STDPSymmetric", {}, constantWeight(0.0)), ".");
    ImageDataset data;
    data.name = "tiny";
    data.count = 1;
    data.rows = data.cols = 1;
    data.pixels = {0};
    data.labels = {0};
    EXPECT_EQ(errorOf([&] { evaluate(net, data, {}); }),
              "projection \"learn\" is plastic (\"STDPSymmetric\"): its weights change as the network runs, so an "
              "accuracy would depend on the batch size and the order of the samples; evaluate a network whose "
              "weights are fixed (weight_update \"StaticPulse\")");
}

#ifdef SPIKELAB_HAVE_CUDA
TEST(Plasticity, TheCudaBackendLeavesPlasticNetworksToTheCpuAndSaysWhy_cuda) {
    const auto net = compileNetwork(pairNetwork(1, 1, "STDPAdditive", stdpParams(), constantWeight(0.5)), ".");
    const auto b = createBackend("cuda", net);
    EXPECT_EQ(b->name(), "cpu");
    EXPECT_NE(backendNotice().find("backend \"cuda\": projection \"learn\": plastic synapses (\"STDPAdditive\") run "
                                   "on the CPU backend only so far; using the CPU backend"),
              std::string::npos)
        << backendNotice();
    // The built-in rule runs from the kernels the build generated: no word of an interpreter.
    EXPECT_EQ(backendNotice().find("interpreter"), std::string::npos);
}
#endif
