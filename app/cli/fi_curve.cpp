#include "commands.h"

#include "spikelab/error.h"
#include "spikelab/fi_curve.h"
#include "spikelab/models.h"
#include "spikelab/stimulus.h"
#include "spikelab/sweep.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace spikelab::cli {

namespace {
// --set PARAM=VALUE or --initial VAR=VALUE: a parameter or state variable of the model (no
// ITEM. here: there is one neuron model).
std::pair<std::string, double> setting(const std::string& option, const std::string& text) {
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Error(option + " " + quote(text) + ": expected NAME=VALUE, e.g. " + option +
                    (option == "--set" ? " TauM=5" : " V=0"));
    const std::string name = text.substr(0, eq), value = text.substr(eq + 1);
    const std::vector<double> values = parseSweepValues(value);
    if (values.size() != 1) throw Error(option + " " + quote(text) + ": " + quote(value) + " is not one number");
    return {name, values[0]};
}

// The model's --set parameters and --initial state values.
void readSettings(const Arguments& args, ParamValues& params, ParamValues& initial) {
    for (const auto& text : args.settings) {
        const auto [name, value] = setting("--set", text);
        params[name] = value;
    }
    for (const auto& text : args.initial) {
        const auto [name, value] = setting("--initial", text);
        initial[name] = value;
    }
}
} // namespace

int fiCurveCommand(const Arguments& args) {
    FiCurveSettings settings;
    settings.model = args.model;
    readSettings(args, settings.params, settings.initial);
    settings.currents = parseSweepValues(args.currents);
    settings.dt = args.dt;
    settings.duration = args.duration;
    const bool lif = neuronModel(settings.model, "fi-curve").name == "LIF";
    if (lif) softLifRate(settings.params, 0.0, args.lambda);  // checks lambda before the run
    const std::vector<FiPoint> points = fiCurve(settings);
    const ParamValues resolved =
        resolveParams(neuronModel(settings.model, "fi-curve").params, settings.params, "fi-curve");

    if (args.json) {
        nlohmann::ordered_json out;
        out["model"] = settings.model;
        out["parameters"] = resolved;
        out["dt_ms"] = settings.dt;
        out["duration_ms"] = settings.duration;
        if (lif) out["lambda_mV"] = args.lambda;
        out["points"] = nlohmann::ordered_json::array();
        for (const FiPoint& p : points) {
            nlohmann::ordered_json row;
            row["current_nA"] = p.current;
            row["spikes"] = p.spikes;
            row["first_spike_ms"] = p.firstSpikeMs < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(p.firstSpikeMs);
            row["rate_Hz"] = p.rate;
            if (lif) {
                row["lif_rate_Hz"] = lifRate(settings.params, p.current);
                row["soft_lif_rate_Hz"] = softLifRate(settings.params, p.current, args.lambda);
            }
            out["points"].push_back(row);
        }
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }
    std::printf("# f-I curve of %s: %s ms of constant current from the initial state, dt %s ms; rate = "
                "(spikes - 1) / (last - first spike time)\n",
                settings.model.c_str(), formatNumber(settings.duration).c_str(), formatNumber(settings.dt).c_str());
    std::printf("%12s %8s %15s %12s%s\n", "current_nA", "spikes", "first_spike_ms", "rate_Hz",
                lif ? "  lif_rate_Hz  soft_lif_rate_Hz" : "");
    for (const FiPoint& p : points) {
        std::printf("%12.6g %8lld %15s %12.4f", p.current, static_cast<long long>(p.spikes),
                    p.firstSpikeMs < 0 ? "-" : formatNumber(p.firstSpikeMs).c_str(), p.rate);
        if (lif)
            std::printf(" %12.4f %17.4f", lifRate(settings.params, p.current),
                        softLifRate(settings.params, p.current, args.lambda));
        std::printf("\n");
    }
    return 0;
}

int stimulateCommand(const Arguments& args) {
    NeuronResponseSettings settings;
    settings.model = args.model;
    readSettings(args, settings.params, settings.initial);
    settings.stimulus = parseStimulus(args.stimulus);
    settings.dt = args.dt;
    settings.duration = args.duration;
    const NeuronResponse r = neuronResponse(settings);
    const ParamValues resolved =
        resolveParams(neuronModel(settings.model, "stimulate").params, settings.params, "stimulate");
    const std::size_t steps = r.current.size();
    // A step's values are the state after it: at its end, t = (n + 1) dt.
    const auto timeOf = [&](std::size_t n) { return double(n + 1) * settings.dt; };

    if (args.json) {
        nlohmann::ordered_json out;
        out["model"] = settings.model;
        out["parameters"] = resolved;
        out["stimulus"] = formatStimulus(settings.stimulus);
        out["dt_ms"] = settings.dt;
        out["duration_ms"] = settings.duration;
        out["t_ms"] = nlohmann::ordered_json::array();
        for (std::size_t n = 0; n < steps; ++n) out["t_ms"].push_back(timeOf(n));
        out["current_nA"] = r.current;
        out["state"] = nlohmann::ordered_json::object();
        for (std::size_t v = 0; v < r.variables.size(); ++v) out["state"][r.variables[v]] = r.values[v];
        out["spikes_ms"] = nlohmann::ordered_json::array();
        for (const std::int64_t step : r.spikes) out["spikes_ms"].push_back(timeOf(std::size_t(step)));
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }
    std::printf("# %s under %s, dt %s ms; each row is the state at the end of a step (t), the current\n"
                "# injected during it and whether the neuron spiked in it\n",
                settings.model.c_str(), formatStimulus(settings.stimulus).c_str(), formatNumber(settings.dt).c_str());
    std::printf("%12s %14s", "t_ms", "current_nA");
    for (const auto& name : r.variables) std::printf(" %14s", name.c_str());
    std::printf(" %6s\n", "spike");
    std::size_t nextSpike = 0;
    for (std::size_t n = 0; n < steps; ++n) {
        std::printf("%12.6g %14.7g", timeOf(n), r.current[n]);
        for (const auto& values : r.values) std::printf(" %14.7g", double(values[n]));
        const bool spiked = nextSpike < r.spikes.size() && r.spikes[nextSpike] == std::int64_t(n);
        if (spiked) ++nextSpike;
        std::printf(" %6d\n", spiked ? 1 : 0);
    }
    return 0;
}

} // namespace spikelab::cli
