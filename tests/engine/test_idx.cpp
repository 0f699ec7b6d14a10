// IDX reader: round trips (plain and gzip) and one hand-made bad file per documented error.
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/idx.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <functional>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// An IDX file: 00 00 type ndims, big-endian dims, then `data` as given.
std::vector<std::uint8_t> idxBytes(const std::vector<std::uint32_t>& dims,
                                   const std::vector<std::uint8_t>& data,
                                   std::uint8_t type = 0x08) {
    std::vector<std::uint8_t> out = {0, 0, type, std::uint8_t(dims.size())};
    for (std::uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(d >> shift));
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

std::vector<std::uint8_t> iota(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = std::uint8_t(i * 13);
    return v;
}

void writeRaw(const std::string& path, std::span<const std::uint8_t> bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::string parseError(const std::vector<std::uint8_t>& bytes) {
    return errorOf([&] { parseIdx(bytes, "file \"x.idx\""); });
}

} // namespace

TEST(Idx, ParsesImagesAndLabels) {
    const auto data = iota(2 * 3 * 4);
    const IdxArray a = parseIdx(idxBytes({2, 3, 4}, data), "mem");
    EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{2, 3, 4}));
    EXPECT_EQ(a.data, data);
    const IdxArray l = parseIdx(idxBytes({5}, {1, 2, 3, 4, 9}), "mem");
    EXPECT_EQ(l.dims, std::vector<std::uint32_t>{5});
    EXPECT_EQ(l.data, (std::vector<std::uint8_t>{1, 2, 3, 4, 9}));
    const IdxArray four = parseIdx(idxBytes({1, 2, 1, 3}, iota(6)), "mem");
    EXPECT_EQ(four.dims.size(), 4u);
    const IdxArray empty = parseIdx(idxBytes({0, 28, 28}, {}), "mem");
    EXPECT_EQ(empty.dims[0], 0u);
    EXPECT_TRUE(empty.data.empty());
}

TEST(Idx, PlainAndGzipFilesGiveIdenticalResults) {
    TempDir dir;
    const auto bytes = idxBytes({7, 5, 6}, iota(7 * 5 * 6));
    writeRaw(dir.file("a-idx3-ubyte"), bytes);
    writeRaw(dir.file("a-idx3-ubyte.gz"), gzipBytes(bytes));
    const IdxArray plain = readIdx(dir.file("a-idx3-ubyte"));
    const IdxArray packed = readIdx(dir.file("a-idx3-ubyte.gz"));
    EXPECT_EQ(plain.dims, packed.dims);
    EXPECT_EQ(plain.data, packed.data);
    EXPECT_EQ(plain.data, iota(7 * 5 * 6));
}

TEST(Idx, WrongMagicIsRejected) {
    auto bytes = idxBytes({3}, {1, 2, 3});
    bytes[0] = 0x1f;
    bytes[1] = 0x8c;
    const auto msg = parseError(bytes);
    EXPECT_CONTAINS(msg, "file \"x.idx\": wrong magic: it starts with 0x1F 0x8C");
    EXPECT_CONTAINS(parseError({0}), "truncated: 1 bytes");
    EXPECT_CONTAINS(parseError({}), "truncated: 0 bytes");
}

TEST(Idx, UnsupportedTypesAreNamed) {
    EXPECT_CONTAINS(parseError(idxBytes({1}, {0, 0, 0, 0}, 0x0D)),
                    "unsupported IDX data type 0x0D (float32)");
    EXPECT_CONTAINS(parseError(idxBytes({1}, {0}, 0x09)), "0x09 (signed byte)");
    EXPECT_CONTAINS(parseError(idxBytes({1}, {0}, 0x42)), "0x42 (unknown)");
}

TEST(Idx, WrongNumberOfDimensionsIsRejected) {
    EXPECT_CONTAINS(parseError(idxBytes({}, {})), "unsupported number of dimensions 0");
    EXPECT_CONTAINS(parseError(idxBytes({1, 1, 1, 1, 1}, {7})),
                    "unsupported number of dimensions 5 (expected 1 to 4)");
    // Three dimensions declared, only two given.
    auto bytes = idxBytes({2, 2}, {});
    bytes[3] = 3;
    EXPECT_CONTAINS(parseError(bytes), "truncated: the header declares 3 dimensions");
}

TEST(Idx, TruncatedDataReportsTheNumbers) {
    TempDir dir;
    const auto path = dir.file("t10k-images-idx3-ubyte.gz");
    writeRaw(path, gzipBytes(idxBytes({10000, 28, 28}, std::vector<std::uint8_t>(1200, 3))));
    const auto msg = errorOf([&] { readIdx(path); });
    EXPECT_CONTAINS(msg, "file " + quote(path) +
                             ": truncated: header says 10000x28x28 = 7840000 bytes of data but "
                             "only 1200 follow");
}

TEST(Idx, TrailingBytesAreRejected) {
    auto bytes = idxBytes({2, 2}, {1, 2, 3, 4, 5, 6});
    EXPECT_CONTAINS(parseError(bytes), "2 unexpected trailing bytes: header says 2x2 = 4 bytes");
}

TEST(Idx, HugeDimensionsAreRejectedWithoutAllocating) {
    const auto msg = parseError(idxBytes({0xffffffffu, 0xffffffffu, 0xffffffffu}, {1, 2, 3}));
    EXPECT_CONTAINS(msg, "header says 4294967295x4294967295x4294967295 = more than 2^64 bytes");
    EXPECT_CONTAINS(parseError(idxBytes({65536, 65536}, {1})), "= 4294967296 bytes of data but "
                                                               "only 1 follow");
}

TEST(Idx, FileErrorsNameThePath) {
    TempDir dir;
    EXPECT_CONTAINS(errorOf([&] { readIdx(dir.file("nope-idx1-ubyte")); }), "nope-idx1-ubyte");
    const auto gz = gzipBytes(idxBytes({100}, iota(100)));
    writeRaw(dir.file("cut.gz"), std::vector<std::uint8_t>(gz.begin(), gz.end() - 9));
    const auto msg = errorOf([&] { readIdx(dir.file("cut.gz")); });
    EXPECT_CONTAINS(msg, "file " + quote(dir.file("cut.gz")) + ": truncated gzip data");
}
