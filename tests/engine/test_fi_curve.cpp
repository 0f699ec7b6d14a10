// f-I curves (spikelab/fi_curve.h): the LIF model's simulated rate against the analytic one in
// the book's normalised units, the soft LIF rate, and the checks on bad settings.
#include "spikelab/error.h"
#include "spikelab/fi_curve.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// The book's LIF (Neuromorphic Engineering's point-neuron chapter, as Nengo's): tau = R C = 5 ms,
// t_ref = 10 ms, V_th = 1, rest and reset 0, input as R I; with C = 1 nF, R = 5 MOhm, so
// R I = x is a current of x / 5 nA.
const ParamValues kBookLif = {{"C", 1.0},      {"TauM", 5.0},   {"Vrest", 0.0},    {"Vreset", 0.0},
                              {"Vthresh", 1.0}, {"Ioffset", 0.0}, {"TauRefrac", 10.0}};

double bookRate(double x) { return 1000.0 / (10.0 + 5.0 * std::log(1.0 + 1.0 / (x - 1.0))); }

} // namespace

// Simulated at dt = 0.01 ms for 1 s, the LIF rate is the analytic r(x) = 1 / (t_ref + tau ln(1 +
// V_th / (x - V_th))) within 1% on a grid of x from 1.05 to 3, and 0 at and below V_th.
TEST(FiCurve, LifAgreesWithTheAnalyticRateWithinOnePercent) {
    FiCurveSettings settings;
    settings.model = "LIF";
    settings.params = kBookLif;
    settings.initial = {{"V", 0.0}};  // at rest
    settings.dt = 0.01;
    settings.duration = 1000.0;
    std::vector<double> xs = {0.0, 0.5, 0.99};
    for (double x = 1.05; x <= 3.0 + 1e-9; x += 0.05) xs.push_back(x);
    for (double x : xs) settings.currents.push_back(x / 5.0);
    const std::vector<FiPoint> points = fiCurve(settings);
    ASSERT_EQ(points.size(), xs.size());
    double worst = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double analytic = lifRate(kBookLif, settings.currents[i]);
        if (xs[i] <= 1.0) {
            EXPECT_EQ(points[i].spikes, 0) << "x = " << xs[i];
            EXPECT_EQ(analytic, 0.0);
            continue;
        }
        EXPECT_NEAR(analytic, bookRate(xs[i]), 1e-9 * analytic) << "lifRate is the textbook formula";
        ASSERT_GE(points[i].spikes, 5) << "x = " << xs[i];
        const double error = std::abs(points[i].rate - analytic) / analytic;
        worst = std::max(worst, error);
        EXPECT_LT(error, 0.01) << "x = " << xs[i] << ": simulated " << points[i].rate << " Hz, analytic " << analytic;
    }
    std::printf("LIF f-I at dt 0.01 ms: largest difference from the analytic rate %.3f%% over %zu currents\n",
                100 * worst, xs.size());
    // At x = 3 the rate is 1 / (10 + 5 ln 1.5) ms.
    EXPECT_NEAR(points.back().rate, 1000.0 / (10.0 + 5.0 * std::log(1.5)), 0.5);
    // The first spike comes after the time to threshold from rest: 5 ln 1.5 ms at x = 3.
    EXPECT_NEAR(points.back().firstSpikeMs, 5.0 * std::log(1.5), 0.02);
}

// The soft LIF (rho(x) = lambda ln(1 + e^(x / lambda)) for the drive above threshold) is
// positive below the threshold, rises smoothly through it, and becomes the LIF rate above it.
TEST(FiCurve, SoftLifIsSmoothAndMeetsTheLifRate) {
    const double lambda = 0.05;
    double previous = 0;
    for (double x = 0.5; x <= 3.0; x += 0.01) {
        const double soft = softLifRate(kBookLif, x / 5.0, lambda);
        EXPECT_GT(soft, previous) << "x = " << x << ": increasing";
        previous = soft;
    }
    EXPECT_GT(softLifRate(kBookLif, 0.99 / 5.0, lambda), 0.0);
    EXPECT_EQ(lifRate(kBookLif, 0.99 / 5.0), 0.0);
    EXPECT_NEAR(softLifRate(kBookLif, 3.0 / 5.0, lambda), lifRate(kBookLif, 3.0 / 5.0), 1e-6);
    // At the threshold itself rho = lambda ln 2: rate 1 / (t_ref + tau ln(1 + 1 / (lambda ln 2))).
    EXPECT_NEAR(softLifRate(kBookLif, 1.0 / 5.0, lambda), 1000.0 / (10.0 + 5.0 * std::log1p(1.0 / (lambda * std::log(2.0)))),
                1e-9);
    // Huge drives do not overflow.
    EXPECT_TRUE(std::isfinite(softLifRate(kBookLif, 1e6, lambda)));
    EXPECT_CONTAINS(errorOf([] { softLifRate(kBookLif, 1.0, 0.0); }), "lambda 0 must be > 0");
}

// Other models: the curve is the simulated one (Izhikevich's regular spiking cell fires
// faster with more current), and every bad setting is refused with its value.
TEST(FiCurve, AnyModelAndBadSettingsAreRefusedByName) {
    FiCurveSettings settings;
    settings.model = "Izhikevich";
    settings.currents = {0.0, 5.0, 10.0, 20.0};
    settings.dt = 0.1;
    settings.duration = 500.0;
    const auto points = fiCurve(settings);
    EXPECT_EQ(points[0].spikes, 0);
    EXPECT_GT(points[2].rate, points[1].rate);
    EXPECT_GT(points[3].rate, points[2].rate);

    const auto refused = [](FiCurveSettings s) { return errorOf([&] { fiCurve(s); }); };
    FiCurveSettings bad = settings;
    bad.model = "Lif";
    EXPECT_CONTAINS(refused(bad), "unknown neuron model \"Lif\"");
    bad.model = "SpikeSource";
    EXPECT_CONTAINS(refused(bad), "model \"SpikeSource\" is a spike source");
    bad = settings;
    bad.params = {{"TauM", 5.0}};
    EXPECT_CONTAINS(refused(bad), "TauM");
    bad = settings;
    bad.initial = {{"W", 1.0}};
    EXPECT_CONTAINS(refused(bad), "\"W\"");
    bad = settings;
    bad.currents.clear();
    EXPECT_CONTAINS(refused(bad), "no currents given");
    bad.currents = {1.0, std::nan("")};
    EXPECT_CONTAINS(refused(bad), "current nan is not a number");
    bad = settings;
    bad.dt = 0;
    EXPECT_CONTAINS(refused(bad), "dt 0 ms must be > 0");
    bad = settings;
    bad.duration = -1;
    EXPECT_CONTAINS(refused(bad), "duration -1 ms must be > 0");
    bad = settings;
    bad.dt = 1e-5;
    bad.duration = 1e3;
    EXPECT_CONTAINS(refused(bad), "more than 10000000 steps");
    bad = settings;
    bad.currents.assign(10001, 1.0);
    EXPECT_CONTAINS(refused(bad), "10001 currents; at most 10000");
}
