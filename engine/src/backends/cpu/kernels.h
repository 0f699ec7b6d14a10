#pragma once
// Inner loops of the CPU backend, written so the compiler vectorises them: fixed-size column
// blocks keep partial sums in registers while a block of presynaptic rows streams past.
// Every target receives its contributions in spike order, whatever the blocking, so results
// are identical to the plain loop and independent of the number of threads.
#include <cstddef>
#include <cstdint>

namespace spikelab::cpu {

// out[j] += sum over s of W[rows[s] * stride + j], for j in [0, n).
inline void accumulateRows(const float* __restrict W, std::int64_t stride,
                           const std::uint32_t* __restrict rows, std::int64_t numRows,
                           float* __restrict out, std::int64_t n) {
    constexpr std::int64_t B = 64;  // 4 AVX-512 or 8 AVX2 registers of partial sums
    std::int64_t j0 = 0;
    for (; j0 + B <= n; j0 += B) {
        float acc[B];
        for (std::int64_t k = 0; k < B; ++k) acc[k] = out[j0 + k];
        for (std::int64_t s = 0; s < numRows; ++s) {
            const float* __restrict row = W + std::int64_t(rows[s]) * stride + j0;
            for (std::int64_t k = 0; k < B; ++k) acc[k] += row[k];
        }
        for (std::int64_t k = 0; k < B; ++k) out[j0 + k] = acc[k];
    }
    if (j0 < n) {
        for (std::int64_t s = 0; s < numRows; ++s) {
            const float* __restrict row = W + std::int64_t(rows[s]) * stride;
            for (std::int64_t j = j0; j < n; ++j) out[j] += row[j];
        }
    }
}

// Indices i with flags[i] != 0, in ascending order, written to out; returns how many.
inline std::int64_t extractSpikes(const std::uint8_t* __restrict flags, std::int64_t n,
                                  std::uint32_t* __restrict out) {
    std::int64_t count = 0;
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        __builtin_memcpy(&word, flags + i, 8);
        while (word) {
            const int bit = __builtin_ctzll(word);
            out[count++] = std::uint32_t(i + bit / 8);
            word &= ~(std::uint64_t(0xff) << (bit & ~7));
        }
    }
    for (; i < n; ++i)
        if (flags[i]) out[count++] = std::uint32_t(i);
    return count;
}

// IF: V += I; spike when V >= Vthr; then V = 0.
inline void updateIF(float* __restrict V, const float* __restrict I, std::int64_t n, float vthr,
                     std::uint8_t* __restrict spiked) {
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = V[i] + I[i];
        const bool s = v >= vthr;
        spiked[i] = s;
        V[i] = s ? 0.0f : v;
    }
}

struct LifConstants {
    float alpha;   // exp(-dt/TauM)
    float oneMinusAlpha;
    float rm;      // TauM / C
    float vrest, vreset, vthresh, ioffset, tauRefrac, dt;
};

// LIF as DESIGN.md states it: while not refractory V = a*V + (1-a)*(Vrest + Rm*(I+Ioffset)),
// else RefracTime -= dt; spike when not refractory and V >= Vthresh; then V = Vreset and
// RefracTime = TauRefrac.
inline void updateLIF(float* __restrict V, float* __restrict refrac, const float* __restrict I,
                      std::int64_t n, const LifConstants& c, std::uint8_t* __restrict spiked) {
    for (std::int64_t i = 0; i < n; ++i) {
        float v = V[i];
        float r = refrac[i];
        const bool free = r <= 0.0f;
        const float integrated = c.alpha * v + c.oneMinusAlpha * (c.vrest + c.rm * (I[i] + c.ioffset));
        v = free ? integrated : v;
        r = free ? r : r - c.dt;
        const bool s = r <= 0.0f && v >= c.vthresh;
        spiked[i] = s;
        V[i] = s ? c.vreset : v;
        refrac[i] = s ? c.tauRefrac : r;
    }
}

} // namespace spikelab::cpu
