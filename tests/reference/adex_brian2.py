#!/usr/bin/env python3
"""Reference spike trains of the AdEx presets (the eight firing patterns of Naud, Marcille,
Clopath & Gerstner 2008, Biol Cybern 99:335, Table 1), made once with Brian2 (Debian:
python3-brian) and committed as adex_brian2.json; the engine test
Models.AdExPresetsMatchTheBrian2Reference compares SpikeLab's built-in AdEx with them.

Each preset runs for 500 ms from V = EL, w = 0 with its step current switched on at t = 0.
Brian2 integrates the model with its own "euler" method at dt = 0.1 ms, in double precision:
one forward Euler step in which both derivatives are taken at the step's start, then the
threshold V >= Vpeak and the reset, which is SpikeLab's scheme (SpikeLab also holds V at
Vpeak at most inside the step; that changes no spike, since such a V is reset at once).
SpikeLab computes in float: the script also runs Brian2 in float32 (same scheme, same dt) to
show how far rounding alone moves the trains, and in double at dt = 0.01 ms, the reference
for how far dt = 0.1 ms is from the continuous model. Run:
/usr/bin/python3 tests/reference/adex_brian2.py > tests/reference/adex_brian2.json
"""
import json
import sys

import numpy as np
import brian2 as b2

DT_MS = 0.1
FINE_DT_MS = 0.01
DURATION_MS = 500.0
# Naud et al. (2008), Table 1, in SpikeLab's units: C nF, gL uS, EL VT DeltaT mV, a uS,
# tauw ms, b nA, Vr mV; I nA (the table gives pF, nS, pA). Vpeak = 0 mV for all.
NAMES = ["tonic", "adapting", "initial burst", "regular bursting", "delayed accelerating",
         "delayed regular bursting", "transient", "irregular"]
TABLE = {
    #                            C     gL     EL     VT   DeltaT a       tauw   b     Vr     I
    "tonic":                    (0.2,  0.01,  -70.0, -50.0, 2.0, 0.002,  30.0,  0.0,  -58.0, 0.5),
    "adapting":                 (0.2,  0.012, -70.0, -50.0, 2.0, 0.002,  300.0, 0.06, -58.0, 0.5),
    "initial burst":            (0.13, 0.018, -58.0, -50.0, 2.0, 0.004,  150.0, 0.12, -50.0, 0.4),
    "regular bursting":         (0.2,  0.01,  -58.0, -50.0, 2.0, 0.002,  120.0, 0.1,  -46.0, 0.21),
    "delayed accelerating":     (0.2,  0.012, -70.0, -50.0, 2.0, -0.01,  300.0, 0.0,  -58.0, 0.3),
    "delayed regular bursting": (0.1,  0.01,  -65.0, -50.0, 2.0, -0.01,  90.0,  0.03, -47.0, 0.11),
    "transient":                (0.1,  0.01,  -65.0, -50.0, 2.0, 0.01,   90.0,  0.1,  -47.0, 0.18),
    "irregular":                (0.1,  0.012, -60.0, -50.0, 2.0, -0.011, 130.0, 0.03, -48.0, 0.16),
}
PARAMS = ["C", "gL", "EL", "VT", "DeltaT", "a", "tauw", "b", "Vr"]
VPEAK = 0.0


def simulate(dt_ms, dtype):
    """Spike times (ms) of every preset, in NAMES order."""
    b2.start_scope()
    b2.prefs.codegen.target = "numpy"
    b2.prefs.core.default_float_dtype = dtype
    b2.defaultclock.dt = dt_ms * b2.ms
    eqs = """
    dv/dt = (-gL * (v - EL) + gL * DeltaT * exp((v - VT) / DeltaT) - w + I) / C : volt
    dw/dt = (a * (v - EL) - w) / tauw : amp
    C : farad (constant)
    gL : siemens (constant)
    EL : volt (constant)
    VT : volt (constant)
    DeltaT : volt (constant)
    a : siemens (constant)
    tauw : second (constant)
    b : amp (constant)
    Vr : volt (constant)
    I : amp (constant)
    """
    group = b2.NeuronGroup(len(NAMES), eqs, threshold=f"v >= {VPEAK} * mV", reset="v = Vr\nw += b",
                           method="euler")
    units = [b2.nF, b2.uS, b2.mV, b2.mV, b2.mV, b2.uS, b2.ms, b2.nA, b2.mV, b2.nA]
    for name, unit, column in zip(PARAMS + ["I"], units, zip(*(TABLE[n] for n in NAMES))):
        setattr(group, name, np.array(column) * unit)
    group.v = "EL"
    group.w = 0 * b2.nA
    monitor = b2.SpikeMonitor(group)
    b2.run(DURATION_MS * b2.ms)
    trains = monitor.spike_trains()
    return [np.asarray(trains[i] / b2.ms) for i in range(len(NAMES))]


def main():
    ref = simulate(DT_MS, np.float64)
    single = simulate(DT_MS, np.float32)
    fine = simulate(FINE_DT_MS, np.float64)
    cases = []
    for i, name in enumerate(NAMES):
        steps = [int(round(t / DT_MS)) for t in ref[i]]
        single_steps = [int(round(t / DT_MS)) for t in single[i]]
        same = 0
        while same < min(len(steps), len(single_steps)) and steps[same] == single_steps[same]:
            same += 1
        case = {"preset": name, "current": TABLE[name][-1],
                "values": dict(zip(PARAMS + ["Vpeak"], list(TABLE[name][:-1]) + [VPEAK])),
                "spikes": len(steps), "first_spike_step": steps[0] if steps else None,
                "float32_spikes": len(single_steps), "float32_same_steps": same,
                "fine_spikes": len(fine[i]),
                "fine_first_spike_ms": round(float(fine[i][0]), 3) if len(fine[i]) else None,
                "spike_steps": steps}
        cases.append(case)
    header = {"made_by": f"tests/reference/adex_brian2.py with Brian2 {b2.__version__}",
              "dt_ms": DT_MS, "steps": int(round(DURATION_MS / DT_MS)), "fine_dt_ms": FINE_DT_MS}
    out = json.dumps(header)[:-1] + ', "cases": [\n'
    out += ",\n".join(json.dumps(c) for c in cases)
    sys.stdout.write(out + "\n]}\n")


if __name__ == "__main__":
    main()
