// Fitting a network to its data set's shape without the data (spikelab/dataset_fit.h): the
// known shapes, every kind of mismatch with the item it blames, and the same words as the
// checks that run with the data loaded.
#include "spec_builders.h"
#include "spikelab/dataset_fit.h"
#include "spikelab/experiment.h"
#include "spikelab/fileio.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// input -> "pixels" (SpikeSource or IF) -> "out" (IF, the readout).
NetworkSpec imageNetwork(const std::string& dataset, const std::string& type, std::int64_t inputs,
                         std::int64_t classes) {
    NetworkSpec spec;
    spec.experiment.dataset.name = dataset;
    const bool spikes = type != "CurrentInjection";
    spec.populations = {population("pixels", inputs, spikes ? "SpikeSource" : "IF"),
                        population("out", classes, "IF")};
    spec.projections = {projection("pixels_out", "pixels", "out", constantWeight(0.1))};
    InputSpec in;
    in.name = "image";
    in.type = type;
    in.target = "pixels";
    spec.inputs = {in};
    spec.experiment.readout = "out";
    validate(spec);
    return spec;
}

ImageDataset emptyImages(const std::string& name, int rows, int cols) {
    ImageDataset data;
    data.name = name;
    data.rows = rows;
    data.cols = cols;
    return data;
}

} // namespace

TEST(DatasetFit, KnownShapesNeedNoData) {
    DatasetRef ref;
    for (const char* name : {"mnist", "fashion-mnist"}) {
        ref.name = name;
        const DatasetShape s = datasetShape(ref, std::nullopt);
        EXPECT_FALSE(s.events);
        EXPECT_EQ(s.inputs, 784);
        EXPECT_EQ(s.numClasses, 10);
    }
    ref.name = "nmnist";
    const DatasetShape s = datasetShape(ref, std::nullopt);
    EXPECT_TRUE(s.events);
    EXPECT_EQ(s.inputs, 2312);
    ref.name = "cifar";
    EXPECT_EQ(errorOf([&] { datasetShape(ref, std::nullopt); }),
              "experiment: data set \"cifar\" is unknown (expected \"mnist\", \"fashion-mnist\", "
              "or \"nmnist\")");
}

TEST(DatasetFit, AnExplicitFolderGivesItsImageSizeFromTheHeader) {
    TempDir dir;
    // An 8x8 test split of two images; only the header is looked at.
    std::vector<std::uint8_t> idx = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 8};
    idx.resize(16 + 2 * 64, 7);
    writeFileAtomic(dir.file("t10k-images-idx3-ubyte.gz"), gzipBytes(idx));
    DatasetRef ref;
    EXPECT_EQ(datasetShape(ref, dir.path().string()).inputs, 64);
    TempDir empty;
    EXPECT_EQ(datasetShape(ref, empty.path().string()).inputs, 784)
        << "nothing there: the known size";
    idx[3] = 1;
    writeFileAtomic(dir.file("t10k-images-idx3-ubyte.gz"), gzipBytes(idx));
    EXPECT_NE(errorOf([&] {
                  datasetShape(ref, dir.path().string());
              }).find("t10k-images-idx3-ubyte.gz\": not an IDX file of 3-D unsigned-byte images"),
              std::string::npos);
}

TEST(DatasetFit, AFittingNetworkHasNoMismatch) {
    for (const char* type : {"CurrentInjection", "PoissonRate", "LatencyCoding"}) {
        const NetworkSpec spec = imageNetwork("fashion-mnist", type, 784, 10);
        const auto shape = datasetShape(spec.experiment.dataset, std::nullopt);
        EXPECT_TRUE(datasetMismatches(spec, shape, ".").empty()) << type;
        EXPECT_NO_THROW(checkFitsDataset(spec, shape, "."));
    }
}

TEST(DatasetFit, WrongSizesBlameThePopulationInTheLoadedChecksWords) {
    const NetworkSpec spec = imageNetwork("mnist", "CurrentInjection", 100, 4);
    const auto found =
        datasetMismatches(spec, datasetShape(spec.experiment.dataset, std::nullopt), ".");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].item, "pixels");
    EXPECT_EQ(
        found[0].message,
        "input \"image\": population \"pixels\" has 100 neurons but mnist images have 784 pixels");
    EXPECT_EQ(found[1].item, "out");
    EXPECT_EQ(found[1].message,
              "experiment: readout population \"out\" has 4 neurons but mnist has 10 classes");
    // The check that runs with the images loaded says the same.
    const CompiledNetwork net = compileNetwork(spec, ".");
    EXPECT_EQ(errorOf([&] { checkNetworkFitsDataset(net, emptyImages("mnist", 28, 28)); }),
              found[0].message);
    NetworkSpec fixed = spec;
    fixed.populations[0].size = 784;
    EXPECT_EQ(errorOf([&] {
                  checkFitsDataset(fixed, datasetShape(fixed.experiment.dataset, std::nullopt),
                                   ".");
              }),
              found[1].message);
    EXPECT_EQ(errorOf([&] {
                  checkNetworkFitsDataset(compileNetwork(fixed, "."), emptyImages("mnist", 28, 28));
              }),
              found[1].message);
}

TEST(DatasetFit, InputTypesMustSuitTheKindOfData) {
    NetworkSpec spec = imageNetwork("nmnist", "PoissonRate", 2312, 10);
    auto found = datasetMismatches(spec, datasetShape(spec.experiment.dataset, std::nullopt), ".");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].item, "image");
    EXPECT_EQ(found[0].message,
              "input \"image\" is PoissonRate, which encodes images; nmnist holds "
              "event recordings (use EventReplay)");
    EventDataset events;
    const CompiledNetwork net = compileNetwork(spec, ".");
    EXPECT_EQ(errorOf([&] { EventSamples(events, net).check(net); }), found[0].message);

    spec.experiment.dataset.name = "fashion-mnist";
    spec.inputs[0].type = "EventReplay";
    found = datasetMismatches(spec, datasetShape(spec.experiment.dataset, std::nullopt), ".");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].item, "image");
    EXPECT_EQ(found[0].message,
              "input \"image\" replays event recordings, but fashion-mnist is an image data set");
}

TEST(DatasetFit, EventInputsCountTheSensorInputsTheBlocklistKeeps) {
    TempDir dir;
    writeFileAtomic(dir.file("blocked.txt"), std::string("0\n5\n2311\n"));
    NetworkSpec spec = imageNetwork("nmnist", "EventReplay", 2312, 10);
    spec.inputs[0].file = "blocked.txt";
    const auto shape = datasetShape(spec.experiment.dataset, std::nullopt);
    const auto found = datasetMismatches(spec, shape, dir.path().string());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].item, "pixels");
    const std::string file = (dir.path() / "blocked.txt").string();
    EXPECT_EQ(found[0].message, "input \"image\": population \"pixels\" has 2312 neurons but 2309 "
                                "event inputs are kept after the blocklist \"" +
                                    file + "\"");
    EventDataset events;
    const CompiledNetwork net = compileNetwork(spec, dir.path().string());
    EXPECT_EQ(errorOf([&] { EventSamples(events, net).check(net); }), found[0].message);

    spec.populations[0].size = 2309;
    EXPECT_TRUE(datasetMismatches(spec, shape, dir.path().string()).empty());
    spec.inputs[0].file = "missing.txt";
    const auto missing = datasetMismatches(spec, shape, dir.path().string());
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].item, "image");
    EXPECT_NE(missing[0].message.find("missing.txt"), std::string::npos) << missing[0].message;
}

TEST(DatasetFit, ANetworkWithoutInputBlamesNoItem) {
    NetworkSpec spec = imageNetwork("mnist", "CurrentInjection", 784, 10);
    spec.inputs.clear();
    const auto found =
        datasetMismatches(spec, datasetShape(spec.experiment.dataset, std::nullopt), ".");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].item, "");
    EXPECT_EQ(found[0].message, "the network has no input to present the data set with");
}
