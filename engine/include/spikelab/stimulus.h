#pragma once
// Stimuli for single neurons and their response (docs/architecture.md, "Stimuli"): the
// currents the neuron lab and `spikelab-cli stimulate` inject, and a run of one neuron model
// under such a current that records every state variable at every step.
//
// A stimulus is a sum of parts, each a current in nA as a function of time t (ms):
//   step(amplitude, onset, duration)             amplitude while onset <= t < onset + duration
//   ramp(amplitude, onset, duration)             rises linearly from 0 at onset to amplitude at
//                                                onset + duration, then stays
//   pulses(amplitude, onset, duration, frequency, width)
//                                                pulses of `width` ms every 1000/frequency ms
//   sine(amplitude, onset, duration, frequency, phase)
//                                                amplitude sin(2 pi frequency (t - onset) / 1000
//                                                + phase), phase in degrees
//   noise(amplitude, onset, duration, tau, seed) Ornstein-Uhlenbeck noise of standard deviation
//                                                `amplitude` and correlation time `tau` ms,
//                                                exact update per step, the same for a seed
// `duration` is unbounded when not given (0 means nothing). As text (the CLI's --stimulus):
// "step(amplitude=0.5, onset=10, duration=50) + sine(amplitude=0.1, frequency=5)"; a bare
// number is a constant current ("0.2" = step(amplitude=0.2)).
#include "spikelab/params.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spikelab {

struct StimulusPart {
    enum class Kind { Step, Ramp, Pulses, Sine, Noise } kind = Kind::Step;
    double amplitude = 0.0;   // nA
    double onset = 0.0;       // ms
    double duration = -1.0;   // ms; < 0: unbounded
    double frequency = 10.0;  // Hz (pulses, sine)
    double width = 1.0;       // ms (pulses)
    double phase = 0.0;       // degrees (sine)
    double tau = 5.0;         // ms (noise)
    std::uint64_t seed = 1;   // noise
    bool operator==(const StimulusPart&) const = default;
};

struct Stimulus {
    std::vector<StimulusPart> parts;
    bool operator==(const Stimulus&) const = default;
};

// Parses the text form. Throws spikelab::Error quoting the part and naming the setting and its
// value: unknown kinds or settings, values that are not finite numbers, negative onsets,
// durations, widths or frequencies, a width longer than the period, tau not > 0, and more than
// 16 parts.
Stimulus parseStimulus(const std::string& text);
// The text form, which parseStimulus reads back to the same stimulus.
std::string formatStimulus(const Stimulus& stimulus);
// Checks a stimulus built in code as parseStimulus checks text.
void checkStimulus(const Stimulus& stimulus);

// The current at steps 0 .. steps-1 of length dt: step n takes the value at its start,
// t = n dt (noise: 0 at its onset, then one exact Ornstein-Uhlenbeck update per step).
std::vector<double> stimulusCurrents(const Stimulus& stimulus, double dt, std::int64_t steps);

struct NeuronResponseSettings {
    std::string model = "LIF";  // a built-in neuron model with code (not SpikeSource)
    ParamValues params;         // parameters that differ from the model's defaults
    ParamValues initial;        // initial state values that differ from the model's
    Stimulus stimulus;
    double dt = 0.1;            // ms
    double duration = 200.0;    // ms
};

struct NeuronResponse {
    std::vector<std::string> variables;        // the model's state variables, in table order
    std::vector<double> current;               // nA injected at each step
    std::vector<std::vector<float>> values;    // [variable][step]: after the step
    std::vector<std::int64_t> spikes;          // steps at which the neuron spiked
};

// Simulates one neuron of the model on the CPU backend, the stimulus as its external current
// (docs/architecture.md, "Simulation semantics", step 2). Throws spikelab::Error for an
// unknown model, a spike source, bad parameters, dt or duration not > 0, or more than 10^6
// steps.
NeuronResponse neuronResponse(const NeuronResponseSettings& settings);

} // namespace spikelab
