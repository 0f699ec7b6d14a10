// spikelab-cli sweep PROJECT --param ITEM.PARAM --values SPEC: evaluates the project at each
// value of one parameter on the same samples and prints a row per value as it finishes (or
// one JSON object at the end).
#include "commands.h"

#include "common.h"
#include "spikelab/backend.h"
#include "spikelab/error.h"
#include "spikelab/project.h"
#include "spikelab/sweep.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace spikelab::cli {

int sweepCommand(const Arguments& args) {
    requireBackend(args.backend);
    ParameterSweep sweep;
    std::tie(sweep.item, sweep.param) = splitParameterName(args.param);
    sweep.values = parseSweepValues(args.values);
    const NetworkSpec spec = loadWithSettings(args);
    checkSweep(spec, sweep); // every value, before any data is loaded

    SweepOptions options;
    options.samples = args.samples;
    options.batch = args.batch;
    options.threads = args.threads;
    options.backend = args.backend;
    const auto& ds = spec.experiment.dataset;
    const std::string name = sweep.item + "." + sweep.param;
    const int width = std::max(12, int(name.size()));
    const bool hasReadout = !spec.experiment.readout.empty();
    if (!args.json)
        options.onPoint = [&](const SweepPoint& p) {
            char accuracy[16] = "-";
            if (hasReadout) std::snprintf(accuracy, sizeof accuracy, "%.2f%%", 100.0 * p.accuracy);
            std::printf("%*.10g  %9s  %14.1f  %8.3f\n", width, p.value, accuracy, p.spikesPerSample,
                        p.seconds);
            std::fflush(stdout);
        };

    const Samples data = loadSamples(spec, datasetFolder(args, spec), args.samples);
    const std::int64_t available = data.count();
    const std::string location = data.location();
    const std::int64_t samples = args.samples > 0 ? std::min(args.samples, available) : available;
    if (!args.json) {
        std::printf("project     %s\n", args.project.c_str());
        std::printf("data set    %s %s, %lld samples per value (%s)\n", ds.name.c_str(),
                    ds.split.c_str(), static_cast<long long>(samples), location.c_str());
        std::printf("sweep       %s over %zu values\n\n", name.c_str(), sweep.values.size());
        std::printf("%*s  %9s  %14s  %8s\n", width, name.c_str(), "accuracy", "spikes/sample", "s");
        std::fflush(stdout);
    }
    const std::string baseDir = projectDir(args.project);
    const SweepResult r = runSweep(spec, baseDir, sweep, data, options);
    reportBackendNotice();
    if (!args.json) return 0;

    nlohmann::ordered_json j;
    j["project"] = args.project;
    j["dataset"] = {{"name", ds.name}, {"split", ds.split}, {"location", location}};
    j["parameter"] = name;
    j["samples"] = samples;
    j["backend"] = r.backend;
    auto& points = j["points"] = nlohmann::ordered_json::array();
    for (const auto& p : r.points) {
        nlohmann::ordered_json point;
        point["value"] = p.value;
        if (r.hasReadout) {
            point["correct"] = p.correct;
            point["accuracy"] = p.accuracy;
        }
        point["spikes_per_sample"] = p.spikesPerSample;
        auto& perPopulation = point["population_spikes_per_sample"] =
            nlohmann::ordered_json::object();
        for (std::size_t k = 0; k < r.populations.size(); ++k)
            perPopulation[r.populations[k]] = p.populationSpikes[k];
        point["wall_seconds"] = p.seconds;
        points.push_back(point);
    }
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

} // namespace spikelab::cli
