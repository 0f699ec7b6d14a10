// Deterministic mutation fuzzing of the loaders: parseIdx, parseNpy and gunzip must return or
// throw spikelab::Error for any input; no other exception, no crash, no out-of-bounds read
// (run under AddressSanitizer + UBSan to catch the latter), no absurd allocation.
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/idx.h"
#include "spikelab/npy.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <functional>
#include <random>

using namespace spikelab;
using spikelab::test::gzipBytes;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes idxSeed(std::vector<std::uint32_t> dims) {
    Bytes out = {0, 0, 0x08, std::uint8_t(dims.size())};
    std::size_t count = 1;
    for (std::uint32_t d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(d >> shift));
        count *= d;
    }
    for (std::size_t i = 0; i < count; ++i) out.push_back(std::uint8_t(i * 31));
    return out;
}

Bytes npyFortranBigEndianSeed() {
    std::string header = "{'descr': '>i2', 'fortran_order': True, 'shape': (3, 2, 2), }";
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, std::uint8_t(header.size()), 0};
    out.reserve(out.size() + header.size() + 24);
    for (char c : header) out.push_back(std::uint8_t(c));
    for (int i = 0; i < 12; ++i) {
        out.push_back(0xff);
        out.push_back(std::uint8_t(i));
    }
    return out;
}

class Fuzzer {
public:
    explicit Fuzzer(std::uint32_t seed) : rng_(seed) {}

    std::size_t below(std::size_t n) { return n == 0 ? 0 : std::size_t(rng_() % n); }
    std::uint8_t byte() { return std::uint8_t(rng_()); }

    Bytes mutate(Bytes b) {
        // Mostly one mutation, so that many results get past the first checks.
        const std::size_t rounds = below(2) ? 1 : 2 + below(3);
        for (std::size_t r = 0; r < rounds; ++r) {
            switch (below(8)) {
            case 0: // flip one bit
                if (!b.empty()) b[below(b.size())] ^= std::uint8_t(1u << below(8));
                break;
            case 1: // overwrite a byte, often with an extreme value
                if (!b.empty()) {
                    const std::uint8_t extremes[] = {0x00, 0xff, 0x7f, 0x80, 0x01};
                    b[below(b.size())] = below(2) ? extremes[below(5)] : byte();
                }
                break;
            case 2: { // insert random bytes
                const std::size_t at = below(b.size() + 1), n = 1 + below(8);
                for (std::size_t i = 0; i < n; ++i)
                    b.insert(b.begin() + std::ptrdiff_t(at), byte());
                break;
            }
            case 3: { // delete a range
                if (b.empty()) break;
                const std::size_t at = below(b.size()),
                                  n = 1 + below(std::min<std::size_t>(16, b.size() - at));
                b.erase(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + n));
                break;
            }
            case 4: // truncate
                b.resize(below(b.size() + 1));
                break;
            case 5: { // duplicate a chunk at the end
                if (b.empty()) break;
                const std::size_t at = below(b.size()),
                                  n = 1 + below(std::min<std::size_t>(32, b.size() - at));
                const Bytes chunk(b.begin() + std::ptrdiff_t(at),
                                  b.begin() + std::ptrdiff_t(at + n));
                b.insert(b.end(), chunk.begin(), chunk.end());
                break;
            }
            case 6: { // a character that means something in a .npy header
                static const char tokens[] = "0123456789(),:' \"{}<>|=fiubTFL";
                if (!b.empty()) b[below(b.size())] = std::uint8_t(tokens[below(sizeof tokens - 1)]);
                break;
            }
            default: // overwrite a 4-byte window (IDX dims, npy lengths) with random bits
                if (b.size() >= 4) {
                    const std::size_t at = below(b.size() - 3);
                    for (int i = 0; i < 4; ++i) b[at + std::size_t(i)] = byte();
                }
                break;
            }
        }
        return b;
    }

    Bytes random() {
        Bytes b(below(200));
        for (auto& x : b) x = byte();
        // Sometimes start with a real magic so the parsers get past the first check.
        const std::size_t kind = below(4);
        if (kind == 1 && b.size() >= 2) b[0] = 0x1f, b[1] = 0x8b;
        if (kind == 2 && b.size() >= 4)
            b[0] = 0, b[1] = 0, b[2] = 0x08, b[3] = std::uint8_t(1 + below(4));
        if (kind == 3 && b.size() >= 8) {
            const std::uint8_t magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
            std::copy(magic, magic + 8, b.begin());
        }
        return b;
    }

private:
    std::mt19937 rng_;
};

// Runs `f`; a spikelab::Error is an accepted outcome, anything else fails the test.
bool survives(const char* what, std::size_t iteration, const std::function<void()>& f) {
    try {
        f();
        return true;
    } catch (const Error&) {
        return true;
    } catch (const std::exception& e) {
        ADD_FAILURE() << what << " iteration " << iteration << ": " << e.what();
    } catch (...) {
        ADD_FAILURE() << what << " iteration " << iteration << ": unknown exception";
    }
    return false;
}

void checkAll(const Bytes& input, std::size_t iteration) {
    survives("parseIdx", iteration, [&] {
        const IdxArray a = parseIdx(input, "fuzz");
        std::uint64_t count = 1;
        for (auto d : a.dims) count *= d;
        EXPECT_EQ(a.data.size(), count);
    });
    survives("parseNpy", iteration, [&] {
        const NpyArray a = parseNpy(input, "fuzz");
        std::uint64_t count = 1;
        for (auto d : a.shape) count *= std::uint64_t(d);
        EXPECT_EQ(a.data.size(), count);
    });
    survives("gunzip", iteration, [&] {
        const Bytes inflated = gunzip(input, "fuzz");
        // What a damaged .gz inflates to goes on to the parsers, as readIdx would do.
        survives("parseIdx(gunzip)", iteration, [&] { parseIdx(inflated, "fuzz"); });
        survives("parseNpy(gunzip)", iteration, [&] { parseNpy(inflated, "fuzz"); });
    });
}

} // namespace

TEST(LoaderFuzz, MutatedValidFilesNeverEscapeAsAnythingButError) {
    const Bytes idx3 = idxSeed({3, 4, 5});
    const Bytes idx1 = idxSeed({10});
    const Bytes npyF4 =
        encodeNpy({3, 4}, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    const Bytes npyF = npyFortranBigEndianSeed();
    const std::vector<Bytes> seeds = {idx3,  idx1, gzipBytes(idx3), gzipBytes(idx1),
                                      npyF4, npyF, gzipBytes(npyF4)};
    // The seeds themselves are valid.
    EXPECT_EQ(parseIdx(idx3, "seed").data.size(), 60u);
    EXPECT_EQ(parseNpy(npyF, "seed").data.size(), 12u);
    EXPECT_EQ(gunzip(seeds[2], "seed"), idx3);

    Fuzzer fuzz(20240601u);
    const std::size_t iterations = 10000;
    for (std::size_t i = 0; i < iterations && !HasFailure(); ++i)
        checkAll(fuzz.mutate(seeds[i % seeds.size()]), i);
}

TEST(LoaderFuzz, RandomBytesNeverEscapeAsAnythingButError) {
    Fuzzer fuzz(7u);
    for (std::size_t i = 0; i < 2000 && !HasFailure(); ++i) checkAll(fuzz.random(), i);
    checkAll({}, 0);
}
