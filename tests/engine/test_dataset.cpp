// Image data sets: search path, file names (canonical and fallback), validation, limits, and
// the real MNIST / Fashion-MNIST files when they are present.
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/fileio.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdlib>
#include <functional>

using namespace spikelab;
using namespace spikelab::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> idxBytes(const std::vector<std::uint32_t>& dims,
                                   const std::vector<std::uint8_t>& data) {
    std::vector<std::uint8_t> out = {0, 0, 0x08, std::uint8_t(dims.size())};
    for (std::uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(d >> shift));
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

// Writes `count` images of 4x3 (pixel = sample * 10 + position) and labels sample % 10.
void writeSplit(const fs::path& folder, const std::string& images, const std::string& labels,
                std::uint32_t count, bool gz) {
    fs::create_directories(folder);
    std::vector<std::uint8_t> pixels, classes;
    for (std::uint32_t s = 0; s < count; ++s) {
        for (std::uint32_t p = 0; p < 12; ++p) pixels.push_back(std::uint8_t(s * 10 + p));
        classes.push_back(std::uint8_t(s % 10));
    }
    auto put = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
        writeFileAtomic((folder / name).string(), gz ? gzipBytes(bytes) : bytes);
    };
    put(images, idxBytes({count, 4, 3}, pixels));
    put(labels, idxBytes({count}, classes));
}

// Sets (or, with nullptr, unsets) an environment variable for the lifetime of the object.
class EnvGuard {
public:
    EnvGuard(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~EnvGuard() {
        if (old_)
            ::setenv(name_.c_str(), old_->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

} // namespace

TEST(Dataset, SearchPathFollowsTheDesignOrder) {
    EnvGuard data("SPIKELAB_DATA", "/data/root");
    EnvGuard xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(
        datasetSearchPath("mnist", std::string("/my/dir")),
        (std::vector<std::string>{"/my/dir", "/my/dir/mnist", "/data/root/mnist",
                                  "/xdg/spikelab/datasets/mnist", "/usr/share/datasets/mnist"}));
    EnvGuard noData("SPIKELAB_DATA", nullptr);
    EnvGuard noXdg("XDG_DATA_HOME", nullptr);
    EnvGuard home("HOME", "/home/u");
    EXPECT_EQ(datasetSearchPath("fashion-mnist", std::nullopt),
              (std::vector<std::string>{"/home/u/.local/share/spikelab/datasets/fashion-mnist",
                                        "/usr/share/datasets/fashion-mnist"}));
    EXPECT_EQ(knownImageDatasets(), (std::vector<std::string>{"mnist", "fashion-mnist"}));
}

TEST(Dataset, LoadsFilesAndKeepsTheFirstSamplesOnRequest) {
    TempDir dir;
    writeSplit(dir.path(), "i", "l", 25, false);
    const ImageDataset all = loadImageDatasetFiles(dir.file("i"), dir.file("l"));
    EXPECT_EQ(all.count, 25);
    EXPECT_EQ(all.rows, 4);
    EXPECT_EQ(all.cols, 3);
    EXPECT_EQ(all.pixels.size(), 25u * 12);
    EXPECT_EQ(all.labels[13], 3);
    EXPECT_EQ(all.image(2)[5], 25);
    EXPECT_EQ(all.imagesPath, dir.file("i"));
    EXPECT_EQ(all.labelsPath, dir.file("l"));

    const ImageDataset few = loadImageDatasetFiles(dir.file("i"), dir.file("l"), 7);
    EXPECT_EQ(few.count, 7);
    EXPECT_EQ(few.pixels, std::vector<std::uint8_t>(all.pixels.begin(), all.pixels.begin() + 84));
    EXPECT_EQ(few.labels, std::vector<std::uint8_t>(all.labels.begin(), all.labels.begin() + 7));
    EXPECT_EQ(loadImageDatasetFiles(dir.file("i"), dir.file("l"), 1000).count, 25);
    EXPECT_CONTAINS(errorOf([&] { loadImageDatasetFiles(dir.file("i"), dir.file("l"), -1); }),
                    "sample limit -1 is negative");
}

TEST(Dataset, GzipAndPlainFilesGiveIdenticalData) {
    TempDir dir;
    writeSplit(dir.path() / "plain", "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 30,
               false);
    writeSplit(dir.path() / "gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 30,
               true);
    const auto a = loadImageDataset("mnist", "train", (dir.path() / "plain").string());
    const auto b = loadImageDataset("mnist", "train", (dir.path() / "gz").string());
    EXPECT_EQ(a.pixels, b.pixels);
    EXPECT_EQ(a.labels, b.labels);
    EXPECT_EQ(a.name, "mnist");
    EXPECT_EQ(a.split, "train");
    EXPECT_EQ(b.imagesPath, (dir.path() / "gz" / "train-images-idx3-ubyte.gz").string());
}

TEST(Dataset, FindsFilesInTheNamedSubfolderAndByFallbackName) {
    TempDir dir;
    writeSplit(dir.path() / "fashion-mnist", "t10k-images-idx3-ubyte.gz",
               "t10k-labels-idx1-ubyte.gz", 12, true);
    const auto test = loadImageDataset("fashion-mnist", "test", dir.path().string());
    EXPECT_EQ(test.count, 12);
    writeSplit(dir.path() / "fashion-mnist", "train-images-first5-idx3-ubyte.gz",
               "train-labels-first5-idx1-ubyte.gz", 5, true);
    const auto train = loadImageDataset("fashion-mnist", "train", dir.path().string(), 3);
    EXPECT_EQ(train.count, 3);
    EXPECT_CONTAINS(train.imagesPath, "train-images-first5-idx3-ubyte.gz");

    writeSplit(dir.path() / "fashion-mnist", "train-images-other-idx3-ubyte",
               "train-labels-other-idx1-ubyte", 4, false);
    const auto msg =
        errorOf([&] { loadImageDataset("fashion-mnist", "train", dir.path().string()); });
    EXPECT_CONTAINS(msg, "several files could be the train-images file");
    EXPECT_CONTAINS(msg,
                    "\"train-images-first5-idx3-ubyte.gz\", \"train-images-other-idx3-ubyte\"");
}

TEST(Dataset, EnvironmentRootsAreSearchedAfterTheExplicitFolder) {
    TempDir dir;
    writeSplit(dir.path() / "env" / "mnist", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 6,
               false);
    writeSplit(dir.path() / "xdg" / "spikelab" / "datasets" / "mnist", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte", 8, false);
    writeSplit(dir.path() / "explicit", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 9,
               false);
    EnvGuard data("SPIKELAB_DATA", (dir.path() / "env").c_str());
    EnvGuard xdg("XDG_DATA_HOME", (dir.path() / "xdg").c_str());
    EXPECT_EQ(loadImageDataset("mnist", "test", (dir.path() / "explicit").string()).count, 9);
    EXPECT_EQ(loadImageDataset("mnist", "test", std::nullopt).count, 6);
    EnvGuard noData("SPIKELAB_DATA", nullptr);
    EXPECT_EQ(loadImageDataset("mnist", "test", std::nullopt).count, 8);
}

TEST(Dataset, NotFoundListsEveryFolderAndSaysWhereToPutTheFiles) {
    TempDir dir;
    EnvGuard data("SPIKELAB_DATA", (dir.path() / "env").c_str());
    EnvGuard xdg("XDG_DATA_HOME", (dir.path() / "xdg").c_str());
    const auto msg = errorOf([&] { loadImageDataset("no-such-set", "train", dir.file("mine")); });
    EXPECT_CONTAINS(msg, "data set \"no-such-set\" (train split) not found");
    for (const auto& folder : datasetSearchPath("no-such-set", dir.file("mine")))
        EXPECT_CONTAINS(msg, quote(folder));
    EXPECT_CONTAINS(msg, "put train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz into " +
                             quote((dir.path() / "xdg/spikelab/datasets/no-such-set").string()) +
                             " or pass --data DIR");
    EXPECT_CONTAINS(errorOf([&] { loadImageDataset("mnist", "validation", std::nullopt); }),
                    "split \"validation\" is unknown");
    EXPECT_CONTAINS(errorOf([&] { loadImageDataset("../etc", "test", std::nullopt); }),
                    "not a plain folder name");
}

TEST(Dataset, NotFoundIsTypedWithTheDataSetsName) {
    TempDir dir;
    EnvGuard data("SPIKELAB_DATA", (dir.path() / "env").c_str());
    EnvGuard xdg("XDG_DATA_HOME", (dir.path() / "xdg").c_str());
    try {
        loadImageDataset("no-such-set", "test", std::nullopt);
        FAIL() << "loaded a data set that is nowhere";
    } catch (const DatasetNotFound& e) {
        EXPECT_EQ(e.dataset(), "no-such-set");
    }
    try {
        loadNmnist("test", dir.path().string());
        FAIL() << "loaded N-MNIST from an empty folder";
    } catch (const DatasetNotFound& e) {
        EXPECT_EQ(e.dataset(), "nmnist");
    }
    // A data set that is there but broken is not "not found".
    fs::create_directories(dir.path() / "broken");
    writeFileAtomic(dir.file("broken/t10k-images-idx3-ubyte"), std::string("not idx"));
    writeFileAtomic(dir.file("broken/t10k-labels-idx1-ubyte"), std::string("not idx"));
    std::string caught = "nothing";
    try {
        loadImageDataset("mnist", "test", dir.file("broken"));
    } catch (const DatasetNotFound&) {
        caught = "DatasetNotFound";
    } catch (const Error&) {
        caught = "Error";
    }
    EXPECT_EQ(caught, "Error");
}

TEST(Dataset, NewProjectsStartOnAPresentDataSet) {
    TempDir dir;
    EnvGuard data("SPIKELAB_DATA", (dir.path() / "env").c_str());
    EnvGuard xdg("XDG_DATA_HOME", (dir.path() / "xdg").c_str());
    // /usr/share/datasets is searched too: what Debian installs there counts.
    const bool systemMnist = fs::exists("/usr/share/datasets/mnist");
    const bool systemFashion = fs::exists("/usr/share/datasets/fashion-mnist");
    if (!systemMnist && !systemFashion) {
        EXPECT_EQ(defaultDataset(), "mnist") << "neither: MNIST, to download";
    }
    writeSplit(dir.path() / "env" / "fashion-mnist", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 3, true);
    EXPECT_EQ(imageDatasetFolder("fashion-mnist", "test", std::nullopt).value_or(""),
              (dir.path() / "env" / "fashion-mnist").string());
    EXPECT_EQ(defaultDataset(), systemMnist ? "mnist" : "fashion-mnist");
    writeSplit(dir.path() / "xdg" / "spikelab" / "datasets" / "mnist", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte", 3, false);
    EXPECT_EQ(defaultDataset(), "mnist");
    EXPECT_FALSE(imageDatasetFolder("mnist", "train", std::nullopt) && !systemMnist)
        << "only the test split was written";
}

TEST(Dataset, ImagesWithoutLabelsNameTheFolder) {
    TempDir dir;
    writeSplit(dir.path(), "t10k-images-idx3-ubyte", "unrelated", 3, false);
    EXPECT_CONTAINS(errorOf([&] { loadImageDataset("mnist", "test", dir.path().string()); }),
                    "but no labels file \"t10k-labels-idx1-ubyte[.gz]\" beside it");
}

TEST(Dataset, InconsistentFilesAreRejectedNamingTheFile) {
    TempDir dir;
    auto write = [&](const std::string& name, const std::vector<std::uint32_t>& dims,
                     std::vector<std::uint8_t> data) {
        writeFileAtomic(dir.file(name), idxBytes(dims, data));
        return dir.file(name);
    };
    const auto images = write("img", {3, 2, 2}, std::vector<std::uint8_t>(12, 1));
    const auto labels = write("lab", {3}, {0, 9, 5});
    EXPECT_EQ(loadImageDatasetFiles(images, labels).count, 3);

    const auto flat = write("flat", {3, 4}, std::vector<std::uint8_t>(12, 1));
    EXPECT_CONTAINS(errorOf([&] { loadImageDatasetFiles(flat, labels); }),
                    "file " + quote(flat) +
                        ": expected images (count x rows x cols) but the "
                        "array is 2-D (3x4)");
    const auto labels2d = write("lab2", {3, 1}, {0, 1, 2});
    EXPECT_CONTAINS(errorOf([&] { loadImageDatasetFiles(images, labels2d); }),
                    "file " + quote(labels2d) + ": expected labels (a 1-D array)");
    const auto four = write("lab4", {4}, {0, 1, 2, 3});
    EXPECT_CONTAINS(errorOf([&] { loadImageDatasetFiles(images, four); }),
                    "file " + quote(four) + ": holds 4 labels but file " + quote(images) +
                        " holds 3 images");
    const auto ten = write("lab10", {3}, {0, 10, 1});
    EXPECT_CONTAINS(errorOf([&] { loadImageDatasetFiles(images, ten); }),
                    "file " + quote(ten) + ": label 10 at index 1 is not a class 0..9");
    const auto empty = write("zero", {3, 0, 2}, {});
    EXPECT_CONTAINS(errorOf([&] { loadImageDatasetFiles(empty, labels); }), "image size 0x2");
}

TEST(DatasetShared, MnistTestSetHasTheKnownLabelHistogram) {
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    const auto dir = (sharedDataDir() / "mnist").string();
    const ImageDataset test = loadImageDataset("mnist", "test", dir);
    EXPECT_EQ(test.count, 10000);
    EXPECT_EQ(test.rows, 28);
    EXPECT_EQ(test.cols, 28);
    EXPECT_EQ(test.pixels.size(), 10000u * 784);
    std::array<int, 10> histogram{};
    for (std::uint8_t l : test.labels) histogram[l]++;
    EXPECT_EQ(histogram,
              (std::array<int, 10>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}));
}

TEST(DatasetShared, MnistTrainSubsetIsFoundByItsFallbackName) {
    SPIKELAB_REQUIRE_SHARED("mnist/train-images-first3750-idx3-ubyte.gz");
    const auto dir = (sharedDataDir() / "mnist").string();
    const ImageDataset train = loadImageDataset("mnist", "train", dir);
    EXPECT_EQ(train.count, 3750);
    EXPECT_EQ(train.pixelsPerImage(), 784);
    EXPECT_CONTAINS(train.imagesPath, "train-images-first3750-idx3-ubyte.gz");
    EXPECT_CONTAINS(train.labelsPath, "train-labels-first3750-idx1-ubyte.gz");
}

TEST(DatasetShared, FashionMnistLoadsThroughTheDefaultSearchPath) {
    if (!fs::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
        GTEST_SKIP() << "Fashion-MNIST not installed in /usr/share/datasets/fashion-mnist";
    TempDir empty; // keep user folders out of the way so /usr/share/datasets is what is found
    EnvGuard data("SPIKELAB_DATA", nullptr);
    EnvGuard xdg("XDG_DATA_HOME", empty.path().c_str());
    const ImageDataset train = loadImageDataset("fashion-mnist", "train", std::nullopt);
    const ImageDataset test = loadImageDataset("fashion-mnist", "test", std::nullopt);
    EXPECT_EQ(train.count, 60000);
    EXPECT_EQ(test.count, 10000);
    EXPECT_EQ(train.pixelsPerImage(), 784);
    EXPECT_EQ(test.imagesPath.rfind("/usr/share/datasets/fashion-mnist/", 0), 0u);
    std::array<int, 10> histogram{};
    for (std::uint8_t l : test.labels) histogram[l]++;
    for (int c : histogram) EXPECT_EQ(c, 1000);
}

TEST(Dataset, ClassNamesForAxes) {
    const auto fashion = classNames("fashion-mnist", 10);
    ASSERT_EQ(fashion.size(), 10u);
    EXPECT_EQ(fashion[0], "T-shirt/top");
    EXPECT_EQ(fashion[9], "Ankle boot");
    EXPECT_EQ(classNames("mnist", 10)[7], "7");
    EXPECT_EQ(classNames("nmnist", 3), (std::vector<std::string>{"0", "1", "2"}));
}
