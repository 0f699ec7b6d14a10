// Parameter sweeps: each point equals an independent evaluation at that value, bad values are
// refused before anything runs, cancelling keeps the finished points, and value lists parse
// exactly (or fail quoting the text).
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/overrides.h"
#include "spikelab/sweep.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// 8x8 images of 4 classes: class c lights image row block c (rows 2c, 2c+1) over noise.
ImageDataset rowBlocks(std::int64_t count) {
    ImageDataset d;
    d.name = "row-blocks";
    d.split = "test";
    d.count = count;
    d.rows = d.cols = 8;
    d.numClasses = 4;
    std::mt19937_64 rng(7);
    for (std::int64_t i = 0; i < count; ++i) {
        const int c = int(i % 4);
        d.labels.push_back(std::uint8_t(c));
        for (int p = 0; p < 64; ++p)
            d.pixels.push_back(std::uint8_t(p / 16 == c ? 150 + rng() % 100 : rng() % 90));
    }
    return d;
}

// 64 IF inputs -> 12 hidden -> 4 outputs, random weights that favour the right class a little.
NetworkSpec rowNetwork() {
    NetworkSpec s;
    s.populations = {population("input", 64, "IF", {{"Vthr", 1.0}}),
                     population("hidden", 12, "IF", {{"Vthr", 1.5}}),
                     population("output", 4, "IF", {{"Vthr", 2.0}})};
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> uniform(-0.2, 0.4);
    std::vector<double> w1(64 * 12), w2(12 * 4);
    for (std::size_t k = 0; k < w1.size(); ++k)
        w1[k] = uniform(rng) + ((k / 12) / 16 == (k % 12) % 4 ? 0.3 : 0.0);
    for (std::size_t k = 0; k < w2.size(); ++k)
        w2[k] = uniform(rng) + (k / 4 % 4 == k % 4 ? 0.5 : 0.0);
    s.projections = {projection("input_hidden", "input", "hidden", inlineWeights(w1)),
                     projection("hidden_output", "hidden", "output", inlineWeights(w2))};
    InputSpec in;
    in.name = "pixels";
    in.target = "input";
    in.params = {{"scale", 0.01}};
    s.inputs = {in};
    s.experiment.stepsPerSample = 30;
    s.experiment.readout = "output";
    return s;
}

EvaluationResult evaluateAt(NetworkSpec spec, const std::string& setting, const ImageDataset& data,
                            std::int64_t samples) {
    applyParameterChange(spec, parseParameterChange(setting));
    EvaluationOptions o;
    o.samples = samples;
    o.batch = 16;
    o.threads = 2;
    return evaluate(compileNetwork(spec, "."), data, o);
}

void expectSame(const SweepPoint& point, const EvaluationResult& r) {
    EXPECT_EQ(point.samples, r.samples);
    EXPECT_EQ(point.correct, r.correct);
    EXPECT_EQ(point.accuracy, r.accuracy);
    EXPECT_EQ(point.populationSpikes, r.spikesPerSample);
    double total = 0.0;
    for (double s : r.spikesPerSample) total += s;
    EXPECT_EQ(point.spikesPerSample, total);
}

SweepOptions quick(std::int64_t samples) {
    SweepOptions o;
    o.samples = samples;
    o.batch = 16;
    o.threads = 2;
    return o;
}

std::string number(double v) {
    std::ostringstream out;
    out.precision(17);
    out << v;
    return out.str();
}

} // namespace

TEST(Sweep, EachPointEqualsAnIndependentEvaluation) {
    const ImageDataset data = rowBlocks(120);
    const NetworkSpec spec = rowNetwork();
    for (const auto& [name, values] : std::vector<std::pair<std::string, std::vector<double>>>{
             {"hidden.Vthr", {0.5, 1.5, 4.0}},
             {"pixels.scale", {0.005, 0.02}},
             {"experiment.steps_per_sample", {10, 40}}}) {
        ParameterSweep sweep;
        std::tie(sweep.item, sweep.param) = splitParameterName(name);
        sweep.values = values;
        SweepOptions o = quick(100);
        std::vector<double> reported;
        std::vector<std::pair<std::int64_t, std::int64_t>> progress;
        o.onPoint = [&](const SweepPoint& p) { reported.push_back(p.value); };
        o.progress = [&](std::int64_t done, std::int64_t total) {
            progress.emplace_back(done, total);
        };
        const SweepResult r = runSweep(spec, ".", sweep, data, o);

        EXPECT_FALSE(r.cancelled);
        EXPECT_TRUE(r.hasReadout);
        EXPECT_EQ(r.backend, "cpu");
        EXPECT_EQ(r.populations, (std::vector<std::string>{"input", "hidden", "output"}));
        EXPECT_EQ(reported, values) << name;
        ASSERT_EQ(r.points.size(), values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            SCOPED_TRACE(name + "=" + number(values[i]));
            EXPECT_EQ(r.points[i].value, values[i]);
            expectSame(r.points[i], evaluateAt(spec, name + "=" + number(values[i]), data, 100));
        }
        // The values matter: the first and last points differ in spikes.
        EXPECT_NE(r.points.front().spikesPerSample, r.points.back().spikesPerSample) << name;
        // 7 batches of at most 16 per value, counted across all values.
        ASSERT_EQ(progress.size(), 7 * values.size());
        for (std::size_t k = 1; k < progress.size(); ++k)
            EXPECT_GT(progress[k].first, progress[k - 1].first);
        EXPECT_EQ(progress.back(), std::make_pair(std::int64_t(100 * values.size()),
                                                  std::int64_t(100 * values.size())));
    }
}

TEST(Sweep, RunsOnEventRecordings) {
    // Digit d's recording: ON events on sensor row d; output d listens to that row.
    EventDataset data;
    data.split = "test";
    for (int s = 0; s < 20; ++s) {
        EventSample sample;
        sample.label = s % 10;
        for (std::uint32_t t = 0; t < 100000; t += 5000)
            for (std::uint8_t x = 0; x < 34; x += 4)
                sample.events.push_back({t, x, std::uint8_t(sample.label), true});
        data.samples.push_back(std::move(sample));
    }
    NetworkSpec spec;
    spec.populations = {population("events", kNmnistInputs, "SpikeSource"),
                        population("out", 10, "IF", {{"Vthr", 1.0}})};
    std::vector<double> w(std::size_t(kNmnistInputs * 10), 0.0);
    for (int d = 0; d < 10; ++d)
        for (int x = 0; x < 34; ++x) w[std::size_t((1156 + d * 34 + x) * 10 + d)] = 0.5;
    spec.projections = {projection("events_out", "events", "out", inlineWeights(w))};
    InputSpec in;
    in.name = "replay";
    in.type = "EventReplay";
    in.target = "events";
    in.params = {{"max_time_us", 100000.0}};
    spec.inputs = {in};
    spec.experiment.stepsPerSample = 50;
    spec.experiment.readout = "out";

    const ParameterSweep sweep{"out", "Vthr", {1.0, 6.0}};
    const SweepResult r = runSweep(spec, ".", sweep, data, quick(0));
    ASSERT_EQ(r.points.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        NetworkSpec changed = spec;
        changed.populations[1].params["Vthr"] = sweep.values[i];
        const CompiledNetwork net = compileNetwork(changed, ".");
        EvaluationOptions o;
        o.batch = 16;
        o.threads = 2;
        const EvaluationResult want = evaluate(net, EventSamples(data, net), o);
        expectSame(r.points[i], want);
    }
    EXPECT_EQ(r.points[0].samples, 20);
    EXPECT_EQ(r.points[0].accuracy, 1.0);
    // 9 inputs of weight 0.5 per event step: threshold 1 fires at each of the 20, 6 at every other.
    EXPECT_EQ(r.points[0].populationSpikes[1], 20.0);
    EXPECT_EQ(r.points[1].populationSpikes[1], 10.0);
}

TEST(Sweep, AnyInvalidValueIsRefusedBeforeAnythingRuns) {
    const ImageDataset data = rowBlocks(40);
    const NetworkSpec spec = rowNetwork();
    struct Case {
        ParameterSweep sweep;
        std::vector<std::string> message;
    };
    const std::vector<Case> cases = {
        {{"experiment", "steps_per_sample", {10, 20, 2.5}},
         {"experiment.steps_per_sample, value 2.5", "whole number"}},
        {{"experiment", "steps_per_sample", {10, 0}}, {"experiment.steps_per_sample, value 0"}},
        {{"hidden", "Vth", {1.0}}, {"hidden.Vth, value 1", "unknown parameter \"Vth\""}},
        {{"nobody", "Vthr", {1.0}}, {"nobody.Vthr", "no population, input or projection"}},
        {{"hidden", "Vthr", {}}, {"hidden.Vthr has no values"}},
    };
    for (const auto& c : cases) {
        int points = 0, progress = 0;
        SweepOptions o = quick(40);
        o.onPoint = [&](const SweepPoint&) { ++points; };
        o.progress = [&](std::int64_t, std::int64_t) { ++progress; };
        const std::string message = errorOf([&] { runSweep(spec, ".", c.sweep, data, o); });
        for (const auto& part : c.message) EXPECT_CONTAINS(message, part);
        EXPECT_EQ(points, 0) << message;
        EXPECT_EQ(progress, 0) << message;
        EXPECT_EQ(errorOf([&] { checkSweep(spec, c.sweep); }), message);
    }
}

TEST(Sweep, CancelKeepsTheFinishedPoints) {
    const ImageDataset data = rowBlocks(64);
    const NetworkSpec spec = rowNetwork();
    const ParameterSweep sweep{"hidden", "Vthr", {0.5, 1.0, 1.5, 2.0}};

    // Cancelled as the second value is half done: the first point stays, the second is dropped.
    SweepOptions o = quick(64);
    bool stop = false;
    o.progress = [&](std::int64_t done, std::int64_t) { stop = done >= 64 + 32; };
    o.cancelled = [&] { return stop; };
    const SweepResult r = runSweep(spec, ".", sweep, data, o);
    EXPECT_TRUE(r.cancelled);
    ASSERT_EQ(r.points.size(), 1u);
    expectSame(r.points[0], evaluateAt(spec, "hidden.Vthr=0.5", data, 64));

    // Cancelled right after a point is reported: that point is kept, nothing else runs.
    SweepOptions after = quick(64);
    bool reported = false;
    after.onPoint = [&](const SweepPoint&) { reported = true; };
    after.cancelled = [&] { return reported; };
    const SweepResult one = runSweep(spec, ".", sweep, data, after);
    EXPECT_TRUE(one.cancelled);
    ASSERT_EQ(one.points.size(), 1u);
    EXPECT_EQ(one.points[0].value, 0.5);

    // Cancelled before the start: no points.
    SweepOptions never = quick(64);
    never.cancelled = [] { return true; };
    const SweepResult none = runSweep(spec, ".", sweep, data, never);
    EXPECT_TRUE(none.cancelled);
    EXPECT_TRUE(none.points.empty());
}

TEST(Sweep, ValueListsParseExactly) {
    EXPECT_EQ(parseSweepValues("0.5:2:0.25"),
              (std::vector<double>{0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0}));
    EXPECT_EQ(parseSweepValues("0.1:0.3:0.1"), (std::vector<double>{0.1, 0.2, 0.3}));
    const auto tenths = parseSweepValues("0:1:0.1");
    ASSERT_EQ(tenths.size(), 11u);
    EXPECT_EQ(tenths[3], 0.3);
    EXPECT_EQ(tenths[7], 0.7);
    EXPECT_EQ(tenths[10], 1.0);
    EXPECT_EQ(parseSweepValues("-1:1:0.1")[10], 0.0);
    EXPECT_EQ(parseSweepValues("5:1:-2"), (std::vector<double>{5, 3, 1}));
    EXPECT_EQ(parseSweepValues("1:2:0.3"), (std::vector<double>{1.0, 1.3, 1.6, 1.9}));
    EXPECT_EQ(parseSweepValues("1:1:0.5"), (std::vector<double>{1}));
    EXPECT_EQ(parseSweepValues("1e-3:3e-3:1e-3"), (std::vector<double>{0.001, 0.002, 0.003}));
    EXPECT_EQ(parseSweepValues("1,2,5"), (std::vector<double>{1, 2, 5}));
    EXPECT_EQ(parseSweepValues(" 4.5 , -2 ,1e1"), (std::vector<double>{4.5, -2, 10}));
    EXPECT_EQ(parseSweepValues("0.1"), (std::vector<double>{0.1}));
    EXPECT_EQ(parseSweepValues("0:999:1").size(), 1000u);

    const std::vector<std::pair<std::string, std::string>> bad = {
        {"", "value list \"\": item 1 \"\" is not a finite number"},
        {"1,,2", "value list \"1,,2\": item 2 \"\" is not a finite number"},
        {"1,two", "item 2 \"two\""},
        {"nan", "\"nan\" is not a finite number"},
        {"inf", "\"inf\" is not a finite number"},
        {"1e999", "\"1e999\" is not a finite number"},
        {"0x10", "\"0x10\" is not a finite number"},
        {"1:2", "value range \"1:2\" must look like START:STOP:STEP"},
        {"1:2:3:4", "value range \"1:2:3:4\" must look like"},
        {"a:2:1", "value range \"a:2:1\": START \"a\" is not a finite number"},
        {"1:2:", "STEP \"\" is not a finite number"},
        {"1:2:0", "value range \"1:2:0\": STEP must not be 0"},
        {"2:1:0.5", "leads away from STOP 1 (use a negative step)"},
        {"0:1000:1", "gives 1001 values; at most 1000"},
        {"0:1:0.0001", "gives 10001 values"},
    };
    for (const auto& [text, message] : bad)
        EXPECT_CONTAINS(errorOf([&] { parseSweepValues(text); }), message);
}

TEST(Sweep, ParameterNamesSplitAtTheLastDot) {
    EXPECT_EQ(splitParameterName("hidden.Vthr"),
              std::make_pair(std::string("hidden"), std::string("Vthr")));
    EXPECT_EQ(splitParameterName("layer.1.scale"),
              std::make_pair(std::string("layer.1"), std::string("scale")));
    for (const char* text : {"hidden", ".Vthr", "hidden.", ""})
        EXPECT_CONTAINS(errorOf([&] { splitParameterName(text); }), "must look like ITEM.PARAM");
}
