#pragma once
// A NetworkSpec made ready to simulate: parameters resolved against the model tables (in
// table order), connectivity and weights materialised, names turned into indices. Backends
// are built from this; it is immutable once built.
#include "spikelab/models.h"
#include "spikelab/network.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spikelab {

struct CompiledPopulation {
    std::string name;
    std::int64_t size = 0;
    const NeuronModelInfo* model = nullptr;
    std::vector<double> params;   // model->params order
    std::vector<double> initial;  // model->state order
    RecordSpec record;

    double param(const std::string& name) const;
    int stateIndex(const std::string& name) const;  // -1 when unknown
};

// Synapses of one projection. Dense: `weights` is pre x post row-major. OneToOne: `weights`
// has one value per neuron. Sparse (also fixed probability): CSR by presynaptic neuron;
// within a row, targets are in ascending order.
struct SynapseMatrix {
    ConnectivityType type = ConnectivityType::Dense;
    std::int64_t numPre = 0, numPost = 0;
    std::vector<float> weights;
    std::vector<std::int64_t> rowStart;  // Sparse: numPre + 1 offsets
    std::vector<std::uint32_t> targets;  // Sparse: post index per synapse

    std::int64_t synapseCount() const { return std::int64_t(weights.size()); }
    // The weight from pre to post (0 where no synapse exists).
    float weight(std::int64_t pre, std::int64_t post) const;
};

struct CompiledProjection {
    std::string name;
    int source = -1, target = -1;
    SynapseMatrix synapses;
    std::int64_t delaySteps = 0;
    const PostsynapticModelInfo* postsynaptic = nullptr;
    std::vector<double> postsynapticParams;
    const WeightUpdateModelInfo* weightUpdate = nullptr;
    std::vector<double> weightUpdateParams;  // weightUpdate->params order

    // The synapses change as the network runs (docs/architecture.md, "Weight-update models"):
    // each batch copy keeps its own synapse variables, starting from `synapses.weights`.
    bool plastic() const;
};

struct CompiledInput {
    std::string name;
    const EncoderInfo* encoder = nullptr;
    int target = -1;
    std::vector<double> params;
    std::string file;  // resolved against the project folder; empty when none
    double param(const std::string& name) const;
};

struct CompiledNetwork {
    std::vector<CompiledPopulation> populations;
    std::vector<CompiledProjection> projections;
    std::vector<CompiledInput> inputs;
    double dt = 1.0;
    std::int64_t stepsPerSample = 1;
    int readout = -1;

    int populationIndex(const std::string& name) const;  // -1 when unknown
    std::int64_t neuronCount() const;
    std::int64_t synapseCount() const;
};

// Validates the spec, resolves files (weights .npy) relative to baseDir. Throws
// spikelab::Error naming the item, e.g. a weight file whose shape does not match.
CompiledNetwork compileNetwork(const NetworkSpec& spec, const std::string& baseDir);

// One population of `spec` resolved against its model's tables. Throws spikelab::Error.
CompiledPopulation compilePopulation(const NetworkSpec& spec, const PopulationSpec& population);

// Builds the synapses of one projection (exposed for tests and the trainer).
SynapseMatrix buildSynapses(const ProjectionSpec& projection, std::int64_t numPre,
                            std::int64_t numPost, const std::string& baseDir);

} // namespace spikelab
