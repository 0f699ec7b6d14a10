// Device code of the CUDA backend for the built-in models (the step itself is step_kernel.cuh),
// and the runtime-API calls the host code makes. See cuda_backend.h for the design. Compiled
// with -fmad=false, so no FMA contraction, and no fast-math, as the CPU backend.
//
// With SPIKELAB_CUDA_EMULATION the host compiler builds this file (through
// emulated_kernels.cpp) against the emulated device of emulated_runtime.h, so that the tests
// run these kernels where there is no GPU.
#include "device_api.h"
#include "lang/prelude.h"

#include <string>
#include <utility>

#ifdef SPIKELAB_CUDA_EMULATION
#include "emulated_runtime.h"
#else
#include <cuda_runtime.h>
#define SPIKELAB_LAUNCH(kernel, grid, block) kernel<<<(grid), (block)>>>
#endif

namespace spikelab::cuda {

namespace {

// The built-in models' device functions, updateBuiltinNeuron, applyBuiltinPostsynaptic and
// decayBuiltinPostsynaptic, generated from engine/models/ by spikelab_modelgen.
#include "cuda_neuron_kernels.inc"
#include "cuda_postsynaptic_kernels.inc"

// Threads per block; a multiple of 32 (the spike compaction needs it). The emulated device
// runs two warps, which still exercises the scan across warps, at a quarter of the cost.
#ifdef SPIKELAB_CUDA_EMULATION
constexpr int kThreads = 64;
#else
constexpr int kThreads = 256;
#endif

void check(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return;
    std::string message = std::string("CUDA: ") + what + ": " + cudaGetErrorString(status);
    if (status == cudaErrorNoKernelImageForDevice)
        message += " (this build has GPU code for compute capability 7.5, 8.x and 9.0 and newer; "
                   "for an older GPU rebuild with -DCMAKE_CUDA_ARCHITECTURES=native)";
    throw DeviceError(message);
}

__device__ inline bool updateNeuronModel(int model, float* const* state, long long cell, float Isyn,
                                         const float* k, float t, float dt, SpikelabRandom rng) {
    return updateBuiltinNeuron(model, state, cell, Isyn, k, t, dt, rng);
}

#include "step_kernel.cuh"

__global__ void advanceKernel(DeviceNetwork net, std::int64_t t0, std::int64_t steps, std::int64_t recordOffset) {
    advanceSteps(net, t0, steps, recordOffset);
}

__global__ void probeKernel() {}

__global__ void fillKernel(float* data, std::size_t count, float value) {
    const std::size_t i = std::size_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < count) data[i] = value;
}

} // namespace

int usableDeviceCount(std::string& why) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status == cudaSuccess && count > 0) {
        why.clear();
        return count;
    }
    cudaGetLastError();  // the failed query must not poison later calls
    if (status == cudaErrorInsufficientDriver)
        why = "no usable CUDA driver on this machine (cudaErrorInsufficientDriver)";
    else if (status == cudaErrorNoDevice || (status == cudaSuccess && count == 0))
        why = "no CUDA device on this machine";
    else
        why = std::string("CUDA is not usable: ") + cudaGetErrorString(status);
    return 0;
}

DeviceBuffer::DeviceBuffer(std::size_t bytes) : bytes_(bytes) {
    if (bytes == 0) return;
    const cudaError_t status = cudaMalloc(&data_, bytes);
    if (status != cudaSuccess) {
        cudaGetLastError();
        data_ = nullptr;
        throw DeviceError("CUDA: cannot allocate " + std::to_string(bytes) +
                          " bytes of device memory: " + cudaGetErrorString(status));
    }
    zero();
}

DeviceBuffer::~DeviceBuffer() {
    if (data_) cudaFree(data_);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
        if (data_) cudaFree(data_);
        data_ = std::exchange(other.data_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
}

void DeviceBuffer::upload(const void* from, std::size_t bytes, std::size_t offset) {
    if (bytes == 0) return;
    check(cudaMemcpy(static_cast<char*>(data_) + offset, from, bytes, cudaMemcpyHostToDevice),
          "copy to the device");
}

void DeviceBuffer::download(void* to, std::size_t bytes, std::size_t offset) const {
    if (bytes == 0) return;
    check(cudaMemcpy(to, static_cast<const char*>(data_) + offset, bytes, cudaMemcpyDeviceToHost),
          "copy from the device");
}

void DeviceBuffer::zero() {
    if (bytes_ > 0) check(cudaMemset(data_, 0, bytes_), "clear device memory");
}

#ifdef SPIKELAB_CUDA_EMULATION
namespace {
// Every array the step kernel follows must be device memory of the extent device_api.h's
// layout gives it: on a GPU a host pointer or a short array is an illegal address or silent
// corruption; the emulated device names it.
void requireLayout(const DeviceNetwork& net, std::int64_t t0, std::int64_t steps,
                   std::int64_t recordOffset) {
    const auto need = [](const void* pointer, std::int64_t count, std::size_t bytes, const std::string& what) {
        if (count > 0) emulation::requireDeviceRange(pointer, std::size_t(count) * bytes, what.c_str());
    };
    need(net.populations, net.numPopulations, sizeof(DevicePopulation), "the population table");
    if (recordOffset + steps > net.blockSteps && steps > 0) {
        for (int p = 0; p < net.numPopulations; ++p)
            if (net.populations[p].recordedSpikes || net.populations[p].numRecordedVars > 0)
                throw DeviceError("emulated CUDA: steps " + std::to_string(t0) + " to " + std::to_string(t0 + steps) +
                                  " recorded from row " + std::to_string(recordOffset) + " overrun " +
                                  std::to_string(net.blockSteps) + " recording rows");
    }
    const std::int64_t batch = net.batch;
    const std::int64_t rows = batch * net.blockSteps;
    for (int p = 0; p < net.numPopulations; ++p) {
        const DevicePopulation& pop = net.populations[p];
        const std::string name = "population " + std::to_string(p) + "'s ";
        const std::int64_t cells = batch * pop.size;
        for (int v = 0; v < pop.numStateVars; ++v) need(pop.state[v], cells, sizeof(float), name + "state");
        need(pop.counts, cells, sizeof(std::uint32_t), name + "spike counts");
        if (pop.input) need(pop.input, cells, sizeof(float), name + "input current");
        if (pop.model != kSpikeSource) need(pop.spiked, cells, 1, name + "spike flags");
        need(pop.history, cells * pop.historySlots, sizeof(std::uint32_t), name + "spike history");
        need(pop.historyCount, batch * pop.historySlots, sizeof(std::int64_t), name + "spike history counts");
        if (pop.trains) {
            need(pop.trains, batch, sizeof(DeviceTrain), name + "spike train table");
            for (std::int64_t b = 0; b < batch; ++b) {
                const DeviceTrain& train = pop.trains[b];
                if (!train.inputs) continue;
                need(train.stepStart, train.steps + 1, sizeof(std::int64_t), name + "spike train offsets");
                need(train.inputs, train.stepStart[train.steps], sizeof(std::uint32_t), name + "spike train");
            }
        }
        need(net.incoming, pop.firstIncoming + pop.numIncoming, sizeof(int), "the incoming projection list");
        for (int k = 0; k < pop.numIncoming; ++k) {
            const int j = net.incoming[pop.firstIncoming + k];
            need(net.projections, j + 1, sizeof(DeviceProjection), "the projection table");
            const DeviceProjection& proj = net.projections[j];
            const std::string pname = "projection " + std::to_string(j) + "'s ";
            const std::int64_t numPre = net.populations[proj.source].size;
            if (proj.connectivity == kDeviceSparse) {
                need(proj.rowStart, numPre + 1, sizeof(std::int64_t), pname + "row starts");
                need(proj.targets, proj.rowStart[numPre], sizeof(std::uint32_t), pname + "targets");
                need(proj.weights, proj.rowStart[numPre], sizeof(float), pname + "weights");
            } else {
                need(proj.weights, proj.connectivity == kDeviceDense ? numPre * proj.numPost : proj.numPost,
                     sizeof(float), pname + "weights");
            }
            if (proj.inSyn) need(proj.inSyn, batch * pop.size, sizeof(float), pname + "synaptic current");
        }
        if (pop.recordedSpikes) {
            need(pop.recordedSpikes, rows * pop.size, sizeof(std::uint32_t), name + "spike recording");
            need(pop.recordedSpikeCount, rows, sizeof(std::int32_t), name + "spike recording counts");
        }
        if (pop.numRecordedVars > 0) {
            need(pop.recordedNeurons, pop.numRecordedNeurons, sizeof(std::uint32_t), name + "recorded neurons");
            need(pop.recordedStates, pop.numRecordedVars * rows * pop.numRecordedNeurons, sizeof(float),
                 name + "state recording");
        }
    }
}
} // namespace
#endif

void launchAdvance(const DeviceNetwork& network, std::int64_t t0, std::int64_t steps,
                   std::int64_t recordOffset, const StepLibrary* library) {
#ifdef SPIKELAB_CUDA_EMULATION
    requireLayout(network, t0, steps, recordOffset);
#endif
    if (library)
        library->launch(network, t0, steps, recordOffset);
    else
        SPIKELAB_LAUNCH(advanceKernel, unsigned(network.batch), kThreads)(network, t0, steps, recordOffset);
    check(cudaGetLastError(), "launch of the step kernel");
}

int stepKernelThreads() { return kThreads; }

#ifdef SPIKELAB_CUDA_EMULATION
std::string deviceArchitecture() { return "emulated"; }

std::unique_ptr<StepLibrary> loadStepLibrary(const std::vector<char>&) {
    throw DeviceError("emulated CUDA: a step library is a shared object here, not an NVRTC image");
}
#else
std::string deviceArchitecture() {
    int device = 0, major = 0, minor = 0;
    check(cudaGetDevice(&device), "query of the device");
    check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), "query of the compute capability");
    check(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device), "query of the compute capability");
    return "sm_" + std::to_string(major) + std::to_string(minor);
}

namespace {
class LoadedStepLibrary final : public StepLibrary {
public:
    explicit LoadedStepLibrary(const std::vector<char>& image) {
        check(cudaLibraryLoadData(&library_, image.data(), nullptr, nullptr, 0, nullptr, nullptr, 0),
              "load of the network's step kernel");
        const cudaError_t found = cudaLibraryGetKernel(&kernel_, library_, "spikelab_advance");
        if (found != cudaSuccess) {
            cudaLibraryUnload(library_);
            check(found, "the network's step kernel");
        }
    }
    ~LoadedStepLibrary() override { cudaLibraryUnload(library_); }
    LoadedStepLibrary(const LoadedStepLibrary&) = delete;
    LoadedStepLibrary& operator=(const LoadedStepLibrary&) = delete;

    void launch(const DeviceNetwork& network, std::int64_t t0, std::int64_t steps,
                std::int64_t recordOffset) const override {
        DeviceNetwork net = network;
        long long first = t0, count = steps, offset = recordOffset;
        void* args[] = {&net, &first, &count, &offset};
        check(cudaLaunchKernel(reinterpret_cast<const void*>(kernel_), dim3(unsigned(network.batch)), dim3(kThreads),
                               args, 0, nullptr),
              "launch of the network's step kernel");
    }

private:
    cudaLibrary_t library_ = nullptr;
    cudaKernel_t kernel_ = nullptr;
};
} // namespace

std::unique_ptr<StepLibrary> loadStepLibrary(const std::vector<char>& image) {
    return std::make_unique<LoadedStepLibrary>(image);
}
#endif

void probeDevice() {
    SPIKELAB_LAUNCH(probeKernel, 1, kThreads)();
    check(cudaGetLastError(), "first kernel launch");
    check(cudaDeviceSynchronize(), "first kernel launch");
}

void fillDevice(float* data, std::size_t count, float value) {
    if (count == 0) return;
    SPIKELAB_LAUNCH(fillKernel, unsigned((count + kThreads - 1) / kThreads), kThreads)(data, count, value);
    check(cudaGetLastError(), "launch of the fill kernel");
}

void synchronizeDevice(const char* what) { check(cudaDeviceSynchronize(), what); }

} // namespace spikelab::cuda
