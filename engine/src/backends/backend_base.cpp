#include "backend_base.h"

#include "checks.h"
#include "spikelab/error.h"

namespace spikelab::backends {

BackendBase::BackendBase(const CompiledNetwork& network, const BackendOptions& options)
    : net_(network), batch_(options.batch), spikeCapacity_(options.spikeCapacity),
      stateCapacity_(options.stateCapacity), recording_(options.recording),
      recordings_(network.populations.size()) {
    if (batch_ < 1) throw Error("backend: batch size " + std::to_string(batch_) + " must be >= 1");
}

void BackendBase::checkIndex(int population, int batchIndex) const {
    backends::checkIndex(net_, batch_, population, batchIndex);
}

void BackendBase::startSpikeLog(int population) {
    if (recording_ && net_.populations[std::size_t(population)].record.spikes)
        recordings_[std::size_t(population)].spikeLog.assign(std::size_t(batch_), RingBuffer<SpikeEvent>(spikeCapacity_));
}

void BackendBase::setParam(int population, const std::string& param, double value) {
    checkIndex(population, 0);
    auto& cp = net_.populations[std::size_t(population)];
    cp.params[checkedParam(cp, param, value)] = value;
    computeConstants(population);
}

const RingBuffer<SpikeEvent>& BackendBase::spikes(int population, int batchIndex) const {
    checkIndex(population, batchIndex);
    const Recording& r = recordings_[std::size_t(population)];
    if (r.spikeLog.empty()) notRecordingSpikes(net_.populations[std::size_t(population)]);
    syncRecordings();
    return r.spikeLog[std::size_t(batchIndex)];
}

const RingBuffer<StateSample>& BackendBase::states(int population, const std::string& variable,
                                                   int batchIndex) const {
    checkIndex(population, batchIndex);
    const Recording& r = recordings_[std::size_t(population)];
    const std::size_t v = recordedPosition(net_.populations[std::size_t(population)], r.variables, variable);
    syncRecordings();
    return r.stateLog[v][std::size_t(batchIndex)];
}

void BackendBase::setStateRecording(int population, const std::vector<std::string>& variables,
                                    const std::vector<std::int64_t>& neurons) {
    checkIndex(population, 0);
    auto& cp = net_.populations[std::size_t(population)];
    StateRecording chosen = resolveStateRecording(cp, variables, neurons);
    syncRecordings();  // the steps recorded so far are kept in the old layout
    Recording& r = recordings_[std::size_t(population)];
    r.variables = std::move(chosen.variables);
    r.neurons = std::move(chosen.neurons);
    r.stateLog.assign(r.variables.size(), std::vector<RingBuffer<StateSample>>(std::size_t(batch_),
                                                                               RingBuffer<StateSample>(stateCapacity_)));
    cp.record.variables = variables;
    cp.record.neurons = neurons;
}

void BackendBase::readWeights(int projection, int batchIndex, std::span<float> out) const {
    checkWeightsRead(net_, batch_, projection, batchIndex, out);
    const auto& weights = net_.projections[std::size_t(projection)].synapses.weights;
    std::copy(weights.begin(), weights.end(), out.begin());
}

void BackendBase::clearRecordings() {
    for (Recording& r : recordings_) {
        for (auto& log : r.spikeLog) log.clear();
        for (auto& perVar : r.stateLog)
            for (auto& log : perVar) log.clear();
    }
}

} // namespace spikelab::backends
