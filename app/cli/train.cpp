#include "commands.h"

#include "common.h"
#include "spikelab/error.h"
#include "spikelab/train_project.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace spikelab::cli {

namespace {
// The command line as typed (less --json), for the trained project's provenance.
std::string commandLine(const Arguments& args) {
    const auto word = [](const std::string& text) {
        const bool plain = !text.empty() && text.find_first_not_of(
                                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                "0123456789_-+=.,:/") == std::string::npos;
        if (plain) return " " + text;
        std::string quoted = " '";
        for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return quoted + "'";
    };
    std::string line = "spikelab-cli train" + word(args.project);
    if (args.epochs > 0) line += " --epochs" + word(std::to_string(args.epochs));
    if (args.seed >= 0) line += " --seed" + word(std::to_string(args.seed));
    if (args.trainLimit > 0) line += " --train-samples" + word(std::to_string(args.trainLimit));
    if (!args.dataDir.empty()) line += " --data" + word(args.dataDir);
    if (args.threads > 0) line += " --threads" + word(std::to_string(args.threads));
    if (args.backend != "cpu") line += " --backend" + word(args.backend);
    for (const auto& setting : args.settings) line += " --set" + word(setting);
    return line;
}
} // namespace

int trainCommand(const Arguments& args) {
    requireBackend(args.backend);
    const NetworkSpec spec = loadWithSettings(args);
    findFeedForwardChain(spec); // refuse a project that cannot be trained before loading data
    const auto folder = datasetFolder(args, spec);
    const auto& dsName = spec.experiment.dataset.name;
    const ImageDataset train = loadImageDataset(dsName, "train", folder, args.trainLimit);
    const ImageDataset test = loadImageDataset(dsName, "test", folder);
    const bool quiet = args.json;

    TrainProjectOptions options = trainProjectOptions(spec);
    if (args.epochs > 0) options.ann.epochs = args.epochs;
    if (args.seed >= 0) options.ann.seed = std::uint64_t(args.seed);
    options.ann.threads = args.threads;
    options.backend = args.backend;
    options.command = commandLine(args);
    nlohmann::ordered_json epochs = nlohmann::ordered_json::array();
    options.ann.onEpoch = [&](const AnnEpochReport& e) {
        epochs.push_back({{"epoch", e.epoch},
                          {"loss", e.loss},
                          {"train_accuracy", e.trainAccuracy},
                          {"test_accuracy", e.testAccuracy},
                          {"seconds", e.seconds}});
        if (!quiet)
            std::printf("epoch %3d  loss %.4f  train %.2f%%  ANN test %.2f%%  (%.1f s)\n", e.epoch,
                        e.loss, 100.0 * e.trainAccuracy, 100.0 * e.testAccuracy, e.seconds);
        std::fflush(stdout);
    };
    if (!quiet)
        std::printf("training %s on %s train (%lld images), seed %llu, %d epochs\n",
                    args.project.c_str(), dsName.c_str(), static_cast<long long>(train.count),
                    static_cast<unsigned long long>(options.ann.seed), options.ann.epochs);
    const TrainProjectResult r = trainProject(spec, args.project, train, test, options);
    reportBackendNotice();

    if (quiet) {
        nlohmann::ordered_json j;
        j["epochs"] = epochs;
        j["ann_test_accuracy"] = r.annTestAccuracy;
        j["gamma"] = r.gamma;
        j["snn_test_accuracy"] = r.snn.accuracy;
        j["snn_spikes_per_sample"] = r.snnSpikesPerSample;
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("conversion: activation scales");
    for (double s : r.activationScale) std::printf(" %.3f", s);
    std::printf("\n");
    for (const auto& trial : r.trials)
        std::printf("  gamma %.2f: %.2f%% on %lld training images, %.0f spikes per image%s\n",
                    trial.gamma, 100.0 * trial.accuracy,
                    static_cast<long long>(r.calibrationSamples), trial.spikesPerSample,
                    trial.gamma == r.gamma ? "  <- chosen" : "");
    std::printf("ANN test accuracy %.2f%%\n", 100.0 * r.annTestAccuracy);
    std::printf("SNN test accuracy %.2f%% (%lld images, %.0f spikes per image, %.2f s)\n",
                100.0 * r.snn.accuracy, static_cast<long long>(r.snn.samples), r.snnSpikesPerSample,
                r.snn.seconds);
    std::printf("weights written beside %s\n", args.project.c_str());
    return 0;
}

} // namespace spikelab::cli
