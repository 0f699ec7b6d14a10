// IDX reader (MNIST family). Every size in the header is checked against the bytes actually
// present before anything is allocated.
#include "spikelab/idx.h"

#include "spikelab/error.h"
#include "spikelab/fileio.h"

#include <cstdio>
#include <limits>

namespace spikelab {

namespace {

std::string hexByte(std::uint8_t b) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", unsigned(b));
    return text;
}

const char* idxTypeName(std::uint8_t type) {
    switch (type) {
    case 0x08:
        return "unsigned byte";
    case 0x09:
        return "signed byte";
    case 0x0B:
        return "int16";
    case 0x0C:
        return "int32";
    case 0x0D:
        return "float32";
    case 0x0E:
        return "float64";
    default:
        return nullptr;
    }
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
           std::uint32_t(p[3]);
}

std::string dimsText(const std::vector<std::uint32_t>& dims) {
    std::string text;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (i) text += 'x';
        text += std::to_string(dims[i]);
    }
    return text;
}

} // namespace

IdxArray parseIdx(std::span<const std::uint8_t> bytes, const std::string& what) {
    if (bytes.size() < 4)
        throw Error(what + ": truncated: " + std::to_string(bytes.size()) +
                    " bytes, but an IDX header needs at least 4");
    if (bytes[0] != 0 || bytes[1] != 0)
        throw Error(what + ": wrong magic: it starts with " + hexByte(bytes[0]) + " " +
                    hexByte(bytes[1]) + " instead of 0x00 0x00 (not an IDX file?)");
    const std::uint8_t type = bytes[2];
    if (type != 0x08) {
        const char* name = idxTypeName(type);
        throw Error(what + ": unsupported IDX data type " + hexByte(type) +
                    (name ? std::string(" (") + name + ")" : std::string(" (unknown)")) +
                    "; only 0x08 (unsigned byte) is supported");
    }
    const unsigned ndims = bytes[3];
    if (ndims < 1 || ndims > 4)
        throw Error(what + ": unsupported number of dimensions " + std::to_string(ndims) +
                    " (expected 1 to 4)");
    const std::size_t headerSize = 4 + 4 * std::size_t(ndims);
    if (bytes.size() < headerSize)
        throw Error(what + ": truncated: the header declares " + std::to_string(ndims) +
                    " dimensions (" + std::to_string(headerSize) +
                    " header bytes) but the file has " + std::to_string(bytes.size()) + " bytes");

    IdxArray out;
    out.dims.reserve(ndims);
    for (unsigned d = 0; d < ndims; ++d) out.dims.push_back(bigEndian32(bytes.data() + 4 + 4 * d));

    // product(dims), saturating so that a malicious header cannot wrap around.
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t count = 1;
    bool overflow = false;
    for (std::uint32_t d : out.dims) {
        if (d != 0 && count > max / d) overflow = true;
        count = overflow ? max : count * d;
    }
    for (std::uint32_t d : out.dims)
        if (d == 0) count = 0, overflow = false;

    const std::uint64_t available = bytes.size() - headerSize;
    if (overflow || count > available)
        throw Error(what + ": truncated: header says " + dimsText(out.dims) + " = " +
                    (overflow ? std::string("more than 2^64") : std::to_string(count)) +
                    " bytes of data but only " + std::to_string(available) + " follow");
    if (count < available)
        throw Error(what + ": " + std::to_string(available - count) +
                    " unexpected trailing bytes: header says " + dimsText(out.dims) + " = " +
                    std::to_string(count) + " bytes of data but " + std::to_string(available) +
                    " follow");
    out.data.assign(bytes.begin() + std::ptrdiff_t(headerSize), bytes.end());
    return out;
}

IdxArray readIdx(const std::string& path) {
    const std::string what = "file " + quote(path);
    std::vector<std::uint8_t> bytes = readFile(path, kMaxIdxBytes, "an IDX file");
    if (!isGzip(bytes)) return parseIdx(bytes, what);
    // A compressed file may inflate to no more than its header declares (plus a little, so
    // that trailing bytes get their own message), and never beyond kMaxIdxBytes: a few MB
    // of gzip can otherwise claim gigabytes.
    const auto head = gunzipPrefix(bytes, 4 + 4 * 4, what);
    std::int64_t limit = kMaxIdxBytes;
    if (head.size() >= 4 && head[3] >= 1 && head[3] <= 4 && head.size() >= 4 + 4 * std::size_t(head[3])) {
        std::uint64_t declared = 4 + 4 * std::uint64_t(head[3]);
        std::uint64_t count = 1;
        for (unsigned d = 0; d < head[3] && count <= std::uint64_t(kMaxIdxBytes); ++d)
            count *= bigEndian32(head.data() + 4 + 4 * d);
        declared += count;
        if (declared < std::uint64_t(kMaxIdxBytes)) limit = std::int64_t(declared) + 64;
    }
    return parseIdx(gunzip(bytes, what, limit), what);
}

} // namespace spikelab
