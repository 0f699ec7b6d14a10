#include "commands.h"

#include "common.h"
#include "spikelab/compiled.h"
#include "spikelab/dataset_fit.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/overrides.h"
#include "spikelab/project.h"
#include "spikelab/samples.h"
#include "spikelab/train_project.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace spikelab::cli {

std::optional<std::string> datasetFolder(const Arguments& args, const NetworkSpec& spec) {
    if (!args.dataDir.empty()) return args.dataDir;
    return projectDatasetFolder(spec, args.project);
}

void reportBackendNotice() {
    const std::string notice = backendNotice();
    if (!notice.empty()) std::fprintf(stderr, "spikelab-cli: %s\n", notice.c_str());
}

NetworkSpec loadWithSettings(const Arguments& args) {
    NetworkSpec spec = loadProject(args.project);
    for (const auto& s : args.settings) applyParameterChange(spec, parseParameterChange(s));
    return spec;
}

int runCommand(const Arguments& args) {
    requireBackend(args.backend);
    const NetworkSpec spec = loadWithSettings(args);
    const CompiledNetwork net = compileNetwork(spec, projectDir(args.project));
    const auto& ds = spec.experiment.dataset;
    const Samples samples = loadSamples(spec, datasetFolder(args, spec), args.samples);
    const std::unique_ptr<SampleSource> data = sampleSource(samples, net);
    const std::string location = samples.location();

    EvaluationOptions options;
    options.samples = args.samples;
    options.batch = args.batch;
    options.threads = args.threads;
    options.backend = args.backend;
    const EvaluationResult r = evaluate(net, *data, options);
    reportBackendNotice();

    if (args.json) {
        nlohmann::ordered_json j;
        j["project"] = args.project;
        j["dataset"] = {{"name", ds.name}, {"split", ds.split}, {"location", location}};
        j["samples"] = r.samples;
        if (r.hasReadout) {
            j["correct"] = r.correct;
            j["accuracy"] = r.accuracy;
        }
        j["spikes_per_sample"] = nlohmann::ordered_json::object();
        for (std::size_t p = 0; p < r.populations.size(); ++p)
            j["spikes_per_sample"][r.populations[p]] = r.spikesPerSample[p];
        if (r.hasReadout) {
            auto& confusion = j["confusion"] =
                nlohmann::ordered_json::array(); // [label][prediction]
            for (int label = 0; label < r.numClasses; ++label)
                confusion.push_back(
                    std::vector<std::int64_t>(r.confusion.begin() + label * r.numClasses,
                                              r.confusion.begin() + (label + 1) * r.numClasses));
        }
        j["steps_per_sample"] = r.stepsPerSample;
        j["dt_ms"] = spec.experiment.dt;
        j["backend"] = r.backend;
        j["threads"] = r.threads;
        j["batch"] = r.batch;
        j["wall_seconds"] = r.seconds;
        j["samples_per_second"] = r.seconds > 0 ? double(r.samples) / r.seconds : 0.0;
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("project     %s\n", args.project.c_str());
    std::printf("data set    %s %s, %lld samples (%s)\n", ds.name.c_str(), ds.split.c_str(),
                static_cast<long long>(r.samples), location.c_str());
    std::printf("backend     %s, %d threads, batch %d, %lld steps of %g ms per sample\n",
                r.backend.c_str(), r.threads, r.batch, static_cast<long long>(r.stepsPerSample),
                spec.experiment.dt);
    if (r.hasReadout)
        std::printf("accuracy    %.2f%% (%lld / %lld)\n", 100.0 * r.accuracy,
                    static_cast<long long>(r.correct), static_cast<long long>(r.samples));
    else
        std::printf("accuracy    - (the project has no readout population)\n");
    std::printf("spikes per sample\n");
    for (std::size_t p = 0; p < r.populations.size(); ++p)
        std::printf("  %-12s %10.1f\n", r.populations[p].c_str(), r.spikesPerSample[p]);
    std::printf("wall time   %.3f s (%.0f samples/s)\n", r.seconds,
                r.seconds > 0 ? double(r.samples) / r.seconds : 0.0);
    return 0;
}

int validateCommand(const Arguments& args) {
    const NetworkSpec spec = loadWithSettings(args);
    const CompiledNetwork net = compileNetwork(spec, projectDir(args.project));
    // The sizes `run` would refuse once the data is loaded, known from the data set's name.
    const DatasetShape shape = datasetShape(spec.experiment.dataset, datasetFolder(args, spec));
    try {
        checkFitsDataset(spec, shape, projectDir(args.project));
    } catch (const Error& e) {
        throw Error(quote(args.project) + " does not fit its data set: " + e.what());
    }
    std::printf("%s: ok: %zu populations (%lld neurons), %zu projections (%lld synapses), "
                "%zu inputs\n",
                args.project.c_str(), net.populations.size(),
                static_cast<long long>(net.neuronCount()), net.projections.size(),
                static_cast<long long>(net.synapseCount()), net.inputs.size());
    return 0;
}

} // namespace spikelab::cli
