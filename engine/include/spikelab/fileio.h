#pragma once
// Whole-file reading and atomic writing. Every file SpikeLab writes goes through
// writeFileAtomic: the bytes go to a temporary file in the same folder, are flushed, and the
// temporary is renamed over the target, so a reader never sees a half-written file.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace spikelab {

// Throws spikelab::Error naming the path when the file cannot be opened or read.
std::vector<std::uint8_t> readFile(const std::string& path);

// Reads a file; when it starts with the gzip magic (1f 8b) it is inflated with zlib.
// A corrupt or truncated gzip stream is an Error naming the path.
std::vector<std::uint8_t> readFileMaybeGzip(const std::string& path);

// Inflates a gzip stream held in memory (concatenated members too); `what` names it in errors
// as the prefix of each message, e.g. "file \"x.gz\"". Bytes after the stream are an error.
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> bytes, const std::string& what);

void writeFileAtomic(const std::string& path, std::span<const std::uint8_t> bytes);
void writeFileAtomic(const std::string& path, const std::string& text);

} // namespace spikelab
