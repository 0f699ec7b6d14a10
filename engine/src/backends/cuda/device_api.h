#pragma once
// The seam between the CUDA backend's host code (C++20, g++) and its device code (kernels.cu,
// nvcc): the structs of device_layout.h and a few functions, with no CUDA and no engine types
// beyond spikelab::Error, so either side can change compiler or standard on its own.
#include "device_layout.h"
#include "spikelab/error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

// Launches an empty kernel and waits for it: throws DeviceError when the GPU cannot run this
// build's kernels (no code for its compute capability) or the context cannot be created.
void probeDevice();
// A step kernel made while SpikeLab runs, for a network with the project's own neuron models
// (step_library.h): the step of step_kernel.cuh with those models in its dispatch.
class StepLibrary {
public:
    virtual ~StepLibrary() = default;
    // Queues the library's step kernel, one block of stepKernelThreads() per batch copy.
    virtual void launch(const DeviceNetwork& network, std::int64_t t0, std::int64_t steps,
                        std::int64_t recordOffset) const = 0;
};

// Threads per block of the step kernel; a step library is compiled for the same number.
int stepKernelThreads();
// The compute capability of device 0 as NVRTC names it ("sm_90"). Throws DeviceError.
std::string deviceArchitecture();
// Loads NVRTC's image (a cubin or PTX) of a step library with the runtime API; its kernel is
// extern "C" spikelab_advance(DeviceNetwork, long long t0, long long steps, long long
// recordOffset). Throws DeviceError; on the emulated device there is no image to load (its step
// libraries are shared objects, step_library.cpp) and this throws too.
std::unique_ptr<StepLibrary> loadStepLibrary(const std::vector<char>& image);

// Runs `steps` steps starting at step t0 for every batch copy, writing recordings at step
// offset recordOffset of the recording buffers, with the built-in step kernel or, when given,
// `library`'s. Returns when the launch is queued.
void launchAdvance(const DeviceNetwork& network, std::int64_t t0, std::int64_t steps,
                   std::int64_t recordOffset, const StepLibrary* library = nullptr);
void fillDevice(float* data, std::size_t count, float value);
// Waits for queued work; throws DeviceError naming `what` on a failed kernel.
void synchronizeDevice(const char* what);

} // namespace spikelab::cuda
