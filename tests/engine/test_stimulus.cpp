// Stimuli for single neurons (spikelab/stimulus.h): each kind of part gives the current its
// formula says at the start of each step, parts add up, the text form reads back, bad text is
// refused with the part and the setting, the noise has the standard deviation and correlation
// time asked for and repeats for a seed, and a neuron's response is the engine's LIF update
// under that current, with the f-I curve's spikes under a constant one.
#include "test_support.h"

#include "spikelab/error.h"
#include "spikelab/fi_curve.h"
#include "spikelab/stimulus.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace spikelab;

namespace {

std::vector<double> currents(const std::string& text, double dt, std::int64_t steps) {
    return stimulusCurrents(parseStimulus(text), dt, steps);
}

std::string errorOf(const std::string& text) {
    try {
        parseStimulus(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(Stimulus, EachPartGivesItsFormulaAtTheStartOfEachStep) {
    const auto step = currents("step(amplitude=0.5, onset=10, duration=50)", 1.0, 100);
    for (int n = 0; n < 100; ++n) EXPECT_EQ(step[n], n >= 10 && n < 60 ? 0.5 : 0.0) << n;
    const auto ramp = currents("ramp(amplitude=2, onset=4, duration=8)", 1.0, 20);
    EXPECT_EQ(ramp[3], 0.0);
    EXPECT_EQ(ramp[4], 0.0);
    EXPECT_EQ(ramp[8], 1.0);
    EXPECT_EQ(ramp[11], 1.75);
    EXPECT_EQ(ramp[12], 2.0);  // risen, and it stays
    EXPECT_EQ(ramp[19], 2.0);
    // 100 Hz: a pulse of 2 ms every 10 ms.
    const auto pulses = currents("pulses(amplitude=3, frequency=100, width=2)", 1.0, 25);
    for (int n = 0; n < 25; ++n) EXPECT_EQ(pulses[n], n % 10 < 2 ? 3.0 : 0.0) << n;
    // 250 Hz at dt 1 ms: a quarter period per step.
    const auto sine = currents("sine(amplitude=2, frequency=250, phase=90)", 1.0, 4);
    EXPECT_NEAR(sine[0], 2.0, 1e-12);
    EXPECT_NEAR(sine[1], 0.0, 1e-12);
    EXPECT_NEAR(sine[2], -2.0, 1e-12);
    // A number is a constant current; parts add up.
    const auto sum = currents("0.25 + step(amplitude=1, onset=2)", 1.0, 4);
    EXPECT_EQ(sum, (std::vector<double>{0.25, 0.25, 1.25, 1.25}));
    EXPECT_EQ(currents("step(amplitude=1, duration=0)", 1.0, 3), (std::vector<double>{0, 0, 0}));
}

TEST(Stimulus, TheTextFormReadsBack) {
    for (const char* text : {"step(amplitude=0.5, onset=10, duration=50)", "ramp(amplitude=-1, duration=20)",
                             "pulses(amplitude=2, onset=1, frequency=40, width=3) + sine(amplitude=0.1, frequency=5, "
                             "phase=45) + noise(amplitude=0.2, tau=2, seed=7)"}) {
        const Stimulus s = parseStimulus(text);
        EXPECT_EQ(formatStimulus(s), text);
        EXPECT_EQ(parseStimulus(formatStimulus(s)), s);
    }
    EXPECT_EQ(formatStimulus(parseStimulus(" 1e+1 ")), "step(amplitude=10)");
}

TEST(Stimulus, BadTextIsRefusedWithThePartAndTheSetting) {
    const auto expectError = [](const std::string& text, const std::string& part) {
        const std::string error = errorOf(text);
        EXPECT_NE(error.find(part), std::string::npos) << "wanted: " << part << "\ngot: " << error;
    };
    expectError("", "is empty");
    expectError("stair(amplitude=1)", "unknown part \"stair\" (known: step, ramp, pulses, sine, noise, or a number)");
    expectError("step(amplitude=1, frequency=3)", "step has no setting \"frequency\" (known: amplitude, onset, duration)");
    expectError("step(amplitude=1, amplitude=2)", "\"amplitude\" is given twice");
    expectError("step(amplitude=x)", "at character 16: expected a number");
    expectError("step(amplitude=1", "is not closed");
    expectError("step(amplitude=1) step(amplitude=2)", "expected \"+\" between parts");
    expectError("1 + step(onset=-5)", "stimulus part 2 (step): onset -5 ms must be >= 0");
    expectError("step(duration=-1)", "duration -1 ms must be >= 0");
    expectError("step(amplitude=inf)", "amplitude inf is not a finite number");
    expectError("step(amplitude=1e12)", "beyond +-1e9 nA");
    expectError("ramp(amplitude=1)", "a ramp needs a duration > 0");
    expectError("pulses(frequency=0)", "frequency 0 Hz must be > 0");
    expectError("pulses(frequency=100, width=20)", "width 20 ms is longer than the period of 10 ms");
    expectError("noise(amplitude=-1)", "(the noise's standard deviation) must be >= 0");
    expectError("noise(amplitude=1, tau=0)", "tau 0 ms must be > 0");
    expectError("noise(amplitude=1, seed=1.5)", "seed 1.5 must be a whole number from 0 to 2^53");
    std::string many = "1";
    for (int i = 0; i < 16; ++i) many += " + 1";
    expectError(many, "has more than 16 parts");
    EXPECT_THROW(stimulusCurrents(parseStimulus("1"), 0.0, 10), Error);
    EXPECT_THROW(stimulusCurrents(parseStimulus("1"), 0.1, 2000000), Error);
}

TEST(Stimulus, NoiseHasItsDeviationAndCorrelationTimeAndRepeatsForASeed) {
    const double dt = 0.1, tau = 5.0, sd = 0.3;
    const auto x = currents("noise(amplitude=0.3, tau=5, seed=3)", dt, 400000);
    EXPECT_EQ(x[0], 0.0);  // it starts at 0
    double sum = 0, squares = 0, lagged = 0;
    const std::size_t lag = std::size_t(tau / dt), from = 1000;  // past the start
    for (std::size_t n = from; n + lag < x.size(); ++n) {
        sum += x[n];
        squares += x[n] * x[n];
        lagged += x[n] * x[n + lag];
    }
    const double count = double(x.size() - lag - from);
    EXPECT_NEAR(sum / count, 0.0, 0.02);
    EXPECT_NEAR(std::sqrt(squares / count), sd, 0.02 * sd);
    EXPECT_NEAR(lagged / squares, std::exp(-1.0), 0.03);  // correlation after tau
    EXPECT_EQ(currents("noise(amplitude=0.3, tau=5, seed=3)", dt, 100),
              std::vector<double>(x.begin(), x.begin() + 100));
    EXPECT_NE(currents("noise(amplitude=0.3, tau=5, seed=4)", dt, 100),
              std::vector<double>(x.begin(), x.begin() + 100));
}

TEST(Stimulus, TheResponseIsTheLifUpdateUnderTheCurrent) {
    NeuronResponseSettings settings;
    settings.stimulus = parseStimulus("step(amplitude=1, onset=5, duration=30)");
    settings.dt = 0.1;
    settings.duration = 60;
    const NeuronResponse r = neuronResponse(settings);
    ASSERT_EQ(r.variables.front(), "V");
    ASSERT_EQ(r.values.front().size(), 600u);
    ASSERT_EQ(r.current.size(), 600u);
    // GeNN's LIF with the defaults: V = a V + (1 - a)(Vrest + Rm I), a = exp(-dt/TauM), until
    // the first spike (docs/architecture.md, "Simulation semantics").
    const double tauM = 10, c = 0.25, vRest = -65;
    const double a = std::exp(-settings.dt / tauM);
    double v = -65;  // the default initial V
    ASSERT_FALSE(r.spikes.empty());
    for (std::int64_t n = 0; n < r.spikes.front(); ++n) {
        v = a * v + (1 - a) * (vRest + (tauM / c) * r.current[std::size_t(n)]);
        EXPECT_NEAR(r.values.front()[std::size_t(n)], v, 1e-3) << n;
    }
    // Under a constant current it spikes as often as the f-I curve's neuron does.
    settings.stimulus = parseStimulus("1.5");
    settings.duration = 500;
    FiCurveSettings fi;
    fi.currents = {1.5};
    fi.dt = 0.1;
    fi.duration = 500;
    EXPECT_EQ(std::int64_t(neuronResponse(settings).spikes.size()), fiCurve(fi).front().spikes);

    settings.model = "SpikeSource";
    EXPECT_THROW(neuronResponse(settings), Error);
    settings.model = "LIF";
    settings.duration = 1e6;
    EXPECT_THROW(neuronResponse(settings), Error);
}
