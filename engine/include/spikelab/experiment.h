#pragma once
// Presenting a data set to a network: each sample is encoded by the network's inputs,
// presented for stepsPerSample steps, and read out as the readout neuron with the most
// spikes (ties go to the lowest index). State is reset between samples. A network without a
// readout population is only measured (spikes per sample), with no accuracy.
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/dataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace spikelab {

struct EvaluationOptions {
    std::int64_t samples = 0;  // 0: the whole data set
    int batch = 0;             // 0: chosen for the machine (see defaultBatch)
    int threads = 0;           // 0: all cores
    std::string backend = "cpu";
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    std::function<bool()> cancelled;  // polled between batches
};

struct EvaluationResult {
    std::int64_t samples = 0;
    std::int64_t correct = 0;
    double accuracy = 0.0;
    bool hasReadout = false;
    int numClasses = 0;
    std::vector<std::int64_t> confusion;      // numClasses x numClasses, [label][prediction]
    std::vector<std::string> populations;
    std::vector<double> spikesPerSample;      // mean spikes per sample, per population
    double seconds = 0.0;                     // wall time of the simulation loop
    std::int64_t stepsPerSample = 0;
    int batch = 0, threads = 0;
    std::string backend;
    bool cancelled = false;
};

// Checks that the network can be driven by this data set (input sizes, readout size).
// Throws spikelab::Error naming the input or population.
void checkNetworkFitsDataset(const CompiledNetwork& network, const ImageDataset& data);

// Writes the currents of every image-encoding input of `network` for one sample.
void encodeSample(Backend& backend, const ImageDataset& data, std::int64_t sample, int batchIndex);

// argmax with ties to the lowest index.
int predictClass(const std::vector<std::uint32_t>& counts);

int defaultBatch(std::int64_t samples, int threads);

EvaluationResult evaluate(const CompiledNetwork& network, const ImageDataset& data,
                          const EvaluationOptions& options);

} // namespace spikelab
