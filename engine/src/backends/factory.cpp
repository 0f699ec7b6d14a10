#include "spikelab/backend.h"

#include "backends/cpu/cpu_backend.h"
#include "spikelab/error.h"

#ifdef SPIKELAB_HAVE_CUDA
#include "backends/cuda/cuda_backend.h"
#endif

namespace spikelab {

namespace {

thread_local std::string lastNotice;

#ifdef SPIKELAB_HAVE_CUDA
// Empty when a CUDA device can be used, else why not. Asked once: the answer does not change
// while the program runs.
const std::string& cudaUnavailableReason() {
    static const std::string reason = [] {
        std::string why;
        cuda::usableDeviceCount(why);
        return why;
    }();
    return reason;
}
#endif

} // namespace

std::vector<std::string> availableBackends() {
#ifdef SPIKELAB_HAVE_CUDA
    if (cudaUnavailableReason().empty()) return {"cpu", "cuda"};
#endif
    return {"cpu"};
}

void requireBackend(const std::string& kind) {
    if (kind == "cpu" || kind == "auto") return;
    if (kind == "cuda") {
#ifdef SPIKELAB_HAVE_CUDA
        return;  // without a usable device createBackend falls back to the CPU and says why
#else
        throw Error("backend \"cuda\": this build of SpikeLab has no CUDA backend; use --backend cpu");
#endif
    }
    throw Error("unknown backend " + quote(kind) + " (known: cpu, cuda, auto)");
}

std::string backendNotice() { return lastNotice; }


std::unique_ptr<Backend> createBackend(const std::string& kind, const CompiledNetwork& network,
                                       const BackendOptions& options) {
    requireBackend(kind);
    lastNotice.clear();
#ifdef SPIKELAB_HAVE_CUDA
    if (kind == "cuda" || kind == "auto") {
        const std::string& unavailable = cudaUnavailableReason();
        const std::string cpuOnly = cuda::cpuOnlyReason(network);
        if (!cpuOnly.empty()) {
            if (kind == "cuda") lastNotice = "backend \"cuda\": " + cpuOnly + "; using the CPU backend";
        } else if (unavailable.empty()) {
            try {
                return std::make_unique<cuda::CudaBackend>(network, options);
            } catch (const cuda::DeviceError& e) {
                lastNotice = std::string("backend \"cuda\": ") + e.what() + "; using the CPU backend";
            }
        } else if (kind == "cuda") {
            lastNotice = "backend \"cuda\": " + unavailable + "; using the CPU backend";
        }
    }
#endif
    auto cpu = std::make_unique<cpu::CpuBackend>(network, options);
    if (!cpu->notice().empty()) lastNotice += (lastNotice.empty() ? "" : "; ") + cpu->notice();
    return cpu;
}

} // namespace spikelab
