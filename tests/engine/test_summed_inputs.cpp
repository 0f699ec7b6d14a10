// Several inputs on one population (docs/architecture.md, "Several inputs on one population"):
// current inputs add up, in either order, to exactly what one input with the summed current
// gives; spike encoders onto one SpikeSource population merge, a neuron spiking at a step
// when any of them has a spike for it. Checked on the CPU and on the CUDA backend (the
// emulated device in CI; the CUDA cases skip, saying why, where neither is there).
#include "event_data.h"
#include "spec_builders.h"
#include "test_support.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// 20 images of 4x4 pixels, whole multiples of 17, labels 0-3.
ImageDataset tinyImages() {
    ImageDataset d;
    d.name = "tiny";
    d.split = "test";
    d.count = 20;
    d.rows = d.cols = 4;
    d.numClasses = 4;
    for (int s = 0; s < d.count; ++s) {
        d.labels.push_back(std::uint8_t(s % 4));
        for (int i = 0; i < 16; ++i) d.pixels.push_back(std::uint8_t(17 * ((i * 7 + s * 3 + (i / 4 == s % 4 ? 9 : 0)) % 16)));
    }
    return d;
}

InputSpec input(const std::string& name, const std::string& type, const std::string& target,
                ParamValues params) {
    InputSpec in;
    in.name = name;
    in.type = type;
    in.target = target;
    in.params = std::move(params);
    return in;
}

// 16 IF inputs -> 12 IF hidden -> 4 IF outputs, whole-number weights; `inputs` feed "in".
NetworkSpec currentNetwork(std::vector<InputSpec> inputs) {
    NetworkSpec s;
    s.populations = {population("in", 16, "IF", {{"Vthr", 50.0}}), population("hid", 12, "IF", {{"Vthr", 3.0}}),
                     population("out", 4, "IF", {{"Vthr", 2.0}})};
    for (auto& p : s.populations) p.record.spikes = true;
    std::vector<double> w1(16 * 12), w2(12 * 4);
    for (std::size_t i = 0; i < w1.size(); ++i) w1[i] = double(int(i * 5 % 4) - 1);
    for (std::size_t i = 0; i < w2.size(); ++i) w2[i] = double((i * 7 + i / 4) % 3);
    s.projections = {projection("in_hid", "in", "hid", inlineWeights(w1)),
                     projection("hid_out", "hid", "out", inlineWeights(w2))};
    s.inputs = std::move(inputs);
    s.experiment.stepsPerSample = 30;
    s.experiment.readout = "out";
    return s;
}

// Everything each population records for `samples` presentations of `data`, one after another.
std::vector<std::vector<SpikeEvent>> run(const NetworkSpec& spec, const std::string& backend,
                                         const ImageDataset& data, std::int64_t samples = 4) {
    const auto net = compileNetwork(spec, ".");
    auto b = createBackend(backend, net, {});
    for (std::int64_t s = 0; s < samples; ++s) {
        b->resetState();
        b->clearInputs();
        encodeSample(*b, data, s, 0);
        b->advance(net.stepsPerSample);
    }
    std::vector<std::vector<SpikeEvent>> out;
    for (std::size_t p = 0; p < net.populations.size(); ++p) out.push_back(b->spikes(int(p), 0).all());
    return out;
}

std::string skipReason(const std::string& backend) {
    if (backend == "cpu") return {};
    try {
        const auto b = createBackend(backend, compileNetwork(currentNetwork({}), "."));
        if (b->name() == backend) return {};
        return "no CUDA device: " + backendNotice();
    } catch (const Error& e) {
        return e.what();
    }
}

class SummedInputs : public testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (const auto why = skipReason(GetParam()); !why.empty()) GTEST_SKIP() << why;
    }
};

TEST_P(SummedInputs, TwoCurrentsEqualOneWithTheSummedCurrentInEitherOrder) {
    const auto data = tinyImages();
    // 0.25 + 0.5 = 0.75 and every pixel times each is exact in float: the sums are exact.
    const auto a = input("a", "CurrentInjection", "in", {{"scale", 0.25}});
    const auto b = input("b", "CurrentInjection", "in", {{"scale", 0.5}});
    const auto both = input("both", "CurrentInjection", "in", {{"scale", 0.75}});
    const auto one = run(currentNetwork({both}), GetParam(), data);
    ASSERT_FALSE(one[2].empty()) << "the outputs never spike: the test would prove nothing";
    EXPECT_EQ(run(currentNetwork({a, b}), GetParam(), data), one);
    EXPECT_EQ(run(currentNetwork({b, a}), GetParam(), data), one);
    // Either input alone gives other spikes: neither may replace the other.
    EXPECT_NE(run(currentNetwork({a}), GetParam(), data)[0], one[0]);
    EXPECT_NE(run(currentNetwork({b}), GetParam(), data)[0], one[0]);
}

TEST_P(SummedInputs, AccuracyDoesNotDependOnTheOrderOfTheInputs) {
    const auto data = tinyImages();
    const auto a = input("a", "CurrentInjection", "in", {{"scale", 0.25}});
    const auto b = input("b", "CurrentInjection", "in", {{"scale", 0.5}, {"normalise", 1.0}});
    EvaluationOptions o;
    o.backend = GetParam();
    o.batch = 3;
    const auto ab = evaluate(compileNetwork(currentNetwork({a, b}), "."), data, o);
    const auto ba = evaluate(compileNetwork(currentNetwork({b, a}), "."), data, o);
    EXPECT_EQ(ab.confusion, ba.confusion);
    EXPECT_EQ(ab.spikesPerSample, ba.spikesPerSample);
    EXPECT_EQ(ab.correct, ba.correct);
}

// SpikeSource "in" fed by `inputs`, recording its spikes.
NetworkSpec spikeNetwork(std::vector<InputSpec> inputs) {
    NetworkSpec s;
    s.populations = {population("in", 16, "SpikeSource"), population("out", 4, "IF", {{"Vthr", 2.0}})};
    for (auto& p : s.populations) p.record.spikes = true;
    s.projections = {projection("in_out", "in", "out", constantWeight(1.0))};
    s.inputs = std::move(inputs);
    s.experiment.stepsPerSample = 30;
    s.experiment.readout = "out";
    return s;
}

std::set<std::pair<std::int64_t, std::uint32_t>> spikeSet(const std::vector<SpikeEvent>& spikes) {
    std::set<std::pair<std::int64_t, std::uint32_t>> out;
    for (const auto& e : spikes) out.insert({e.step, e.neuron});
    return out;
}

TEST_P(SummedInputs, SpikeEncodersOnOneSpikeSourceMerge) {
    const auto data = tinyImages();
    const auto slow = input("slow", "PoissonRate", "in", {{"max_rate", 300.0}, {"seed", 1.0}});
    const auto other = input("other", "PoissonRate", "in", {{"max_rate", 300.0}, {"seed", 2.0}});
    const auto first = input("first", "LatencyCoding", "in", {{"window", 20.0}});
    const auto a = run(spikeNetwork({slow}), GetParam(), data)[0];
    const auto b = run(spikeNetwork({other}), GetParam(), data)[0];
    const auto c = run(spikeNetwork({first}), GetParam(), data)[0];
    auto want = spikeSet(a);
    for (const auto& e : b) want.insert({e.step, e.neuron});
    for (const auto& e : c) want.insert({e.step, e.neuron});
    // The two Poisson trains coincide now and then: those spikes count once.
    ASSERT_LT(want.size(), a.size() + b.size() + c.size());
    const auto merged = run(spikeNetwork({slow, other, first}), GetParam(), data)[0];
    EXPECT_EQ(merged.size(), want.size()) << "a neuron spiked twice in one step";
    EXPECT_EQ(spikeSet(merged), want);
    EXPECT_EQ(run(spikeNetwork({first, other, slow}), GetParam(), data)[0], merged);
}

TEST_P(SummedInputs, EventReplaysOnOnePopulationMerge) {
    const auto data = rowDigits(1);
    auto spec = replayNetwork();
    auto binned = spec.inputs[0];
    binned.name = "binned";
    binned.params = {{"bin_ms", 3.0}};  // steps the scaled replay skips, and some it has
    const auto runEvents = [&](std::vector<InputSpec> inputs) {
        auto s = spec;
        s.inputs = std::move(inputs);
        const auto net = compileNetwork(s, ".");
        const EventSamples samples(data, net);
        samples.check(net);
        auto b = createBackend(GetParam(), net, {});
        samples.encode(*b, 3, 0);
        b->advance(net.stepsPerSample);
        return b->spikes(0, 0).all();
    };
    const auto scaled = runEvents({spec.inputs[0]});
    const auto stepped = runEvents({binned});
    auto want = spikeSet(scaled);
    for (const auto& e : stepped) want.insert({e.step, e.neuron});
    ASSERT_GT(want.size(), std::max(scaled.size(), stepped.size()));
    const auto merged = runEvents({spec.inputs[0], binned});
    EXPECT_EQ(merged.size(), want.size());
    EXPECT_EQ(spikeSet(merged), want);
}

std::string backendName(const testing::TestParamInfo<std::string>& backend) {
    return backend.param == "cpu" ? "Cpu" : "Cuda";
}
INSTANTIATE_TEST_SUITE_P(Backends, SummedInputs, testing::Values("cpu", "cuda"), backendName);

SpikeTrain train(std::vector<std::vector<std::uint32_t>> steps) {
    SpikeTrain t;
    t.steps = std::int64_t(steps.size());
    t.stepStart.push_back(0);
    for (const auto& s : steps) {
        t.inputs.insert(t.inputs.end(), s.begin(), s.end());
        t.stepStart.push_back(std::int64_t(t.inputs.size()));
    }
    return t;
}

TEST(MergeSpikeTrains, UnionPerStepOnceEachInOrderAsLongAsTheLongest) {
    const auto merged = mergeSpikeTrains({train({{3, 1}, {}, {2}}), train({{1, 0}, {5}}), train({{}})});
    const auto want = train({{0, 1, 3}, {5}, {2}});
    EXPECT_EQ(merged.steps, want.steps);
    EXPECT_EQ(merged.stepStart, want.stepStart);
    EXPECT_EQ(merged.inputs, want.inputs);
}

TEST(MergeSpikeTrains, OneTrainStaysAsItIsAndNoneIsEmpty) {
    const auto one = mergeSpikeTrains({train({{4, 2}, {2}})});
    EXPECT_EQ(one.inputs, (std::vector<std::uint32_t>{4, 2, 2}));
    const auto none = mergeSpikeTrains({});
    EXPECT_EQ(none.steps, 0);
    EXPECT_EQ(none.stepStart, std::vector<std::int64_t>{0});
}

} // namespace
