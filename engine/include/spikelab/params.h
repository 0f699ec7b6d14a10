#pragma once
// Declarative parameter tables. Every neuron model, postsynaptic model, encoder and learning
// rule lists its parameters and state variables here; the inspector, validation, JSON and
// docs are all generated from these tables, so no parameter is known in two places.
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace spikelab {

using ParamValues = std::map<std::string, double>;

struct ParamInfo {
    std::string name;
    std::string unit;        // "ms", "mV", "nA", "nF", "" for dimensionless
    double defaultValue = 0.0;
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool minInclusive = true; // false: value must be > min (e.g. time constants)
    bool maxInclusive = true;
    bool integer = false;     // value must be a whole number (e.g. counts)
    std::string description;

    // Empty when value is acceptable, else the reason ("must be > 0").
    std::string check(double value) const;
    bool operator==(const ParamInfo&) const = default;
};

using ParamTable = std::vector<ParamInfo>;

const ParamInfo* findParam(const ParamTable& table, const std::string& name);

// A number as messages show it: at most 10 significant digits, so 1e300 reads "1e+300", not
// 301 digits.
std::string formatNumber(double value);
// `value` as a whole number in [low, high]; throws spikelab::Error "<what> must be a whole
// number between <low> and <high>, not <value>" otherwise (NaN, fractions, and values no
// int64 can hold included), so no float ever converts to an integer out of range.
std::int64_t wholeNumber(double value, std::int64_t low, std::int64_t high, const std::string& what);

// Fills defaults for names missing from `given`, rejects unknown names and out-of-range values.
// `what` names the owner for messages, e.g. "population \"hidden\"". Throws spikelab::Error.
ParamValues resolveParams(const ParamTable& table, const ParamValues& given,
                          const std::string& what, const std::string& kind = "parameter");

} // namespace spikelab
