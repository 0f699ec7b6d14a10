/* SpikeLab's float maths functions for model code (docs/architecture.md, "Maths functions").
 *
 * Model code may call exp, log, log1p, expm1, sqrt, pow, fabs, fmin, fmax, tanh, sin, cos and
 * floor. The same model runs as C++ compiled with the engine, as plain C compiled at run time,
 * as CUDA and in the interpreter, and every one of them must give the same floats bit for bit;
 * the C library's expf and CUDA's expf differ, so model code calls these instead. This header is
 * valid C99, C++20 and CUDA.
 *
 * Rules that keep the results identical everywhere:
 * - only + - * /, comparisons, integer and bit operations and conversions, each written in the
 *   order it must be evaluated; the project compiles with -ffp-contract=off (nvcc --fmad=false),
 *   never with fast-math, so no compiler fuses or reorders them;
 * - no C library call except sqrtf, which IEEE 754 requires to be correctly rounded;
 * - CUDA keeps its defaults -prec-div=true, -prec-sqrt=true and -ftz=false (IEEE division and
 *   square root, subnormals kept); --use_fast_math would break all three;
 * - special cases are selects on bit masks (spikelab_prelude_sel), not early returns or ?:, so
 *   that loops over arrays vectorise.
 *
 * exp, log, log1p, expm1 and tanh work in float. pow, sin and cos work in double inside (double
 * arithmetic is IEEE on every target too) and round once to float at the end: that makes them
 * nearly correctly rounded at the price of double throughput on the GPU.
 *
 * Largest error against the correctly rounded result, in ulp (0 = correctly rounded), over
 * every float (tests/tools/prelude_exhaustive.cpp) for the one-argument functions: exp 1,
 * log 1, log1p 1, expm1 1, tanh 2, sin 0 and cos 0 for |x| <= 1.6e9; pow 1 over 7 10^6 random
 * pairs (exact halfway cases such as some squares of 13-bit numbers). tests/engine/
 * test_prelude.cpp checks these bounds on 10^7 random inputs a function and the edges. The
 * coefficients come from engine/src/lang/tools/prelude_coefficients.py.
 */
#ifndef SPIKELAB_PRELUDE_H
#define SPIKELAB_PRELUDE_H

#if defined(__CUDACC__)
#define SPIKELAB_PRELUDE_FN __host__ __device__ static inline
#else
#define SPIKELAB_PRELUDE_FN static inline
#endif

#if !defined(__CUDACC_RTC__)
#include <math.h>
#include <string.h>
#endif

/* ---- Bits ---------------------------------------------------------------------------------- */

SPIKELAB_PRELUDE_FN unsigned int spikelab_prelude_bits(float x) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(x);
#else
    unsigned int u;
    memcpy(&u, &x, sizeof u);
    return u;
#endif
}

SPIKELAB_PRELUDE_FN float spikelab_prelude_float(unsigned int u) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(u);
#else
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
#endif
}

SPIKELAB_PRELUDE_FN double spikelab_prelude_double(unsigned long long u) {
#if defined(__CUDA_ARCH__)
    return __longlong_as_double((long long)u);
#else
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
#endif
}

/* Selects without branches: c ? a : b with both a and b already computed. A compiler turns a
 * ?: with a foldable arm into a branch and may then specialise the code after it per outcome;
 * a path that folds to a constant overflow counts as one that may trap, which stops gcc from
 * vectorising the loop (it respects floating-point exceptions by default). Bit masks keep
 * every path the same. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_sel(int c, float a, float b) {
    unsigned int m = 0u - (unsigned int)(c != 0);
    return spikelab_prelude_float((spikelab_prelude_bits(a) & m) | (spikelab_prelude_bits(b) & ~m));
}

SPIKELAB_PRELUDE_FN int spikelab_prelude_seli(int c, int a, int b) {
    unsigned int m = 0u - (unsigned int)(c != 0);
    return (int)(((unsigned int)a & m) | ((unsigned int)b & ~m));
}

SPIKELAB_PRELUDE_FN unsigned long long spikelab_prelude_bitsd(double x) {
#if defined(__CUDA_ARCH__)
    return (unsigned long long)__double_as_longlong(x);
#else
    unsigned long long u;
    memcpy(&u, &x, sizeof u);
    return u;
#endif
}

SPIKELAB_PRELUDE_FN double spikelab_prelude_seld(int c, double a, double b) {
    unsigned long long m = 0ull - (unsigned long long)(c != 0);
    return spikelab_prelude_double((spikelab_prelude_bitsd(a) & m) |
                                   (spikelab_prelude_bitsd(b) & ~m));
}

/* 2^k as a float for k in [-126, 127]. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_pow2f(int k) {
    return spikelab_prelude_float((unsigned int)(k + 127) << 23);
}

/* Horner's rule, highest coefficient first: (c[0] x + c[1]) x + ... + c[n - 1], each step
 * rounded (no fused multiply-add). */
SPIKELAB_PRELUDE_FN float spikelab_prelude_polyf(float x, const float* c, int n) {
    float p = c[0];
    for (int i = 1; i < n; ++i) p = p * x + c[i];
    return p;
}

SPIKELAB_PRELUDE_FN double spikelab_prelude_polyd(double x, const double* c, int n) {
    double p = c[0];
    for (int i = 1; i < n; ++i) p = p * x + c[i];
    return p;
}

/* ---- Exact operations ---------------------------------------------------------------------- */

SPIKELAB_PRELUDE_FN float spikelab_sqrt(float x) {
    return sqrtf(x);
}

SPIKELAB_PRELUDE_FN float spikelab_fabs(float x) {
    return spikelab_prelude_float(spikelab_prelude_bits(x) & 0x7fffffffu);
}

/* C99 fmin/fmax: a NaN argument gives the other one; of -0 and +0, fmin gives -0 and fmax +0. */
SPIKELAB_PRELUDE_FN float spikelab_fmin(float a, float b) {
    float r = spikelab_prelude_sel(a < b, a, b);
    r = spikelab_prelude_sel(b != b, a, r);
    float z = spikelab_prelude_float(spikelab_prelude_bits(a) | spikelab_prelude_bits(b));
    return spikelab_prelude_sel(a == b, z, r);
}

SPIKELAB_PRELUDE_FN float spikelab_fmax(float a, float b) {
    float r = spikelab_prelude_sel(a > b, a, b);
    r = spikelab_prelude_sel(b != b, a, r);
    float z = spikelab_prelude_float(spikelab_prelude_bits(a) & spikelab_prelude_bits(b));
    return spikelab_prelude_sel(a == b, z, r);
}

/* Exact for every float; floor(-0) = -0, floor(-0.5) = -1, NaN and infinities unchanged. */
SPIKELAB_PRELUDE_FN float spikelab_floor(float x) {
    int small = spikelab_fabs(x) < 0x1p23f; /* false for NaN and infinities */
    float t = (float)(int)spikelab_prelude_sel(small, x, 0.0f);
    float t1 = t - 1.0f;
    t = spikelab_prelude_sel(t > x, t1, t);
    t = spikelab_prelude_float(spikelab_prelude_bits(t) | (spikelab_prelude_bits(x) & 0x80000000u));
    return spikelab_prelude_sel(small, t, x);
}

/* ---- exp and expm1 (float) ----------------------------------------------------------------- */

/* x = k ln2 + r with |r| <= ln2/2 (a little over, as k comes from a rounded product); ln2 in two
 * parts, the first with 16 bits so that k * LN2_HI is exact. */
#define SPIKELAB_PRELUDE_LOG2E 0x1.715476p+0f
#define SPIKELAB_PRELUDE_LN2_HI 0x1.62e4p-1f
#define SPIKELAB_PRELUDE_LN2_LO 0x1.7f7d1cp-20f

/* e^r - 1 = r + r^2 q(r) on |r| <= 0.35, q fitted with relative error 1.5e-9. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_expm1_kernel(float r) {
    const float q_c[6] = {0x1.a12a42p-13f, 0x1.6d492p-10f, 0x1.1110ep-7f,
                          0x1.5554e4p-5f,  0x1.555556p-3f, 0x1p-1f};
    float q = spikelab_prelude_polyf(r, q_c, 6);
    return r + (r * r) * q;
}

/* Rounds x / ln2 to an integer (as a float): x is in [-104, 89]. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_round_log2e(float x) {
    float t = x * SPIKELAB_PRELUDE_LOG2E + 0x1.8p23f;
    return t - 0x1.8p23f;
}

/* exp: at most 1 ulp over all floats (every float checked; the test: 10^7 in [-104, 89]);
 * exp(-inf) = +0, exp(+inf) = +inf, overflow above 88.7228 to +inf, gradual underflow. */
SPIKELAB_PRELUDE_FN float spikelab_exp(float x) {
    float xc = spikelab_prelude_sel(x < 89.0f, x, 89.0f); /* NaN and +inf become 89 */
    xc = spikelab_prelude_sel(xc > -104.0f, xc, -104.0f);
    float kf = spikelab_prelude_round_log2e(xc);
    float r = (xc - kf * SPIKELAB_PRELUDE_LN2_HI) - kf * SPIKELAB_PRELUDE_LN2_LO;
    float p = 1.0f + spikelab_prelude_expm1_kernel(r);
    int k = (int)kf; /* [-150, 128] */
    int k1 = k / 2;
    /* p * 2^k1 is exact; the second product rounds once, also into the subnormals. */
    float y = (p * spikelab_prelude_pow2f(k1)) * spikelab_prelude_pow2f(k - k1);
    float nan = x + x;
    return spikelab_prelude_sel(x != x, nan, y);
}

/* e^x - 1 for x in [-30, 89] (no NaN). */
SPIKELAB_PRELUDE_FN float spikelab_prelude_expm1_core(float x) {
    float kf = spikelab_prelude_round_log2e(x);
    float hi = x - kf * SPIKELAB_PRELUDE_LN2_HI; /* exact */
    float lo = kf * SPIKELAB_PRELUDE_LN2_LO;
    float r = hi - lo;
    float c = (hi - r) - lo; /* what r lost; 0 when k = 0 */
    float em = spikelab_prelude_expm1_kernel(r);
    em = em + (c + c * em);
    int k = (int)kf; /* [-44, 129] */
    /* k < 0: e^x - 1 = (2^k - 1) + 2^k em, both products exact. */
    int kn = spikelab_prelude_seli(k < 0, k, 0);
    float sn = spikelab_prelude_pow2f(kn);
    float below = (sn - 1.0f) + sn * em;
    /* k > 0: e^x - 1 = ((1 - 2^-k) + em) 2^(k-1) 2; 1 - 2^-k is exact up to k = 24 and rounds
     * to 1 above. */
    int kp = spikelab_prelude_seli(k > 1, k, 1);
    int kt = spikelab_prelude_seli(kp < 30, kp, 30);
    float above =
        ((1.0f - spikelab_prelude_pow2f(-kt)) + em) * spikelab_prelude_pow2f(kp - 1) * 2.0f;
    float y = spikelab_prelude_sel(k < 0, below, above);
    return spikelab_prelude_sel(k == 0, em, y);
}

/* expm1: at most 1 ulp over all floats (the test: 10^7 in [-30, 89]); tiny x give x (and
 * -0 stays -0), expm1(-inf) = -1, expm1(+inf) = +inf. */
SPIKELAB_PRELUDE_FN float spikelab_expm1(float x) {
    float xc = spikelab_prelude_sel(x < 89.0f, x, 89.0f);
    xc = spikelab_prelude_sel(xc > -30.0f, xc, -30.0f);
    float y = spikelab_prelude_expm1_core(xc);
    y = spikelab_prelude_sel(spikelab_fabs(x) < 0x1p-25f, x, y);
    float nan = x + x;
    return spikelab_prelude_sel(x != x, nan, y);
}

/* ---- log and log1p (float) ----------------------------------------------------------------- */

/* log(1 + f) for 1 + f = m in [sqrt(1/2), sqrt(2)) plus e ln2 plus a small correction c:
 * s = f / (2 + f), log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), R fitted with relative error
 * 1.2e-9. The sum is ordered so that the large terms come last. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_log_kernel(float f, float e, float c) {
    float s = f / (2.0f + f);
    float z = s * s;
    const float p_c[4] = {0x1.de0b02p-3f, 0x1.245b28p-2f, 0x1.9999eep-2f, 0x1.555556p-1f};
    float p = spikelab_prelude_polyf(z, p_c, 4);
    float r = z * p;
    float hfsq = 0.5f * f * f;
    return e * SPIKELAB_PRELUDE_LN2_HI -
           ((hfsq - (s * (hfsq + r) + (e * SPIKELAB_PRELUDE_LN2_LO + c))) - f);
}

/* Splits a positive normal float u = 2^e m with m in [sqrt(1/2), sqrt(2)); returns m - 1 (exact)
 * and sets *e. Other inputs give meaningless values but no undefined behaviour. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_split(float u, int* e) {
    unsigned int b = spikelab_prelude_bits(u) + (0x3f800000u - 0x3f3504f3u);
    *e = (int)(b >> 23) - 127;
    return spikelab_prelude_float((b & 0x007fffffu) + 0x3f3504f3u) - 1.0f;
}

/* The same for any positive finite float, subnormals included (scaled up by 2^23 first). */
SPIKELAB_PRELUDE_FN float spikelab_prelude_split_any(float x, int* e) {
    int sub = x < 0x1p-126f;
    float xbig = x * 0x1p23f;
    float f = spikelab_prelude_split(spikelab_prelude_sel(sub, xbig, x), e);
    *e = spikelab_prelude_seli(sub, *e - 23, *e);
    return f;
}

/* log: at most 1 ulp over all floats (the test: 10^7 random over all exponents, the
 * subnormals and the edges); log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf. */
SPIKELAB_PRELUDE_FN float spikelab_log(float x) {
    int e;
    float f = spikelab_prelude_split_any(x, &e);
    float y = spikelab_prelude_log_kernel(f, (float)e, 0.0f);
    y = spikelab_prelude_sel(x > 0x1.fffffep127f, x, y); /* +inf */
    y = spikelab_prelude_sel(x == 0.0f, spikelab_prelude_float(0xff800000u), y);
    y = spikelab_prelude_sel(x < 0.0f, spikelab_prelude_float(0x7fc00000u), y);
    float nan = x + x;
    return spikelab_prelude_sel(x != x, nan, y);
}

/* log1p: at most 1 ulp over all floats (the test: 10^7 in (-1, 1), 2.5 10^6 in [1, 3.4e38]);
 * log1p(-1) = -inf, log1p(x < -1) = NaN, tiny x give x. */
SPIKELAB_PRELUDE_FN float spikelab_log1p(float x) {
    float u = 1.0f + x;
    int e;
    float f = spikelab_prelude_split(u, &e);
    /* u is 1 + x rounded; c / u corrects log(u) to log(1 + x). The difference selected is exact:
     * u - x for u >= 2 (u and x within a factor of 2), u - 1 below (u in [0.5, 2), or exact). */
    float c_above = 1.0f - (u - x);
    float c_below = x - (u - 1.0f);
    float c = spikelab_prelude_sel(u >= 2.0f, c_above, c_below);
    c = c / u;
    float y = spikelab_prelude_log_kernel(f, (float)e, c);
    y = spikelab_prelude_sel(spikelab_fabs(x) < 0x1p-24f, x, y);
    y = spikelab_prelude_sel(x > 0x1.fffffep127f, x, y);
    y = spikelab_prelude_sel(x == -1.0f, spikelab_prelude_float(0xff800000u), y);
    y = spikelab_prelude_sel(x < -1.0f, spikelab_prelude_float(0x7fc00000u), y);
    float nan = x + x;
    return spikelab_prelude_sel(x != x, nan, y);
}

/* ---- tanh (float) -------------------------------------------------------------------------- */

/* tanh: at most 2 ulp over all floats (the test: 10^7 in [-10, 10]); tanh(x) = em / (em + 2)
 * with em = expm1(2|x|), the sign of x; tanh(+-inf) = +-1, tiny x give x. */
SPIKELAB_PRELUDE_FN float spikelab_tanh(float x) {
    float ax = spikelab_fabs(x);
    /* tanh rounds to 1 from 9.011 on; NaN becomes 9.5 here (and is selected back below). */
    float a = spikelab_prelude_sel(ax < 9.5f, ax, 9.5f);
    float em = spikelab_prelude_expm1_core(2.0f * a);
    float t = em / (em + 2.0f);
    t = spikelab_prelude_float(spikelab_prelude_bits(t) | (spikelab_prelude_bits(x) & 0x80000000u));
    t = spikelab_prelude_sel(ax < 0x1p-12f, x, t);
    float nan = x + x;
    return spikelab_prelude_sel(x != x, nan, t);
}

/* ---- pow (double inside) ------------------------------------------------------------------- */

/* log2 of a positive finite float, relative error about 2^-50: x = 2^e (1 + f),
 * log2(1 + f) = s L(s^2) with s = f / (2 + f). */
SPIKELAB_PRELUDE_FN double spikelab_prelude_log2d(float x) {
    int e;
    double f = (double)spikelab_prelude_split_any(x, &e);
    double s = f / (2.0 + f);
    double z = s * s;
    const double l_c[8] = {0x1.b609d0c666c12p-3, 0x1.c462a4f3f70c9p-3, 0x1.0ca1974fb723dp-2,
                           0x1.484afa7696a2cp-2, 0x1.a61762d905284p-2, 0x1.2776c50ee23acp-1,
                           0x1.ec709dc3a0486p-1, 0x1.71547652b82fep+1};
    double l = spikelab_prelude_polyd(z, l_c, 8);
    return (double)e + s * l;
}

/* 2^t rounded to float, for any t (NaN gives garbage, the caller selects). */
SPIKELAB_PRELUDE_FN float spikelab_prelude_exp2d(double t) {
    double tc = spikelab_prelude_seld(t < 130.0, t, 130.0);
    tc = spikelab_prelude_seld(tc > -160.0, tc, -160.0);
    double kd = (tc + 0x1.8p52) - 0x1.8p52;
    double r = tc - kd; /* exact, |r| <= 1/2 */
    const double p_c[11] = {0x1.e9d9544ebbe4ap-32, 0x1.e60c8140c1e74p-28, 0x1.b524f83442a6fp-24,
                            0x1.62bfd14e839b8p-20, 0x1.ffcbfc67f2735p-17, 0x1.4309130a7bf3ep-13,
                            0x1.5d87fe78a50bep-10, 0x1.3b2ab6fba19d3p-7,  0x1.c6b08d704a0c2p-5,
                            0x1.ebfbdff82c599p-3,  0x1.62e42fefa39efp-1};
    double p = spikelab_prelude_polyd(r, p_c, 11);
    p = 1.0 + r * p;
    int k = (int)kd; /* [-160, 130] */
    double scale = spikelab_prelude_double((unsigned long long)(k + 1023) << 52);
    return (float)(p * scale);
}

/* pow: at most 1 ulp (tested: 7 10^6 random pairs with |y log2 x| up to 160, negative bases with
 * integer exponents, and the C99 special cases: pow(x, +-0) = 1 and pow(1, y) = 1 even for NaN,
 * pow(-1, +-inf) = 1, pow(+-0, y) and pow(+-inf, y) by the sign and parity of y, a negative
 * finite base with a non-integer finite exponent gives NaN). */
SPIKELAB_PRELUDE_FN float spikelab_pow(float x, float y) {
    float ax = spikelab_fabs(x);
    double l = spikelab_prelude_log2d(ax);
    double minus_inf = spikelab_prelude_double(0xfff0000000000000ull);
    double plus_inf = spikelab_prelude_double(0x7ff0000000000000ull);
    l = spikelab_prelude_seld(ax == 0.0f, minus_inf, l);
    l = spikelab_prelude_seld(ax > 0x1.fffffep127f, plus_inf, l);
    float m = spikelab_prelude_exp2d((double)y * l);
    float fy = spikelab_floor(y);
    int yint = fy == y; /* true for infinities, false for NaN */
    float hy = 0.5f * y;
    int yodd = yint & (spikelab_floor(hy) != hy);
    int xneg = (int)(spikelab_prelude_bits(x) >> 31); /* -0 too */
    float negm = -m;
    m = spikelab_prelude_sel(xneg & yodd, negm, m);
    m = spikelab_prelude_sel((x < 0.0f) & (x >= -0x1.fffffep127f) & !yint,
                             spikelab_prelude_float(0x7fc00000u), m);
    float nan = x + y;
    m = spikelab_prelude_sel((x != x) | (y != y), nan, m);
    m = spikelab_prelude_sel((x == -1.0f) & (spikelab_fabs(y) > 0x1.fffffep127f), 1.0f, m);
    m = spikelab_prelude_sel(x == 1.0f, 1.0f, m);
    return spikelab_prelude_sel(y == 0.0f, 1.0f, m);
}

/* ---- sin and cos (double inside) ----------------------------------------------------------- */

/* sin(x) (quadrant offset 0) or cos(x) (offset 1) for a finite float: x = k pi/2 + r with pi/2
 * in three parts (23, 23 and 53 bits), exact products for |k| < 2^30, so the reduction is
 * accurate for |x| < 1.6e9; beyond that the result is in [-1, 1] and the same on every target
 * but not the sine. */
SPIKELAB_PRELUDE_FN float spikelab_prelude_sincos(float x, unsigned long long offset) {
    double xd = (double)x;
    xd = spikelab_prelude_seld(xd < 1.6e9, xd, 1.6e9); /* NaN becomes 1.6e9 */
    xd = spikelab_prelude_seld(xd > -1.6e9, xd, -1.6e9);
    double kt = xd * 0x1.45f306dc9c883p-1 + 0x1.8p52; /* k in its low bits (two's complement) */
    double kd = kt - 0x1.8p52;
    double r = ((xd - kd * 0x1.921fb4p+0) - kd * 0x1.4442dp-24) - kd * 0x1.8469898cc517p-48;
    r = spikelab_prelude_seld(r < 0.789, r, 0.789);
    r = spikelab_prelude_seld(r > -0.789, r, -0.789);
    double z = r * r;
    const double s_c[6] = {0x1.5e0333e3ccba1p-33,  -0x1.ae5ff4f957b14p-26, 0x1.71de3781495ffp-19,
                           -0x1.a01a019e73325p-13, 0x1.1111111110b6cp-7,   -0x1.5555555555555p-3};
    double s = spikelab_prelude_polyd(z, s_c, 6);
    s = r + (r * z) * s;
    const double c_c[6] = {-0x1.9075bb669682cp-37, 0x1.1eeb5de1e2b95p-29,  -0x1.27e4fa0d3726cp-22,
                           0x1.a01a019f4671dp-16,  -0x1.6c16c16c16944p-10, 0x1.5555555555555p-5};
    double c = spikelab_prelude_polyd(z, c_c, 6);
    c = (1.0 - 0.5 * z) + (z * z) * c;
    /* Quadrant q = (k + offset) mod 4: cos for odd q, negated for q = 2, 3. All in 64-bit lanes. */
    unsigned long long q = spikelab_prelude_bitsd(kt) + offset;
    unsigned long long odd = 0ull - (q & 1ull);
    unsigned long long v = (spikelab_prelude_bitsd(c) & odd) | (spikelab_prelude_bitsd(s) & ~odd);
    return (float)spikelab_prelude_double(v ^ ((q & 2ull) << 62));
}

/* sin: correctly rounded for every float with |x| <= 1.6e9 (the test: 10^7 in [-1e5, 1e5],
 * 5 10^5 up to 1.6e9, bound 1 ulp); sin(+-0) = +-0, sin(+-inf) = NaN. */
SPIKELAB_PRELUDE_FN float spikelab_sin(float x) {
    float y = spikelab_prelude_sincos(x, 0ull);
    y = spikelab_prelude_sel(x == 0.0f, x, y);
    float nan = x - x;
    return spikelab_prelude_sel(spikelab_fabs(x) <= 0x1.fffffep127f, y, nan);
}

/* cos: correctly rounded for every float with |x| <= 1.6e9 (tested as sin); cos(+-inf) = NaN. */
SPIKELAB_PRELUDE_FN float spikelab_cos(float x) {
    float y = spikelab_prelude_sincos(x, 1ull);
    float nan = x - x;
    return spikelab_prelude_sel(spikelab_fabs(x) <= 0x1.fffffep127f, y, nan);
}

/* ---- Random numbers ------------------------------------------------------------------------
 *
 * gennrand_uniform() and gennrand_normal() in model code. Each call site in a model has its
 * own number (`draw`, counted in source order over the sim code, the threshold condition and
 * the reset code), and a call's result is a pure function of the stream and the draw: Philox
 * 4x32-10 (spikelab/philox.h) with the counter (draw, neuron, step low, step high) and the key
 * (population, batch copy). No call changes what another draws, so a branch not taken or the
 * order in which a compiler evaluates operands changes nothing, and every target gives the same
 * numbers. */

typedef struct SpikelabRandom {
    unsigned int key0, key1;  /* the population and the batch copy */
    unsigned int neuron;
    unsigned int step_lo, step_hi;
} SpikelabRandom;

SPIKELAB_PRELUDE_FN SpikelabRandom spikelab_random(unsigned int key0, unsigned int key1, long long neuron,
                                                   unsigned long long step) {
    SpikelabRandom r;
    r.key0 = key0;
    r.key1 = key1;
    r.neuron = (unsigned int)neuron;
    r.step_lo = (unsigned int)step;
    r.step_hi = (unsigned int)(step >> 32);
    return r;
}

/* The first two words of Philox4x32-10 for this call site. */
SPIKELAB_PRELUDE_FN void spikelab_philox2(const SpikelabRandom* r, unsigned int draw, unsigned int* out0,
                                          unsigned int* out1) {
    unsigned int c0 = draw, c1 = r->neuron, c2 = r->step_lo, c3 = r->step_hi;
    unsigned int k0 = r->key0, k1 = r->key1;
    int round;
    for (round = 0; round < 10; ++round) {
        unsigned long long p0 = 0xD2511F53ull * (unsigned long long)c0;
        unsigned long long p1 = 0xCD9E8D57ull * (unsigned long long)c2;
        unsigned int n0 = (unsigned int)(p1 >> 32) ^ c1 ^ k0;
        unsigned int n2 = (unsigned int)(p0 >> 32) ^ c3 ^ k1;
        c1 = (unsigned int)p1;
        c3 = (unsigned int)p0;
        c0 = n0;
        c2 = n2;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    *out0 = c0;
    *out1 = c1;
}

/* Uniform in [0, 1): the top 24 bits of the first word, exact in float. */
SPIKELAB_PRELUDE_FN float spikelab_uniform(const SpikelabRandom* r, unsigned int draw) {
    unsigned int a, b;
    spikelab_philox2(r, draw, &a, &b);
    return (float)(a >> 8) * 0x1p-24f;
}

/* Standard normal by Box-Muller from the first two words; 1 - u is in (0, 1], so the
 * logarithm is finite. */
SPIKELAB_PRELUDE_FN float spikelab_normal(const SpikelabRandom* r, unsigned int draw) {
    unsigned int a, b;
    spikelab_philox2(r, draw, &a, &b);
    float u1 = 1.0f - (float)(a >> 8) * 0x1p-24f;
    float u2 = (float)(b >> 8) * 0x1p-24f;
    float radius = spikelab_sqrt(-2.0f * spikelab_log(u1));
    return radius * spikelab_cos(0x1.921fb6p+2f * u2);
}

#endif
