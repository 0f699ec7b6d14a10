#pragma once
// Training a project end to end, as `spikelab-cli train` and the workbench's Train dialog do
// it: the project's feed-forward chain is trained as a ReLU ANN (ann.h), converted to the IF
// network (convert.h), the weights and the project file are written, and the SNN is evaluated
// on the test set. The saved project's provenance tells where it came from: the training data
// set, the command (TrainProjectOptions::command) and the ANN's test accuracy; once the
// evaluation has finished, the project file is written again with the SNN's test accuracy.
//
// Nothing is written before the conversion has finished: a run cancelled (or failing) while
// training or converting leaves the project's files exactly as they were. The weight files
// and the project file are each replaced atomically.
#include "spikelab/ann.h"
#include "spikelab/convert.h"
#include "spikelab/dataset.h"
#include "spikelab/experiment.h"
#include "spikelab/network.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace spikelab {

struct TrainProjectOptions {
    // Epochs, minibatch size, learning rate, seed, threads, onEpoch and onBatch. `cancelled`
    // here is replaced by TrainProjectOptions::cancelled.
    AnnTrainOptions ann;
    std::int64_t calibrationSamples = 1000; // training images the conversion simulates
    std::string backend = "cpu";            // for the final evaluation
    // "training", "converting (calibrating gamma on N images)", "evaluating".
    std::function<void(const std::string& stage)> onStage;
    // Progress within the stage: minibatches over all epochs while training, test images
    // while evaluating (converting reports none).
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    std::function<bool()> cancelled; // polled between minibatches and evaluation batches
    // How the training was started, for the provenance, e.g. "spikelab-cli train p.json
    // --epochs 15".
    std::string command = "SpikeLab train";
};

// The options the project asks for (spec.experiment.training: epochs, minibatch size,
// learning rate, seed); everything else at its default.
TrainProjectOptions trainProjectOptions(const NetworkSpec& spec);

struct TrainProjectResult {
    bool saved = false; // weights and project written; false: cancelled before that
    double annTestAccuracy = 0.0;
    std::vector<double> activationScale; // per layer, see convert.h
    double gamma = 0.0;
    std::vector<ConversionTrial> trials;
    std::int64_t calibrationSamples = 0; // images each trial simulated
    EvaluationResult snn;                // the saved SNN on the test set
    double snnSpikesPerSample = 0.0;     // all populations together
};

// Trains `spec` (saved to projectPath; weight files go beside it). Throws spikelab::Error
// when the project is not a feed-forward IF chain, the data do not fit it, or a file cannot
// be written. Cancelled after saving (while evaluating), `saved` is true, snn.cancelled
// tells that the evaluation stopped early, and the provenance has no SNN accuracy.
TrainProjectResult trainProject(const NetworkSpec& spec, const std::string& projectPath,
                                const ImageDataset& train, const ImageDataset& test,
                                const TrainProjectOptions& options);

// The folder the project names for its data set (experiment.dataset.path, resolved against
// the project file's folder), or none when it names none: the standard search path applies.
std::optional<std::string> projectDatasetFolder(const NetworkSpec& spec,
                                                const std::string& projectPath);

} // namespace spikelab
