#include "spikelab/params.h"

#include "spikelab/error.h"

#include <cmath>
#include <sstream>

namespace spikelab {

std::string formatNumber(double v) {
    std::ostringstream out;
    out.precision(10);
    out << v;
    return out.str();
}

std::int64_t wholeNumber(double value, std::int64_t low, std::int64_t high, const std::string& what) {
    // The comparisons are made in double before any conversion; low and high are far inside
    // the int64 range wherever this is used, so their doubles are exact enough.
    if (!(std::isfinite(value) && std::floor(value) == value && value >= double(low) &&
          value <= double(high)))
        throw Error(what + " must be a whole number between " + std::to_string(low) + " and " +
                    std::to_string(high) + ", not " + formatNumber(value));
    return std::int64_t(value);
}

std::string ParamInfo::check(double value) const {
    if (!std::isfinite(value)) return "must be a finite number";
    if (integer && std::floor(value) != value) return "must be a whole number";
    if (std::isfinite(min)) {
        if (minInclusive && value < min) return "must be >= " + formatNumber(min);
        if (!minInclusive && value <= min) return "must be > " + formatNumber(min);
    }
    if (std::isfinite(max)) {
        if (maxInclusive && value > max) return "must be <= " + formatNumber(max);
        if (!maxInclusive && value >= max) return "must be < " + formatNumber(max);
    }
    return {};
}

const ParamInfo* findParam(const ParamTable& table, const std::string& name) {
    for (const auto& p : table)
        if (p.name == name) return &p;
    return nullptr;
}

ParamValues resolveParams(const ParamTable& table, const ParamValues& given,
                          const std::string& what, const std::string& kind) {
    for (const auto& [name, value] : given) {
        if (!findParam(table, name)) {
            std::string known;
            for (const auto& p : table) known += (known.empty() ? "" : ", ") + p.name;
            throw Error(what + ": unknown " + kind + " " + quote(name) +
                        (known.empty() ? " (it has none)" : " (known: " + known + ")"));
        }
    }
    ParamValues out;
    for (const auto& p : table) {
        auto it = given.find(p.name);
        const double value = it == given.end() ? p.defaultValue : it->second;
        if (const std::string why = p.check(value); !why.empty())
            throw Error(what + ": " + kind + " " + p.name + " = " + formatNumber(value) + " " +
                        why);
        out[p.name] = value;
    }
    return out;
}

} // namespace spikelab
