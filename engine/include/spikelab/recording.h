#pragma once
// Bounded recording buffers. Each keeps the newest `capacity` entries; older ones are
// overwritten and counted as dropped, so a long run never grows memory. Entries carry a
// running sequence number so a reader (the GUI) can ask for "everything since n".
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
        if (data_.empty()) {
            ++total_;
            return;
        }
        data_[std::size_t(total_ % data_.size())] = value;
        ++total_;
    }
    void clear() { total_ = 0; }
    std::size_t capacity() const { return data_.size(); }
    std::uint64_t total() const { return total_; }  // entries ever pushed
    std::uint64_t dropped() const {
        return total_ > data_.size() ? total_ - data_.size() : 0;
    }
    std::uint64_t firstAvailable() const { return dropped(); }

    // Entries with sequence number >= from that are still held, oldest first.
    std::vector<T> since(std::uint64_t from) const {
        std::vector<T> out;
        const std::uint64_t start = from > firstAvailable() ? from : firstAvailable();
        if (start >= total_) return out;
        out.reserve(std::size_t(total_ - start));
        for (std::uint64_t s = start; s < total_; ++s) out.push_back(data_[std::size_t(s % data_.size())]);
        return out;
    }
    std::vector<T> all() const { return since(0); }

private:
    std::vector<T> data_;
    std::uint64_t total_ = 0;
};

// One sampled value of a recorded state variable: every recorded neuron at one step.
struct StateSample {
    std::int64_t step;
    std::vector<float> values;  // one per neuron in RecordSpec::neurons order
};

} // namespace spikelab
