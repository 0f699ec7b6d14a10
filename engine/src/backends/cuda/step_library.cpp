#include "step_library.h"

#include "lang/jit.h"
#include "lang/nvrtc.h"
#include "spikelab/lang.h"

#include <cstdlib>
#include <map>
#include <mutex>

#ifdef SPIKELAB_CUDA_EMULATION
#include "emulated_module.h"
#include "emulated_runtime.h"
#endif

namespace spikelab::cuda {

namespace {

// The texts the engine was built with (engine/CMakeLists.txt embeds the headers; the built-in
// models' CUDA is spikelab_modelgen's).
constexpr char kLayoutText[] =
#include "device_layout_text.inc"
    ;
constexpr char kStepKernelText[] =
#include "step_kernel_text.inc"
    ;
constexpr char kEmulatedModuleText[] =
#include "emulated_module_text.inc"
    ;
constexpr char kBuiltinKernelsText[] =
#include "cuda_kernels_text.inc"
    ;

// A header's text for a source of one piece: without its #pragma once.
std::string inlined(const char* header) {
    std::string text = header;
    if (const auto at = text.find("#pragma once\n"); at != std::string::npos) text.erase(at, 13);
    return text;
}

std::size_t constantsOf(const NeuronModelInfo& model) {
    return model.declaration ? model.declaration->parameters.size() + model.declaration->derived.size()
                             : model.params.size();
}

#ifdef SPIKELAB_CUDA_EMULATION
unsigned hookThreadIndex() { return emulation::threadIndex().x; }
unsigned hookBlockIndex() { return emulation::blockIndex().x; }
void hookSyncThreads() { emulation::syncThreads(); }
unsigned hookBallot(unsigned mask, bool predicate) { return emulation::ballot(mask, predicate); }
const SpikelabEmulationHooks kHooks = {hookThreadIndex, hookBlockIndex, hookSyncThreads, hookBallot};

// A step library on the emulated device: the source compiled by the system C++ compiler
// ($SPIKELAB_CXX, default c++) into a shared object, cached like the CPU's compiled models.
class EmulatedStepLibrary final : public StepLibrary {
public:
    explicit EmulatedStepLibrary(const std::string& source) {
        lang::CompilerSettings settings = lang::compilerSettingsFromEnvironment();
        const char* cxx = std::getenv("SPIKELAB_CXX");
        settings.compiler = cxx && *cxx ? cxx : "c++";
        settings.flags = {"-x", "c++", "-std=c++20", "-O1", "-ffp-contract=off", "-shared", "-fPIC", "-w"};
        lang::CompiledCode code;
        try {
            code = lang::compileC(source, "spikelab_advance", settings);
        } catch (const lang::JitError& e) {
            throw DeviceError(std::string("emulated CUDA: the network's step kernel: ") + e.what());
        }
        object_ = code.object;
        advance_ = reinterpret_cast<Advance>(code.symbol);
        const auto bind = reinterpret_cast<void (*)(const SpikelabEmulationHooks*)>(
            object_->symbol("spikelab_bind_emulation"));
        if (!bind) throw DeviceError("emulated CUDA: " + object_->path().string() + " lacks spikelab_bind_emulation");
        bind(&kHooks);
    }

    void launch(const DeviceNetwork& network, std::int64_t t0, std::int64_t steps,
                std::int64_t recordOffset) const override {
        emulation::launch(unsigned(network.batch), unsigned(stepKernelThreads()),
                          [&] { advance_(&network, t0, steps, recordOffset); });
    }

private:
    using Advance = void (*)(const DeviceNetwork*, long long, long long, long long);
    std::shared_ptr<const lang::SharedObject> object_;
    Advance advance_ = nullptr;
};
#endif

std::shared_ptr<const StepLibrary> build(const std::string& source) {
#ifdef SPIKELAB_CUDA_EMULATION
    return std::make_shared<EmulatedStepLibrary>(source);
#else
    const std::string arch = deviceArchitecture();
    lang::NvrtcResult compiled;
    try {
        compiled = lang::compileCuda(source, {}, arch);
    } catch (const Error& e) {
        throw DeviceError(std::string("the network's step kernel: ") + e.what());
    }
    if (!compiled.ok)
        throw DeviceError("the network's step kernel does not compile with " + lang::nvrtcDescription() + " for " +
                          arch + ":\n" + compiled.log);
    return loadStepLibrary(compiled.image);
#endif
}

} // namespace

std::vector<const NeuronModelInfo*> projectNeuronModels(const std::vector<const NeuronModelInfo*>& models) {
    std::vector<const NeuronModelInfo*> out;
    for (const NeuronModelInfo* model : models) {
        if (model->spikeSource || model->builtin >= 0) continue;
        bool known = false;
        for (const NeuronModelInfo* seen : out) known = known || seen == model;
        if (!known) out.push_back(model);
    }
    return out;
}

std::string stepLibraryUnavailable(const NeuronModelInfo& model) {
    if (model.state.size() > std::size_t(kMaxStateVars))
        return "neuron model " + quote(model.name) + " has " + std::to_string(model.state.size()) +
               " state variables; the CUDA backend holds at most " + std::to_string(kMaxStateVars);
    if (constantsOf(model) > std::size_t(kMaxNeuronConstants))
        return "neuron model " + quote(model.name) + " has " + std::to_string(constantsOf(model)) +
               " parameters and derived parameters; the CUDA backend holds at most " +
               std::to_string(kMaxNeuronConstants);
#ifndef SPIKELAB_CUDA_EMULATION
    std::string why;
    if (!lang::nvrtcAvailable(&why))
        return "the project's own neuron model " + quote(model.name) + " is compiled for the GPU by NVRTC, and " + why;
#endif
    return {};
}

std::string stepLibrarySource(const std::vector<const NeuronModelInfo*>& projectModels, bool emulated) {
    std::string out = "// The CUDA backend's step with this network's own neuron models (generated by SpikeLab).\n";
    if (emulated) out += "#define SPIKELAB_EMULATED_MODULE 1\n" + inlined(kEmulatedModuleText);
    out += inlined(kLayoutText);
    // NVRTC gets the prelude as the header compileCuda supplies (its unused functions would be
    // warned about in the main file); the C++ compiler gets one file.
    out += emulated ? std::string(lang::cudaPreludeText()) : "#include \"prelude.h\"\n";
    out += "\nnamespace spikelab::cuda {\nnamespace {\n\n";
    out += "constexpr int kThreads = " + std::to_string(stepKernelThreads()) + ";\n";
    out += kBuiltinKernelsText;
    std::string cases;
    for (std::size_t k = 0; k < projectModels.size(); ++k) {
        const NeuronModelInfo& model = *projectModels[k];
        if (!model.code) throw InternalError("step library: neuron model " + quote(model.name) + " has no code");
        const std::string function = "spikelabProjectNeuron" + std::to_string(k);
        out += "\n// " + model.name + " (the project's own)\n";
        out += lang::printCudaNeuronFunction(*model.code, function);
        cases += "    case kFirstRuntimeModel + " + std::to_string(k) + ": return " + function +
                 "(state, cell, Isyn, k, t, dt, rng);\n";
    }
    out += "\n__device__ inline bool updateNeuronModel(int model, float* const* state, long long cell, float Isyn,\n"
           "                                         const float* k, float t, float dt, SpikelabRandom rng) {\n"
           "    switch (model) {\n" + cases + "    }\n"
           "    return updateBuiltinNeuron(model, state, cell, Isyn, k, t, dt, rng);\n}\n\n";
    out += kStepKernelText;
    out += "\n} // namespace\n} // namespace spikelab::cuda\n\n";
    if (emulated)
        out += "extern \"C\" __attribute__((visibility(\"default\"))) void spikelab_advance(\n"
               "    const spikelab::cuda::DeviceNetwork* net, long long t0, long long steps, long long recordOffset) {\n"
               "    spikelab::cuda::advanceSteps(*net, t0, steps, recordOffset);\n}\n";
    else
        out += "extern \"C\" __global__ void spikelab_advance(spikelab::cuda::DeviceNetwork net, long long t0,\n"
               "                                            long long steps, long long recordOffset) {\n"
               "    spikelab::cuda::advanceSteps(net, t0, steps, recordOffset);\n}\n";
    return out;
}

std::shared_ptr<const StepLibrary> buildStepLibrary(const std::vector<const NeuronModelInfo*>& projectModels) {
#ifdef SPIKELAB_CUDA_EMULATION
    const std::string source = stepLibrarySource(projectModels, true);
#else
    const std::string source = stepLibrarySource(projectModels, false);
#endif
    // One compile per distinct source in this process; a library stays loaded until exit.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const StepLibrary>> built;
    const std::lock_guard lock(mutex);
    auto& library = built[source];
    if (!library) library = build(source);
    return library;
}

} // namespace spikelab::cuda
