#include "spikelab/philox.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace spikelab;

// Known-answer values of Philox4x32-10 from the Random123 distribution's test vectors.
TEST(Philox, MatchesTheReferenceKnownAnswers) {
    EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}),
              (PhiloxCounter{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
    EXPECT_EQ(philox4x32({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}),
              (PhiloxCounter{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
    EXPECT_EQ(philox4x32({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}),
              (PhiloxCounter{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(Philox, UniformsAreUniform) {
    double sum = 0, sq = 0;
    const int n = 100000;
    for (std::uint32_t i = 0; i < std::uint32_t(n) / 4; ++i)
        for (std::uint32_t bits : philox4x32({i, 7, 0, 0}, {42, 0})) {
            const double u = uniformFromBits(bits);
            ASSERT_GE(u, 0.0);
            ASSERT_LT(u, 1.0);
            sum += u, sq += u * u;
        }
    EXPECT_NEAR(sum / n, 0.5, 0.005);
    EXPECT_NEAR(sq / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
}
