// The emulated CUDA device (SPIKELAB_CUDA_EMULATION builds), on which the *_cuda tests run
// the CUDA backend's kernels where there is no GPU: its warp votes and barriers behave as on
// a GPU, it reports what a GPU would crash or hang on, and through it the backend's failure
// paths (out of device memory, a failed launch) are tested.
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <vector>

#ifdef SPIKELAB_CUDA_EMULATION
#include "backends/cuda/cuda_backend.h"
#include "backends/cuda/device_api.h"
// Last: it defines CUDA's built-ins as macros.
#include "backends/cuda/emulated_runtime.h"
#endif

using namespace spikelab;
using namespace spikelab::test;

#ifndef SPIKELAB_CUDA_EMULATION
TEST(CudaEmulation, OnlyInEmulationBuilds_cuda) {
    GTEST_SKIP() << "this build runs CUDA code on a real device or not at all "
                    "(configure with -DSPIKELAB_CUDA_EMULATION=ON for the emulated device)";
}
#else

namespace {

using namespace spikelab::cuda;

// Each warp's vote of "lane is a multiple of 3 or of the block index + 5", written by lane 0,
// then after a barrier every thread's sum of its warp's votes.
__global__ void voteKernel(unsigned* votes, unsigned* sums) {
    __shared__ unsigned shared[2];
    const unsigned t = threadIdx.x, warp = t / 32;
    const unsigned ballot = __ballot_sync(0xffffffffu, t % 3 == 0 || t % (blockIdx.x + 5) == 0);
    if (t % 32 == 0) shared[warp] = ballot;
    __syncthreads();
    votes[blockIdx.x * 64 + t] = shared[warp];
    sums[blockIdx.x * 64 + t] = unsigned(__popc(shared[0])) + unsigned(__popc(shared[1]));
}

// Half the threads skip the barrier: a hang or undefined behaviour on a GPU.
__global__ void divergentBarrierKernel(unsigned* out) {
    if (threadIdx.x < 40) __syncthreads();
    out[threadIdx.x] = 1;
}

template <typename T>
T* deviceArray(std::size_t count) {
    void* p = nullptr;
    EXPECT_EQ(cudaMalloc(&p, count * sizeof(T)), cudaSuccess);
    return static_cast<T*>(p);
}

NetworkSpec smallNetwork() {
    NetworkSpec s;
    s.populations = {population("in", 8, "IF", {{"Vthr", 2.0}}), population("out", 4, "IF", {{"Vthr", 3.0}})};
    s.populations[1].record.spikes = true;
    s.projections = {projection("in_out", "in", "out", constantWeight(1.0), ConnectivityType::Dense)};
    return s;
}

} // namespace

TEST(CudaEmulation, WarpVotesAndBarriersAsOnAGpu_cuda) {
    auto* votes = deviceArray<unsigned>(3 * 64);
    auto* sums = deviceArray<unsigned>(3 * 64);
    SPIKELAB_LAUNCH(voteKernel, 3, 64)(votes, sums);
    ASSERT_EQ(cudaGetLastError(), cudaSuccess);
    std::vector<unsigned> v(3 * 64), s(3 * 64);
    ASSERT_EQ(cudaMemcpy(v.data(), votes, v.size() * sizeof(unsigned), cudaMemcpyDeviceToHost), cudaSuccess);
    ASSERT_EQ(cudaMemcpy(s.data(), sums, s.size() * sizeof(unsigned), cudaMemcpyDeviceToHost), cudaSuccess);
    for (unsigned b = 0; b < 3; ++b) {
        unsigned expectedSum = 0;
        std::vector<unsigned> expected(2, 0);
        for (unsigned t = 0; t < 64; ++t)
            if (t % 3 == 0 || t % (b + 5) == 0) {
                expected[t / 32] |= 1u << (t % 32);
                ++expectedSum;
            }
        for (unsigned t = 0; t < 64; ++t) {
            EXPECT_EQ(v[b * 64 + t], expected[t / 32]) << "block " << b << " thread " << t;
            EXPECT_EQ(s[b * 64 + t], expectedSum) << "block " << b << " thread " << t;
        }
    }
    EXPECT_EQ(cudaFree(votes), cudaSuccess);
    EXPECT_EQ(cudaFree(sums), cudaSuccess);
}

TEST(CudaEmulation, BarrierNotReachedByEveryThreadFailsTheLaunch_cuda) {
    auto* out = deviceArray<unsigned>(64);
    SPIKELAB_LAUNCH(divergentBarrierKernel, 2, 64)(out);
    const cudaError_t error = cudaGetLastError();
    EXPECT_EQ(error, cudaErrorLaunchFailure);
    const std::string message = cudaGetErrorString(error);
    EXPECT_CONTAINS(message, "block 0: 40 threads wait in __syncthreads(), 0 in a warp vote, 24 have returned");
    EXPECT_EQ(cudaGetLastError(), cudaSuccess);  // reported once
    cudaFree(out);
}

TEST(CudaEmulation, HostPointersShortArraysAndRecordingOverrunsAreNamed_cuda) {
    std::vector<DevicePopulation> hostTable(1);
    DeviceNetwork net;
    net.populations = hostTable.data();
    net.numPopulations = 1;
    EXPECT_CONTAINS(errorOf([&] { launchAdvance(net, 0, 1, 0); }),
                    "emulated CUDA: the population table is not device memory");

    // A real backend's table with one array cut short.
    DeviceArray<DevicePopulation> table(1);
    DeviceArray<float> v(4);  // a population of 8 in one copy needs 8
    DeviceArray<std::uint32_t> counts(8), history(8);
    DeviceArray<std::int64_t> historyCount(1);
    DeviceArray<std::uint8_t> spiked(8);
    DevicePopulation pop;
    pop.model = neuronModel("IF", "test").builtin;
    pop.numStateVars = 1;
    pop.size = 8;
    pop.state[0] = v.data();
    pop.counts = counts.data();
    pop.spiked = spiked.data();
    pop.history = history.data();
    pop.historyCount = historyCount.data();
    table.upload(&pop, 1);
    net.populations = table.data();
    net.updatedNeurons = 8;
    EXPECT_CONTAINS(errorOf([&] { launchAdvance(net, 0, 1, 0); }),
                    "emulated CUDA: population 0's state: 32 bytes from offset 0 overrun a device "
                    "allocation of 16 bytes");

    // More steps than the recording block has rows left.
    DeviceArray<std::uint32_t> recorded(2 * 8);
    pop.recordedSpikes = recorded.data();
    table.upload(&pop, 1);
    net.blockSteps = 2;
    EXPECT_CONTAINS(errorOf([&] { launchAdvance(net, 10, 2, 1); }),
                    "emulated CUDA: steps 10 to 12 recorded from row 1 overrun 2 recording rows");
}

TEST(CudaEmulation, OutOfDeviceMemoryFallsBackToTheCpuAndSaysWhy_cuda) {
    const auto net = compileNetwork(smallNetwork(), ".");
    ASSERT_EQ(createBackend("cuda", net)->name(), "cuda");
    emulation::setMemoryLimit(1000);
    for (const std::string kind : {"cuda", "auto"}) {
        auto backend = createBackend(kind, net);
        EXPECT_EQ(backend->name(), "cpu") << kind;
        EXPECT_CONTAINS(backendNotice(), "backend \"cuda\": CUDA: cannot allocate ");
        EXPECT_CONTAINS(backendNotice(), " bytes of device memory: out of memory; using the CPU backend");
        // The fallback runs.
        backend->setInputCurrent(0, 0, std::vector<float>(8, 1.0f));
        backend->advance(4);
        EXPECT_EQ(backend->spikes(1, 0).total(), 4u);
    }
    emulation::setMemoryLimit(0);
    EXPECT_EQ(emulation::allocatedBytes(), 0u) << "the failed constructions freed what they had";
    EXPECT_EQ(createBackend("cuda", net)->name(), "cuda");
    EXPECT_EQ(backendNotice(), "");
}

TEST(CudaEmulation, GpuWithoutCodeInTheBuildFallsBackToTheCpuAndSaysWhy_cuda) {
    const auto net = compileNetwork(smallNetwork(), ".");
    emulation::failNextLaunch(cudaErrorNoKernelImageForDevice, "");
    auto backend = createBackend("cuda", net);
    EXPECT_EQ(backend->name(), "cpu");
    EXPECT_EQ(backendNotice(),
              "backend \"cuda\": CUDA: first kernel launch: no kernel image is available for execution on "
              "the device (this build has GPU code for compute capability 7.5, 8.x and 9.0 and newer; for an "
              "older GPU rebuild with -DCMAKE_CUDA_ARCHITECTURES=native); using the CPU backend");
    EXPECT_EQ(emulation::allocatedBytes(), 0u);
    EXPECT_EQ(createBackend("cuda", net)->name(), "cuda");
}

TEST(CudaEmulation, FailedLaunchIsAnErrorNamingIt_cuda) {
    const auto net = compileNetwork(smallNetwork(), ".");
    CudaBackend gpu(net, BackendOptions{});
    gpu.setInputCurrent(0, 0, std::vector<float>(8, 1.0f));
    gpu.advance(4);
    emulation::failNextLaunch(cudaErrorLaunchFailure, "an illegal memory access was encountered");
    EXPECT_CONTAINS(errorOf([&] { gpu.advance(1); }),
                    "CUDA: launch of the step kernel: unspecified launch failure (an illegal memory access was encountered)");
    gpu.advance(2);  // the failure is not sticky, and the failed launch took no step
    auto cpu = createBackend("cpu", net);
    cpu->setInputCurrent(0, 0, std::vector<float>(8, 1.0f));
    cpu->advance(6);
    EXPECT_EQ(gpu.currentStep(), 6);
    EXPECT_EQ(gpu.spikes(1, 0).all(), cpu->spikes(1, 0).all());
    EXPECT_GT(gpu.spikes(1, 0).total(), 0u);
}

TEST(CudaEmulation, DestroyedBackendsLeaveNoDeviceMemory_cuda) {
    const auto net = compileNetwork(smallNetwork(), ".");
    const std::size_t before = emulation::allocatedBytes();
    {
        BackendOptions o;
        o.batch = 5;
        CudaBackend gpu(net, o);
        EXPECT_GT(emulation::allocatedBytes(), before);
        gpu.advance(3);
    }
    EXPECT_EQ(emulation::allocatedBytes(), before);
}

#endif
