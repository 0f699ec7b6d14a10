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

// Parses "ITEM.PARAM=VALUE"; throws spikelab::Error quoting the text when malformed.
ParameterChange parseParameterChange(const std::string& text);

// Applies a change to `spec` after checking it (unknown item or parameter, invalid value:
// spikelab::Error naming them, and `spec` is left unchanged).
void applyParameterChange(NetworkSpec& spec, const ParameterChange& change);

} // namespace spikelab
