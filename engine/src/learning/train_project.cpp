#include "spikelab/train_project.h"

#include "spikelab/compiled.h"
#include "spikelab/convert.h"
#include "spikelab/fileio.h"
#include "spikelab/project.h"

#include <algorithm>
#include <filesystem>

namespace spikelab {

TrainProjectOptions trainProjectOptions(const NetworkSpec& spec) {
    TrainProjectOptions options;
    const TrainingSpec& t = spec.experiment.training;
    options.ann.epochs = int(t.epochs);
    options.ann.batchSize = int(t.batchSize);
    options.ann.learningRate = t.learningRate;
    options.ann.seed = t.seed;
    return options;
}

TrainProjectResult trainProject(const NetworkSpec& spec, const std::string& projectPath,
                                const ImageDataset& train, const ImageDataset& test,
                                const TrainProjectOptions& options) {
    const FeedForwardChain chain = findFeedForwardChain(spec);
    // One train (or import) at a time rewrites a project; its files are checked before the
    // training spends any time.
    const ProjectLock lock(projectPath);
    checkChainWeightFiles(spec, projectPath, chain);
    TrainProjectResult result;
    // Latched: once a stop is seen, every later check says so too.
    bool stop = false;
    auto stopped = [&] {
        if (!stop && options.cancelled && options.cancelled()) stop = true;
        return stop;
    };
    auto stage = [&](const std::string& text) {
        if (options.onStage) options.onStage(text);
    };

    AnnTrainOptions ann = options.ann;
    ann.cancelled = stopped;
    if (options.progress) {
        const int epochs = ann.epochs;
        ann.onBatch = [&options, epochs, inner = options.ann.onBatch](const AnnBatchReport& b) {
            if (inner) inner(b);
            options.progress(std::int64_t(b.epoch - 1) * b.batchesPerEpoch + b.batch,
                             std::int64_t(epochs) * b.batchesPerEpoch);
        };
    }
    stage("training");
    const AnnWeights weights = trainAnn(chain.sizes, train, &test, ann);
    if (stopped()) return result;
    result.annTestAccuracy = annAccuracy(weights, test, ann.threads);

    ConversionOptions conversion;
    conversion.threads = ann.threads;
    conversion.calibrationSamples = options.calibrationSamples;
    result.calibrationSamples = std::min(options.calibrationSamples, train.count);
    stage("converting (calibrating gamma on " + std::to_string(result.calibrationSamples) +
          " images)");
    ConversionResult converted = convertAnnToSnn(spec, chain, weights, train, conversion);
    if (stopped()) return result;
    result.activationScale = converted.activationScale;
    result.gamma = converted.gamma;
    result.trials = converted.trials;

    NetworkSpec trained = spec;
    // The weight files and the project are replaced together: never one run's weights
    // with another's project.
    FileSet files;
    storeChainWeights(trained, projectPath, chain, converted.layers, files);
    trained.provenance = {train.name + " (" + std::to_string(train.count) + " training images)",
                          options.command, result.annTestAccuracy, std::nullopt};
    validate(trained);
    files.add(projectPath, projectToJson(trained));
    files.commit();
    result.saved = true;

    stage("evaluating");
    const CompiledNetwork net = compileNetwork(trained, projectDir(projectPath));
    EvaluationOptions eval;
    eval.threads = ann.threads;
    eval.backend = options.backend;
    eval.cancelled = stopped;
    eval.progress = options.progress;
    result.snn = evaluate(net, test, eval);
    for (double s : result.snn.spikesPerSample) result.snnSpikesPerSample += s;
    if (!result.snn.cancelled) {
        trained.provenance.snnAccuracy = result.snn.accuracy;
        saveProject(projectPath, trained);
    }
    return result;
}

std::optional<std::string> projectDatasetFolder(const NetworkSpec& spec,
                                                const std::string& projectPath) {
    const std::string& path = spec.experiment.dataset.path;
    if (path.empty()) return std::nullopt;
    const std::filesystem::path p(path);
    return p.is_absolute() ? path : (std::filesystem::path(projectDir(projectPath)) / p).string();
}

} // namespace spikelab
