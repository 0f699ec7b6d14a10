#include "runtime_kernels.h"

#include <map>
#include <mutex>
#include <utility>

namespace spikelab::cpu {

namespace {

// A C identifier for the model's kernel: the model's name may hold any printable character.
std::string functionName(const std::string& model) {
    std::string name = "spikelab_user_";
    for (char c : model) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        name += plain ? c : '_';
    }
    return name;
}

std::shared_ptr<const RuntimeNeuronKernel> make(const NeuronModelInfo& model, const lang::CompilerSettings& settings) {
    auto kernel = std::make_shared<RuntimeNeuronKernel>();
    const std::string function = functionName(model.name);
    try {
        const lang::CompiledCode code =
            lang::compileC(lang::cpuNeuronModuleSource(*model.code, function), function + "_entry", settings);
        kernel->compiled = reinterpret_cast<SpikelabNeuronKernel>(code.symbol);
        kernel->object = code.object;
        kernel->compileSeconds = code.seconds;
        kernel->fromCache = code.fromCache;
    } catch (const lang::JitError& e) {
        kernel->program = std::make_unique<const lang::NeuronProgram>(model.code);
        kernel->notice = "neuron model " + quote(model.name) + " runs in the interpreter, more slowly: " + e.what();
    }
    return kernel;
}

} // namespace

std::shared_ptr<const RuntimeNeuronKernel> runtimeNeuronKernel(const NeuronModelInfo& model) {
    if (!model.code) throw InternalError("cpu backend: neuron model " + quote(model.name) + " has no code to run");
    const lang::CompilerSettings settings = lang::compilerSettingsFromEnvironment();
    static std::mutex mutex;
    static std::map<std::pair<const NeuronModelInfo*, std::string>, std::shared_ptr<const RuntimeNeuronKernel>> made;
    // One compile at a time in this process: the cache's lock already makes concurrent compiles
    // of one model wait for each other, and a model is compiled once per process.
    const std::lock_guard lock(mutex);
    auto& kernel = made[{&model, settings.compiler}];
    if (!kernel) kernel = make(model, settings);
    return kernel;
}

} // namespace spikelab::cpu
