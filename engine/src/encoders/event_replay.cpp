#include "encoders/encoders.h"
#include "encoders/fit_messages.h"
#include "model/table_helpers.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"

namespace spikelab {

std::vector<EncoderInfo> encoding::eventEncoders() {
    using namespace table;
    ParamInfo maxTime = positive("max_time_us", "us", 336040.0,
                                 "recording time that maps to the last step (bin_ms = 0)");
    maxTime.integer = true;
    maxTime.max = 8388607.0;  // 23-bit timestamps
    return {{EncoderKind::EventReplay, "EventReplay",
             "Replays an event recording (N-MNIST) into a SpikeSource population of the inputs "
             "kept after the blocklist (the input's file); several events of one input in one "
             "step count once.",
             {nonNegative("bin_ms", "ms", 0.0,
                          "0: scale recording times onto the presentation; > 0: one step per bin"),
              maxTime}}};
}

EventSamples::EventSamples(const EventDataset& data, const CompiledNetwork& network)
    : data_(data), net_(network) {
    for (const auto& in : network.inputs) {
        if (in.encoder->kind != EncoderKind::EventReplay) {
            maps_.emplace_back();
            continue;
        }
        maps_.push_back(in.file.empty() ? allInputs() : inputsWithout(readBlocklist(in.file)));
    }
}

void EventSamples::check(const CompiledNetwork& net) const {
    if (net.inputs.empty()) throw Error(fit::noInput());
    for (std::size_t k = 0; k < net.inputs.size(); ++k) {
        const auto& in = net.inputs[k];
        if (in.encoder->kind != EncoderKind::EventReplay)
            throw Error(fit::imageInputOnEvents(in.name, in.encoder->name, data_.name));
        const auto& pop = net.populations[std::size_t(in.target)];
        if (pop.size != maps_[k].kept)
            throw Error(fit::eventInputCount(in.name, pop.name, pop.size, maps_[k].kept, in.file));
    }
    if (net.readout >= 0 && net.populations[std::size_t(net.readout)].size != data_.numClasses)
        throw Error(fit::readoutClasses(net.populations[std::size_t(net.readout)].name,
                                        net.populations[std::size_t(net.readout)].size,
                                        data_.name, data_.numClasses));
}

TimeMapping EventSamples::mapping(std::size_t k) const {
    const auto& in = net_.inputs.at(k);
    TimeMapping mapping;
    const double bin = in.param("bin_ms");
    if (bin > 0.0) {
        mapping.mode = TimeMapping::Mode::Binned;
        mapping.binMs = bin;
    } else {
        mapping.mode = TimeMapping::Mode::Scaled;
        mapping.steps = net_.stepsPerSample;
        mapping.maxTimeUs = std::uint32_t(in.param("max_time_us"));
    }
    return mapping;
}

SpikeTrain EventSamples::train(std::size_t k, std::int64_t sample) const {
    return toSpikeTrain(data_.samples[std::size_t(sample)], mapping(k), maps_[k]);
}

void EventSamples::encode(Backend& backend, std::int64_t sample, int batchIndex) const {
    // Several EventReplay inputs on one population merge (see encodeSample).
    for (int population : inputTargets(net_)) {
        std::vector<SpikeTrain> trains;
        for (std::size_t k = 0; k < net_.inputs.size(); ++k)
            if (net_.inputs[k].target == population) trains.push_back(train(k, sample));
        backend.setInputSpikes(population, batchIndex, mergeSpikeTrains(std::move(trains)));
    }
}

} // namespace spikelab
