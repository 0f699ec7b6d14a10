// libFuzzer harness for project files: projectFromJson (structure checks, parsing, migration,
// validate) and then compileNetwork against a scratch folder that holds weight files under the
// names the shipped projects use, so that file references are read too. Seeds: the shipped
// projects and fuzz/corpus/project; dictionary: fuzz/project.dict (the format's keys and
// model names).
//
// compileNetwork is only reached for networks that fit in 64 MiB by checkNetworkFitsMemory:
// validate() bounds them by the machine's memory, which here would let a valid network of a
// few GiB trip -rss_limit_mb without being a bug; the bound itself is what is tested.
#include "fuzz_support.h"
#include "spikelab/compiled.h"
#include "spikelab/npy.h"
#include "spikelab/project.h"

#include <string>
#include <vector>

namespace {

constexpr std::int64_t kHarnessMemory = std::int64_t(64) << 20;

void writeWeights(const std::string& name, std::int64_t rows, std::int64_t cols) {
    std::vector<float> values(std::size_t(rows * cols));
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i % 7) * 0.25f - 0.5f;
    spikelab::writeNpy(spikelab::fuzz::scratch().file(name), {rows, cols}, values);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    writeWeights("weights_0_1.npy", 784, 128);
    writeWeights("weights_1_2.npy", 128, 10);
    writeWeights("w.npy", 2, 3);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spikelab;
    try {
        const std::string text(reinterpret_cast<const char*>(data), size);
        const NetworkSpec spec = projectFromJson(text, "fuzz.json");
        checkNetworkFitsMemory(spec, kHarnessMemory);
        const CompiledNetwork net = compileNetwork(spec, fuzz::scratch().path());
        // A spec that was read must write back to a spec that reads the same.
        if (projectFromJson(projectToJson(spec), "fuzz-again.json") != spec) std::abort();
        (void)net;
    } catch (const Error&) {
    }
    return 0;
}
