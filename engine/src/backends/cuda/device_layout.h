#pragma once
// What the CUDA step kernel reads: plain structs of device pointers and sizes, shared by the
// host code (cuda_backend.cpp), the kernels nvcc builds (kernels.cu) and the step kernel built
// while SpikeLab runs for a network with the project's own models (step_library.cpp), which
// NVRTC compiles without the C++ library. Layout on the device (every array batch-major: copy
// b's block starts at b * stride):
//   state, counts, input, spiked   batch x stride           (stride = population size)
//   history                        batch x slots x stride   (spike indices, ascending)
//   historyCount                   batch x slots
//   inSyn (not a delta model)      batch x stride of the target
//   recorded spikes                batch x blockSteps x stride, counts batch x blockSteps
//   recorded states                variables x batch x blockSteps x recorded neurons
#if defined(__CUDACC_RTC__)
// NVRTC has no <cstdint>; these are the widths every CUDA target has.
namespace std {
using int32_t = int;
using uint32_t = unsigned int;
using int64_t = long long;
using uint64_t = unsigned long long;
using uint8_t = unsigned char;
using size_t = unsigned long;
} // namespace std
#else
#include <cstddef>
#include <cstdint>
#endif

namespace spikelab::cuda {

enum DeviceConnectivity : int { kDeviceDense, kDeviceOneToOne, kDeviceSparse };

// What a population's model may have on the device; the generated code checks each built-in
// model against these (cuda_neuron_kernels.inc).
inline constexpr int kMaxStateVars = 8;
inline constexpr int kMaxNeuronConstants = 32;  // parameters and derived parameters
inline constexpr int kSpikeSource = -1;         // DevicePopulation::model of a spike source
inline constexpr int kFirstRuntimeModel = 1 << 16;  // the first project model's index
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
    int model = kSpikeSource;       // the built-in model's index, or kFirstRuntimeModel + k for
                                    // a step library's k-th project model (generated dispatch)
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

} // namespace spikelab::cuda
