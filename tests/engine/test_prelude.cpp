// SpikeLab's maths functions (engine/src/lang/prelude.h, docs/architecture.md "Maths
// functions"): accuracy against double-precision libm over 10^7 random floats a function and the
// edges, C99 special values, exact fmin/fmax/floor/fabs, and the header as plain C (cc -std=c99,
// the same bits as this C++ build, loops that vectorise) and as CUDA (nvcc, compile only).
//
// Measured maximum errors, in ulp of the correctly rounded float (0 = correctly rounded), here:
//   exp 1 on [-104, 89]        log 1 on all positive floats   log1p 1 on (-1, 3.4e38]
//   expm1 1 on [-30, 89]       tanh 2 on [-10, 10]            pow 1 with |y log2 x| <= 160
//   sin 0, cos 0 on [-1e5, 1e5] and samples up to 1.6e9 (bound 1)
// and over every float (tests/tools/prelude_exhaustive.cpp): exp, log, log1p, expm1 1, tanh 2,
// sin and cos 0 for |x| <= 1.6e9.
#include "test_support.h"

#include "lang/prelude.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using spikelab::test::TempDir;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kSamples = 1'000'000; // the sanitizer build is slower; the plain build does 10^7
#else
constexpr int kSamples = 10'000'000;
#endif

const std::string kPrelude = std::string(SPIKELAB_SOURCE_DIR) + "/engine/src/lang/prelude.h";

struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        s += 0x9e3779b97f4a7c15ull;
        std::uint64_t z = s;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
    // Alternately uniform in value over [lo, hi] and uniform in bit pattern over the floats of
    // [lo, hi], so that small magnitudes and every exponent are covered.
    float in(float lo, float hi) {
        const std::uint64_t r = next();
        if (r & 1) return static_cast<float>(lo + (static_cast<double>(hi) - lo) * unit());
        if (lo >= 0) return byBits(lo, hi, r >> 32);
        if (hi <= 0) return -byBits(-hi, -lo, r >> 32);
        return (r & 2) ? byBits(0, hi, r >> 32) : -byBits(0, -lo, r >> 32);
    }
    // Uniform over the bit patterns of [lo, hi], 0 <= lo <= hi.
    static float byBits(float lo, float hi, std::uint64_t u) {
        const std::uint32_t a = std::bit_cast<std::uint32_t>(lo),
                            b = std::bit_cast<std::uint32_t>(hi);
        return std::bit_cast<float>(static_cast<std::uint32_t>(a + u % (std::uint64_t{b} - a + 1)));
    }
};

// Distance in floats between a and b (both finite or equal infinities).
std::int64_t ulpDistance(float a, float b) {
    auto key = [](float v) {
        const auto u = static_cast<std::int64_t>(std::bit_cast<std::uint32_t>(v));
        return u >= 0x80000000LL ? 0x80000000LL - u : u;
    };
    const std::int64_t d = key(a) - key(b);
    return d < 0 ? -d : d;
}

// The largest distance between f(x) and the rounded reference over n inputs from gen; NaN
// where the reference is not NaN (or the other way round) counts as a huge error.
struct Worst {
    std::int64_t ulp = 0;
    float x = 0, y = 0;
};

Worst worstOf(int n, const std::function<float()>& gen, float (*f)(float), double (*ref)(double)) {
    Worst w;
    for (int i = 0; i < n; ++i) {
        const float x = gen();
        const float got = f(x);
        const float want = static_cast<float>(ref(x));
        std::int64_t d;
        if (std::isnan(want) || std::isnan(got))
            d = std::isnan(want) && std::isnan(got) ? 0 : 1LL << 40;
        else
            d = ulpDistance(got, want);
        if (d > w.ulp) w = {d, x, got};
    }
    return w;
}

// Checks the bound and prints the measured maximum (for the figures in prelude.h).
#define EXPECT_ULP(name, worst, bound)                                                             \
    do {                                                                                           \
        const Worst w_ = (worst);                                                                  \
        std::printf("  measured: %s max %lld ulp (x = %a gives %a)\n", name,                       \
                    static_cast<long long>(w_.ulp), static_cast<double>(w_.x),                     \
                    static_cast<double>(w_.y));                                                    \
        EXPECT_LE(w_.ulp, bound) << "x = " << std::hexfloat << w_.x << " gives " << w_.y;          \
    } while (0)

TEST(Prelude, ExpWithinOneUlp) {
    Rng r{1};
    const Worst w = worstOf(
        kSamples, [&] { return r.in(-104.0f, 89.0f); }, spikelab_exp, ::exp);
    EXPECT_ULP("exp", w, 1);
}

TEST(Prelude, Expm1WithinOneUlp) {
    Rng r{2};
    const Worst w = worstOf(
        kSamples, [&] { return r.in(-30.0f, 89.0f); }, spikelab_expm1, ::expm1);
    EXPECT_ULP("expm1", w, 1);
}

TEST(Prelude, LogWithinOneUlp) {
    Rng r{3};
    const Worst w = worstOf(
        kSamples, [&] { return r.in(0.0f, std::numeric_limits<float>::max()); }, spikelab_log,
        ::log);
    EXPECT_ULP("log", w, 1);
    Rng near{4}; // around 1, where log is smallest
    EXPECT_ULP("log near 1",
               worstOf(
                   kSamples / 4, [&] { return near.in(0.5f, 2.0f); }, spikelab_log, ::log),
               1);
}

TEST(Prelude, Log1pWithinOneUlp) {
    Rng r{5};
    EXPECT_ULP("log1p on (-1, 1)",
               worstOf(
                   kSamples, [&] { return r.in(-1.0f, 1.0f); }, spikelab_log1p, ::log1p),
               1);
    Rng big{6};
    EXPECT_ULP("log1p on [1, max]",
               worstOf(
                   kSamples / 4, [&] { return big.in(1.0f, std::numeric_limits<float>::max()); },
                   spikelab_log1p, ::log1p),
               1);
}

TEST(Prelude, TanhWithinTwoUlp) {
    Rng r{7};
    EXPECT_ULP("tanh",
               worstOf(
                   kSamples, [&] { return r.in(-10.0f, 10.0f); }, spikelab_tanh, ::tanh),
               2);
}

TEST(Prelude, SinCosWithinOneUlp) {
    Rng r{8};
    EXPECT_ULP("sin",
               worstOf(
                   kSamples, [&] { return r.in(-1e5f, 1e5f); }, spikelab_sin, ::sin),
               1);
    EXPECT_ULP("cos",
               worstOf(
                   kSamples, [&] { return r.in(-1e5f, 1e5f); }, spikelab_cos, ::cos),
               1);
    Rng far{9}; // the reduction holds up to 1.6e9
    EXPECT_ULP("sin to 1.6e9",
               worstOf(
                   kSamples / 20, [&] { return far.in(1e5f, 1.6e9f); }, spikelab_sin, ::sin),
               1);
    EXPECT_ULP("cos to -1.6e9",
               worstOf(
                   kSamples / 20, [&] { return far.in(-1.6e9f, -1e5f); }, spikelab_cos, ::cos),
               1);
    // Beyond it: deterministic, within [-1, 1].
    for (float x : {2e9f, -3e12f, 1e30f, std::numeric_limits<float>::max()}) {
        EXPECT_LE(std::fabs(spikelab_sin(x)), 1.0f);
        EXPECT_LE(std::fabs(spikelab_cos(x)), 1.0f);
    }
}

TEST(Prelude, PowWithinOneUlp) {
    Rng r{10};
    Worst w;
    auto check = [&](float x, float y) {
        const float got = spikelab_pow(x, y);
        const float want =
            static_cast<float>(std::pow(static_cast<double>(x), static_cast<double>(y)));
        const std::int64_t d = std::isnan(want) || std::isnan(got)
                                   ? (std::isnan(want) && std::isnan(got) ? 0 : 1LL << 40)
                                   : ulpDistance(got, want);
        if (d > w.ulp) w = {d, x, y};
    };
    for (int i = 0; i < kSamples / 2; ++i) {
        // Positive base, any exponent that keeps |y log2 x| <= 160.
        const float x =
            r.in(std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max());
        const double l = std::fabs(std::log2(static_cast<double>(x)));
        const double ymax = l > 0 ? std::min(160.0 / l, 1e30) : 1e30;
        check(x, r.in(static_cast<float>(-ymax), static_cast<float>(ymax)));
    }
    for (int i = 0; i < kSamples / 10; ++i) // negative bases with integer exponents
        check(-r.in(0.0f, 1e4f), static_cast<float>(static_cast<int>(r.next() % 41) - 20));
    for (int i = 0; i < kSamples / 10; ++i) // bases near 1 with large exponents
        check(r.in(0.99f, 1.01f), r.in(-1e4f, 1e4f));
    std::printf("  measured: pow max %lld ulp (pow(%a, %a))\n", static_cast<long long>(w.ulp),
                static_cast<double>(w.x), static_cast<double>(w.y));
    EXPECT_LE(w.ulp, 1) << "pow(" << std::hexfloat << w.x << ", " << w.y << ")";
}

// C99 Annex F values and the edges: exact where C99 says so.
TEST(Prelude, SpecialValues) {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float den = std::numeric_limits<float>::denorm_min();
    auto same = [](float a, float b) {
        return (std::isnan(a) && std::isnan(b)) ||
               std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
    };
#define EXPECT_SAME(got, want)                                                                     \
    EXPECT_TRUE(same(got, want)) << #got << " = " << std::hexfloat << (got)
    EXPECT_SAME(spikelab_exp(-inf), 0.0f);
    EXPECT_SAME(spikelab_exp(inf), inf);
    EXPECT_SAME(spikelab_exp(nan), nan);
    EXPECT_SAME(spikelab_exp(0.0f), 1.0f);
    EXPECT_SAME(spikelab_exp(-0.0f), 1.0f);
    // The last finite result and the first overflow; the last subnormal and the first zero.
    EXPECT_SAME(spikelab_exp(0x1.62e42ep+6f), static_cast<float>(std::exp(0x1.62e42ep+6)));
    EXPECT_TRUE(std::isfinite(spikelab_exp(0x1.62e42ep+6f)));
    EXPECT_SAME(spikelab_exp(0x1.62e430p+6f), inf);
    EXPECT_SAME(spikelab_exp(-103.972076f), den);
    EXPECT_SAME(spikelab_exp(-103.9721f), 0.0f);
    EXPECT_SAME(spikelab_expm1(-inf), -1.0f);
    EXPECT_SAME(spikelab_expm1(inf), inf);
    EXPECT_SAME(spikelab_expm1(-0.0f), -0.0f);
    EXPECT_SAME(spikelab_expm1(den), den);
    EXPECT_SAME(spikelab_expm1(-den), -den);
    EXPECT_SAME(spikelab_expm1(89.0f), inf);
    EXPECT_SAME(spikelab_log(0.0f), -inf);
    EXPECT_SAME(spikelab_log(-0.0f), -inf);
    EXPECT_SAME(spikelab_log(-1.0f), nan);
    EXPECT_SAME(spikelab_log(-inf), nan);
    EXPECT_SAME(spikelab_log(inf), inf);
    EXPECT_SAME(spikelab_log(1.0f), 0.0f);
    EXPECT_SAME(spikelab_log(den), static_cast<float>(std::log(static_cast<double>(den))));
    EXPECT_SAME(spikelab_log1p(-1.0f), -inf);
    EXPECT_SAME(spikelab_log1p(-1.5f), nan);
    EXPECT_SAME(spikelab_log1p(inf), inf);
    EXPECT_SAME(spikelab_log1p(-0.0f), -0.0f);
    EXPECT_SAME(spikelab_log1p(den), den);
    EXPECT_SAME(spikelab_tanh(inf), 1.0f);
    EXPECT_SAME(spikelab_tanh(-inf), -1.0f);
    EXPECT_SAME(spikelab_tanh(-0.0f), -0.0f);
    EXPECT_SAME(spikelab_tanh(-den), -den);
    EXPECT_SAME(spikelab_tanh(nan), nan);
    EXPECT_SAME(spikelab_sin(-0.0f), -0.0f);
    EXPECT_SAME(spikelab_sin(den), den);
    EXPECT_SAME(spikelab_sin(inf), nan);
    EXPECT_SAME(spikelab_cos(-inf), nan);
    EXPECT_SAME(spikelab_cos(0.0f), 1.0f);
    EXPECT_SAME(spikelab_cos(nan), nan);
    // NaN in, NaN out, for every function (either sign of NaN).
    for (float (*f)(float) :
         {spikelab_exp, spikelab_log, spikelab_log1p, spikelab_expm1, spikelab_tanh, spikelab_sin,
          spikelab_cos, spikelab_sqrt, spikelab_fabs, spikelab_floor}) {
        EXPECT_TRUE(std::isnan(f(nan)));
        EXPECT_TRUE(std::isnan(f(-nan)));
    }
    // Thresholds: the last finite expm1 and the first overflow; the largest floats; the
    // smallest normal and subnormal.
    const float big = std::numeric_limits<float>::max();
    const float tiny = std::numeric_limits<float>::min();
    auto ref = [](double (*f)(double), float x) { return static_cast<float>(f(x)); };
    EXPECT_SAME(spikelab_expm1(0x1.62e42ep+6f), ref(::expm1, 0x1.62e42ep+6f));
    EXPECT_SAME(spikelab_expm1(0x1.62e430p+6f), inf);
    EXPECT_SAME(spikelab_log(big), ref(::log, big));
    EXPECT_SAME(spikelab_log(tiny), ref(::log, tiny));
    EXPECT_SAME(spikelab_log1p(big), ref(::log1p, big));
    EXPECT_SAME(spikelab_log1p(-0x1.fffffep-1f), ref(::log1p, -0x1.fffffep-1f));
    EXPECT_SAME(spikelab_exp(tiny), 1.0f);
    EXPECT_SAME(spikelab_exp(-den), 1.0f);
    EXPECT_SAME(spikelab_tanh(big), 1.0f);
    EXPECT_SAME(spikelab_tanh(-9.5f), -1.0f);
    EXPECT_SAME(spikelab_sin(tiny), tiny);
    EXPECT_SAME(spikelab_cos(den), 1.0f);
    EXPECT_SAME(spikelab_sqrt(-0.0f), -0.0f);
    EXPECT_TRUE(std::isnan(spikelab_sqrt(-den)));
    EXPECT_SAME(spikelab_pow(big, 1.0f), big);
    EXPECT_SAME(spikelab_pow(den, 1.0f), den);
    EXPECT_SAME(spikelab_pow(-den, -1.0f), -inf);
    // pow, C99 F.9.4.4.
    for (float x : {0.0f, -0.0f, 1.0f, -1.0f, 2.5f, -2.5f, inf, -inf, nan}) {
        EXPECT_SAME(spikelab_pow(x, 0.0f), 1.0f);
        EXPECT_SAME(spikelab_pow(x, -0.0f), 1.0f);
    }
    for (float y : {0.0f, 2.0f, -3.0f, 0.5f, inf, -inf, nan})
        EXPECT_SAME(spikelab_pow(1.0f, y), 1.0f);
    EXPECT_SAME(spikelab_pow(-1.0f, inf), 1.0f);
    EXPECT_SAME(spikelab_pow(-1.0f, -inf), 1.0f);
    EXPECT_SAME(spikelab_pow(nan, 2.0f), nan);
    EXPECT_SAME(spikelab_pow(2.0f, nan), nan);
    EXPECT_SAME(spikelab_pow(0.0f, -3.0f), inf);
    EXPECT_SAME(spikelab_pow(-0.0f, -3.0f), -inf);
    EXPECT_SAME(spikelab_pow(-0.0f, -2.0f), inf);
    EXPECT_SAME(spikelab_pow(-0.0f, -0.5f), inf);
    EXPECT_SAME(spikelab_pow(-0.0f, -inf), inf);
    EXPECT_SAME(spikelab_pow(-0.0f, 3.0f), -0.0f);
    EXPECT_SAME(spikelab_pow(-0.0f, 2.0f), 0.0f);
    EXPECT_SAME(spikelab_pow(-0.0f, 0.5f), 0.0f);
    EXPECT_SAME(spikelab_pow(0.0f, 3.0f), 0.0f);
    EXPECT_SAME(spikelab_pow(0.5f, -inf), inf);
    EXPECT_SAME(spikelab_pow(-0.5f, inf), 0.0f);
    EXPECT_SAME(spikelab_pow(2.0f, -inf), 0.0f);
    EXPECT_SAME(spikelab_pow(-2.0f, inf), inf);
    EXPECT_SAME(spikelab_pow(-inf, -3.0f), -0.0f);
    EXPECT_SAME(spikelab_pow(-inf, -2.0f), 0.0f);
    EXPECT_SAME(spikelab_pow(-inf, 3.0f), -inf);
    EXPECT_SAME(spikelab_pow(-inf, 0.5f), inf);
    EXPECT_SAME(spikelab_pow(inf, -0.5f), 0.0f);
    EXPECT_SAME(spikelab_pow(inf, 0.5f), inf);
    EXPECT_SAME(spikelab_pow(-2.0f, 0.5f), nan);
    EXPECT_SAME(spikelab_pow(-2.0f, 3.0f), -8.0f);
    EXPECT_SAME(spikelab_pow(-2.0f, 0x1p24f), inf);
    EXPECT_SAME(spikelab_pow(-0.5f, 0x1p24f + 2.0f), 0.0f);
    EXPECT_SAME(spikelab_pow(2.0f, 127.0f), 0x1p127f);
    EXPECT_SAME(spikelab_pow(2.0f, 128.0f), inf);
    EXPECT_SAME(spikelab_pow(2.0f, -149.0f), den);
    EXPECT_SAME(spikelab_pow(2.0f, -151.0f), 0.0f);
    EXPECT_SAME(spikelab_pow(den, 0.5f), static_cast<float>(std::sqrt(static_cast<double>(den))));
    EXPECT_SAME(spikelab_pow(10.0f, 3.0f), 1000.0f);
    EXPECT_SAME(spikelab_pow(4.0f, 0.5f), 2.0f);
#undef EXPECT_SAME
}

// fabs, fmin, fmax, floor and sqrt are exact: the same bits as the C library's on random bit
// patterns (NaN results compared as NaN), plus C99's choices for NaN and signed zeros.
TEST(Prelude, ExactOperations) {
    Rng r{11};
    auto bits = [](float v) { return std::bit_cast<std::uint32_t>(v); };
    auto randomFloat = [&] {
        const std::uint64_t u = r.next();
        // A quarter small integers and halves, to hit floor's edges.
        if ((u & 3) == 0) return static_cast<float>(static_cast<int>(u >> 40) % 2001 - 1000) * 0.5f;
        return std::bit_cast<float>(static_cast<std::uint32_t>(u >> 16));
    };
    for (int i = 0; i < 2'000'000; ++i) {
        const float a = randomFloat(), b = randomFloat();
        if (!std::isnan(a)) {
            ASSERT_EQ(bits(spikelab_floor(a)), bits(std::floor(a))) << std::hexfloat << a;
            ASSERT_EQ(bits(spikelab_fabs(a)), bits(std::fabs(a))) << std::hexfloat << a;
            ASSERT_EQ(bits(spikelab_sqrt(a)), bits(std::sqrt(a))) << std::hexfloat << a;
        }
        if (!std::isnan(a) && !std::isnan(b) && a != b) {
            ASSERT_EQ(bits(spikelab_fmin(a, b)), bits(std::fmin(a, b)));
            ASSERT_EQ(bits(spikelab_fmax(a, b)), bits(std::fmax(a, b)));
        }
    }
    const float nan = std::numeric_limits<float>::quiet_NaN();
    EXPECT_TRUE(std::isnan(spikelab_floor(nan)));
    EXPECT_EQ(spikelab_fmin(nan, 2.0f), 2.0f);
    EXPECT_EQ(spikelab_fmin(2.0f, nan), 2.0f);
    EXPECT_EQ(spikelab_fmax(nan, -2.0f), -2.0f);
    EXPECT_EQ(spikelab_fmax(-2.0f, nan), -2.0f);
    EXPECT_TRUE(std::isnan(spikelab_fmin(nan, nan)));
    EXPECT_EQ(bits(spikelab_fmin(0.0f, -0.0f)), bits(-0.0f));
    EXPECT_EQ(bits(spikelab_fmin(-0.0f, 0.0f)), bits(-0.0f));
    EXPECT_EQ(bits(spikelab_fmax(0.0f, -0.0f)), bits(0.0f));
    EXPECT_EQ(bits(spikelab_fmax(-0.0f, 0.0f)), bits(0.0f));
    EXPECT_EQ(bits(spikelab_floor(-0.0f)), bits(-0.0f));
    EXPECT_EQ(bits(spikelab_floor(-0.25f)), bits(-1.0f));
    EXPECT_EQ(bits(spikelab_floor(0x1.fffffep22f)), bits(8388607.0f));
}

// ---- The header as C and CUDA -------------------------------------------------------------

bool haveCc() {
    return std::system("cc --version >/dev/null 2>&1") == 0;
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

// The unary functions the C program and the loops go over, in this order.
const std::vector<std::string> kUnary = {"exp", "log", "log1p", "expm1", "tanh",
                                         "sin", "cos", "sqrt",  "fabs",  "floor"};

TEST(Prelude, CompilesAsC99) {
    if (!haveCc()) GTEST_SKIP() << "no C compiler (cc) on this machine";
    TempDir dir;
    writeText(dir.file("use.c"),
              "#include \"" + kPrelude +
                  "\"\nfloat use(float x, float y) {\n"
                  "    return spikelab_exp(x) + spikelab_log(x) + spikelab_log1p(x) +\n"
                  "           spikelab_expm1(x) + spikelab_pow(x, y) + spikelab_tanh(x) +\n"
                  "           spikelab_sin(x) + spikelab_cos(x) + spikelab_sqrt(x) +\n"
                  "           spikelab_fabs(x) + spikelab_fmin(x, y) + spikelab_fmax(x, y) +\n"
                  "           spikelab_floor(x);\n}\n");
    const std::string cmd = "cc -std=c99 -pedantic -Wall -Wextra -Wconversion -Werror -O2 -c -o " +
                            dir.file("use.o") + " " + dir.file("use.c") + " 2>" + dir.file("log");
    EXPECT_EQ(std::system(cmd.c_str()), 0) << readText(dir.file("log"));
}

TEST(Prelude, CompilesAsCuda) {
    const std::string nvcc = "/usr/local/cuda/bin/nvcc";
    if (std::system((nvcc + " --version >/dev/null 2>&1").c_str()) != 0)
        GTEST_SKIP() << "no nvcc at " << nvcc;
    TempDir dir;
    writeText(dir.file("use.cu"),
              "#include \"" + kPrelude +
                  "\"\n__global__ void use(float* y, const float* x, int n) {\n"
                  "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                  "    if (i >= n) return;\n"
                  "    float v = x[i];\n"
                  "    y[i] = spikelab_exp(v) + spikelab_log(v) + spikelab_log1p(v) + "
                  "spikelab_expm1(v) +\n"
                  "           spikelab_pow(v, 1.5f) + spikelab_tanh(v) + spikelab_sin(v) + "
                  "spikelab_cos(v) +\n"
                  "           spikelab_sqrt(v) + spikelab_fabs(v) + spikelab_fmin(v, 1.0f) +\n"
                  "           spikelab_fmax(v, 1.0f) + spikelab_floor(v);\n}\n");
    const std::string cmd = nvcc + " --fmad=false -c -o " + dir.file("use.o") + " " +
                            dir.file("use.cu") + " 2>" + dir.file("log") + " >&2";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << readText(dir.file("log"));
}

// NVRTC, the route for user models on the GPU: the header compiles without the C headers
// (__CUDACC_RTC__). A small driver built with the system compiler runs the compile (no GPU).
TEST(Prelude, CompilesWithNvrtc) {
    const std::string cuda = "/usr/local/cuda";
    if (!std::filesystem::exists(cuda + "/include/nvrtc.h") || !haveCc())
        GTEST_SKIP() << "no NVRTC under " << cuda << " (or no C compiler)";
    TempDir dir;
    writeText(
        dir.file("rtc.c"),
        "#include <nvrtc.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
        "int main(int argc, char** argv) {\n"
        "    FILE* f = fopen(argv[1], \"rb\");\n"
        "    static char header[1 << 20];\n"
        "    size_t n = f ? fread(header, 1, sizeof header - 1, f) : 0;\n"
        "    header[n] = 0;\n"
        "    const char* src = \"#include \\\"prelude.h\\\"\\n\"\n"
        "        \"extern \\\"C\\\" __global__ void k(float* y, const float* x) {\\n\"\n"
        "        \"    float v = x[threadIdx.x];\\n\"\n"
        "        \"    y[threadIdx.x] = spikelab_exp(v) + spikelab_log(v) + spikelab_log1p(v) +\"\n"
        "        \" spikelab_expm1(v) + spikelab_pow(v, 1.5f) + spikelab_tanh(v) + spikelab_sin(v) "
        "+\"\n"
        "        \" spikelab_cos(v) + spikelab_sqrt(v) + spikelab_fabs(v) + spikelab_fmin(v, 1.0f) "
        "+\"\n"
        "        \" spikelab_fmax(v, 1.0f) + spikelab_floor(v);\\n}\\n\";\n"
        "    const char* headers[] = {header};\n"
        "    const char* names[] = {\"prelude.h\"};\n"
        "    nvrtcProgram p;\n"
        "    if (nvrtcCreateProgram(&p, src, \"k.cu\", 1, headers, names) != NVRTC_SUCCESS) return "
        "2;\n"
        "    const char* opts[] = {\"--fmad=false\"};\n"
        "    nvrtcResult r = nvrtcCompileProgram(p, 1, opts);\n"
        "    size_t size = 0;\n"
        "    nvrtcGetProgramLogSize(p, &size);\n"
        "    char* log = (char*)malloc(size + 1);\n"
        "    nvrtcGetProgramLog(p, log);\n"
        "    fprintf(stderr, \"%s\\n%s\\n\", nvrtcGetErrorString(r), log);\n"
        "    return r != NVRTC_SUCCESS;\n}\n");
    const std::string build = "cc -std=c99 -O1 -o " + dir.file("rtc") + " " + dir.file("rtc.c") +
                              " -I" + cuda + "/include -L" + cuda + "/lib64 -lnvrtc 2>" +
                              dir.file("log");
    ASSERT_EQ(std::system(build.c_str()), 0) << readText(dir.file("log"));
    const std::string run = "LD_LIBRARY_PATH=" + cuda + "/lib64 " + dir.file("rtc") + " " +
                            kPrelude + " 2>" + dir.file("log");
    EXPECT_EQ(std::system(run.c_str()), 0) << readText(dir.file("log"));
}

// Loops over arrays vectorise (gcc's -fopt-info names each vectorised loop by line). Not sqrt:
// sqrtf sets errno for a negative argument, so under the default -fmath-errno gcc keeps a branch
// to the library call in the loop.
TEST(Prelude, LoopsVectorise) {
    if (!haveCc()) GTEST_SKIP() << "no C compiler (cc) on this machine";
    TempDir dir;
    std::string c = "#include \"" + kPrelude + "\"\n";
    std::vector<std::string> names;
    for (const std::string& f : kUnary)
        if (f != "sqrt") names.push_back(f);
    names.push_back("pow");
    names.push_back("fmin");
    names.push_back("fmax");
    std::vector<int> lines;
    int line = 2;
    for (const std::string& f : names) {
        const bool binary = f == "pow" || f == "fmin" || f == "fmax";
        c += "void loop_" + f +
             "(float* restrict y, const float* restrict x, const float* restrict z, int n) {\n";
        c += "    for (int i = 0; i < n; ++i) y[i] = spikelab_" + f +
             (binary ? "(x[i], z[i]);\n" : "(x[i]);\n");
        c += "    (void)z;\n}\n";
        lines.push_back(line + 1);
        line += 4;
    }
    writeText(dir.file("loops.c"), c);
    const std::string cmd =
        "cc -std=c99 -O3 -march=native -ffp-contract=off -fopt-info-vec-optimized -c -o " +
        dir.file("loops.o") + " " + dir.file("loops.c") + " >" + dir.file("log") + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << readText(dir.file("log"));
    const std::string log = readText(dir.file("log"));
    if (log.find("optimized:") == std::string::npos && log.find("vectorized") == std::string::npos)
        GTEST_SKIP() << "cc does not report vectorised loops (not gcc?): " << log;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string where = "loops.c:" + std::to_string(lines[i]) + ":";
        const auto at = log.find(where);
        EXPECT_TRUE(at != std::string::npos && log.find("vectorized", at) < log.find('\n', at))
            << "spikelab_" << names[i] << "'s loop did not vectorise:\n"
            << log;
    }
}

// The same bits from plain C (cc -O3 -ffp-contract=off) as from this C++ build, over a fixed
// sample of 100k inputs a function (NaN results compared as NaN: their payloads may differ).
TEST(Prelude, SameBitsAsC) {
    if (!haveCc()) GTEST_SKIP() << "no C compiler (cc) on this machine";
    constexpr int n = 100'000;
    Rng r{12};
    std::vector<float> x(n), z(n);
    for (int i = 0; i < n; ++i) {
        const std::uint64_t u = r.next();
        x[i] = (u & 1) ? r.in(-120.0f, 120.0f)
                       : std::bit_cast<float>(static_cast<std::uint32_t>(u >> 32));
        z[i] = (u & 2) ? r.in(-8.0f, 8.0f)
                       : std::bit_cast<float>(static_cast<std::uint32_t>(r.next()));
    }
    TempDir dir;
    {
        std::FILE* f = std::fopen(dir.file("in").c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(x.data(), sizeof(float), n, f);
        std::fwrite(z.data(), sizeof(float), n, f);
        std::fclose(f);
    }
    std::vector<std::string> names = kUnary;
    names.push_back("pow");
    names.push_back("fmin");
    names.push_back("fmax");
    std::string c = "#include \"" + kPrelude + "\"\n#include <stdio.h>\n#include <stdlib.h>\n";
    c += "int main(int argc, char** argv) {\n    enum { N = " + std::to_string(n) + " };\n";
    c += "    static float x[N], z[N], y[N];\n    FILE* in = fopen(argv[1], \"rb\");\n";
    c += "    FILE* out = fopen(argv[2], \"wb\");\n    (void)argc;\n";
    c += "    if (!in || !out || fread(x, 4, N, in) != N || fread(z, 4, N, in) != N) return 1;\n";
    for (const std::string& f : names) {
        const bool binary = f == "pow" || f == "fmin" || f == "fmax";
        c += "    for (int i = 0; i < N; ++i) y[i] = spikelab_" + f +
             (binary ? "(x[i], z[i]);\n" : "(x[i]);\n");
        c += "    fwrite(y, 4, N, out);\n";
    }
    c += "    return fclose(out) != 0;\n}\n";
    writeText(dir.file("bits.c"), c);
    const std::string build = "cc -std=c99 -O3 -march=native -ffp-contract=off -o " +
                              dir.file("bits") + " " + dir.file("bits.c") + " -lm 2>" +
                              dir.file("log");
    ASSERT_EQ(std::system(build.c_str()), 0) << readText(dir.file("log"));
    ASSERT_EQ(
        std::system((dir.file("bits") + " " + dir.file("in") + " " + dir.file("out")).c_str()), 0);
    std::vector<float> y(n * names.size());
    {
        std::FILE* f = std::fopen(dir.file("out").c_str(), "rb");
        ASSERT_NE(f, nullptr);
        ASSERT_EQ(std::fread(y.data(), sizeof(float), y.size(), f), y.size());
        std::fclose(f);
    }
    const std::vector<float (*)(float)> unary = {
        spikelab_exp, spikelab_log, spikelab_log1p, spikelab_expm1, spikelab_tanh,
        spikelab_sin, spikelab_cos, spikelab_sqrt,  spikelab_fabs,  spikelab_floor};
    const std::vector<float (*)(float, float)> binary = {spikelab_pow, spikelab_fmin,
                                                         spikelab_fmax};
    for (std::size_t k = 0; k < names.size(); ++k) {
        int differ = 0;
        for (int i = 0; i < n; ++i) {
            const float mine =
                k < unary.size() ? unary[k](x[i]) : binary[k - unary.size()](x[i], z[i]);
            const float theirs = y[k * n + i];
            const bool same =
                (std::isnan(mine) && std::isnan(theirs)) ||
                std::bit_cast<std::uint32_t>(mine) == std::bit_cast<std::uint32_t>(theirs);
            if (!same && differ++ < 3)
                ADD_FAILURE() << "spikelab_" << names[k] << "(" << std::hexfloat << x[i] << ", "
                              << z[i] << "): C++ " << mine << ", C " << theirs;
        }
        EXPECT_EQ(differ, 0) << "spikelab_" << names[k];
    }
}

} // namespace
