// EventReplay: event recordings become spikes of a SpikeSource population, identically in
// any batch slot, and drive a network through the common runner.
#include "event_data.h"
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/fileio.h"
#include "spikelab/project.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace spikelab;
using namespace spikelab::test;

TEST(EventReplay, DrivesTheRunnerToTheRightAnswers) {
    const auto data = rowDigits(3);
    const auto net = compileNetwork(replayNetwork(kNmnistInputs), ".");
    const EventSamples samples(data, net);
    EvaluationOptions o;
    o.batch = 7;
    const auto r = evaluate(net, samples, o);
    EXPECT_EQ(r.samples, 30);
    EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
    // 40 time stamps x (12 ON + 11 OFF columns), each its own step at 50 steps over 100 ms.
    EXPECT_DOUBLE_EQ(r.spikesPerSample[0], 40.0 * 23);
}

TEST(EventReplay, BackendEmitsExactlyTheTrainInAnyBatchSlot) {
    const auto data = rowDigits(1);
    const auto net = compileNetwork(replayNetwork(kNmnistInputs), ".");
    const EventSamples samples(data, net);
    auto single = createBackend("cpu", net, {});
    BackendOptions four;
    four.batch = 4;
    auto batched = createBackend("cpu", net, four);
    for (std::int64_t s : {2, 7}) {
        const SpikeTrain train = samples.train(0, s);
        std::vector<SpikeEvent> expected;
        single->clearRecordings();
        batched->clearRecordings();
        const std::int64_t start1 = single->currentStep(), start4 = batched->currentStep();
        for (std::int64_t step = 0; step < train.steps; ++step)
            for (auto k = train.stepStart[std::size_t(step)]; k < train.stepStart[std::size_t(step) + 1]; ++k)
                expected.push_back({step, train.inputs[std::size_t(k)]});
        samples.encode(*single, s, 0);
        samples.encode(*batched, s, 3);
        single->advance(50);
        batched->advance(50);
        auto shift = [](std::vector<SpikeEvent> v, std::int64_t by) {
            for (auto& e : v) e.step -= by;
            return v;
        };
        EXPECT_EQ(shift(single->spikes(0, 0).all(), start1), expected);
        EXPECT_EQ(shift(batched->spikes(0, 3).all(), start4), expected);
        EXPECT_FALSE(expected.empty());
    }
}

TEST(EventReplay, BlocklistShrinksTheInputAndSizesAreChecked) {
    TempDir dir;
    std::string list;
    for (int i = 0; i < 1156; ++i) list += std::to_string(i) + "\n";  // drop every OFF input
    writeFileAtomic(dir.file("blocked.txt"), list);
    const auto data = rowDigits(1);
    auto spec = replayNetwork(1156, "blocked.txt");
    spec.projections[0].weights = constantWeight(0.0);
    const auto net = compileNetwork(spec, dir.path().string());
    const EventSamples samples(data, net);
    EXPECT_NO_THROW(samples.check(net));
    const auto r = evaluate(net, samples, {});
    EXPECT_DOUBLE_EQ(r.spikesPerSample[0], 40.0 * 12); // the ON events only

    const auto wrong = compileNetwork(replayNetwork(kNmnistInputs, "blocked.txt"), dir.path().string());
    try {
        EventSamples(data, wrong).check(wrong);
        FAIL() << "size mismatch accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("has 2312 neurons but 1156 event inputs are kept"),
                  std::string::npos)
            << e.what();
    }
}

TEST(EventReplay, ImageEncodersRefuseEventsAndTheFileRoundTrips) {
    auto spec = replayNetwork(kNmnistInputs, "list.txt");
    const std::string text = projectToJson(spec);
    EXPECT_NE(text.find("\"file\": \"list.txt\""), std::string::npos);
    EXPECT_EQ(projectToJson(projectFromJson(text, "mem")), text);
    spec.inputs[0].file.clear();
    EXPECT_EQ(projectToJson(spec).find("\"file\""), std::string::npos);
    ImageDataset images;
    images.name = "mnist";
    images.rows = images.cols = 28;
    images.count = 1;
    images.pixels.assign(784, 0);
    images.labels = {0};
    EXPECT_THROW(evaluate(compileNetwork(spec, "."), images, {}), Error);
}

TEST(EventReplay, ShippedReplayProjectRunsOnRealRecordings) {
    SPIKELAB_REQUIRE_SHARED("nmnist/Test");
    const auto path = (sourceDir() / "projects/nmnist-replay/nmnist-replay.json").string();
    const auto net = compileNetwork(loadProject(path), projectDir(path));
    const auto data = loadNmnist("test", (sharedDataDir() / "nmnist").string(), 20);
    const EventSamples samples(data, net);
    const auto r = evaluate(net, samples, {});
    EXPECT_EQ(r.samples, 20);
    EXPECT_FALSE(r.hasReadout);
    // Every event of a recording reaches the sensor population (a few share a step), and
    // the random synapses drive the hidden neurons at tens of Hz, not silence or saturation.
    std::int64_t events = 0;
    for (const auto& s : data.samples) events += std::int64_t(s.events.size());
    EXPECT_GT(r.spikesPerSample[0], 0.9 * double(events) / 20);
    EXPECT_LE(r.spikesPerSample[0], double(events) / 20);
    const double hiddenHz = r.spikesPerSample[1] / 200 / 0.3;
    EXPECT_GT(hiddenHz, 10.0);
    EXPECT_LT(hiddenHz, 200.0);
}
