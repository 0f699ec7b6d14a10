#pragma once
// std::vector whose storage starts on a cache-line boundary. With per-copy strides rounded up
// to whole lines, threads working on different batch copies never write to the same line.
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace spikelab::cpu {

inline constexpr std::size_t kCacheLine = 64;

template <typename T>
struct CacheAlignedAllocator {
    using value_type = T;
    CacheAlignedAllocator() = default;
    template <typename U>
    CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(kCacheLine)));
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t(kCacheLine)); }
    template <typename U>
    bool operator==(const CacheAlignedAllocator<U>&) const noexcept { return true; }
};

template <typename T>
using AlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

// Elements per batch copy: n rounded up to whole cache lines.
template <typename T>
constexpr std::int64_t paddedStride(std::int64_t n) {
    constexpr std::int64_t perLine = std::int64_t(kCacheLine / sizeof(T));
    return (n + perLine - 1) / perLine * perLine;
}

} // namespace spikelab::cpu
