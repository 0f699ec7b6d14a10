#pragma once
// IDX files (the MNIST family): a big-endian header (two zero bytes, a type code, the number
// of dimensions, one uint32 size per dimension) followed by the data. SpikeLab reads the
// unsigned-byte type (0x08), which is what MNIST and Fashion-MNIST use.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace spikelab {

struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> data;  // product(dims) bytes, C order
};

// The largest IDX data read, compressed or inflated (MNIST's training images are 47 MB).
inline constexpr std::int64_t kMaxIdxBytes = std::int64_t(1) << 30;

// Plain or gzip-compressed (.gz detected by content); a compressed file may inflate to no
// more than its header declares (and kMaxIdxBytes). Throws spikelab::Error naming the
// file and what is wrong: wrong magic, unsupported type, truncated data, trailing bytes.
IdxArray readIdx(const std::string& path);
// The same checks on bytes already in memory; `what` names them in messages (it is the prefix
// of each message, e.g. "file \"x-idx3-ubyte\"").
IdxArray parseIdx(std::span<const std::uint8_t> bytes, const std::string& what);

} // namespace spikelab
