#include "spikelab/spike_train.h"

#include <algorithm>
#include <iterator>

namespace spikelab {

SpikeTrain mergeSpikeTrains(std::vector<SpikeTrain> trains) {
    if (trains.empty()) {
        SpikeTrain empty;
        empty.stepStart.push_back(0);
        return empty;
    }
    if (trains.size() == 1) return std::move(trains.front());
    SpikeTrain merged;
    std::size_t total = 0;
    for (const auto& t : trains) {
        merged.steps = std::max(merged.steps, t.steps);
        total += t.inputs.size();
    }
    merged.inputs.reserve(total);
    merged.stepStart.reserve(std::size_t(merged.steps) + 1);
    merged.stepStart.push_back(0);
    for (std::int64_t s = 0; s < merged.steps; ++s) {
        const auto first = merged.inputs.end() - merged.inputs.begin();
        for (const auto& t : trains) {
            if (s >= t.steps) continue;
            merged.inputs.insert(merged.inputs.end(),
                                 t.inputs.begin() + std::ptrdiff_t(t.stepStart[std::size_t(s)]),
                                 t.inputs.begin() + std::ptrdiff_t(t.stepStart[std::size_t(s) + 1]));
        }
        const auto begin = merged.inputs.begin() + first;
        std::sort(begin, merged.inputs.end());
        merged.inputs.erase(std::unique(begin, merged.inputs.end()), merged.inputs.end());
        merged.stepStart.push_back(std::int64_t(merged.inputs.size()));
    }
    return merged;
}

} // namespace spikelab
