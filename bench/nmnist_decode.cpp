// N-MNIST decoding speed: reads and decodes the 1,100 real recordings in ../shared/data/nmnist
// (Train + Test), prints events decoded per second, then the time to map every sample to a
// 300-step spike train. A benchmark: it prints figures and never fails on time.
#include "spikelab/error.h"
#include "spikelab/events.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace spikelab;
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    const fs::path root = argc > 1
                              ? fs::path(argv[1])
                              : fs::path(SPIKELAB_SOURCE_DIR) / ".." / "shared" / "data" / "nmnist";
    if (!fs::is_directory(root / "Train") || !fs::is_directory(root / "Test")) {
        std::printf("nmnist_decode: no N-MNIST recordings in %s (Train/ and Test/); nothing to "
                    "measure\n",
                    root.lexically_normal().string().c_str());
        return 0;
    }
    try {
        constexpr int kRepeats = 5; // best of: the first pass also warms the file cache
        double best = 1e30;
        std::vector<EventDataset> splits;
        for (int r = 0; r < kRepeats; ++r) {
            const auto start = std::chrono::steady_clock::now();
            std::vector<EventDataset> loaded;
            loaded.push_back(loadNmnist("train", root.string()));
            loaded.push_back(loadNmnist("test", root.string()));
            best = std::min(best, secondsSince(start));
            splits = std::move(loaded);
        }
        std::int64_t samples = 0, events = 0;
        for (const EventDataset& ds : splits)
            for (const EventSample& s : ds.samples) {
                ++samples;
                events += std::int64_t(s.events.size());
            }
        std::printf("read + decode: %lld samples, %lld events in %.4f s (best of %d): %.3g "
                    "events/s, %.0f samples/s\n",
                    static_cast<long long>(samples), static_cast<long long>(events), best, kRepeats,
                    double(events) / best, double(samples) / best);

        const InputMap map = allInputs();
        const TimeMapping mapping; // Scaled, 300 steps
        double bestMap = 1e30;
        std::int64_t spikes = 0;
        for (int r = 0; r < kRepeats; ++r) {
            spikes = 0;
            const auto start = std::chrono::steady_clock::now();
            for (const EventDataset& ds : splits)
                for (const EventSample& s : ds.samples)
                    spikes += toSpikeTrain(s, mapping, map).spikeCount();
            bestMap = std::min(bestMap, secondsSince(start));
        }
        std::printf("to spike trains (%lld steps, all 2,312 inputs): %lld samples in %.4f s "
                    "(best of %d): %.3g events/s, %lld spikes\n",
                    static_cast<long long>(mapping.steps), static_cast<long long>(samples), bestMap,
                    kRepeats, double(events) / bestMap, static_cast<long long>(spikes));
    } catch (const Error& e) {
        std::fprintf(stderr, "nmnist_decode: %s\n", e.what());
        return 1;
    }
    return 0;
}
