#pragma once
// Internals of the ANN trainer (ann.cpp), exposed for the tests only.
#include "spikelab/ann.h"

#include <cstdint>
#include <vector>

namespace spikelab::ann_detail {

// One forward and backward pass over a minibatch, through the same code the trainer uses.
// `inputs` holds batch x sizes[0] floats (row-major, already scaled), `labels` one label per
// row. Returns the mean softmax cross-entropy of the batch and writes into `gradients[l]` its
// gradient with respect to weights.layers[l] (same shape and order). Throws spikelab::Error
// when the shapes do not agree.
double lossAndGradient(const AnnWeights& weights, const std::vector<float>& inputs,
                       const std::vector<std::uint8_t>& labels,
                       std::vector<std::vector<float>>& gradients);

// Glorot-uniform initial weights for `sizes`, drawn from std::mt19937_64 seeded with `seed`
// exactly as trainAnn draws them before its first epoch.
AnnWeights initialWeights(const std::vector<std::int64_t>& sizes, std::uint64_t seed);

} // namespace spikelab::ann_detail
