#pragma once
// Downloading data sets into the user's data folder: a list of mirrors per data set, checksum
// verification against the canonical digests, resume of a partial download, progress,
// cancellation, and atomic placement (a file appears under its final name only when complete
// and verified). libcurl does the transfers.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace spikelab {

struct DownloadFile {
    std::string name;  // file name, also the last part of the URL
    std::string md5;   // canonical digest, lower-case hex
    std::uint64_t size = 0;  // bytes, 0 when not known
};

struct DatasetDownload {
    std::string dataset;               // "mnist", "fashion-mnist", "nmnist"
    std::vector<std::string> mirrors;  // base URLs, tried in order, each ending in '/'
    std::vector<DownloadFile> files;
};

const std::vector<DatasetDownload>& knownDownloads();

// $XDG_DATA_HOME/spikelab/datasets (default ~/.local/share/spikelab/datasets).
std::string userDatasetRoot();

struct DownloadProgress {
    std::string file;
    std::uint64_t done = 0, total = 0;  // total 0 when unknown
};

struct DownloadOptions {
    std::string dir;                          // default: userDatasetRoot()/<dataset>
    std::vector<std::string> mirrors;         // replaces the known mirrors (tests, local caches)
    std::function<void(const DownloadProgress&)> progress;
    std::function<bool()> cancelled;          // polled during transfers
    long connectTimeoutSeconds = 20;
};

struct DownloadResult {
    std::string dir;
    bool alreadyPresent = false;              // nothing was downloaded
    std::vector<std::string> downloaded;      // files fetched in this call
};

// Throws spikelab::Error naming the data set, file and mirror(s) when every mirror fails, a
// checksum does not match, or the transfer is cancelled (partial data is kept for resume).
DownloadResult fetchDataset(const std::string& dataset, const DownloadOptions& options);

} // namespace spikelab
