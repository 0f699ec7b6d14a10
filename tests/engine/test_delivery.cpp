// Spike delivery: a spike at step t reaches its target at t + 1 + delay; DeltaCurr and
// ExpCurr; dense, one-to-one, sparse and fixed-probability connectivity give the same result
// for the same synapses.
#include "spec_builders.h"
#include "spikelab/error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spikelab;
using namespace spikelab::test;

namespace {
// A driver IF neuron that fires exactly once at step 0 (input 10 >= Vthr 10 once, then the
// current is removed), feeding a target IF neuron with a huge threshold so we can read the
// delivered input from its V.
NetworkSpec relay(std::int64_t delay, const std::string& psm = "DeltaCurr", ParamValues psmParams = {}) {
    NetworkSpec s;
    s.populations = {population("pre", 1, "IF", {{"Vthr", 10.0}}),
                     population("post", 1, "IF", {{"Vthr", 1e9}})};
    s.projections = {projection("p", "pre", "post", constantWeight(2.5), ConnectivityType::Dense, delay)};
    s.projections[0].postsynaptic = {psm, psmParams};
    return s;
}

std::vector<float> postTrace(Backend& b, int steps) {
    b.setInputCurrent(0, 0, std::vector<float>{10.0f});
    std::vector<float> trace;
    for (int t = 0; t < steps; ++t) {
        b.advance(1);
        if (t == 0) b.setInputCurrent(0, 0, std::vector<float>{0.0f});
        trace.push_back(state(b, 1, "V")[0]);
    }
    return trace;
}
} // namespace

TEST(Delivery, ZeroDelayArrivesAtTheNextStep) {
    auto b = cpuBackend(relay(0));
    EXPECT_EQ(postTrace(*b, 4), (std::vector<float>{0.0f, 2.5f, 2.5f, 2.5f}));
}

class DelayedDelivery : public ::testing::TestWithParam<int> {};

TEST_P(DelayedDelivery, ArrivesAfterDelayPlusOneSteps) {
    const int d = GetParam();
    auto b = cpuBackend(relay(d));
    const auto trace = postTrace(*b, d + 4);
    for (int t = 0; t < d + 4; ++t) EXPECT_EQ(trace[std::size_t(t)], t >= d + 1 ? 2.5f : 0.0f) << "t=" << t;
}

INSTANTIATE_TEST_SUITE_P(Delays, DelayedDelivery, ::testing::Values(1, 2, 5, 17));

TEST(Delivery, ResetStateDropsSpikesInFlight) {
    auto b = cpuBackend(relay(3));
    b->setInputCurrent(0, 0, std::vector<float>{10.0f});
    b->advance(1);  // spike emitted, due at step 4
    b->clearInputs();
    b->resetState();
    b->advance(6);
    EXPECT_EQ(state(*b, 1, "V")[0], 0.0f);
    EXPECT_EQ(counts(*b, 0)[0], 0u);
}

TEST(Delivery, ExpCurrFiltersWithGeNNsScaling) {
    const double tau = 5.0;
    auto b = cpuBackend(relay(0, "ExpCurr", {{"tau", tau}}));
    const auto trace = postTrace(*b, 6);
    const double decay = std::exp(-1.0 / tau), init = tau * (1 - decay);
    double v = 0.0, inSyn = 0.0;
    for (int t = 0; t < 6; ++t) {
        if (t == 1) inSyn += 2.5;
        v += init * inSyn;
        inSyn *= decay;
        EXPECT_NEAR(trace[std::size_t(t)], v, 1e-5) << "t=" << t;
    }
}

TEST(Delivery, AllConnectivityTypesDeliverTheSameSynapses) {
    // 4 -> 4 with synapses i -> i (weight i+1) plus 0 -> 3 (weight 10).
    const std::vector<double> dense = {1, 0, 0, 10, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4};
    auto build = [&](ProjectionSpec j) {
        NetworkSpec s;
        s.populations = {population("pre", 4, "IF", {{"Vthr", 1.0}}),
                         population("post", 4, "IF", {{"Vthr", 1e9}})};
        j.name = "p";
        j.source = "pre";
        j.target = "post";
        s.projections = {j};
        auto b = cpuBackend(s);
        b->setInputCurrent(0, 0, std::vector<float>{1, 1, 1, 1});
        b->advance(3);  // pre fires at steps 0, 1, 2; two deliveries so far
        return state(*b, 1, "V");
    };
    const auto fromDense = build(projection("", "", "", inlineWeights(dense)));
    EXPECT_EQ(fromDense, (std::vector<float>{2, 4, 6, 28}));
    ProjectionSpec sparse = projection("", "", "", inlineWeights({10, 1, 2, 3, 4}), ConnectivityType::Sparse);
    sparse.connectivity.pre = {0, 0, 1, 2, 3};
    sparse.connectivity.post = {3, 0, 1, 2, 3};
    EXPECT_EQ(build(sparse), fromDense);
    // one-to-one drops the 0 -> 3 synapse.
    auto oneToOne = build(projection("", "", "", inlineWeights({1, 2, 3, 4}), ConnectivityType::OneToOne));
    EXPECT_EQ(oneToOne, (std::vector<float>{2, 4, 6, 8}));
    // fixed probability 1 is all-to-all.
    ProjectionSpec all = projection("", "", "", constantWeight(0.5), ConnectivityType::FixedProbability);
    all.connectivity.probability = 1.0;
    EXPECT_EQ(build(all), (std::vector<float>{4, 4, 4, 4}));
}

TEST(Delivery, FixedProbabilityIsSeededAndHasTheRightDensity) {
    ProjectionSpec j = projection("p", "a", "b", constantWeight(1.0), ConnectivityType::FixedProbability);
    j.connectivity.probability = 0.1;
    j.connectivity.seed = 42;
    const auto m1 = buildSynapses(j, 1000, 1000, ".");
    const auto m2 = buildSynapses(j, 1000, 1000, ".");
    EXPECT_EQ(m1.targets, m2.targets);
    EXPECT_NEAR(double(m1.synapseCount()) / 1e6, 0.1, 0.003);
    j.connectivity.seed = 43;
    EXPECT_NE(buildSynapses(j, 1000, 1000, ".").targets, m1.targets);
    for (std::int64_t i = 0; i < 1000; ++i)
        for (auto k = m1.rowStart[std::size_t(i)] + 1; k < m1.rowStart[std::size_t(i) + 1]; ++k)
            ASSERT_LT(m1.targets[std::size_t(k - 1)], m1.targets[std::size_t(k)]);
}

TEST(Delivery, SparseDuplicatesAndBadIndicesAreErrors) {
    NetworkSpec s;
    s.populations = {population("a", 2, "IF"), population("b", 2, "IF")};
    ProjectionSpec j = projection("p", "a", "b", inlineWeights({1, 1}), ConnectivityType::Sparse);
    j.connectivity.pre = {0, 0};
    j.connectivity.post = {1, 1};
    s.projections = {j};
    EXPECT_THROW(compileNetwork(s, "."), Error);
    s.projections[0].connectivity.post = {1, 2};
    try {
        compileNetwork(s, ".");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("synapse 1 has post index 2 outside 0..1"), std::string::npos)
            << e.what();
    }
}

TEST(Delivery, RecurrentProjectionFeedsBackNextStep) {
    NetworkSpec s;
    s.populations = {population("r", 2, "IF", {{"Vthr", 1.0}})};
    s.projections = {projection("loop", "r", "r", inlineWeights({0, 1, 1, 0}))};
    auto b = cpuBackend(s);
    b->setInputCurrent(0, 0, std::vector<float>{1.0f, 0.0f});
    b->advance(1);  // neuron 0 fires
    b->clearInputs();
    b->advance(1);  // neuron 1 receives 1 and fires
    b->advance(1);  // neuron 0 receives 1 and fires
    EXPECT_EQ(counts(*b, 0), (std::vector<std::uint32_t>{2, 1}));
}
