// Self-contained exports (export.h): every weight inline and exact, for every connectivity;
// export -> import -> compile gives the same weights bit for bit and the same results on
// Fashion-MNIST; what cannot travel is refused by name; trained networks carry their provenance.
#include "spec_builders.h"
#include "spikelab/compiled.h"
#include "spikelab/experiment.h"
#include "spikelab/export.h"
#include "spikelab/fileio.h"
#include "spikelab/npy.h"
#include "spikelab/project.h"
#include "spikelab/train_project.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <random>

using namespace spikelab;
using namespace spikelab::test;

namespace {

const std::string kFashionProject =
    (sourceDir() / "projects/fashion-mnist-if/fashion-mnist-if.json").string();
const std::filesystem::path kFashionData = "/usr/share/datasets/fashion-mnist";

WeightSpec npyWeights(const std::string& file) {
    WeightSpec w;
    w.type = WeightInitType::Npy;
    w.file = file;
    return w;
}

// float32 values that decimal text does not hold exactly: thirds, tiny, huge, negative zero.
std::vector<float> awkwardFloats(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<float> v(n);
    for (auto& x : v) x = float(std::int32_t(rng() % 2001) - 1000) / 3.0f * 1e-3f;
    v[0] = -0.0f;
    v[1] = 1e-40f; // subnormal
    v[2] = 3.0e38f;
    return v;
}

// One projection of each connectivity reading .npy weights written into dir, and the
// boundary cases of the sidecar threshold: 4160 dense weights (a sidecar after import), 4096
// (stays inline), 5000 one-to-one (a sidecar), 4160 sparse (stays inline).
NetworkSpec everyConnectivity(const TempDir& dir) {
    NetworkSpec s;
    s.name = "shapes";
    s.populations = {population("a", 65, "IF"), population("b", 64, "IF"),
                     population("c", 64, "IF"), population("d", 5000, "IF"),
                     population("e", 5000, "IF")};
    s.populations[0].position = CanvasPosition{-40.0, 7.5};
    s.projections = {
        projection("dense", "a", "b", npyWeights("dense.npy")),
        projection("square", "b", "c", npyWeights("square.npy")),
        projection("one", "d", "e", npyWeights("sub/one.npy"), ConnectivityType::OneToOne),
        projection("sparse", "a", "c", npyWeights("sparse.npy"), ConnectivityType::Sparse),
        projection("random", "b", "b", npyWeights("random.npy"),
                   ConnectivityType::FixedProbability)};
    // Every (pre, post) pair of a x c, listed in a shuffled order, so that the listed order
    // and the sorted order of the compiled matrix differ.
    auto& sparse = s.projections[3].connectivity;
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (std::int64_t i = 0; i < 65; ++i)
        for (std::int64_t j = 0; j < 64; ++j) pairs.emplace_back(i, j);
    std::shuffle(pairs.begin(), pairs.end(), std::mt19937(5));
    for (const auto& [i, j] : pairs) sparse.pre.push_back(i), sparse.post.push_back(j);
    s.projections[4].connectivity.probability = 0.3;
    s.projections[4].connectivity.seed = 9;
    std::filesystem::create_directory(dir.path() / "sub");
    writeNpy(dir.file("dense.npy"), {65, 64}, awkwardFloats(65 * 64, 1));
    writeNpy(dir.file("square.npy"), {64, 64}, awkwardFloats(64 * 64, 2));
    writeNpy(dir.file("sub/one.npy"), {5000}, awkwardFloats(5000, 3));
    writeNpy(dir.file("sparse.npy"), {65, 64}, awkwardFloats(65 * 64, 4));
    writeNpy(dir.file("random.npy"), {64, 64}, awkwardFloats(64 * 64, 5));
    s.experiment.dataset.path = "../data";
    s.provenance = {"fashion-mnist (60000 training images)", "spikelab-cli train p.json", 0.91,
                    0.9};
    return s;
}

// Compiled synapses compared bit for bit (weights as their float32 bit patterns).
void expectSameSynapses(const CompiledNetwork& a, const CompiledNetwork& b) {
    ASSERT_EQ(a.projections.size(), b.projections.size());
    for (std::size_t p = 0; p < a.projections.size(); ++p) {
        const SynapseMatrix &x = a.projections[p].synapses, &y = b.projections[p].synapses;
        SCOPED_TRACE(a.projections[p].name);
        EXPECT_EQ(x.type, y.type);
        EXPECT_EQ(x.rowStart, y.rowStart);
        EXPECT_EQ(x.targets, y.targets);
        ASSERT_EQ(x.weights.size(), y.weights.size());
        std::size_t differing = 0;
        for (std::size_t k = 0; k < x.weights.size(); ++k)
            differing += std::bit_cast<std::uint32_t>(x.weights[k]) !=
                         std::bit_cast<std::uint32_t>(y.weights[k]);
        EXPECT_EQ(differing, 0u);
    }
}

} // namespace

TEST(Export, FashionProjectInlinesExactlyTheNpyFloats) {
    const NetworkSpec spec = loadProject(kFashionProject);
    const NetworkSpec exported =
        projectFromJson(exportSelfContained(spec, kFashionProject), "export");
    const char* files[] = {"weights_0_1.npy", "weights_1_2.npy"};
    ASSERT_EQ(exported.projections.size(), 2u);
    for (std::size_t p = 0; p < 2; ++p) {
        const NpyArray npy =
            readNpy((sourceDir() / "projects/fashion-mnist-if" / files[p]).string());
        ASSERT_EQ(npy.dtype, "<f4");
        const WeightSpec& w = exported.projections[p].weights;
        EXPECT_EQ(w.type, WeightInitType::Inline);
        EXPECT_EQ(w.values, npy.data) << files[p]; // every float32, exactly
    }
    EXPECT_EQ(exported.projections[0].weights.values.size(), 784u * 128u);
    // Everything but the weights is as it was.
    NetworkSpec rest = exported;
    for (std::size_t p = 0; p < 2; ++p) rest.projections[p].weights = spec.projections[p].weights;
    EXPECT_EQ(rest, spec);
}

TEST(Export, EveryConnectivityIsInlinedExactlyAndImportedBack) {
    TempDir source, target;
    const std::string projectPath = source.file("shapes.json");
    const NetworkSpec spec = everyConnectivity(source);
    saveProject(projectPath, spec);
    exportSelfContainedFile(spec, projectPath, target.file("shared.json"));

    // The export needs no other file: it loads and compiles from an empty folder.
    const NetworkSpec exported = loadProject(target.file("shared.json"));
    for (const auto& j : exported.projections)
        EXPECT_EQ(j.weights.type, WeightInitType::Inline) << j.name;
    EXPECT_EQ(exported.experiment.dataset.path, "") << "a relative data set path is dropped";
    EXPECT_EQ(exported.provenance, spec.provenance);
    EXPECT_EQ(exported.populations[0].position, spec.populations[0].position);
    const CompiledNetwork original = compileNetwork(spec, source.path().string());
    expectSameSynapses(original, compileNetwork(exported, target.path().string()));

    // Sparse values follow the listed synapses, not the sorted matrix.
    const NpyArray sparse = readNpy(source.file("sparse.npy"));
    const auto& sp = exported.projections[3];
    ASSERT_EQ(sp.weights.values.size(), 65u * 64u);
    for (std::size_t i = 0; i < sp.weights.values.size(); ++i)
        ASSERT_EQ(sp.weights.values[i],
                  sparse.data[std::size_t(sp.connectivity.pre[i] * 64 + sp.connectivity.post[i])])
            << "synapse " << i;

    // Import: large dense and one-to-one lists become float32 sidecars, the rest stays inline.
    const std::string imported = target.file("copy/shapes.json");
    std::filesystem::create_directory(target.path() / "copy");
    importSelfContained(target.file("shared.json"), imported);
    const NetworkSpec back = loadProject(imported);
    const auto typeOf = [&](std::size_t p) { return back.projections[p].weights.type; };
    EXPECT_EQ(typeOf(0), WeightInitType::Npy);    // 65 x 64 = 4160 values
    EXPECT_EQ(typeOf(1), WeightInitType::Inline); // 64 x 64 = 4096 values
    EXPECT_EQ(typeOf(2), WeightInitType::Npy);    // 5000 one-to-one
    EXPECT_EQ(typeOf(3), WeightInitType::Inline); // sparse: a .npy would be dense
    EXPECT_EQ(typeOf(4), WeightInitType::Inline); // fixed probability, likewise
    EXPECT_EQ(back.projections[0].weights.file, "dense.npy");
    EXPECT_EQ(back.projections[2].weights.file, "one.npy");
    EXPECT_EQ(readFile(target.file("copy/dense.npy")), readFile(source.file("dense.npy")));
    EXPECT_EQ(readFile(target.file("copy/one.npy")), readFile(source.file("sub/one.npy")));
    EXPECT_EQ(back.provenance, spec.provenance);
    expectSameSynapses(original, compileNetwork(back, target.file("copy")));
}

TEST(Export, ExportImportReproducesTheFashionProjectExactly) {
    TempDir dir;
    const NetworkSpec spec = loadProject(kFashionProject);
    exportSelfContainedFile(spec, kFashionProject, dir.file("fashion.json"));
    importSelfContained(dir.file("fashion.json"), dir.file("again.json"));
    const NetworkSpec back = loadProject(dir.file("again.json"));
    EXPECT_EQ(back.projections[0].weights.file, "input_hidden.npy");
    EXPECT_EQ(back.projections[1].weights.type, WeightInitType::Inline); // 1280 values
    EXPECT_EQ(readFile(dir.file("input_hidden.npy")),
              readFile((sourceDir() / "projects/fashion-mnist-if/weights_0_1.npy").string()));

    const CompiledNetwork original = compileNetwork(spec, projectDir(kFashionProject));
    const CompiledNetwork copy = compileNetwork(back, dir.path().string());
    expectSameSynapses(original, copy);

    if (!std::filesystem::exists(kFashionData / "t10k-images-idx3-ubyte.gz"))
        GTEST_SKIP() << "Fashion-MNIST not installed in " << kFashionData;
    const ImageDataset test = loadImageDataset("fashion-mnist", "test", kFashionData.string(), 500);
    EvaluationOptions eval;
    eval.threads = 2;
    const EvaluationResult a = evaluate(original, test, eval), b = evaluate(copy, test, eval);
    EXPECT_EQ(a.samples, 500);
    EXPECT_GT(a.accuracy, 0.8);
    EXPECT_EQ(a.correct, b.correct);
    EXPECT_EQ(a.accuracy, b.accuracy);
    EXPECT_EQ(a.confusion, b.confusion);
    EXPECT_EQ(a.spikesPerSample, b.spikesPerSample);
}

TEST(Export, KeepsAnAbsoluteDataSetPath) {
    NetworkSpec spec = loadProject(kFashionProject);
    spec.experiment.dataset.path = "/srv/datasets/fashion";
    EXPECT_EQ(projectFromJson(exportSelfContained(spec, kFashionProject), "export")
                  .experiment.dataset.path,
              "/srv/datasets/fashion");
}

TEST(Export, RefusesWhatCannotTravelNamingIt) {
    TempDir dir;
    const std::string projectPath = dir.file("p.json");
    NetworkSpec spec = everyConnectivity(dir);

    // A blocklist file has no inline form.
    NetworkSpec replay = spec;
    replay.populations.push_back(population("events", 10, "SpikeSource"));
    InputSpec in;
    in.name = "replay";
    in.type = "EventReplay";
    in.target = "events";
    in.file = "blocklist.txt";
    replay.inputs.push_back(in);
    EXPECT_CONTAINS(errorOf([&] { exportSelfContained(replay, projectPath); }),
                    "input \"replay\": its file \"blocklist.txt\" cannot travel inside a "
                    "self-contained export");

    // Missing and misshapen weight files are named with the projection.
    std::filesystem::remove(dir.file("square.npy"));
    EXPECT_CONTAINS(errorOf([&] { exportSelfContained(spec, projectPath); }), "square.npy");
    writeNpy(dir.file("square.npy"), {64, 63}, awkwardFloats(64 * 63, 2));
    EXPECT_CONTAINS(errorOf([&] { exportSelfContained(spec, projectPath); }),
                    "projection \"square\": weight file");

    // An unwritable destination is named, and nothing is left behind.
    writeNpy(dir.file("square.npy"), {64, 64}, awkwardFloats(64 * 64, 2));
    TempDir out;
    const std::string missing = out.file("no/such/folder/x.json");
    EXPECT_CONTAINS(errorOf([&] { exportSelfContainedFile(spec, projectPath, missing); }),
                    "cannot write file \"" + missing + "\"");
    EXPECT_TRUE(std::filesystem::is_empty(out.path()));

    // Import takes only self-contained files.
    saveProject(projectPath, spec);
    EXPECT_EQ(errorOf([&] { importSelfContained(projectPath, out.file("q.json")); }),
              "file \"" + projectPath +
                  "\" is not self-contained: projection \"dense\" reads its "
                  "weights from \"dense.npy\"; import reads files written by export");
    EXPECT_TRUE(std::filesystem::is_empty(out.path()));
}

TEST(Export, ImportRefusesWeightsBeyondFloat32BeforeWritingAnything) {
    TempDir dir;
    NetworkSpec spec;
    spec.populations = {population("a", 100, "IF"), population("b", 50, "IF")};
    std::vector<double> values(5000, 0.5);
    values[4321] = 1e39;
    spec.projections = {projection("big", "a", "b", inlineWeights(values))};
    saveProject(dir.file("exported.json"), spec);
    EXPECT_EQ(
        errorOf([&] { importSelfContained(dir.file("exported.json"), dir.file("new.json")); }),
        "file \"" + dir.file("exported.json") +
            "\": projection \"big\": inline weight 4321 does not fit a float32");
    EXPECT_FALSE(std::filesystem::exists(dir.file("big.npy")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("new.json")));
}

// Importing into a folder that holds another project: a sidecar never replaces a file the
// import did not make; it takes a free name. A failed import leaves no file behind.
TEST(Export, ImportNeverOverwritesAnotherProjectsFiles) {
    TempDir dir;
    NetworkSpec spec;
    spec.populations = {population("a", 100, "IF"), population("b", 50, "IF")};
    spec.projections = {projection("big", "a", "b", inlineWeights(std::vector<double>(5000, 0.5)))};
    saveProject(dir.file("exported.json"), spec);
    writeFileAtomic(dir.file("big.npy"), std::string("another project's weights"));
    writeFileAtomic(dir.file("big-2.npy"), std::string("and more"));
    importSelfContained(dir.file("exported.json"), dir.file("new.json"));
    EXPECT_EQ(readFile(dir.file("big.npy")).size(), 25u);
    EXPECT_EQ(readFile(dir.file("big-2.npy")).size(), 8u);
    const NetworkSpec back = loadProject(dir.file("new.json"));
    EXPECT_EQ(back.projections[0].weights.file, "big-3.npy");
    EXPECT_EQ(readNpy(dir.file("big-3.npy")).data.size(), 5000u);
    // Writing fails half-way (the project file's name is a folder): nothing new remains.
    std::filesystem::create_directory(dir.path() / "taken.json");
    const auto before = std::distance(std::filesystem::directory_iterator(dir.path()), {});
    EXPECT_CONTAINS(errorOf([&] { importSelfContained(dir.file("exported.json"), dir.file("taken.json")); }),
                    "it is a folder");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), before);
    EXPECT_FALSE(std::filesystem::exists(dir.file("big-4.npy")));
}

namespace {
// 8x8 images of 4 classes: class c lights row block c (with seeded noise).
ImageDataset rowBlocks(std::int64_t count, std::uint64_t seed) {
    ImageDataset d;
    d.name = "blocks";
    d.count = count;
    d.rows = d.cols = 8;
    d.numClasses = 4;
    std::mt19937_64 rng(seed);
    for (std::int64_t i = 0; i < count; ++i) {
        d.labels.push_back(std::uint8_t(i % 4));
        for (int p = 0; p < 64; ++p)
            d.pixels.push_back(std::uint8_t(p / 16 == i % 4 ? 180 + rng() % 76 : rng() % 64));
    }
    return d;
}
} // namespace

TEST(Export, TrainedProjectCarriesItsProvenanceThroughExportAndImport) {
    TempDir dir;
    NetworkSpec spec;
    spec.populations = {population("input", 64, "IF"), population("hidden", 16, "IF"),
                        population("output", 4, "IF")};
    WeightSpec glorot;
    glorot.type = WeightInitType::Glorot;
    spec.projections = {projection("input_hidden", "input", "hidden", glorot),
                        projection("hidden_output", "hidden", "output", glorot)};
    InputSpec in;
    in.name = "pixels";
    in.target = "input";
    in.params = {{"scale", 0.01}};
    spec.inputs = {in};
    spec.experiment.stepsPerSample = 50;
    spec.experiment.readout = "output";
    spec.experiment.training.epochs = 2;
    spec.experiment.training.learningRate = 0.01;
    const std::string path = dir.file("blocks.json");
    const ImageDataset train = rowBlocks(300, 1), test = rowBlocks(100, 2);

    TrainProjectOptions o = trainProjectOptions(spec);
    o.ann.threads = 2;
    o.calibrationSamples = 100;
    o.command = "spikelab-cli train blocks.json --epochs 2";
    const TrainProjectResult r = trainProject(spec, path, train, test, o);
    ASSERT_TRUE(r.saved);
    const ProvenanceSpec p = loadProject(path).provenance;
    EXPECT_EQ(p.dataset, "blocks (300 training images)");
    EXPECT_EQ(p.command, "spikelab-cli train blocks.json --epochs 2");
    EXPECT_EQ(p.annAccuracy, r.annTestAccuracy);
    EXPECT_EQ(p.snnAccuracy, r.snn.accuracy);
    EXPECT_GT(r.snn.accuracy, 0.5);

    exportSelfContainedFile(loadProject(path), path, dir.file("shared.json"));
    importSelfContained(dir.file("shared.json"), dir.file("again.json"));
    EXPECT_EQ(loadProject(dir.file("shared.json")).provenance, p);
    EXPECT_EQ(loadProject(dir.file("again.json")).provenance, p);

    // Cancelled while evaluating: saved with the ANN's accuracy but none for the SNN.
    o = trainProjectOptions(spec);
    o.ann.threads = 2;
    o.calibrationSamples = 100;
    std::string stage;
    o.onStage = [&](const std::string& s) { stage = s; };
    o.cancelled = [&] { return stage == "evaluating"; };
    const TrainProjectResult cancelled = trainProject(spec, path, train, test, o);
    ASSERT_TRUE(cancelled.saved && cancelled.snn.cancelled);
    const ProvenanceSpec partial = loadProject(path).provenance;
    EXPECT_EQ(partial.command, "SpikeLab train");
    EXPECT_EQ(partial.annAccuracy, cancelled.annTestAccuracy);
    EXPECT_EQ(partial.snnAccuracy, std::nullopt);
}
