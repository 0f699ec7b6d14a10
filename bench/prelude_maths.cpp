// Speed of SpikeLab's maths functions (engine/src/lang/prelude.h) against the C library's float
// functions: nanoseconds per element of a loop y[i] = f(x[i]) over 1M floats (best of 7), the
// loops as generated model code has them. A benchmark: it prints figures and never fails on time.
#include "lang/prelude.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

constexpr int kN = 1 << 20;
constexpr int kRepeats = 7;

using Loop = void (*)(float* __restrict, const float* __restrict, const float* __restrict, int);

#define SPIKELAB_UNARY_LOOP(name, call)                                                            \
    __attribute__((noinline)) void name(float* __restrict y, const float* __restrict x,            \
                                        const float* __restrict, int n) {                          \
        for (int i = 0; i < n; ++i) y[i] = call(x[i]);                                             \
    }
#define SPIKELAB_BINARY_LOOP(name, call)                                                           \
    __attribute__((noinline)) void name(float* __restrict y, const float* __restrict x,            \
                                        const float* __restrict z, int n) {                        \
        for (int i = 0; i < n; ++i) y[i] = call(x[i], z[i]);                                       \
    }

SPIKELAB_UNARY_LOOP(ownExp, spikelab_exp)
SPIKELAB_UNARY_LOOP(libExp, expf)
SPIKELAB_UNARY_LOOP(ownLog, spikelab_log)
SPIKELAB_UNARY_LOOP(libLog, logf)
SPIKELAB_UNARY_LOOP(ownLog1p, spikelab_log1p)
SPIKELAB_UNARY_LOOP(libLog1p, log1pf)
SPIKELAB_UNARY_LOOP(ownExpm1, spikelab_expm1)
SPIKELAB_UNARY_LOOP(libExpm1, expm1f)
SPIKELAB_UNARY_LOOP(ownTanh, spikelab_tanh)
SPIKELAB_UNARY_LOOP(libTanh, tanhf)
SPIKELAB_UNARY_LOOP(ownSin, spikelab_sin)
SPIKELAB_UNARY_LOOP(libSin, sinf)
SPIKELAB_UNARY_LOOP(ownCos, spikelab_cos)
SPIKELAB_UNARY_LOOP(libCos, cosf)
SPIKELAB_UNARY_LOOP(ownSqrt, spikelab_sqrt)
SPIKELAB_UNARY_LOOP(libSqrt, sqrtf)
SPIKELAB_UNARY_LOOP(ownFloor, spikelab_floor)
SPIKELAB_UNARY_LOOP(libFloor, floorf)
SPIKELAB_BINARY_LOOP(ownPow, spikelab_pow)
SPIKELAB_BINARY_LOOP(libPow, powf)
SPIKELAB_BINARY_LOOP(ownFmin, spikelab_fmin)
SPIKELAB_BINARY_LOOP(libFmin, fminf)

struct Case {
    const char* name;
    Loop own, lib;
    float lo, hi;   // x uniform in [lo, hi]
    float zlo, zhi; // second argument
};

double nsPerElement(Loop loop, std::vector<float>& y, const std::vector<float>& x,
                    const std::vector<float>& z) {
    double best = 1e30;
    for (int r = 0; r < kRepeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        loop(y.data(), x.data(), z.data(), kN);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = s < best ? s : best;
    }
    return best * 1e9 / kN;
}

} // namespace

int main() {
    const Case cases[] = {
        {"exp", ownExp, libExp, -20.0f, 20.0f, 0, 0},
        {"log", ownLog, libLog, 1e-6f, 1e4f, 0, 0},
        {"log1p", ownLog1p, libLog1p, -0.9f, 100.0f, 0, 0},
        {"expm1", ownExpm1, libExpm1, -20.0f, 20.0f, 0, 0},
        {"tanh", ownTanh, libTanh, -5.0f, 5.0f, 0, 0},
        {"sin", ownSin, libSin, -100.0f, 100.0f, 0, 0},
        {"cos", ownCos, libCos, -100.0f, 100.0f, 0, 0},
        {"pow", ownPow, libPow, 1e-3f, 100.0f, -4.0f, 4.0f},
        {"sqrt", ownSqrt, libSqrt, 0.0f, 1e4f, 0, 0},
        {"floor", ownFloor, libFloor, -1e4f, 1e4f, 0, 0},
        {"fmin", ownFmin, libFmin, -1.0f, 1.0f, -1.0f, 1.0f},
    };
    std::vector<float> x(kN), z(kN), y(kN);
    std::uint64_t s = 12345;
    auto unit = [&s] {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<float>(static_cast<double>(s >> 40) * 0x1p-24);
    };
    std::printf("prelude_maths: ns per element over %d floats, best of %d\n", kN, kRepeats);
    std::printf("%-6s %10s %10s %8s\n", "", "spikelab", "glibc", "ratio");
    double checksum = 0;
    for (const Case& c : cases) {
        for (int i = 0; i < kN; ++i) {
            x[i] = c.lo + (c.hi - c.lo) * unit();
            z[i] = c.zlo + (c.zhi - c.zlo) * unit();
        }
        const double own = nsPerElement(c.own, y, x, z);
        checksum += static_cast<double>(y[kN / 2]);
        const double lib = nsPerElement(c.lib, y, x, z);
        checksum += static_cast<double>(y[kN / 3]);
        std::printf("%-6s %10.3f %10.3f %8.2f\n", c.name, own, lib, own / lib);
    }
    std::printf("(checksum %g)\n", checksum);
    return 0;
}
