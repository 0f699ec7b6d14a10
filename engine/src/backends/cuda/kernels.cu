// Device code of the CUDA backend. See cuda_backend.h for the design; this file mirrors the
// CPU backend's float operations one for one (compiled with -fmad=false, so no FMA
// contraction; no fast-math), which is what makes the two give identical spikes.
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
constexpr int kWarps = kThreads / 32;

void check(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return;
    std::string message = std::string("CUDA: ") + what + ": " + cudaGetErrorString(status);
    if (status == cudaErrorNoKernelImageForDevice)
        message += " (this build has GPU code for compute capability 7.5, 8.x and 9.0 and newer; "
                   "for an older GPU rebuild with -DCMAKE_CUDA_ARCHITECTURES=native)";
    throw DeviceError(message);
}

// Contributions of projection j to target neuron i of copy b at step t, added to `acc` in the
// CPU's order: spikes in the order of the source's spike list, and within a sparse row in
// ascending synapse order. A delta model's weights go straight into `acc`; any other model's
// go into its buffer, and its apply_input code moves them on.
__device__ float deliver(const DeviceNetwork& net, const DeviceProjection& j, int b,
                         std::int64_t t, float time, std::int64_t i, float acc) {
    const DevicePopulation& src = net.populations[j.source];
    const std::int64_t slots = src.historySlots;
    const std::int64_t emitted = t - 1 - j.delaySteps;
    const std::int64_t slot = ((emitted % slots) + slots) % slots;
    const std::int64_t slotIndex = std::int64_t(b) * slots + slot;
    const std::int64_t numSpikes = src.historyCount[slotIndex];
    const std::uint32_t* spikes = src.history + slotIndex * src.size;
    const std::int64_t tgtStride = net.populations[j.target].size;
    float buffer = j.inSyn ? j.inSyn[std::int64_t(b) * tgtStride + i] : acc;
    switch (j.connectivity) {
    case kDeviceDense:
        for (std::int64_t s = 0; s < numSpikes; ++s)
            buffer += j.weights[std::int64_t(spikes[s]) * j.numPost + i];
        break;
    case kDeviceOneToOne:
        for (std::int64_t s = 0; s < numSpikes; ++s)
            if (spikes[s] == i) buffer += j.weights[i];
        break;
    case kDeviceSparse:
        for (std::int64_t s = 0; s < numSpikes; ++s) {
            std::int64_t lo = j.rowStart[spikes[s]], hi = j.rowStart[spikes[s] + 1];
            while (lo < hi) {  // first synapse of the row with target >= i
                const std::int64_t mid = lo + (hi - lo) / 2;
                if (j.targets[mid] < i) lo = mid + 1;
                else hi = mid;
            }
            const std::int64_t end = j.rowStart[spikes[s] + 1];
            for (std::int64_t k = lo; k < end && j.targets[k] == i; ++k) buffer += j.weights[k];
        }
        break;
    }
    if (!j.inSyn) return buffer;
    applyBuiltinPostsynaptic(j.model, buffer, acc, j.constants, time, float(net.dt));
    j.inSyn[std::int64_t(b) * tgtStride + i] = buffer;
    return acc;
}

// Steps 1-3 of docs/architecture.md, "Simulation semantics", for one neuron of copy b: its
// input, then its update. Writes the spike flag; the spike lists are built afterwards, in index
// order.
__device__ void updateNeuron(const DeviceNetwork& net, const DevicePopulation& pop, int b,
                             std::int64_t t, float time, std::int64_t i) {
    const std::int64_t cell = std::int64_t(b) * pop.size + i;
    float drive;
    if (pop.input && !pop.hasIncoming) {
        drive = pop.input[cell];  // 0 + I is I: the CPU reads the current directly too
    } else {
        float acc = 0.0f;
        for (int k = 0; k < pop.numIncoming; ++k)
            acc = deliver(net, net.projections[net.incoming[pop.firstIncoming + k]], b, t, time, i, acc);
        if (pop.input) acc += pop.input[cell];
        drive = acc;
    }
    float* state[kMaxStateVars];
    for (int v = 0; v < pop.numStateVars; ++v) state[v] = pop.state[v] + std::int64_t(b) * pop.size;
    const SpikelabRandom rng = spikelab_random(pop.randomKey, std::uint32_t(b), i, std::uint64_t(t));
    const bool spiked = updateBuiltinNeuron(pop.model, state, i, drive, pop.constants, time, float(net.dt), rng);
    pop.spiked[cell] = spiked;
    // The buffers decay after the neurons have read them (GeNN's order).
    for (int k = 0; k < pop.numIncoming; ++k) {
        const DeviceProjection& j = net.projections[net.incoming[pop.firstIncoming + k]];
        if (j.inSyn) decayBuiltinPostsynaptic(j.model, j.inSyn[cell], j.constants, time, float(net.dt));
    }
}

// Turns the spike flags of one population and copy into its ascending spike list for step t
// (warp ballots, then a scan over the block's warps), counts and records the spikes.
__device__ void collectSpikes(const DevicePopulation& pop, int b, std::int64_t slotIndex,
                              std::int64_t record, std::int32_t* warpOffset) {
    const int lane = int(threadIdx.x) & 31, warp = int(threadIdx.x) >> 5;
    std::uint32_t* list = pop.history + slotIndex * pop.size;
    std::uint32_t* recorded = pop.recordedSpikes ? pop.recordedSpikes + record * pop.size : nullptr;
    std::int64_t base = 0;
    for (std::int64_t c0 = 0; c0 < pop.size; c0 += kThreads) {
        const std::int64_t i = c0 + threadIdx.x;
        const bool fired = i < pop.size && pop.spiked[std::int64_t(b) * pop.size + i];
        const unsigned ballot = __ballot_sync(0xffffffffu, fired);
        if (lane == 0) warpOffset[warp] = __popc(ballot);
        __syncthreads();
        if (threadIdx.x == 0) {
            std::int32_t sum = 0;
            for (int w = 0; w < kWarps; ++w) {
                const std::int32_t n = warpOffset[w];
                warpOffset[w] = sum;
                sum += n;
            }
            warpOffset[kWarps] = sum;
        }
        __syncthreads();
        if (fired) {
            const std::int64_t pos = base + warpOffset[warp] + __popc(ballot & ((1u << lane) - 1u));
            list[pos] = std::uint32_t(i);
            ++pop.counts[std::int64_t(b) * pop.size + i];
            if (recorded) recorded[pos] = std::uint32_t(i);
        }
        base += warpOffset[kWarps];
        __syncthreads();  // warpOffset is reused by the next chunk
    }
    if (threadIdx.x == 0) {
        pop.historyCount[slotIndex] = base;
        if (recorded) pop.recordedSpikeCount[record] = std::int32_t(base);
    }
}

// A SpikeSource's step t: the copy's train entries for that step, verbatim (the CPU copies
// them as given, duplicates included).
__device__ void emitTrain(const DevicePopulation& pop, int b, std::int64_t t,
                          std::int64_t slotIndex, std::int64_t record) {
    std::int64_t begin = 0, count = 0;
    if (pop.trains) {  // null until the first train is uploaded
        const DeviceTrain& train = pop.trains[b];
        const std::int64_t s = t - train.start;
        if (train.inputs && s >= 0 && s < train.steps) {
            begin = train.stepStart[s];
            count = train.stepStart[s + 1] - begin;
        }
    }
    const std::uint32_t* inputs = pop.trains ? pop.trains[b].inputs : nullptr;
    std::uint32_t* list = pop.history + slotIndex * pop.size;
    std::uint32_t* recorded = pop.recordedSpikes ? pop.recordedSpikes + record * pop.size : nullptr;
    for (std::int64_t k = threadIdx.x; k < count; k += kThreads) {
        const std::uint32_t neuron = inputs[begin + k];
        list[k] = neuron;
        atomicAdd(&pop.counts[std::int64_t(b) * pop.size + neuron], 1u);
        if (recorded) recorded[k] = neuron;
    }
    if (threadIdx.x == 0) {
        pop.historyCount[slotIndex] = count;
        if (recorded) pop.recordedSpikeCount[record] = std::int32_t(count);
    }
}

// One block per batch copy runs all `steps` steps of that copy: copies never interact, so no
// grid-wide synchronisation is needed and advance(n) is a single launch.
__global__ void advanceKernel(DeviceNetwork net, std::int64_t t0, std::int64_t steps,
                              std::int64_t recordOffset) {
    __shared__ std::int32_t warpOffset[kWarps + 1];
    const int b = int(blockIdx.x);
    for (std::int64_t k = 0; k < steps; ++k) {
        const std::int64_t t = t0 + k;
        const float time = float(double(t) * net.dt);  // ms at the start of the step, as the CPU's
        // Steps 1-3 for every neuron. Reads only spike lists of earlier steps.
        for (std::int64_t n = threadIdx.x; n < net.updatedNeurons; n += kThreads) {
            int p = 0;
            while (net.populations[p].model == kSpikeSource ||
                   n >= net.populations[p].neuronOffset + net.populations[p].size)
                ++p;
            const DevicePopulation& pop = net.populations[p];
            updateNeuron(net, pop, b, t, time, n - pop.neuronOffset);
        }
        __syncthreads();  // every delivery has read the history before it is overwritten
        const std::int64_t blockRow = std::int64_t(b) * net.blockSteps + recordOffset + k;
        for (int p = 0; p < net.numPopulations; ++p) {
            const DevicePopulation& pop = net.populations[p];
            const std::int64_t slotIndex = std::int64_t(b) * pop.historySlots + t % pop.historySlots;
            if (pop.model == kSpikeSource) emitTrain(pop, b, t, slotIndex, blockRow);
            else collectSpikes(pop, b, slotIndex, blockRow, warpOffset);
            for (int v = 0; v < pop.numRecordedVars; ++v) {
                const float* values = pop.state[pop.recordedVars[v]] + std::int64_t(b) * pop.size;
                float* out = pop.recordedStates +
                             ((std::int64_t(v) * net.batch * net.blockSteps) + blockRow) *
                                 pop.numRecordedNeurons;
                for (std::int64_t r = threadIdx.x; r < pop.numRecordedNeurons; r += kThreads)
                    out[r] = values[pop.recordedNeurons[r]];
            }
        }
        __syncthreads();  // this step's spike lists are complete before the next step reads them
    }
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
                   std::int64_t recordOffset) {
#ifdef SPIKELAB_CUDA_EMULATION
    requireLayout(network, t0, steps, recordOffset);
#endif
    SPIKELAB_LAUNCH(advanceKernel, unsigned(network.batch), kThreads)(network, t0, steps, recordOffset);
    check(cudaGetLastError(), "launch of the step kernel");
}

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
