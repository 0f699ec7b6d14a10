// From events to spike trains: input maps, blocklists (files and computed from data, compared
// with NEST's list on the real recordings), and both time mappings against hand-computed steps.
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/fileio.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

using namespace spikelab;
using namespace spikelab::test;

namespace {

EventSample sampleOf(std::vector<DvsEvent> events) {
    EventSample s;
    s.events = std::move(events);
    s.source = "s.bin";
    return s;
}

// The inputs of each step, as lists.
std::vector<std::vector<std::uint32_t>> perStep(const SpikeTrain& t) {
    EXPECT_EQ(t.stepStart.size(), std::size_t(t.steps) + 1);
    EXPECT_EQ(t.stepStart.front(), 0);
    EXPECT_EQ(t.stepStart.back(), t.spikeCount());
    std::vector<std::vector<std::uint32_t>> out;
    for (std::int64_t s = 0; s < t.steps; ++s)
        out.emplace_back(t.inputs.begin() + t.stepStart[std::size_t(s)],
                         t.inputs.begin() + t.stepStart[std::size_t(s) + 1]);
    return out;
}

// Step of each event, from a train over a sample of one event per distinct input.
std::vector<std::int64_t> stepsOfTimes(const std::vector<std::uint32_t>& times,
                                       const TimeMapping& mapping, std::int64_t* steps = nullptr) {
    std::vector<DvsEvent> ev;
    for (std::size_t i = 0; i < times.size(); ++i)
        ev.push_back({times[i], std::uint8_t(i), 0, false}); // input i
    const SpikeTrain t = toSpikeTrain(sampleOf(ev), mapping, allInputs());
    if (steps) *steps = t.steps;
    std::vector<std::int64_t> result(times.size(), -1);
    const auto lists = perStep(t);
    for (std::size_t s = 0; s < lists.size(); ++s)
        for (std::uint32_t input : lists[s]) result[input] = std::int64_t(s);
    return result;
}

} // namespace

TEST(EventMapping, InputMaps) {
    const InputMap all = allInputs();
    EXPECT_EQ(all.kept, 2312);
    ASSERT_EQ(all.index.size(), 2312u);
    for (std::size_t i = 0; i < all.index.size(); ++i) EXPECT_EQ(all.index[i], std::int32_t(i));
    const InputMap some = inputsWithout({5, 0, 5, 2311});
    EXPECT_EQ(some.kept, 2309);
    EXPECT_EQ(some.index[0], -1);
    EXPECT_EQ(some.index[1], 0);
    EXPECT_EQ(some.index[4], 3);
    EXPECT_EQ(some.index[5], -1);
    EXPECT_EQ(some.index[6], 4);
    EXPECT_EQ(some.index[2310], 2308);
    EXPECT_EQ(some.index[2311], -1);
    EXPECT_EQ(errorOf([] { inputsWithout({2312}); }),
              "blocked input 2312 is out of range (inputs are 0..2311)");
}

TEST(EventMapping, ReadBlocklist) {
    TempDir tmp;
    writeFileAtomic(tmp.file("ok.txt"),
                    std::string("# rarely active\n7\n\n  3  \r\n1.000000000000000000e+01"
                                "\n2311 # last\n3\n"));
    EXPECT_EQ(readBlocklist(tmp.file("ok.txt")), (std::vector<std::uint32_t>{3, 7, 10, 2311}));
    auto err = [&](const std::string& text) {
        writeFileAtomic(tmp.file("bad.txt"), text);
        return errorOf([&] { readBlocklist(tmp.file("bad.txt")); });
    };
    const std::string file = "blocklist " + quote(tmp.file("bad.txt"));
    EXPECT_EQ(err("1\n2\nfour\n"), file + ", line 3: \"four\" is not an input index (one whole "
                                          "number per line expected)");
    EXPECT_EQ(err("1\n\n2.5\n"), file + ", line 3: \"2.5\" is not a whole number");
    EXPECT_EQ(err("2312\n"), file + ", line 1: \"2312\" is out of range (inputs are 0..2311)");
    EXPECT_EQ(err("#\n-1\n"), file + ", line 2: \"-1\" is out of range (inputs are 0..2311)");
    EXPECT_NE(err("1 2\n").find("line 1: \"1 2\" is not an input index"), std::string::npos);
    EXPECT_NE(err("0x10\n").find("is not an input index"), std::string::npos);
    EXPECT_NE(errorOf([&] { readBlocklist(tmp.file("absent.txt")); }).find("absent.txt"),
              std::string::npos);
}

TEST(EventMapping, ComputeBlocklist) {
    EventDataset ds;
    ds.samples.push_back(sampleOf({{0, 1, 0, false}, {1, 1, 0, false}, {2, 2, 0, true}}));
    ds.samples.push_back(sampleOf({{0, 1, 0, false}, {5, 2, 0, true}, {6, 3, 0, false}}));
    // Counts: input 1 -> 3, input 1156+2 -> 2, input 3 -> 1, all others 0.
    const auto two = computeBlocklist(ds, 2);
    EXPECT_EQ(two.size(), 2310u);
    EXPECT_TRUE(std::find(two.begin(), two.end(), 3u) != two.end());
    EXPECT_TRUE(std::find(two.begin(), two.end(), 1158u) == two.end());
    EXPECT_EQ(computeBlocklist(ds, 3).size(), 2311u);
    EXPECT_EQ(computeBlocklist(ds, 4).size(), 2312u);
    EXPECT_TRUE(computeBlocklist(ds, 0).empty());
    EXPECT_TRUE(std::is_sorted(two.begin(), two.end()));
}

TEST(EventMapping, ScaledStepsByHand) {
    // 10 steps over [0, 999] us: step = floor(t * 10 / 1000); later times go to the last step.
    const TimeMapping m{TimeMapping::Mode::Scaled, 10, 999, 1.0};
    std::int64_t steps = 0;
    EXPECT_EQ(stepsOfTimes({0, 99, 100, 450, 998, 999, 1000, 5000000}, m, &steps),
              (std::vector<std::int64_t>{0, 0, 1, 4, 9, 9, 9, 9}));
    EXPECT_EQ(steps, 10);
    // 3 steps over [0, 9]: floor(t * 3 / 10): 0,0,0,0,1,1,1,2,2,2.
    EXPECT_EQ(stepsOfTimes({0, 3, 4, 6, 7, 9}, {TimeMapping::Mode::Scaled, 3, 9, 1.0}),
              (std::vector<std::int64_t>{0, 0, 1, 1, 2, 2}));
    // The default spreads the shared data's longest recording over 300 steps.
    EXPECT_EQ(stepsOfTimes({0, 1120, 1121, 336040}, TimeMapping{}),
              (std::vector<std::int64_t>{0, 0, 1, 299}));
    // NEST's mapping: 1 ms steps, clipped to step 299.
    EXPECT_EQ(
        stepsOfTimes({0, 999, 1000, 298999, 299000, 299999, 300000, 336040}, nestTimeMapping()),
        (std::vector<std::int64_t>{0, 0, 1, 298, 299, 299, 299, 299}));
    // No events: every step empty.
    const SpikeTrain empty = toSpikeTrain(sampleOf({}), TimeMapping{}, allInputs());
    EXPECT_EQ(empty.steps, 300);
    EXPECT_EQ(empty.spikeCount(), 0);
    EXPECT_EQ(empty.stepStart, std::vector<std::int64_t>(301, 0));
}

TEST(EventMapping, BinnedStepsByHand) {
    std::int64_t steps = 0;
    const TimeMapping half{TimeMapping::Mode::Binned, 300, 0, 0.5};
    EXPECT_EQ(stepsOfTimes({0, 499, 500, 1234}, half, &steps),
              (std::vector<std::int64_t>{0, 0, 1, 2}));
    EXPECT_EQ(steps, 3); // ceil((1234 + 1) / 500)
    EXPECT_EQ(stepsOfTimes({0, 499, 500, 1499}, half, &steps),
              (std::vector<std::int64_t>{0, 0, 1, 2}));
    EXPECT_EQ(steps, 3); // ceil(1500 / 500)
    EXPECT_EQ(stepsOfTimes({1500}, half, &steps), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(steps, 4);
    // 1 ms bins: NEST's t // 1000 without the clip; steps follow the sample.
    EXPECT_EQ(stepsOfTimes({999, 1000, 336040}, {TimeMapping::Mode::Binned, 0, 0, 1.0}, &steps),
              (std::vector<std::int64_t>{0, 1, 336}));
    EXPECT_EQ(steps, 337);
    // Bins that are not whole microseconds: 0.4 us.
    EXPECT_EQ(stepsOfTimes({0, 1, 2, 5}, {TimeMapping::Mode::Binned, 0, 0, 0.0004}, &steps),
              (std::vector<std::int64_t>{0, 2, 5, 12}));
    EXPECT_EQ(steps, 13);
    const SpikeTrain empty =
        toSpikeTrain(sampleOf({}), {TimeMapping::Mode::Binned, 0, 0, 1.0}, allInputs());
    EXPECT_EQ(empty.steps, 0);
    EXPECT_EQ(empty.stepStart, std::vector<std::int64_t>{0});
}

TEST(EventMapping, DuplicatesOnceSortedAndDroppedInputsSkipped) {
    // Inputs: (x=3,y=0,OFF) = 3, (x=1,y=0,OFF) = 1, (x=1,y=0,ON) = 1157, (x=2,y=0,OFF) = 2.
    const EventSample s = sampleOf({{0, 3, 0, false},
                                    {10, 1, 0, true},
                                    {20, 3, 0, false}, // same input, same step: once
                                    {30, 1, 0, false},
                                    {40, 2, 0, false},  // dropped below
                                    {100, 3, 0, false}, // next step: counts again
                                    {350, 1, 0, true}});
    const TimeMapping m{TimeMapping::Mode::Binned, 0, 0, 0.1}; // 100 us steps
    const SpikeTrain all = toSpikeTrain(s, m, allInputs());
    EXPECT_EQ(all.steps, 4);
    EXPECT_EQ(perStep(all),
              (std::vector<std::vector<std::uint32_t>>{{1, 2, 3, 1157}, {3}, {}, {1157}}));
    const InputMap map = inputsWithout({0, 2}); // 1 -> 0, 3 -> 1, 1157 -> 1155
    const SpikeTrain some = toSpikeTrain(s, m, map);
    EXPECT_EQ(some.steps, 4);
    EXPECT_EQ(perStep(some),
              (std::vector<std::vector<std::uint32_t>>{{0, 1, 1155}, {1}, {}, {1155}}));
    // Determinism: the same input gives the same train.
    const SpikeTrain again = toSpikeTrain(s, m, map);
    EXPECT_EQ(again.stepStart, some.stepStart);
    EXPECT_EQ(again.inputs, some.inputs);
}

TEST(EventMapping, Errors) {
    const EventSample s = sampleOf({{5, 0, 0, true}, {4, 0, 0, true}});
    EXPECT_EQ(
        errorOf([&] { toSpikeTrain(s, TimeMapping{}, allInputs()); }),
        "sample \"s.bin\": event 1 at 4 us comes after one at 5 us (times must not decrease)");
    const EventSample ok = sampleOf({{5, 0, 0, true}});
    InputMap shortMap = allInputs();
    shortMap.index.pop_back();
    EXPECT_NE(errorOf([&] { toSpikeTrain(ok, TimeMapping{}, shortMap); }).find("2311 entries"),
              std::string::npos);
    InputMap badMap = inputsWithout({1});
    badMap.index[0] = 2311;
    EXPECT_NE(errorOf([&] { toSpikeTrain(ok, TimeMapping{}, badMap); }).find("keeps only 2311"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  toSpikeTrain(ok, {TimeMapping::Mode::Scaled, 0, 10, 1.0}, allInputs());
              }).find("0 steps"),
              std::string::npos);
    for (double bin : {0.0, -1.0, std::nan("")})
        EXPECT_NE(errorOf([&] {
                      toSpikeTrain(ok, {TimeMapping::Mode::Binned, 0, 0, bin}, allInputs());
                  }).find("is not > 0"),
                  std::string::npos);
    EXPECT_NE(errorOf([&] {
                  toSpikeTrain(sampleOf({{0x7fffff, 0, 0, true}}),
                               {TimeMapping::Mode::Binned, 0, 0, 1e-6}, allInputs());
              }).find("too many"),
              std::string::npos);
}

TEST(EventMappingShared, BlocklistAgainstNest) {
    SPIKELAB_REQUIRE_SHARED("nmnist/Train");
    SPIKELAB_REQUIRE_SHARED("nmnist/NMNIST_pixels_blocklist.txt");
    const auto root = sharedDataDir() / "nmnist";
    const std::vector<std::uint32_t> nest =
        readBlocklist((root / "NMNIST_pixels_blocklist.txt").string());
    ASSERT_EQ(nest.size(), 1116u);
    EXPECT_EQ(inputsWithout(nest).kept, 1196);

    const EventDataset train = loadNmnist("train", root.string());
    ASSERT_EQ(train.samples.size(), 1000u);
    // The threshold whose list is closest in size to NEST's (the size grows with the
    // threshold): the smallest one giving >= 1,116 inputs, or the one below it.
    auto sizeAt = [&](std::int64_t t) { return std::int64_t(computeBlocklist(train, t).size()); };
    std::int64_t lo = 1, hi = 100000; // sizeAt(hi) == 2312
    while (lo < hi) {
        const std::int64_t mid = (lo + hi) / 2;
        if (sizeAt(mid) >= 1116)
            hi = mid;
        else
            lo = mid + 1;
    }
    std::int64_t best = lo;
    if (lo > 1 && 1116 - sizeAt(lo - 1) < sizeAt(lo) - 1116) best = lo - 1;
    const std::vector<std::uint32_t> ours = computeBlocklist(train, best);
    std::vector<std::uint32_t> both;
    std::set_intersection(ours.begin(), ours.end(), nest.begin(), nest.end(),
                          std::back_inserter(both));
    const double jaccard = double(both.size()) / double(ours.size() + nest.size() - both.size());
    std::printf("[ blocklist ] fewer than %lld events in 1,000 training samples: %zu inputs; "
                "NEST: %zu; overlap %zu (%.1f%% of NEST's), Jaccard %.3f\n",
                static_cast<long long>(best), ours.size(), nest.size(), both.size(),
                100.0 * double(both.size()) / double(nest.size()), jaccard);
    EXPECT_GT(double(both.size()), 0.8 * double(nest.size()));
}

TEST(EventMappingShared, RealSamplesToSpikeTrains) {
    SPIKELAB_REQUIRE_SHARED("nmnist/Test");
    const EventDataset test = loadNmnist("test", (sharedDataDir() / "nmnist").string());
    const InputMap map = allInputs();
    std::int64_t events = 0, spikes = 0;
    for (const EventSample& s : test.samples) {
        const SpikeTrain t = toSpikeTrain(s, TimeMapping{}, map);
        ASSERT_EQ(t.steps, 300);
        ASSERT_EQ(t.stepStart.size(), 301u);
        for (std::int64_t k = 0; k < t.steps; ++k) {
            const auto b = t.inputs.begin() + t.stepStart[std::size_t(k)];
            const auto e = t.inputs.begin() + t.stepStart[std::size_t(k) + 1];
            ASSERT_TRUE(std::adjacent_find(b, e, std::greater_equal<>()) == e);
        }
        events += std::int64_t(s.events.size());
        spikes += t.spikeCount();
        const SpikeTrain again = toSpikeTrain(s, TimeMapping{}, map);
        ASSERT_EQ(again.inputs, t.inputs);
        ASSERT_EQ(again.stepStart, t.stepStart);
    }
    EXPECT_LE(spikes, events);
    EXPECT_GT(spikes, events / 2);
    std::printf("[ spike trains ] 100 test samples, 300 steps: %lld events -> %lld spikes\n",
                static_cast<long long>(events), static_cast<long long>(spikes));
}
