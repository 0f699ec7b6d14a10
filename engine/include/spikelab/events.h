#pragma once
// Event-camera data (N-MNIST) and its mapping to spike trains.
//
// N-MNIST .bin files hold 5 bytes per event: x (uint8), y (uint8), then 24 bits big-endian
// whose top bit is the polarity (1 = ON) and whose low 23 bits are the time in microseconds.
// The sensor is 34x34; input index = polarity * 1156 + y * 34 + x (2,312 inputs).
#include "spikelab/spike_train.h"

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
    std::vector<DvsEvent> events; // time never decreases
    int label = 0;
    std::string source; // file (or "archive.zip:member") it came from
};

struct EventDataset {
    std::string name = "nmnist";
    std::string split; // "train" | "test"
    std::string root;  // folder (holding Train/, Train.zip, ...) or archive file it was read from
    int numClasses = 10;
    std::vector<EventSample> samples;
};

// Decodes one recording. `what` is the file's name (a path, or "archive.zip:member"); errors
// quote it and give the byte offset of the offending byte: the length is not a multiple of 5
// (offset = the length), x or y >= 34 (offset of that byte), the time going backwards (offset
// of the event's third byte). An empty recording gives no events.
std::vector<DvsEvent> parseNmnistEvents(std::span<const std::uint8_t> bytes,
                                        const std::string& what);

// Reads one split ("train" or "test") of N-MNIST. Each folder looked in may hold
//   - the extracted folders Train/<digit>/*.bin and Test/<digit>/*.bin;
//   - the distributed Train.zip / Test.zip, read in place with libzip (their members may sit
//     under a top-level folder, as in the real files: "Train/0/00002.bin");
//   - one outer archive (any other *.zip, e.g. the download 468j46mzdv-1.zip) holding Train.zip
//     and Test.zip at any depth ("468j46mzdv-1/Train.zip"), or holding the Train/ and Test/
//     folders themselves. Nested zips are read from memory, never unpacked to disk: the inner
//     Train.zip is held in memory (its full size, whatever `limit`) while it is read.
// `path` may name such a folder (then it and path/nmnist are looked in, nothing else) or an
// archive file. With no path (or an empty one), datasetSearchPath("nmnist", nullopt) is used.
// In each folder, in this order: Train/, Train.zip, then the single other *.zip (several are an
// Error; one without the split is an Error). The first folder holding one of them wins. Not
// found anywhere: a DatasetNotFound listing every folder searched and what to put there.
//
// Labels come from the digit folder a .bin file sits in; a .bin file in any other folder, or a
// subfolder of Train/ (Test/) not named 0-9, is an Error naming it. Other files are ignored, as
// are macOS metadata ("__MACOSX/", "._*"). Samples are ordered by digit, then by file stem
// compared as a number ("2" < "10" < "00011"; equal numbers by name; stems that are not all
// digits after all numeric ones, by name). `limit` > 0 keeps the first `limit` samples of that
// order, so a small limit takes the low digits only (limit 100 on the full Train set is 100
// zeros); only those files are read. limit 0 keeps all; a negative limit is an Error. A split
// without any sample is an Error.
EventDataset loadNmnist(const std::string& split, const std::optional<std::string>& path,
                        std::int64_t limit = 0);
// One split read from the bytes of a zip archive already in memory (Train.zip, Test.zip or an
// outer archive holding them), with loadNmnist's rules for an archive file; `name` stands for
// the file in messages and sample sources and decides, as a file name would, whether the
// archive is the split's own zip ("Train.zip"). Nothing is written to disk.
EventDataset loadNmnistArchive(std::vector<std::uint8_t> bytes, const std::string& name,
                               const std::string& split, std::int64_t limit = 0);

// Which of the 2,312 sensor inputs feed the network. index[i] is the compact input number of
// sensor input i, or -1 when it is dropped; kept inputs are numbered 0..kept-1 in sensor order.
struct InputMap {
    std::vector<std::int32_t> index;
    std::int64_t kept = 0;
};
InputMap allInputs();
// Drops the `blocked` inputs (repeats allowed); an index >= 2,312 is an Error.
InputMap inputsWithout(const std::vector<std::uint32_t>& blocked);
// One sensor input index per line (NEST's NMNIST_pixels_blocklist.txt, whose numbering is
// nmnistInputIndex's: NEST's load_image computes polarity*1156 + y*34 + x); blank lines and '#'
// comments (whole-line or trailing) are allowed, and integral values written as floats
// ("1.000000000000000000e+00", numpy.savetxt's default) are accepted. Errors name the file, the
// line and the value: not a number, not a whole number, >= 2,312. Returns the indices sorted
// ascending, each once.
std::vector<std::uint32_t> readBlocklist(const std::string& path);
// Inputs with fewer than `minEvents` events over all samples of `data` (every event counts,
// ON and OFF are separate inputs), ascending. minEvents <= 0 gives an empty list.
std::vector<std::uint32_t> computeBlocklist(const EventDataset& data, std::int64_t minEvents);

// How event times become simulation steps.
//
// Scaled: every sample lasts `steps` steps (1..2^31-1); an event at t us goes to step
// floor(t * steps / (maxTimeUs + 1)), so [0, maxTimeUs] spreads evenly over the steps and
// maxTimeUs falls in the last one. An event later than maxTimeUs goes to the last step, as the
// NEST e-prop N-MNIST example does: it bins events into 1 ms steps and clips them to the last
// step of its 300-step presentation (np.clip(t // 1000, 1, 299)). nestTimeMapping() below is that
// mapping, except that NEST also moves events of the first millisecond to step 1 (for its spike
// generators); here they stay at step 0. The default (336,040 us, the latest event in the
// shared N-MNIST subset) spreads whole recordings over 300 steps without clipping any.
//
// Binned: one step per binMs (> 0) of recording, step = floor(t / (binMs * 1000)); the sample's
// SpikeTrain has as many steps as its last event needs, ceil((tMax + 1) / binUs) for whole-us
// bins (0 steps for a sample without events), so samples differ in length and no event is
// dropped or moved. Binned with binMs 1 is NEST's mapping without the clipping.
//
// An invalid mapping (steps < 1 or too large, binMs not > 0 or not finite, more than 2^31-1
// binned steps) is an Error.
struct TimeMapping {
    enum class Mode { Scaled, Binned };
    Mode mode = Mode::Scaled;
    std::int64_t steps = 300;         // Scaled: the presentation's number of steps
    std::uint32_t maxTimeUs = 336040; // Scaled: this time maps to the last step
    double binMs = 1.0;               // Binned: one step per binMs of recording
};

// The NEST e-prop example's mapping: 300 steps of 1 ms, later events in the last step.
inline TimeMapping nestTimeMapping() {
    return TimeMapping{TimeMapping::Mode::Scaled, 300, 299999, 1.0};
}

// An N-MNIST sample as a SpikeTrain (spikelab/spike_train.h): the inputs of each step ascending
// and unique (several events of one input in one step count once), numbered by the
// InputMap; dropped inputs (index -1) give no spikes. Deterministic. Errors: an InputMap whose
// index does not have 2,312 entries or points outside 0..kept-1, events whose time decreases,
// an invalid TimeMapping.
SpikeTrain toSpikeTrain(const EventSample& sample, const TimeMapping& mapping, const InputMap& map);


} // namespace spikelab
