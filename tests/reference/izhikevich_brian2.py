#!/usr/bin/env python3
"""Reference spike counts and first-spike steps of the Izhikevich (2003) presets, made once
with Brian2 (Debian: python3-brian) and committed as izhikevich_brian2.json; the engine test
Models.IzhikevichPresetsMatchTheBrian2Reference compares SpikeLab's built-in model with them.

Brian2 runs the model as the paper and GeNN discretise it (V in two half steps with U held,
then U), written here as Brian2 code that runs every step before Brian2's own threshold and
reset, in double precision. The model amplifies rounding: with
prefs.core.default_float_dtype = float32 Brian2 keeps only its first 4 to 21 spikes on the same
steps and its counts move by up to 4%, which is why the test compares the first spikes exactly
and the counts within 5%. Run: /usr/bin/python3 tests/reference/izhikevich_brian2.py > tests/reference/izhikevich_brian2.json
"""
import json
import sys

import brian2 as b2

DT_MS = 0.5
STEPS = 2000  # 1 s
CURRENTS = [4.0, 7.0, 10.0, 15.0]
PRESETS = {  # Izhikevich (2003), Fig. 2
    "regular spiking": (0.02, 0.2, -65.0, 8.0),
    "intrinsically bursting": (0.02, 0.2, -55.0, 4.0),
    "chattering": (0.02, 0.2, -50.0, 2.0),
    "fast spiking": (0.1, 0.2, -65.0, 2.0),
    "low-threshold spiking": (0.02, 0.25, -65.0, 2.0),
    "thalamo-cortical": (0.02, 0.25, -65.0, 0.05),
    "resonator": (0.1, 0.26, -65.0, 2.0),
}


def main():
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = DT_MS * b2.ms
    names = list(PRESETS)
    n = len(names) * len(CURRENTS)
    group = b2.NeuronGroup(
        n,
        "v : 1\nu : 1\nI : 1 (constant)\na : 1 (constant)\nb : 1 (constant)\nc : 1 (constant)\nd : 1 (constant)",
        threshold="v >= 30",
        reset="v = c\nu += d",
        method="exact",
    )
    h = DT_MS
    group.run_regularly(
        f"v += 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + I) * {h}\n"
        f"v += 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + I) * {h}\n"
        f"u += a * (b * v - u) * {h}",
        when="groups",
    )
    for k, name in enumerate(names):
        pa, pb, pc, pd = PRESETS[name]
        for m, current in enumerate(CURRENTS):
            i = k * len(CURRENTS) + m
            group.a[i], group.b[i], group.c[i], group.d[i] = pa, pb, pc, pd
            group.I[i] = current
    group.v = -65.0
    group.u = -13.0
    monitor = b2.SpikeMonitor(group)
    b2.run(STEPS * DT_MS * b2.ms)
    trains = monitor.spike_trains()
    cases = []
    for k, name in enumerate(names):
        for m, current in enumerate(CURRENTS):
            times = trains[k * len(CURRENTS) + m] / b2.ms
            steps = [int(round(t / DT_MS)) for t in times]
            cases.append({"preset": name, "current": current, "spikes": len(steps),
                          "first_spike_step": steps[0] if steps else None, "spike_steps": steps})
    header = {"made_by": f"tests/reference/izhikevich_brian2.py with Brian2 {b2.__version__}",
              "dt_ms": DT_MS, "steps": STEPS, "initial_v": -65.0, "initial_u": -13.0}
    out = json.dumps(header)[:-1] + ', "cases": [\n'
    out += ",\n".join(json.dumps(c) for c in cases)
    sys.stdout.write(out + "\n]}\n")

if __name__ == "__main__":
    main()
