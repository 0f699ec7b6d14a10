// Weight sources: .npy files of the tutorial's shapes, C or Fortran order, and their errors;
// seeded random initialisers.
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/npy.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

using namespace spikelab;
using namespace spikelab::test;

namespace {
NetworkSpec twoLayer(const std::string& file, std::int64_t pre = 3, std::int64_t post = 2) {
    NetworkSpec s;
    s.populations = {population("in", pre, "IF"), population("out", post, "IF")};
    WeightSpec w;
    w.type = WeightInitType::Npy;
    w.file = file;
    s.projections = {projection("in_out", "in", "out", w)};
    return s;
}

std::string errorOf(const NetworkSpec& s, const std::string& dir) {
    try {
        compileNetwork(s, dir);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

// A hand-written big-endian float64 Fortran-order .npy (the header is padded to 64 bytes).
void writeFortranBigEndian(const std::string& path, const std::vector<double>& cOrder, int rows, int cols) {
    std::string header = "{'descr': '>f8', 'fortran_order': True, 'shape': (" + std::to_string(rows) +
                         ", " + std::to_string(cols) + "), }";
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const auto len = static_cast<std::uint16_t>(header.size());
    out.put(char(len & 0xff));
    out.put(char(len >> 8));
    out << header;
    for (int c = 0; c < cols; ++c)
        for (int r = 0; r < rows; ++r) {
            const double v = cOrder[std::size_t(r * cols + c)];
            unsigned char bytes[8];
            std::memcpy(bytes, &v, 8);
            for (int k = 7; k >= 0; --k) out.put(char(bytes[k]));
        }
}
} // namespace

TEST(Weights, NpyFileGivesThePrePostMatrix) {
    TempDir dir;
    const std::vector<float> w = {1, 2, 3, 4, 5, 6};  // 3 x 2
    writeNpy(dir.file("w.npy"), {3, 2}, w);
    const auto net = compileNetwork(twoLayer("w.npy"), dir.path().string());
    EXPECT_EQ(net.projections[0].synapses.weights, w);
    EXPECT_EQ(net.projections[0].synapses.weight(2, 1), 6.0f);
}

TEST(Weights, FortranOrderBigEndianFloat64IsReadInPrePostOrder) {
    TempDir dir;
    writeFortranBigEndian(dir.file("f.npy"), {1, 2, 3, 4, 5, 6}, 3, 2);
    const auto net = compileNetwork(twoLayer("f.npy"), dir.path().string());
    EXPECT_EQ(net.projections[0].synapses.weights, (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Weights, ShapeMismatchNamesProjectionFileAndShapes) {
    TempDir dir;
    writeNpy(dir.file("w.npy"), {2, 3}, std::vector<float>(6, 1.0f));
    const auto msg = errorOf(twoLayer("w.npy"), dir.path().string());
    EXPECT_NE(msg.find("projection \"in_out\": weight file"), std::string::npos) << msg;
    EXPECT_NE(msg.find("has shape (2, 3) but the populations need (3, 2) (pre x post)"), std::string::npos)
        << msg;
}

TEST(Weights, NaNAndMissingFilesAreErrors) {
    TempDir dir;
    std::vector<double> w(6, 0.5);
    w[3] = std::nan("");
    writeNpy(dir.file("nan.npy"), {3, 2}, w);
    const auto msg = errorOf(twoLayer("nan.npy"), dir.path().string());
    EXPECT_NE(msg.find("at [1, 1] is not a finite float32 weight"), std::string::npos) << msg;
    w[3] = 1e300;  // finite double, not a float
    writeNpy(dir.file("big.npy"), {3, 2}, w);
    EXPECT_NE(errorOf(twoLayer("big.npy"), dir.path().string()).find("not a finite float32"),
              std::string::npos);
    EXPECT_NE(errorOf(twoLayer("absent.npy"), dir.path().string()).find("absent.npy"), std::string::npos);
}

TEST(Weights, SeededInitialisersAreReproducibleAndHaveTheRightMoments) {
    WeightSpec n;
    n.type = WeightInitType::Normal;
    n.mean = 0.5;
    n.sd = 2.0;
    n.seed = 9;
    const auto a = buildSynapses(projection("p", "a", "b", n), 300, 300, ".");
    EXPECT_EQ(a.weights, buildSynapses(projection("p", "a", "b", n), 300, 300, ".").weights);
    double mean = 0, sq = 0;
    for (float x : a.weights) mean += x, sq += double(x) * x;
    mean /= double(a.weights.size());
    const double sd = std::sqrt(sq / double(a.weights.size()) - mean * mean);
    EXPECT_NEAR(mean, 0.5, 0.02);
    EXPECT_NEAR(sd, 2.0, 0.02);
    WeightSpec g;
    g.type = WeightInitType::Glorot;
    const auto gl = buildSynapses(projection("p", "a", "b", g), 784, 128, ".");
    const float limit = float(std::sqrt(6.0 / (784 + 128)));
    float lo = 1, hi = -1;
    for (float x : gl.weights) lo = std::min(lo, x), hi = std::max(hi, x);
    EXPECT_GE(lo, -limit);
    EXPECT_LE(hi, limit);
    EXPECT_LT(lo, -0.95f * limit);
    EXPECT_GT(hi, 0.95f * limit);
}
