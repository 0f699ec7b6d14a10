#!/usr/bin/env python3
"""Derives the polynomial coefficients and split constants of engine/src/lang/prelude.h.

Each kernel is a near-minimax (Chebyshev) fit with mpmath.chebyfit on the reduced range the
prelude uses; the printed coefficients are rounded to float (single kernels) or double
(double kernels) and written as C hex literals, exactly as prelude.h spells them; the last
line says whether every one of them is in prelude.h. Run: python3 prelude_coefficients.py
"""
import os
import re
import struct
import sys
from mpmath import mp, mpf, chebyfit, exp, log, sin, cos, sqrt, atanh, pi, ln2

mp.dps = 50


def as_float(v):
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def trim(h):
    """0x1.5555560000000p-3 -> 0x1.555556p-3, as prelude.h writes it."""
    mant, exp = h.split("p")
    mant = mant.rstrip("0").rstrip(".")
    return mant + "p" + exp


printed = []


def hexf(v):
    printed.append(trim(float.hex(as_float(v))) + "f")
    return printed[-1]


def hexd(v):
    printed.append(trim(float.hex(float(v))))
    return printed[-1]


def fit(name, f, a, b, degree, single):
    coeffs, err = chebyfit(f, [a, b], degree + 1, error=True)
    coeffs = list(reversed(coeffs))  # lowest order first
    print(f"{name}: degree {degree} on [{float(a):.6g}, {float(b):.6g}], fit error {float(err):.3g}")
    for i, c in enumerate(coeffs):
        print(f"  c{i} = {hexf(c) if single else hexd(c)}")
    return coeffs


half_ln2 = ln2 / 2

# exp / expm1 (float): e^r = 1 + r + r^2 q(r), |r| <= ln2/2.
def q_exp(r):
    if abs(r) < mpf("1e-10"):
        return mpf(1) / 2 + r / 6 + r * r / 24
    return (exp(r) - 1 - r) / (r * r)

fit("exp q(r)", q_exp, -half_ln2 * mpf("1.01"), half_ln2 * mpf("1.01"), 5, True)

# log / log1p (float): m = 1 + f in [sqrt(1/2), sqrt(2)), s = f / (2 + f), z = s^2;
# log(1 + f) = f - f^2/2 + s (f^2/2 + R(z)), R(z) = z P(z).
smax = (sqrt(2) - 1) / (sqrt(2) + 1)

def p_log(z):
    if z < mpf("1e-30"):
        return mpf(2) / 3
    s = sqrt(z)
    f = 2 * s / (1 - s)
    hfsq = f * f / 2
    R = (log(1 + f) - f + hfsq) / s - hfsq
    return R / z

fit("log P(z)", p_log, 0, smax * smax * mpf("1.01"), 3, True)

# log2 for pow (double): log2(1 + f) = s * L(z), s = f / (2 + f), z = s^2.
def l_log2(z):
    if z < mpf("1e-30"):
        return 2 / ln2
    s = sqrt(z)
    return 2 * atanh(s) / ln2 / s

fit("pow log2 L(z)", l_log2, 0, smax * smax * mpf("1.01"), 7, False)

# exp2 for pow (double): 2^r = 1 + r E(r), |r| <= 1/2.
def e_exp2(r):
    if abs(r) < mpf("1e-30"):
        return ln2
    return (mpf(2) ** r - 1) / r

fit("pow exp2 E(r)", e_exp2, mpf("-0.5") * mpf("1.01"), mpf("0.5") * mpf("1.01"), 10, False)

# sin / cos (double): |r| <= pi/4, z = r^2; sin r = r + r^3 S(z), cos r = 1 - z/2 + z^2 C(z).
zmax = (pi / 4) ** 2 * mpf("1.01")

def s_sin(z):
    if z < mpf("1e-30"):
        return mpf(-1) / 6
    r = sqrt(z)
    return (sin(r) - r) / (r * z)

def c_cos(z):
    if z < mpf("1e-30"):
        return mpf(1) / 24
    r = sqrt(z)
    return (cos(r) - 1 + z / 2) / (z * z)

fit("sin S(z)", s_sin, 0, zmax, 5, False)
fit("cos C(z)", c_cos, 0, zmax, 5, False)

# The split of pi/2 for the sin/cos reduction: 23 + 23 + 53 bits.
def split(v, bits):
    e = mp.floor(mp.log(abs(v), 2))
    scale = mpf(2) ** (bits - 1 - e)
    return mp.floor(v * scale + mpf("0.5")) / scale

p1 = split(pi / 2, 23)
p2 = split(pi / 2 - p1, 23)
p3 = pi / 2 - p1 - p2
print("pi/2 split:", hexd(p1), hexd(p2), hexd(p3))
print("2/pi:", hexd(2 / pi))
# ln2 split for the float exp reduction: 16 bits in the high part.
l1 = split(ln2, 16)
print("ln2 split (float):", hexf(l1), hexf(ln2 - l1), "log2(e):", hexf(1 / ln2))

header = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "prelude.h")).read()
missing = [c for c in printed if not re.search(re.escape(c.lstrip("-")) + r"(?![0-9a-fA-F])", header)]
print("prelude.h has every constant" if not missing else "not in prelude.h: " + " ".join(missing))
sys.exit(1 if missing else 0)
