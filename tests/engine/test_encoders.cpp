// Image encoders: current injection with normalisation (the mushroom body projection
// neurons), Poisson rate coding with counter-based random numbers, latency coding.
#include "spec_builders.h"
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/project.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <map>

using namespace spikelab;
using namespace spikelab::test;

namespace {

ImageDataset gradientImages(int count) {
    ImageDataset d;
    d.name = "gradient";
    d.count = count;
    d.rows = d.cols = 28;
    d.labels.assign(std::size_t(count), 0);
    d.pixels.assign(std::size_t(count) * 784, 0);
    for (int s = 0; s < count; ++s)
        for (int i = 0; i < 784; ++i)  // left half blank, right half a ramp, shifted per sample
            d.pixels[std::size_t(s * 784 + i)] = std::uint8_t(i % 28 < 14 ? 0 : (i * 7 + s * 13) % 256);
    return d;
}

NetworkSpec spikeSourceNet(const std::string& encoder, ParamValues params) {
    NetworkSpec s;
    s.populations = {population("in", 784, "SpikeSource")};
    s.populations[0].record.spikes = true;
    InputSpec in;
    in.name = "code";
    in.type = encoder;
    in.target = "in";
    in.params = std::move(params);
    s.inputs = {in};
    s.experiment.stepsPerSample = 100;
    return s;
}

// First spike step of every neuron (-1: silent) and the number of spikes of each.
struct Timing {
    std::vector<std::int64_t> first;
    std::vector<int> count;
};

Timing present(Backend& b, const ImageDataset& data, std::int64_t sample, int batchIndex, int pop = 0) {
    b.resetState();
    b.clearInputs();
    b.clearRecordings();
    encodeSample(b, data, sample, batchIndex);
    const std::int64_t start = b.currentStep();
    b.advance(b.network().stepsPerSample);
    Timing t{std::vector<std::int64_t>(784, -1), std::vector<int>(784, 0)};
    for (const auto& e : b.spikes(pop, batchIndex).all()) {
        if (t.first[e.neuron] < 0) t.first[e.neuron] = e.step - start;
        t.count[e.neuron]++;
    }
    return t;
}

void expectLatencyCode(const Timing& t, const std::uint8_t* pixels) {
    for (int i = 0; i < 784; ++i) {
        EXPECT_LE(t.count[std::size_t(i)], 1) << "neuron " << i << " fired twice";
        if (pixels[i] == 0) {
            EXPECT_EQ(t.count[std::size_t(i)], 0) << "blank pixel " << i << " fired";
        }
    }
    for (int i = 0; i < 784; ++i)
        for (int j = 0; j < 784; ++j)
            if (pixels[i] > pixels[j] && t.first[std::size_t(j)] >= 0) {
                ASSERT_GE(t.first[std::size_t(i)], 0) << "brighter pixel " << i << " silent";
                ASSERT_LE(t.first[std::size_t(i)], t.first[std::size_t(j)]) << i << " vs " << j;
            }
}

} // namespace

TEST(MushroomBody, ProjectionNeuronsFireOnceBrightestFirst) {
    const auto path = (sourceDir() / "projects/mushroom-body-pn/mushroom-body-pn.json").string();
    const NetworkSpec spec = loadProject(path);
    BackendOptions o;
    auto b = createBackend("cpu", compileNetwork(spec, projectDir(path)), o);
    const auto data = gradientImages(3);
    for (int s = 0; s < 3; ++s) {
        const Timing t = present(*b, data, s, 0);
        expectLatencyCode(t, data.image(s));
        int fired = 0;
        for (int c : t.count) fired += c;
        EXPECT_GT(fired, 100) << "the brighter half should mostly fire";
    }
}

TEST(MushroomBody, RealDigitsFollowTheLatencyCode) {
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    const auto path = (sourceDir() / "projects/mushroom-body-pn/mushroom-body-pn.json").string();
    auto b = createBackend("cpu", compileNetwork(loadProject(path), projectDir(path)), {});
    const auto data = loadImageDataset("mnist", "test", (sharedDataDir() / "mnist").string(), 20);
    for (int s = 0; s < 20; ++s) expectLatencyCode(present(*b, data, s, 0), data.image(s));
}

TEST(Latency, SpikeStepsFollowTheFormula) {
    auto spec = spikeSourceNet("LatencyCoding", {{"window", 20.0}, {"threshold", 10.0}});
    auto b = cpuBackend(spec);
    ImageDataset d = gradientImages(1);
    d.pixels.assign(784, 0);
    d.pixels[0] = 255, d.pixels[1] = 128, d.pixels[2] = 9, d.pixels[3] = 10, d.pixels[4] = 1;
    const Timing t = present(*b, d, 0, 0);
    EXPECT_EQ(t.first[0], 0);
    EXPECT_EQ(t.first[1], std::int64_t(20.0 * (1 - 128 / 255.0)));  // 9
    EXPECT_EQ(t.first[2], -1) << "below threshold";
    EXPECT_EQ(t.first[3], std::int64_t(20.0 * (1 - 10 / 255.0)));
    EXPECT_EQ(t.first[4], -1);
    EXPECT_EQ(t.first[5], -1);
}

TEST(Poisson, SameSeedAndSampleGiveTheSameSpikesInAnyBatchSlot) {
    auto spec = spikeSourceNet("PoissonRate", {{"max_rate", 200.0}, {"seed", 5}});
    const auto data = gradientImages(8);
    auto single = cpuBackend(spec, 1, 1);
    auto batched = cpuBackend(spec, 4, 3);
    for (int s : {0, 3, 7}) {
        const Timing a = present(*single, data, s, 0);
        const Timing c = present(*batched, data, s, 2);
        EXPECT_EQ(a.first, c.first);
        EXPECT_EQ(a.count, c.count);
    }
    const Timing s0 = present(*single, data, 0, 0), s1 = present(*single, data, 1, 0);
    EXPECT_NE(s0.count, s1.count) << "different samples draw different numbers";
    spec.inputs[0].params["seed"] = 6;
    auto other = cpuBackend(spec);
    EXPECT_NE(present(*other, data, 0, 0).count, s0.count) << "different seeds differ";
}

TEST(Poisson, RatesFollowThePixels) {
    auto spec = spikeSourceNet("PoissonRate", {{"max_rate", 100.0}});
    spec.experiment.stepsPerSample = 20000;  // 20 s at dt 1 ms
    BackendOptions o;
    o.spikeCapacity = 1 << 20;
    auto b = createBackend("cpu", compileNetwork(spec, "."), o);
    ImageDataset d = gradientImages(1);
    d.pixels.assign(784, 0);
    for (int i = 0; i < 784; ++i) d.pixels[std::size_t(i)] = i < 392 ? 255 : (i < 700 ? 51 : 0);
    const Timing t = present(*b, d, 0, 0);
    double bright = 0, dim = 0;
    for (int i = 0; i < 392; ++i) bright += t.count[std::size_t(i)];
    for (int i = 392; i < 700; ++i) dim += t.count[std::size_t(i)];
    for (int i = 700; i < 784; ++i) EXPECT_EQ(t.count[std::size_t(i)], 0);
    EXPECT_NEAR(bright / 392 / 20.0, 100.0, 1.5);  // Hz
    EXPECT_NEAR(dim / 308 / 20.0, 20.0, 0.7);
}

TEST(Encoders, BadCombinationsAreRefused) {
    // A spike encoder into an integrating population, and current into a spike source.
    auto spec = spikeSourceNet("PoissonRate", {});
    spec.populations[0].model = "IF";
    EXPECT_THROW(compileNetwork(spec, "."), Error);
    spec = spikeSourceNet("CurrentInjection", {});
    EXPECT_THROW(compileNetwork(spec, "."), Error);
    // A rate that cannot fit one spike per step.
    spec = spikeSourceNet("PoissonRate", {{"max_rate", 2000.0}});
    spec.experiment.readout = "";
    try {
        evaluate(compileNetwork(spec, "."), gradientImages(1), {});
        FAIL() << "p > 1 accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("input \"code\": max_rate 2000"), std::string::npos) << e.what();
    }
    spec = spikeSourceNet("CurrentInjection", {{"normalise", 0.5}});
    spec.populations[0].model = "IF";
    EXPECT_THROW(compileNetwork(spec, "."), Error) << "normalise must be 0 or 1";
}

TEST(Encoders, NormalisedCurrentSumsToScale) {
    NetworkSpec s;
    s.populations = {population("pn", 784, "IF", {{"Vthr", 1e9}})};
    InputSpec in;
    in.name = "pixels";
    in.target = "pn";
    in.params = {{"scale", 80.0}, {"normalise", 1.0}};
    s.inputs = {in};
    auto b = cpuBackend(s);
    const auto data = gradientImages(1);
    encodeSample(*b, data, 0, 0);
    b->advance(1);
    double sum = 0;
    for (float v : state(*b, 0, "V")) sum += v;
    EXPECT_NEAR(sum, 80.0, 1e-3);
}
