#include "cuda_backend.h"
#include "step_library.h"

#include "backends/checks.h"
#include "backends/constants.h"
#include "spikelab/error.h"
#include "spikelab/lang.h"

#include <algorithm>

namespace spikelab::cuda {

namespace {
std::size_t idx(std::int64_t a) { return std::size_t(a); }
// Device memory the recording blocks may take; with more, blocks get shorter.
constexpr std::int64_t kRecordingBudget = std::int64_t(64) << 20;
constexpr std::int64_t kMaxBlockSteps = 1000;
} // namespace

std::string cpuOnlyReason(const CompiledNetwork& network) {
    for (const auto& p : network.populations)
        if (!p.model->spikeSource && p.model->builtin < 0)
            if (std::string why = stepLibraryUnavailable(*p.model); !why.empty())
                return "population " + quote(p.name) + ": " + why;
    for (const auto& j : network.projections)
        if (j.plastic())
            return "projection " + quote(j.name) + ": plastic synapses (" + quote(j.weightUpdate->name) +
                   ") run on the CPU backend only so far";
    return {};
}

int CudaBackend::deviceModel(const NeuronModelInfo& model) const {
    if (model.builtin >= 0) return model.builtin;
    const auto at = std::find(projectModels_.begin(), projectModels_.end(), &model);
    if (at == projectModels_.end())
        throw InternalError("cuda backend: neuron model " + quote(model.name) + " is not in the step library");
    return kFirstRuntimeModel + int(at - projectModels_.begin());
}

void CudaBackend::setNeuronModel(int population, const NeuronModelInfo& model, std::vector<double> params,
                                 std::vector<double> initial) {
    checkIndex(population, 0);
    auto& cp = net_.populations[idx(population)];
    backends::checkModelSwap(cp, model, params, initial);
    if (const std::string why = model.builtin < 0 ? stepLibraryUnavailable(model) : ""; !why.empty())
        throw Error("backend \"cuda\": population " + quote(cp.name) + ": " + why);
    // Everything that can fail first: the step library for the models after the change (a
    // project's model compiles now, or was compiled before in this process).
    std::vector<const NeuronModelInfo*> models;
    for (std::size_t p = 0; p < net_.populations.size(); ++p)
        models.push_back(p == idx(population) ? &model : net_.populations[p].model);
    std::vector<const NeuronModelInfo*> projectModels = projectNeuronModels(models);
    std::shared_ptr<const StepLibrary> library = projectModels.empty() ? nullptr : buildStepLibrary(projectModels);

    flushRecordings();  // the steps recorded so far belong to the old model's variables
    auto& pop = pops_[idx(population)];
    const std::size_t cells = idx(cp.size) * std::size_t(batch_);
    std::vector<DeviceArray<float>> state;
    for (std::size_t v = 0; v < model.state.size(); ++v) {
        const int old = cp.stateIndex(model.state[v].name);
        if (old >= 0) {
            state.push_back(std::move(pop.state[idx(old)]));
        } else {
            state.emplace_back(cells);
            fillDevice(state.back().data(), cells, float(initial[v]));
        }
    }
    const std::vector<int>& sampledBefore = recordings_[idx(population)].variables;
    const std::vector<std::string> sampled = backends::keptStateRecording(cp, sampledBefore, model);
    const bool sampling = !sampledBefore.empty();
    pop.state = std::move(state);
    projectModels_ = std::move(projectModels);
    library_ = std::move(library);
    cp.model = &model;
    cp.params = std::move(params);
    cp.initial = std::move(initial);
    computeConstants(population);
    if (sampling) setStateRecording(population, sampled, cp.record.neurons);
    tableDirty_ = true;
}

CudaBackend::CudaBackend(const CompiledNetwork& network, const BackendOptions& options,
                         std::int64_t recordBlockSteps)
    : BackendBase(network, options), requestedBlockSteps_(recordBlockSteps) {
    if (const std::string cpuOnly = cpuOnlyReason(net_); !cpuOnly.empty()) throw Error("backend \"cuda\": " + cpuOnly);
    std::string why;
    if (usableDeviceCount(why) == 0) throw DeviceError(why);
    probeDevice();
    std::vector<const NeuronModelInfo*> models;
    for (const auto& p : net_.populations) models.push_back(p.model);
    projectModels_ = projectNeuronModels(models);
    if (!projectModels_.empty()) library_ = buildStepLibrary(projectModels_);
    const std::size_t copies = std::size_t(batch_);
    pops_.resize(net_.populations.size());
    for (const auto& proj : net_.projections) {
        auto& src = pops_[idx(proj.source)];
        src.historySlots = std::max(src.historySlots, proj.delaySteps + 1);
        pops_[idx(proj.target)].hasIncoming = true;
    }
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        firstIncoming_.push_back(int(incomingHost_.size()));
        for (std::size_t j = 0; j < net_.projections.size(); ++j)
            if (net_.projections[j].target == int(p)) incomingHost_.push_back(int(j));
    }
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& cp = net_.populations[p];
        auto& pop = pops_[p];
        const std::size_t cells = idx(cp.size) * copies;
        // A built-in model's sizes fit DevicePopulation (cuda_neuron_kernels.inc asserts it), a
        // project model's were checked by cpuOnlyReason.
        for (std::size_t v = 0; v < cp.model->state.size(); ++v) pop.state.emplace_back(cells);
        pop.counts = DeviceArray<std::uint32_t>(cells);
        pop.input = DeviceArray<float>(cells);
        pop.spiked = DeviceArray<std::uint8_t>(cells);
        pop.history = DeviceArray<std::uint32_t>(cells * idx(pop.historySlots));
        pop.historyCount = DeviceArray<std::int64_t>(copies * idx(pop.historySlots));
        pop.hostInput.assign(cells, 0.0f);
        if (cp.model->spikeSource) {
            pop.trains.resize(copies);
            pop.trainStart.assign(copies, 0);
        }
        if (recording_) {
            startSpikeLog(int(p));
            setStateRecording(int(p), cp.record.variables, cp.record.neurons);
        }
        computeConstants(int(p));
    }
    projs_.resize(net_.projections.size());
    std::vector<DeviceProjection> table;
    for (std::size_t j = 0; j < projs_.size(); ++j) {
        const auto& cj = net_.projections[j];
        const auto& m = cj.synapses;
        auto& proj = projs_[j];
        proj.weights = DeviceArray<float>(m.weights.size());
        proj.weights.upload(m.weights.data(), m.weights.size());
        DeviceProjection d;
        d.connectivity = m.type == ConnectivityType::Dense      ? kDeviceDense
                         : m.type == ConnectivityType::OneToOne ? kDeviceOneToOne
                                                                : kDeviceSparse;
        if (d.connectivity == kDeviceSparse) {
            proj.rowStart = DeviceArray<std::int64_t>(m.rowStart.size());
            proj.rowStart.upload(m.rowStart.data(), m.rowStart.size());
            proj.targets = DeviceArray<std::uint32_t>(m.targets.size());
            proj.targets.upload(m.targets.data(), m.targets.size());
        }
        if (!cj.postsynaptic->code->delta) {
            // Its constants fit DeviceProjection: cuda_postsynaptic_kernels.inc asserts it.
            const std::vector<float> constants = backends::postsynapticConstants(cj, net_.dt);
            std::copy(constants.begin(), constants.end(), d.constants);
            d.model = cj.postsynaptic->builtin;
            proj.inSyn = DeviceArray<float>(idx(net_.populations[idx(cj.target)].size) * copies);
        }
        d.source = cj.source;
        d.target = cj.target;
        d.numPost = m.numPost;
        d.delaySteps = cj.delaySteps;
        d.weights = proj.weights.data();
        d.rowStart = proj.rowStart.data();
        d.targets = proj.targets.data();
        d.inSyn = proj.inSyn.data();
        table.push_back(d);
    }
    projTable_ = DeviceArray<DeviceProjection>(table.size());
    projTable_.upload(table.data(), table.size());
    incoming_ = DeviceArray<int>(incomingHost_.size());
    incoming_.upload(incomingHost_.data(), incomingHost_.size());
    popTable_ = DeviceArray<DevicePopulation>(pops_.size());
    allocateRecordings();
    resetState();
}

void CudaBackend::computeConstants(int p) {
    pops_[idx(p)].constants = backends::neuronConstants(net_.populations[idx(p)], net_.dt);
    tableDirty_ = true;
}

void CudaBackend::allocateRecordings() {
    std::int64_t bytesPerStep = 0;
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const Recording& r = recordings_[p];
        if (!r.spikeLog.empty()) bytesPerStep += batch_ * (net_.populations[p].size * 4 + 4);
        bytesPerStep += std::int64_t(r.variables.size() * r.neurons.size()) * batch_ * 4;
    }
    blockSteps_ = requestedBlockSteps_ > 0 ? requestedBlockSteps_
                  : bytesPerStep > 0 ? std::clamp(kRecordingBudget / bytesPerStep, std::int64_t(1), kMaxBlockSteps)
                                     : 1;
    const std::size_t rows = std::size_t(batch_) * idx(blockSteps_);
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        auto& pop = pops_[p];
        const Recording& r = recordings_[p];
        const bool spikes = !r.spikeLog.empty();
        pop.recordedSpikes = DeviceArray<std::uint32_t>(spikes ? rows * idx(net_.populations[p].size) : 0);
        pop.recordedSpikeCount = DeviceArray<std::int32_t>(spikes ? rows : 0);
        pop.recordedNeuronsDevice = DeviceArray<std::uint32_t>(r.neurons.size());
        pop.recordedNeuronsDevice.upload(r.neurons.data(), r.neurons.size());
        pop.recordedStates = DeviceArray<float>(r.variables.size() * rows * r.neurons.size());
    }
    tableDirty_ = true;
}

void CudaBackend::uploadNetworkTable() {
    std::vector<DevicePopulation> table(pops_.size());
    std::int64_t updated = 0;
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& cp = net_.populations[p];
        const auto& pop = pops_[p];
        auto& d = table[p];
        d.model = cp.model->spikeSource ? kSpikeSource : deviceModel(*cp.model);
        d.numStateVars = int(pop.state.size());
        d.randomKey = lang::randomKeyOf(cp.name);
        d.size = cp.size;
        if (d.model != kSpikeSource) {
            d.neuronOffset = updated;
            updated += cp.size;
        }
        for (std::size_t v = 0; v < pop.state.size(); ++v) d.state[v] = pop.state[v].data();
        d.counts = pop.counts.data();
        d.input = pop.hasInput ? pop.input.data() : nullptr;
        d.hasIncoming = pop.hasIncoming;
        d.spiked = pop.spiked.data();
        d.historySlots = pop.historySlots;
        d.history = pop.history.data();
        d.historyCount = pop.historyCount.data();
        std::copy(pop.constants.begin(), pop.constants.end(), d.constants);
        d.trains = pop.deviceTrains.data();
        d.firstIncoming = firstIncoming_[p];
        d.numIncoming = int((p + 1 < pops_.size() ? std::size_t(firstIncoming_[p + 1]) : incomingHost_.size()) -
                            std::size_t(firstIncoming_[p]));
        d.recordedSpikes = pop.recordedSpikes.data();
        d.recordedSpikeCount = pop.recordedSpikeCount.data();
        const Recording& r = recordings_[p];
        d.numRecordedVars = int(r.variables.size());
        std::copy(r.variables.begin(), r.variables.end(), d.recordedVars);
        d.recordedNeurons = pop.recordedNeuronsDevice.data();
        d.numRecordedNeurons = std::int64_t(r.neurons.size());
        d.recordedStates = pop.recordedStates.data();
    }
    popTable_.upload(table.data(), table.size());
    tableDirty_ = false;
}

void CudaBackend::uploadStagedInputs() {
    if (!inputsDirty_) return;
    for (auto& pop : pops_) {
        if (pop.hasInput) pop.input.upload(pop.hostInput.data(), pop.hostInput.size());
        if (pop.trains.empty()) continue;
        // All copies' trains in one pair of arrays; each copy's offsets stay relative to its
        // own inputs, so its DeviceTrain just points into the packed arrays.
        std::vector<std::int64_t> offsets;
        std::vector<std::uint32_t> inputs;
        for (const auto& train : pop.trains) {
            offsets.insert(offsets.end(), train.stepStart.begin(), train.stepStart.end());
            inputs.insert(inputs.end(), train.inputs.begin(), train.inputs.end());
        }
        pop.trainOffsets = DeviceArray<std::int64_t>(offsets.size());
        pop.trainOffsets.upload(offsets.data(), offsets.size());
        pop.trainInputs = DeviceArray<std::uint32_t>(inputs.size());
        pop.trainInputs.upload(inputs.data(), inputs.size());
        std::vector<DeviceTrain> trains(pop.trains.size());
        std::size_t offsetAt = 0, inputAt = 0;
        for (std::size_t b = 0; b < pop.trains.size(); ++b) {
            const auto& train = pop.trains[b];
            if (train.steps > 0) {
                trains[b].stepStart = pop.trainOffsets.data() + offsetAt;
                trains[b].inputs = pop.trainInputs.data() + inputAt;
                trains[b].steps = train.steps;
            }
            trains[b].start = pop.trainStart[b];
            offsetAt += train.stepStart.size();
            inputAt += train.inputs.size();
        }
        pop.deviceTrains = DeviceArray<DeviceTrain>(trains.size());
        pop.deviceTrains.upload(trains.data(), trains.size());
    }
    inputsDirty_ = false;
    tableDirty_ = true;
}

void CudaBackend::resetState() {
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        auto& pop = pops_[p];
        const auto& initial = net_.populations[p].initial;
        for (std::size_t v = 0; v < pop.state.size(); ++v)
            fillDevice(pop.state[v].data(), pop.state[v].size(), float(initial[v]));
        pop.counts.zero();
        pop.historyCount.zero();
        pop.countCache.clear();
    }
    for (auto& j : projs_) j.inSyn.zero();
}

void CudaBackend::advance(std::int64_t steps) {
    if (steps <= 0) return;
    uploadStagedInputs();
    if (tableDirty_) uploadNetworkTable();
    DeviceNetwork network;
    network.populations = popTable_.data();
    network.numPopulations = int(pops_.size());
    network.projections = projTable_.data();
    network.incoming = incoming_.data();
    for (std::size_t p = 0; p < pops_.size(); ++p)
        if (!net_.populations[p].model->spikeSource)
            network.updatedNeurons += net_.populations[p].size;
    network.batch = batch_;
    network.dt = net_.dt;
    network.blockSteps = blockSteps_;
    bool records = false;
    for (const Recording& r : recordings_) records = records || !r.spikeLog.empty() || !r.variables.empty();
    for (std::int64_t done = 0; done < steps;) {
        if (!records) {
            launchAdvance(network, step_ + done, steps - done, 0, library_.get());
            break;
        }
        if (pendingSteps_ == 0) pendingFirstStep_ = step_ + done;
        const std::int64_t n = std::min(steps - done, blockSteps_ - pendingSteps_);
        launchAdvance(network, step_ + done, n, pendingSteps_, library_.get());
        pendingSteps_ += n;
        done += n;
        if (pendingSteps_ == blockSteps_) flushRecordings();
    }
    step_ += steps;
    for (auto& pop : pops_) pop.countCache.clear();
}

void CudaBackend::flushRecordings() const {
    if (pendingSteps_ == 0) return;
    synchronizeDevice("simulation steps");
    const std::size_t rows = std::size_t(batch_) * idx(blockSteps_);
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& pop = pops_[p];
        Recording& recording = recordings_[p];
        const std::size_t size = idx(net_.populations[p].size);
        if (!recording.spikeLog.empty()) {
            std::vector<std::int32_t> counts(rows);
            pop.recordedSpikeCount.download(counts.data(), rows);
            std::vector<std::uint32_t> spikes(rows * size);
            pop.recordedSpikes.download(spikes.data(), spikes.size());
            for (std::size_t b = 0; b < std::size_t(batch_); ++b)
                for (std::int64_t r = 0; r < pendingSteps_; ++r) {
                    const std::size_t row = b * idx(blockSteps_) + idx(r);
                    for (std::int32_t s = 0; s < counts[row]; ++s)
                        recording.spikeLog[b].push({pendingFirstStep_ + r, spikes[row * size + std::size_t(s)]});
                }
        }
        const std::size_t numNeurons = recording.neurons.size();
        if (recording.variables.empty() || numNeurons == 0) continue;
        std::vector<float> values(recording.variables.size() * rows * numNeurons);
        pop.recordedStates.download(values.data(), values.size());
        for (std::size_t v = 0; v < recording.variables.size(); ++v)
            for (std::size_t b = 0; b < std::size_t(batch_); ++b)
                for (std::int64_t r = 0; r < pendingSteps_; ++r) {
                    const auto first = values.begin() +
                                       std::ptrdiff_t((v * rows + b * idx(blockSteps_) + idx(r)) * numNeurons);
                    recording.stateLog[v][b].push({pendingFirstStep_ + r,
                                                   std::vector<float>(first, first + std::ptrdiff_t(numNeurons))});
                }
    }
    pendingSteps_ = 0;
}

void CudaBackend::setInputCurrent(int population, int batchIndex, std::span<const float> values) {
    checkIndex(population, batchIndex);
    auto& pop = pops_[idx(population)];
    const std::int64_t size = net_.populations[idx(population)].size;
    backends::checkInputSize(net_.populations[idx(population)], values.size());
    std::copy(values.begin(), values.end(), pop.hostInput.begin() + std::ptrdiff_t(batchIndex * size));
    pop.hasInput = true;
    inputsDirty_ = true;
}

void CudaBackend::setInputSpikes(int population, int batchIndex, SpikeTrain train) {
    checkIndex(population, batchIndex);
    auto& pop = pops_[idx(population)];
    backends::checkSpikeTrain(net_.populations[idx(population)], train);
    pop.trains[std::size_t(batchIndex)] = std::move(train);
    pop.trainStart[std::size_t(batchIndex)] = step_;
    inputsDirty_ = true;
}

void CudaBackend::clearInputs() {
    for (auto& pop : pops_) {
        std::fill(pop.hostInput.begin(), pop.hostInput.end(), 0.0f);
        pop.hasInput = false;
        for (auto& train : pop.trains) train = SpikeTrain{};
    }
    inputsDirty_ = true;
}

void CudaBackend::spikeCounts(int population, int batchIndex, std::span<std::uint32_t> out) const {
    checkIndex(population, batchIndex);
    const auto& pop = pops_[idx(population)];
    const std::int64_t size = net_.populations[idx(population)].size;
    if (std::int64_t(out.size()) != size) throw InternalError("spikeCounts: wrong size");
    if (pop.countCache.empty()) {  // one download serves every copy until the next step
        pop.countCache.resize(pop.counts.size());
        pop.counts.download(pop.countCache.data(), pop.countCache.size());
    }
    const auto begin = pop.countCache.begin() + std::ptrdiff_t(batchIndex * size);
    std::copy(begin, begin + std::ptrdiff_t(size), out.begin());
}

void CudaBackend::readState(int population, const std::string& variable, int batchIndex,
                            std::span<float> out) const {
    checkIndex(population, batchIndex);
    const auto& pop = pops_[idx(population)];
    const auto& cp = net_.populations[idx(population)];
    if (std::int64_t(out.size()) != cp.size) throw InternalError("readState: wrong size");
    if (variable == "SpikeCount") {
        std::vector<std::uint32_t> counts(out.size());
        spikeCounts(population, batchIndex, counts);
        std::transform(counts.begin(), counts.end(), out.begin(), [](std::uint32_t c) { return float(c); });
        return;
    }
    const int v = backends::stateIndex(cp, variable);
    pop.state[idx(v)].download(out.data(), out.size(), std::size_t(batchIndex) * out.size());
}

void CudaBackend::writeState(int population, const std::string& variable, int batchIndex,
                             std::span<const float> values) {
    checkIndex(population, batchIndex);
    auto& pop = pops_[idx(population)];
    const int v =
        backends::checkedStateWrite(net_.populations[idx(population)], variable, values);
    pop.state[idx(v)].upload(values.data(), values.size(), std::size_t(batchIndex) * values.size());
}

void CudaBackend::setStateRecording(int population, const std::vector<std::string>& variables,
                                    const std::vector<std::int64_t>& neurons) {
    BackendBase::setStateRecording(population, variables, neurons);  // keeps the recorded steps
    if (!popTable_.empty()) allocateRecordings();  // the constructor allocates once at the end
}

void CudaBackend::clearRecordings() {
    pendingSteps_ = 0;  // the steps still on the device are cleared with the rest
    BackendBase::clearRecordings();
}

} // namespace spikelab::cuda
