#pragma once
// How the CPU backend runs a neuron model that is not compiled into SpikeLab (a project's own,
// docs/architecture.md, "The model language"): its generated C compiled at run time by the
// system compiler (lang/jit.h), or, where that cannot be done, the block interpreter
// (lang/block_interpreter.h), which gives the same floats more slowly.
#include "lang/block_interpreter.h"
#include "lang/jit.h"
#include "lang/neuron_abi.h"
#include "spikelab/models.h"

#include <memory>
#include <string>

namespace spikelab::cpu {

struct RuntimeNeuronKernel {
    SpikelabNeuronKernel compiled = nullptr;           // the compiled update, or
    std::unique_ptr<const lang::NeuronProgram> program;  // the interpreter's program
    std::shared_ptr<const lang::SharedObject> object;  // keeps `compiled` loaded
    std::string notice;  // why the model runs interpreted, and how to get full speed; empty when compiled
    double compileSeconds = 0.0;
    bool fromCache = false;

    void run(const SpikelabNeuronUpdate& update) const {
        if (compiled)
            compiled(&update);
        else
            program->run(update);
    }
};

// The kernel for a model with code that is not built in, made once per model entry and compiler
// setting and shared by every backend that runs it. Compiles with compilerSettingsFromEnvironment()
// (the first call for a model takes the compiler's time, a few hundred ms; later processes find
// it in the cache); falls back to the interpreter with a notice when there is no compiler or the
// compiled code does not load.
std::shared_ptr<const RuntimeNeuronKernel> runtimeNeuronKernel(const NeuronModelInfo& model);

} // namespace spikelab::cpu
