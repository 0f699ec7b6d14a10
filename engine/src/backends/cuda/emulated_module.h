#pragma once
// How a step library runs on the emulated device (emulated_runtime.h): its source, compiled by
// the system C++ compiler into a shared object, reaches the emulator's device built-ins through
// a table of functions that the engine hands it once loaded (spikelab_bind_emulation), not
// through symbols of the program, which a loaded object cannot see unless the program exports
// them. step_library.cpp includes this header for the table; the library's source carries its
// text with SPIKELAB_EMULATED_MODULE defined, which adds the device built-ins on top.

extern "C" {
struct SpikelabEmulationHooks {
    unsigned (*threadIndex)();  // threadIdx.x of the fiber that runs
    unsigned (*blockIndex)();   // blockIdx.x
    void (*syncThreads)();
    unsigned (*ballot)(unsigned mask, bool predicate);
};
}

#ifdef SPIKELAB_EMULATED_MODULE
#include <bit>

namespace {
const SpikelabEmulationHooks* spikelabHooks = nullptr;
struct SpikelabIndex {
    unsigned x;
};
} // namespace

extern "C" __attribute__((visibility("default"))) void spikelab_bind_emulation(const SpikelabEmulationHooks* hooks) {
    spikelabHooks = hooks;
}

#define __global__
#define __device__
#define __host__
#define __shared__ static
#define threadIdx (SpikelabIndex{spikelabHooks->threadIndex()})
#define blockIdx (SpikelabIndex{spikelabHooks->blockIndex()})

inline void __syncthreads() { spikelabHooks->syncThreads(); }
inline unsigned __ballot_sync(unsigned mask, bool predicate) { return spikelabHooks->ballot(mask, predicate); }
inline int __popc(unsigned x) { return std::popcount(x); }
// Fibers of one launch never run at the same time, so a plain add is atomic here.
inline unsigned atomicAdd(unsigned* address, unsigned value) {
    const unsigned old = *address;
    *address = old + value;
    return old;
}
#endif
