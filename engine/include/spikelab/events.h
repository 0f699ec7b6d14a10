#pragma once
// Event-camera data (N-MNIST) and its mapping to spike trains.
//
// N-MNIST .bin files hold 5 bytes per event: x (uint8), y (uint8), then 24 bits big-endian
// whose top bit is the polarity (1 = ON) and whose low 23 bits are the time in microseconds.
// The sensor is 34x34; input index = polarity * 1156 + y * 34 + x (2,312 inputs).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace spikelab {

inline constexpr int kNmnistSize = 34;
inline constexpr std::int64_t kNmnistInputs = 2 * kNmnistSize * kNmnistSize;

struct DvsEvent {
    std::uint32_t timeUs = 0;
    std::uint8_t x = 0, y = 0;
    bool on = false;
    bool operator==(const DvsEvent&) const = default;
};

inline std::uint32_t nmnistInputIndex(const DvsEvent& e) {
    return std::uint32_t((e.on ? 1 : 0) * kNmnistSize * kNmnistSize + e.y * kNmnistSize + e.x);
}

struct EventSample {
    std::vector<DvsEvent> events;  // time never decreases
    int label = 0;
    std::string source;            // file (or "archive.zip:member") it came from
};

struct EventDataset {
    std::string name = "nmnist";
    std::string split;             // "train" | "test"
    std::string root;              // folder or archive it was read from
    int numClasses = 10;
    std::vector<EventSample> samples;
};

// Decodes one recording. Throws spikelab::Error naming `what` and the byte offset: length not
// a multiple of 5, x or y >= 34, time going backwards.
std::vector<DvsEvent> parseNmnistEvents(std::span<const std::uint8_t> bytes, const std::string& what);

// Reads a split from `path`: a folder holding Train/<digit>/*.bin and Test/<digit>/*.bin, the
// distributed Train.zip / Test.zip (read in place with libzip), or one outer archive holding
// both zips. Labels come from the folder names. Samples are ordered by digit, then by file name
// (numerically). `limit` > 0 keeps the first `limit` samples of that order per split... see
// implementation notes in events.cpp. With no path, the data set search path (dataset.h) is
// used for "nmnist".
EventDataset loadNmnist(const std::string& split, const std::optional<std::string>& path,
                        std::int64_t limit = 0);

// Which of the 2,312 sensor inputs feed the network. index[i] is the compact input number of
// sensor input i, or -1 when it is dropped.
struct InputMap {
    std::vector<std::int32_t> index;
    std::int64_t kept = 0;
};
InputMap allInputs();
InputMap inputsWithout(const std::vector<std::uint32_t>& blocked);
// One sensor input index per line (NEST's NMNIST_pixels_blocklist.txt); errors name the line.
std::vector<std::uint32_t> readBlocklist(const std::string& path);
// Inputs with fewer than `minEvents` events over all samples of `data`.
std::vector<std::uint32_t> computeBlocklist(const EventDataset& data, std::int64_t minEvents);

// How event times become simulation steps.
struct TimeMapping {
    enum class Mode { Scaled, Binned };
    Mode mode = Mode::Scaled;
    std::int64_t steps = 300;        // Scaled: the presentation's number of steps
    std::uint32_t maxTimeUs = 336040;  // Scaled: this time maps to the last step
    double binMs = 1.0;              // Binned: one step per binMs of recording
};

// A sample as spikes per step: the inputs of step s are inputs[stepStart[s] .. stepStart[s+1]),
// ascending and unique (several events of one input in one step count once). Deterministic.
struct SpikeTrain {
    std::int64_t steps = 0;
    std::vector<std::int64_t> stepStart;  // steps + 1 offsets
    std::vector<std::uint32_t> inputs;
    std::int64_t spikeCount() const { return std::int64_t(inputs.size()); }
};

SpikeTrain toSpikeTrain(const EventSample& sample, const TimeMapping& mapping, const InputMap& map);

} // namespace spikelab
