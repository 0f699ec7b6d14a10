#pragma once
// The model language (docs/architecture.md, "The model language"): the small C-like subset in
// which neuron and synapse model code is written, compatible with GeNN's model snippets so that
// GeNN code pastes in (`V += Isyn;`, `V >= Vthr`, `V = 0;`).
//
// Statements: `NAME = e;`, `+=`, `-=`, `*=`, `/=`; `if (c) s [else s]`; `{ ... }`; local
// declarations `[const] scalar|float|double NAME = e;`; an empty `;`; and, in a weight-update
// model's pre-spike synapse code only, `addToPost(e);` (deliver e to the target neuron). Expressions: numbers
// (`1`, `0.5`, `1e-3`, `2.0f`), names, `+ - * /`, unary `- + !`, comparisons `< <= > >= == !=`,
// `&& || ?:`, parentheses and calls of the functions in functions(). One numeric type
// (float); comparisons and `&& || !` give conditions (bool). A number used as a condition
// means "not zero", as in C; a condition used in arithmetic is an error. Comments `//` and
// `/* */`. No loops, pointers, arrays or preprocessor.
//
// Names a code block sees come from its Scope: parameters and derived parameters (read-only),
// state variables (read and write), and the built-in read-only names (`Isyn`, `dt`, `t`).
// Every error is a CodeError with the line and column where it starts and, for a misspelt
// name, the nearest known one: `line 2, col 9: unknown name "Isyn_" (did you mean "Isyn"?)`.
// Sizes are bounded (kMaxCodeBytes, kMaxCodeDepth) so that no text can exhaust the stack.
#include "spikelab/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace spikelab::lang {

inline constexpr std::size_t kMaxCodeBytes = 64 * 1024;
inline constexpr int kMaxCodeDepth = 64;  // nested blocks, ifs, parentheses and operators

// An error in model code; what() is "line L, col C: message".
class CodeError : public Error {
public:
    CodeError(int line, int column, const std::string& message);
    // The same error placed in its context: what() is "<where>: line L, col C: message".
    CodeError(const std::string& where, const CodeError& inner);
    int line() const { return line_; }
    int column() const { return column_; }
    const std::string& message() const { return message_; }
    // The context it was placed in: for checkNeuronModel, the part ("sim code", "threshold
    // condition", "reset code", "derived parameter \"ExpTC\""); empty for a bare block.
    const std::string& where() const { return where_; }

private:
    int line_, column_;
    std::string message_;
    std::string where_;
};

enum class NameKind { Parameter, Derived, State, Builtin, Local };

// What code can name. Each name's index is its position in its own list.
struct Scope {
    std::vector<std::string> parameters;
    std::vector<std::string> derived;
    std::vector<std::string> state;
    std::vector<std::string> builtins = {"Isyn", "dt", "t"};
    bool random = true;  // gennrand_uniform() and gennrand_normal() may be called
    // Names the block may not use, each with why (" is ..."): a postsynaptic model's decay
    // code does not see the target's Isyn.
    std::vector<std::pair<std::string, std::string>> unavailable;
    // Built-in names the block may read but not assign, each with why (" is ..."): a
    // weight-update model's synapse code reads the presynaptic traces, which only their own
    // code changes. Other built-ins are refused as "a built-in value".
    std::vector<std::pair<std::string, std::string>> readOnly;
    bool addToPost = false;  // `addToPost(e);` may deliver to the target neuron
};

struct Function {
    const char* name;
    int arity;
};
// The functions code may call: exp, log, log1p, expm1, sqrt, pow, fabs, fmin, fmax, tanh,
// sin, cos, floor, and GeNN's random numbers gennrand_uniform() and gennrand_normal().
const std::vector<Function>& functions();

struct Expr {
    enum class Kind { Number, Name, Unary, Binary, Conditional, Call } kind;
    enum class Type { Number, Condition } type = Type::Number;
    int line = 0, column = 0;
    float number = 0.0f;                   // Number, rounded to float (neuron code)
    double value = 0.0;                    // Number, as written (host code in double)
    NameKind nameKind = NameKind::Local;   // Name
    int index = 0;                         // Name: index in its list; Call: function index
    int draw = 0;                          // Call of a random function: its call site's number
    std::string text;                      // Name: the name; Unary/Binary: the operator
    std::vector<std::unique_ptr<Expr>> operands;  // Unary 1, Binary 2, Conditional 3, Call n
};

struct Stmt {
    enum class Kind { Assign, Declare, If, Block, Empty, AddToPost } kind;
    int line = 0, column = 0;
    std::string op;                 // Assign: "=", "+=", "-=", "*=", "/="
    NameKind targetKind = NameKind::State;  // Assign: State or Local
    int target = 0;                 // Assign, Declare: index (locals are numbered in order)
    std::string name;               // Assign, Declare: the name as written
    std::unique_ptr<Expr> value;    // Assign, Declare, AddToPost; If: the condition
    std::vector<Stmt> body;         // Block: statements; If: then (1) [and else (2)]
};

// A checked code block: its statements and how many locals it declares.
struct Code {
    std::vector<Stmt> statements;
    int locals = 0;
};

// Parses and checks a code block (sim or reset code). Throws CodeError.
Code parseCode(const std::string& text, const Scope& scope);
// Parses and checks one expression (a threshold condition, a derived parameter); with
// `condition` true it must be a condition or a number (read as "not zero"). Throws CodeError.
std::unique_ptr<Expr> parseExpression(const std::string& text, const Scope& scope, bool condition);

// Whose random numbers code draws (lang/prelude.h, "Random numbers"): a call's number is a
// function of this stream and the call site's `draw` only.
struct RandomStream {
    std::uint32_t key[2] = {0, 0};  // the population and the batch copy
    std::uint32_t neuron = 0;
    std::uint64_t step = 0;
};
// key[0] of a population's stream (key[1] is the batch copy): a hash of the population's name,
// so that its numbers do not change when other populations are added or reordered.
std::uint32_t randomKeyOf(const std::string& population);

// Values code runs on, for one neuron (the interpreter's frame). Sizes follow the Scope.
// `addToPost` is where addToPost(e) adds e (a target's input), set for a weight-update model's
// pre-spike synapse code.
struct Frame {
    std::vector<float> parameters, derived, state, builtins, locals;
    RandomStream random;
    float* addToPost = nullptr;
};
// Runs checked code on one frame in float arithmetic, as the generated code does.
void run(const Code& code, Frame& frame);
// The same in double with the C library's maths, for analysis on the host (the phase plane's
// derivatives, spikelab/phase_plane.h), never for simulation: its numbers are not the
// backends'. Random numbers are the same draws, widened.
struct HostFrame {
    std::vector<double> parameters, derived, state, builtins, locals;
    RandomStream random;
    double* addToPost = nullptr;
};
void runOnHost(const Code& code, HostFrame& frame);
float evaluate(const Expr& expr, Frame& frame);

// Checked code printed as C statements for one neuron (the CUDA printer shares it: the
// statements are the same in both). `name(kind, index)` gives the C text of each model name
// (e.g. a register "V" or "p.Vthresh"); locals print as "l_<name>". Literals print as exact
// hex floats ("0x1.99999ap-4f"), every binary operation is parenthesised so the order of
// operations is the checked tree's, and functions print as C's float functions (expf, ...).
// Random numbers print as spikelab_uniform(&b_rng, draw) and spikelab_normal(&b_rng, draw);
// addToPost(e) as SPIKELAB_ADD_TO_POST(e), a macro the kernel around the code defines.
using NamePrinter = std::string (*)(NameKind kind, int index, const void* context);
std::string printC(const Code& code, NamePrinter name, const void* context, int indent = 0);
std::string printC(const Expr& expr, NamePrinter name, const void* context);

// A checked neuron model as kernels. For the CPU: a C function (valid C and C++) that updates
// a population through the SpikelabNeuronUpdate of backends' neuron_abi.h. For CUDA: a
// __device__ function `bool function(float* const* state, long long cell, float Isyn, const
// float* k, float t, float dt, SpikelabRandom rng)` that updates one neuron and says whether
// it spiked; k holds the parameters, then the derived parameters, as floats, and rng is the
// neuron's random stream (lang/prelude.h).
struct CheckedNeuronModel;
std::string printCpuNeuronKernel(const CheckedNeuronModel& model, const std::string& function);
std::string printCudaNeuronFunction(const CheckedNeuronModel& model, const std::string& function);

// The code of a neuron model declaration, as GeNN declares it: parameters and state variables
// by name (their units, defaults and ranges live in the model's ParamTable), derived
// parameters as named expressions of the parameters, earlier derived parameters and `dt`
// (GeNN's SET_DERIVED_PARAMS, e.g. ExpTC = exp(-dt / TauM)), the sim code, the threshold
// condition and the reset code.
struct DerivedParameter {
    std::string name;
    std::string expression;
    bool operator==(const DerivedParameter&) const = default;
};
struct NeuronModelCode {
    std::vector<std::string> parameters;
    std::vector<std::string> state;
    std::vector<DerivedParameter> derived;
    std::string sim, threshold, reset;
};
struct CheckedNeuronModel {
    Scope scope;
    std::vector<std::unique_ptr<Expr>> derived;
    Code sim, reset;
    std::unique_ptr<Expr> threshold;
    int randomDraws = 0;  // random call sites, numbered 0.. in source order
};
// Checks every part; errors say which ("derived parameter \"ExpTC\": line 1, col 9: ...",
// "sim code: ...", "threshold condition: ...", "reset code: ..."), and duplicate or clashing
// names are refused. Derived parameters may not draw random numbers.
CheckedNeuronModel checkNeuronModel(const NeuronModelCode& code);
// The derived parameters' values for these parameter values, evaluated on the host in double
// (rounded to float only when a neuron reads them), in declaration order.
std::vector<double> derivedValues(const CheckedNeuronModel& model, const std::vector<double>& parameters,
                                  double dt);

// The code of a postsynaptic model declaration (docs/architecture.md, "The model language"):
// parameters, derived parameters as for a neuron model, the apply_input code, which sees the
// buffer `inSyn` of weights that arrived and the target neuron's input `Isyn` (both read and
// write), and the decay code, which sees `inSyn` only. Both see dt and t; neither draws random
// numbers.
struct PostsynapticModelCode {
    std::vector<std::string> parameters;
    std::vector<DerivedParameter> derived;
    std::string applyInput, decay;
};
struct CheckedPostsynapticModel {
    Scope apply, decay;  // state: apply {inSyn, Isyn}, decay {inSyn}; builtins {dt, t}
    std::vector<std::unique_ptr<Expr>> derived;
    Code applyInput, decayCode;
    // The apply code is `Isyn += inSyn;` and the decay code `inSyn = 0;`: the weights may go
    // straight into the target's input, with no buffer.
    bool delta = false;
};
// Checks both parts; errors say which ("derived parameter \"init\": ...", "apply_input code:
// ...", "decay code: ..."), and parameters may not take the names inSyn, Isyn, dt or t.
CheckedPostsynapticModel checkPostsynapticModel(const PostsynapticModelCode& code);
std::vector<double> derivedValues(const CheckedPostsynapticModel& model, const std::vector<double>& parameters,
                                  double dt);
// A checked postsynaptic model as kernels. For the CPU: two C functions (valid C and C++),
// `apply` and `decay`, over a projection's target neurons through the SpikelabPostsynapticUpdate
// of backends' postsynaptic_abi.h. For CUDA: two __device__ functions `void apply(float&
// inSyn, float& Isyn, const float* k, float t, float dt)` and `void decay(float& inSyn, const
// float* k, float t, float dt)` for one target neuron; k holds the parameters, then the derived
// parameters, as floats.
std::string printCpuPostsynapticKernels(const CheckedPostsynapticModel& model, const std::string& apply,
                                        const std::string& decay);
std::string printCudaPostsynapticFunctions(const CheckedPostsynapticModel& model, const std::string& apply,
                                           const std::string& decay);

// The code of a weight-update model declaration (docs/architecture.md, "Weight-update
// models"), GeNN's concepts: per-synapse variables (`synapse`, e.g. the weight g), per-neuron
// variables of the source (`pre`) and of the target (`post`), such as spike traces, and six
// pieces of code:
//   preSpikeSyn   per synapse of a presynaptic spike when it arrives; addToPost(e) delivers
//   postSpikeSyn  per synapse of a postsynaptic spike
//   preSpike, preDynamics    per source neuron: when it spikes, and every step
//   postSpike, postDynamics  per target neuron: the same
// Synapse code reads and writes the synapse variables and reads the pre and post variables,
// dt, t, and st_pre / st_post (the times of the last pre and post spikes); neuron code reads
// and writes its own side's variables and sees dt and t. None draws random numbers.
struct WeightUpdateModelCode {
    std::vector<std::string> parameters;
    std::vector<DerivedParameter> derived;
    std::vector<std::string> synapse, pre, post;
    std::string weight;  // the synapse variable a projection's weights initialise
    std::string preSpikeSyn, postSpikeSyn, preSpike, preDynamics, postSpike, postDynamics;
};
struct CheckedWeightUpdateModel {
    // state: synapse (pre and post synapse code) or pre / post (their neuron code); the
    // synapse code's builtins are dt, t, st_pre, st_post, then the pre and post variables.
    Scope preSynapse, postSynapse, pre, post;
    std::vector<std::unique_ptr<Expr>> derived;
    Code preSpikeSyn, postSpikeSyn, preSpike, preDynamics, postSpike, postDynamics;
    int weight = 0;  // index of the weight among the synapse variables
    // Some code changes a synapse variable, or the model keeps pre or post variables.
    bool plastic = false;
    // Not plastic, and the pre-spike code is `addToPost(<weight>);`: a fixed weight delivered
    // as it is (StaticPulse), which backends run without the model's code.
    bool pulse = false;
};
// Checks every part; errors say which ("pre_spike_syn code: line 1, col 1: ..."). The weight
// must be a synapse variable, and no name may be dt, t, st_pre, st_post or addToPost.
CheckedWeightUpdateModel checkWeightUpdateModel(const WeightUpdateModelCode& code);
std::vector<double> derivedValues(const CheckedWeightUpdateModel& model, const std::vector<double>& parameters,
                                  double dt);
// A checked weight-update model as C kernels over the SpikelabSynapseUpdate and
// SpikelabSynapseNeuronUpdate of backends' weight_update_abi.h: one function
// `<prefix>_<part>` (pre_spike_syn, post_spike_syn, pre_spike, pre_dynamics, post_spike,
// post_dynamics) for each part that has code; none for a pulse model. The table is the
// initialiser of a SpikelabWeightUpdateKernels naming them (0 for the others).
std::string printCpuWeightUpdateKernels(const CheckedWeightUpdateModel& model, const std::string& prefix);
std::string printCpuWeightUpdateTable(const CheckedWeightUpdateModel& model, const std::string& prefix);

// One expression evaluated in double over parameters, derived parameters and dt.
double evaluateOnHost(const Expr& expr, const std::vector<double>& parameters,
                      std::vector<double>& derived, double dt);

} // namespace spikelab::lang
