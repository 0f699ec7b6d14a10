#include "plasticity.h"

#include "spikelab/error.h"

#include <algorithm>

namespace spikelab::cpu {

namespace {
std::size_t idx(std::int64_t a) { return std::size_t(a); }

std::vector<float> initialValues(const ParamTable& table) {
    std::vector<float> out;
    for (const auto& v : table) out.push_back(float(v.defaultValue));
    return out;
}
} // namespace

PlasticSynapses::PlasticSynapses(const CompiledProjection& projection, double dt, int batch)
    : code_(*projection.weightUpdate->code), synapses_(projection.synapses), dt_(float(dt)),
      count_(projection.synapses.synapseCount()) {
    const auto& declaration = *projection.weightUpdate->declaration;
    for (const double v : projection.weightUpdateParams) parameters_.push_back(float(v));
    for (const double v : lang::derivedValues(code_, projection.weightUpdateParams, dt)) derived_.push_back(float(v));

    const std::size_t copies = std::size_t(batch);
    for (std::size_t v = 0; v < declaration.synapse.size(); ++v) {
        auto& values = synapse_.emplace_back(idx(count_) * copies, float(declaration.synapse[v].defaultValue));
        if (int(v) == code_.weight)
            for (std::size_t b = 0; b < copies; ++b)
                std::copy(synapses_.weights.begin(), synapses_.weights.end(), values.begin() + std::ptrdiff_t(b * idx(count_)));
    }
    preInitial_ = initialValues(declaration.pre);
    postInitial_ = initialValues(declaration.post);
    for (std::size_t v = 0; v < preInitial_.size(); ++v) pre_.emplace_back(idx(synapses_.numPre) * copies);
    for (std::size_t v = 0; v < postInitial_.size(); ++v) post_.emplace_back(idx(synapses_.numPost) * copies);
    resetNeuronVariables();

    if (synapses_.type == ConnectivityType::Sparse || synapses_.type == ConnectivityType::FixedProbability) {
        // Counting sort of the synapses by target; a row's sources come in ascending order, so
        // each column lists its sources ascending too.
        columnStart_.assign(idx(synapses_.numPost) + 1, 0);
        for (const std::uint32_t target : synapses_.targets) ++columnStart_[target + 1];
        for (std::size_t j = 0; j < idx(synapses_.numPost); ++j) columnStart_[j + 1] += columnStart_[j];
        columnSynapse_.resize(idx(count_));
        columnSource_.resize(idx(count_));
        std::vector<std::int64_t> next(columnStart_.begin(), columnStart_.end() - 1);
        for (std::int64_t i = 0; i < synapses_.numPre; ++i)
            for (std::int64_t k = synapses_.rowStart[idx(i)]; k < synapses_.rowStart[idx(i) + 1]; ++k) {
                const std::int64_t at = next[synapses_.targets[idx(k)]]++;
                columnSynapse_[idx(at)] = k;
                columnSource_[idx(at)] = i;
            }
    }
}

void PlasticSynapses::resetNeuronVariables() {
    for (std::size_t v = 0; v < pre_.size(); ++v) std::fill(pre_[v].begin(), pre_[v].end(), preInitial_[v]);
    for (std::size_t v = 0; v < post_.size(); ++v) std::fill(post_[v].begin(), post_[v].end(), postInitial_[v]);
}

lang::Frame PlasticSynapses::frame(std::size_t stateSize, float t) const {
    lang::Frame f;
    f.parameters = parameters_;
    f.derived = derived_;
    f.state.resize(stateSize);
    f.builtins = {dt_, t};
    return f;
}

void PlasticSynapses::runSynapse(const lang::Code& code, lang::Frame& f, int b, std::int64_t k, std::int64_t i,
                                 std::int64_t j, const float* stPre, const float* stPost) {
    const std::size_t cell = std::size_t(b) * idx(count_) + idx(k);
    for (std::size_t v = 0; v < synapse_.size(); ++v) f.state[v] = synapse_[v][cell];
    // builtins: dt, t, st_pre, st_post, the pre variables, the post variables
    f.builtins[2] = stPre[i];
    f.builtins[3] = stPost[j];
    const std::size_t preCell = std::size_t(b) * idx(synapses_.numPre) + idx(i);
    const std::size_t postCell = std::size_t(b) * idx(synapses_.numPost) + idx(j);
    for (std::size_t v = 0; v < pre_.size(); ++v) f.builtins[4 + v] = pre_[v][preCell];
    for (std::size_t v = 0; v < post_.size(); ++v) f.builtins[4 + pre_.size() + v] = post_[v][postCell];
    lang::run(code, f);
    for (std::size_t v = 0; v < synapse_.size(); ++v) synapse_[v][cell] = f.state[v];
}

void PlasticSynapses::preSpikes(int b, float t, std::span<const std::uint32_t> spikes, const float* stPre,
                                const float* stPost, float* deliver) {
    if (spikes.empty()) return;
    lang::Frame f = frame(synapse_.size(), t);
    f.builtins.resize(4 + pre_.size() + post_.size());
    const std::int64_t numPost = synapses_.numPost;
    for (const std::uint32_t i : spikes) {
        switch (synapses_.type) {
        case ConnectivityType::Dense:
            for (std::int64_t j = 0; j < numPost; ++j) {
                f.addToPost = deliver + j;
                runSynapse(code_.preSpikeSyn, f, b, std::int64_t(i) * numPost + j, i, j, stPre, stPost);
            }
            break;
        case ConnectivityType::OneToOne:
            f.addToPost = deliver + i;
            runSynapse(code_.preSpikeSyn, f, b, i, i, i, stPre, stPost);
            break;
        case ConnectivityType::FixedProbability:
        case ConnectivityType::Sparse:
            for (std::int64_t k = synapses_.rowStart[i]; k < synapses_.rowStart[i + 1]; ++k) {
                const std::uint32_t j = synapses_.targets[idx(k)];
                f.addToPost = deliver + j;
                runSynapse(code_.preSpikeSyn, f, b, k, i, j, stPre, stPost);
            }
            break;
        }
    }
}

void PlasticSynapses::postSpikes(int b, float t, std::span<const std::uint32_t> spikes, const float* stPre,
                                 const float* stPost) {
    if (spikes.empty() || code_.postSpikeSyn.statements.empty()) return;
    lang::Frame f = frame(synapse_.size(), t);
    f.builtins.resize(4 + pre_.size() + post_.size());
    const std::int64_t numPost = synapses_.numPost;
    for (const std::uint32_t j : spikes) {
        switch (synapses_.type) {
        case ConnectivityType::Dense:
            for (std::int64_t i = 0; i < synapses_.numPre; ++i)
                runSynapse(code_.postSpikeSyn, f, b, i * numPost + j, i, j, stPre, stPost);
            break;
        case ConnectivityType::OneToOne:
            runSynapse(code_.postSpikeSyn, f, b, j, j, j, stPre, stPost);
            break;
        case ConnectivityType::FixedProbability:
        case ConnectivityType::Sparse:
            for (std::int64_t c = columnStart_[j]; c < columnStart_[j + 1]; ++c)
                runSynapse(code_.postSpikeSyn, f, b, columnSynapse_[idx(c)], columnSource_[idx(c)], j, stPre, stPost);
            break;
        }
    }
}

void PlasticSynapses::runNeurons(const lang::Code& dynamics, const lang::Code& spike,
                                 std::vector<std::vector<float>>& vars, std::int64_t size, int b, float t,
                                 std::span<const std::uint32_t> spiked) {
    if (vars.empty()) return;
    lang::Frame f = frame(vars.size(), t);
    const auto run = [&](const lang::Code& code, std::int64_t n) {
        const std::size_t cell = std::size_t(b) * idx(size) + idx(n);
        for (std::size_t v = 0; v < vars.size(); ++v) f.state[v] = vars[v][cell];
        lang::run(code, f);
        for (std::size_t v = 0; v < vars.size(); ++v) vars[v][cell] = f.state[v];
    };
    if (!dynamics.statements.empty())
        for (std::int64_t n = 0; n < size; ++n) run(dynamics, n);
    if (!spike.statements.empty())
        for (const std::uint32_t n : spiked) run(spike, n);
}

void PlasticSynapses::preNeurons(int b, float t, std::span<const std::uint32_t> spiked) {
    runNeurons(code_.preDynamics, code_.preSpike, pre_, synapses_.numPre, b, t, spiked);
}

void PlasticSynapses::postNeurons(int b, float t, std::span<const std::uint32_t> spiked) {
    runNeurons(code_.postDynamics, code_.postSpike, post_, synapses_.numPost, b, t, spiked);
}

void PlasticSynapses::readWeights(int b, std::span<float> out) const {
    if (std::int64_t(out.size()) != count_) throw InternalError("readWeights: wrong size");
    const auto begin = synapse_[idx(code_.weight)].begin() + std::ptrdiff_t(std::size_t(b) * idx(count_));
    std::copy(begin, begin + std::ptrdiff_t(count_), out.begin());
}

} // namespace spikelab::cpu
