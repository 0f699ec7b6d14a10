// Whole-file reading, gzip inflation (zlib) and atomic writing (temp file, fsync, rename).
#include "spikelab/fileio.h"

#include "spikelab/error.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace spikelab {

namespace {

std::string fileWhat(const std::string& path) {
    return "file " + quote(path);
}

std::string errnoText(int err) {
    return std::strerror(err);
}


// Closes a file descriptor when it goes out of scope (unless released).
class FdGuard {
public:
    explicit FdGuard(int fd) : fd_(fd) {}
    ~FdGuard() {
        if (fd_ >= 0) ::close(fd_);
    }
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    int get() const { return fd_; }
    // Closes now and reports the result (close can report a delayed write error).
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

// Owns a zlib inflate stream.
class Inflater {
public:
    Inflater() { std::memset(&stream_, 0, sizeof stream_); }
    ~Inflater() {
        if (initialised_) inflateEnd(&stream_);
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
    // windowBits 15 + 32: zlib or gzip header, detected automatically.
    int init() {
        const int rc = inflateInit2(&stream_, 15 + 32);
        initialised_ = rc == Z_OK;
        return rc;
    }
    z_stream& stream() { return stream_; }

private:
    z_stream stream_;
    bool initialised_ = false;
};

// The mode a new file gets from open(..., 0666): 0666 minus the process umask, read from
// /proc (calling umask() to query it would briefly change it for every thread).
mode_t defaultFileMode() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Umask:", 0) == 0) {
            try {
                const unsigned long mask = std::stoul(line.substr(6), nullptr, 8);
                return mode_t(0666U & ~unsigned(mask));
            } catch (const std::exception&) {
                break;
            }
        }
    }
    return 0644;
}

} // namespace

bool isGzip(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::string byteSize(std::int64_t bytes) {
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, value < 10.0 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return text;
}

std::vector<std::uint8_t> readFile(const std::string& path, std::int64_t maxBytes,
                                   const std::string& kind) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        throw Error(fileWhat(path) + ": cannot open: " + errnoText(err));
    }
    FdGuard guard(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        throw Error(fileWhat(path) + ": cannot read: " + errnoText(err));
    }
    if (S_ISDIR(st.st_mode)) throw Error(fileWhat(path) + ": is a folder, not a file");
    if (!S_ISREG(st.st_mode))
        throw Error(fileWhat(path) + ": is not a regular file (a device, FIFO or socket, which "
                    "may never end); SpikeLab reads only regular files");
    const auto tooLarge = [&] {
        return Error(fileWhat(path) + ": holds more than " + byteSize(maxBytes) + ", the most " +
                     kind + " may hold");
    };
    if (st.st_size > maxBytes) throw tooLarge();
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::vector<std::uint8_t> out;
    // The size is only a hint (the file may grow while it is read); read until end of file.
    if (st.st_size > 0) out.reserve(std::size_t(st.st_size));
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            throw Error(fileWhat(path) + ": cannot read: " + errnoText(err));
        }
        if (n == 0) break;
        if (std::int64_t(out.size()) + n > maxBytes) throw tooLarge();
        out.insert(out.end(), buffer, buffer + n);
    }
    return out;
}

namespace {

// Inflates at most `limit` bytes. prefixOnly: stop there quietly (a header peek); otherwise a
// stream with more to give is an Error.
std::vector<std::uint8_t> inflateBounded(std::span<const std::uint8_t> bytes, const std::string& what,
                                         std::int64_t limit, bool prefixOnly) {
    if (bytes.empty()) throw Error(what + ": empty, expected gzip data");
    Inflater inflater;
    if (inflater.init() != Z_OK) throw Error(what + ": cannot start zlib inflation");
    z_stream& zs = inflater.stream();

    std::vector<std::uint8_t> out;
    // The gzip trailer holds the inflated size modulo 2^32: a good first guess when it is
    // plausible (deflate expands at most ~1032x). Otherwise guess, and grow as needed.
    std::size_t guess = std::min<std::size_t>(bytes.size() * 4, std::size_t(1) << 26);
    if (bytes.size() >= 18) {
        const std::uint8_t* t = bytes.data() + bytes.size() - 4;
        const std::size_t isize = std::size_t(t[0]) | std::size_t(t[1]) << 8 |
                                  std::size_t(t[2]) << 16 | std::size_t(t[3]) << 24;
        if (isize / 1032 <= bytes.size()) guess = isize + 1;
    }
    // One byte beyond the limit tells a stream that stops at it from one that goes on.
    const auto ceiling = std::size_t(limit) + (prefixOnly ? 0 : 1);
    out.resize(std::min(std::max<std::size_t>(4096, guess), ceiling));
    std::size_t produced = 0, consumed = 0;
    int members = 0;
    for (;;) {
        if (produced == ceiling) {
            if (prefixOnly) return out;
            break;  // one byte past the limit: refused below
        }
        if (produced == out.size()) out.resize(std::min(out.size() * 2, ceiling));
        const std::size_t inChunk = std::min<std::size_t>(bytes.size() - consumed, UINT_MAX);
        const std::size_t outChunk = std::min<std::size_t>(out.size() - produced, UINT_MAX);
        zs.next_in = const_cast<Bytef*>(bytes.data() + consumed);
        zs.avail_in = uInt(inChunk);
        zs.next_out = out.data() + produced;
        zs.avail_out = uInt(outChunk);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        consumed += inChunk - zs.avail_in;
        produced += outChunk - zs.avail_out;
        if (rc == Z_STREAM_END) {
            ++members;
            if (consumed == bytes.size()) break;
            // Another gzip member may follow (as `cat a.gz b.gz` makes); anything else is junk.
            if (!isGzip(bytes.subspan(consumed)))
                throw Error(what + ": " + std::to_string(bytes.size() - consumed) +
                            " unexpected bytes after the end of the gzip stream");
            if (inflateReset(&zs) != Z_OK) throw Error(what + ": cannot restart zlib inflation");
            continue;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && zs.avail_out == 0) continue; // output full: grow, go on
        if (rc == Z_BUF_ERROR && consumed == bytes.size())
            throw Error(what + ": truncated gzip data: the stream ends after " +
                        std::to_string(bytes.size()) + " compressed bytes (" +
                        std::to_string(produced) + " bytes inflated) without its end marker");
        if (rc == Z_MEM_ERROR) throw Error(what + ": out of memory while inflating gzip data");
        const std::string detail = zs.msg ? zs.msg : "error " + std::to_string(rc);
        throw Error(what + ": corrupt gzip data at compressed byte " + std::to_string(consumed) +
                    (members > 0 ? " (member " + std::to_string(members + 1) + ")" : "") + ": " +
                    detail);
    }
    if (produced > std::size_t(limit))  // the stream ended just past the limit
        throw Error(what + ": inflates to more than " + byteSize(limit) +
                    ", the most this file may hold (a damaged or hostile gzip stream)");
    out.resize(produced);
    return out;
}

} // namespace

std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> bytes, const std::string& what,
                                 std::int64_t maxBytes) {
    return inflateBounded(bytes, what, maxBytes, false);
}

std::vector<std::uint8_t> gunzipPrefix(std::span<const std::uint8_t> bytes, std::size_t count,
                                       const std::string& what) {
    return inflateBounded(bytes, what, std::int64_t(count), true);
}

std::vector<std::uint8_t> readFileMaybeGzip(const std::string& path, std::int64_t maxInflated) {
    std::vector<std::uint8_t> bytes = readFile(path);
    if (!isGzip(bytes)) return bytes;
    return gunzip(bytes, fileWhat(path), maxInflated);
}

namespace {

// Writes `bytes` to a new temporary file beside `path`, flushed to disk, with the mode the
// file it will replace has; returns the temporary's name. Nothing at `path` changes.
std::string writeTemporary(const std::string& path, std::span<const std::uint8_t> bytes) {
    namespace fs = std::filesystem;
    const std::string what = "cannot write " + fileWhat(path);
    const fs::path target(path);
    if (!target.has_filename() || target.filename() == "." || target.filename() == "..")
        throw Error(what + ": the path names no file");
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error(what + ": folder " + quote(folder.string()) + " does not exist");
    if (fs::is_directory(target, ec)) throw Error(what + ": it is a folder");

    // The new file keeps the mode of the file it replaces; mkstemp would give 0600.
    mode_t mode = defaultFileMode();
    struct stat old {};
    if (::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) mode = old.st_mode & 07777;

    std::string tempLeaf = ".";
    tempLeaf += target.filename().string();
    tempLeaf += ".tmp-XXXXXX";
    std::string tempName = (folder / tempLeaf).string();
    const int fd = ::mkstemp(tempName.data());
    if (fd < 0) {
        const int err = errno;
        throw Error(what + ": cannot create a temporary file: " + errnoText(err));
    }
    FdGuard guard(fd);
    // Callers read errno into `err` before building `step`, which may allocate.
    auto fail = [&](int err, const std::string& step) {
        if (guard.get() >= 0) guard.close();
        ::unlink(tempName.c_str());
        throw Error(what + ": " + step + ": " + errnoText(err));
    };

    std::size_t written = 0;
    while (written < bytes.size()) {
        const std::size_t chunk = std::min<std::size_t>(bytes.size() - written, 1 << 30);
        const ssize_t n = ::write(fd, bytes.data() + written, chunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            fail(err, "writing failed after " + std::to_string(written) + " of " +
                          std::to_string(bytes.size()) + " bytes");
        }
        written += std::size_t(n);
    }
    auto check = [&](bool ok, const char* step) {
        if (ok) return;
        const int err = errno;
        fail(err, step);
    };
    check(::fchmod(fd, mode) == 0, "cannot set the file mode");
    check(::fsync(fd) == 0, "flushing to disk failed");
    check(guard.close() == 0, "closing failed");
    return tempName;
}

// Makes the renames into `folder` durable; a failure here leaves complete files, so it is
// ignored.
void syncFolder(const std::filesystem::path& folder) {
    const int dirFd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        (void)::fsync(dirFd);
        ::close(dirFd);
    }
}

} // namespace

void writeFileAtomic(const std::string& path, std::span<const std::uint8_t> bytes) {
    FileSet set;
    set.add(path, bytes);
    set.commit();
}

FileSet::~FileSet() {
    for (const auto& [path, temporary] : staged_) ::unlink(temporary.c_str());
}

void FileSet::add(const std::string& path, std::span<const std::uint8_t> bytes) {
    staged_.emplace_back(path, writeTemporary(path, bytes));
}

void FileSet::add(const std::string& path, const std::string& text) {
    add(path, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                            text.size()));
}

void FileSet::commit() {
    for (std::size_t k = 0; k < staged_.size(); ++k) {
        const auto& [path, temporary] = staged_[k];
        if (::rename(temporary.c_str(), path.c_str()) != 0) {
            const int err = errno;
            // The files renamed so far stay replaced; the rest keep their old contents.
            staged_.erase(staged_.begin(), staged_.begin() + std::ptrdiff_t(k));
            throw Error("cannot write " + fileWhat(path) + ": cannot replace the file: " + errnoText(err));
        }
    }
    for (const auto& [path, temporary] : staged_)
        syncFolder(std::filesystem::path(path).parent_path());
    staged_.clear();
}

void writeFileAtomic(const std::string& path, const std::string& text) {
    writeFileAtomic(path, std::span<const std::uint8_t>(
                              reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

} // namespace spikelab
