#pragma once
// Short constructors for parameter-table rows (see spikelab/params.h).
#include "spikelab/params.h"

#include <limits>
#include <string>

namespace spikelab::table {

inline constexpr double inf = std::numeric_limits<double>::infinity();

inline ParamInfo positive(std::string name, std::string unit, double def, std::string description) {
    return {std::move(name), std::move(unit), def, 0.0, inf, false, true, false, std::move(description)};
}
inline ParamInfo nonNegative(std::string name, std::string unit, double def, std::string description) {
    return {std::move(name), std::move(unit), def, 0.0, inf, true, true, false, std::move(description)};
}
inline ParamInfo anyValue(std::string name, std::string unit, double def, std::string description) {
    return {std::move(name), std::move(unit), def, -inf, inf, true, true, false, std::move(description)};
}

} // namespace spikelab::table
