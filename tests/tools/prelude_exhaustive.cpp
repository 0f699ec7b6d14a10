// Every float through one of prelude.h's unary functions against double-precision libm rounded
// to float: prints the largest distance in ulp and where it occurs. Not part of the build (it
// takes minutes a function); run by hand when a kernel changes, e.g. (one line)
//   g++ -std=c++20 -O2 -march=native -ffp-contract=off -I engine/src
//       tests/tools/prelude_exhaustive.cpp -o /tmp/exhaustive && /tmp/exhaustive exp
// sin and cos are checked for |x| <= 1.6e9, the range their reduction covers.
#include "lang/prelude.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

std::int64_t key(float v) {
    const auto u = static_cast<std::int64_t>(std::bit_cast<std::uint32_t>(v));
    return u >= 0x80000000LL ? 0x80000000LL - u : u;
}

} // namespace

int main(int argc, char** argv) {
    struct Fn {
        const char* name;
        float (*own)(float);
        double (*ref)(double);
        float limit; // |x| above it is not checked
    };
    const Fn fns[] = {
        {"exp", spikelab_exp, ::exp, INFINITY},       {"log", spikelab_log, ::log, INFINITY},
        {"log1p", spikelab_log1p, ::log1p, INFINITY}, {"expm1", spikelab_expm1, ::expm1, INFINITY},
        {"tanh", spikelab_tanh, ::tanh, INFINITY},    {"sin", spikelab_sin, ::sin, 1.6e9f},
        {"cos", spikelab_cos, ::cos, 1.6e9f},
    };
    for (const Fn& f : fns) {
        if (argc > 1 && std::strcmp(argv[1], f.name) != 0) continue;
        std::int64_t worst = 0;
        float worstX = 0;
        std::uint64_t counts[4] = {};
        for (std::uint64_t u = 0; u <= 0xffffffffull; ++u) {
            const float x = std::bit_cast<float>(static_cast<std::uint32_t>(u));
            if (!(std::fabs(x) <= f.limit)) continue; // NaN and beyond the limit
            const float got = f.own(x);
            const float want = static_cast<float>(f.ref(x));
            std::int64_t d;
            if (std::isnan(got) || std::isnan(want))
                d = std::isnan(got) && std::isnan(want) ? 0 : 1LL << 40;
            else
                d = key(got) > key(want) ? key(got) - key(want) : key(want) - key(got);
            ++counts[d < 3 ? d : 3];
            if (d > worst) {
                worst = d;
                worstX = x;
            }
        }
        std::printf("%s: max %lld ulp at %a; exact %llu, 1 ulp %llu, 2 ulp %llu, more %llu\n",
                    f.name, static_cast<long long>(worst), static_cast<double>(worstX),
                    static_cast<unsigned long long>(counts[0]),
                    static_cast<unsigned long long>(counts[1]),
                    static_cast<unsigned long long>(counts[2]),
                    static_cast<unsigned long long>(counts[3]));
        std::fflush(stdout);
    }
    return 0;
}
