// libFuzzer harness for N-MNIST input blocklists: the input bytes as a file through
// readBlocklist, then inputsWithout on what it returns. Seeds: fuzz/corpus/blocklist.
#include "fuzz_support.h"
#include "spikelab/events.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spikelab;
    try {
        const std::vector<std::uint32_t> blocked =
            readBlocklist(fuzz::scratch().write("blocklist.txt", fuzz::bytesOf(data, size)));
        const InputMap map = inputsWithout(blocked);
        if (map.kept != kNmnistInputs - std::int64_t(blocked.size())) std::abort();
    } catch (const Error&) {
    }
    return 0;
}
