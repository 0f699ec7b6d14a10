#pragma once
// Inner loops of the CPU backend's spike propagation, written so the compiler vectorises them
// (the neuron updates are generated from the model declarations: cpu_neuron_kernels.inc).
// Fixed-size column blocks keep partial sums in registers while a block of presynaptic rows
// streams past.
// Every target receives its contributions in spike order, whatever the blocking, so results
// are identical to the plain loop and independent of the number of threads.
#include <cstddef>
#include <cstdint>

namespace spikelab::cpu {

// SIMD width used by the hand-blocked loops: GCC's vector extensions lower this to AVX-512,
// AVX2 or SSE registers, whatever the target has.
#if defined(__AVX512F__)
inline constexpr int kLanes = 16;
#elif defined(__AVX__)
inline constexpr int kLanes = 8;
#else
inline constexpr int kLanes = 4;
#endif
typedef float FloatVec __attribute__((vector_size(kLanes * sizeof(float))));

inline FloatVec loadVec(const float* p) {
    FloatVec v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
inline void storeVec(float* p, FloatVec v) { __builtin_memcpy(p, &v, sizeof v); }

// out[j] += sum over s of W[rows[s] * stride + j], for j in [0, n).
// Columns go in blocks of 8 vectors (128 floats with AVX-512) held in registers while every
// spike's row segment is added, so each weight is loaded once and `out` is touched once per
// block. GCC left to itself vectorises across spikes with gathers, which is 4x slower.
inline void accumulateRows(const float* __restrict W, std::int64_t stride,
                           const std::uint32_t* __restrict rows, std::int64_t numRows,
                           float* __restrict out, std::int64_t n) {
    constexpr int V = 8;
    constexpr std::int64_t B = V * kLanes;
    std::int64_t j0 = 0;
    for (; j0 + B <= n; j0 += B) {
        FloatVec acc[V];
        for (int v = 0; v < V; ++v) acc[v] = loadVec(out + j0 + v * kLanes);
        for (std::int64_t s = 0; s < numRows; ++s) {
            const float* row = W + std::int64_t(rows[s]) * stride + j0;
            for (int v = 0; v < V; ++v) acc[v] += loadVec(row + v * kLanes);
        }
        for (int v = 0; v < V; ++v) storeVec(out + j0 + v * kLanes, acc[v]);
    }
    for (; j0 + kLanes <= n; j0 += kLanes) {
        FloatVec acc = loadVec(out + j0);
        for (std::int64_t s = 0; s < numRows; ++s)
            acc += loadVec(W + std::int64_t(rows[s]) * stride + j0);
        storeVec(out + j0, acc);
    }
    for (; j0 < n; ++j0) {
        float acc = out[j0];
        for (std::int64_t s = 0; s < numRows; ++s) acc += W[std::int64_t(rows[s]) * stride + j0];
        out[j0] = acc;
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

} // namespace spikelab::cpu
