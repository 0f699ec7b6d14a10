#pragma once
// Bounded recording buffers. Each keeps the newest `capacity` entries; older ones are
// overwritten and counted as dropped, so a long run never grows memory. Entries carry a
// running sequence number so a reader (the GUI) can ask for "everything since n".
#include <algorithm>
#include <cstdint>
#include <vector>

namespace spikelab {

struct SpikeEvent {
    std::int64_t step;
    std::uint32_t neuron;
    bool operator==(const SpikeEvent&) const = default;
};

template <typename T>
class RingBuffer {
public:
    explicit RingBuffer(std::size_t capacity = 0) : data_(capacity) {}

    void push(const T& value) {
        ++total_;
        if (data_.empty()) return;
        data_[head_] = value;
        if (++head_ == data_.size()) head_ = 0;  // no division on the per-spike path
    }
    void clear() { total_ = 0, head_ = 0; }
    std::size_t capacity() const { return data_.size(); }
    std::uint64_t total() const { return total_; }  // entries ever pushed
    std::uint64_t dropped() const {
        return total_ > data_.size() ? total_ - data_.size() : 0;
    }
    std::uint64_t firstAvailable() const { return dropped(); }

    // Appends the entries with sequence number >= from that are still held, oldest first.
    void appendSince(std::uint64_t from, std::vector<T>& out) const {
        const std::uint64_t start = from > firstAvailable() ? from : firstAvailable();
        if (start >= total_) return;
        // Entry s lives at slot s % capacity; the held range is at most two contiguous runs.
        const std::size_t count = std::size_t(total_ - start);
        const std::size_t first = std::size_t(start % data_.size());
        const std::size_t run = std::min(count, data_.size() - first);
        out.insert(out.end(), data_.begin() + std::ptrdiff_t(first),
                   data_.begin() + std::ptrdiff_t(first + run));
        out.insert(out.end(), data_.begin(), data_.begin() + std::ptrdiff_t(count - run));
    }
    std::vector<T> since(std::uint64_t from) const {
        std::vector<T> out;
        appendSince(from, out);
        return out;
    }
    std::vector<T> all() const { return since(0); }

private:
    std::vector<T> data_;
    std::uint64_t total_ = 0;
    std::size_t head_ = 0;  // slot of the next push: total_ % capacity
};

// One sampled value of a recorded state variable: every recorded neuron at one step.
struct StateSample {
    std::int64_t step;
    std::vector<float> values;  // one per neuron in RecordSpec::neurons order
};

} // namespace spikelab
