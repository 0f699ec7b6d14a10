#pragma once
// Small NetworkSpec builders for tests.
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/network.h"

#include <memory>
#include <string>
#include <vector>

namespace spikelab::test {

inline PopulationSpec population(const std::string& name, std::int64_t size,
                                 const std::string& model, ParamValues params = {},
                                 ParamValues initial = {}) {
    PopulationSpec p;
    p.name = name;
    p.size = size;
    p.model = model;
    p.params = std::move(params);
    p.initial = std::move(initial);
    return p;
}

inline ProjectionSpec projection(const std::string& name, const std::string& source,
                                 const std::string& target, WeightSpec weights,
                                 ConnectivityType type = ConnectivityType::Dense,
                                 std::int64_t delay = 0) {
    ProjectionSpec j;
    j.name = name;
    j.source = source;
    j.target = target;
    j.weights = std::move(weights);
    j.connectivity.type = type;
    j.delaySteps = delay;
    return j;
}

inline WeightSpec constantWeight(double v) {
    WeightSpec w;
    w.type = WeightInitType::Constant;
    w.value = v;
    return w;
}

inline WeightSpec inlineWeights(std::vector<double> values) {
    WeightSpec w;
    w.type = WeightInitType::Inline;
    w.values = std::move(values);
    return w;
}

inline std::unique_ptr<Backend> cpuBackend(const NetworkSpec& spec, int batch = 1, int threads = 1) {
    BackendOptions o;
    o.batch = batch;
    o.threads = threads;
    return createBackend("cpu", compileNetwork(spec, "."), o);
}

inline std::vector<float> state(const Backend& b, int pop, const std::string& var, int batch = 0) {
    std::vector<float> out(std::size_t(b.network().populations[std::size_t(pop)].size));
    b.readState(pop, var, batch, out);
    return out;
}

inline std::vector<std::uint32_t> counts(const Backend& b, int pop, int batch = 0) {
    std::vector<std::uint32_t> out(std::size_t(b.network().populations[std::size_t(pop)].size));
    b.spikeCounts(pop, batch, out);
    return out;
}

} // namespace spikelab::test
