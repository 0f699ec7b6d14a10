#pragma once
// Named parameter changes such as "hidden.Vthr=4.5" (the CLI's --set, the GUI's sliders).
// The item is a population (neuron parameter), an input (encoder parameter), a projection
// (postsynaptic parameter, or "delay_steps"), or "experiment" (dt, steps_per_sample).
#include "spikelab/network.h"

#include <string>

namespace spikelab {

struct ParameterChange {
    std::string item, param;
    double value = 0.0;
};

// What ITEM.PARAM names: the one place that decides how names are addressed, used by the CLI's
// --set and sweeps, the workbench's sliders, undo and the running simulation's patches.
enum class ParameterKind {
    Neuron,        // a neuron parameter of population `index` (its model's table)
    Encoder,       // an encoder parameter of input `index`
    Postsynaptic,  // a postsynaptic parameter of projection `index`
    Delay,         // projection `index`'s delay_steps
    Experiment,    // experiment.dt or experiment.steps_per_sample
};
struct ParameterAddress {
    ParameterKind kind = ParameterKind::Experiment;
    std::size_t index = 0;          // the population, input or projection
    const ParamInfo* info = nullptr;  // the parameter's table row; null for Delay and Experiment
};
// Throws spikelab::Error naming the unknown item or parameter and listing the known ones.
ParameterAddress addressOf(const NetworkSpec& spec, const std::string& item, const std::string& param);
// The value `item.param` has in `spec`: the one given, else the table's default.
double parameterValue(const NetworkSpec& spec, const std::string& item, const std::string& param);

// Parses "ITEM.PARAM=VALUE"; throws spikelab::Error quoting the text when malformed.
ParameterChange parseParameterChange(const std::string& text);

// Applies a change to `spec` after checking it (unknown item or parameter, invalid value:
// spikelab::Error naming them, and `spec` is left unchanged).
void applyParameterChange(NetworkSpec& spec, const ParameterChange& change);

} // namespace spikelab
