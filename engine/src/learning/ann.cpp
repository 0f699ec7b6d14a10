// The ANN of the GeNN MNIST tutorial's "Part 0": ReLU layers without biases, softmax
// cross-entropy, Adam on minibatches. Activations are row vectors, so a minibatch is a
// (batch x n) row-major matrix and layer l is h_{l+1} = relu(h_l * W_l) with W_l stored
// (n_l x n_{l+1}) row-major, exactly as AnnWeights keeps it. All matrix work is Eigen.
#include "spikelab/ann.h"
#include "learning/ann_internal.h"
#include "spikelab/error.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wuninitialized" // GCC 12 on AVX-512 intrinsics (PR 105593)
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#pragma GCC diagnostic pop

#include <omp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace spikelab {
namespace {

using Index = Eigen::Index;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using Pointers = std::vector<const float*>;
using MutablePointers = std::vector<float*>;

constexpr Index kEvalBatch = 1000;

// Sets Eigen's thread count for the lifetime of the object and restores the previous one.
class EigenThreads {
public:
    explicit EigenThreads(int threads) : previous_(Eigen::nbThreads()) {
        Eigen::setNbThreads(threads > 0 ? threads : omp_get_max_threads());
    }
    ~EigenThreads() { Eigen::setNbThreads(previous_); }
    EigenThreads(const EigenThreads&) = delete;
    EigenThreads& operator=(const EigenThreads&) = delete;

private:
    int previous_;
};

std::string sizesText(const std::vector<std::int64_t>& sizes) {
    std::string text = "{";
    for (std::size_t i = 0; i < sizes.size(); ++i)
        text += (i ? ", " : "") + std::to_string(sizes[i]);
    return text + "}";
}

std::string datasetText(const ImageDataset& data) {
    return "data set " + quote(data.name.empty() ? std::string("(unnamed)") : data.name) +
           (data.split.empty() ? "" : " (" + data.split + ")");
}

void checkSizes(const std::vector<std::int64_t>& sizes) {
    if (sizes.size() < 2)
        throw Error("ANN layer sizes " + sizesText(sizes) +
                    ": need at least an input and an output layer");
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] <= 0)
            throw Error("ANN layer sizes " + sizesText(sizes) + ": layer " + std::to_string(i) +
                        " has size " + std::to_string(sizes[i]) + ", must be at least 1");
}

// The data set must be non-empty, consistent, and fit the network's first and last layers.
void checkData(const std::vector<std::int64_t>& sizes, const ImageDataset& data) {
    const std::string what = datasetText(data);
    if (data.count <= 0) throw Error(what + " has no samples");
    if (data.pixels.size() != std::size_t(data.count * data.pixelsPerImage()) ||
        data.labels.size() != std::size_t(data.count))
        throw Error(what + ": " + std::to_string(data.count) + " samples of " +
                    std::to_string(data.rows) + "x" + std::to_string(data.cols) + " but " +
                    std::to_string(data.pixels.size()) + " pixels and " +
                    std::to_string(data.labels.size()) + " labels");
    if (sizes.front() != data.pixelsPerImage())
        throw Error("ANN input layer has " + std::to_string(sizes.front()) + " neurons but " +
                    what + " has " + std::to_string(data.rows) + "x" + std::to_string(data.cols) +
                    " = " + std::to_string(data.pixelsPerImage()) + " pixels per image");
    if (sizes.back() < data.numClasses)
        throw Error("ANN output layer has " + std::to_string(sizes.back()) + " neurons but " +
                    what + " has " + std::to_string(data.numClasses) + " classes");
    for (std::int64_t i = 0; i < data.count; ++i)
        if (data.labels[i] >= data.numClasses)
            throw Error(what + ": sample " + std::to_string(i) + " has label " +
                        std::to_string(int(data.labels[i])) + ", but there are only " +
                        std::to_string(data.numClasses) + " classes");
}

void checkWeights(const AnnWeights& weights) {
    checkSizes(weights.sizes);
    if (weights.layers.size() + 1 != weights.sizes.size())
        throw Error("ANN with layer sizes " + sizesText(weights.sizes) + " has " +
                    std::to_string(weights.layers.size()) + " weight matrices, expected " +
                    std::to_string(weights.sizes.size() - 1));
    for (std::size_t l = 0; l < weights.layers.size(); ++l)
        if (weights.layers[l].size() != std::size_t(weights.sizes[l] * weights.sizes[l + 1]))
            throw Error("ANN weight matrix " + std::to_string(l) + " has " +
                        std::to_string(weights.layers[l].size()) + " entries, expected " +
                        std::to_string(weights.sizes[l]) + "x" +
                        std::to_string(weights.sizes[l + 1]));
}

// Activation buffers for up to `maxBatch` samples; forward and backward passes over the first
// `b` rows. acts[0] is the input, acts[l] the post-ReLU output of layer l, acts[L] the logits;
// deltas[l] (training only, l >= 1) the loss gradient with respect to layer l's pre-activation.
class Network {
public:
    Network(const std::vector<std::int64_t>& sizes, Index maxBatch, bool training) : sizes_(sizes) {
        for (std::size_t l = 0; l < sizes.size(); ++l) {
            acts_.emplace_back(maxBatch, Index(sizes[l]));
            deltas_.emplace_back(training && l > 0 ? maxBatch : 0, Index(sizes[l]));
        }
    }

    float* inputRow(Index i) { return acts_[0].row(i).data(); }
    const RowMatrix& activations(std::size_t l) const { return acts_[l]; }
    std::size_t layerCount() const { return sizes_.size() - 1; }

    void forward(const Pointers& weights, Index b) {
        const std::size_t L = layerCount();
        for (std::size_t l = 0; l < L; ++l) {
            auto out = acts_[l + 1].topRows(b);
            out.noalias() = acts_[l].topRows(b) * weightMap(weights, l);
            if (l + 1 < L) out = out.cwiseMax(0.0f);
        }
    }

    // After forward(): softmax cross-entropy against `labels`; returns the summed loss, adds
    // the number of correct argmax predictions to `correct` and leaves d(mean loss)/d(logits)
    // in deltas_[L].
    double softmaxLoss(const std::uint8_t* labels, Index b, std::int64_t& correct) {
        const std::size_t L = layerCount();
        const Index classes = Index(sizes_[L]);
        const float invBatch = 1.0f / float(b);
        double loss = 0.0;
        for (Index i = 0; i < b; ++i) {
            const float* z = acts_[L].row(i).data();
            float* d = deltas_[L].row(i).data();
            Index best = 0;
            for (Index k = 1; k < classes; ++k)
                if (z[k] > z[best]) best = k;
            const float top = z[best];
            float sum = 0.0f;
            for (Index k = 0; k < classes; ++k) sum += d[k] = std::exp(z[k] - top);
            const Index label = labels[i];
            for (Index k = 0; k < classes; ++k)
                d[k] = (d[k] / sum - (k == label ? 1.0f : 0.0f)) * invBatch;
            loss += double(top) + std::log(double(sum)) - double(z[label]);
            if (best == label) ++correct;
        }
        return loss;
    }

    // After softmaxLoss(): gradients[l] = d(mean loss)/d(W_l). The gradients should live in
    // Eigen-allocated (aligned) storage: some of Eigen's small-product paths pick their
    // scalar/vector split from the destination's alignment, and the trainer promises results
    // that do not depend on where the allocator happens to put an array.
    void backward(const Pointers& weights, const MutablePointers& gradients, Index b) {
        for (std::size_t l = layerCount(); l-- > 0;) {
            MatrixMap grad(gradients[l], Index(sizes_[l]), Index(sizes_[l + 1]));
            grad.noalias() = acts_[l].topRows(b).transpose() * deltas_[l + 1].topRows(b);
            if (l == 0) break;
            auto delta = deltas_[l].topRows(b);
            delta.noalias() = deltas_[l + 1].topRows(b) * weightMap(weights, l).transpose();
            delta = (acts_[l].topRows(b).array() > 0.0f).select(delta, 0.0f);
        }
    }

private:
    ConstMatrixMap weightMap(const Pointers& weights, std::size_t l) const {
        return ConstMatrixMap(weights[l], Index(sizes_[l]), Index(sizes_[l + 1]));
    }

    std::vector<std::int64_t> sizes_;
    std::vector<RowMatrix> acts_, deltas_;
};

// pixel / 255 for every pixel value, so the input conversion is one table lookup.
std::array<float, 256> pixelTable() {
    std::array<float, 256> table{};
    for (int p = 0; p < 256; ++p) table[std::size_t(p)] = float(p) / 255.0f;
    return table;
}

void loadRows(Network& net, const ImageDataset& data, const std::int64_t* indices, Index b) {
    static const std::array<float, 256> table = pixelTable();
    const std::int64_t n = data.pixelsPerImage();
    for (Index i = 0; i < b; ++i) {
        const std::uint8_t* src = data.image(indices[i]);
        float* dst = net.inputRow(i);
        for (std::int64_t k = 0; k < n; ++k) dst[k] = table[src[k]];
    }
}

// Uniform integer in [0, n) without modulo bias (rejects the top 2^64 mod n raw values).
std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t n) {
    const std::uint64_t threshold = (std::uint64_t(0) - n) % n;
    while (true) {
        const std::uint64_t r = rng();
        if (r >= threshold) return r % n;
    }
}

AnnWeights glorot(const std::vector<std::int64_t>& sizes, std::mt19937_64& rng) {
    AnnWeights w;
    w.sizes = sizes;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        const double limit = std::sqrt(6.0 / double(sizes[l] + sizes[l + 1]));
        auto& layer = w.layers.emplace_back(std::size_t(sizes[l] * sizes[l + 1]));
        for (auto& x : layer) {
            const double u = double(rng() >> 11) * 0x1.0p-53; // [0, 1)
            x = float((2.0 * u - 1.0) * limit);
        }
    }
    return w;
}

void checkOptions(const AnnTrainOptions& o) {
    auto bad = [](const std::string& what, const std::string& value, const std::string& rule) {
        throw Error("ANN training: " + what + " is " + value + ", " + rule);
    };
    if (o.epochs < 1) bad("epochs", std::to_string(o.epochs), "must be at least 1");
    if (o.batchSize < 1) bad("batch size", std::to_string(o.batchSize), "must be at least 1");
    if (!(o.learningRate > 0.0) || !std::isfinite(o.learningRate))
        bad("learning rate", std::to_string(o.learningRate), "must be positive and finite");
    if (!(o.beta1 >= 0.0 && o.beta1 < 1.0))
        bad("Adam beta1", std::to_string(o.beta1), "must be in [0, 1)");
    if (!(o.beta2 >= 0.0 && o.beta2 < 1.0))
        bad("Adam beta2", std::to_string(o.beta2), "must be in [0, 1)");
    if (!(o.epsilon > 0.0) || !std::isfinite(o.epsilon))
        bad("Adam epsilon", std::to_string(o.epsilon), "must be positive and finite");
    if (o.threads < 0) bad("threads", std::to_string(o.threads), "must be 0 (all cores) or more");
}

Pointers pointersOf(const std::vector<std::vector<float>>& layers) {
    Pointers p;
    for (const auto& layer : layers) p.push_back(layer.data());
    return p;
}

// One array per weight matrix, in Eigen's aligned storage.
std::vector<Eigen::ArrayXf> zeroArrays(const std::vector<std::int64_t>& sizes) {
    std::vector<Eigen::ArrayXf> arrays;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
        arrays.push_back(Eigen::ArrayXf::Zero(Index(sizes[l] * sizes[l + 1])));
    return arrays;
}

template <typename Arrays, typename Pointer> std::vector<Pointer> pointersOf(Arrays& arrays) {
    std::vector<Pointer> p;
    for (auto& a : arrays) p.push_back(a.data());
    return p;
}

} // namespace

namespace ann_detail {

double lossAndGradient(const AnnWeights& weights, const std::vector<float>& inputs,
                       const std::vector<std::uint8_t>& labels,
                       std::vector<std::vector<float>>& gradients) {
    checkWeights(weights);
    const Index b = Index(labels.size());
    const Index n0 = Index(weights.sizes.front());
    if (b == 0 || inputs.size() != std::size_t(b * n0))
        throw Error("lossAndGradient: " + std::to_string(inputs.size()) + " inputs for " +
                    std::to_string(b) + " labels of " + std::to_string(n0) + " inputs each");
    for (auto label : labels)
        if (label >= weights.sizes.back())
            throw Error("lossAndGradient: label " + std::to_string(int(label)) + " >= outputs");
    Network net(weights.sizes, b, true);
    for (Index i = 0; i < b; ++i) std::copy_n(inputs.data() + i * n0, n0, net.inputRow(i));
    auto grads = zeroArrays(weights.sizes);
    std::int64_t correct = 0;
    const Pointers w = pointersOf(weights.layers);
    net.forward(w, b);
    const double loss = net.softmaxLoss(labels.data(), b, correct);
    net.backward(w, pointersOf<decltype(grads), float*>(grads), b);
    gradients.assign(grads.size(), {});
    for (std::size_t l = 0; l < grads.size(); ++l)
        gradients[l].assign(grads[l].data(), grads[l].data() + grads[l].size());
    return loss / double(b);
}

AnnWeights initialWeights(const std::vector<std::int64_t>& sizes, std::uint64_t seed) {
    checkSizes(sizes);
    std::mt19937_64 rng(seed);
    return glorot(sizes, rng);
}

} // namespace ann_detail

AnnWeights trainAnn(const std::vector<std::int64_t>& sizes, const ImageDataset& train,
                    const ImageDataset* test, const AnnTrainOptions& options) {
    checkSizes(sizes);
    checkOptions(options);
    checkData(sizes, train);
    if (test) checkData(sizes, *test);
    EigenThreads threads(options.threads);

    std::mt19937_64 rng(options.seed);
    AnnWeights result = glorot(sizes, rng);
    const std::size_t L = result.layers.size();
    // Weights, gradients and Adam moments live in aligned Eigen arrays while training, so
    // the vectorised loops split the same way on every run.
    auto w = zeroArrays(sizes), g = zeroArrays(sizes), m = zeroArrays(sizes), v = zeroArrays(sizes);
    for (std::size_t l = 0; l < L; ++l)
        std::copy(result.layers[l].begin(), result.layers[l].end(), w[l].data());
    const auto weightPointers = pointersOf<decltype(w), const float*>(w);
    const auto gradientPointers = pointersOf<decltype(g), float*>(g);
    auto sync = [&]() -> const AnnWeights& { // the trained weights into `result`
        for (std::size_t l = 0; l < L; ++l)
            std::copy(w[l].data(), w[l].data() + w[l].size(), result.layers[l].begin());
        return result;
    };

    const Index maxBatch = Index(std::min<std::int64_t>(options.batchSize, train.count));
    Network net(sizes, maxBatch, true);
    std::vector<std::int64_t> order(std::size_t(train.count));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = std::int64_t(i);
    std::vector<std::uint8_t> batchLabels(static_cast<std::size_t>(maxBatch));

    const float beta1 = float(options.beta1), beta2 = float(options.beta2);
    const float lr = float(options.learningRate), eps = float(options.epsilon);
    const float tiny = std::numeric_limits<float>::min(); // the smallest normal float
    double beta1Power = 1.0, beta2Power = 1.0;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = order.size() - 1; i > 0; --i) // Fisher-Yates
            std::swap(order[i], order[uniformBelow(rng, std::uint64_t(i) + 1)]);

        double lossSum = 0.0;
        std::int64_t correct = 0;
        const std::int64_t batches = (train.count + maxBatch - 1) / maxBatch;
        for (std::int64_t first = 0; first < train.count; first += maxBatch) {
            if (options.cancelled && options.cancelled()) {
                sync();
                return result;
            }
            const Index b = Index(std::min<std::int64_t>(maxBatch, train.count - first));
            const std::int64_t* indices = order.data() + first;
            loadRows(net, train, indices, b);
            for (Index i = 0; i < b; ++i) batchLabels[std::size_t(i)] = train.labels[indices[i]];
            net.forward(weightPointers, b);
            const std::int64_t correctBefore = correct;
            const double batchLoss = net.softmaxLoss(batchLabels.data(), b, correct);
            lossSum += batchLoss;
            net.backward(weightPointers, gradientPointers, b);

            beta1Power *= options.beta1;
            beta2Power *= options.beta2;
            const float c1 = float(1.0 - beta1Power), c2 = float(1.0 - beta2Power);
            for (std::size_t l = 0; l < L; ++l) {
                m[l] = beta1 * m[l] + (1.0f - beta1) * g[l];
                v[l] = beta2 * v[l] + (1.0f - beta2) * g[l].square();
                // Moments of weights that see no input decay towards zero; once subnormal
                // they would slow every later step many times over (and change the update
                // by less than 1e-30), so they are set to zero.
                m[l] = (m[l].abs() < tiny).select(0.0f, m[l]);
                v[l] = (v[l] < tiny).select(0.0f, v[l]);
                w[l] -= lr * (m[l] / c1) / ((v[l] / c2).sqrt() + eps);
            }
            if (options.onBatch)
                options.onBatch({epoch, first / maxBatch + 1, batches, batchLoss / double(b),
                                 double(correct - correctBefore) / double(b)});
        }

        AnnEpochReport report;
        report.epoch = epoch;
        report.loss = lossSum / double(train.count);
        report.trainAccuracy = double(correct) / double(train.count);
        if (test) report.testAccuracy = annAccuracy(sync(), *test, options.threads);
        report.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (options.onEpoch) options.onEpoch(report);
    }
    sync();
    return result;
}

namespace {
// Runs the network over the first `limit` samples (all when <= 0) in batches and hands each
// batch's Network, first sample and row count to `visit`.
template <typename Visit>
void forEachBatch(const AnnWeights& weights, const ImageDataset& data, std::int64_t limit,
                  Visit&& visit) {
    checkWeights(weights);
    checkData(weights.sizes, data);
    const std::int64_t count = limit > 0 ? std::min(limit, data.count) : data.count;
    const Index maxBatch = std::min<Index>(kEvalBatch, Index(count));
    Network net(weights.sizes, maxBatch, false);
    std::vector<std::int64_t> indices(static_cast<std::size_t>(maxBatch));
    const Pointers w = pointersOf(weights.layers);
    for (std::int64_t first = 0; first < count; first += maxBatch) {
        const Index b = Index(std::min<std::int64_t>(maxBatch, count - first));
        for (Index i = 0; i < b; ++i) indices[std::size_t(i)] = first + i;
        loadRows(net, data, indices.data(), b);
        net.forward(w, b);
        visit(net, first, b);
    }
}
} // namespace

double annAccuracy(const AnnWeights& weights, const ImageDataset& data, int threads,
                   std::int64_t limit) {
    if (threads < 0) throw Error("annAccuracy: threads is " + std::to_string(threads));
    EigenThreads guard(threads);
    std::int64_t correct = 0, seen = 0;
    forEachBatch(weights, data, limit, [&](const Network& net, std::int64_t first, Index b) {
        const RowMatrix& out = net.activations(net.layerCount());
        for (Index i = 0; i < b; ++i) {
            Index best = 0;
            for (Index k = 1; k < out.cols(); ++k)
                if (out(i, k) > out(i, best)) best = k; // ties: the lowest index
            if (best == data.labels[std::size_t(first + i)]) ++correct;
        }
        seen += b;
    });
    return double(correct) / double(seen);
}

// Linear interpolation between the two nearest ranks (NumPy's default "linear" method): the
// p-th percentile of n sorted values v is v[k] + f * (v[k+1] - v[k]) with k + f = p/100*(n-1).
std::vector<double> annActivationPercentiles(const AnnWeights& weights, const ImageDataset& data,
                                             double percentile, std::int64_t limit) {
    if (!(percentile >= 0.0 && percentile <= 100.0))
        throw Error("activation percentile is " + std::to_string(percentile) +
                    ", must be in [0, 100]");
    EigenThreads guard(0);
    const std::size_t L = weights.layers.size();
    std::vector<std::vector<float>> values(L);
    const std::int64_t count = limit > 0 ? std::min(limit, data.count) : data.count;
    for (std::size_t l = 0; l < L; ++l)
        values[l].reserve(std::size_t(std::max<std::int64_t>(count, 0) * weights.sizes.at(l + 1)));
    forEachBatch(weights, data, limit, [&](const Network& net, std::int64_t, Index b) {
        for (std::size_t l = 1; l <= L; ++l) {
            const auto rows = net.activations(l).topRows(b);
            auto& v = values[l - 1];
            const std::size_t offset = v.size();
            v.resize(offset + std::size_t(rows.size()));
            for (Index k = 0; k < rows.size(); ++k) // the raw outputs are clamped like ReLU
                v[offset + std::size_t(k)] = std::max(rows.data()[k], 0.0f);
        }
    });
    std::vector<double> result(L);
    for (std::size_t l = 0; l < L; ++l) {
        auto& v = values[l];
        const double position = percentile / 100.0 * double(v.size() - 1);
        const std::size_t k = std::min(std::size_t(position), v.size() - 1);
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
        const double low = v[k];
        const double fraction = position - double(k);
        double high = low;
        if (k + 1 < v.size() && fraction > 0.0)
            high = *std::min_element(v.begin() + std::ptrdiff_t(k) + 1, v.end());
        result[l] = low + fraction * (high - low);
    }
    return result;
}

} // namespace spikelab
