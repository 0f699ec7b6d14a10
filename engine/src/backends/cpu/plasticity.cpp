#include "plasticity.h"

#include "lang/prelude.h"
#include "spikelab/error.h"

#include <algorithm>

namespace spikelab::cpu {

namespace {
std::size_t idx(std::int64_t a) { return std::size_t(a); }

// The built-in weight-update models' kernels, generated from engine/models/weight_update/ by
// spikelab_modelgen.
#include "cpu_weight_update_kernels.inc"

std::vector<float> initialValues(const ParamTable& table) {
    std::vector<float> out;
    for (const auto& v : table) out.push_back(float(v.defaultValue));
    return out;
}
} // namespace

PlasticSynapses::PlasticSynapses(const CompiledProjection& projection, double dt, int batch, bool interpret)
    : code_(*projection.weightUpdate->code), synapses_(projection.synapses),
      parameterCount_(projection.weightUpdateParams.size()), dt_(float(dt)), count_(projection.synapses.synapseCount()) {
    const auto& model = *projection.weightUpdate;
    constexpr int known = int(sizeof kBuiltinWeightUpdateKernels / sizeof kBuiltinWeightUpdateKernels[0]);
    if (!interpret && model.builtin >= 0) {
        if (model.builtin >= known || model.name != kBuiltinWeightUpdateKernelNames[model.builtin])
            throw InternalError("cpu backend: no compiled code for weight-update model " + quote(model.name));
        kernels_ = kBuiltinWeightUpdateKernels[model.builtin];
    }
    const auto& declaration = *model.declaration;
    for (const double v : projection.weightUpdateParams) constants_.push_back(float(v));
    for (const double v : lang::derivedValues(code_, projection.weightUpdateParams, dt)) constants_.push_back(float(v));

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
                columnSource_[idx(at)] = std::uint32_t(i);
            }
    }
}

void PlasticSynapses::resetNeuronVariables() {
    for (std::size_t v = 0; v < pre_.size(); ++v) std::fill(pre_[v].begin(), pre_[v].end(), preInitial_[v]);
    for (std::size_t v = 0; v < post_.size(); ++v) std::fill(post_[v].begin(), post_[v].end(), postInitial_[v]);
}

SpikelabSynapseUpdate PlasticSynapses::synapseList(int b, float t, const float* stPre, const float* stPost,
                                                   float* deliver, std::vector<float*>& synapse,
                                                   std::vector<const float*>& pre, std::vector<const float*>& post) {
    const std::size_t copy = std::size_t(b);
    for (auto& v : synapse_) synapse.push_back(v.data() + copy * idx(count_));
    for (auto& v : pre_) pre.push_back(v.data() + copy * idx(synapses_.numPre));
    for (auto& v : post_) post.push_back(v.data() + copy * idx(synapses_.numPost));
    SpikelabSynapseUpdate list{};
    list.synapse = synapse.data();
    list.pre = pre.data();
    list.post = post.data();
    list.stPre = stPre;
    list.stPost = stPost;
    list.deliver = deliver;
    list.constants = constants_.data();
    list.t = t;
    list.dt = dt_;
    return list;
}

lang::Frame PlasticSynapses::interpreterFrame(std::size_t stateSize, float t) const {
    lang::Frame f;
    f.parameters.assign(constants_.begin(), constants_.begin() + std::ptrdiff_t(parameterCount_));
    f.derived.assign(constants_.begin() + std::ptrdiff_t(parameterCount_), constants_.end());
    f.state.resize(stateSize);
    f.builtins = {dt_, t};
    return f;
}

void PlasticSynapses::runSynapses(SpikelabSynapseKernel kernel, const lang::Code& code,
                                  const SpikelabSynapseUpdate& a) {
    if (kernel) {
        kernel(&a);
        return;
    }
    // The interpreter, element by element as the kernel loops.
    lang::Frame f = interpreterFrame(synapse_.size(), a.t);
    f.builtins.resize(4 + pre_.size() + post_.size());  // dt, t, st_pre, st_post, pre, post
    for (long long m = 0; m < a.n; ++m) {
        const long long s = a.synapseIndex ? a.synapseIndex[m] : a.synapseStart + m * a.synapseStride;
        const long long i = a.preIndex ? (long long)a.preIndex[m] : a.preStart + m * a.preStride;
        const long long j = a.postIndex ? (long long)a.postIndex[m] : a.postStart + m * a.postStride;
        for (std::size_t v = 0; v < synapse_.size(); ++v) f.state[v] = a.synapse[v][s];
        f.builtins[2] = a.stPre[i];
        f.builtins[3] = a.stPost[j];
        for (std::size_t v = 0; v < pre_.size(); ++v) f.builtins[4 + v] = a.pre[v][i];
        for (std::size_t v = 0; v < post_.size(); ++v) f.builtins[4 + pre_.size() + v] = a.post[v][j];
        f.addToPost = a.deliver ? a.deliver + j : nullptr;
        lang::run(code, f);
        for (std::size_t v = 0; v < synapse_.size(); ++v) a.synapse[v][s] = f.state[v];
    }
}

void PlasticSynapses::preSpikes(int b, float t, std::span<const std::uint32_t> spikes, const float* stPre,
                                const float* stPost, float* deliver) {
    if (spikes.empty()) return;
    std::vector<float*> synapse;
    std::vector<const float*> pre, post;
    SpikelabSynapseUpdate row = synapseList(b, t, stPre, stPost, deliver, synapse, pre, post);
    for (const std::uint32_t i : spikes) {
        row.preStart = i;  // one source; stride 0
        switch (synapses_.type) {
        case ConnectivityType::Dense:
            row.synapseStart = std::int64_t(i) * synapses_.numPost;
            row.synapseStride = 1;
            row.postStride = 1;
            row.n = synapses_.numPost;
            break;
        case ConnectivityType::OneToOne:
            row.synapseStart = row.postStart = i;
            row.n = 1;
            break;
        case ConnectivityType::FixedProbability:
        case ConnectivityType::Sparse:
            row.synapseStart = synapses_.rowStart[i];
            row.synapseStride = 1;
            row.postIndex = synapses_.targets.data() + synapses_.rowStart[i];
            row.n = synapses_.rowStart[i + 1] - synapses_.rowStart[i];
            break;
        }
        runSynapses(kernels_.preSpikeSyn, code_.preSpikeSyn, row);
    }
}

void PlasticSynapses::postSpikes(int b, float t, std::span<const std::uint32_t> spikes, const float* stPre,
                                 const float* stPost) {
    if (spikes.empty() || code_.postSpikeSyn.statements.empty()) return;
    std::vector<float*> synapse;
    std::vector<const float*> pre, post;
    SpikelabSynapseUpdate column = synapseList(b, t, stPre, stPost, nullptr, synapse, pre, post);
    for (const std::uint32_t j : spikes) {
        column.postStart = j;  // one target; stride 0
        switch (synapses_.type) {
        case ConnectivityType::Dense:
            column.synapseStart = j;
            column.synapseStride = synapses_.numPost;
            column.preStride = 1;
            column.n = synapses_.numPre;
            break;
        case ConnectivityType::OneToOne:
            column.synapseStart = column.preStart = j;
            column.n = 1;
            break;
        case ConnectivityType::FixedProbability:
        case ConnectivityType::Sparse:
            column.synapseIndex = columnSynapse_.data() + columnStart_[j];
            column.preIndex = columnSource_.data() + columnStart_[j];
            column.n = columnStart_[j + 1] - columnStart_[j];
            break;
        }
        runSynapses(kernels_.postSpikeSyn, code_.postSpikeSyn, column);
    }
}

void PlasticSynapses::runNeurons(SpikelabSynapseNeuronKernel kernel, const lang::Code& code,
                                 std::vector<std::vector<float>>& vars, std::int64_t size, int b, float t,
                                 const unsigned* neurons, std::int64_t count) {
    if (vars.empty() || code.statements.empty() || count == 0) return;
    std::vector<float*> arrays;
    for (auto& v : vars) arrays.push_back(v.data() + std::size_t(b) * idx(size));
    const SpikelabSynapseNeuronUpdate a{arrays.data(), neurons, count, constants_.data(), t, dt_};
    if (kernel) {
        kernel(&a);
        return;
    }
    lang::Frame f = interpreterFrame(vars.size(), t);
    for (long long m = 0; m < count; ++m) {
        const long long i = neurons ? (long long)neurons[m] : m;
        for (std::size_t v = 0; v < vars.size(); ++v) f.state[v] = arrays[v][i];
        lang::run(code, f);
        for (std::size_t v = 0; v < vars.size(); ++v) arrays[v][i] = f.state[v];
    }
}

void PlasticSynapses::preNeurons(int b, float t, std::span<const std::uint32_t> spiked) {
    const std::int64_t n = synapses_.numPre;
    runNeurons(kernels_.preDynamics, code_.preDynamics, pre_, n, b, t, nullptr, n);
    runNeurons(kernels_.preSpike, code_.preSpike, pre_, n, b, t, spiked.data(), std::int64_t(spiked.size()));
}

void PlasticSynapses::postNeurons(int b, float t, std::span<const std::uint32_t> spiked) {
    const std::int64_t n = synapses_.numPost;
    runNeurons(kernels_.postDynamics, code_.postDynamics, post_, n, b, t, nullptr, n);
    runNeurons(kernels_.postSpike, code_.postSpike, post_, n, b, t, spiked.data(), std::int64_t(spiked.size()));
}

void PlasticSynapses::readWeights(int b, std::span<float> out) const {
    if (std::int64_t(out.size()) != count_) throw InternalError("readWeights: wrong size");
    const auto begin = synapse_[idx(code_.weight)].begin() + std::ptrdiff_t(std::size_t(b) * idx(count_));
    std::copy(begin, begin + std::ptrdiff_t(count_), out.begin());
}

} // namespace spikelab::cpu
