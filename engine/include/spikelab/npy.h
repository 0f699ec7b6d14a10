#pragma once
// NumPy .npy arrays (format versions 1.0, 2.0 and 3.0). Reads little- and big-endian
// float32/float64 and integer types in C or Fortran order, always returning C order as double;
// writes float32 or float64 in C order, atomically.
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
