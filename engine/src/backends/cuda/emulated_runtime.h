#pragma once
// An emulated CUDA device for testing the CUDA backend on machines without a GPU
// (SPIKELAB_CUDA_EMULATION=ON; see kernels.cu and engine/CMakeLists.txt).
//
// kernels.cu is compiled by the host compiler against this header instead of
// <cuda_runtime.h>. It provides the part of the runtime API and of the device built-ins that
// kernels.cu uses, with the semantics a kernel may rely on:
// - Every CUDA thread of a block is a fiber (ucontext) on the launching thread; blocks run one
//   after another. A fiber runs until it reaches __syncthreads(), a warp vote or its end, so
//   threads drift as far apart as barriers allow. The order in which fibers run is a new
//   pseudo-random permutation in every round (from a seed fixed per launch shape, so runs
//   repeat), so a kernel that reads another thread's write without a barrier between them
//   sees different values in different rounds, and its results differ from the CPU
//   backend's.
// - A warp vote completes when the warp's last lane casts it; that lane runs on at once and
//   the others in the next round, while other warps may not have reached the vote yet.
// - A barrier that not every thread of the block (or warp) reaches fails the launch with a
//   message naming the block, as would hang or be undefined on a GPU.
// - Device memory is host memory that the emulator keeps a registry of, so the launch can
//   check that every pointer a kernel is given points into a device allocation large enough
//   (a host pointer handed to a kernel crashes a real GPU; here it is reported).
// - Launches are synchronous and serialised; __shared__ variables are function statics.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

// CUDA's error codes and copy kinds, those the emulator uses, with CUDA's values.
enum cudaError_t {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInsufficientDriver = 35,
    cudaErrorNoDevice = 100,
    cudaErrorNoKernelImageForDevice = 209,
    cudaErrorLaunchFailure = 719,
};
enum cudaMemcpyKind { cudaMemcpyHostToDevice = 1, cudaMemcpyDeviceToHost = 2 };


namespace spikelab::cuda::emulation {

struct Dim3 {
    unsigned x = 1, y = 1, z = 1;
    Dim3() = default;
    Dim3(unsigned x_) : x(x_) {}  // NOLINT: implicit, as CUDA's dim3
};

Dim3 threadIndex();
Dim3 blockIndex();
Dim3 blockDimension();
Dim3 gridDimension();
void syncThreads();
unsigned ballot(unsigned mask, bool predicate);

// Runs body once per thread of a grid of `grid` blocks of `block` threads. Never throws: a
// failure is what cudaGetLastError() reports next.
void launch(Dim3 grid, Dim3 block, const std::function<void()>& body);

// Throws DeviceError naming `what` unless [pointer, pointer + bytes) lies in one allocation.
void requireDeviceRange(const void* pointer, std::size_t bytes, const char* what);

// Device memory above this many bytes in all fails to allocate, as on a full GPU. 0: no limit.
void setMemoryLimit(std::size_t bytes);
std::size_t allocatedBytes();

// Makes the next launch fail once with `error`, detailed by `message` (what a failed kernel,
// or a GPU without code for it in the build, looks like).
void failNextLaunch(cudaError_t error, const std::string& message);

} // namespace spikelab::cuda::emulation

// ---- The runtime API subset, under CUDA's names --------------------------------------------

cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetLastError();
const char* cudaGetErrorString(cudaError_t error);
cudaError_t cudaMalloc(void** pointer, std::size_t bytes);
cudaError_t cudaFree(void* pointer);
cudaError_t cudaMemcpy(void* to, const void* from, std::size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes);
cudaError_t cudaDeviceSynchronize();

// ---- Device code ---------------------------------------------------------------------------

#define __global__
#define __device__
#define __host__
#define __shared__ static
#define threadIdx (::spikelab::cuda::emulation::threadIndex())
#define blockIdx (::spikelab::cuda::emulation::blockIndex())
#define blockDim (::spikelab::cuda::emulation::blockDimension())
#define gridDim (::spikelab::cuda::emulation::gridDimension())

inline void __syncthreads() { spikelab::cuda::emulation::syncThreads(); }
inline unsigned __ballot_sync(unsigned mask, bool predicate) {
    return spikelab::cuda::emulation::ballot(mask, predicate);
}
inline int __popc(unsigned x) { return std::popcount(x); }
// Fibers of one launch never run at the same time, so a plain add is atomic here.
inline unsigned atomicAdd(unsigned* address, unsigned value) {
    const unsigned old = *address;
    *address = old + value;
    return old;
}

// kernel<<<grid, block>>>(args...) is written SPIKELAB_LAUNCH(kernel, grid, block)(args...).
#define SPIKELAB_LAUNCH(kernel, grid, block)                                                 \
    [&](auto... args_) {                                                                      \
        ::spikelab::cuda::emulation::launch((grid), (block), [&] { kernel(args_...); });       \
    }
