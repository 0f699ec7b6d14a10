// The emulated CUDA device; see emulated_runtime.h.
#include "emulated_runtime.h"

#include "device_api.h"

#include <ucontext.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define SPIKELAB_FIBER_ASAN 1
#endif

namespace spikelab::cuda::emulation {

namespace {

// Enough for the kernels and for a sanitizer report from inside one; AddressSanitizer clears
// the shadow of the whole stack on every switch, so no more.
constexpr std::size_t kStackBytes = std::size_t(64) << 10;
constexpr unsigned kWarpSize = 32;

enum class Wait { Running, Block, Warp, Done };

struct Fiber {
    ucontext_t context{};
    char* stack = nullptr;
    unsigned thread = 0;
    Wait wait = Wait::Running;
    bool vote = false;
};

struct Warp {
    unsigned waiting = 0;
    unsigned result = 0;  // the last completed vote
};

// One launch in progress on this thread.
struct Launch {
    Dim3 grid, block;
    unsigned blockIndex = 0;
    const std::function<void()>* body = nullptr;
    std::vector<Fiber> fibers;
    std::vector<Warp> warps;
    Fiber* current = nullptr;
    std::vector<unsigned> order;  // of the current round: a permutation of the threads
    std::size_t position = 0;     // in that order, of the fiber running
    std::minstd_rand shuffler;
    ucontext_t scheduler{};
    const void* schedulerStack = nullptr;  // bounds of the launching thread's stack, for ASan
    std::size_t schedulerStackBytes = 0;
    std::string failure;
};

thread_local Launch* active = nullptr;

std::mutex& launchMutex() {
    static std::mutex m;
    return m;
}

// Device memory: start address -> bytes, and the error the next cudaGetLastError returns.
struct Device {
    std::mutex mutex;
    std::map<const char*, std::size_t> allocations;
    std::size_t allocated = 0, limit = 0;
    cudaError_t lastError = cudaSuccess, messageError = cudaSuccess, pendingError = cudaSuccess;
    std::string lastMessage, pendingFailure;
};

Device& device() {
    static Device d;
    return d;
}

Launch& current(const char* what) {
    if (!active || !active->current) {
        std::fprintf(stderr, "emulated CUDA: %s called outside a kernel\n", what);
        std::abort();
    }
    return *active;
}

// The next fiber of the current round that can run, in the round's order, or null when the
// round is over.
Fiber* nextInRound(Launch& l) {
    const std::size_t n = l.fibers.size();
    while (++l.position < n) {
        Fiber& f = l.fibers[l.order[l.position]];
        if (f.wait == Wait::Running) return &f;
    }
    return nullptr;
}

// Context switches. A fiber that stops hands over to the next fiber of the round directly,
// and only the last one to the scheduler: one swapcontext per fiber and phase. Under
// AddressSanitizer each switch is announced, with the stack it goes to.
void enter(ucontext_t* from, Fiber& to) {
    active->current = &to;
#ifdef SPIKELAB_FIBER_ASAN
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, to.stack, kStackBytes);
    swapcontext(from, &to.context);
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#else
    swapcontext(from, &to.context);
#endif
}

// Called by a fiber that waits: runs the rest of the round, returns when it is resumed.
void stop(Launch& l, Fiber& f) {
    if (Fiber* next = nextInRound(l)) {
        enter(&f.context, *next);
        return;
    }
    l.current = nullptr;
#ifdef SPIKELAB_FIBER_ASAN
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, l.schedulerStack, l.schedulerStackBytes);
    swapcontext(&f.context, &l.scheduler);
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#else
    swapcontext(&f.context, &l.scheduler);
#endif
}

void fiberMain() {
    Launch& l = *active;
#ifdef SPIKELAB_FIBER_ASAN
    // The very first fiber of a launch is entered from the scheduler: learn its stack.
    if (l.schedulerStack) __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
    else __sanitizer_finish_switch_fiber(nullptr, &l.schedulerStack, &l.schedulerStackBytes);
#endif
    (*l.body)();
    l.current->wait = Wait::Done;
    Fiber* next = nextInRound(l);
    l.current = next;
    // This fiber's stack is left for good.
#ifdef SPIKELAB_FIBER_ASAN
    __sanitizer_start_switch_fiber(nullptr, next ? next->stack : l.schedulerStack,
                                   next ? kStackBytes : l.schedulerStackBytes);
#endif
    setcontext(next ? &next->context : &l.scheduler);
}

// Runs block l.blockIndex to its end. Returns false with l.failure set on a barrier that not
// every thread reaches.
bool runBlock(Launch& l) {
    for (auto& f : l.fibers) {
        getcontext(&f.context);
        f.context.uc_stack.ss_sp = f.stack;
        f.context.uc_stack.ss_size = kStackBytes;
        f.context.uc_link = nullptr;  // fiberMain never returns
        makecontext(&f.context, fiberMain, 0);
        f.wait = Wait::Running;
    }
    for (auto& w : l.warps) w = Warp{};
    const std::size_t n = l.fibers.size();
    for (;;) {
        std::shuffle(l.order.begin(), l.order.end(), l.shuffler);
        l.position = std::size_t(-1);
        if (Fiber* first = nextInRound(l)) enter(&l.scheduler, *first);
        const auto count = [&](Wait w) {
            return std::size_t(std::count_if(l.fibers.begin(), l.fibers.end(),
                                             [w](const Fiber& f) { return f.wait == w; }));
        };
        if (count(Wait::Running) > 0) continue;  // lanes a completed warp vote released
        if (count(Wait::Done) == n) return true;
        if (count(Wait::Block) == n) {
            for (auto& f : l.fibers) f.wait = Wait::Running;
            continue;
        }
        l.failure = "block " + std::to_string(l.blockIndex) + ": " + std::to_string(count(Wait::Block)) +
                    " threads wait in __syncthreads(), " + std::to_string(count(Wait::Warp)) +
                    " in a warp vote, " + std::to_string(count(Wait::Done)) +
                    " have returned: a barrier not every thread reaches";
        return false;
    }
}

void setError(cudaError_t error, std::string message) {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    d.lastError = d.messageError = error;
    d.lastMessage = std::move(message);
}

} // namespace

Dim3 threadIndex() { return Dim3(current("threadIdx").current->thread); }
Dim3 blockIndex() { return Dim3(current("blockIdx").blockIndex); }
Dim3 blockDimension() { return current("blockDim").block; }
Dim3 gridDimension() { return current("gridDim").grid; }

void syncThreads() {
    Launch& l = current("__syncthreads");
    Fiber& f = *l.current;
    f.wait = Wait::Block;
    stop(l, f);
}

unsigned ballot(unsigned mask, bool predicate) {
    Launch& l = current("__ballot_sync");
    Fiber& f = *l.current;
    const unsigned w = f.thread / kWarpSize;
    Warp& warp = l.warps[w];
    f.vote = predicate;
    const unsigned lanes = std::min(kWarpSize, unsigned(l.fibers.size()) - w * kWarpSize);
    if (++warp.waiting < lanes) {
        f.wait = Wait::Warp;
        stop(l, f);
        return warp.result & mask;
    }
    // The last lane completes the vote and runs on; the others resume in the next round,
    // while the other warps may still be far behind, as warps are on a GPU.
    warp.result = 0;
    for (unsigned lane = 0; lane < lanes; ++lane) {
        Fiber& other = l.fibers[w * kWarpSize + lane];
        if (other.vote) warp.result |= 1u << lane;
        other.wait = Wait::Running;
    }
    warp.waiting = 0;
    return warp.result & mask;
}

void launch(Dim3 grid, Dim3 block, const std::function<void()>& body) {
    std::string failure;
    cudaError_t error = cudaSuccess;
    {
        auto& d = device();
        std::lock_guard lock(d.mutex);
        error = std::exchange(d.pendingError, cudaSuccess);
        failure = std::exchange(d.pendingFailure, std::string());
    }
    if (error != cudaSuccess) {
        setError(error, failure);
        return;
    }
    if (grid.y * grid.z != 1 || block.y * block.z != 1 || block.x == 0 || block.x > 1024 ||
        (block.x > kWarpSize && block.x % kWarpSize != 0)) {
        setError(cudaErrorInvalidValue, "launch configuration not supported by the emulated device");
        return;
    }
    std::lock_guard serial(launchMutex());
    Launch l;
    l.grid = grid;
    l.block = block;
    l.body = &body;
    l.fibers.resize(block.x);
    // Stacks are kept for the next launch on this thread: fresh ones cost a page fault per
    // page touched, which was most of the emulator's time.
    thread_local std::vector<std::unique_ptr<char[]>> stacks;
    while (stacks.size() < block.x) stacks.emplace_back(new char[kStackBytes]);
    for (unsigned t = 0; t < block.x; ++t) {
        l.fibers[t].thread = t;
        l.fibers[t].stack = stacks[t].get();
    }
    l.warps.resize((block.x + kWarpSize - 1) / kWarpSize);
    l.order.resize(block.x);
    std::iota(l.order.begin(), l.order.end(), 0u);
    // A fixed seed per launch: a failure repeats when the same launches run again.
    l.shuffler.seed(std::uint_fast32_t(grid.x) * 7919u + block.x);
    active = &l;
    for (l.blockIndex = 0; l.blockIndex < grid.x; ++l.blockIndex)
        if (!runBlock(l)) {
            failure = "emulated device: " + l.failure;
            break;
        }
    active = nullptr;
    if (!failure.empty()) setError(cudaErrorLaunchFailure, failure);
}

void requireDeviceRange(const void* pointer, std::size_t bytes, const char* what) {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    const char* p = static_cast<const char*>(pointer);
    auto it = d.allocations.upper_bound(p);
    if (it != d.allocations.begin()) {
        --it;
        if (p >= it->first && std::size_t(p - it->first) + bytes <= it->second) return;
        if (p >= it->first && p < it->first + it->second)
            throw DeviceError(std::string("emulated CUDA: ") + what + ": " + std::to_string(bytes) +
                              " bytes from offset " + std::to_string(p - it->first) +
                              " overrun a device allocation of " + std::to_string(it->second) + " bytes");
    }
    throw DeviceError(std::string("emulated CUDA: ") + what + " is not device memory");
}

void setMemoryLimit(std::size_t bytes) {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    d.limit = bytes;
}

std::size_t allocatedBytes() {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    return d.allocated;
}

void failNextLaunch(cudaError_t error, const std::string& message) {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    d.pendingError = error;
    d.pendingFailure = message;
}

} // namespace spikelab::cuda::emulation

using namespace spikelab::cuda::emulation;

cudaError_t cudaGetDeviceCount(int* count) {
    *count = 1;
    return cudaSuccess;
}

cudaError_t cudaGetLastError() {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    return std::exchange(d.lastError, cudaSuccess);
}

const char* cudaGetErrorString(cudaError_t error) {
    const char* text = "unknown error";
    switch (error) {
    case cudaSuccess: text = "no error"; break;
    case cudaErrorInvalidValue: text = "invalid argument"; break;
    case cudaErrorMemoryAllocation: text = "out of memory"; break;
    case cudaErrorInsufficientDriver: text = "CUDA driver version is insufficient for CUDA runtime version"; break;
    case cudaErrorNoDevice: text = "no CUDA-capable device is detected"; break;
    case cudaErrorNoKernelImageForDevice: text = "no kernel image is available for execution on the device"; break;
    case cudaErrorLaunchFailure: text = "unspecified launch failure"; break;
    }
    // With the emulator's detail of the last error of this kind; valid until the next call
    // on this thread.
    auto& d = device();
    std::lock_guard lock(d.mutex);
    if (error != d.messageError || d.lastMessage.empty()) return text;
    static thread_local std::string message;
    message = std::string(text) + " (" + d.lastMessage + ")";
    return message.c_str();
}

cudaError_t cudaMalloc(void** pointer, std::size_t bytes) {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    *pointer = nullptr;
    if (d.limit > 0 && d.allocated + bytes > d.limit) return d.lastError = cudaErrorMemoryAllocation;
    // 256-byte aligned, as cudaMalloc's memory is.
    void* p = std::aligned_alloc(256, std::max<std::size_t>(256, (bytes + 255) / 256 * 256));
    if (!p) return d.lastError = cudaErrorMemoryAllocation;
    d.allocations[static_cast<const char*>(p)] = bytes;
    d.allocated += bytes;
    *pointer = p;
    return cudaSuccess;
}

cudaError_t cudaFree(void* pointer) {
    if (!pointer) return cudaSuccess;
    auto& d = device();
    std::lock_guard lock(d.mutex);
    const auto it = d.allocations.find(static_cast<const char*>(pointer));
    if (it == d.allocations.end()) return d.lastError = cudaErrorInvalidValue;
    d.allocated -= it->second;
    d.allocations.erase(it);
    std::free(pointer);
    return cudaSuccess;
}

cudaError_t cudaMemcpy(void* to, const void* from, std::size_t bytes, cudaMemcpyKind kind) {
    try {
        requireDeviceRange(kind == cudaMemcpyHostToDevice ? to : from, bytes, "cudaMemcpy");
    } catch (const spikelab::Error& e) {
        setError(cudaErrorInvalidValue, e.what());
        return cudaErrorInvalidValue;
    }
    std::memcpy(to, from, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes) {
    try {
        requireDeviceRange(pointer, bytes, "cudaMemset");
    } catch (const spikelab::Error& e) {
        setError(cudaErrorInvalidValue, e.what());
        return cudaErrorInvalidValue;
    }
    std::memset(pointer, value, bytes);
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
    auto& d = device();
    std::lock_guard lock(d.mutex);
    return std::exchange(d.lastError, cudaSuccess);
}
