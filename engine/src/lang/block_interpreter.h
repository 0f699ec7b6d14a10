#pragma once
// The block interpreter of neuron model code (docs/architecture.md, "The model language"): runs
// a checked neuron model where no C compiler is, with exactly the floats of the kernel that
// printCpuNeuronKernel prints (compiled with -ffp-contract=off), through the same ABI. The
// model's tree is compiled once into a flat program of instructions over registers, each
// register a block of neurons' floats; run() steps through the program one block of neurons
// at a time, so each instruction is one short loop the compiler vectorises. Branches run under
// masks: both sides are computed and only the lanes a side is taken for are written.
#include "lang/neuron_abi.h"
#include "spikelab/lang.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace spikelab::lang {

class NeuronProgram {
public:
    // Neurons per block: every register holds this many lanes.
    static constexpr int kBlock = 128;

    explicit NeuronProgram(std::shared_ptr<const CheckedNeuronModel> model);
    // Updates neurons [0, a.n) exactly as the generated kernel printCpuNeuronKernel(model, ...)
    // does: state in and out, isyn, the constants (parameters then derived), t, dt, the random
    // stream (randomKey, step; neuron index i), spiked flags out. Thread-safe: scratch is
    // thread_local.
    void run(const SpikelabNeuronUpdate& a) const;

    // The program's instructions (public for the implementation's helpers only).
    enum class Op : std::uint8_t {
        Copy, Blend, Add, Sub, Mul, Div, Less, LessEq, Greater, GreaterEq, Equal, NotEqual,
        And, AndNot, Or, Not, Neg, Select, Maths, Uniform, Normal, SkipIfNone
    };
    // dst = a op b; Select: dst = c ? a : b; Blend: dst = c ? a : dst (c a mask); `arg` is
    // Maths' function index, a random call's draw, or where SkipIfNone jumps to when no lane
    // of mask a is set.
    struct Instruction {
        Op op;
        int dst = 0, a = 0, b = 0, c = 0, arg = 0;
    };

private:
    struct Compiler;
    void execute(float* registers, long long first, int count, const SpikelabNeuronUpdate& a) const;

    std::shared_ptr<const CheckedNeuronModel> model_;
    std::vector<Instruction> program_;
    int registers_ = 0;     // state variables first (register v is state variable v)
    int isyn_ = -1;         // Isyn's register, -1 when the code does not read it
    int spike_ = 0;         // the threshold's truth, 1 or 0
    std::vector<std::pair<int, float>> literals_;  // register, value
    std::vector<std::pair<int, int>> constants_;   // register, index in a.constants
    int t_ = -1, dt_ = -1;
};

} // namespace spikelab::lang
