#include "spikelab/compiled.h"

#include "spikelab/error.h"
#include "weight_init.h"

#include <algorithm>
#include <filesystem>

namespace spikelab {

namespace {
std::vector<double> ordered(const ParamTable& table, const ParamValues& resolved) {
    std::vector<double> out;
    out.reserve(table.size());
    for (const auto& p : table) out.push_back(resolved.at(p.name));
    return out;
}

double lookup(const ParamTable& table, const std::vector<double>& values,
              const std::string& name, const std::string& owner) {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i].name == name) return values[i];
    throw InternalError(owner + " has no parameter " + name);
}
} // namespace

double CompiledPopulation::param(const std::string& n) const {
    return lookup(model->params, params, n, "population " + name);
}

int CompiledPopulation::stateIndex(const std::string& n) const {
    for (std::size_t i = 0; i < model->state.size(); ++i)
        if (model->state[i].name == n) return int(i);
    return -1;
}

double CompiledInput::param(const std::string& n) const {
    return lookup(encoder->params, params, n, "input " + name);
}

float SynapseMatrix::weight(std::int64_t pre, std::int64_t post) const {
    switch (type) {
    case ConnectivityType::Dense: return weights[std::size_t(pre * numPost + post)];
    case ConnectivityType::OneToOne: return pre == post ? weights[std::size_t(pre)] : 0.0f;
    case ConnectivityType::FixedProbability:
    case ConnectivityType::Sparse: {
        const auto begin = targets.begin() + rowStart[std::size_t(pre)];
        const auto end = targets.begin() + rowStart[std::size_t(pre) + 1];
        const auto it = std::lower_bound(begin, end, std::uint32_t(post));
        return it != end && *it == post ? weights[std::size_t(it - targets.begin())] : 0.0f;
    }
    }
    return 0.0f;
}

int CompiledNetwork::populationIndex(const std::string& name) const {
    for (std::size_t i = 0; i < populations.size(); ++i)
        if (populations[i].name == name) return int(i);
    return -1;
}

bool CompiledProjection::plastic() const { return weightUpdate && weightUpdate->code->plastic; }

std::int64_t CompiledNetwork::neuronCount() const {
    std::int64_t n = 0;
    for (const auto& p : populations) n += p.size;
    return n;
}

std::int64_t CompiledNetwork::synapseCount() const {
    std::int64_t n = 0;
    for (const auto& j : projections) n += j.synapses.synapseCount();
    return n;
}

CompiledPopulation compilePopulation(const NetworkSpec& spec, const PopulationSpec& p) {
    CompiledPopulation c;
    c.name = p.name;
    c.size = p.size;
    const std::string what = "population " + quote(p.name);
    c.model = &neuronModel(spec, p.model, what);
    c.params = ordered(c.model->params, resolveParams(c.model->params, p.params, what));
    c.initial = ordered(c.model->state, resolveParams(c.model->state, p.initial, what, "state variable"));
    c.record = p.record;
    return c;
}

CompiledNetwork compileNetwork(const NetworkSpec& spec, const std::string& baseDir) {
    validate(spec);
    CompiledNetwork net;
    net.dt = spec.experiment.dt;
    net.stepsPerSample = spec.experiment.stepsPerSample;
    for (const auto& p : spec.populations) net.populations.push_back(compilePopulation(spec, p));
    for (const auto& j : spec.projections) {
        CompiledProjection c;
        c.name = j.name;
        c.source = net.populationIndex(j.source);
        c.target = net.populationIndex(j.target);
        c.delaySteps = j.delaySteps;
        c.postsynaptic = &postsynapticModel(j.postsynaptic.model, j.name);
        c.postsynapticParams =
            ordered(c.postsynaptic->params,
                    resolveParams(c.postsynaptic->params, j.postsynaptic.params, j.name));
        c.weightUpdate = &weightUpdateModel(j.weightUpdate.model, j.name);
        c.weightUpdateParams =
            ordered(c.weightUpdate->params,
                    resolveParams(c.weightUpdate->params, j.weightUpdate.params, j.name));
        c.synapses = buildSynapses(j, net.populations[std::size_t(c.source)].size,
                                   net.populations[std::size_t(c.target)].size, baseDir);
        net.projections.push_back(std::move(c));
    }
    for (const auto& in : spec.inputs) {
        CompiledInput c;
        c.name = in.name;
        c.encoder = &encoder(in.type, in.name);
        c.target = net.populationIndex(in.target);
        c.params = ordered(c.encoder->params,
                           resolveParams(c.encoder->params, in.params, "input " + quote(in.name)));
        if (!in.file.empty()) {
            const std::filesystem::path file(in.file);
            c.file = file.is_absolute() ? in.file : (std::filesystem::path(baseDir) / file).string();
        }
        net.inputs.push_back(std::move(c));
    }
    net.readout = spec.experiment.readout.empty() ? -1 : net.populationIndex(spec.experiment.readout);
    return net;
}

} // namespace spikelab
