#pragma once
// Presenting a data set to a network: each sample is encoded by the network's inputs,
// presented for stepsPerSample steps, and read out as the readout neuron with the most
// spikes (ties go to the lowest index). State is reset between samples. A network without a
// readout population is only measured (spikes per sample), with no accuracy.
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/dataset.h"
#include "spikelab/events.h"

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

// Samples that can be presented to a network: images through the image encoders, event
// recordings through EventReplay inputs.
class SampleSource {
public:
    virtual ~SampleSource() = default;
    virtual std::string name() const = 0;
    virtual std::int64_t count() const = 0;
    virtual int numClasses() const = 0;
    virtual int label(std::int64_t sample) const = 0;
    // Throws spikelab::Error naming the input or population the samples cannot drive.
    virtual void check(const CompiledNetwork& network) const = 0;
    virtual void encode(Backend& backend, std::int64_t sample, int batchIndex) const = 0;
};

class ImageSamples final : public SampleSource {
public:
    explicit ImageSamples(const ImageDataset& data) : data_(data) {}
    std::string name() const override { return data_.name; }
    std::int64_t count() const override { return data_.count; }
    int numClasses() const override { return data_.numClasses; }
    int label(std::int64_t sample) const override { return data_.labels[std::size_t(sample)]; }
    void check(const CompiledNetwork& network) const override;
    void encode(Backend& backend, std::int64_t sample, int batchIndex) const override;

private:
    const ImageDataset& data_;
};

// Replays recordings into the network's EventReplay inputs. Reads each input's blocklist
// file (if any) once, here.
class EventSamples final : public SampleSource {
public:
    EventSamples(const EventDataset& data, const CompiledNetwork& network);
    std::string name() const override { return data_.name; }
    std::int64_t count() const override { return std::int64_t(data_.samples.size()); }
    int numClasses() const override { return data_.numClasses; }
    int label(std::int64_t sample) const override { return data_.samples[std::size_t(sample)].label; }
    void check(const CompiledNetwork& network) const override;
    void encode(Backend& backend, std::int64_t sample, int batchIndex) const override;
    // The spike train input `inputIndex` (into network.inputs) gets for `sample`.
    SpikeTrain train(std::size_t inputIndex, std::int64_t sample) const;
    // How that input maps event times to steps, from its parameters (bin_ms, max_time_us) and
    // the presentation length, as they are in the network now.
    TimeMapping mapping(std::size_t inputIndex) const;

private:
    const EventDataset& data_;
    const CompiledNetwork& net_;
    std::vector<InputMap> maps_;  // per network input (empty map for non-event inputs)
};

// Checks that the network can be driven by this data set (input sizes, readout size).
// Throws spikelab::Error naming the input or population.
void checkNetworkFitsDataset(const CompiledNetwork& network, const ImageDataset& data);

// Several inputs on one population act together, as current sources do in GeNN and NEST
// (docs/architecture.md, "Several inputs on one population"): the currents of all inputs that
// target a population are summed in the order the network lists them, and the spike trains
// of all spike encoders that target a SpikeSource population merge (mergeSpikeTrains). The
// backend gets each population's combined input once; no input replaces another.

// Encodes one sample through every input of `network`, whose encoder parameters may differ
// from the backend's copy (the workbench changes an input's scale while it runs). Spike
// trains start at the backend's current step.
void encodeSample(Backend& backend, const CompiledNetwork& network, const ImageDataset& data,
                  std::int64_t sample, int batchIndex);
// The same through the backend's own network.
void encodeSample(Backend& backend, const ImageDataset& data, std::int64_t sample, int batchIndex);
// Encodes one sample through the inputs of `network` that target `population` only, combined
// as above: what the workbench redoes when one of them changes while a sample runs.
void encodePopulationInputs(Backend& backend, const CompiledNetwork& network, int population,
                            const ImageDataset& data, std::int64_t sample, int batchIndex);
// The populations fed by at least one input, in ascending order.
std::vector<int> inputTargets(const CompiledNetwork& network);

// argmax with ties to the lowest index.
int predictClass(const std::vector<std::uint32_t>& counts);

int defaultBatch(std::int64_t samples, int threads);

EvaluationResult evaluate(const CompiledNetwork& network, const SampleSource& samples,
                          const EvaluationOptions& options);
EvaluationResult evaluate(const CompiledNetwork& network, const ImageDataset& data,
                          const EvaluationOptions& options);

} // namespace spikelab
