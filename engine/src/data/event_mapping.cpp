// From N-MNIST events to spike trains: which sensor inputs are kept (input maps and
// blocklists) and how event times become simulation steps.
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/fileio.h"
#include "spikelab/network.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>

namespace spikelab {

InputMap allInputs() {
    InputMap map;
    map.index.resize(std::size_t(kNmnistInputs));
    for (std::int64_t i = 0; i < kNmnistInputs; ++i) map.index[std::size_t(i)] = std::int32_t(i);
    map.kept = kNmnistInputs;
    return map;
}

InputMap inputsWithout(const std::vector<std::uint32_t>& blocked) {
    std::vector<bool> drop(std::size_t(kNmnistInputs), false);
    for (std::uint32_t i : blocked) {
        if (i >= kNmnistInputs)
            throw Error("blocked input " + std::to_string(i) + " is out of range (inputs are 0.." +
                        std::to_string(kNmnistInputs - 1) + ")");
        drop[i] = true;
    }
    InputMap map;
    map.index.assign(std::size_t(kNmnistInputs), -1);
    for (std::size_t i = 0; i < drop.size(); ++i)
        if (!drop[i]) map.index[i] = std::int32_t(map.kept++);
    return map;
}

namespace {

// Parses one blocklist value written as a decimal number, integral or not ("3", "3.0e+00").
// Returns false when `text` is not such a number.
bool parseIndex(const std::string& text, double& value) {
    if (text.find_first_not_of("0123456789+-.eE") != std::string::npos) return false;
    errno = 0;
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
}

} // namespace

std::vector<std::uint32_t> readBlocklist(const std::string& path) {
    // A blocklist names at most 2,312 inputs: a few KB.
    const std::vector<std::uint8_t> bytes = readFile(path, std::int64_t(1) << 20, "a blocklist");
    const std::string text(bytes.begin(), bytes.end());
    std::vector<std::uint32_t> indices;
    std::size_t start = 0;
    for (std::int64_t line = 1; start < text.size(); ++line) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string content = text.substr(start, end - start);
        start = end + 1;
        if (const std::size_t hash = content.find('#'); hash != std::string::npos)
            content.resize(hash);
        const std::size_t first = content.find_first_not_of(" \t\r");
        if (first == std::string::npos) continue;
        const std::size_t last = content.find_last_not_of(" \t\r");
        const std::string value = content.substr(first, last - first + 1);
        auto fail = [&](const std::string& why) {
            throw Error("blocklist " + quote(path) + ", line " + std::to_string(line) + ": " +
                        quote(value) + " " + why);
        };
        double number = 0;
        if (!parseIndex(value, number))
            fail("is not an input index (one whole number per line expected)");
        if (number != std::floor(number)) fail("is not a whole number");
        if (number < 0 || number >= double(kNmnistInputs))
            fail("is out of range (inputs are 0.." + std::to_string(kNmnistInputs - 1) + ")");
        indices.push_back(std::uint32_t(number));
    }
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    return indices;
}

std::vector<std::uint32_t> computeBlocklist(const EventDataset& data, std::int64_t minEvents) {
    std::vector<std::int64_t> counts(std::size_t(kNmnistInputs), 0);
    for (const EventSample& sample : data.samples)
        for (const DvsEvent& e : sample.events) {
            if (e.x >= kNmnistSize || e.y >= kNmnistSize)
                throw Error("sample " + quote(sample.source) +
                            ": event at x = " + std::to_string(e.x) +
                            ", y = " + std::to_string(e.y) + " is outside the 34x34 sensor");
            ++counts[nmnistInputIndex(e)];
        }
    std::vector<std::uint32_t> blocked;
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] < minEvents) blocked.push_back(std::uint32_t(i));
    return blocked;
}

SpikeTrain toSpikeTrain(const EventSample& sample, const TimeMapping& mapping,
                        const InputMap& map) {
    auto what = [&] { return "sample " + quote(sample.source); };
    if (map.index.size() != std::size_t(kNmnistInputs))
        throw Error(what() + ": the input map has " + std::to_string(map.index.size()) +
                    " entries, expected " + std::to_string(kNmnistInputs));
    std::int32_t lowest = 0, highest = -1; // a reduction the compiler vectorises
    for (std::int32_t i : map.index) {
        lowest = std::min(lowest, i);
        highest = std::max(highest, i);
    }
    if (lowest < -1 || highest >= map.kept)
        throw Error(what() + ": the input map points to input " +
                    std::to_string(lowest < -1 ? lowest : highest) + " but keeps only " +
                    std::to_string(map.kept));
    const std::vector<DvsEvent>& events = sample.events;

    // Step of each event, as a function of its time; steps never decrease with time.
    constexpr std::int64_t maxSteps = kMaxStepsPerSample;  // the longest presentation
    std::int64_t steps = 0;
    std::uint64_t stepsU = 0, denominator = 0; // Scaled
    bool wholeBins = false;                    // Binned
    std::uint64_t binWhole = 0;
    double binUs = 0;
    if (mapping.mode == TimeMapping::Mode::Scaled) {
        if (mapping.steps < 1 || mapping.steps > maxSteps)
            throw Error(what() + ": time mapping has " + std::to_string(mapping.steps) +
                        " steps (expected 1.." + std::to_string(maxSteps) + ")");
        steps = mapping.steps;
        stepsU = std::uint64_t(steps);
        denominator = std::uint64_t(mapping.maxTimeUs) + 1;
    } else {
        if (!std::isfinite(mapping.binMs) || !(mapping.binMs > 0))
            throw Error(what() + ": time mapping bin of " + formatNumber(mapping.binMs) +
                        " ms is not > 0");
        binUs = mapping.binMs * 1000.0;
        wholeBins = binUs >= 1 && std::abs(binUs - std::round(binUs)) < 1e-9 * binUs;
        binWhole = wholeBins ? std::uint64_t(std::llround(binUs)) : 0;
    }
    auto stepOf = [&](std::uint32_t t) -> std::int64_t {
        if (mapping.mode == TimeMapping::Mode::Scaled) {
            if (t > mapping.maxTimeUs) return steps - 1; // as NEST's clip to its last step
            return std::int64_t(std::uint64_t(t) * stepsU / denominator);
        }
        if (wholeBins) return std::int64_t(t / binWhole);
        // A tiny bin (1e-20 ms) gives a step no int64 holds: past maxSteps is "too many".
        const double step = std::floor(double(t) / binUs);
        return step > double(maxSteps) ? maxSteps + 1 : std::int64_t(step);
    };
    if (mapping.mode == TimeMapping::Mode::Binned) {
        steps = events.empty() ? 0 : stepOf(events.back().timeUs) + 1;
        if (steps > maxSteps)
            throw Error(what() + ": " + std::to_string(steps) + " steps of " +
                        formatNumber(mapping.binMs) + " ms are too many (at most " +
                        std::to_string(maxSteps) + ")");
    }

    SpikeTrain train;
    train.steps = steps;
    train.stepStart.assign(std::size_t(steps) + 1, 0);
    // Unique spikes are at most the events: write through a pointer, trim at the end.
    train.inputs.resize(events.size());
    std::uint32_t* out = train.inputs.data();
    // The inputs of the step being gathered, as a bit set over the compact inputs: sets each
    // input once and yields them in ascending order without sorting.
    std::vector<std::uint64_t> pending(std::size_t(map.kept + 63) / 64, 0);
    bool anyPending = false;
    std::int64_t current = 0; // step whose inputs are being gathered
    std::uint32_t previousTime = 0;
    // Times are sorted, so the step is recomputed only once a time reaches the end of the
    // current one (the first time of the next step), which saves a division per event.
    std::int64_t step = -1;
    std::uint64_t stepEndTime = 0;
    auto enterStepOf = [&](std::uint32_t t) {
        step = stepOf(t);
        const auto next = std::uint64_t(step) + 1;
        if (mapping.mode == TimeMapping::Mode::Scaled)
            stepEndTime =
                step == steps - 1 ? UINT64_MAX : (next * denominator + stepsU - 1) / stepsU;
        else
            stepEndTime = wholeBins ? next * binWhole : std::uint64_t(t) + 1;
    };
    auto closeGroup = [&](std::int64_t next) {
        if (anyPending) {
            for (std::size_t w = 0; w < pending.size(); ++w) {
                for (std::uint64_t bits = pending[w]; bits != 0; bits &= bits - 1)
                    *out++ = std::uint32_t(w * 64 + std::size_t(std::countr_zero(bits)));
                pending[w] = 0;
            }
            anyPending = false;
        }
        for (std::int64_t s = current + 1; s <= next; ++s)
            train.stepStart[std::size_t(s)] = out - train.inputs.data();
        current = next;
    };
    for (std::size_t i = 0; i < events.size(); ++i) {
        const DvsEvent& e = events[i];
        if (e.timeUs < previousTime)
            throw Error(what() + ": event " + std::to_string(i) + " at " +
                        std::to_string(e.timeUs) + " us comes after one at " +
                        std::to_string(previousTime) + " us (times must not decrease)");
        if (e.x >= kNmnistSize || e.y >= kNmnistSize)
            throw Error(what() + ": event " + std::to_string(i) + " at x = " + std::to_string(e.x) +
                        ", y = " + std::to_string(e.y) + " is outside the 34x34 sensor");
        previousTime = e.timeUs;
        const std::int32_t input = map.index[nmnistInputIndex(e)];
        if (input < 0) continue;
        if (e.timeUs >= stepEndTime) enterStepOf(e.timeUs);
        if (step != current) closeGroup(step);
        pending[std::size_t(input) >> 6] |= std::uint64_t(1) << (input & 63);
        anyPending = true;
    }
    closeGroup(steps);
    train.inputs.resize(std::size_t(out - train.inputs.data()));
    return train;
}

} // namespace spikelab
