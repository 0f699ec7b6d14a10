#include "spikelab/fi_curve.h"

#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/network.h"

#include <cmath>

namespace spikelab {

namespace {

constexpr std::int64_t kMaxPoints = 10000;
constexpr std::int64_t kMaxSteps = 10000000;       // 100 s at dt = 0.01 ms
constexpr std::int64_t kMaxNeuronSteps = 1000000000;
constexpr std::int64_t kChunk = 1000;  // steps between reads of the spike log

// The time from a reset to the threshold (ms) for the drive above threshold `above` (mV).
double timeToThreshold(const ParamValues& lif, double above) {
    const double span = lif.at("Vthresh") - lif.at("Vreset");
    return lif.at("TauM") * std::log1p(span / above);
}

// Rm (I + Ioffset) + Vrest - Vthresh: how far above the threshold V would settle.
double driveAboveThreshold(const ParamValues& lif, double current) {
    const double rm = lif.at("TauM") / lif.at("C");
    return rm * (current + lif.at("Ioffset")) + lif.at("Vrest") - lif.at("Vthresh");
}

ParamValues lifParameters(const ParamValues& given) {
    return resolveParams(neuronModel("LIF", "f-I curve").params, given, "the LIF rate");
}

} // namespace

std::vector<FiPoint> fiCurve(const FiCurveSettings& settings) {
    const NeuronModelInfo& model = neuronModel(settings.model, "f-I curve");
    if (model.spikeSource)
        throw Error("f-I curve: model " + quote(model.name) + " is a spike source; it has no current to respond to");
    if (settings.currents.empty()) throw Error("f-I curve: no currents given");
    if (std::int64_t(settings.currents.size()) > kMaxPoints)
        throw Error("f-I curve: " + std::to_string(settings.currents.size()) + " currents; at most " +
                    std::to_string(kMaxPoints));
    for (const double current : settings.currents)
        if (!std::isfinite(current)) throw Error("f-I curve: current " + formatNumber(current) + " is not a number");
    if (!(settings.dt > 0) || !std::isfinite(settings.dt))
        throw Error("f-I curve: dt " + formatNumber(settings.dt) + " ms must be > 0");
    if (!(settings.duration > 0) || !std::isfinite(settings.duration))
        throw Error("f-I curve: duration " + formatNumber(settings.duration) + " ms must be > 0");
    const double stepsExact = std::ceil(settings.duration / settings.dt - 1e-9);
    if (stepsExact > double(kMaxSteps))
        throw Error("f-I curve: " + formatNumber(settings.duration) + " ms at dt " + formatNumber(settings.dt) +
                    " ms is more than " + std::to_string(kMaxSteps) + " steps");
    const std::int64_t steps = std::int64_t(stepsExact);
    const std::int64_t points = std::int64_t(settings.currents.size());
    if (steps * points > kMaxNeuronSteps)
        throw Error("f-I curve: " + std::to_string(points) + " currents x " + std::to_string(steps) +
                    " steps is more than " + std::to_string(kMaxNeuronSteps) + " neuron updates");

    NetworkSpec spec;
    spec.name = "f-I curve";
    spec.experiment.dt = settings.dt;
    PopulationSpec population;
    population.name = model.name;
    population.size = points;
    population.model = model.name;
    population.params = settings.params;
    population.initial = settings.initial;
    population.record.spikes = true;
    spec.populations = {population};
    BackendOptions options;
    options.threads = 1;
    options.spikeCapacity = std::size_t(kChunk * points);  // one spike per neuron and step at most
    const auto backend = createBackend("cpu", compileNetwork(spec, "."), options);
    std::vector<float> input(settings.currents.begin(), settings.currents.end());
    backend->setInputCurrent(0, 0, input);

    std::vector<FiPoint> out(settings.currents.size());
    std::vector<std::int64_t> first(out.size(), -1), last(out.size(), -1);
    for (std::size_t i = 0; i < out.size(); ++i) out[i].current = settings.currents[i];
    for (std::int64_t done = 0; done < steps; done += kChunk) {
        backend->advance(std::min(kChunk, steps - done));
        for (const SpikeEvent& e : backend->spikes(0, 0).all()) {
            FiPoint& p = out[e.neuron];
            ++p.spikes;
            if (first[e.neuron] < 0) first[e.neuron] = e.step;
            last[e.neuron] = e.step;
        }
        backend->clearRecordings();
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        FiPoint& p = out[i];
        if (first[i] >= 0) p.firstSpikeMs = double(first[i] + 1) * settings.dt;
        if (p.spikes >= 2) p.rate = 1000.0 * double(p.spikes - 1) / (double(last[i] - first[i]) * settings.dt);
    }
    return out;
}

double lifRate(const ParamValues& given, double current) {
    const ParamValues lif = lifParameters(given);
    const double above = driveAboveThreshold(lif, current);
    if (!(above > 0)) return 0.0;
    return 1000.0 / (lif.at("TauRefrac") + timeToThreshold(lif, above));
}

double softLifRate(const ParamValues& given, double current, double lambda) {
    if (!(lambda > 0) || !std::isfinite(lambda))
        throw Error("the soft LIF rate: lambda " + formatNumber(lambda) + " must be > 0");
    const ParamValues lif = lifParameters(given);
    const double x = driveAboveThreshold(lif, current) / lambda;
    // lambda ln(1 + e^x), without overflow for large x
    const double soft = lambda * (x > 30 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)));
    if (!(soft > 0)) return 0.0;
    return 1000.0 / (lif.at("TauRefrac") + timeToThreshold(lif, soft));
}

} // namespace spikelab
