// Kernels printed from checked model code (spikelab/lang.h). A neuron model: a loop over a
// population for the CPU (valid C and C++, called through neuron_abi.h) and a per-neuron device
// function for CUDA. Both load the state into registers, run the sim code, test the threshold,
// run the reset code where it holds, and store the state back; the statements are printC's, so
// both compute what the interpreter computes. A postsynaptic model: its apply_input and decay
// code the same way, over a projection's target neurons (postsynaptic_abi.h) or for one.
#include "spikelab/lang.h"

#include <cctype>

namespace spikelab::lang {

namespace {

// Registers: parameters p_, derived parameters d_, state v_, built-ins b_ (no model name can
// clash with a name of the kernel around it).
std::string registerName(NameKind kind, int index, const void* context) {
    const auto& scope = *static_cast<const Scope*>(context);
    switch (kind) {
    case NameKind::Parameter: return "p_" + scope.parameters[std::size_t(index)];
    case NameKind::Derived: return "d_" + scope.derived[std::size_t(index)];
    case NameKind::State: return "v_" + scope.state[std::size_t(index)];
    case NameKind::Builtin: return "b_" + scope.builtins[std::size_t(index)];
    case NameKind::Local: break;
    }
    throw InternalError("print_kernels: a local has no register name");
}

// Whether `code` mentions the register `name` (as a whole word).
bool mentions(const std::string& code, const std::string& name) {
    const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (std::size_t at = code.find(name); at != std::string::npos; at = code.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        if ((at == 0 || !word(code[at - 1])) && (end == code.size() || !word(code[end]))) return true;
    }
    return false;
}

// The constants that `body` reads, as named registers loaded from the array `from`
// (parameters, then derived parameters).
std::string constants(const Scope& scope, const std::string& body, const std::string& from, const std::string& pad) {
    std::string out;
    std::size_t k = 0;
    const auto load = [&](const std::string& name) {
        if (mentions(body, name)) out += pad + "const float " + name + " = " + from + "[" + std::to_string(k) + "];\n";
        ++k;
    };
    for (const auto& p : scope.parameters) load("p_" + p);
    for (const auto& d : scope.derived) load("d_" + d);
    return out;
}

// The sim code, the threshold condition (into `spike`) and the reset code where it holds,
// on the registers.
std::string neuronCode(const CheckedNeuronModel& model, int indent) {
    const std::string pad(std::size_t(indent) * 4, ' ');
    const Scope& scope = model.scope;
    std::string out = printC(model.sim, registerName, &scope, indent);
    // A threshold that is a number means "not zero", as the interpreters read it; an int
    // conversion would drop fractions and is undefined for NaN.
    std::string spike = printC(*model.threshold, registerName, &scope);
    if (model.threshold->type == Expr::Type::Number) spike = "(" + spike + " != 0x0p+0f)";
    out += pad + "const int spike = " + spike + ";\n";
    out += pad + "if (spike) {\n";
    out += printC(model.reset, registerName, &scope, indent + 1);
    out += pad + "}\n";
    return out;
}

// "(void)name;" for each built-in the body does not read (kernels take them all).
std::string unusedBuiltins(const std::string& body, const std::vector<std::string>& names, const std::string& pad) {
    std::string out;
    for (const auto& name : names)
        if (!mentions(body, name)) out += pad + "(void)" + name + ";\n";
    return out;
}

// Whether `code` assigns state variable `v`.
bool assigns(const std::vector<Stmt>& code, int v) {
    for (const auto& s : code) {
        if (s.kind == Stmt::Kind::Assign && s.targetKind == NameKind::State && s.target == v) return true;
        if (assigns(s.body, v)) return true;
    }
    return false;
}

// A postsynaptic model's code on its registers: each state variable (inSyn; Isyn in the apply
// code) loaded from `from[v]` where the code reads it and stored back where it assigns it.
std::string postsynapticCode(const Scope& scope, const Code& code, const std::vector<std::string>& from, int indent) {
    const std::string pad(std::size_t(indent) * 4, ' ');
    const std::string statements = printC(code, registerName, &scope, indent);
    std::string out;
    for (std::size_t v = 0; v < scope.state.size(); ++v)
        if (mentions(statements, "v_" + scope.state[v]))
            out += pad + "float v_" + scope.state[v] + " = " + from[v] + ";\n";
    out += statements;
    for (std::size_t v = 0; v < scope.state.size(); ++v)
        if (assigns(code.statements, int(v))) out += pad + from[v] + " = v_" + scope.state[v] + ";\n";
    return out;
}

// The code over the target neurons of one projection: the buffer `inSyn` and, for the apply
// code, the input `isyn`.
std::string cpuPostsynapticKernel(const Scope& scope, const Code& code, const std::string& function) {
    const std::vector<std::string> arrays = {"inSyn", "isyn"};
    std::vector<std::string> cells;
    for (std::size_t v = 0; v < scope.state.size(); ++v) cells.push_back(arrays[v] + "[i]");
    const std::string body = postsynapticCode(scope, code, cells, 2);
    std::string out = "static void " + function + "(const struct SpikelabPostsynapticUpdate* a) {\n";
    out += constants(scope, body, "a->constants", "    ");
    if (mentions(body, "b_t")) out += "    const float b_t = a->t;\n";
    if (mentions(body, "b_dt")) out += "    const float b_dt = a->dt;\n";
    for (std::size_t v = 0; v < scope.state.size(); ++v)
        if (mentions(body, arrays[v])) out += "    float* __restrict " + arrays[v] + " = a->" + arrays[v] + ";\n";
    out += "    const long long n = a->n;\n";
    out += "    for (long long i = 0; i < n; ++i) {\n" + body + "    }\n}\n";
    return out;
}

// The code for one target neuron, on its buffer `inSyn` and, for the apply code, its `Isyn`.
std::string cudaPostsynapticFunction(const Scope& scope, const Code& code, const std::string& function) {
    const std::string body = postsynapticCode(scope, code, scope.state, 1);
    std::string out = "__device__ inline void " + function + "(float& inSyn, ";
    if (scope.state.size() > 1) out += "float& Isyn, ";
    out += "const float* k, float b_t, float b_dt) {\n";
    const std::string loads = constants(scope, body, "k", "    ");
    out += loads.empty() ? "    (void)k;\n" : loads;
    out += unusedBuiltins(body, {"b_t", "b_dt"}, "    ");
    std::vector<std::string> unused;
    for (const auto& v : scope.state)
        if (!mentions(body, v)) unused.push_back(v);
    out += unusedBuiltins(body, unused, "    ");
    return out + body + "}\n";
}

// The index of element m of a synapse list (weight_update_abi.h), as a C expression.
std::string listIndex(const std::string& field) {
    return "(a->" + field + "Index ? (long long)a->" + field + "Index[m] : a->" + field + "Start + m * a->" + field +
           "Stride)";
}

// One piece of synapse code over a list of synapses: the synapse variables in registers, the
// pre and post variables and spike times read where the code reads them. A list without
// index arrays (a dense row or column, one synapse) gets a loop of its own in which no two
// iterations touch the same synapse or target, which the compiler vectorises.
std::string cpuSynapseKernel(const CheckedWeightUpdateModel& model, const Scope& scope, const Code& code,
                             const std::string& function) {
    const std::string statements = printC(code, registerName, &scope, 3);
    std::string arrays, body;
    if (mentions(statements, "b_st_pre")) {
        arrays += "    const float* const stPre = a->stPre;\n";
        body += "            const float b_st_pre = stPre[i];\n";
    }
    if (mentions(statements, "b_st_post")) {
        arrays += "    const float* const stPost = a->stPost;\n";
        body += "            const float b_st_post = stPost[j];\n";
    }
    const std::size_t preCount = model.pre.state.size();
    for (std::size_t v = 4; v < scope.builtins.size(); ++v) {
        const std::string reg = "b_" + scope.builtins[v];
        if (!mentions(statements, reg)) continue;
        const bool pre = v - 4 < preCount;
        const std::string array = std::string(pre ? "pre" : "post") + std::to_string(pre ? v - 4 : v - 4 - preCount);
        arrays += "    const float* const " + array + " = a->" + (pre ? "pre[" : "post[") +
                  std::to_string(pre ? v - 4 : v - 4 - preCount) + "];\n";
        body += "            const float " + reg + " = " + array + "[" + (pre ? "i" : "j") + "];\n";
    }
    for (std::size_t v = 0; v < scope.state.size(); ++v) {
        const std::string array = "synapse" + std::to_string(v);
        const bool read = mentions(statements, "v_" + scope.state[v]), written = assigns(code.statements, int(v));
        if (read || written) arrays += "    float* const " + array + " = a->synapse[" + std::to_string(v) + "];\n";
        if (read) body += "            float v_" + scope.state[v] + " = " + array + "[s];\n";
    }
    body += statements;
    for (std::size_t v = 0; v < scope.state.size(); ++v)
        if (assigns(code.statements, int(v)))
            body += "            synapse" + std::to_string(v) + "[s] = v_" + scope.state[v] + ";\n";
    const bool delivers = mentions(statements, "SPIKELAB_ADD_TO_POST");
    if (delivers) arrays += "    float* const deliver = a->deliver;\n";
    std::string out;
    if (delivers) out += "#define SPIKELAB_ADD_TO_POST(e) (deliver[j] = deliver[j] + (e))\n";
    out += "static void " + function + "(const struct SpikelabSynapseUpdate* a) {\n";
    out += constants(scope, body, "a->constants", "    ");
    if (mentions(body, "b_t")) out += "    const float b_t = a->t;\n";
    if (mentions(body, "b_dt")) out += "    const float b_dt = a->dt;\n";
    out += arrays;
    out += "    const long long n = a->n;\n";
    out += "    if (!a->synapseIndex && !a->preIndex && !a->postIndex) {\n"
           "        const long long s0 = a->synapseStart, sStep = a->synapseStride;\n"
           "        const long long i0 = a->preStart, iStep = a->preStride, j0 = a->postStart, jStep = a->postStride;\n"
           "#if defined(__GNUC__) && !defined(__clang__)\n#pragma GCC ivdep\n#endif\n"
           "        for (long long m = 0; m < n; ++m) {\n"
           "            const long long s = s0 + m * sStep, i = i0 + m * iStep, j = j0 + m * jStep;\n"
           "            (void)i;\n            (void)j;\n" +
           body + "        }\n    } else {\n        for (long long m = 0; m < n; ++m) {\n";
    out += "            const long long s = " + listIndex("synapse") + ";\n";
    out += "            const long long i = " + listIndex("pre") + ";\n";
    out += "            const long long j = " + listIndex("post") + ";\n";
    out += "            (void)i;\n            (void)j;\n" + body + "        }\n    }\n}\n";
    if (delivers) out += "#undef SPIKELAB_ADD_TO_POST\n";
    return out;
}

// One piece of neuron code of a weight-update model over a list of neurons of its side; the
// dynamics code, over all neurons (no list), gets a loop of its own that vectorises.
std::string cpuSynapseNeuronKernel(const Scope& scope, const Code& code, const std::string& function) {
    std::vector<std::string> cells;
    std::string arrays;
    for (std::size_t v = 0; v < scope.state.size(); ++v) {
        cells.push_back("vars" + std::to_string(v) + "[i]");
        arrays += "    float* const vars" + std::to_string(v) + " = a->vars[" + std::to_string(v) + "];\n";
    }
    const std::string body = postsynapticCode(scope, code, cells, 3);
    std::string out = "static void " + function + "(const struct SpikelabSynapseNeuronUpdate* a) {\n";
    out += constants(scope, body, "a->constants", "    ");
    if (mentions(body, "b_t")) out += "    const float b_t = a->t;\n";
    if (mentions(body, "b_dt")) out += "    const float b_dt = a->dt;\n";
    out += arrays + "    const long long n = a->n;\n";
    out += "    if (!a->neurons) {\n"
           "#if defined(__GNUC__) && !defined(__clang__)\n#pragma GCC ivdep\n#endif\n"
           "        for (long long i = 0; i < n; ++i) {\n" + body + "        }\n    } else {\n"
           "        for (long long m = 0; m < n; ++m) {\n"
           "            const long long i = a->neurons[m];\n" + body + "        }\n    }\n}\n";
    return out;
}

} // namespace

std::string printCpuPostsynapticKernels(const CheckedPostsynapticModel& model, const std::string& apply,
                                        const std::string& decay) {
    return cpuPostsynapticKernel(model.apply, model.applyInput, apply) +
           cpuPostsynapticKernel(model.decay, model.decayCode, decay);
}

std::string printCudaPostsynapticFunctions(const CheckedPostsynapticModel& model, const std::string& apply,
                                           const std::string& decay) {
    return cudaPostsynapticFunction(model.apply, model.applyInput, apply) +
           cudaPostsynapticFunction(model.decay, model.decayCode, decay);
}

namespace {
// The parts of a weight-update model in the order of SpikelabWeightUpdateKernels, with the
// scope each runs in, and whether it has code.
struct WeightUpdatePart {
    const char* suffix;
    const Scope* scope;
    const Code* code;
    bool synapse;
};
std::vector<WeightUpdatePart> partsOf(const CheckedWeightUpdateModel& m) {
    return {{"pre_spike_syn", &m.preSynapse, &m.preSpikeSyn, true},
            {"post_spike_syn", &m.postSynapse, &m.postSpikeSyn, true},
            {"pre_spike", &m.pre, &m.preSpike, false},
            {"pre_dynamics", &m.pre, &m.preDynamics, false},
            {"post_spike", &m.post, &m.postSpike, false},
            {"post_dynamics", &m.post, &m.postDynamics, false}};
}
} // namespace

std::string printCpuWeightUpdateKernels(const CheckedWeightUpdateModel& model, const std::string& prefix) {
    if (model.pulse) return {};
    std::string out;
    for (const auto& part : partsOf(model)) {
        if (part.code->statements.empty()) continue;
        const std::string function = prefix + "_" + part.suffix;
        out += part.synapse ? cpuSynapseKernel(model, *part.scope, *part.code, function)
                            : cpuSynapseNeuronKernel(*part.scope, *part.code, function);
    }
    return out;
}

std::string printCpuWeightUpdateTable(const CheckedWeightUpdateModel& model, const std::string& prefix) {
    std::string out = "{";
    for (const auto& part : partsOf(model)) {
        const bool present = !model.pulse && !part.code->statements.empty();
        out += std::string(out.size() > 1 ? ", " : "") + (present ? prefix + "_" + part.suffix : "0");
    }
    return out + "}";
}

std::string printCpuNeuronKernel(const CheckedNeuronModel& model, const std::string& function) {
    // Every array in its own restrict-qualified local and the count in a local, so the
    // compiler knows the stores alias nothing it reads and vectorises the loop. GCC does not
    // take restrict on locals as a promise: it checks the arrays for overlap at run time, and
    // gives up on vectorising beyond 10 such checks (five state variables: Hodgkin-Huxley), so
    // the loop also says that its iterations are independent (ivdep), as they are.
    const std::size_t states = model.scope.state.size();
    std::string stateArrays;
    for (std::size_t v = 0; v < states; ++v)
        stateArrays += "    float* __restrict s" + std::to_string(v) + " = a->state[" + std::to_string(v) + "];\n";
    std::string body;
    for (std::size_t v = 0; v < states; ++v)
        body += "        float v_" + model.scope.state[v] + " = s" + std::to_string(v) + "[i];\n";
    body += neuronCode(model, 2);
    for (std::size_t v = 0; v < states; ++v)
        body += "        s" + std::to_string(v) + "[i] = v_" + model.scope.state[v] + ";\n";
    std::string out = "static void " + function + "(const struct SpikelabNeuronUpdate* a) {\n";
    out += constants(model.scope, body, "a->constants", "    ");
    if (mentions(body, "b_t")) out += "    const float b_t = a->t;\n";
    if (mentions(body, "b_dt")) out += "    const float b_dt = a->dt;\n";
    const bool random = mentions(body, "b_rng");
    if (random)
        out += "    const unsigned int r_key0 = a->randomKey[0], r_key1 = a->randomKey[1];\n"
               "    const unsigned long long r_step = a->step;\n";
    out += stateArrays;
    if (mentions(body, "b_Isyn")) out += "    const float* __restrict isyn = a->isyn;\n";
    out += "    unsigned char* __restrict spiked = a->spiked;\n";
    out += "    const long long n = a->n;\n";
    out += "#if defined(__GNUC__) && !defined(__clang__)\n#pragma GCC ivdep\n#endif\n";
    out += "    for (long long i = 0; i < n; ++i) {\n";
    if (mentions(body, "b_Isyn")) out += "        const float b_Isyn = isyn[i];\n";
    if (random) out += "        const SpikelabRandom b_rng = spikelab_random(r_key0, r_key1, i, r_step);\n";
    out += body;
    out += "        spiked[i] = (unsigned char)spike;\n";
    out += "    }\n}\n";
    return out;
}

std::string printCudaNeuronFunction(const CheckedNeuronModel& model, const std::string& function) {
    const Scope& scope = model.scope;
    std::string body;
    for (std::size_t v = 0; v < scope.state.size(); ++v)
        body += "    float v_" + scope.state[v] + " = state[" + std::to_string(v) + "][cell];\n";
    body += neuronCode(model, 1);
    for (std::size_t v = 0; v < scope.state.size(); ++v)
        body += "    state[" + std::to_string(v) + "][cell] = v_" + scope.state[v] + ";\n";
    std::string out = "__device__ inline bool " + function +
                      "(float* const* state, long long cell, float b_Isyn, const float* k, float b_t, float b_dt,\n"
                      "    SpikelabRandom b_rng) {\n";
    const std::string loads = constants(scope, body, "k", "    ");
    out += loads.empty() ? "    (void)k;\n" : loads;
    out += unusedBuiltins(body, {"b_Isyn", "b_t", "b_dt", "b_rng"}, "    ");
    if (scope.state.empty()) out += "    (void)state;\n    (void)cell;\n";
    out += body;
    out += "    return spike != 0;\n}\n";
    return out;
}

} // namespace spikelab::lang
