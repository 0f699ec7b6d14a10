#include "commands.h"

#include "spikelab/models.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace spikelab::cli {

namespace {
std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::ostringstream out;
    out << v;
    return out.str();
}

std::string range(const ParamInfo& p) {
    const bool lo = std::isfinite(p.min), hi = std::isfinite(p.max);
    if (!lo && !hi) return "any";
    std::string s;
    if (lo) s += (p.minInclusive ? ">= " : "> ") + number(p.min);
    if (hi) s += std::string(lo ? ", " : "") + (p.maxInclusive ? "<= " : "< ") + number(p.max);
    return s;
}

void table(const char* heading, const ParamTable& rows) {
    if (rows.empty()) return;
    std::printf("\n%s:\n\n| name | unit | default | valid | meaning |\n|---|---|---|---|---|\n", heading);
    for (const auto& p : rows)
        std::printf("| %s | %s | %s | %s | %s |\n", p.name.c_str(), p.unit.empty() ? "-" : p.unit.c_str(),
                    number(p.defaultValue).c_str(), range(p).c_str(), p.description.c_str());
}

template <typename Info>
void section(const char* title, const std::vector<Info>& all, const char* paramHeading) {
    std::printf("## %s\n", title);
    for (const auto& m : all) {
        std::printf("\n### %s\n\n%s\n", m.name.c_str(), m.description.c_str());
        table(paramHeading, m.params);
        if constexpr (requires { m.state; }) table("State variables (default = initial value)", m.state);
    }
    std::printf("\n");
}
} // namespace

int modelsCommand() {
    section("Neuron models", neuronModels(), "Parameters");
    section("Postsynaptic models", postsynapticModels(), "Parameters");
    section("Weight update models", weightUpdateModels(), "Parameters");
    section("Inputs", encoders(), "Parameters");
    return 0;
}

} // namespace spikelab::cli
