#include "checks.h"

#include "spikelab/error.h"

#include <algorithm>

namespace spikelab::backends {

void checkIndex(const CompiledNetwork& network, int batch, int population, int batchIndex) {
    if (population < 0 || std::size_t(population) >= network.populations.size())
        throw InternalError("population index " + std::to_string(population) + " out of range");
    if (batchIndex < 0 || batchIndex >= batch)
        throw InternalError("batch index " + std::to_string(batchIndex) + " out of range");
}

void checkInputSize(const CompiledPopulation& cp, std::size_t count) {
    if (std::int64_t(count) != cp.size)
        throw InternalError("input current of " + std::to_string(count) + " values for a population of " +
                            std::to_string(cp.size));
}

int stateIndex(const CompiledPopulation& cp, const std::string& variable) {
    const int v = cp.stateIndex(variable);
    if (v < 0)
        throw Error("population " + quote(cp.name) + ": unknown state variable " + quote(variable));
    return v;
}

std::size_t recordedPosition(const CompiledPopulation& cp, const std::vector<int>& recorded,
                             const std::string& variable) {
    for (std::size_t k = 0; k < recorded.size(); ++k)
        if (cp.model->state[std::size_t(recorded[k])].name == variable) return k;
    throw Error("population " + quote(cp.name) + " does not record " + quote(variable));
}

void notRecordingSpikes(const CompiledPopulation& cp) {
    throw Error("population " + quote(cp.name) + " does not record spikes");
}

void checkWeightsRead(const CompiledNetwork& network, int batch, int projection, int batchIndex,
                      std::span<float> out) {
    if (projection < 0 || std::size_t(projection) >= network.projections.size())
        throw InternalError("projection index " + std::to_string(projection) + " out of range");
    if (batchIndex < 0 || batchIndex >= batch)
        throw InternalError("batch index " + std::to_string(batchIndex) + " out of range");
    const auto& weights = network.projections[std::size_t(projection)].synapses.weights;
    if (out.size() != weights.size())
        throw InternalError("readWeights: buffer of " + std::to_string(out.size()) + " for " +
                            std::to_string(weights.size()) + " synapses");
}

int checkedStateWrite(const CompiledPopulation& cp, const std::string& variable,
                      std::span<const float> values) {
    const int v = stateIndex(cp, variable);
    if (std::int64_t(values.size()) != cp.size) throw InternalError("writeState: wrong size");
    const auto& info = cp.model->state[std::size_t(v)];
    for (std::size_t i = 0; i < values.size(); ++i)
        if (const auto why = info.check(values[i]); !why.empty())
            throw Error("population " + quote(cp.name) + ": " + variable + "[" +
                        std::to_string(i) + "] = " + std::to_string(values[i]) + " " + why);
    return v;
}

void checkSpikeTrain(const CompiledPopulation& cp, const SpikeTrain& train) {
    if (!cp.model->spikeSource)
        throw Error("population " + quote(cp.name) + " is " + cp.model->name +
                    "; only a SpikeSource population takes input spikes");
    if (std::int64_t(train.stepStart.size()) != train.steps + 1)
        throw InternalError("spike train with " + std::to_string(train.stepStart.size()) +
                            " offsets for " + std::to_string(train.steps) + " steps");
    for (auto i : train.inputs)
        if (std::int64_t(i) >= cp.size)
            throw Error("population " + quote(cp.name) + ": input spike for neuron " +
                        std::to_string(i) + " but it has " + std::to_string(cp.size));
    for (std::int64_t s = 0; s < train.steps; ++s) {
        const std::int64_t begin = train.stepStart[std::size_t(s)];
        const std::int64_t end = train.stepStart[std::size_t(s) + 1];
        if (begin < 0 || end < begin || end > train.spikeCount())
            throw InternalError("spike train offsets are not ascending at step " + std::to_string(s));
        if (end - begin > cp.size)
            throw Error("population " + quote(cp.name) + ": " + std::to_string(end - begin) +
                        " input spikes at step " + std::to_string(s) + " but it has " +
                        std::to_string(cp.size) + " neurons");
    }
}

std::size_t checkedParam(const CompiledPopulation& cp, const std::string& param, double value) {
    const auto& table = cp.model->params;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].name != param) continue;
        if (const auto why = table[i].check(value); !why.empty())
            throw Error("population " + quote(cp.name) + ": parameter " + param + " = " +
                        std::to_string(value) + " " + why);
        return i;
    }
    throw Error("population " + quote(cp.name) + ": unknown parameter " + quote(param));
}

void checkModelSwap(const CompiledPopulation& cp, const NeuronModelInfo& model, const std::vector<double>& params,
                    const std::vector<double>& initial) {
    const std::string what = "population " + quote(cp.name);
    if (cp.model->spikeSource || model.spikeSource)
        throw Error(what + ": a spike source emits its input's spikes and cannot change its neuron model while it runs");
    if (params.size() != model.params.size() || initial.size() != model.state.size())
        throw InternalError(what + ": values for another model's tables");
}

std::vector<std::string> keptStateRecording(const CompiledPopulation& cp, const std::vector<int>& recorded,
                                            const NeuronModelInfo& model) {
    std::vector<std::string> kept;
    for (const int v : recorded) {
        const std::string& name = cp.model->state[std::size_t(v)].name;
        if (findParam(model.state, name)) kept.push_back(name);
    }
    return kept;
}

StateRecording resolveStateRecording(const CompiledPopulation& cp,
                                     const std::vector<std::string>& variables,
                                     const std::vector<std::int64_t>& neurons) {
    StateRecording r;
    for (const auto& var : variables) {
        const int index = cp.stateIndex(var);
        if (index < 0)
            throw Error("population " + quote(cp.name) + " has no state variable " + quote(var));
        r.variables.push_back(index);
    }
    for (auto n : neurons) {
        if (n < 0 || n >= cp.size)
            throw Error("population " + quote(cp.name) + ": neuron " + std::to_string(n) +
                        " out of range (size " + std::to_string(cp.size) + ")");
        r.neurons.push_back(std::uint32_t(n));
    }
    if (r.variables.empty())
        r.neurons.clear();
    else if (r.neurons.empty())
        for (std::int64_t i = 0; i < cp.size; ++i) r.neurons.push_back(std::uint32_t(i));
    return r;
}

} // namespace spikelab::backends
