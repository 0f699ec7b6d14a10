#pragma once
// Portable random numbers for weight and connectivity initialisation. std::mt19937_64's
// output sequence is fixed by the C++ standard, but the standard distributions are not, so
// values are mapped from raw integers here: the same seed gives the same network everywhere.
#include <cstdint>
#include <random>

namespace spikelab {

class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }
    // Uniform in (0, 1]: safe for log().
    double uniformOpenZero() { return 1.0 - uniform(); }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    double normal();  // standard normal (Box-Muller, cached second value)

private:
    std::mt19937_64 engine_;
    bool haveSpare_ = false;
    double spare_ = 0.0;
};

} // namespace spikelab
