// Batch B equals B runs of batch 1; 1 and N threads give identical spikes; recordings are
// bounded; state probes can change while running; weights read back as stored.
#include "spec_builders.h"
#include "spikelab/error.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <random>

using namespace spikelab;
using namespace spikelab::test;

namespace {
// A random recurrent LIF + IF network with every connectivity type, delays and ExpCurr.
NetworkSpec randomNetwork() {
    NetworkSpec s;
    s.populations = {population("in", 50, "IF", {{"Vthr", 3.0}}),
                     population("lif", 40, "LIF", {{"TauM", 15.0}, {"Vthresh", -55.0}}),
                     population("out", 10, "IF", {{"Vthr", 4.0}})};
    for (auto& p : s.populations) p.record.spikes = true;
    s.populations[1].record.variables = {"V"};
    s.populations[1].record.neurons = {0, 5, 39};
    WeightSpec normal;
    normal.type = WeightInitType::Normal;
    normal.mean = 1.0;
    normal.sd = 2.0;
    normal.seed = 3;
    s.projections.push_back(projection("in_lif", "in", "lif", normal));
    auto sparse = projection("lif_lif", "lif", "lif", normal, ConnectivityType::FixedProbability, 3);
    sparse.connectivity.probability = 0.2;
    sparse.postsynaptic = {"ExpCurr", {{"tau", 4.0}}};
    s.projections.push_back(sparse);
    s.projections.push_back(projection("lif_out", "lif", "out", normal, ConnectivityType::Dense, 1));
    WeightSpec glorot;
    glorot.type = WeightInitType::Glorot;
    s.projections.push_back(projection("in_out", "in", "out", glorot, ConnectivityType::FixedProbability));
    return s;
}

std::vector<std::vector<float>> randomCurrents(int batch) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(0.0f, 1.5f);
    std::vector<std::vector<float>> out(std::size_t(batch), std::vector<float>(50));
    for (auto& v : out)
        for (auto& x : v) x = u(rng);
    return out;
}

struct Run {
    std::vector<std::vector<SpikeEvent>> spikes;  // per population
    std::vector<std::uint32_t> counts;
    std::vector<StateSample> states;
};

std::vector<Run> simulate(int batch, int threads, const std::vector<std::vector<float>>& currents,
                          int firstCurrent) {
    auto b = cpuBackend(randomNetwork(), batch, threads);
    for (int i = 0; i < batch; ++i) b->setInputCurrent(0, i, currents[std::size_t(firstCurrent + i)]);
    b->advance(120);
    b->resetState();  // a second "sample" after a reset: recordings go on
    b->advance(80);
    std::vector<Run> runs(static_cast<std::size_t>(batch));
    for (int i = 0; i < batch; ++i) {
        for (int p = 0; p < 3; ++p) {
            runs[std::size_t(i)].spikes.push_back(b->spikes(p, i).all());
            const auto c = counts(*b, p, i);
            runs[std::size_t(i)].counts.insert(runs[std::size_t(i)].counts.end(), c.begin(), c.end());
        }
        runs[std::size_t(i)].states = b->states(1, "V", i).all();
    }
    return runs;
}
} // namespace

TEST(Batch, BatchOfBEqualsBRunsOfBatchOne) {
    const int B = 7;
    const auto currents = randomCurrents(B);
    const auto batched = simulate(B, 1, currents, 0);
    std::size_t totalSpikes = 0;
    for (int i = 0; i < B; ++i) {
        const auto single = simulate(1, 1, currents, i);
        EXPECT_EQ(single[0].spikes, batched[std::size_t(i)].spikes) << "copy " << i;
        EXPECT_EQ(single[0].counts, batched[std::size_t(i)].counts) << "copy " << i;
        ASSERT_EQ(single[0].states.size(), batched[std::size_t(i)].states.size());
        for (std::size_t k = 0; k < single[0].states.size(); ++k)
            EXPECT_EQ(single[0].states[k].values, batched[std::size_t(i)].states[k].values);
        for (const auto& s : single[0].spikes) totalSpikes += s.size();
    }
    EXPECT_GT(totalSpikes, 1000u) << "the test network should be active";
}

TEST(Threads, OneAndManyThreadsGiveIdenticalSpikes) {
    const int B = 9;
    const auto currents = randomCurrents(B);
    const auto one = simulate(B, 1, currents, 0);
    for (int threads : {2, 3, 8}) {
        const auto many = simulate(B, threads, currents, 0);
        for (int i = 0; i < B; ++i) {
            EXPECT_EQ(one[std::size_t(i)].spikes, many[std::size_t(i)].spikes) << threads << " threads";
            EXPECT_EQ(one[std::size_t(i)].counts, many[std::size_t(i)].counts);
        }
    }
}

TEST(Recording, SpikeBufferIsBoundedAndCountsDrops) {
    NetworkSpec s;
    s.populations = {population("n", 4, "IF", {{"Vthr", 1.0}})};
    s.populations[0].record.spikes = true;
    BackendOptions o;
    o.spikeCapacity = 10;
    auto b = createBackend("cpu", compileNetwork(s, "."), o);
    b->setInputCurrent(0, 0, std::vector<float>{1, 1, 1, 1});
    b->advance(5);  // 20 spikes
    const auto& log = b->spikes(0, 0);
    EXPECT_EQ(log.total(), 20u);
    EXPECT_EQ(log.dropped(), 10u);
    const auto kept = log.all();
    ASSERT_EQ(kept.size(), 10u);
    EXPECT_EQ(kept.front(), (SpikeEvent{2, 2}));
    EXPECT_EQ(kept.back(), (SpikeEvent{4, 3}));
    EXPECT_EQ(log.since(18).size(), 2u);
    EXPECT_TRUE(log.since(20).empty());
    b->clearRecordings();
    EXPECT_EQ(b->spikes(0, 0).total(), 0u);
}

TEST(Recording, StateSamplesFollowTheRecordedNeurons) {
    NetworkSpec s;
    s.populations = {population("n", 3, "IF", {{"Vthr", 100.0}})};
    s.populations[0].record.variables = {"V"};
    s.populations[0].record.neurons = {2, 0};
    auto b = cpuBackend(s);
    b->setInputCurrent(0, 0, std::vector<float>{1, 2, 3});
    b->advance(2);
    const auto samples = b->states(0, "V", 0).all();
    ASSERT_EQ(samples.size(), 2u);
    EXPECT_EQ(samples[1].step, 1);
    EXPECT_EQ(samples[1].values, (std::vector<float>{6, 2}));
}

TEST(Recording, ProbesCanChangeWhileRunning) {
    NetworkSpec s;
    s.populations = {population("n", 3, "IF", {{"Vthr", 100.0}})};
    auto b = cpuBackend(s, 2);
    b->setInputCurrent(0, 0, std::vector<float>{1, 2, 3});
    b->setInputCurrent(0, 1, std::vector<float>{10, 20, 30});
    b->advance(2);
    EXPECT_THROW(b->states(0, "V", 0), Error);  // nothing sampled yet

    b->setStateRecording(0, {"V"}, {1});
    b->advance(2);
    auto samples = b->states(0, "V", 1).all();
    ASSERT_EQ(samples.size(), 2u);
    EXPECT_EQ(samples[0].step, 2);
    EXPECT_EQ(samples[0].values, (std::vector<float>{60}));
    EXPECT_EQ(samples[1].values, (std::vector<float>{80}));

    // A new choice restarts the log; empty neurons means all of them.
    b->setStateRecording(0, {"V"}, {});
    b->advance(1);
    samples = b->states(0, "V", 0).all();
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_EQ(samples[0].step, 4);
    EXPECT_EQ(samples[0].values, (std::vector<float>{5, 10, 15}));

    b->setStateRecording(0, {}, {});
    EXPECT_THROW(b->states(0, "V", 0), Error);
}

TEST(Recording, BadProbesAreRefusedAndChangeNothing) {
    NetworkSpec s;
    s.populations = {population("hidden", 3, "IF")};
    s.populations[0].record.variables = {"V"};
    s.populations[0].record.neurons = {0};
    auto b = cpuBackend(s);
    EXPECT_CONTAINS(errorOf([&] { b->setStateRecording(0, {"U"}, {0}); }),
                    "population \"hidden\" has no state variable \"U\"");
    EXPECT_CONTAINS(errorOf([&] { b->setStateRecording(0, {"V"}, {3}); }),
                    "population \"hidden\": neuron 3 out of range (size 3)");
    b->advance(1);
    EXPECT_EQ(b->states(0, "V", 0).all().at(0).values.size(), 1u);
}

TEST(Weights, ReadWeightsReturnsTheSynapseMatrixInOrder) {
    NetworkSpec s;
    s.populations = {population("a", 2, "IF"), population("b", 3, "IF")};
    s.projections = {projection("ab", "a", "b", inlineWeights({1, 2, 3, 4, 5, 6}))};
    auto b = cpuBackend(s);
    std::vector<float> w(6);
    b->readWeights(0, 0, w);
    EXPECT_EQ(w, (std::vector<float>{1, 2, 3, 4, 5, 6}));
    std::vector<float> wrongSize(5);
    EXPECT_THROW(b->readWeights(0, 0, wrongSize), InternalError);
    EXPECT_THROW(b->readWeights(0, 1, w), InternalError);   // one batch copy
    EXPECT_THROW(b->readWeights(1, 0, w), InternalError);   // one projection
}

TEST(Recording, RingBufferKeepsTheNewestAcrossWrapAround) {
    RingBuffer<int> ring(5);
    std::vector<int> seen;
    for (int v = 0; v < 13; ++v) {
        ring.push(v);
        // Reading in pieces sees every value once, in order, across the wrap.
        if (v % 3 == 2) {
            ring.appendSince(seen.size(), seen);
        }
    }
    ring.appendSince(seen.size(), seen);
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
    EXPECT_EQ(ring.all(), (std::vector<int>{8, 9, 10, 11, 12}));
    EXPECT_EQ(ring.since(10), (std::vector<int>{10, 11, 12}));
    EXPECT_EQ(ring.dropped(), 8u);
    ring.clear();
    EXPECT_TRUE(ring.all().empty());
    ring.push(42);
    EXPECT_EQ(ring.all(), (std::vector<int>{42}));

    RingBuffer<int> none(0);  // counts but keeps nothing
    none.push(1);
    EXPECT_EQ(none.total(), 1u);
    EXPECT_TRUE(none.all().empty());
}

TEST(Inputs, OverfullSpikeTrainStepsAreRefused) {
    // A step with more spikes than neurons would overrun the spike history; refused, named.
    NetworkSpec s;
    s.populations = {population("in", 4, "SpikeSource")};
    auto b = cpuBackend(s);
    SpikeTrain crowded;
    crowded.steps = 1;
    crowded.inputs.assign(5, 1u);
    crowded.stepStart = {0, 5};
    EXPECT_CONTAINS(errorOf([&] { b->setInputSpikes(0, 0, crowded); }),
                    "population \"in\": 5 input spikes at step 0 but it has 4 neurons");
    SpikeTrain fine;
    fine.steps = 1;
    fine.inputs = {1, 3};
    fine.stepStart = {0, 2};
    b->setInputSpikes(0, 0, fine);
    b->advance(1);
    EXPECT_EQ(counts(*b, 0), (std::vector<std::uint32_t>{0, 1, 0, 1}));
}
