// How much memory a network will take once built, estimated from its description alone, so
// that a file asking for more than the machine has is refused with the item's name instead of
// ending in std::bad_alloc (or in swapping) halfway through building it.
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/network.h"

#include <unistd.h>

#include <string>

namespace spikelab {

namespace {

// Bytes per neuron of one batch copy: two state variables, the spike count, the external
// input, the synaptic input and a spike-history slot, 4 bytes each, with room to spare.
constexpr double kBytesPerNeuron = 32.0;

// 10000000000 -> "10,000,000,000".
std::string grouped(double count) {
    std::string digits = std::to_string(static_cast<unsigned long long>(count));
    for (int at = int(digits.size()) - 3; at > 0; at -= 3) digits.insert(std::size_t(at), ",");
    return digits;
}

double synapseBytes(const ProjectionSpec& j, double pre, double post, double& synapses) {
    const auto& c = j.connectivity;
    switch (c.type) {
    case ConnectivityType::Dense: synapses = pre * post; return synapses * 4.0;
    case ConnectivityType::OneToOne: synapses = pre; return synapses * 4.0;
    case ConnectivityType::FixedProbability:
        synapses = pre * post * c.probability;
        return synapses * 8.0 + pre * 8.0;  // weight and target index, row starts
    case ConnectivityType::Sparse:
        synapses = double(c.pre.size());
        return synapses * 8.0 + pre * 8.0;
    }
    return 0.0;
}

} // namespace

std::int64_t physicalMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0) return std::int64_t(1) << 62;  // unknown: no limit
    return std::int64_t(pages) * std::int64_t(pageSize);
}

void checkNetworkFitsMemory(const NetworkSpec& spec, std::int64_t available) {
    const auto tooMuch = [&](const std::string& what, double bytes) {
        return Error(what + " need " + byteSize(std::int64_t(std::min(bytes, 9.0e18))) +
                     ", more than this machine's " + byteSize(available) + " of memory");
    };
    double total = 0.0;
    for (const auto& p : spec.populations) {
        const double bytes = double(p.size) * kBytesPerNeuron;
        if (bytes > double(available))
            throw tooMuch("population " + quote(p.name) + ": " + grouped(double(p.size)) + " neurons", bytes);
        total += bytes;
    }
    for (const auto& j : spec.projections) {
        const auto* src = spec.findPopulation(j.source);
        const auto* dst = spec.findPopulation(j.target);
        if (!src || !dst) continue;  // validate() names the unknown population
        double synapses = 0.0;
        const double bytes = synapseBytes(j, double(src->size), double(dst->size), synapses);
        if (bytes > double(available))
            throw tooMuch("projection " + quote(j.name) + ": " + grouped(synapses) + " synapses", bytes);
        total += bytes;
    }
    if (total > double(available)) throw tooMuch("the network's populations and projections together", total);
}

} // namespace spikelab
