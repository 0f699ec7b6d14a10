#include "constants.h"

#include "spikelab/lang.h"

namespace spikelab::backends {

std::vector<float> neuronConstants(const CompiledPopulation& cp, double dt) {
    std::vector<float> constants;
    if (!cp.model->code) return constants;
    for (double p : cp.params) constants.push_back(float(p));
    for (double d : lang::derivedValues(*cp.model->code, cp.params, dt)) constants.push_back(float(d));
    return constants;
}

std::vector<float> postsynapticConstants(const CompiledProjection& cj, double dt) {
    std::vector<float> constants;
    for (double p : cj.postsynapticParams) constants.push_back(float(p));
    for (double d : lang::derivedValues(*cj.postsynaptic->code, cj.postsynapticParams, dt))
        constants.push_back(float(d));
    return constants;
}

} // namespace spikelab::backends
