#pragma once
// The seam between the CUDA backend's host code (C++20, g++) and its device code (kernels.cu,
// nvcc): plain structs of device pointers and a few functions, with no CUDA and no engine
// types beyond spikelab::Error, so either side can change compiler or standard on its own.
//
// Layout on the device (every array batch-major: copy b's block starts at b * stride):
//   state, counts, input, spiked   batch x stride           (stride = population size)
//   history                        batch x slots x stride   (spike indices, ascending)
//   historyCount                   batch x slots
//   inSyn (not a delta model)      batch x stride of the target
//   recorded spikes                batch x blockSteps x stride, counts batch x blockSteps
//   recorded states                variables x batch x blockSteps x recorded neurons
#include "spikelab/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace spikelab::cuda {

// CUDA could not be used: no driver, no device, out of device memory, a failed launch.
class DeviceError : public Error {
public:
    explicit DeviceError(const std::string& message) : Error(message) {}
};

// Number of usable CUDA devices. 0 with `why` filled when there is no driver (error 35), no
// device (error 100) or any other failure; never throws.
int usableDeviceCount(std::string& why);

// Raw device memory; the typed DeviceArray below is what the backend uses.
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::size_t bytes);  // zero-filled; throws DeviceError
    ~DeviceBuffer();
    DeviceBuffer(DeviceBuffer&& other) noexcept;
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    void* data() const { return data_; }
    std::size_t bytes() const { return bytes_; }
    void upload(const void* from, std::size_t bytes, std::size_t offset = 0);
    void download(void* to, std::size_t bytes, std::size_t offset = 0) const;
    void zero();

private:
    void* data_ = nullptr;
    std::size_t bytes_ = 0;
};

template <typename T>
class DeviceArray {
public:
    DeviceArray() = default;
    explicit DeviceArray(std::size_t count) : buffer_(count * sizeof(T)), count_(count) {}
    T* data() const { return static_cast<T*>(buffer_.data()); }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    void upload(const T* from, std::size_t count, std::size_t first = 0) {
        buffer_.upload(from, count * sizeof(T), first * sizeof(T));
    }
    void download(T* to, std::size_t count, std::size_t first = 0) const {
        buffer_.download(to, count * sizeof(T), first * sizeof(T));
    }
    void zero() { buffer_.zero(); }

private:
    DeviceBuffer buffer_;
    std::size_t count_ = 0;
};

enum DeviceConnectivity : int { kDeviceDense, kDeviceOneToOne, kDeviceSparse };

// What a population's model may have on the device; the generated code checks each built-in
// model against these (cuda_neuron_kernels.inc).
inline constexpr int kMaxStateVars = 8;
inline constexpr int kMaxNeuronConstants = 32;  // parameters and derived parameters
inline constexpr int kSpikeSource = -1;         // DevicePopulation::model of a spike source
// What a projection's postsynaptic model may have (cuda_postsynaptic_kernels.inc checks).
inline constexpr int kMaxPostsynapticConstants = 16;  // parameters and derived parameters

// One batch copy's spike train of a SpikeSource population (see spikelab::SpikeTrain).
struct DeviceTrain {
    const std::int64_t* stepStart = nullptr;  // steps + 1 offsets into inputs
    const std::uint32_t* inputs = nullptr;
    std::int64_t steps = 0;
    std::int64_t start = 0;  // step at which step 0 of the train is emitted
};

struct DevicePopulation {
    int model = kSpikeSource;       // the built-in model's index (generated dispatch)
    int numStateVars = 0;
    std::uint32_t randomKey = 0;    // key[0] of the neurons' random streams (lang/prelude.h)
    std::int64_t size = 0;
    std::int64_t neuronOffset = 0;  // first index of this population in the block's loop
    float* state[kMaxStateVars] = {};
    std::uint32_t* counts = nullptr;
    const float* input = nullptr;   // null while the population has no external current
    bool hasIncoming = false;
    std::uint8_t* spiked = nullptr;
    std::int64_t historySlots = 1;
    std::uint32_t* history = nullptr;
    std::int64_t* historyCount = nullptr;
    float constants[kMaxNeuronConstants] = {};  // parameters, then derived parameters
    const DeviceTrain* trains = nullptr;  // one per copy, SpikeSource only
    int firstIncoming = 0, numIncoming = 0;  // range in DeviceNetwork::incoming
    std::uint32_t* recordedSpikes = nullptr;  // null: spikes not recorded
    std::int32_t* recordedSpikeCount = nullptr;
    int numRecordedVars = 0;
    int recordedVars[kMaxStateVars] = {};
    const std::uint32_t* recordedNeurons = nullptr;
    std::int64_t numRecordedNeurons = 0;
    float* recordedStates = nullptr;
};

struct DeviceProjection {
    int connectivity = kDeviceDense;
    int source = 0, target = 0;
    std::int64_t numPost = 0, delaySteps = 0;
    const float* weights = nullptr;
    const std::int64_t* rowStart = nullptr;   // sparse
    const std::uint32_t* targets = nullptr;   // sparse
    float* inSyn = nullptr;                   // null for a delta postsynaptic model
    int model = 0;                            // the built-in postsynaptic model's index
    float constants[kMaxPostsynapticConstants] = {};  // its parameters, then derived parameters
};

struct DeviceNetwork {
    const DevicePopulation* populations = nullptr;
    int numPopulations = 0;
    const DeviceProjection* projections = nullptr;
    const int* incoming = nullptr;  // projection indices per target population, network order
    std::int64_t updatedNeurons = 0;  // neurons of all non-source populations
    int batch = 1;
    double dt = 1.0;               // ms per step
    std::int64_t blockSteps = 1;   // steps the recording buffers hold
};

// Launches an empty kernel and waits for it: throws DeviceError when the GPU cannot run this
// build's kernels (no code for its compute capability) or the context cannot be created.
void probeDevice();
// Runs `steps` steps starting at step t0 for every batch copy, writing recordings at step
// offset recordOffset of the recording buffers. Returns when the launch is queued.
void launchAdvance(const DeviceNetwork& network, std::int64_t t0, std::int64_t steps,
                   std::int64_t recordOffset);
void fillDevice(float* data, std::size_t count, float value);
// Waits for queued work; throws DeviceError naming `what` on a failed kernel.
void synchronizeDevice(const char* what);

} // namespace spikelab::cuda
