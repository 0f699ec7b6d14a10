// libFuzzer harness for the .npy reader: parseNpy on the input bytes. Seeds: fuzz/corpus/npy
// and the shipped projects' weight files; dictionary: fuzz/npy.dict.
#include "fuzz_support.h"
#include "spikelab/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const spikelab::NpyArray array =
            spikelab::parseNpy(spikelab::fuzz::bytesOf(data, size), "fuzz.npy");
        // The contract the callers rely on: product(shape) values.
        std::size_t count = 1;
        for (std::int64_t d : array.shape) count *= std::size_t(d);
        if (count != array.data.size()) std::abort();
    } catch (const spikelab::Error&) {
    }
    return 0;
}
