// Tests on the real MNIST files in ../shared/data (skipped when absent): a one-layer spiking
// network whose weights are the per-class mean images of the 3,750 training images.
#include "spec_builders.h"
#include "spikelab/dataset.h"
#include "spikelab/experiment.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace spikelab;
using namespace spikelab::test;

TEST(MnistShared, MeanImageNetworkIsFarAboveChance) {
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    SPIKELAB_REQUIRE_SHARED("mnist/train-images-first3750-idx3-ubyte.gz");
    const auto dir = (sharedDataDir() / "mnist").string();
    const ImageDataset train = loadImageDataset("mnist", "train", dir);
    const ImageDataset test = loadImageDataset("mnist", "test", dir);
    ASSERT_EQ(train.count, 3750);
    ASSERT_EQ(test.count, 10000);

    // Template per class: its mean image minus the mean over all classes, so ink shared by
    // every digit does not favour the boldest class.
    std::vector<double> mean(10 * 784, 0.0), all(784, 0.0);
    std::vector<int> perClass(10, 0);
    for (std::int64_t s = 0; s < train.count; ++s) {
        const int c = train.labels[std::size_t(s)];
        perClass[std::size_t(c)]++;
        for (int i = 0; i < 784; ++i) mean[std::size_t(c * 784 + i)] += train.image(s)[i] / 255.0;
    }
    for (int c = 0; c < 10; ++c)
        for (int i = 0; i < 784; ++i) {
            mean[std::size_t(c * 784 + i)] /= perClass[std::size_t(c)];
            all[std::size_t(i)] += mean[std::size_t(c * 784 + i)] / 10.0;
        }
    std::vector<double> weights(784 * 10);  // pre x post
    for (int i = 0; i < 784; ++i)
        for (int c = 0; c < 10; ++c)
            weights[std::size_t(i * 10 + c)] = 0.02 * (mean[std::size_t(c * 784 + i)] - all[std::size_t(i)]);

    NetworkSpec s;
    s.populations = {population("input", 784, "IF", {{"Vthr", 5.0}}),
                     population("output", 10, "IF", {{"Vthr", 1.0}})};
    s.projections = {projection("templates", "input", "output", inlineWeights(weights))};
    InputSpec in;
    in.name = "pixels";
    in.target = "input";
    in.params = {{"scale", 0.01}};
    s.inputs = {in};
    s.experiment.readout = "output";
    s.experiment.stepsPerSample = 100;
    const auto r = evaluate(compileNetwork(s, "."), test, {});
    EXPECT_EQ(r.samples, 10000);
    EXPECT_GT(r.accuracy, 0.55) << "chance is 0.1; measured 62.5% when written";
    std::int64_t confusionTotal = 0;
    for (auto c : r.confusion) confusionTotal += c;
    EXPECT_EQ(confusionTotal, 10000);
    EXPECT_GT(r.spikesPerSample[0], 1000.0);
    std::printf("mean-image SNN: %.2f%% on the MNIST test set, %.0f input and %.0f output spikes per image\n",
                100.0 * r.accuracy, r.spikesPerSample[0], r.spikesPerSample[1]);
}
