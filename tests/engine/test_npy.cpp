// .npy reader and writer: round trips, every supported dtype in both byte orders, Fortran order,
// header variants, and one hand-made bad file per documented error.
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/npy.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// A .npy file with the given header dict (padded to 64) and raw data bytes.
std::vector<std::uint8_t> npyBytes(const std::string& dict, const std::vector<std::uint8_t>& data,
                                   int major = 1) {
    const std::size_t preamble = major == 1 ? 10 : 12;
    std::string header = dict;
    while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::vector<std::uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', std::uint8_t(major), 0};
    for (std::size_t i = 0; i < preamble - 8; ++i)
        out.push_back(std::uint8_t(header.size() >> (8 * i)));
    out.reserve(out.size() + header.size() + data.size());
    for (char c : header) out.push_back(std::uint8_t(c));
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

// Values stored as type T in the given byte order.
template <typename T> std::vector<std::uint8_t> raw(const std::vector<T>& values, bool bigEndian) {
    std::vector<std::uint8_t> out;
    for (T v : values) {
        std::uint8_t b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        if (bigEndian) std::reverse(b, b + sizeof(T));
        out.insert(out.end(), b, b + sizeof(T));
    }
    return out;
}

std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
           ", 'shape': " + shape + ", }";
}

std::string parseError(const std::vector<std::uint8_t>& bytes) {
    return errorOf([&] { parseNpy(bytes, "file \"w.npy\""); });
}

template <typename T> void expectDtype(const std::string& code, const std::vector<T>& values) {
    for (bool big : {false, true}) {
        const std::string descr = (sizeof(T) == 1 ? "|" : big ? ">" : "<") + code;
        const NpyArray a = parseNpy(
            npyBytes(dict(descr, "(" + std::to_string(values.size()) + ",)"), raw(values, big)),
            descr);
        EXPECT_EQ(a.dtype, descr);
        ASSERT_EQ(a.data.size(), values.size()) << descr;
        for (std::size_t i = 0; i < values.size(); ++i)
            EXPECT_EQ(a.data[i], double(values[i])) << descr << " [" << i << "]";
    }
}

} // namespace

TEST(Npy, WriteReadRoundTripFloat32AndFloat64) {
    TempDir dir;
    const std::vector<float> f = {1.5f, -2.25f, 3e-8f, 4e30f, 0.0f, -0.0f};
    writeNpy(dir.file("f.npy"), {3, 2}, f);
    const NpyArray a = readNpy(dir.file("f.npy"));
    EXPECT_EQ(a.shape, (std::vector<std::int64_t>{3, 2}));
    EXPECT_EQ(a.dtype, "<f4");
    EXPECT_FALSE(a.fortranOrder);
    ASSERT_EQ(a.data.size(), f.size());
    for (std::size_t i = 0; i < f.size(); ++i) EXPECT_EQ(a.data[i], double(f[i]));

    const std::vector<double> d = {0.1, -1e300, std::numeric_limits<double>::denorm_min()};
    writeNpy(dir.file("d.npy"), {3}, d);
    const NpyArray b = readNpy(dir.file("d.npy"));
    EXPECT_EQ(b.shape, std::vector<std::int64_t>{3});
    EXPECT_EQ(b.dtype, "<f8");
    EXPECT_EQ(b.data, d);
}

TEST(Npy, NaNAndInfinityAreReadThrough) {
    TempDir dir;
    const double inf = std::numeric_limits<double>::infinity();
    writeNpy(dir.file("n.npy"), {2, 2}, std::vector<double>{1.0, std::nan(""), inf, -inf});
    const NpyArray a = readNpy(dir.file("n.npy"));
    EXPECT_EQ(a.data[0], 1.0);
    EXPECT_TRUE(std::isnan(a.data[1]));
    EXPECT_EQ(a.data[2], inf);
    EXPECT_EQ(a.data[3], -inf);
}

TEST(Npy, EncodedHeaderFollowsNumpysLayout) {
    const auto bytes = encodeNpy({3, 2}, std::vector<float>(6, 1.0f));
    ASSERT_GE(bytes.size(), 10u);
    EXPECT_EQ(std::string(bytes.begin() + 1, bytes.begin() + 6), "NUMPY");
    EXPECT_EQ(bytes[0], 0x93);
    EXPECT_EQ(bytes[6], 1);
    EXPECT_EQ(bytes[7], 0);
    const std::size_t headerLen = bytes[8] | std::size_t(bytes[9]) << 8;
    EXPECT_EQ((10 + headerLen) % 64, 0u);
    const std::string header(bytes.begin() + 10, bytes.begin() + 10 + std::ptrdiff_t(headerLen));
    EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", 0), 0u);
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(bytes.size(), 10 + headerLen + 6 * 4);

    const auto one = encodeNpy({5}, std::vector<float>(5));
    EXPECT_NE(std::string(one.begin(), one.end()).find("'shape': (5,), }"), std::string::npos);
    const auto scalar = encodeNpy({}, std::vector<float>{7.0f});
    EXPECT_NE(std::string(scalar.begin(), scalar.end()).find("'shape': (), }"), std::string::npos);
    const NpyArray s = parseNpy(scalar, "scalar");
    EXPECT_TRUE(s.shape.empty());
    EXPECT_EQ(s.data, std::vector<double>{7.0});
}

TEST(Npy, ShapeThatDoesNotMatchTheValuesIsAProgrammingError) {
    TempDir dir;
    EXPECT_THROW(writeNpy(dir.file("x.npy"), {3, 3}, std::vector<float>(8)), InternalError);
    EXPECT_THROW(encodeNpy({-1}, std::vector<float>{}), InternalError);
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
}

TEST(Npy, EverySupportedDtypeInBothByteOrders) {
    expectDtype<float>("f4", {1.5f, -3.0f, 1e20f});
    expectDtype<double>("f8", {1.5, -3.0, 1e200});
    expectDtype<std::uint8_t>("u1", {0, 7, 255});
    expectDtype<std::int8_t>("i1", {-128, -1, 127});
    expectDtype<std::int16_t>("i2", {-32768, -2, 300});
    expectDtype<std::uint16_t>("u2", {0, 65535, 258});
    expectDtype<std::int32_t>("i4", {-2147483647 - 1, -5, 100000});
    expectDtype<std::uint32_t>("u4", {0, 4294967295u, 16909060});
    expectDtype<std::int64_t>("i8", {-(std::int64_t(1) << 50), -1, std::int64_t(1) << 40});
    expectDtype<std::uint64_t>("u8", {0, std::uint64_t(1) << 52, 123456789});
    const NpyArray b = parseNpy(npyBytes(dict("|b1", "(3,)"), {0, 1, 1}), "bool");
    EXPECT_EQ(b.data, (std::vector<double>{0, 1, 1}));
}

TEST(Npy, FortranOrderIsConvertedToCOrder) {
    // A 2x3x4 array whose C-order values are 0..23, stored in Fortran order, big-endian f8.
    const std::int64_t d0 = 2, d1 = 3, d2 = 4;
    std::vector<double> fortran(24);
    for (std::int64_t i = 0; i < d0; ++i)
        for (std::int64_t j = 0; j < d1; ++j)
            for (std::int64_t k = 0; k < d2; ++k)
                fortran[std::size_t(i + d0 * (j + d1 * k))] = double((i * d1 + j) * d2 + k);
    const NpyArray a = parseNpy(npyBytes(dict(">f8", "(2, 3, 4)", true), raw(fortran, true)), "f");
    EXPECT_TRUE(a.fortranOrder);
    EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 3, 4}));
    for (std::size_t i = 0; i < 24; ++i) EXPECT_EQ(a.data[i], double(i));

    // 3x2 little-endian int32 matrix [[1,2],[3,4],[5,6]] in Fortran order.
    const NpyArray m = parseNpy(npyBytes(dict("<i4", "(3, 2)", true),
                                         raw(std::vector<std::int32_t>{1, 3, 5, 2, 4, 6}, false)),
                                "m");
    EXPECT_EQ(m.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(Npy, HeaderVariantsAreAccepted) {
    const auto four = raw(std::vector<float>{1, 2, 3, 4}, false);
    for (const std::string& d :
         {std::string("{'shape': (2, 2), 'fortran_order': False, 'descr': '<f4'}"),
          std::string("{ \"descr\" : \"<f4\" , \"fortran_order\":False,\"shape\":(2,2,) }"),
          std::string("{'descr':'<f4','fortran_order':False,'shape':(2L, 2L),}")}) {
        const NpyArray a = parseNpy(npyBytes(d, four), "v");
        EXPECT_EQ(a.shape, (std::vector<std::int64_t>{2, 2})) << d;
        EXPECT_EQ(a.data, (std::vector<double>{1, 2, 3, 4})) << d;
    }
    for (int major : {2, 3}) {
        const NpyArray a = parseNpy(npyBytes(dict("<f4", "(4,)"), four, major), "v2");
        EXPECT_EQ(a.data.size(), 4u);
    }
    const NpyArray empty = parseNpy(npyBytes(dict("<f4", "(0, 5)"), {}), "e");
    EXPECT_EQ(empty.shape, (std::vector<std::int64_t>{0, 5}));
    EXPECT_TRUE(empty.data.empty());
}

TEST(Npy, BadHeadersAreRejected) {
    const auto four = raw(std::vector<float>{1, 2, 3, 4}, false);
    auto bad = [&](const std::string& d) { return parseError(npyBytes(d, four)); };
    EXPECT_CONTAINS(bad("{'descr': '<f4', 'fortran_order': False}"), "missing key 'shape'");
    EXPECT_CONTAINS(bad("{'descr': '<f4', 'shape': (4,)}"), "missing key 'fortran_order'");
    EXPECT_CONTAINS(bad(dict("<f4", "(4,)") + "x"), "unexpected text after the dict");
    EXPECT_CONTAINS(bad("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (4,)}"),
                    "key 'descr' given twice");
    EXPECT_CONTAINS(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1}"),
                    "unknown key 'x'");
    EXPECT_CONTAINS(bad("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (4,)}"),
                    "expected True or False");
    EXPECT_CONTAINS(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,)}"),
                    "expected a non-negative integer dimension");
    EXPECT_CONTAINS(bad("{'descr': '<f4, 'fortran_order': False"), "bad .npy header");
    EXPECT_CONTAINS(bad("['descr']"), "file \"w.npy\": bad .npy header: expected '{'");
    EXPECT_CONTAINS(bad("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,)}"),
                    "structured dtypes");
    EXPECT_CONTAINS(
        bad("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
        "dimension too large");
}

TEST(Npy, UnsupportedDtypesAreNamed) {
    for (const std::string d : {"<f2", "<c8", "|O", "<U5", "|u3", "|i2", "<b2", "f4"}) {
        const auto msg = parseError(npyBytes(dict(d, "(2,)"), std::vector<std::uint8_t>(16)));
        EXPECT_CONTAINS(msg, "file \"w.npy\": unsupported dtype \"" + d + "\"");
    }
}

TEST(Npy, WrongMagicVersionAndTruncationAreRejected) {
    auto good = encodeNpy({2}, std::vector<float>{1, 2});
    auto wrong = good;
    wrong[1] = 'X';
    EXPECT_CONTAINS(parseError(wrong), "not a .npy file");
    EXPECT_CONTAINS(parseError(std::vector<std::uint8_t>(good.begin(), good.begin() + 9)),
                    "not a .npy file");
    auto v4 = good;
    v4[6] = 4;
    EXPECT_CONTAINS(parseError(v4), "unsupported .npy format version 4.0");
    EXPECT_CONTAINS(parseError(std::vector<std::uint8_t>(good.begin(), good.begin() + 40)),
                    "truncated: the header length is 118 bytes but only 30 follow");
}

TEST(Npy, ShapeProductMustMatchTheDataLength) {
    const auto five = raw(std::vector<float>{1, 2, 3, 4, 5}, false);
    EXPECT_CONTAINS(parseError(npyBytes(dict("<f4", "(3, 2)"), five)),
                    "file \"w.npy\": shape (3, 2) of \"<f4\" needs 24 bytes of data but 20 follow "
                    "(truncated)");
    EXPECT_CONTAINS(parseError(npyBytes(dict("<f4", "(2, 2)"), five)),
                    "needs 16 bytes of data but 20 follow (4 trailing bytes)");
    EXPECT_CONTAINS(parseError(npyBytes(dict("<f8", "(4611686018427387904, 8)"), five)),
                    "needs more than 2^64 bytes");
    EXPECT_CONTAINS(parseError(npyBytes(dict("<f8", "(2305843009213693952,)"), five)),
                    "needs more than 2^64 bytes");
}

TEST(Npy, FileErrorsNameThePath) {
    TempDir dir;
    const auto path = dir.file("absent.npy");
    EXPECT_CONTAINS(errorOf([&] { readNpy(path); }), quote(path));
    writeFileAtomic(dir.file("bad.npy"), std::string("hello"));
    EXPECT_CONTAINS(errorOf([&] { readNpy(dir.file("bad.npy")); }),
                    "file " + quote(dir.file("bad.npy")) + ": not a .npy file");
}
