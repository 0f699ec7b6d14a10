#include "commands.h"

#include "common.h"
#include "spikelab/ann.h"
#include "spikelab/convert.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace spikelab::cli {

int trainCommand(const Arguments& args) {
    requireBackend(args.backend);
    NetworkSpec spec = loadWithSettings(args);
    const FeedForwardChain chain = findFeedForwardChain(spec);
    const auto folder = datasetFolder(args, spec);
    const auto& dsName = spec.experiment.dataset.name;
    const ImageDataset train = loadImageDataset(dsName, "train", folder, args.trainLimit);
    const ImageDataset test = loadImageDataset(dsName, "test", folder);
    const bool quiet = args.json;

    AnnTrainOptions options;
    const auto& t = spec.experiment.training;
    options.epochs = args.epochs > 0 ? args.epochs : int(t.epochs);
    options.batchSize = int(t.batchSize);
    options.learningRate = t.learningRate;
    options.seed = args.seed >= 0 ? std::uint64_t(args.seed) : t.seed;
    options.threads = args.threads;
    nlohmann::ordered_json epochs = nlohmann::ordered_json::array();
    options.onEpoch = [&](const AnnEpochReport& e) {
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
                    static_cast<unsigned long long>(options.seed), options.epochs);
    const AnnWeights ann = trainAnn(chain.sizes, train, &test, options);
    const double annTest = annAccuracy(ann, test, args.threads);

    ConversionOptions conversion;
    conversion.threads = args.threads;
    const ConversionResult converted = convertAnnToSnn(spec, chain, ann, train, conversion);
    if (!quiet) {
        std::printf("conversion: activation scales");
        for (double s : converted.activationScale) std::printf(" %.3f", s);
        std::printf("\n");
        for (const auto& trial : converted.trials)
            std::printf("  gamma %.2f: %.2f%% on %lld training images, %.0f spikes per image%s\n",
                        trial.gamma, 100.0 * trial.accuracy,
                        static_cast<long long>(std::min(conversion.calibrationSamples, train.count)),
                        trial.spikesPerSample, trial.gamma == converted.gamma ? "  <- chosen" : "");
    }
    storeChainWeights(spec, args.project, chain, converted.layers);
    saveProject(args.project, spec);

    const CompiledNetwork net = compileNetwork(spec, projectDir(args.project));
    EvaluationOptions eval;
    eval.threads = args.threads;
    eval.backend = args.backend;
    const EvaluationResult r = evaluate(net, test, eval);
    double spikes = 0.0;
    for (double s : r.spikesPerSample) spikes += s;
    if (quiet) {
        nlohmann::ordered_json j;
        j["epochs"] = epochs;
        j["ann_test_accuracy"] = annTest;
        j["gamma"] = converted.gamma;
        j["snn_test_accuracy"] = r.accuracy;
        j["snn_spikes_per_sample"] = spikes;
        std::printf("%s\n", j.dump(2).c_str());
    } else {
        std::printf("ANN test accuracy %.2f%%\n", 100.0 * annTest);
        std::printf("SNN test accuracy %.2f%% (%lld images, %.0f spikes per image, %.2f s)\n",
                    100.0 * r.accuracy, static_cast<long long>(r.samples), spikes, r.seconds);
        std::printf("weights written beside %s\n", args.project.c_str());
    }
    return 0;
}

} // namespace spikelab::cli
