#include "cpu_backend.h"

#include "kernels.h"
#include "backends/checks.h"
#include "lang/prelude.h"
#include "backends/constants.h"
#include "spikelab/error.h"

#include <algorithm>
#include <cfloat>
#include <omp.h>

namespace spikelab::cpu {

namespace {
// The built-in models' kernels, generated from engine/models/ by spikelab_modelgen.
#include "cpu_neuron_kernels.inc"
#include "cpu_postsynaptic_kernels.inc"

std::size_t idx(std::int64_t a) { return std::size_t(a); }

SpikelabNeuronKernel kernelOf(const NeuronModelInfo& model) {
    constexpr int known = int(sizeof kBuiltinNeuronKernels / sizeof kBuiltinNeuronKernels[0]);
    if (model.builtin >= known || model.name != kBuiltinNeuronKernelNames[model.builtin])
        throw InternalError("cpu backend: no compiled code for neuron model " + quote(model.name));
    return kBuiltinNeuronKernels[model.builtin];
}

SpikelabPostsynapticKernels kernelsOf(const PostsynapticModelInfo& model) {
    constexpr int known = int(sizeof kBuiltinPostsynapticKernels / sizeof kBuiltinPostsynapticKernels[0]);
    if (model.builtin < 0 || model.builtin >= known || model.name != kBuiltinPostsynapticKernelNames[model.builtin])
        throw InternalError("cpu backend: no compiled code for postsynaptic model " + quote(model.name));
    return kBuiltinPostsynapticKernels[model.builtin];
}
// Each thread's scratch buffers are padded by a cache line on both sides so that two threads
// never write to the same line (false sharing cost 30% with two threads).
constexpr std::size_t kFloatPad = 16;
constexpr std::size_t kBytePad = 64;
} // namespace

CpuBackend::CpuBackend(const CompiledNetwork& network, const BackendOptions& options)
    : BackendBase(network, options), threads_(options.threads > 0 ? options.threads : omp_get_num_procs()) {
    pops_.resize(net_.populations.size());
    for (const auto& proj : net_.projections) {
        auto& src = pops_[idx(proj.source)];
        src.historySlots = std::max(src.historySlots, proj.delaySteps + 1);
        pops_[idx(proj.target)].hasIncoming = true;
    }
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& cp = net_.populations[p];
        auto& pop = pops_[p];
        pop.size = cp.size;
        pop.stride = paddedStride<float>(cp.size);
        const std::size_t cells = idx(pop.stride) * std::size_t(batch_);
        pop.state.assign(cp.model->state.size(), AlignedVector<float>(cells));
        pop.counts.assign(cells, 0);
        pop.input.assign(cells, 0.0f);
        if (cp.model->spikeSource) {
            pop.trains.resize(std::size_t(batch_));
            pop.trainStart.assign(std::size_t(batch_), 0);
        } else {
            if (cp.model->builtin >= 0) {
                pop.kernel = kernelOf(*cp.model);
            } else {
                pop.runtime = runtimeNeuronKernel(*cp.model);
                if (!pop.runtime->notice.empty() && notice_.find(pop.runtime->notice) == std::string::npos)
                    notice_ += (notice_.empty() ? "" : "; ") + pop.runtime->notice;
            }
            pop.randomKey = lang::randomKeyOf(cp.name);
        }
        pop.history.assign(cells * idx(pop.historySlots), 0);
        pop.countStride = (pop.historySlots + 7) / 8 * 8;
        pop.historyCount.assign(std::size_t(batch_) * idx(pop.countStride), 0);
        if (!options.recording) {
            computeConstants(int(p));
            continue;
        }
        startSpikeLog(int(p));
        setStateRecording(int(p), cp.record.variables, cp.record.neurons);
        computeConstants(int(p));
    }
    projs_.resize(net_.projections.size());
    for (std::size_t j = 0; j < projs_.size(); ++j) {
        const auto& cj = net_.projections[j];
        if (cj.plastic()) {
            projs_[j].plastic = std::make_unique<PlasticSynapses>(cj, net_.dt, batch_);
            if (projs_[j].plastic->interpreted())
                notice_ += (notice_.empty() ? "" : "; ") + ("projection " + quote(cj.name) + ": weight-update model " +
                                                            quote(cj.weightUpdate->name) +
                                                            " runs in the interpreter, more slowly");
            for (const int p : {cj.source, cj.target}) {
                auto& pop = pops_[idx(p)];
                pop.spikeTime.resize(idx(pop.stride) * std::size_t(batch_));
            }
        }
        if (cj.postsynaptic->code->delta) continue;
        projs_[j].kernels = kernelsOf(*cj.postsynaptic);
        projs_[j].constants = backends::postsynapticConstants(cj, net_.dt);
        projs_[j].inSyn.assign(idx(pops_[idx(cj.target)].stride) * std::size_t(batch_), 0.0f);
    }
    scratch_.resize(std::size_t(threads_));
    std::int64_t largest = 0;
    std::size_t mostState = 0;
    for (const auto& pop : pops_) {
        largest = std::max(largest, pop.size);
        mostState = std::max(mostState, pop.state.size());
    }
    for (auto& s : scratch_) {
        s.state.resize(mostState);
        for (const auto& pop : pops_) s.isyn.emplace_back(idx(pop.size) + 2 * kFloatPad);
        s.spiked.assign(idx(largest) + 2 * kBytePad, 0);
    }
    resetState();
}

void CpuBackend::computeConstants(int p) {
    pops_[idx(p)].constants = backends::neuronConstants(net_.populations[idx(p)], net_.dt);
}

void CpuBackend::resetState() {
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        auto& pop = pops_[p];
        const auto& initial = net_.populations[p].initial;
        for (std::size_t v = 0; v < pop.state.size(); ++v)
            std::fill(pop.state[v].begin(), pop.state[v].end(), float(initial[v]));
        std::fill(pop.counts.begin(), pop.counts.end(), 0u);
        std::fill(pop.historyCount.begin(), pop.historyCount.end(), 0);
        std::fill(pop.spikeTime.begin(), pop.spikeTime.end(), -FLT_MAX);
    }
    for (auto& j : projs_) {
        std::fill(j.inSyn.begin(), j.inSyn.end(), 0.0f);
        if (j.plastic) j.plastic->resetNeuronVariables();
    }
}

std::span<const std::uint32_t> CpuBackend::spikesAt(const Population& pop, int b, std::int64_t step) const {
    const std::int64_t slot = ((step % pop.historySlots) + pop.historySlots) % pop.historySlots;
    const std::size_t slotIndex = std::size_t(b) * idx(pop.historySlots) + idx(slot);
    const std::int64_t count = pop.historyCount[std::size_t(b) * idx(pop.countStride) + idx(slot)];
    return {pop.history.data() + slotIndex * idx(pop.stride), idx(count)};
}

void CpuBackend::advance(std::int64_t steps) {
    if (steps <= 0) return;
    const std::int64_t t0 = step_;
    const int nThreads = std::min(threads_, batch_);
#pragma omp parallel for schedule(static) num_threads(nThreads)
    for (int b = 0; b < batch_; ++b) {
        Scratch& scratch = scratch_[std::size_t(omp_get_thread_num())];
        for (std::int64_t t = t0; t < t0 + steps; ++t) stepCopy(b, t, scratch);
    }
    step_ += steps;
}

void CpuBackend::stepCopy(int b, std::int64_t t, Scratch& scratch) {
    const float time = float(double(t) * net_.dt), dt = float(net_.dt);
    for (std::size_t p = 0; p < pops_.size(); ++p)
        if (!drivenByInputOnly(pops_[p])) std::fill(scratch.isyn[p].begin(), scratch.isyn[p].end(), 0.0f);

    // 1. Deliver the spikes emitted delay + 1 steps ago.
    for (std::size_t j = 0; j < net_.projections.size(); ++j) {
        const auto& cj = net_.projections[j];
        const auto& src = pops_[idx(cj.source)];
        const auto arriving = spikesAt(src, b, t - 1 - cj.delaySteps);
        const std::uint32_t* spikes = arriving.data();
        const std::int64_t numSpikes = std::int64_t(arriving.size());
        const auto& m = cj.synapses;
        const std::int64_t numPost = m.numPost;
        float* target = scratch.isyn[idx(cj.target)].data() + kFloatPad;
        auto& proj = projs_[j];
        float* buffer = proj.inSyn.empty()
                            ? target
                            : proj.inSyn.data() + std::size_t(b) * idx(pops_[idx(cj.target)].stride);
        if (proj.plastic) {
            const auto& dst = pops_[idx(cj.target)];
            const float* stPre = src.spikeTime.data() + std::size_t(b) * idx(src.stride);
            const float* stPost = dst.spikeTime.data() + std::size_t(b) * idx(dst.stride);
            proj.plastic->preSpikes(b, time, arriving, stPre, stPost, buffer);
            proj.plastic->postSpikes(b, time, spikesAt(dst, b, t - 1), stPre, stPost);
        } else {
            switch (m.type) {
            case ConnectivityType::Dense:
                accumulateRows(m.weights.data(), numPost, spikes, numSpikes, buffer, numPost);
                break;
            case ConnectivityType::OneToOne:
                for (std::int64_t s = 0; s < numSpikes; ++s) buffer[spikes[s]] += m.weights[spikes[s]];
                break;
            case ConnectivityType::FixedProbability:
            case ConnectivityType::Sparse:
                for (std::int64_t s = 0; s < numSpikes; ++s) {
                    const std::int64_t end = m.rowStart[spikes[s] + 1];
                    for (std::int64_t k = m.rowStart[spikes[s]]; k < end; ++k)
                        buffer[m.targets[idx(k)]] += m.weights[idx(k)];
                }
                break;
            }
        }
        if (!proj.inSyn.empty()) {  // the buffered model's apply_input code, per target
            const SpikelabPostsynapticUpdate apply{buffer, target, numPost, proj.constants.data(), time, dt};
            proj.kernels.apply(&apply);
        }
    }

    // 2. Current sources and encoders. A population that receives no projection reads its
    // external current directly (0 + I is I exactly), saving a clear and an add per step.
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& pop = pops_[p];
        if (!pop.hasInput || drivenByInputOnly(pop)) continue;
        const float* in = pop.input.data() + std::size_t(b) * idx(pop.stride);
        float* isyn = scratch.isyn[p].data() + kFloatPad;
        for (std::int64_t i = 0; i < pop.size; ++i) isyn[i] += in[i];
    }

    // 3. Neurons.
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& pop = pops_[p];
        const float* drive = drivenByInputOnly(pop)
                                 ? pop.input.data() + std::size_t(b) * idx(pop.stride)
                                 : scratch.isyn[p].data() + kFloatPad;
        updatePopulation(int(p), b, t, drive, scratch);
    }
    updatePlasticity(b, t);

    // The buffers decay after the neurons have read them (GeNN's order).
    for (std::size_t j = 0; j < projs_.size(); ++j) {
        auto& proj = projs_[j];
        if (proj.inSyn.empty()) continue;
        const auto& target = pops_[idx(net_.projections[j].target)];
        float* buffer = proj.inSyn.data() + std::size_t(b) * idx(target.stride);
        const SpikelabPostsynapticUpdate decay{buffer, nullptr, target.size, proj.constants.data(), time, dt};
        proj.kernels.decay(&decay);
    }
}

void CpuBackend::updatePlasticity(int b, std::int64_t t) {
    const float time = float(double(t) * net_.dt);
    for (auto& pop : pops_) {
        if (pop.spikeTime.empty()) continue;
        float* spikeTime = pop.spikeTime.data() + std::size_t(b) * idx(pop.stride);
        for (const std::uint32_t n : spikesAt(pop, b, t)) spikeTime[n] = time;
    }
    for (std::size_t j = 0; j < projs_.size(); ++j) {
        if (!projs_[j].plastic) continue;
        const auto& cj = net_.projections[j];
        projs_[j].plastic->preNeurons(b, time, spikesAt(pops_[idx(cj.source)], b, t));
        projs_[j].plastic->postNeurons(b, time, spikesAt(pops_[idx(cj.target)], b, t));
    }
}

void CpuBackend::readWeights(int projection, int batchIndex, std::span<float> out) const {
    backends::checkWeightsRead(net_, batch_, projection, batchIndex, out);
    if (const auto& plastic = projs_[idx(projection)].plastic)
        plastic->readWeights(batchIndex, out);
    else
        BackendBase::readWeights(projection, batchIndex, out);
}

void CpuBackend::updatePopulation(int p, int b, std::int64_t t, const float* isyn,
                                  Scratch& scratch) {
    auto& pop = pops_[idx(p)];
    const std::int64_t n = pop.size;
    const std::size_t offset = std::size_t(b) * idx(pop.stride);
    std::uint8_t* spiked = scratch.spiked.data() + kBytePad;
    const std::int64_t slot = t % pop.historySlots;
    const std::size_t slotIndex = std::size_t(b) * idx(pop.historySlots) + idx(slot);
    std::uint32_t* out = pop.history.data() + slotIndex * idx(pop.stride);
    std::int64_t count = 0;
    if (pop.kernel || pop.runtime) {
        for (std::size_t v = 0; v < pop.state.size(); ++v) scratch.state[v] = pop.state[v].data() + offset;
        const SpikelabNeuronUpdate update{scratch.state.data(), isyn, n, pop.constants.data(),
                                          float(double(t) * net_.dt), float(net_.dt),
                                          {pop.randomKey, std::uint32_t(b)}, std::uint64_t(t), spiked};
        if (pop.kernel)
            pop.kernel(&update);
        else
            pop.runtime->run(update);
        count = extractSpikes(spiked, n, out);
    } else {
        const SpikeTrain& train = pop.trains[std::size_t(b)];
        const std::int64_t s = t - pop.trainStart[std::size_t(b)];
        if (s >= 0 && s < train.steps) {
            const auto begin = train.inputs.begin() + std::ptrdiff_t(train.stepStart[idx(s)]);
            const auto end = train.inputs.begin() + std::ptrdiff_t(train.stepStart[idx(s) + 1]);
            count = std::int64_t(end - begin);
            std::copy(begin, end, out);
        }
    }
    pop.historyCount[std::size_t(b) * idx(pop.countStride) + idx(slot)] = count;
    std::uint32_t* counts = pop.counts.data() + offset;
    for (std::int64_t s = 0; s < count; ++s) ++counts[out[s]];
    Recording& recording = recordings_[idx(p)];
    if (!recording.spikeLog.empty()) {
        auto& log = recording.spikeLog[std::size_t(b)];
        for (std::int64_t s = 0; s < count; ++s) log.push({t, out[s]});
    }
    for (std::size_t v = 0; v < recording.variables.size(); ++v) {
        const float* values = pop.state[idx(recording.variables[v])].data() + offset;
        StateSample sample{t, {}};
        sample.values.reserve(recording.neurons.size());
        for (auto neuron : recording.neurons) sample.values.push_back(values[neuron]);
        recording.stateLog[v][std::size_t(b)].push(sample);
    }
}

void CpuBackend::setInputCurrent(int population, int batchIndex, std::span<const float> values) {
    checkIndex(population, batchIndex);
    auto& pop = pops_[idx(population)];
    backends::checkInputSize(net_.populations[idx(population)], values.size());
    std::copy(values.begin(), values.end(), pop.input.begin() + std::ptrdiff_t(batchIndex * pop.stride));
    pop.hasInput = true;
}

void CpuBackend::setInputSpikes(int population, int batchIndex, SpikeTrain train) {
    checkIndex(population, batchIndex);
    auto& pop = pops_[idx(population)];
    backends::checkSpikeTrain(net_.populations[idx(population)], train);
    pop.trains[std::size_t(batchIndex)] = std::move(train);
    pop.trainStart[std::size_t(batchIndex)] = step_;
}

void CpuBackend::clearInputs() {
    for (auto& pop : pops_) {
        std::fill(pop.input.begin(), pop.input.end(), 0.0f);
        pop.hasInput = false;
        for (auto& train : pop.trains) train = SpikeTrain{};
    }
}

void CpuBackend::spikeCounts(int population, int batchIndex, std::span<std::uint32_t> out) const {
    checkIndex(population, batchIndex);
    const auto& pop = pops_[idx(population)];
    if (std::int64_t(out.size()) != pop.size) throw InternalError("spikeCounts: wrong size");
    const auto begin = pop.counts.begin() + std::ptrdiff_t(batchIndex * pop.stride);
    std::copy(begin, begin + std::ptrdiff_t(pop.size), out.begin());
}

void CpuBackend::readState(int population, const std::string& variable, int batchIndex,
                           std::span<float> out) const {
    checkIndex(population, batchIndex);
    const auto& pop = pops_[idx(population)];
    const auto& cp = net_.populations[idx(population)];
    if (std::int64_t(out.size()) != pop.size) throw InternalError("readState: wrong size");
    const std::size_t offset = std::size_t(batchIndex) * idx(pop.stride);
    if (variable == "SpikeCount") {
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = float(pop.counts[offset + i]);
        return;
    }
    const int v = backends::stateIndex(cp, variable);
    std::copy_n(pop.state[idx(v)].begin() + std::ptrdiff_t(offset), out.size(), out.begin());
}

void CpuBackend::writeState(int population, const std::string& variable, int batchIndex,
                            std::span<const float> values) {
    checkIndex(population, batchIndex);
    auto& pop = pops_[idx(population)];
    const int v =
        backends::checkedStateWrite(net_.populations[idx(population)], variable, values);
    std::copy(values.begin(), values.end(),
              pop.state[idx(v)].begin() + std::ptrdiff_t(batchIndex * pop.stride));
}

void CpuBackend::setNeuronModel(int population, const NeuronModelInfo& model, std::vector<double> params,
                                std::vector<double> initial) {
    checkIndex(population, 0);
    auto& cp = net_.populations[idx(population)];
    backends::checkModelSwap(cp, model, params, initial);
    auto& pop = pops_[idx(population)];
    // Everything that can fail first: the kernel (a project's model may compile now).
    SpikelabNeuronKernel kernel = nullptr;
    std::shared_ptr<const RuntimeNeuronKernel> runtime;
    if (model.builtin >= 0)
        kernel = kernelOf(model);
    else
        runtime = runtimeNeuronKernel(model);

    const std::size_t cells = idx(pop.stride) * std::size_t(batch_);
    std::vector<AlignedVector<float>> state;
    for (std::size_t v = 0; v < model.state.size(); ++v) {
        const int old = cp.stateIndex(model.state[v].name);
        if (old >= 0)
            state.push_back(std::move(pop.state[idx(old)]));
        else
            state.emplace_back(cells, float(initial[v]));
    }
    const std::vector<int>& sampledBefore = recordings_[idx(population)].variables;
    const std::vector<std::string> sampled = backends::keptStateRecording(cp, sampledBefore, model);
    const bool sampling = !sampledBefore.empty();
    pop.state = std::move(state);
    pop.kernel = kernel;
    pop.runtime = std::move(runtime);
    if (pop.runtime && !pop.runtime->notice.empty() && notice_.find(pop.runtime->notice) == std::string::npos)
        notice_ += (notice_.empty() ? "" : "; ") + pop.runtime->notice;
    cp.model = &model;
    cp.params = std::move(params);
    cp.initial = std::move(initial);
    for (auto& s : scratch_)
        if (s.state.size() < pop.state.size()) s.state.resize(pop.state.size());
    computeConstants(population);
    if (sampling) setStateRecording(population, sampled, cp.record.neurons);
}

} // namespace spikelab::cpu
