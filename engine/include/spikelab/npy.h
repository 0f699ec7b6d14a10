#pragma once
// NumPy .npy arrays (format versions 1.0, 2.0 and 3.0). Reads little- and big-endian
// float32/float64 and integer types in C or Fortran order, always returning C order as double;
// writes float32 or float64 in C order, atomically.
//
// Also reads bool ('|b1') as 0/1. The reader checks the file, not the values: NaN and
// infinities are returned as they are stored, and the caller decides whether they are
// acceptable (weights, for instance, are rejected later with the projection named). int64 and
// uint64 values beyond 2^53 lose precision in the conversion to double. Errors are
// spikelab::Error; `what` in parseNpy is the prefix of every message, e.g. "file \"w.npy\"".
// writeNpy throws spikelab::InternalError when the shape does not hold exactly values.size()
// values (a programming error).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace spikelab {

struct NpyArray {
    std::vector<std::int64_t> shape;
    std::vector<double> data;  // C (row-major) order, product(shape) values
    std::string dtype;         // as stored, e.g. "<f4"
    bool fortranOrder = false; // as stored (data above is always C order)
};

NpyArray readNpy(const std::string& path);
NpyArray parseNpy(std::span<const std::uint8_t> bytes, const std::string& what);

void writeNpy(const std::string& path, const std::vector<std::int64_t>& shape,
              std::span<const float> values);
void writeNpy(const std::string& path, const std::vector<std::int64_t>& shape,
              std::span<const double> values);
// The bytes writeNpy would write (float32, C order).
std::vector<std::uint8_t> encodeNpy(const std::vector<std::int64_t>& shape,
                                    std::span<const float> values);

} // namespace spikelab
