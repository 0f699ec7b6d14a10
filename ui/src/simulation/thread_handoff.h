#pragma once
// Hand-offs between threads that pass through Qt, told to ThreadSanitizer (README, "Tests").
// Qt's event queues, QThreadPool and QFuture are guarded by QMutex and QWaitCondition, which on
// Linux wait on a futex inside libQt6Core; that library is not built with -fsanitize=thread,
// so TSan cannot see that posting an event happens before it runs. SpikeLab therefore passes
// data between threads through its own mutex-guarded queues and wakes the other side with a
// signal that carries nothing (SimulationController, JobDialog::post). Where one thread waits
// for another through Qt (a blocking stop of the simulation thread), the side that is done calls
// handOff() and the side that waited takeOver(). One address serves every hand-off: it orders
// a little more than Qt does, never less. Without TSan both are empty.
#if defined(__SANITIZE_THREAD__)
#define SPIKELAB_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPIKELAB_THREAD_SANITIZER 1
#endif
#endif

#ifdef SPIKELAB_THREAD_SANITIZER
#include <sanitizer/tsan_interface.h>
#endif

#include <deque>
#include <mutex>

namespace spikelab::ui {

// Moves the oldest item of a queue that another thread fills into `next`; false when empty.
template <typename T> bool takeNext(std::mutex& mutex, std::deque<T>& queue, T& next) {
    std::lock_guard lock(mutex);
    if (queue.empty()) return false;
    next = std::move(queue.front());
    queue.pop_front();
    return true;
}

#ifdef SPIKELAB_THREAD_SANITIZER
inline char threadHandoffAddress;
inline void handOff() {
    __tsan_release(&threadHandoffAddress);
}
inline void takeOver() {
    __tsan_acquire(&threadHandoffAddress);
}
#else
inline void handOff() {}
inline void takeOver() {}
#endif

} // namespace spikelab::ui
