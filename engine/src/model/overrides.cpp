#include "spikelab/overrides.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

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

namespace {
const ParamInfo& row(const ParamTable& table, const std::string& param, const std::string& what) {
    if (const ParamInfo* info = findParam(table, param)) return *info;
    std::string known;
    for (const auto& p : table) known += (known.empty() ? "" : ", ") + p.name;
    throw Error(what + ": unknown parameter " + quote(param) + " (known: " + (known.empty() ? "none" : known) + ")");
}

double given(const ParamValues& values, const ParamInfo& info) {
    const auto it = values.find(info.name);
    return it != values.end() ? it->second : info.defaultValue;
}
} // namespace

ParameterAddress addressOf(const NetworkSpec& spec, const std::string& item, const std::string& param) {
    if (item == "experiment") {
        if (param != "dt" && param != "steps_per_sample")
            throw Error("experiment has no setting " + quote(param) + " (known: dt, steps_per_sample)");
        return {ParameterKind::Experiment, 0, nullptr};
    }
    for (std::size_t i = 0; i < spec.populations.size(); ++i) {
        const auto& p = spec.populations[i];
        if (p.name != item) continue;
        const std::string what = "population " + quote(item);
        return {ParameterKind::Neuron, i, &row(neuronModel(spec, p.model, what).params, param, what)};
    }
    for (std::size_t i = 0; i < spec.inputs.size(); ++i) {
        const auto& in = spec.inputs[i];
        if (in.name != item) continue;
        const std::string what = "input " + quote(item);
        return {ParameterKind::Encoder, i, &row(encoder(in.type, what).params, param, what)};
    }
    for (std::size_t i = 0; i < spec.projections.size(); ++i) {
        const auto& j = spec.projections[i];
        if (j.name != item) continue;
        if (param == "delay_steps") return {ParameterKind::Delay, i, nullptr};
        const std::string what = "projection " + quote(item);
        return {ParameterKind::Postsynaptic, i,
                &row(postsynapticModel(j.postsynaptic.model, what).params, param, what)};
    }
    throw Error("setting " + quote(item + "." + param) + ": no population, input or projection is called " +
                quote(item));
}

double parameterValue(const NetworkSpec& spec, const std::string& item, const std::string& param) {
    const ParameterAddress a = addressOf(spec, item, param);
    switch (a.kind) {
    case ParameterKind::Neuron: return given(spec.populations[a.index].params, *a.info);
    case ParameterKind::Encoder: return given(spec.inputs[a.index].params, *a.info);
    case ParameterKind::Postsynaptic: return given(spec.projections[a.index].postsynaptic.params, *a.info);
    case ParameterKind::Delay: return double(spec.projections[a.index].delaySteps);
    case ParameterKind::Experiment:
        return param == "dt" ? spec.experiment.dt : double(spec.experiment.stepsPerSample);
    }
    throw InternalError("parameterValue: unknown parameter kind");
}

void applyParameterChange(NetworkSpec& spec, const ParameterChange& c) {
    NetworkSpec changed = spec;
    const ParameterAddress a = addressOf(changed, c.item, c.param);
    switch (a.kind) {
    case ParameterKind::Neuron: changed.populations[a.index].params[c.param] = c.value; break;
    case ParameterKind::Encoder: changed.inputs[a.index].params[c.param] = c.value; break;
    case ParameterKind::Postsynaptic: changed.projections[a.index].postsynaptic.params[c.param] = c.value; break;
    case ParameterKind::Delay:
        changed.projections[a.index].delaySteps =
            wholeNumber(c.value, 0, kMaxDelaySteps, "projection " + quote(c.item) + ": delay_steps");
        break;
    case ParameterKind::Experiment:
        if (c.param == "dt")
            changed.experiment.dt = c.value;
        else
            changed.experiment.stepsPerSample =
                wholeNumber(c.value, 1, kMaxStepsPerSample, "experiment: steps_per_sample");
        break;
    }
    validate(changed);
    spec = std::move(changed);
}

} // namespace spikelab
