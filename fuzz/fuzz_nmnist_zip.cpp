// libFuzzer harness for N-MNIST archives: the input bytes as "Train.zip" through
// loadNmnistArchive (libzip from memory, member names, nested Train.zip, member size bounds,
// the recordings). The name lets all three layouts apply: Train/<digit>/, <digit>/ and an
// inner Train.zip. Seeds: fuzz/corpus/nmnist_zip.
#include "fuzz_support.h"
#include "spikelab/events.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spikelab;
    try {
        const EventDataset ds =
            loadNmnistArchive(std::vector<std::uint8_t>(data, data + size), "Train.zip", "train");
        for (const EventSample& s : ds.samples)
            if (s.label < 0 || s.label > 9) std::abort();
    } catch (const Error&) {
    }
    return 0;
}
