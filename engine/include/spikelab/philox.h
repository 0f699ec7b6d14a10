#pragma once
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
// counter-based generator. The output is a pure function of (key, counter), so any backend,
// thread or batch layout that asks for the same (seed, sample, step, neuron) gets the same
// number. Written for host and device alike (no state, no library calls).
#include <array>
#include <cstdint>

#if defined(__CUDACC__)
#define SPIKELAB_HOST_DEVICE __host__ __device__
#else
#define SPIKELAB_HOST_DEVICE
#endif

namespace spikelab {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

SPIKELAB_HOST_DEVICE inline PhiloxCounter philox4x32(PhiloxCounter c, PhiloxKey k) {
    constexpr std::uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    constexpr std::uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    for (int round = 0; round < 10; ++round) {
        const std::uint64_t p0 = std::uint64_t(M0) * c[0];
        const std::uint64_t p1 = std::uint64_t(M1) * c[2];
        c = {std::uint32_t(p1 >> 32) ^ c[1] ^ k[0], std::uint32_t(p1),
             std::uint32_t(p0 >> 32) ^ c[3] ^ k[1], std::uint32_t(p0)};
        k = {k[0] + W0, k[1] + W1};
    }
    return c;
}

// Uniform in [0, 1) from 32 random bits (24 significant, exact in float).
SPIKELAB_HOST_DEVICE inline float uniformFromBits(std::uint32_t bits) {
    return float(bits >> 8) * (1.0f / 16777216.0f);
}

} // namespace spikelab
