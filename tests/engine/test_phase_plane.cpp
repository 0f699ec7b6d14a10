// Phase planes (spikelab/phase_plane.h) computed from the model's own code, against closed
// forms: Izhikevich's nullclines u = 0.04 V^2 + 5 V + 140 + I and u = b V, its fixed points
// where 0.04 V^2 + (5 - b) V + 140 + I = 0, and their stability.
#include "spikelab/error.h"
#include "spikelab/phase_plane.h"
#include "spikelab/stimulus.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spikelab;
using namespace spikelab::test;

namespace {
const ParamValues kRegularSpiking = {{"a", 0.02}, {"b", 0.2}, {"c", -65.0}, {"d", 8.0}};
}

TEST(PhasePlane, IzhikevichNullclinesAreTheClosedForms) {
    for (const double current : {0.0, 4.0, 10.0}) {
        const PhasePlane plane("Izhikevich", kRegularSpiking, "V", "U", current);
        std::vector<double> vs;
        for (double v = -80; v <= -30; v += 2.5) vs.push_back(v);
        const auto vNull = plane.nullcline(true, vs, -100, 100);
        const auto uNull = plane.nullcline(false, vs, -100, 100);
        for (std::size_t i = 0; i < vs.size(); ++i) {
            const double v = vs[i];
            EXPECT_NEAR(vNull[i], 0.04 * v * v + 5 * v + 140 + current, 1e-4) << "I = " << current << ", V = " << v;
            EXPECT_NEAR(uNull[i], 0.2 * v, 1e-4) << "I = " << current << ", V = " << v;
        }
        // Outside the range searched there is no crossing.
        EXPECT_TRUE(std::isnan(plane.nullcline(true, {-70.0}, 50, 100)[0]));
    }
}

TEST(PhasePlane, IzhikevichFixedPointsAndTheirStability) {
    // I = 0: rest at V = -70 (stable) and the threshold's saddle at V = -50.
    const PhasePlane rest("Izhikevich", kRegularSpiking, "V", "U", 0.0);
    const auto points = rest.fixedPoints(-90, -30, -40, 10);
    ASSERT_EQ(points.size(), 2u);
    EXPECT_NEAR(points[0].x, -70.0, 1e-5);
    EXPECT_NEAR(points[0].y, -14.0, 1e-3);
    EXPECT_EQ(points[0].kind, "stable node");
    EXPECT_NEAR(points[1].x, -50.0, 1e-5);
    EXPECT_NEAR(points[1].y, -10.0, 1e-3);
    EXPECT_EQ(points[1].kind, "saddle");
    // Jacobian [[0.08 V + 5, -1], [a b, -a]]: trace and determinant at V = -70.
    EXPECT_NEAR(points[0].trace, 0.08 * -70 + 5 - 0.02, 1e-3);
    EXPECT_NEAR(points[0].determinant, (0.08 * -70 + 5) * -0.02 + 0.02 * 0.2, 1e-4);

    // With I = 3 the two come closer: V = (-(5 - b) +- sqrt((5 - b)^2 - 0.16 (140 + I))) / 0.08,
    // -65 and -55.
    const PhasePlane driven("Izhikevich", kRegularSpiking, "V", "U", 3.0);
    const auto moved = driven.fixedPoints(-90, -30, -40, 10);
    ASSERT_EQ(moved.size(), 2u);
    const double root = std::sqrt(4.8 * 4.8 - 0.16 * 143.0);
    EXPECT_NEAR(moved[0].x, (-4.8 - root) / 0.08, 1e-3);
    EXPECT_NEAR(moved[1].x, (-4.8 + root) / 0.08, 1e-3);
    EXPECT_EQ(moved[0].kind, "stable node");
    EXPECT_EQ(moved[1].kind, "saddle");
    // Past the saddle-node (I > 4.8^2 / 0.16 - 140 = 4): no fixed point, the cell fires.
    EXPECT_TRUE(PhasePlane("Izhikevich", kRegularSpiking, "V", "U", 5.0).fixedPoints(-90, -30, -40, 10).empty());
}

// AdEx (its defaults, Brette & Gerstner's cell), V-w: w = -gL (V - EL) + gL DeltaT e^((V - VT) /
// DeltaT) + I and w = a (V - EL).
TEST(PhasePlane, AdExNullclinesAreTheClosedForms) {
    const double gL = 0.03, EL = -70.6, VT = -50.4, DeltaT = 2.0, a = 0.004, current = 0.5;
    const PhasePlane plane("AdEx", {}, "V", "w", current);
    std::vector<double> vs;
    for (double v = -80; v <= -45; v += 5) vs.push_back(v);
    const auto vNull = plane.nullcline(true, vs, -5, 5);
    const auto wNull = plane.nullcline(false, vs, -5, 5);
    for (std::size_t i = 0; i < vs.size(); ++i) {
        const double v = vs[i];
        EXPECT_NEAR(vNull[i], -gL * (v - EL) + gL * DeltaT * std::exp((v - VT) / DeltaT) + current, 1e-6) << v;
        EXPECT_NEAR(wNull[i], a * (v - EL), 1e-6) << v;
    }
}

TEST(PhasePlane, FitzHughNagumoRestsThenOscillatesAroundALimitCycle) {
    // Nullclines W = V - V^3 / 3 + I and W = (V + a) / b (a 0.7, b 0.8, tau 12.5).
    for (const double current : {0.0, 0.5}) {
        const PhasePlane plane("FitzHughNagumo", {}, "V", "W", current);
        const std::vector<double> vs = {-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5};
        const auto vNull = plane.nullcline(true, vs, -5, 5);
        const auto wNull = plane.nullcline(false, vs, -5, 5);
        for (std::size_t i = 0; i < vs.size(); ++i) {
            EXPECT_NEAR(vNull[i], vs[i] - vs[i] * vs[i] * vs[i] / 3 + current, 1e-5) << "V = " << vs[i];
            EXPECT_NEAR(wNull[i], (vs[i] + 0.7) / 0.8, 1e-5) << "V = " << vs[i];
        }
    }
    // At no input one fixed point, the declared initial state, stable; at 0.5 one unstable
    // point, and the neuron fires periodically (the limit cycle).
    const auto rest = PhasePlane("FitzHughNagumo", {}, "V", "W", 0.0).fixedPoints(-2.5, 2.5, -2, 2);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_NEAR(rest[0].x, -1.199408, 1e-4);
    EXPECT_NEAR(rest[0].y, -0.624260, 1e-4);
    EXPECT_EQ(rest[0].kind.rfind("stable", 0), 0u) << rest[0].kind;
    const auto driven = PhasePlane("FitzHughNagumo", {}, "V", "W", 0.5).fixedPoints(-2.5, 2.5, -2, 2);
    ASSERT_EQ(driven.size(), 1u);
    EXPECT_EQ(driven[0].kind.rfind("unstable", 0), 0u) << driven[0].kind;

    NeuronResponseSettings settings;
    settings.model = "FitzHughNagumo";
    settings.stimulus = parseStimulus("step(amplitude=0.5, onset=0, duration=400)");
    settings.duration = 400;
    const auto firing = neuronResponse(settings);
    ASSERT_GE(firing.spikes.size(), 5u);
    // Periodic: the intervals between the later spikes agree to a step or two.
    const auto n = firing.spikes.size();
    EXPECT_NEAR(double(firing.spikes[n - 1] - firing.spikes[n - 2]), double(firing.spikes[n - 2] - firing.spikes[n - 3]), 2.0);
    settings.stimulus = parseStimulus("step(amplitude=0, onset=0, duration=400)");
    EXPECT_TRUE(neuronResponse(settings).spikes.empty());
}

TEST(PhasePlane, BadSettingsAreRefusedByName) {
    EXPECT_CONTAINS(errorOf([] { PhasePlane("Izhikevich", {}, "V", "W", 0.0); }),
                    "\"W\" is not a state variable of \"Izhikevich\"");
    EXPECT_CONTAINS(errorOf([] { PhasePlane("Izhikevich", {}, "V", "V", 0.0); }), "x and y are both \"V\"");
    EXPECT_CONTAINS(errorOf([] { PhasePlane("SpikeSource", {}, "V", "U", 0.0); }), "is a spike source");
    EXPECT_CONTAINS(errorOf([] { PhasePlane("Izhikevich", {{"q", 1.0}}, "V", "U", 0.0); }), "\"q\"");
    EXPECT_CONTAINS(errorOf([] { PhasePlane("Izhikevich", {}, "V", "U", 0.0, 0.0); }), "dt 0 ms must be > 0");
}
