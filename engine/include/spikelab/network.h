#pragma once
// NetworkSpec: the whole description of a network and its experiment, as plain data.
// It is what the editor edits, what undo commands change, what JSON stores and what a
// backend is built from. It holds no runtime state. See project.h for (de)serialisation.
#include "spikelab/model_declaration.h"
#include "spikelab/params.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spikelab {

struct RecordSpec {
    bool spikes = false;                 // record every spike of the population
    std::vector<std::string> variables;  // state variables to sample, e.g. {"V"}
    std::vector<std::int64_t> neurons;   // neurons whose variables are sampled
    bool operator==(const RecordSpec&) const = default;
};

// Where the canvas editor draws a node (scene units); absent until placed, then the editor
// lays the node out automatically.
struct CanvasPosition {
    double x = 0.0, y = 0.0;
    bool operator==(const CanvasPosition&) const = default;
};

struct PopulationSpec {
    std::string name;
    std::int64_t size = 1;
    std::string model = "LIF";
    ParamValues params;   // only the values given; missing ones take the model's defaults
    ParamValues initial;  // initial state values, likewise
    RecordSpec record;
    std::optional<CanvasPosition> position;
    bool operator==(const PopulationSpec&) const = default;
};

enum class ConnectivityType { Dense, OneToOne, FixedProbability, Sparse };

struct ConnectivitySpec {
    ConnectivityType type = ConnectivityType::Dense;
    double probability = 0.1;            // FixedProbability: chance of each pre/post pair
    std::uint64_t seed = 1;              // FixedProbability
    std::vector<std::int64_t> pre, post; // Sparse: explicit synapse list (pre[i] -> post[i])
    bool operator==(const ConnectivitySpec&) const = default;
};

enum class WeightInitType { Constant, Uniform, Normal, Glorot, Inline, Npy };

struct WeightSpec {
    WeightInitType type = WeightInitType::Constant;
    double value = 0.0;               // Constant
    double low = 0.0, high = 1.0;     // Uniform
    double mean = 0.0, sd = 1.0;      // Normal
    std::uint64_t seed = 1;           // Uniform, Normal, Glorot
    std::vector<double> values;       // Inline: one per synapse (dense: pre-major, pre x post)
    std::string file;                 // Npy: path relative to the project file
    bool operator==(const WeightSpec&) const = default;
};

struct SynapseModelRef {
    std::string model;
    ParamValues params;
    bool operator==(const SynapseModelRef&) const = default;
};

struct ProjectionSpec {
    std::string name;
    std::string source;
    std::string target;
    ConnectivitySpec connectivity;
    WeightSpec weights;
    std::int64_t delaySteps = 0;  // a spike at step t arrives at step t + 1 + delaySteps
    SynapseModelRef postsynaptic{"DeltaCurr", {}};
    SynapseModelRef weightUpdate{"StaticPulse", {}};
    bool operator==(const ProjectionSpec&) const = default;
};

// An input: an encoder (or current source) feeding one population.
struct InputSpec {
    std::string name;
    std::string type = "CurrentInjection";
    std::string target;
    ParamValues params;
    std::string file;  // EventReplay: optional input blocklist, relative to the project file
    std::optional<CanvasPosition> position;
    bool operator==(const InputSpec&) const = default;
};

struct DatasetRef {
    std::string name = "mnist";  // "mnist" | "fashion-mnist" | "nmnist"
    std::string split = "test";  // "train" | "test"
    std::string path;            // optional folder, relative to the project file
    bool operator==(const DatasetRef&) const = default;
};

struct TrainingSpec {
    std::int64_t epochs = 10;
    std::int64_t batchSize = 64;
    double learningRate = 1e-3;
    std::uint64_t seed = 1;
    bool operator==(const TrainingSpec&) const = default;
};

struct ExperimentSpec {
    double dt = 1.0;                   // [ms]
    std::int64_t stepsPerSample = 100;
    DatasetRef dataset;
    std::string readout;               // population whose most active neuron is the answer
    TrainingSpec training;
    bool operator==(const ExperimentSpec&) const = default;
};

// Where a trained network came from; filled by training, carried by exports.
struct ProvenanceSpec {
    std::string dataset;       // e.g. "fashion-mnist (60000 training images)"
    std::string command;       // how it was trained, e.g. "spikelab-cli train ... --epochs 15"
    std::optional<double> annAccuracy;  // test accuracy of the ANN before conversion
    std::optional<double> snnAccuracy;  // test accuracy of this network
    bool operator==(const ProvenanceSpec&) const = default;
    bool empty() const { return *this == ProvenanceSpec{}; }
};

struct NetworkSpec {
    std::string name;
    std::string description;
    // The project's own neuron models (docs/architecture.md, "The model language"), which its
    // populations name like the built-in ones.
    std::vector<NeuronModelDeclaration> models;
    std::vector<PopulationSpec> populations;
    std::vector<ProjectionSpec> projections;
    std::vector<InputSpec> inputs;
    ExperimentSpec experiment;
    ProvenanceSpec provenance;
    bool operator==(const NetworkSpec&) const = default;

    const PopulationSpec* findPopulation(const std::string& name) const;
    PopulationSpec* findPopulation(const std::string& name);
    std::optional<std::size_t> populationIndex(const std::string& name) const;
};

const char* toString(ConnectivityType type);
const char* toString(WeightInitType type);

// Bounds validate() enforces, so that no file can ask for what never ends or never fits.
inline constexpr std::int64_t kMaxPopulationSize = std::int64_t(1) << 30;
inline constexpr std::int64_t kMaxDelaySteps = 10000;
// 10 million steps: almost three hours of model time at dt = 1 ms for one sample.
inline constexpr std::int64_t kMaxStepsPerSample = 10'000'000;
inline constexpr std::size_t kMaxProjectModels = 64;

// Checks names, sizes, models, parameters, references and shapes that can be checked
// without reading weight files. Throws spikelab::Error naming the offending item.
void validate(const NetworkSpec& spec);

// The machine's physical memory in bytes.
std::int64_t physicalMemoryBytes();
// Estimates the memory the network needs once built (one batch copy: neuron state, synapse
// weights and indices) and throws spikelab::Error naming the item, its size and the bytes it
// needs when it, or the whole network, needs more than `available` bytes: 'projection "p":
// 10,000,000,000 synapses need 75 GiB, more than this machine's 23 GiB of memory'. validate()
// calls it with the machine's memory.
void checkNetworkFitsMemory(const NetworkSpec& spec, std::int64_t available = physicalMemoryBytes());

} // namespace spikelab
