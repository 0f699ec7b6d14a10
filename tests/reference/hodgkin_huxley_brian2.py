#!/usr/bin/env python3
"""Reference spike trains of the Hodgkin-Huxley built-in (the squid giant axon of Hodgkin &
Huxley 1952, J Physiol 117:500, at 6.3 degC, in the modern convention with rest at -65 mV),
made once with Brian2 (Debian: python3-brian) and committed as hodgkin_huxley_brian2.json;
the engine test Models.HodgkinHuxleyMatchesTheBrian2Reference compares SpikeLab's built-in
with them.

One neuron per step current (nA; with C = 1 nF the numbers are the textbook's uA/cm^2), each
from rest (V = -65 mV, the gates at their steady state there) for 200 ms with the current on
from t = 0. Brian2 integrates with its "exponential_euler" method at dt = 0.1 ms in double
precision: every variable, linear in itself, moves to its value at the end of the step as an
exponential relaxation, with all the other variables and the rates taken at the step's start,
which is SpikeLab's scheme. A spike is an upward crossing of 0 mV: step k spikes when V after
step k is >= 0 and V before it was < 0 (the monitor records V at the start of each step).
The script also gives each train at dt = 0.01 ms, and finds the rheobase (the smallest current,
to 0.01 nA, that gives a spike) and the onset of repetitive firing (the smallest current that
still fires in the last 50 ms) at dt = 0.1 ms. Run:
/usr/bin/python3 tests/reference/hodgkin_huxley_brian2.py > tests/reference/hodgkin_huxley_brian2.json
"""
import json
import sys

import numpy as np
import brian2 as b2

DT_MS = 0.1
FINE_DT_MS = 0.01
DURATION_MS = 200.0
CURRENTS = [0.0, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 6.5, 7.0, 8.0, 10.0, 15.0, 20.0, 40.0]
# The declaration's values (engine/models/hodgkin_huxley.json): C nF, conductances uS, mV.
C, GNA, GK, GL, ENA, EK, EL = 1.0, 120.0, 36.0, 0.3, 50.0, -77.0, -54.387
V0, M0, H0, N0 = -65.0, 0.05293249, 0.5961208, 0.3176769
VTHR = 0.0

EQS = """
dv/dt = (gNa * m**3 * h * (ENa - v) + gK * n**4 * (EK - v) + gL * (EL - v) + I) / C : volt
dm/dt = alpham * (1 - m) - betam * m : 1
dh/dt = alphah * (1 - h) - betah * h : 1
dn/dt = alphan * (1 - n) - betan * n : 1
alpham = (1 / exprel(-(v / mV + 40) / 10)) / ms : Hz
betam = 4 * exp(-(v / mV + 65) / 18) / ms : Hz
alphah = 0.07 * exp(-(v / mV + 65) / 20) / ms : Hz
betah = 1 / (1 + exp(-(v / mV + 35) / 10)) / ms : Hz
alphan = (0.1 / exprel(-(v / mV + 55) / 10)) / ms : Hz
betan = 0.125 * exp(-(v / mV + 65) / 80) / ms : Hz
I : amp (constant)
"""


def simulate(currents, dt_ms, duration_ms=DURATION_MS):
    """V at the start of every step, one row per current."""
    b2.start_scope()
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = dt_ms * b2.ms
    namespace = {"C": C * b2.nF, "gNa": GNA * b2.uS, "gK": GK * b2.uS, "gL": GL * b2.uS,
                 "ENa": ENA * b2.mV, "EK": EK * b2.mV, "EL": EL * b2.mV}
    group = b2.NeuronGroup(len(currents), EQS, method="exponential_euler", namespace=namespace)
    group.v = V0 * b2.mV
    group.m, group.h, group.n = M0, H0, N0
    group.I = np.array(currents) * b2.nA
    monitor = b2.StateMonitor(group, "v", record=True)
    b2.run(duration_ms * b2.ms, namespace=namespace)
    return np.asarray(monitor.v / b2.mV)


def spike_steps(v):
    """Steps k whose update takes V from below VTHR to VTHR or above."""
    return [k - 1 for k in range(1, len(v)) if v[k] >= VTHR and v[k - 1] < VTHR]


def smallest(condition, low, high, dt_ms):
    """The smallest current in [low, high] (to 0.01 nA) for which condition(steps) holds."""
    grid = np.round(np.arange(low, high + 1e-9, 0.01), 2)
    traces = simulate(list(grid), dt_ms)
    for current, v in zip(grid, traces):
        if condition(spike_steps(v)):
            return float(current)
    return None


def main():
    coarse = simulate(CURRENTS, DT_MS)
    fine = simulate(CURRENTS, FINE_DT_MS)
    steps_total = int(round(DURATION_MS / DT_MS))
    last = steps_total - int(round(50.0 / DT_MS))
    cases = []
    for i, current in enumerate(CURRENTS):
        steps = spike_steps(coarse[i])
        fine_steps = spike_steps(fine[i])
        cases.append({"current": current, "spikes": len(steps), "first_spike_step": steps[0] if steps else None,
                      "fine_spikes": len(fine_steps),
                      "fine_first_spike_ms": round(fine_steps[0] * FINE_DT_MS, 3) if fine_steps else None,
                      "spike_steps": steps})
    rheobase = smallest(lambda s: len(s) > 0, 0.0, 5.0, DT_MS)
    repetitive = smallest(lambda s: any(k >= last for k in s), 3.0, 10.0, DT_MS)
    header = {"made_by": f"tests/reference/hodgkin_huxley_brian2.py with Brian2 {b2.__version__}",
              "dt_ms": DT_MS, "steps": steps_total, "fine_dt_ms": FINE_DT_MS,
              "rheobase_nA": rheobase, "repetitive_onset_nA": repetitive}
    out = json.dumps(header)[:-1] + ', "cases": [\n'
    out += ",\n".join(json.dumps(c) for c in cases)
    sys.stdout.write(out + "\n]}\n")


if __name__ == "__main__":
    main()
