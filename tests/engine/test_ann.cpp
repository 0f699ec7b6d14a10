// The ANN trainer (Part 0 of the GeNN MNIST tutorial): learning, determinism, validation,
// cancellation, accuracy, activation percentiles and a finite-difference gradient check.
#include "learning/ann_internal.h"
#include "spikelab/ann.h"
#include "spikelab/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

using namespace spikelab;

namespace {

// 8x8 images of 10 classes: class c lights the 2x2 block at block row c/4, block column c%4
// (values 180..255) over background noise (0..63). Labels cycle 0..9.
ImageDataset blocks(std::int64_t count, std::uint64_t seed) {
    ImageDataset d;
    d.name = "blocks";
    d.split = "train";
    d.count = count;
    d.rows = d.cols = 8;
    d.pixels.resize(std::size_t(count * 64));
    d.labels.resize(std::size_t(count));
    std::mt19937_64 rng(seed);
    for (std::int64_t i = 0; i < count; ++i) {
        const int c = int(i % 10);
        d.labels[std::size_t(i)] = std::uint8_t(c);
        std::uint8_t* img = d.pixels.data() + i * 64;
        for (int p = 0; p < 64; ++p) img[p] = std::uint8_t(rng() % 64);
        const int r0 = 2 * (c / 4), c0 = 2 * (c % 4);
        for (int r = r0; r < r0 + 2; ++r)
            for (int col = c0; col < c0 + 2; ++col)
                img[r * 8 + col] = std::uint8_t(180 + rng() % 76);
    }
    return d;
}

// A 1 x `cols` image set with the given pixels (cols per sample) and labels.
ImageDataset tiny(int cols, int classes, std::vector<std::uint8_t> pixels,
                  std::vector<std::uint8_t> labels) {
    ImageDataset d;
    d.name = "tiny";
    d.rows = 1;
    d.cols = cols;
    d.numClasses = classes;
    d.count = std::int64_t(labels.size());
    d.pixels = std::move(pixels);
    d.labels = std::move(labels);
    return d;
}

AnnTrainOptions quickOptions() {
    AnnTrainOptions o;
    o.epochs = 4;
    o.batchSize = 32;
    o.learningRate = 0.01;
    o.seed = 7;
    o.threads = 2;
    return o;
}

bool sameBytes(const AnnWeights& a, const AnnWeights& b) {
    if (a.sizes != b.sizes || a.layers.size() != b.layers.size()) return false;
    for (std::size_t l = 0; l < a.layers.size(); ++l)
        if (a.layers[l].size() != b.layers[l].size() ||
            std::memcmp(a.layers[l].data(), b.layers[l].data(), a.layers[l].size() * sizeof(float)))
            return false;
    return true;
}

std::string trainError(const std::vector<std::int64_t>& sizes, const ImageDataset& data,
                       const AnnTrainOptions& options) {
    try {
        trainAnn(sizes, data, nullptr, options);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(Ann, LearnsBlocksAndReportsEachEpoch) {
    const ImageDataset train = blocks(1000, 1), test = blocks(300, 2);
    std::vector<AnnEpochReport> reports;
    AnnTrainOptions o = quickOptions();
    o.onEpoch = [&](const AnnEpochReport& r) { reports.push_back(r); };
    const AnnWeights w = trainAnn({64, 32, 10}, train, &test, o);

    ASSERT_EQ(reports.size(), 4u);
    for (std::size_t e = 0; e < reports.size(); ++e) {
        EXPECT_EQ(reports[e].epoch, int(e) + 1);
        EXPECT_GE(reports[e].seconds, 0.0);
        EXPECT_GE(reports[e].testAccuracy, 0.0);
    }
    EXPECT_LT(reports.back().loss, reports.front().loss);
    EXPECT_LT(reports.back().loss, 0.2);
    EXPECT_GT(reports.back().trainAccuracy, 0.95);
    EXPECT_GT(reports.back().testAccuracy, 0.95);
    EXPECT_DOUBLE_EQ(reports.back().testAccuracy, annAccuracy(w, test, 2));
    ASSERT_EQ(w.layers.size(), 2u);
    EXPECT_EQ(w.layers[0].size(), 64u * 32u);
    EXPECT_EQ(w.layers[1].size(), 32u * 10u);
}

TEST(Ann, SameSeedGivesIdenticalWeightsAndOtherSeedDoesNot) {
    const ImageDataset train = blocks(300, 3);
    AnnTrainOptions o = quickOptions();
    o.epochs = 2;
    o.batchSize = 48; // 300 is not a multiple: the last minibatch is short; wide enough that
                      // Eigen splits the products over two threads
    double lastLoss = -1.0;
    o.onEpoch = [&](const AnnEpochReport& r) {
        lastLoss = r.loss;
        EXPECT_EQ(r.testAccuracy, -1.0);
    };
    const AnnWeights a = trainAnn({64, 128, 12}, train, nullptr, o);
    const double firstLoss = lastLoss;
    const AnnWeights b = trainAnn({64, 128, 12}, train, nullptr, o);
    EXPECT_TRUE(sameBytes(a, b));
    EXPECT_EQ(firstLoss, lastLoss);
    o.seed = 8;
    EXPECT_FALSE(sameBytes(a, trainAnn({64, 128, 12}, train, nullptr, o)));
    o.seed = 7;
    o.threads = 1;
    const AnnWeights c = trainAnn({64, 128, 12}, train, nullptr, o);
    EXPECT_TRUE(sameBytes(c, trainAnn({64, 128, 12}, train, nullptr, o)));
}

TEST(Ann, InitialWeightsAreGlorotUniform) {
    const AnnWeights w = ann_detail::initialWeights({64, 32, 10}, 5);
    const double limits[] = {std::sqrt(6.0 / 96.0), std::sqrt(6.0 / 42.0)};
    for (std::size_t l = 0; l < 2; ++l) {
        double sum = 0.0, maxAbs = 0.0;
        for (float x : w.layers[l]) sum += x, maxAbs = std::max(maxAbs, double(std::fabs(x)));
        EXPECT_LT(maxAbs, limits[l]);
        EXPECT_GT(maxAbs, 0.8 * limits[l]);
        EXPECT_LT(std::fabs(sum / double(w.layers[l].size())), 0.1 * limits[l]);
    }
    EXPECT_TRUE(sameBytes(w, ann_detail::initialWeights({64, 32, 10}, 5)));
}

TEST(Ann, InvalidSizesOptionsAndDataThrow) {
    const ImageDataset data = blocks(20, 4);
    const AnnTrainOptions ok = quickOptions();
    auto expectError = [&](const std::vector<std::int64_t>& sizes, const ImageDataset& d,
                           const AnnTrainOptions& o, const std::string& needle) {
        const std::string message = trainError(sizes, d, o);
        EXPECT_NE(message.find(needle), std::string::npos) << message;
    };
    expectError({64}, data, ok, "{64}");
    expectError({64, 0, 10}, data, ok, "size 0");
    expectError({64, -3, 10}, data, ok, "size -3");
    expectError({63, 10}, data, ok, "63");
    expectError({64, 9}, data, ok, "9 neurons");

    AnnTrainOptions o = ok;
    o.epochs = 0;
    expectError({64, 10}, data, o, "epochs is 0");
    o = ok;
    o.batchSize = 0;
    expectError({64, 10}, data, o, "batch size is 0");
    o = ok;
    o.batchSize = -5;
    expectError({64, 10}, data, o, "batch size is -5");
    for (double lr : {0.0, -0.1, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
        o = ok;
        o.learningRate = lr;
        expectError({64, 10}, data, o, "learning rate is");
    }
    o = ok;
    o.threads = -1;
    expectError({64, 10}, data, o, "threads is -1");

    ImageDataset empty = data;
    empty.count = 0;
    empty.pixels.clear();
    empty.labels.clear();
    expectError({64, 10}, empty, ok, "no samples");
    ImageDataset badLabel = data;
    badLabel.labels[3] = 10;
    expectError({64, 10}, badLabel, ok, "label 10");
}

TEST(Ann, CancelStopsBetweenMinibatches) {
    const ImageDataset train = blocks(2000, 5);
    AnnTrainOptions o = quickOptions();
    o.epochs = 50;
    o.batchSize = 1;
    int calls = 0, epochs = 0;
    o.onEpoch = [&](const AnnEpochReport&) { ++epochs; };
    o.cancelled = [&] { return ++calls >= 2; }; // one minibatch, then stop
    const AnnWeights one = trainAnn({64, 16, 10}, train, nullptr, o);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(epochs, 0);

    calls = 0;
    o.cancelled = [&] { return ++calls >= 1; }; // before the first minibatch
    const AnnWeights none = trainAnn({64, 16, 10}, train, nullptr, o);
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(sameBytes(none, ann_detail::initialWeights({64, 16, 10}, o.seed)));
    EXPECT_FALSE(sameBytes(one, none));
}

TEST(Ann, AccuracyOfHandSetWeights) {
    // One layer, outputs (x0, x1, 0). The third sample's outputs tie at 0: the lowest index
    // (class 0) wins, so it is wrong for label 2 and right for label 0.
    AnnWeights w;
    w.sizes = {2, 3};
    w.layers = {{1, 0, 0, 0, 1, 0}};
    const ImageDataset data = tiny(2, 3, {255, 0, 0, 255, 0, 0}, {0, 1, 2});
    EXPECT_DOUBLE_EQ(annAccuracy(w, data), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(annAccuracy(w, tiny(2, 3, {255, 0, 0, 255, 0, 0}, {0, 1, 0}), 1), 1.0);
    EXPECT_DOUBLE_EQ(annAccuracy(w, data, 1, 2), 1.0);

    // Through a hidden ReLU layer: h = relu(x0 - x1, x1 - x0), outputs (h1, h0, 0).
    AnnWeights deep;
    deep.sizes = {2, 2, 3};
    deep.layers = {{1, -1, -1, 1}, {0, 1, 0, 1, 0, 0}};
    EXPECT_DOUBLE_EQ(annAccuracy(deep, tiny(2, 3, {200, 10, 10, 200, 5, 5}, {1, 0, 0})), 1.0);

    AnnWeights wrongShape = w;
    wrongShape.layers[0].pop_back();
    EXPECT_THROW(annAccuracy(wrongShape, data), Error);
    EXPECT_THROW(annAccuracy(w, tiny(3, 3, {1, 2, 3}, {0})), Error);
}

TEST(Ann, ActivationPercentilesByHand) {
    // h = relu(x0 + x1, x1 - x0); outputs (h0, -h1) clamped at 0 -> (h0, 0).
    AnnWeights w;
    w.sizes = {2, 2, 2};
    w.layers = {{1, -1, 1, 1}, {1, 0, 0, -1}};
    const ImageDataset data = tiny(2, 2, {255, 0, 0, 255, 51, 102, 0, 0}, {0, 1, 0, 1});
    // Layer 1 values sorted: 0 0 0 0.2 0.6 1 1 1; layer 2: 0 0 0 0 0 0.6 1 1.
    auto p50 = annActivationPercentiles(w, data, 50.0);
    ASSERT_EQ(p50.size(), 2u);
    EXPECT_NEAR(p50[0], 0.4, 1e-6); // halfway between ranks 3 and 4 (0.2 and 0.6)
    EXPECT_NEAR(p50[1], 0.0, 1e-6);
    auto p75 = annActivationPercentiles(w, data, 75.0);
    EXPECT_NEAR(p75[0], 1.0, 1e-6);
    EXPECT_NEAR(p75[1], 0.7, 1e-6); // 0.6 + 0.25 * (1 - 0.6)
    auto p100 = annActivationPercentiles(w, data, 100.0);
    EXPECT_NEAR(p100[0], 1.0, 1e-6);
    EXPECT_NEAR(p100[1], 1.0, 1e-6);
    EXPECT_NEAR(annActivationPercentiles(w, data, 0.0)[0], 0.0, 1e-6);
    EXPECT_NEAR(annActivationPercentiles(w, data, 50.0, 1)[0], 0.5, 1e-6); // {0, 1}
    EXPECT_THROW(annActivationPercentiles(w, data, 100.5), Error);
    EXPECT_THROW(annActivationPercentiles(w, data, -1.0), Error);
    EXPECT_THROW(annActivationPercentiles(w, data, std::nan("")), Error);
}

namespace {
// Mean cross-entropy of a bias-free ReLU network, in double, written independently of ann.cpp.
double referenceLoss(const std::vector<std::int64_t>& sizes,
                     const std::vector<std::vector<double>>& layers, const std::vector<float>& x,
                     const std::vector<std::uint8_t>& labels) {
    double total = 0.0;
    for (std::size_t s = 0; s < labels.size(); ++s) {
        std::vector<double> h(x.begin() + std::ptrdiff_t(s * sizes[0]),
                              x.begin() + std::ptrdiff_t((s + 1) * sizes[0]));
        for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
            std::vector<double> next(std::size_t(sizes[l + 1]), 0.0);
            for (std::size_t i = 0; i < h.size(); ++i)
                for (std::size_t j = 0; j < next.size(); ++j)
                    next[j] += h[i] * layers[l][i * next.size() + j];
            if (l + 2 < sizes.size())
                for (auto& v : next) v = std::max(v, 0.0);
            h = next;
        }
        double top = h[0], sum = 0.0;
        for (double v : h) top = std::max(top, v);
        for (double v : h) sum += std::exp(v - top);
        total += top + std::log(sum) - h[labels[s]];
    }
    return total / double(labels.size());
}
} // namespace

TEST(Ann, GradientMatchesFiniteDifferences) {
    const std::vector<std::int64_t> sizes = {5, 4, 4, 3};
    const AnnWeights w = ann_detail::initialWeights(sizes, 11);
    std::mt19937_64 rng(12);
    std::vector<float> x(6 * 5);
    for (auto& v : x) v = float(double(rng() >> 11) * 0x1.0p-53);
    const std::vector<std::uint8_t> labels = {0, 1, 2, 2, 1, 0};

    std::vector<std::vector<float>> grads;
    const double loss = ann_detail::lossAndGradient(w, x, labels, grads);
    std::vector<std::vector<double>> wd(w.layers.size());
    for (std::size_t l = 0; l < wd.size(); ++l)
        wd[l].assign(w.layers[l].begin(), w.layers[l].end());
    EXPECT_NEAR(loss, referenceLoss(sizes, wd, x, labels), 1e-5);

    ASSERT_EQ(grads.size(), 3u);
    const double h = 1e-6;
    for (std::size_t l = 0; l < wd.size(); ++l) {
        ASSERT_EQ(grads[l].size(), wd[l].size());
        for (std::size_t k = 0; k < wd[l].size(); ++k) {
            const double saved = wd[l][k];
            wd[l][k] = saved + h;
            const double up = referenceLoss(sizes, wd, x, labels);
            wd[l][k] = saved - h;
            const double down = referenceLoss(sizes, wd, x, labels);
            wd[l][k] = saved;
            const double numeric = (up - down) / (2.0 * h);
            EXPECT_NEAR(grads[l][k], numeric, 1e-5 + 1e-3 * std::fabs(numeric))
                << "layer " << l << " weight " << k;
        }
    }
}
