#pragma once
// Whole-file reading and atomic writing. Every file SpikeLab writes goes through
// writeFileAtomic: the bytes go to a temporary file in the same folder, are flushed, and the
// temporary is renamed over the target, so a reader never sees a half-written file.
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace spikelab {

// Bounds on what a read may take, so that no file can fill the memory (docs/architecture.md,
// "Errors"). Each reader passes the bound that fits its kind of file.
inline constexpr std::int64_t kMaxReadBytes = std::int64_t(4) << 30;       // any file: 4 GiB
inline constexpr std::int64_t kMaxInflatedBytes = std::int64_t(4) << 30;   // any gzip stream

// Reads a whole regular file. Throws spikelab::Error naming the path when it cannot be opened
// or read, when it is not a regular file (a device such as /dev/zero, a FIFO, a socket: they
// may never end) and when it holds more than `maxBytes` bytes, saying so with `kind` ("a
// project file may hold at most 1 GiB").
std::vector<std::uint8_t> readFile(const std::string& path, std::int64_t maxBytes = kMaxReadBytes,
                                   const std::string& kind = "a file");

// Reads a file; when it starts with the gzip magic (1f 8b) it is inflated with zlib, to at
// most `maxInflated` bytes. A corrupt or truncated gzip stream is an Error naming the path.
std::vector<std::uint8_t> readFileMaybeGzip(const std::string& path,
                                            std::int64_t maxInflated = kMaxInflatedBytes);

// Inflates a gzip stream held in memory (concatenated members too); `what` names it in errors
// as the prefix of each message, e.g. "file \"x.gz\"". Bytes after the stream are an error,
// and so is a stream that inflates to more than `maxBytes` (a "gzip bomb": inflation stops
// there, nothing more is allocated).
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> bytes, const std::string& what,
                                 std::int64_t maxBytes = kMaxInflatedBytes);
// The first `count` inflated bytes of a gzip stream, or all of them when it is shorter: for
// reading a header that says how large the rest may be. Errors as gunzip's.
std::vector<std::uint8_t> gunzipPrefix(std::span<const std::uint8_t> bytes, std::size_t count,
                                       const std::string& what);
// True when the bytes start with the gzip magic.
bool isGzip(std::span<const std::uint8_t> bytes);
// "1.5 GiB", "300 MiB", "12 KiB", "17 bytes": sizes in messages.
std::string byteSize(std::int64_t bytes);

void writeFileAtomic(const std::string& path, std::span<const std::uint8_t> bytes);
void writeFileAtomic(const std::string& path, const std::string& text);

// Several files replaced together (a project and its weight files): each is written and
// flushed to a temporary beside its target as it is added, and commit() renames them all into
// place, so an error or a crash before commit() leaves every target as it was, and one during
// it (a few renames) leaves whole files, never a half-written one. A FileSet dropped without
// commit() removes its temporaries.
class FileSet {
public:
    FileSet() = default;
    ~FileSet();
    FileSet(const FileSet&) = delete;
    FileSet& operator=(const FileSet&) = delete;
    void add(const std::string& path, std::span<const std::uint8_t> bytes);
    void add(const std::string& path, const std::string& text);
    void commit();

private:
    std::vector<std::pair<std::string, std::string>> staged_;  // target, temporary
};

} // namespace spikelab
