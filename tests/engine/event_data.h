#pragma once
// N-MNIST-like data made here, so the event tests need no downloaded recordings: digit d's
// recording has ON events along sensor row d and OFF events along row d + 12, 40 time stamps
// over 100 ms; a replay network whose output neuron d listens to the ON events of row d
// classifies them all correctly.
#include "spec_builders.h"

#include "spikelab/events.h"
#include "spikelab/project.h"

#include <filesystem>
#include <fstream>
#include <string>

namespace spikelab::test {

inline EventDataset rowDigits(int perClass) {
    EventDataset data;
    data.split = "test";
    for (int s = 0; s < perClass * 10; ++s) {
        EventSample sample;
        sample.label = s % 10;
        sample.source = std::to_string(sample.label) + "/" + std::to_string(s) + ".bin";
        for (std::uint32_t t = 0; t < 100000; t += 2500) {
            for (std::uint8_t x = 0; x < 34; x += 3)
                sample.events.push_back({t + std::uint32_t(s), x, std::uint8_t(sample.label), true});
            for (std::uint8_t x = 1; x < 34; x += 3)
                sample.events.push_back({t + std::uint32_t(s), x, std::uint8_t(sample.label + 12), false});
        }
        data.samples.push_back(std::move(sample));
    }
    return data;
}

// Writes `data` as the N-MNIST layout <dir>/Test/<label>/<n>.bin (5 bytes per event).
inline void writeNmnistFolder(const EventDataset& data, const std::filesystem::path& dir) {
    for (std::size_t s = 0; s < data.samples.size(); ++s) {
        const auto& sample = data.samples[s];
        const auto folder = dir / "Test" / std::to_string(sample.label);
        std::filesystem::create_directories(folder);
        std::ofstream out(folder / (std::to_string(s) + ".bin"), std::ios::binary);
        for (const auto& e : sample.events) {
            const std::uint32_t word = (e.on ? 0x800000u : 0u) | e.timeUs;
            const char bytes[5] = {char(e.x), char(e.y), char(word >> 16), char(word >> 8), char(word)};
            out.write(bytes, 5);
        }
    }
}

// `inputs` replayed sensor inputs -> 10 IF neurons; the recording's 100 ms over 50 steps. With
// all 2,312 inputs, output neuron d listens to the ON inputs of sensor row d (1156 + d*34 + x);
// with fewer (after a blocklist `file`) the weights are 0.
inline NetworkSpec replayNetwork(std::int64_t inputs = kNmnistInputs, const std::string& file = "") {
    NetworkSpec s;
    s.name = "row-digits";
    s.populations = {population("events", inputs, "SpikeSource"),
                     population("out", 10, "IF", {{"Vthr", 1.0}})};
    s.populations[0].record.spikes = true;
    s.populations[1].record.spikes = true;
    std::vector<double> w(std::size_t(inputs * 10), 0.0);
    if (inputs == kNmnistInputs)
        for (int d = 0; d < 10; ++d)
            for (int x = 0; x < 34; ++x) w[std::size_t((1156 + d * 34 + x) * 10 + d)] = 0.5;
    s.projections = {projection("events_out", "events", "out", inlineWeights(w))};
    InputSpec in;
    in.name = "replay";
    in.type = "EventReplay";
    in.target = "events";
    in.params = {{"max_time_us", 100000.0}};
    in.file = file;
    s.inputs = {in};
    s.experiment.stepsPerSample = 50;
    s.experiment.readout = "out";
    s.experiment.dataset.name = "nmnist";
    s.experiment.dataset.split = "test";
    return s;
}

} // namespace spikelab::test
