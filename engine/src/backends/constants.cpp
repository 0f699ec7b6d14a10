#include "constants.h"

#include <cmath>

namespace spikelab::backends {

std::vector<float> neuronConstants(const CompiledPopulation& cp, double dt) {
    switch (cp.model->kind) {
    case NeuronKind::IF: return {float(cp.param("Vthr"))};
    case NeuronKind::SpikeSource: return {};
    case NeuronKind::LIF: {
        const double tauM = cp.param("TauM");
        const double alpha = std::exp(-dt / tauM);
        return {float(alpha),           float(1.0 - alpha),          float(tauM / cp.param("C")),
                float(cp.param("Vrest")), float(cp.param("Vreset")), float(cp.param("Vthresh")),
                float(cp.param("Ioffset")), float(cp.param("TauRefrac")), float(dt)};
    }
    }
    return {};
}

ExpCurrConstants expCurrConstants(double tau, double dt) {
    return {float(tau * (1.0 - std::exp(-dt / tau)) / dt), float(std::exp(-dt / tau))};
}

} // namespace spikelab::backends
