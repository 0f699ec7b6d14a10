#pragma once
// A neuron model declared as data (docs/architecture.md, "The model language"): its name,
// description, parameters with units, defaults and valid ranges, named derived parameters,
// state variables with initial values, and its code (sim code, threshold condition, reset
// code) in the model language. The built-in models are declarations in engine/models/ from
// which the backends' code is generated at build time; a project may carry its own.
//
// As JSON (one object; code as one string or as an array of lines):
//   {"name": "LIF", "description": "...",
//    "parameters": [{"name": "TauM", "unit": "ms", "default": 10, "range": "positive",
//                    "meaning": "membrane time constant"}, ...],
//    "derived": [{"name": "ExpTC", "expression": "exp(-dt / TauM)"}, ...],
//    "state": [{"name": "V", "unit": "mV", "initial": -65, "meaning": "membrane potential"}],
//    "sim": ["if (RefracTime <= 0) {", "..."], "threshold": "V >= Vthresh", "reset": "V = Vreset;",
//    "voltage": "V", "threshold_parameter": "Vthresh",
//    "presets": [{"name": "regular spiking", "values": {"a": 0.02, ...}}]}
// "range" is "any" (the default), "positive", "non-negative", or given as "min"/"max" (with
// "min_exclusive"/"max_exclusive"). A spike source ("spike_source": true) has no code: it
// emits the spikes its inputs give it.
//
// A postsynaptic model (how the weights that arrive at a projection's targets become their
// input) is declared the same way, with the same parameter and derived tables and two pieces
// of code: "apply_input", which sees the buffer inSyn of weights that arrived and the target's
// input Isyn, and "decay", which sees inSyn only (docs/architecture.md, "The model language"):
//   {"name": "ExpCurr", "description": "...", "parameters": [...], "derived": [...],
//    "apply_input": "Isyn += init * inSyn;", "decay": "inSyn *= expDecay;"}
//
// A weight-update model (what a projection's synapses do with spikes; docs/architecture.md,
// "Weight-update models") has the same parameter and derived tables, three variable tables,
// the synapse variable its weights set, and six pieces of code (see lang::WeightUpdateModelCode):
//   {"name": "STDPAdditive", "description": "...", "parameters": [...], "derived": [...],
//    "synapse": [{"name": "g", "initial": 0, "meaning": "weight"}], "weight": "g",
//    "pre": [{"name": "preTrace", "initial": 0}], "post": [...],
//    "pre_spike_syn": "addToPost(g); g = fmax(wMin, g - aMinus * postTrace);",
//    "post_spike_syn": "...", "pre_spike": "preTrace += 1;", "pre_dynamics": "...",
//    "post_spike": "...", "post_dynamics": "..."}
#include "spikelab/lang.h"
#include "spikelab/params.h"

#include <string>
#include <vector>

namespace spikelab {

struct ParameterPreset {
    std::string name;
    std::string description;
    ParamValues values;  // the parameters it sets; the others keep their defaults
    bool operator==(const ParameterPreset&) const = default;
};

struct NeuronModelDeclaration {
    std::string name;
    std::string description;
    ParamTable parameters;
    std::vector<lang::DerivedParameter> derived;
    ParamTable state;  // defaultValue is the initial value
    std::string sim, threshold, reset;
    std::string voltage;             // the membrane variable the trace view shows ("" for none)
    std::string thresholdParameter;  // drawn as a line on traces ("" for none)
    bool spikeSource = false;
    std::vector<ParameterPreset> presets;

    // The model's code as the checker sees it.
    lang::NeuronModelCode code() const;
    bool operator==(const NeuronModelDeclaration&) const = default;
};

// Reads and checks one declaration (the code too). Errors name `where` and the item:
// "<where>: parameter \"TauM\": \"default\" 0 must be > 0", "<where>: sim code: line 2, col 9: ...".
NeuronModelDeclaration neuronModelFromJson(const std::string& text, const std::string& where);
// The declaration as JSON text (code as arrays of lines), which neuronModelFromJson reads back.
std::string neuronModelToJson(const NeuronModelDeclaration& model);

// Checks the declaration's code and tables against each other; returns the checked code.
// Throws spikelab::Error naming the model and the part.
lang::CheckedNeuronModel checkDeclaration(const NeuronModelDeclaration& model);

struct PostsynapticModelDeclaration {
    std::string name;
    std::string description;
    ParamTable parameters;
    std::vector<lang::DerivedParameter> derived;
    std::string applyInput, decay;

    lang::PostsynapticModelCode code() const;
    bool operator==(const PostsynapticModelDeclaration&) const = default;
};

// Reads and checks one postsynaptic model declaration, as neuronModelFromJson does: "<where>:
// postsynaptic model \"ExpCurr\": decay code: line 1, col 1: ...".
PostsynapticModelDeclaration postsynapticModelFromJson(const std::string& text, const std::string& where);
std::string postsynapticModelToJson(const PostsynapticModelDeclaration& model);
// Checks the declaration's code against its tables; returns the checked code. Throws
// spikelab::Error naming the model and the part.
lang::CheckedPostsynapticModel checkDeclaration(const PostsynapticModelDeclaration& model);

struct WeightUpdateModelDeclaration {
    std::string name;
    std::string description;
    ParamTable parameters;
    std::vector<lang::DerivedParameter> derived;
    ParamTable synapse, pre, post;  // defaultValue is the initial value
    std::string weight;
    std::string preSpikeSyn, postSpikeSyn, preSpike, preDynamics, postSpike, postDynamics;

    lang::WeightUpdateModelCode code() const;
    bool operator==(const WeightUpdateModelDeclaration&) const = default;
};

// Reads and checks one weight-update model declaration: "<where>: weight-update model
// \"STDPAdditive\": post_spike_syn code: line 1, col 1: ...".
WeightUpdateModelDeclaration weightUpdateModelFromJson(const std::string& text, const std::string& where);
std::string weightUpdateModelToJson(const WeightUpdateModelDeclaration& model);
// Checks the declaration's code against its tables; returns the checked code. Throws
// spikelab::Error naming the model and the part.
lang::CheckedWeightUpdateModel checkDeclaration(const WeightUpdateModelDeclaration& model);

} // namespace spikelab
