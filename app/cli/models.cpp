#include "commands.h"

#include "spikelab/models.h"
#include "spikelab/project.h"

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

// A neuron model's code, derived parameters and presets, from its declaration.
void declaration(const NeuronModelDeclaration& m) {
    if (m.spikeSource) return;
    std::printf("\nCode (in the model language, see \"The model language\"):\n\n```c\n");
    for (const auto& d : m.derived) std::printf("// derived: %s = %s\n", d.name.c_str(), d.expression.c_str());
    std::printf("// sim code\n%s\n// threshold condition\n%s\n", m.sim.c_str(), m.threshold.c_str());
    if (m.reset.empty())
        std::printf("// no reset code\n```\n");
    else
        std::printf("// reset code\n%s\n```\n", m.reset.c_str());
    if (m.presets.empty()) return;
    std::printf("\nPresets:\n\n| preset |");
    for (const auto& p : m.parameters) std::printf(" %s |", p.name.c_str());
    std::printf(" meaning |\n|---|");
    for (std::size_t k = 0; k < m.parameters.size(); ++k) std::printf("---|");
    std::printf("---|\n");
    for (const auto& preset : m.presets) {
        std::printf("| %s |", preset.name.c_str());
        for (const auto& p : m.parameters) {
            const auto it = preset.values.find(p.name);
            std::printf(" %s |", number(it == preset.values.end() ? p.defaultValue : it->second).c_str());
        }
        std::printf(" %s |\n", preset.description.c_str());
    }
}

// A postsynaptic model's code, from its declaration.
void declaration(const PostsynapticModelDeclaration& m) {
    std::printf("\nCode (in the model language, see \"The model language\"):\n\n```c\n");
    for (const auto& d : m.derived) std::printf("// derived: %s = %s\n", d.name.c_str(), d.expression.c_str());
    std::printf("// apply_input code\n%s\n// decay code\n%s\n```\n", m.applyInput.c_str(), m.decay.c_str());
}

// A weight-update model's variables and code, from its declaration.
void declaration(const WeightUpdateModelDeclaration& m) {
    table("Synapse variables (default = initial value)", m.synapse);
    table("Presynaptic variables", m.pre);
    table("Postsynaptic variables", m.post);
    std::printf("\nThe weight is \"%s\". Code (in the model language, see \"Weight-update models\"):\n\n```c\n",
                m.weight.c_str());
    for (const auto& d : m.derived) std::printf("// derived: %s = %s\n", d.name.c_str(), d.expression.c_str());
    const std::pair<const char*, const std::string*> parts[] = {
        {"pre_spike_syn", &m.preSpikeSyn}, {"post_spike_syn", &m.postSpikeSyn}, {"pre_spike", &m.preSpike},
        {"pre_dynamics", &m.preDynamics},  {"post_spike", &m.postSpike},        {"post_dynamics", &m.postDynamics}};
    for (const auto& [name, code] : parts)
        if (!code->empty()) std::printf("// %s code\n%s\n", name, code->c_str());
    std::printf("```\n");
}

template <typename Info>
void section(const char* title, const std::vector<Info>& all, const char* paramHeading) {
    std::printf("## %s\n", title);
    for (const auto& m : all) {
        std::printf("\n### %s\n\n%s\n", m.name.c_str(), m.description.c_str());
        table(paramHeading, m.params);
        if constexpr (requires { m.state; }) table("State variables (default = initial value)", m.state);
        if constexpr (requires { m.declaration; }) declaration(*m.declaration);
    }
    std::printf("\n");
}
} // namespace

int modelsCommand(const Arguments& args) {
    if (args.project.empty()) {
        section("Neuron models", neuronModels(), "Parameters");
    } else {
        std::vector<NeuronModelInfo> all;
        for (const NeuronModelInfo* m : neuronModels(loadProject(args.project))) all.push_back(*m);
        section("Neuron models", all, "Parameters");
    }
    section("Postsynaptic models", postsynapticModels(), "Parameters");
    section("Weight update models", weightUpdateModels(), "Parameters");
    section("Inputs", encoders(), "Parameters");
    return 0;
}

} // namespace spikelab::cli
