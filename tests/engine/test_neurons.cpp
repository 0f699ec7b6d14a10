// IF and LIF step by step against hand-computed values, LIF against its closed form,
// refractoriness, parameter validation.
#include "spec_builders.h"
#include "spikelab/error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spikelab;
using namespace spikelab::test;

namespace {
NetworkSpec single(const PopulationSpec& p) {
    NetworkSpec s;
    s.populations = {p};
    return s;
}
} // namespace

TEST(IF, IntegratesWithoutLeakAndResetsToZero) {
    auto b = cpuBackend(single(population("n", 3, "IF", {{"Vthr", 5.0}})));
    const std::vector<float> current = {2.0f, 1.5f, 5.0f};
    b->setInputCurrent(0, 0, current);
    // Neuron 0: 2, 4, 6 -> spike at step 2 (V=0), then 2, 4.
    const std::vector<std::vector<float>> expectedV = {
        {2.0f, 1.5f, 0.0f}, {4.0f, 3.0f, 0.0f}, {0.0f, 4.5f, 0.0f}, {2.0f, 0.0f, 0.0f}, {4.0f, 1.5f, 0.0f}};
    for (const auto& v : expectedV) {
        b->advance(1);
        EXPECT_EQ(state(*b, 0, "V"), v);
    }
    EXPECT_EQ(counts(*b, 0), (std::vector<std::uint32_t>{1, 1, 5}));
    std::vector<float> sc(3);
    b->readState(0, "SpikeCount", 0, sc);
    EXPECT_EQ(sc, (std::vector<float>{1, 1, 5}));
}

TEST(IF, ThresholdIsInclusive) {
    auto b = cpuBackend(single(population("n", 1, "IF", {{"Vthr", 1.0}})));
    b->setInputCurrent(0, 0, std::vector<float>{1.0f});
    b->advance(1);
    EXPECT_EQ(counts(*b, 0)[0], 1u);
}

TEST(LIF, FirstStepsMatchHandComputedValues) {
    // C 1 nF, TauM 20 ms, dt 1 ms, Vrest -65, input 1 nA: V -> Vrest + 20 mV.
    auto spec = single(population("n", 1, "LIF",
                                  {{"C", 1.0}, {"TauM", 20.0}, {"Vrest", -65.0}, {"Vreset", -70.0},
                                   {"Vthresh", -50.0}, {"Ioffset", 0.0}, {"TauRefrac", 2.0}},
                                  {{"V", -65.0}}));
    auto b = cpuBackend(spec);
    b->setInputCurrent(0, 0, std::vector<float>{1.0f});
    const double a = std::exp(-1.0 / 20.0);
    double v = -65.0;
    for (int step = 0; step < 10; ++step) {
        b->advance(1);
        v = a * v + (1 - a) * (-65.0 + 20.0 * 1.0);
        EXPECT_NEAR(state(*b, 0, "V")[0], v, 1e-4) << "step " << step;
    }
}

TEST(LIF, MatchesClosedFormBelowThreshold) {
    // V(t) = V_inf + (V0 - V_inf) exp(-t/TauM) with V_inf = Vrest + R*I (exact for constant I).
    auto spec = single(population("n", 2, "LIF",
                                  {{"C", 0.5}, {"TauM", 10.0}, {"Vrest", -60.0}, {"Vthresh", 0.0},
                                   {"Ioffset", 0.2}},
                                  {{"V", -70.0}}));
    spec.experiment.dt = 0.1;
    auto b = cpuBackend(spec);
    b->setInputCurrent(0, 0, std::vector<float>{0.3f, 0.0f});
    const double tauM = 10.0, R = tauM / 0.5;
    const double vInf0 = -60.0 + R * (0.3 + 0.2), vInf1 = -60.0 + R * 0.2;
    for (int k = 1; k <= 1000; ++k) {
        b->advance(1);
        if (k % 100) continue;
        const double t = k * 0.1;
        const auto v = state(*b, 0, "V");
        EXPECT_NEAR(v[0], vInf0 + (-70.0 - vInf0) * std::exp(-t / tauM), 2e-3) << "t=" << t;
        EXPECT_NEAR(v[1], vInf1 + (-70.0 - vInf1) * std::exp(-t / tauM), 2e-3) << "t=" << t;
    }
}

TEST(LIF, RefractoryPeriodHoldsVoltageAndBlocksSpikes) {
    // Strong input: spikes whenever allowed. TauRefrac 3 ms at dt 1 ms means three steps
    // without integration after each spike (count down 3 -> 2 -> 1 -> 0, spike-free while > 0,
    // then a step at 0 that may fire only if V >= Vthresh, which Vreset is not).
    auto spec = single(population("n", 1, "LIF",
                                  {{"C", 1.0}, {"TauM", 10.0}, {"Vrest", 0.0}, {"Vreset", 0.0},
                                   {"Vthresh", 1.0}, {"TauRefrac", 3.0}},
                                  {{"V", 0.0}}));
    auto b = cpuBackend(spec);
    b->setInputCurrent(0, 0, std::vector<float>{100.0f});
    std::vector<int> spikeSteps;
    for (int t = 0; t < 20; ++t) {
        const auto before = counts(*b, 0)[0];
        b->advance(1);
        const auto r = state(*b, 0, "RefracTime")[0];
        if (counts(*b, 0)[0] > before) {
            spikeSteps.push_back(t);
            EXPECT_FLOAT_EQ(state(*b, 0, "V")[0], 0.0f);
            EXPECT_FLOAT_EQ(r, 3.0f);
        }
    }
    // Spike at 0; refractory steps 1, 2, 3 (RefracTime 2, 1, 0); step 4 integrates and fires.
    EXPECT_EQ(spikeSteps, (std::vector<int>{0, 4, 8, 12, 16}));
}

TEST(LIF, ZeroRefractoryAllowsSpikeEveryStep) {
    auto spec = single(population("n", 1, "LIF",
                                  {{"Vrest", 0.0}, {"Vreset", 0.0}, {"Vthresh", 1.0},
                                   {"TauRefrac", 0.0}},
                                  {{"V", 0.0}}));
    auto b = cpuBackend(spec);
    b->setInputCurrent(0, 0, std::vector<float>{1000.0f});
    b->advance(10);
    EXPECT_EQ(counts(*b, 0)[0], 10u);
}

TEST(Params, InvalidValuesAreRejectedWithTheirName) {
    auto spec = single(population("hid", 4, "LIF", {{"TauM", 0.0}}));
    try {
        compileNetwork(spec, ".");
        FAIL() << "TauM 0 accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("population \"hid\": parameter TauM = 0 must be > 0"),
                  std::string::npos)
            << e.what();
    }
    spec.populations[0].params = {{"Vthr", 1.0}};
    EXPECT_THROW(compileNetwork(spec, "."), Error);
    spec.populations[0].params = {{"C", std::nan("")}};
    EXPECT_THROW(compileNetwork(spec, "."), Error);
    spec.populations[0].params = {};
    spec.populations[0].model = "Izhikevich2";
    EXPECT_THROW(compileNetwork(spec, "."), Error);
}

TEST(Params, SetParamAppliesFromTheNextStepAndValidates) {
    auto b = cpuBackend(single(population("n", 1, "IF", {{"Vthr", 10.0}})));
    b->setInputCurrent(0, 0, std::vector<float>{3.0f});
    b->advance(2);  // V = 6
    EXPECT_EQ(counts(*b, 0)[0], 0u);
    b->setParam(0, "Vthr", 8.0);
    b->advance(1);  // V = 9 >= 8
    EXPECT_EQ(counts(*b, 0)[0], 1u);
    EXPECT_THROW(b->setParam(0, "Vthr", std::nan("")), Error);
    EXPECT_THROW(b->setParam(0, "Vthresh", 1.0), Error);
    EXPECT_DOUBLE_EQ(b->network().populations[0].param("Vthr"), 8.0);
}
