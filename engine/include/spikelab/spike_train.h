#pragma once
// Spikes per step, as spike encoders and event replay give them to a SpikeSource population.
#include <cstdint>
#include <vector>

namespace spikelab {

// The inputs that spike at step s are inputs[stepStart[s] .. stepStart[s+1]), ascending and
// unique.
struct SpikeTrain {
    std::int64_t steps = 0;
    std::vector<std::int64_t> stepStart; // steps + 1 offsets
    std::vector<std::uint32_t> inputs;
    std::int64_t spikeCount() const { return std::int64_t(inputs.size()); }
};

// Several spike inputs on one SpikeSource population (docs/architecture.md, "Several inputs on
// one population"): the trains, which all start at the same step, merge into one in which
// step s holds every index that any train holds at s, once, in ascending order; it lasts as
// long as the longest. A single train is returned as it is, so one input alone behaves
// exactly as before merging existed. No trains give an empty train.
SpikeTrain mergeSpikeTrains(std::vector<SpikeTrain> trains);

} // namespace spikelab
