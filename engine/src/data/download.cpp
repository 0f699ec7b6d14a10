// Data set downloads: mirrors, MD5 verification (OpenSSL EVP), resume of "<name>.part" with a
// Range request, progress and cancellation through libcurl's callbacks, atomic rename.
#include "spikelab/download.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/fileio.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <strings.h>
#include <unistd.h>

namespace spikelab {

namespace fs = std::filesystem;

// The canonical files and where they are published. Digests and sizes are those of the
// original releases (torchvision's MNIST and FashionMNIST classes and tonic's NMNIST list the
// same values); contentMd5 is the digest of the uncompressed IDX file.
// clang-format off
const std::vector<DatasetDownload>& knownDownloads() {
    static const std::vector<DatasetDownload> known = {
        {"mnist",
         {"https://ossci-datasets.s3.amazonaws.com/mnist/",
          "https://storage.googleapis.com/cvdf-datasets/mnist/",
          "http://yann.lecun.com/exdb/mnist/"},
         {{"train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9912422, "6bbc9ace898e44ae57da46a324031adb", {}},
          {"train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", 28881,   "a25bea736e30d166cdddb491f175f624", {}},
          {"t10k-images-idx3-ubyte.gz",  "9fb629c4189551a2d022fa330f9573f3", 1648877, "2646ac647ad5339dbf082846283269ea", {}},
          {"t10k-labels-idx1-ubyte.gz",  "ec29112dd5afa0611ce80d1b7f02629c", 4542,    "27ae3e4e09519cfbb04c329615203637", {}}},
         {}},
        {"fashion-mnist",
         {"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
          "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"},
         {{"train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", 26421880, "f4a8712d7a061bf5bd6d2ca38dc4d50a", {}},
          {"train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", 29515,    "9018921c3c673c538a1fc5bad174d6f9", {}},
          {"t10k-images-idx3-ubyte.gz",  "bef4ecab320f06d8554ea6380940ec79", 4422102,  "8181f5470baa50b63fa0f6fddb340f0a", {}},
          {"t10k-labels-idx1-ubyte.gz",  "bb300cfdad3c16e7a12a480ee83cd310", 5148,     "15d484375f8d13e6eb1aabb0c3f46965", {}}},
         {}},
        // N-MNIST (Orchard et al. 2015) is published on Mendeley Data under per-file addresses;
        // the older Dropbox share is the fallback. Sizes are not recorded (progress uses the
        // server's Content-Length).
        {"nmnist",
         {},
         {{"Train.zip", "20959b8e626244a1b502305a9e6e2031", 0, "",
           {"https://data.mendeley.com/public-files/datasets/468j46mzdv/files/39c25547-014b-4137-a934-9d29fa53c7a0/file_downloaded",
            "https://www.dropbox.com/sh/tg2ljlbmtzygrag/AABlMOuR15ugeOxMCX0Pvoxga/Train.zip?dl=1"}},
          {"Test.zip", "69ca8762b2fe404d9b9bad1103e97832", 0, "",
           {"https://data.mendeley.com/public-files/datasets/468j46mzdv/files/05a4d654-7e03-4c15-bdfa-9bb2bcbea494/file_downloaded",
            "https://www.dropbox.com/sh/tg2ljlbmtzygrag/AADSKgJ2CjaBWh75HnTNZyhca/Test.zip?dl=1"}}},
         {"Train", "Test"}},
    };
    return known;
}
// clang-format on

std::string userDatasetRoot() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && *xdg && fs::path(xdg).is_absolute())
        return (fs::path(xdg) / "spikelab" / "datasets").string();
    const char* home = std::getenv("HOME");
    if (!home || !*home) return "";
    return (fs::path(home) / ".local" / "share" / "spikelab" / "datasets").string();
}

namespace {

class Md5 {
public:
    Md5() : ctx_(EVP_MD_CTX_new()) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr) != 1) {
            EVP_MD_CTX_free(ctx_);
            throw Error("MD5 is not available from OpenSSL (is it in FIPS-only mode?)");
        }
    }
    ~Md5() { EVP_MD_CTX_free(ctx_); }
    Md5(const Md5&) = delete;
    Md5& operator=(const Md5&) = delete;
    void update(const void* data, std::size_t size) {
        if (size > 0 && EVP_DigestUpdate(ctx_, data, size) != 1)
            throw InternalError("EVP_DigestUpdate failed");
    }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(ctx_, digest, &length) != 1)
            throw InternalError("EVP_DigestFinal_ex failed");
        static constexpr char digits[] = "0123456789abcdef";
        std::string text;
        for (unsigned int i = 0; i < length; ++i) {
            text += digits[digest[i] >> 4];
            text += digits[digest[i] & 15];
        }
        return text;
    }

private:
    EVP_MD_CTX* ctx_;
};

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

std::uint64_t sizeOr0(const fs::path& p) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    return ec ? 0 : std::uint64_t(size);
}

bool endsWith(const std::string& text, std::string_view tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

void removeFile(const fs::path& p) {
    std::error_code ec;
    fs::remove(p, ec);
}

std::string md5OrEmpty(const fs::path& p) {
    try {
        return md5OfFile(p.string());
    } catch (const Error&) {
        return "";
    }
}

// A gzip file (or the plain file beside it) whose uncompressed bytes have `contentMd5`.
bool contentMatches(const fs::path& p, const std::string& contentMd5, bool gzipped) {
    try {
        const std::vector<std::uint8_t> bytes =
            gzipped ? readFileMaybeGzip(p.string()) : readFile(p.string());
        return md5Hex(bytes.data(), bytes.size()) == contentMd5;
    } catch (const Error&) {
        return false;
    }
}

// Whether `folder` holds a verified copy of `file` (see DownloadFile::contentMd5).
bool holdsVerified(const fs::path& folder, const DownloadFile& file) {
    const fs::path path = folder / file.name;
    const bool gz = !file.contentMd5.empty() && endsWith(file.name, ".gz");
    if (isFile(path)) {
        if (md5OrEmpty(path) == file.md5) return true;
        if (gz && contentMatches(path, file.contentMd5, true)) return true;
    }
    if (gz) {
        const fs::path plain = folder / file.name.substr(0, file.name.size() - 3);
        if (isFile(plain) && contentMatches(plain, file.contentMd5, false)) return true;
    }
    return false;
}

bool holdsDataset(const fs::path& folder, const DatasetDownload& what) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return false;
    if (!what.unpackedFolders.empty() &&
        std::all_of(what.unpackedFolders.begin(), what.unpackedFolders.end(),
                    [&](const std::string& sub) { return fs::is_directory(folder / sub, ec); }))
        return true;
    return std::all_of(what.files.begin(), what.files.end(),
                       [&](const DownloadFile& f) { return holdsVerified(folder, f); });
}

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
    return text;
}

void initCurl() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
            throw Error("libcurl could not be initialised; downloads are not possible");
    });
}

// The state of one transfer, shared with libcurl's callbacks.
struct Transfer {
    const DownloadFile* file = nullptr;
    const DownloadOptions* options = nullptr;
    std::FILE* out = nullptr;
    std::uint64_t offset = 0;   // bytes kept from earlier transfers (0 after a restart)
    std::uint64_t received = 0; // body bytes written by this transfer
    std::uint64_t lastDone = ~std::uint64_t(0), lastTotal = 0;
    long status = 0; // of the latest response header block
    std::string contentRange;
    bool cancelled = false;
    std::string localError;           // a problem on this machine: never another mirror's business
    std::string mirrorError;          // a wrong answer from the server
    std::exception_ptr callbackError; // thrown by options->progress or options->cancelled

    void report(std::uint64_t total) {
        const std::uint64_t done = offset + received;
        if (total == 0) total = file->size;
        if (done == lastDone && total == lastTotal) return;
        lastDone = done;
        lastTotal = total;
        if (options->progress) options->progress({file->name, done, total});
    }
};

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    std::string line(data, bytes);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {
        const auto space = line.find(' ');
        t.status =
            space == std::string::npos ? 0 : std::strtol(line.c_str() + space + 1, nullptr, 10);
        t.contentRange.clear();
    } else if (line.size() > 14 && strncasecmp(line.c_str(), "content-range:", 14) == 0) {
        const auto start = line.find_first_not_of(' ', 14);
        t.contentRange = start == std::string::npos ? "" : line.substr(start);
    } else if (line.empty() && t.offset > 0) {
        // The end of a header block: a server that ignores the range sends the whole file.
        if (t.status == 200) {
            if (std::fflush(t.out) != 0 || ::ftruncate(::fileno(t.out), 0) != 0) {
                t.localError = std::strerror(errno);
                return 0;
            }
            t.offset = 0;
        } else if (t.status == 206 &&
                   t.contentRange.rfind("bytes " + std::to_string(t.offset) + "-", 0) != 0) {
            t.mirrorError = "asked for the bytes from " + std::to_string(t.offset) +
                            " on, the server sent " + quote(t.contentRange);
            return 0;
        }
    }
    return bytes;
}

std::size_t onWrite(char* data, std::size_t size, std::size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    if (std::fwrite(data, 1, bytes, t.out) != bytes) {
        t.localError = std::strerror(errno);
        return 0;
    }
    t.received += bytes;
    return bytes;
}

int onProgress(void* user, curl_off_t total, curl_off_t, curl_off_t, curl_off_t) {
    auto& t = *static_cast<Transfer*>(user);
    try {
        if (t.options->cancelled && t.options->cancelled()) {
            t.cancelled = true;
            return 1;
        }
        t.report(total > 0 ? t.offset + std::uint64_t(total) : 0);
    } catch (...) {
        // Exceptions must not cross libcurl's C frames: rethrown after the transfer.
        t.callbackError = std::current_exception();
        return 1;
    }
    return 0;
}

struct Context {
    const DatasetDownload* what;
    const DownloadOptions* options;
    fs::path dir;
    std::string byHand; // what to put where without a network connection
};

[[noreturn]] void throwCancelled(const Context& c, const DownloadFile& file, const fs::path& part) {
    std::string message = "data set " + quote(c.what->dataset) + ": download cancelled";
    if (const std::uint64_t kept = sizeOr0(part); kept > 0)
        message += "; " + megabytes(kept) + " of " + quote(file.name) + " are kept in " +
                   quote(part.string()) + " and the next fetch resumes from there";
    throw Error(message);
}

// One attempt at `url`. Returns "" when the .part now holds a verified file, else why not.
std::string tryUrl(const Context& c, const DownloadFile& file, const std::string& url,
                   const fs::path& part) {
    for (int pass = 0; pass < 2; ++pass) {
        Transfer t;
        t.file = &file;
        t.options = c.options;
        t.offset = isFile(part) ? sizeOr0(part) : 0;
        if (file.size > 0 && t.offset > file.size) {
            removeFile(part);
            t.offset = 0;
        }
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(
            std::fopen(part.string().c_str(), t.offset > 0 ? "ab" : "wb"), &std::fclose);
        if (!out) throw Error("cannot write " + quote(part.string()) + ": " + std::strerror(errno));
        t.out = out.get();

        std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
        if (!curl) throw Error("libcurl could not start a transfer");
        CURL* h = curl.get();
        char errorText[CURL_ERROR_SIZE] = {};
        const std::string range = std::to_string(t.offset) + "-";
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorText);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        // A proxy's "200 Connection established" must not look like the server's answer.
        curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c.options->connectTimeoutSeconds);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L); // give up after 60 s without data
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "SpikeLab (libcurl)");
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &onHeader);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &onWrite);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &onProgress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
        if (t.offset > 0) curl_easy_setopt(h, CURLOPT_RANGE, range.c_str());

        const CURLcode code = curl_easy_perform(h);
        const bool flushed = std::fflush(t.out) == 0;
        const int closeResult = std::fclose(out.release());
        const int writeErrno = flushed && closeResult == 0 ? 0 : errno;
        if (isFile(part) && sizeOr0(part) == 0) removeFile(part); // nothing worth keeping
        if (t.callbackError) std::rethrow_exception(t.callbackError);
        if (t.cancelled) throwCancelled(c, file, part);
        if (!t.localError.empty() || (code == CURLE_OK && writeErrno != 0))
            throw Error("cannot write " + quote(part.string()) + ": " +
                        (t.localError.empty() ? std::strerror(writeErrno) : t.localError));
        if (!t.mirrorError.empty()) return t.mirrorError;
        if (code != CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (status == 416 && t.offset > 0) {
                // The .part may already be complete; otherwise start again from zero.
                if (md5OrEmpty(part) == file.md5) {
                    t.report(t.offset);
                    return "";
                }
                removeFile(part);
                continue;
            }
            if (code == CURLE_HTTP_RETURNED_ERROR && status > 0)
                return "HTTP " + std::to_string(status);
            return errorText[0] ? errorText : curl_easy_strerror(code);
        }
        const std::string actual = md5OrEmpty(part);
        if (actual != file.md5) {
            const std::uint64_t got = sizeOr0(part);
            removeFile(part);
            return "checksum mismatch: md5 " + actual + " of " + std::to_string(got) +
                   " bytes, expected " + file.md5 + " (the download was deleted)";
        }
        t.report(sizeOr0(part));
        return "";
    }
    return "the server refused the range request twice";
}

void fetchOne(const Context& c, const DownloadFile& file) {
    const fs::path part = c.dir / (file.name + ".part");
    const fs::path final = c.dir / file.name;
    std::vector<std::string> urls;
    if (c.options->mirrors.empty()) {
        urls = file.urls;
        for (const auto& m : c.what->mirrors) urls.push_back(m + file.name);
    } else {
        for (std::string m : c.options->mirrors) {
            if (!m.empty() && m.back() != '/') m += '/';
            urls.push_back(m + file.name);
        }
    }
    auto place = [&] {
        std::error_code ec;
        fs::rename(part, final, ec);
        if (ec)
            throw Error("cannot rename " + quote(part.string()) + " to " + quote(final.string()) +
                        ": " + ec.message());
    };
    // A complete .part left by an interrupted run needs no network.
    if (file.size > 0 && sizeOr0(part) == file.size && md5OrEmpty(part) == file.md5) {
        if (c.options->progress) c.options->progress({file.name, file.size, file.size});
        place();
        return;
    }
    std::string failures;
    for (const std::string& url : urls) {
        if (c.options->cancelled && c.options->cancelled()) throwCancelled(c, file, part);
        const std::string why = tryUrl(c, file, url, part);
        if (why.empty()) {
            place();
            return;
        }
        failures += "\n  " + url + ": " + why;
    }
    std::string message = "data set " + quote(c.what->dataset) + ": could not download " +
                          quote(file.name) + " from any mirror:" + failures;
    if (urls.empty()) message += "\n  (no mirror is known)";
    if (const std::uint64_t kept = sizeOr0(part); kept > 0)
        message += "\n" + megabytes(kept) + " are kept in " + quote(part.string()) +
                   "; the next fetch resumes from there.";
    throw Error(message + "\n" + c.byHand);
}

} // namespace

std::string md5Hex(const void* data, std::size_t size) {
    Md5 md5;
    md5.update(data, size);
    return md5.hex();
}

std::string md5OfFile(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
    if (!in) throw Error("cannot read " + quote(path) + ": " + std::strerror(errno));
    Md5 md5;
    std::vector<char> buffer(std::size_t(1) << 20);
    for (;;) {
        const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get());
        md5.update(buffer.data(), n);
        if (n < buffer.size()) break;
    }
    if (std::ferror(in.get())) throw Error("cannot read " + quote(path) + ": read error");
    return md5.hex();
}

DownloadResult fetchFiles(const DatasetDownload& what, const DownloadOptions& options) {
    if (what.files.empty())
        throw InternalError("data set " + quote(what.dataset) + " has no files to download");
    fs::path dir = options.dir;
    if (dir.empty()) {
        const std::string root = userDatasetRoot();
        if (root.empty())
            throw Error("data set " + quote(what.dataset) +
                        ": neither $XDG_DATA_HOME nor $HOME is set; give a folder to download to");
        dir = fs::path(root) / what.dataset;
    }

    // A verified copy that is already there wins (the whole search path unless a folder was given).
    std::vector<std::string> candidates{dir.string()};
    if (options.dir.empty()) candidates = datasetSearchPath(what.dataset, std::nullopt);
    for (const std::string& folder : candidates)
        if (holdsDataset(folder, what)) return {folder, true, {}};

    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw Error("data set " + quote(what.dataset) + ": cannot create the folder " +
                    quote(dir.string()) + (ec ? ": " + ec.message() : ""));
    initCurl();
    std::string byHand;
    for (const DownloadFile& file : what.files)
        if (!holdsVerified(dir, file))
            byHand += (byHand.empty() ? "" : ", ") + quote(file.name) + " (md5 " + file.md5 + ")";
    byHand = "Without a network connection, download " + byHand + " elsewhere and put " +
             (what.files.size() == 1 ? "it" : "them") + " into " + quote(dir.string());
    if (!what.unpackedFolders.empty()) {
        std::string folders;
        for (const std::string& f : what.unpackedFolders)
            folders += (folders.empty() ? "" : ", ") + quote(f + "/");
        byHand += " (or unpack them there as " + folders + ")";
    }
    const Context context{&what, &options, dir, byHand + "."};
    DownloadResult result{dir.string(), false, {}};
    for (const DownloadFile& file : what.files) {
        if (holdsVerified(dir, file)) continue;
        fetchOne(context, file);
        result.downloaded.push_back(file.name);
    }
    result.alreadyPresent = result.downloaded.empty();
    return result;
}

DownloadResult fetchDataset(const std::string& dataset, const DownloadOptions& options) {
    std::string names;
    for (const DatasetDownload& d : knownDownloads()) {
        if (d.dataset == dataset) return fetchFiles(d, options);
        names += (names.empty() ? "" : ", ") + d.dataset;
    }
    throw Error("data set " + quote(dataset) + " cannot be downloaded (known: " + names + ")");
}

} // namespace spikelab
