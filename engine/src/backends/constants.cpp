#include "constants.h"

#include "spikelab/lang.h"

#include <cmath>

namespace spikelab::backends {

std::vector<float> neuronConstants(const CompiledPopulation& cp, double dt) {
    std::vector<float> constants;
    if (!cp.model->code) return constants;
    for (double p : cp.params) constants.push_back(float(p));
    for (double d : lang::derivedValues(*cp.model->code, cp.params, dt)) constants.push_back(float(d));
    return constants;
}

ExpCurrConstants expCurrConstants(double tau, double dt) {
    return {float(tau * (1.0 - std::exp(-dt / tau)) / dt), float(std::exp(-dt / tau))};
}

} // namespace spikelab::backends
