// libFuzzer harness for the model language (spikelab/lang.h). The input text goes three ways:
// as a code block (parseCode) and as one expression (parseExpression, as a condition and as a
// number) in a fixed scope, and split at backquotes into a neuron model declaration: sim code `
// threshold condition ` reset code ` derived parameters, one "name = expression" a line
// (checkNeuronModel); and as a JSON neuron, postsynaptic and weight-update model declaration,
// which must read back as written.
// Whatever checks is then run by the interpreter for a few steps on a few neurons and printed
// as C and as kernels. CodeError and Error are the expected answers to bad code; a crash,
// a sanitizer report, an InternalError, unbounded recursion or a hang is a finding. Seeds:
// fuzz/corpus/lang (GeNN's IF, LIF and Izhikevich neurons); dictionary: fuzz/lang.dict.
#include "fuzz_support.h"
#include "spikelab/lang.h"
#include "spikelab/model_declaration.h"

#include <string_view>

namespace {

using namespace spikelab::lang;

constexpr int kNeurons = 3;
constexpr int kSteps = 4;

// The names every input may use: the union of the seeds' models.
const std::vector<std::string>& parameterNames() {
    static const std::vector<std::string> names = {"C",       "TauM",    "Vrest",     "Vreset",
                                                   "Vthresh", "Ioffset", "TauRefrac", "Vthr",
                                                   "a",       "b",       "c",         "d"};
    return names;
}
const std::vector<std::string>& stateNames() {
    static const std::vector<std::string> names = {"V", "RefracTime", "U"};
    return names;
}

Scope fixedScope() {
    Scope s;
    s.parameters = parameterNames();
    s.derived = {"ExpTC", "Rm"};
    s.state = stateNames();
    return s;
}

std::string printName(NameKind kind, int index, const void*) {
    return "n" + std::to_string(int(kind)) + "_" + std::to_string(index);
}

Frame frameFor(const Scope& scope, const std::vector<float>& derived, int neuron) {
    Frame f;
    for (std::size_t k = 0; k < scope.parameters.size(); ++k)
        f.parameters.push_back(0.5f + float(k));
    f.derived = derived;
    f.state.assign(scope.state.size(), -65.0f + float(neuron));
    f.builtins.assign(scope.builtins.size(), 0.0f);
    return f;
}

// Sim code, then the threshold condition, then the reset code on a "spike", as a backend would.
void simulate(const Scope& scope, const std::vector<float>& derived, const Code& sim,
              const Expr* threshold, const Code* reset) {
    for (int n = 0; n < kNeurons; ++n) {
        Frame f = frameFor(scope, derived, n);
        for (int t = 0; t < kSteps; ++t) {
            f.builtins = {0.3f * float(n), 1.0f, float(t)};
            f.random.neuron = std::uint32_t(n);
            f.random.step = std::uint64_t(t);
            run(sim, f);
            if (threshold && evaluate(*threshold, f) != 0.0f && reset) run(*reset, f);
        }
    }
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

void asCode(const std::string& text) {
    const Scope scope = fixedScope();
    try {
        const Code code = parseCode(text, scope);
        simulate(scope, {0.9f, 80.0f}, code, nullptr, nullptr);
        (void)printC(code, printName, nullptr, 1);
    } catch (const spikelab::Error&) {
    }
}

void asExpression(const std::string& text, bool condition) {
    const Scope scope = fixedScope();
    try {
        const auto expr = parseExpression(text, scope, condition);
        Frame f = frameFor(scope, {0.9f, 80.0f}, 0);
        f.builtins = {1.0f, 1.0f, 0.0f};
        (void)evaluate(*expr, f);
        (void)printC(*expr, printName, nullptr);
    } catch (const spikelab::Error&) {
    }
}

void asNeuronModel(const std::string& text) {
    const std::vector<std::string> parts = split(text, '`');
    NeuronModelCode m;
    m.parameters = parameterNames();
    m.state = stateNames();
    m.sim = parts[0];
    m.threshold = parts.size() > 1 ? parts[1] : "V >= Vthresh";
    m.reset = parts.size() > 2 ? parts[2] : "";
    if (parts.size() > 3)
        for (const std::string& line : split(parts[3], '\n')) {
            const std::size_t eq = line.find('=');
            if (eq != std::string::npos)
                m.derived.push_back({line.substr(0, eq), line.substr(eq + 1)});
        }
    try {
        const CheckedNeuronModel model = checkNeuronModel(m);
        std::vector<double> parameters;
        for (std::size_t k = 0; k < m.parameters.size(); ++k) parameters.push_back(0.5 + double(k));
        std::vector<float> derived;
        for (double d : derivedValues(model, parameters, 0.1)) derived.push_back(float(d));
        simulate(model.scope, derived, model.sim, model.threshold.get(), &model.reset);
        (void)printC(model.sim, printName, nullptr);
        (void)printC(*model.threshold, printName, nullptr);
        (void)printC(model.reset, printName, nullptr);
        for (const auto& d : model.derived) (void)printC(*d, printName, nullptr);
        (void)printCpuNeuronKernel(model, "kernel");
        (void)printCudaNeuronFunction(model, "kernel");
    } catch (const spikelab::Error&) {
    }
}

// Each block of a checked weight-update model run once in its scope (the pre-spike code
// delivering into a target) and printed as C.
void runWeightUpdate(const CheckedWeightUpdateModel& model) {
    std::vector<double> parameters;
    for (std::size_t k = 0; k < model.preSynapse.parameters.size(); ++k) parameters.push_back(0.5 + double(k));
    std::vector<float> derived;
    for (double d : derivedValues(model, parameters, 0.1)) derived.push_back(float(d));
    const std::pair<const Scope*, const Code*> blocks[] = {
        {&model.preSynapse, &model.preSpikeSyn}, {&model.postSynapse, &model.postSpikeSyn},
        {&model.pre, &model.preSpike},           {&model.pre, &model.preDynamics},
        {&model.post, &model.postSpike},         {&model.post, &model.postDynamics}};
    float delivered = 0.0f;
    for (const auto& [scope, code] : blocks) {
        Frame f = frameFor(*scope, derived, 0);
        f.builtins.assign(scope->builtins.size(), 1.5f);
        if (scope->addToPost) f.addToPost = &delivered;
        run(*code, f);
        (void)printC(*code, printName, nullptr);
    }
}

// The text as a JSON model declaration (spikelab/model_declaration.h), as a project file will
// carry one: read strictly, written back, read again to the same text.
void asDeclaration(const std::string& text) {
    try {
        const spikelab::NeuronModelDeclaration m = spikelab::neuronModelFromJson(text, "fuzz");
        const std::string written = spikelab::neuronModelToJson(m);
        if (spikelab::neuronModelToJson(spikelab::neuronModelFromJson(written, "again")) != written)
            throw spikelab::InternalError("a declaration does not read back as it was written");
    } catch (const spikelab::Error&) {
    }
    try {
        const spikelab::PostsynapticModelDeclaration m = spikelab::postsynapticModelFromJson(text, "fuzz");
        const std::string written = spikelab::postsynapticModelToJson(m);
        if (spikelab::postsynapticModelToJson(spikelab::postsynapticModelFromJson(written, "again")) != written)
            throw spikelab::InternalError("a postsynaptic declaration does not read back as it was written");
        const CheckedPostsynapticModel checked = spikelab::checkDeclaration(m);
        (void)printCpuPostsynapticKernels(checked, "apply", "decay");
        (void)printCudaPostsynapticFunctions(checked, "apply", "decay");
    } catch (const spikelab::Error&) {
    }
    try {
        const spikelab::WeightUpdateModelDeclaration m = spikelab::weightUpdateModelFromJson(text, "fuzz");
        const std::string written = spikelab::weightUpdateModelToJson(m);
        if (spikelab::weightUpdateModelToJson(spikelab::weightUpdateModelFromJson(written, "again")) != written)
            throw spikelab::InternalError("a weight-update declaration does not read back as it was written");
        runWeightUpdate(spikelab::checkDeclaration(m));
    } catch (const spikelab::Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    asCode(text);
    asExpression(text, true);
    asExpression(text, false);
    asNeuronModel(text);
    asDeclaration(text);
    return 0;
}
