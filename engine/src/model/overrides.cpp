#include "spikelab/overrides.h"

#include "spikelab/error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace spikelab {

ParameterChange parseParameterChange(const std::string& text) {
    const auto eq = text.find('=');
    const auto dot = text.rfind('.', eq);
    if (eq == std::string::npos || dot == std::string::npos || dot == 0 || dot + 1 == eq)
        throw Error("setting " + quote(text) + " must look like ITEM.PARAM=VALUE, e.g. hidden.Vthr=4.5");
    ParameterChange c;
    c.item = text.substr(0, dot);
    c.param = text.substr(dot + 1, eq - dot - 1);
    const std::string number = text.substr(eq + 1);
    char* end = nullptr;
    errno = 0;
    c.value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || errno == ERANGE ||
        !std::isfinite(c.value))
        throw Error("setting " + quote(text) + ": " + quote(number) + " is not a finite number");
    return c;
}

void applyParameterChange(NetworkSpec& spec, const ParameterChange& c) {
    NetworkSpec changed = spec;
    bool found = false;
    if (c.item == "experiment") {
        found = true;
        if (c.param == "dt") {
            changed.experiment.dt = c.value;
        } else if (c.param == "steps_per_sample") {
            changed.experiment.stepsPerSample =
                wholeNumber(c.value, 1, kMaxStepsPerSample, "experiment: steps_per_sample");
        } else {
            throw Error("experiment has no setting " + quote(c.param) +
                        " (known: dt, steps_per_sample)");
        }
    }
    for (auto& p : changed.populations)
        if (p.name == c.item) p.params[c.param] = c.value, found = true;
    for (auto& in : changed.inputs)
        if (in.name == c.item) in.params[c.param] = c.value, found = true;
    for (auto& j : changed.projections) {
        if (j.name != c.item) continue;
        found = true;
        if (c.param == "delay_steps") {
            j.delaySteps = wholeNumber(c.value, 0, kMaxDelaySteps,
                                       "projection " + quote(j.name) + ": delay_steps");
        } else {
            j.postsynaptic.params[c.param] = c.value;
        }
    }
    if (!found) throw Error("setting " + quote(c.item + "." + c.param) + ": no population, input or "
                            "projection is called " + quote(c.item));
    validate(changed);
    spec = std::move(changed);
}

} // namespace spikelab
