#include "spikelab/backend.h"

#include "backends/cpu/cpu_backend.h"
#include "spikelab/error.h"

namespace spikelab {

std::vector<std::string> availableBackends() { return {"cpu"}; }

void requireBackend(const std::string& kind) {
    if (kind == "cpu" || kind == "auto") return;
    if (kind == "cuda")
        throw Error("backend \"cuda\": this build of SpikeLab has no CUDA backend; use --backend cpu");
    throw Error("unknown backend " + quote(kind) + " (known: cpu, cuda, auto)");
}

std::unique_ptr<Backend> createBackend(const std::string& kind, const CompiledNetwork& network,
                                       const BackendOptions& options) {
    requireBackend(kind);
    return std::make_unique<cpu::CpuBackend>(network, options);
}

} // namespace spikelab
