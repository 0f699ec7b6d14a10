#pragma once
// ANN-to-SNN conversion for feed-forward IF networks (the GeNN MNIST tutorial's approach).
//
// The chain is: the population an image input drives, then dense DeltaCurr projections,
// one after the other, ending at the readout. The ANN (ann.h) has the same sizes. Its weights
// are normalised layer by layer with the data (Diehl et al. 2015): lambda_l is a high
// percentile of layer l's ReLU activations, W_l * lambda_(l-1) / lambda_l keeps activations
// near [0, 1]. Each layer is then scaled so that a maximal input drives its IF neurons at
// rate gamma relative to their threshold, and gamma is chosen by simulating calibration
// samples from the training split: the most accurate wins, ties go to fewer spikes.
#include "spikelab/ann.h"
#include "spikelab/experiment.h"
#include "spikelab/fileio.h"
#include "spikelab/network.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spikelab {

struct FeedForwardChain {
    std::size_t input = 0;                 // index into spec.inputs
    std::vector<std::size_t> populations;  // spec.populations, input side first
    std::vector<std::size_t> projections;  // spec.projections, in order
    std::vector<std::int64_t> sizes;       // neurons per population of the chain
};

// Throws spikelab::Error saying which part of the spec is not a feed-forward IF chain.
FeedForwardChain findFeedForwardChain(const NetworkSpec& spec);

struct ConversionOptions {
    double percentile = 99.9;
    std::int64_t calibrationSamples = 1000;
    std::vector<double> gammas = {0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 2.8};
    int threads = 0;
};

struct ConversionTrial {
    double gamma = 0.0;
    double accuracy = 0.0;
    double spikesPerSample = 0.0;
};

struct ConversionResult {
    std::vector<std::vector<float>> layers;  // SNN weights, pre x post, per chain projection
    std::vector<double> activationScale;     // lambda_l per layer
    double gamma = 0.0;
    std::vector<ConversionTrial> trials;
};

ConversionResult convertAnnToSnn(const NetworkSpec& spec, const FeedForwardChain& chain,
                                 const AnnWeights& ann, const ImageDataset& calibration,
                                 const ConversionOptions& options);

// A compiled copy of `spec` whose chain projections carry `layers` (no weight files read).
CompiledNetwork compileWithChainWeights(const NetworkSpec& spec, const FeedForwardChain& chain,
                                        const std::vector<std::vector<float>>& layers);

// The weight file of each chain projection: the .npy it already names, else
// "<projection>.npy"; throws spikelab::Error naming the projection when that file lies
// outside the project's folder (projectWritePath). Called before training, so a refusal
// costs no time.
void checkChainWeightFiles(const NetworkSpec& spec, const std::string& projectPath,
                           const FeedForwardChain& chain);
// Stages each layer as float32 .npy in that file (in `files`, written when the caller commits
// them with the project) and points the projections at them.
void storeChainWeights(NetworkSpec& spec, const std::string& projectPath,
                       const FeedForwardChain& chain,
                       const std::vector<std::vector<float>>& layers, FileSet& files);

} // namespace spikelab
