#pragma once
// Inner loops of the CPU backend, written so the compiler vectorises them: fixed-size column
// blocks keep partial sums in registers while a block of presynaptic rows streams past.
// Every target receives its contributions in spike order, whatever the blocking, so results
// are identical to the plain loop and independent of the number of threads.
#include <cstddef>
#include <cstdint>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

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

// IF: V += I; spike when V >= Vthr; then V = 0. Writes the indices of neurons that spiked,
// ascending, to `spikes` and returns their number. `flags` is scratch of n + 8 bytes.
inline std::int64_t updateIF(float* __restrict V, const float* __restrict I, std::int64_t n,
                             float vthr, std::uint32_t* __restrict spikes,
                             std::uint8_t* __restrict flags) {
    std::int64_t i = 0, count = 0;
#if defined(__AVX512F__)
    // Compare sixteen neurons at once and compress the indices of those that fired.
    const __m512 threshold = _mm512_set1_ps(vthr);
    const __m512i step = _mm512_set1_epi32(16);
    __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (; i + 16 <= n; i += 16) {
        const __m512 v = _mm512_add_ps(_mm512_loadu_ps(V + i), _mm512_loadu_ps(I + i));
        const __mmask16 fired = _mm512_cmp_ps_mask(v, threshold, _CMP_GE_OQ);
        _mm512_storeu_ps(V + i, _mm512_mask_blend_ps(fired, v, _mm512_setzero_ps()));
        _mm512_mask_compressstoreu_epi32(spikes + count, fired, index);
        count += __builtin_popcount(fired);
        index = _mm512_add_epi32(index, step);
    }
#endif
    const std::int64_t start = i;
    for (; i < n; ++i) {
        const float v = V[i] + I[i];
        const bool s = v >= vthr;
        flags[i - start] = s;
        V[i] = s ? 0.0f : v;
    }
    const std::int64_t tail = extractSpikes(flags, n - start, spikes + count);
    for (std::int64_t k = count; k < count + tail; ++k) spikes[k] += std::uint32_t(start);
    return count + tail;
}

struct LifConstants {
    float alpha;   // exp(-dt/TauM)
    float oneMinusAlpha;
    float rm;      // TauM / C
    float vrest, vreset, vthresh, ioffset, tauRefrac, dt;
};

// LIF as docs/architecture.md ("Simulation semantics") states it: while not refractory
// V = a*V + (1-a)*(Vrest + Rm*(I+Ioffset)), else RefracTime -= dt; spike when not refractory
// and V >= Vthresh; then V = Vreset and RefracTime = TauRefrac.
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
