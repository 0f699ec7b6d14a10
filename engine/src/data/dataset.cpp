// Image data sets of the MNIST family: where they are looked up and how they are loaded.
#include "spikelab/dataset.h"

#include "spikelab/error.h"
#include "spikelab/idx.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>

#include <zlib.h>

namespace spikelab {

namespace fs = std::filesystem;

namespace {

std::string envOrEmpty(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// The user's data folder: ($XDG_DATA_HOME or ~/.local/share)/spikelab/datasets. Empty when
// neither $XDG_DATA_HOME nor $HOME is set.
std::string userDatasetsDir() {
    const std::string xdg = envOrEmpty("XDG_DATA_HOME");
    // The XDG spec says relative values are invalid and must be ignored.
    if (!xdg.empty() && fs::path(xdg).is_absolute())
        return (fs::path(xdg) / "spikelab" / "datasets").string();
    const std::string home = envOrEmpty("HOME");
    if (home.empty()) return "";
    return (fs::path(home) / ".local" / "share" / "spikelab" / "datasets").string();
}

struct SplitFiles {
    std::string prefix; // "train" or "t10k"
    std::string images() const { return prefix + "-images-idx3-ubyte"; }
    std::string labels() const { return prefix + "-labels-idx1-ubyte"; }
};

SplitFiles splitFiles(const std::string& split) {
    if (split == "train") return {"train"};
    if (split == "test") return {"t10k"};
    throw Error("data set split " + quote(split) + " is unknown (expected \"train\" or \"test\")");
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Finds `canonical` or `canonical.gz` in `folder`; else the single file whose name starts
// with `start` and contains `contains`. Returns "" when there is none; throws when several
// files fit, since picking one would be a guess.
std::string findFile(const fs::path& folder, const std::string& canonical, const std::string& start,
                     const std::string& contains) {
    for (const std::string& name : {canonical, canonical + ".gz"})
        if (isFile(folder / name)) return (folder / name).string();
    std::vector<std::string> matches;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(start, 0) == 0 && name.find(contains) != std::string::npos &&
            isFile(it->path()))
            matches.push_back(name);
    }
    if (matches.empty()) return "";
    if (matches.size() > 1) {
        std::sort(matches.begin(), matches.end());
        std::string list;
        for (const auto& m : matches) list += (list.empty() ? "" : ", ") + quote(m);
        throw Error("folder " + quote(folder.string()) + ": several files could be the " + start +
                    " file (" + list + "); keep one or use the name " + quote(canonical + ".gz"));
    }
    return (folder / matches.front()).string();
}

} // namespace

const std::vector<std::string>& knownImageDatasets() {
    static const std::vector<std::string> names = {"mnist", "fashion-mnist"};
    return names;
}

std::vector<std::string> classNames(const std::string& dataset, int numClasses) {
    // Zalando's label order for Fashion-MNIST.
    static const std::vector<std::string> fashion = {"T-shirt/top", "Trouser", "Pullover",
                                                     "Dress",       "Coat",    "Sandal",
                                                     "Shirt",       "Sneaker", "Bag",
                                                     "Ankle boot"};
    if (dataset == "fashion-mnist" && numClasses == int(fashion.size())) return fashion;
    std::vector<std::string> names;
    for (int c = 0; c < numClasses; ++c) names.push_back(std::to_string(c));
    return names;
}

std::vector<std::string> datasetSearchPath(const std::string& name,
                                           const std::optional<std::string>& explicitDir) {
    std::vector<std::string> path;
    auto add = [&](const fs::path& p) {
        const std::string s = p.lexically_normal().string();
        if (std::find(path.begin(), path.end(), s) == path.end()) path.push_back(s);
    };
    if (explicitDir && !explicitDir->empty()) {
        add(*explicitDir);
        add(fs::path(*explicitDir) / name);
    }
    if (const std::string env = envOrEmpty("SPIKELAB_DATA"); !env.empty())
        add(fs::path(env) / name);
    if (const std::string user = userDatasetsDir(); !user.empty()) add(fs::path(user) / name);
    add(fs::path("/usr/share/datasets") / name);
    return path;
}

std::optional<std::pair<int, int>> peekImageSize(const std::string& name, const std::string& split,
                                                 const std::string& explicitDir) {
    const SplitFiles files = splitFiles(split);
    for (const fs::path& folder : {fs::path(explicitDir), fs::path(explicitDir) / name}) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec)) continue;
        const std::string path = findFile(folder, files.images(), files.prefix + "-images", "idx3-ubyte");
        if (path.empty()) continue;
        // gzread reads plain files as they are, so one call serves both forms.
        gzFile in = gzopen(path.c_str(), "rb");
        if (!in) throw Error("file " + quote(path) + ": cannot open");
        unsigned char header[16] = {};
        const int got = gzread(in, header, sizeof header);
        gzclose(in);
        if (got != int(sizeof header) || header[0] != 0 || header[1] != 0 || header[2] != 0x08 ||
            header[3] != 3)
            throw Error("file " + quote(path) + ": not an IDX file of 3-D unsigned-byte images");
        const auto word = [&](int at) {
            return (std::uint32_t(header[at]) << 24) | (std::uint32_t(header[at + 1]) << 16) |
                   (std::uint32_t(header[at + 2]) << 8) | std::uint32_t(header[at + 3]);
        };
        if (word(8) > std::uint32_t(INT_MAX) || word(12) > std::uint32_t(INT_MAX))
            throw Error("file " + quote(path) + ": image size " + std::to_string(word(8)) + "x" +
                        std::to_string(word(12)) + " is too large");
        return std::pair{int(word(8)), int(word(12))};
    }
    return std::nullopt;
}

ImageDataset loadImageDatasetFiles(const std::string& imagesPath, const std::string& labelsPath,
                                   std::int64_t limit) {
    if (limit < 0)
        throw Error("data set " + quote(imagesPath) + ": sample limit " + std::to_string(limit) +
                    " is negative");
    const std::string imagesWhat = "file " + quote(imagesPath);
    const std::string labelsWhat = "file " + quote(labelsPath);
    IdxArray images = readIdx(imagesPath);
    IdxArray labels = readIdx(labelsPath);
    auto dimsText = [](const std::vector<std::uint32_t>& dims) {
        std::string t;
        for (auto d : dims) t += (t.empty() ? "" : "x") + std::to_string(d);
        return t;
    };
    if (images.dims.size() != 3)
        throw Error(imagesWhat + ": expected images (count x rows x cols) but the array is " +
                    std::to_string(images.dims.size()) + "-D (" + dimsText(images.dims) + ")");
    if (labels.dims.size() != 1)
        throw Error(labelsWhat + ": expected labels (a 1-D array) but the array is " +
                    std::to_string(labels.dims.size()) + "-D (" + dimsText(labels.dims) + ")");
    if (images.dims[1] == 0 || images.dims[2] == 0 || images.dims[1] > INT_MAX ||
        images.dims[2] > INT_MAX)
        throw Error(imagesWhat + ": image size " + std::to_string(images.dims[1]) + "x" +
                    std::to_string(images.dims[2]) + " is not usable");
    if (labels.dims[0] != images.dims[0])
        throw Error(labelsWhat + ": holds " + std::to_string(labels.dims[0]) + " labels but " +
                    imagesWhat + " holds " + std::to_string(images.dims[0]) + " images");

    ImageDataset ds;
    ds.count = images.dims[0];
    ds.rows = int(images.dims[1]);
    ds.cols = int(images.dims[2]);
    ds.numClasses = 10;
    for (std::size_t i = 0; i < labels.data.size(); ++i)
        if (labels.data[i] >= ds.numClasses)
            throw Error(labelsWhat + ": label " + std::to_string(labels.data[i]) + " at index " +
                        std::to_string(i) + " is not a class 0..9");
    if (limit > 0 && limit < ds.count) {
        ds.count = limit;
        images.data.resize(std::size_t(limit * ds.pixelsPerImage()));
        labels.data.resize(std::size_t(limit));
    }
    ds.pixels = std::move(images.data);
    ds.labels = std::move(labels.data);
    ds.imagesPath = imagesPath;
    ds.labelsPath = labelsPath;
    return ds;
}

std::optional<std::string> imageDatasetFolder(const std::string& name, const std::string& split,
                                              const std::optional<std::string>& explicitDir) {
    const SplitFiles files = splitFiles(split);
    for (const std::string& folder : datasetSearchPath(name, explicitDir)) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec)) continue;
        if (!findFile(folder, files.images(), files.prefix + "-images", "idx3-ubyte").empty())
            return folder;
    }
    return std::nullopt;
}

std::string defaultDataset() {
    for (const std::string& name : knownImageDatasets())
        if (imageDatasetFolder(name, "test", std::nullopt)) return name;
    return knownImageDatasets().front();
}

ImageDataset loadImageDataset(const std::string& name, const std::string& split,
                              const std::optional<std::string>& explicitDir, std::int64_t limit) {
    if (name.empty() || name == "." || name == ".." ||
        name.find_first_of("/\\") != std::string::npos)
        throw Error("data set name " + quote(name) + " is not a plain folder name");
    const SplitFiles files = splitFiles(split);
    const std::vector<std::string> folders = datasetSearchPath(name, explicitDir);
    for (const std::string& folder : folders) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec)) continue;
        const std::string images =
            findFile(folder, files.images(), files.prefix + "-images", "idx3-ubyte");
        if (images.empty()) continue;
        const std::string labels =
            findFile(folder, files.labels(), files.prefix + "-labels", "idx1-ubyte");
        if (labels.empty())
            throw Error("data set " + quote(name) + " (" + split + "): found " + quote(images) +
                        " but no labels file " + quote(files.labels() + "[.gz]") + " beside it");
        ImageDataset ds = loadImageDatasetFiles(images, labels, limit);
        ds.name = name;
        ds.split = split;
        return ds;
    }

    std::string searched;
    for (const auto& f : folders) searched += (searched.empty() ? "" : ", ") + quote(f);
    const std::string user = userDatasetsDir();
    const std::string where = user.empty()
                                  ? "a folder named " + quote(name) + " under $SPIKELAB_DATA"
                                  : quote((fs::path(user) / name).string());
    throw DatasetNotFound(name, "data set " + quote(name) + " (" + split + " split) not found: no " +
                files.images() + "[.gz] in " + searched + "; put " + files.images() + ".gz and " +
                files.labels() + ".gz into " + where + " or pass --data DIR");
}

} // namespace spikelab
