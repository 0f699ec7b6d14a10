// libFuzzer harness for N-MNIST recordings: parseNmnistEvents on the input bytes, then the
// mapping to spike trains that replay uses (toSpikeTrain, scaled and binned). Seeds:
// fuzz/corpus/nmnist_bin and, in scripts/test.sh and fuzz.sh, a few shared recordings.
#include "fuzz_support.h"
#include "spikelab/events.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spikelab;
    try {
        EventSample sample;
        sample.events = parseNmnistEvents(fuzz::bytesOf(data, size), "fuzz.bin");
        if (sample.events.size() != size / 5) std::abort();
        const InputMap map = allInputs();
        const SpikeTrain scaled = toSpikeTrain(sample, TimeMapping{}, map);
        if (scaled.steps != 300 || scaled.spikeCount() > std::int64_t(sample.events.size()))
            std::abort();
        TimeMapping binned;
        binned.mode = TimeMapping::Mode::Binned;
        binned.binMs = 10.0;
        toSpikeTrain(sample, binned, map);
    } catch (const Error&) {
    }
    return 0;
}
