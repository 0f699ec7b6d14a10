// libFuzzer harness for IDX files and gzip: parseIdx and gunzip on the input bytes, and readIdx
// on them as a file (which bounds inflation by the header's dimensions). Seeds: fuzz/corpus/idx
// (plain and gzip, one of two concatenated members) and, in scripts/test.sh and fuzz.sh, the
// start of the shared MNIST files.
#include "fuzz_support.h"
#include "spikelab/fileio.h"
#include "spikelab/idx.h"

namespace {

void checkShape(const spikelab::IdxArray& array) {
    std::size_t count = 1;
    for (std::uint32_t d : array.dims) count *= d;
    if (count != array.data.size()) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spikelab;
    const auto bytes = fuzz::bytesOf(data, size);
    try {
        checkShape(parseIdx(bytes, "fuzz-idx"));
    } catch (const Error&) {
    }
    if (isGzip(bytes)) {
        try {
            // A stream that inflates past the 1 MiB bound must end in an Error, never in more
            // memory.
            const std::vector<std::uint8_t> inflated = gunzip(bytes, "fuzz.gz", 1 << 20);
            if (inflated.size() > (1u << 20)) std::abort();
            const std::vector<std::uint8_t> head = gunzipPrefix(bytes, 20, "fuzz.gz");
            if (head.size() > 20 || !std::equal(head.begin(), head.end(), inflated.begin()))
                std::abort();
        } catch (const Error&) {
        }
    }
    try {
        checkShape(readIdx(fuzz::scratch().write("input-idx", bytes)));
    } catch (const Error&) {
    }
    return 0;
}
