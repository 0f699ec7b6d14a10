// Training a project end to end (train_project.h): the files it writes hold exactly the
// trained-and-converted weights, its stages and progress are reported, and a cancelled run
// leaves every file of the project byte for byte as it was.
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/npy.h"
#include "spikelab/project.h"
#include "spikelab/train_project.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// 8x8 images of 10 classes: class c lights the 2x2 block at block row c/4, column c%4.
ImageDataset blocks(std::int64_t count, std::uint64_t seed, const std::string& split) {
    ImageDataset d;
    d.name = "blocks";
    d.split = split;
    d.count = count;
    d.rows = d.cols = 8;
    std::mt19937_64 rng(seed);
    for (std::int64_t i = 0; i < count; ++i) {
        const int c = int(i % 10);
        d.labels.push_back(std::uint8_t(c));
        for (int p = 0; p < 64; ++p) {
            const bool lit = (p / 8) / 2 == c / 4 && (p % 8) / 2 == c % 4;
            d.pixels.push_back(std::uint8_t(lit ? 180 + rng() % 76 : rng() % 64));
        }
    }
    return d;
}

// 64-16-10 IF chain with Glorot weights (no weight files yet), trained for 3 epochs.
NetworkSpec chainSpec() {
    NetworkSpec s;
    s.name = "blocks";
    s.populations = {population("input", 64, "IF", {{"Vthr", 5.0}}),
                     population("hidden", 16, "IF", {{"Vthr", 5.0}}),
                     population("output", 10, "IF", {{"Vthr", 5.0}})};
    WeightSpec glorot;
    glorot.type = WeightInitType::Glorot;
    s.projections = {projection("input_hidden", "input", "hidden", glorot),
                     projection("hidden_output", "hidden", "output", glorot)};
    InputSpec in;
    in.name = "pixels";
    in.target = "input";
    in.params = {{"scale", 0.01}};
    s.inputs = {in};
    s.experiment.stepsPerSample = 50;
    s.experiment.readout = "output";
    s.experiment.training.epochs = 3;
    s.experiment.training.learningRate = 0.01;
    return s;
}

// Every file in the folder with its bytes.
std::map<std::string, std::vector<std::uint8_t>> snapshot(const std::filesystem::path& dir) {
    std::map<std::string, std::vector<std::uint8_t>> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        files[entry.path().filename().string()] = readFile(entry.path().string());
    return files;
}

TrainProjectOptions quickOptions(const NetworkSpec& spec) {
    TrainProjectOptions o = trainProjectOptions(spec);
    o.ann.threads = 2;
    o.calibrationSamples = 200;
    return o;
}

} // namespace

TEST(TrainProject, OptionsComeFromTheProject) {
    NetworkSpec spec = chainSpec();
    spec.experiment.training = {7, 32, 0.005, 42};
    const TrainProjectOptions o = trainProjectOptions(spec);
    EXPECT_EQ(o.ann.epochs, 7);
    EXPECT_EQ(o.ann.batchSize, 32);
    EXPECT_EQ(o.ann.learningRate, 0.005);
    EXPECT_EQ(o.ann.seed, 42u);
}

TEST(TrainProject, WritesExactlyTheConvertedWeightsAndReportsEachStage) {
    TempDir dir;
    const std::string path = dir.file("blocks.json");
    const NetworkSpec spec = chainSpec();
    saveProject(path, spec);
    const ImageDataset train = blocks(500, 1, "train"), test = blocks(200, 2, "test");

    TrainProjectOptions o = quickOptions(spec);
    std::vector<std::string> stages;
    std::vector<AnnEpochReport> epochs;
    std::int64_t batches = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> progress;
    o.onStage = [&](const std::string& s) { stages.push_back(s); };
    o.ann.onEpoch = [&](const AnnEpochReport& e) { epochs.push_back(e); };
    o.ann.onBatch = [&](const AnnBatchReport& b) {
        ++batches;
        EXPECT_EQ(b.batchesPerEpoch, 8); // 500 images in minibatches of 64
        EXPECT_GT(b.loss, 0.0);
    };
    o.progress = [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); };
    const TrainProjectResult r = trainProject(spec, path, train, test, o);

    EXPECT_TRUE(r.saved);
    EXPECT_EQ(stages,
              (std::vector<std::string>{"training", "converting (calibrating gamma on 200 images)",
                                        "evaluating"}));
    ASSERT_EQ(epochs.size(), 3u);
    EXPECT_EQ(batches, 3 * 8);
    // Training progress counts minibatches over all epochs, then evaluation counts images.
    ASSERT_GE(progress.size(), 24u);
    EXPECT_EQ(progress[23], std::make_pair(std::int64_t(24), std::int64_t(24)));
    EXPECT_EQ(progress.back(), std::make_pair(std::int64_t(200), std::int64_t(200)));
    EXPECT_GT(r.annTestAccuracy, 0.9);
    EXPECT_EQ(r.annTestAccuracy, epochs.back().testAccuracy);
    EXPECT_EQ(r.calibrationSamples, 200);
    EXPECT_EQ(r.trials.size(), ConversionOptions{}.gammas.size());

    // The same flow by hand gives the same weights, bit for bit (the progress callbacks
    // change nothing), and the saved project evaluates to the reported SNN result.
    const FeedForwardChain chain = findFeedForwardChain(spec);
    AnnTrainOptions plain = trainProjectOptions(spec).ann;
    plain.threads = 2;
    const AnnWeights ann = trainAnn(chain.sizes, train, &test, plain);
    ConversionOptions conversion;
    conversion.threads = 2;
    conversion.calibrationSamples = 200;
    const ConversionResult converted = convertAnnToSnn(spec, chain, ann, train, conversion);
    EXPECT_EQ(r.gamma, converted.gamma);
    EXPECT_EQ(readFile(dir.file("input_hidden.npy")), encodeNpy({64, 16}, converted.layers[0]));
    EXPECT_EQ(readFile(dir.file("hidden_output.npy")), encodeNpy({16, 10}, converted.layers[1]));

    const NetworkSpec saved = loadProject(path);
    EXPECT_EQ(saved.projections[0].weights.type, WeightInitType::Npy);
    EXPECT_EQ(saved.projections[1].weights.file, "hidden_output.npy");
    EvaluationOptions eval;
    eval.threads = 2;
    const EvaluationResult again = evaluate(compileNetwork(saved, dir.path().string()), test, eval);
    EXPECT_EQ(r.snn.correct, again.correct);
    EXPECT_EQ(r.snn.spikesPerSample, again.spikesPerSample);
    EXPECT_EQ(r.snn.samples, 200);
    EXPECT_GT(r.snn.accuracy, 0.8);
}

TEST(TrainProject, CancelledBeforeSavingLeavesEveryFileAsItWas) {
    TempDir dir;
    const std::string path = dir.file("blocks.json");
    const NetworkSpec spec = chainSpec();
    saveProject(path, spec);
    writeFileAtomic(dir.file("input_hidden.npy"), std::string("not touched"));
    const auto before = snapshot(dir.path());
    const ImageDataset train = blocks(500, 1, "train"), test = blocks(200, 2, "test");

    for (const std::string stopIn : {"training", "converting"}) {
        SCOPED_TRACE(stopIn);
        TrainProjectOptions o = quickOptions(spec);
        std::string stage;
        int batches = 0;
        o.onStage = [&](const std::string& s) { stage = s; };
        o.ann.onBatch = [&](const AnnBatchReport&) { ++batches; };
        // Mid-way through the first epoch, or once the conversion has started.
        o.cancelled = [&] {
            return stopIn == "training" ? batches >= 3 : stage.rfind("converting", 0) == 0;
        };
        const TrainProjectResult r = trainProject(spec, path, train, test, o);
        EXPECT_FALSE(r.saved);
        EXPECT_EQ(r.snn.samples, 0);
        EXPECT_EQ(batches, stopIn == "training" ? 3 : 24);
        EXPECT_EQ(snapshot(dir.path()), before);
    }

    // Once saved, a cancel stops only the evaluation.
    TrainProjectOptions o = quickOptions(spec);
    std::string stage;
    o.onStage = [&](const std::string& s) { stage = s; };
    o.cancelled = [&] { return stage == "evaluating"; };
    const TrainProjectResult r = trainProject(spec, path, train, test, o);
    EXPECT_TRUE(r.saved);
    EXPECT_TRUE(r.snn.cancelled);
    EXPECT_NE(snapshot(dir.path()), before);
}

TEST(TrainProject, RefusesANetworkThatIsNotAChainBeforeTraining) {
    TempDir dir;
    NetworkSpec spec = chainSpec();
    spec.populations[1].model = "LIF";
    spec.populations[1].params.clear();
    TrainProjectOptions o = quickOptions(spec);
    int batches = 0;
    o.ann.onBatch = [&](const AnnBatchReport&) { ++batches; };
    const ImageDataset data = blocks(50, 1, "train");
    EXPECT_CONTAINS(errorOf([&] { trainProject(spec, dir.file("p.json"), data, data, o); }),
                    "population \"hidden\" is LIF; ANN conversion supports IF populations only");
    EXPECT_EQ(batches, 0);
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

// A received project must not make train overwrite files outside its folder: its weight
// file names are checked before any training, and nothing is written when they are refused.
TEST(TrainProject, WeightFilesOutsideTheProjectFolderAreRefusedBeforeTraining) {
    TempDir outer;
    std::filesystem::create_directory(outer.path() / "project");
    std::filesystem::create_directory(outer.path() / "elsewhere");
    writeFileAtomic(outer.file("victim.npy"), std::string("precious"));
    std::filesystem::create_symlink(outer.path() / "elsewhere", outer.path() / "project" / "link");
    const std::string path = (outer.path() / "project" / "p.json").string();
    const ImageDataset data = blocks(50, 1, "train");
    for (const auto& [file, why] : std::vector<std::pair<std::string, std::string>>{
             {"../victim.npy", "leads out of the project's folder with \"..\""},
             {outer.file("victim.npy"), "is an absolute path"},
             {"link/w.npy", "leads, through a symbolic link, to"}}) {
        SCOPED_TRACE(file);
        NetworkSpec spec = chainSpec();
        spec.projections[0].weights = WeightSpec{};
        spec.projections[0].weights.type = WeightInitType::Npy;
        spec.projections[0].weights.file = file;
        TrainProjectOptions o = quickOptions(spec);
        int batches = 0;
        o.ann.onBatch = [&](const AnnBatchReport&) { ++batches; };
        const auto msg = errorOf([&] { trainProject(spec, path, data, data, o); });
        EXPECT_CONTAINS(msg, "projection \"input_hidden\": the file " + quote(file) + " " + why);
        EXPECT_EQ(batches, 0);
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(readFile(outer.file("victim.npy")).data()), 8), "precious");
        EXPECT_TRUE(std::filesystem::is_empty(outer.path() / "elsewhere"));
    }
    // Inside the folder, a subfolder is fine.
    std::filesystem::create_directory(outer.path() / "project" / "weights");
    EXPECT_EQ(projectWritePath(path, "weights/w.npy", "x"), (outer.path() / "project" / "weights" / "w.npy").string());
}

// Two trains of one project at the same time would leave one layer from each run: the second
// is refused at once while the first holds the project.
TEST(TrainProject, ASecondTrainOfTheSameProjectIsRefusedWhileTheFirstRuns) {
    TempDir dir;
    const std::string path = dir.file("blocks.json");
    const NetworkSpec spec = chainSpec();
    saveProject(path, spec);
    const ImageDataset train = blocks(300, 1, "train"), test = blocks(100, 2, "test");
    TrainProjectOptions o = quickOptions(spec);
    std::string second;
    bool tried = false;
    o.ann.onBatch = [&](const AnnBatchReport&) {
        if (tried) return;
        tried = true;
        second = errorOf([&] { trainProject(spec, path, train, test, quickOptions(spec)); });
    };
    const TrainProjectResult r = trainProject(spec, path, train, test, o);
    EXPECT_TRUE(r.saved);
    EXPECT_CONTAINS(second, "another SpikeLab command (train or import) is rewriting a project in");
    // Afterwards the project is free again.
    EXPECT_NO_THROW(ProjectLock{path});
}

TEST(TrainProject, DatasetFolderIsResolvedAgainstTheProjectFile) {
    NetworkSpec spec = chainSpec();
    EXPECT_EQ(projectDatasetFolder(spec, "/p/q/x.json"), std::nullopt);
    spec.experiment.dataset.path = "data/fashion";
    EXPECT_EQ(projectDatasetFolder(spec, "/p/q/x.json"),
              std::optional<std::string>("/p/q/data/fashion"));
    EXPECT_EQ(projectDatasetFolder(spec, "x.json"), std::optional<std::string>("./data/fashion"));
    spec.experiment.dataset.path = "/srv/data";
    EXPECT_EQ(projectDatasetFolder(spec, "/p/q/x.json"), std::optional<std::string>("/srv/data"));
}
