#pragma once
// Downloading data sets into the user's data folder: a list of mirrors per data set, checksum
// verification against the canonical digests, resume of a partial download, progress,
// cancellation, and atomic placement (a file appears under its final name only when complete
// and verified). libcurl does the transfers.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace spikelab {

struct DownloadFile {
    std::string name;  // file name, also the last part of the URL
    std::string md5;   // canonical digest, lower-case hex
    std::uint64_t size = 0;  // bytes, 0 when not known
    // For a .gz file: the MD5 of its uncompressed bytes, "" when not known. A copy that was
    // recompressed elsewhere (Debian's Fashion-MNIST drops the file name from the gzip header)
    // or stored uncompressed under the name without ".gz" counts as present when these match.
    // Downloads are always checked against `md5`.
    std::string contentMd5;
    // Full URLs tried before the data set's mirrors, for hosts that do not name files by
    // `name` (N-MNIST's archives). Ignored when DownloadOptions::mirrors is set.
    std::vector<std::string> urls;
};

struct DatasetDownload {
    std::string dataset;               // "mnist", "fashion-mnist", "nmnist"
    std::vector<std::string> mirrors;  // base URLs, tried in order, each ending in '/'
    std::vector<DownloadFile> files;
    // Folders that hold the unpacked archives (N-MNIST: "Train", "Test"): a folder in which all
    // of them exist counts as holding the data set, whether or not the archives are there.
    std::vector<std::string> unpackedFolders;
};

// mnist (the four IDX .gz files), fashion-mnist (the same four names), nmnist (Train.zip and
// Test.zip).
const std::vector<DatasetDownload>& knownDownloads();

// $XDG_DATA_HOME/spikelab/datasets (default ~/.local/share/spikelab/datasets); "" when neither
// $XDG_DATA_HOME (absolute) nor $HOME is set.
std::string userDatasetRoot();

struct DownloadProgress {
    std::string file;
    std::uint64_t done = 0, total = 0;  // total 0 when unknown; done counts resumed bytes too
};

struct DownloadOptions {
    std::string dir;                          // default: userDatasetRoot()/<dataset>
    std::vector<std::string> mirrors;         // replaces the known mirrors (tests, local caches)
    std::function<void(const DownloadProgress&)> progress;  // called on the calling thread
    std::function<bool()> cancelled;          // polled during transfers
    long connectTimeoutSeconds = 20;
};

struct DownloadResult {
    std::string dir;                          // where the files are
    bool alreadyPresent = false;              // nothing was downloaded
    std::vector<std::string> downloaded;      // files fetched in this call
};

// Fetches a known data set (knownDownloads()). Without options.dir, a copy anywhere on the
// data set search path (spikelab/dataset.h) whose files all verify is used as it is
// (alreadyPresent, dir = that folder); with options.dir only that folder counts. Files already
// in the target folder that verify are kept; the others are downloaded to "<name>.part"
// (resumed with a Range request when a .part exists), checked against their MD5 and renamed
// to their final name. A checksum mismatch deletes the .part; a failed or cut-off transfer
// keeps it for the next mirror or the next call.
// Throws spikelab::Error naming the data set, file and mirror(s) when every mirror fails, a
// checksum does not match, or the transfer is cancelled (partial data is kept for resume).
DownloadResult fetchDataset(const std::string& dataset, const DownloadOptions& options);

// The same for any list of files (what fetchDataset does with a knownDownloads() entry).
DownloadResult fetchFiles(const DatasetDownload& what, const DownloadOptions& options);

// Lower-case hex MD5 of bytes in memory and of a file (Error naming the file when unreadable).
std::string md5Hex(const void* data, std::size_t size);
std::string md5OfFile(const std::string& path);

} // namespace spikelab
