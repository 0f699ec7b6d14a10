#pragma once
// Image data sets of the MNIST family and where to find them.
//
// Lookup order (docs/architecture.md, "Data sets"): an explicit folder (project or command
// line), $SPIKELAB_DATA, $XDG_DATA_HOME/spikelab/datasets (default
// ~/.local/share/spikelab/datasets), then /usr/share/datasets. In each root the data set lives
// in a subfolder named after it ("mnist", "fashion-mnist"); an explicit folder may also hold
// the files directly.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spikelab {

struct ImageDataset {
    std::string name;   // "mnist", "fashion-mnist"
    std::string split;  // "train", "test"
    std::int64_t count = 0;
    int rows = 0, cols = 0;
    int numClasses = 10;
    std::vector<std::uint8_t> pixels;  // count * rows * cols, row-major per image
    std::vector<std::uint8_t> labels;  // count
    std::string imagesPath, labelsPath;

    std::int64_t pixelsPerImage() const { return std::int64_t(rows) * cols; }
    const std::uint8_t* image(std::int64_t i) const { return pixels.data() + i * pixelsPerImage(); }
};

// Known image data sets: "mnist", "fashion-mnist".
const std::vector<std::string>& knownImageDatasets();

// Names of the classes of a data set, for axes and legends: Fashion-MNIST's garment names,
// otherwise the class numbers ("0" .. "9"). Always numClasses entries.
std::vector<std::string> classNames(const std::string& dataset, int numClasses);

// The folders searched for `name`, in order (explicitDir first when given).
std::vector<std::string> datasetSearchPath(const std::string& name,
                                           const std::optional<std::string>& explicitDir);

// The first folder of the search path that holds the images file of `name`'s `split`, found
// by its name alone (nothing is read); nullopt when none does. Several candidate files in one
// folder are an Error, as for loading.
std::optional<std::string> imageDatasetFolder(const std::string& name, const std::string& split,
                                              const std::optional<std::string>& explicitDir);

// The data set a new project starts on: the first of knownImageDatasets() (MNIST, then
// Fashion-MNIST, which Debian's dataset-fashion-mnist installs) whose test split is on the
// search path; MNIST when neither is, so that the window offers to download it.
std::string defaultDataset();

// Loads images and labels of one split. Files are found by their canonical names
// (train-images-idx3-ubyte[.gz], t10k-images-idx3-ubyte[.gz], ...); when those are absent, a
// single file whose name starts with the same prefix (e.g. train-images-first3750-idx3-ubyte.gz)
// is accepted. Throws spikelab::DatasetNotFound listing every folder searched when nothing is found,
// and naming the file when images and labels disagree (count, label >= 10, not 3-D, ...).
// `limit` > 0 keeps only the first `limit` samples.
ImageDataset loadImageDataset(const std::string& name, const std::string& split,
                              const std::optional<std::string>& explicitDir,
                              std::int64_t limit = 0);

// The image size (rows, columns) of `split` in the folder `explicitDir` names (it or its
// `<name>/` subfolder), read from the images file's 16-byte header alone; nullopt when
// neither holds the file. Throws spikelab::Error naming the file when its header is not an
// IDX header of 3-D unsigned bytes.
std::optional<std::pair<int, int>> peekImageSize(const std::string& name, const std::string& split,
                                                 const std::string& explicitDir);

ImageDataset loadImageDatasetFiles(const std::string& imagesPath, const std::string& labelsPath,
                                   std::int64_t limit = 0);

} // namespace spikelab
