#pragma once
// A feed-forward ReLU network without biases (the GeNN MNIST tutorial's "Part 0"):
// y = softmax(W_L^T relu(... relu(W_1^T x))), x = pixels / 255. Trained with softmax
// cross-entropy and Adam on minibatches. Weights are stored (inputs x outputs), row-major,
// exactly like the tutorial's weights_0_1.npy, so they drop into an SNN projection as is.
#include "spikelab/dataset.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace spikelab {

struct AnnWeights {
    std::vector<std::int64_t> sizes;         // e.g. {784, 128, 10}
    std::vector<std::vector<float>> layers;  // layers[l]: sizes[l] x sizes[l+1], row-major
};

struct AnnEpochReport {
    int epoch = 0;               // 1-based
    double loss = 0.0;           // mean training cross-entropy over the epoch
    double trainAccuracy = 0.0;  // on the training minibatches seen during the epoch
    double testAccuracy = -1.0;  // on the test set when one is given, else -1
    double seconds = 0.0;
};

// One minibatch of training, reported as it finishes (for live loss curves).
struct AnnBatchReport {
    int epoch = 0;                // 1-based
    std::int64_t batch = 0;       // 1-based within the epoch
    std::int64_t batchesPerEpoch = 0;
    double loss = 0.0;            // mean cross-entropy over the minibatch, before its update
    double accuracy = 0.0;        // fraction of the minibatch predicted right, likewise
};

struct AnnTrainOptions {
    int epochs = 10;
    int batchSize = 64;
    double learningRate = 1e-3;
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    std::uint64_t seed = 1;  // weight initialisation (Glorot uniform) and shuffling
    int threads = 0;         // 0: all cores
    std::function<void(const AnnEpochReport&)> onEpoch;
    std::function<void(const AnnBatchReport&)> onBatch;
    std::function<bool()> cancelled;  // polled between minibatches; true stops training
};

// Same sizes, data, options and thread count give bit-identical weights.
// Throws spikelab::Error when sizes do not fit the data (first size != pixels per image,
// last size < number of classes) or options are invalid.
AnnWeights trainAnn(const std::vector<std::int64_t>& sizes, const ImageDataset& train,
                    const ImageDataset* test, const AnnTrainOptions& options);

// Fraction of samples whose largest output is the label (first `limit` samples when > 0).
double annAccuracy(const AnnWeights& weights, const ImageDataset& data, int threads = 0,
                   std::int64_t limit = 0);

// Per layer l (1..L), the given percentile (e.g. 99.9) of the ReLU activations of layer l
// over the first `limit` samples; used for data-based weight normalisation before conversion.
std::vector<double> annActivationPercentiles(const AnnWeights& weights, const ImageDataset& data,
                                             double percentile, std::int64_t limit = 0);

} // namespace spikelab
