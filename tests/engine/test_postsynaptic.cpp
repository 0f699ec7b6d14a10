// Postsynaptic models declared in the model language (spikelab/model_declaration.h): the
// built-ins come from engine/models/postsynaptic/ through the build-time generator;
// declarations read strictly and round-trip; bad ones are refused with the part, line and
// column; "delta" is a property of the code; ExpCurr's constants are GeNN's formula to the bit;
// a network with ExpCurr gives, on the CPU and on CUDA, the figures it gave before the models
// were declarations; the generated code is golden.
#include "backends/constants.h"
#include "spec_builders.h"
#include "generated_code.h"
#include "test_support.h"

#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/lang.h"
#include "spikelab/model_declaration.h"
#include "spikelab/models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>

using namespace spikelab;
using namespace spikelab::test;

namespace {

std::string declarationError(const std::string& text) {
    return errorOf([&] { postsynapticModelFromJson(text, "my.json"); });
}

TEST(PostsynapticModels, TheBuiltInsComeFromTheirDeclarations) {
    std::vector<std::string> names;
    for (const auto& m : postsynapticModels()) names.push_back(m.name);
    EXPECT_EQ(names, (std::vector<std::string>{"DeltaCurr", "ExpCurr"}));
    const std::map<std::string, std::string> files = {{"DeltaCurr", "delta_curr.json"}, {"ExpCurr", "exp_curr.json"}};
    for (const auto& m : postsynapticModels()) {
        ASSERT_TRUE(m.declaration && m.code) << m.name;
        EXPECT_EQ(m.builtin, int(&m - postsynapticModels().data())) << m.name;
        const auto file = sourceDir() / "engine/models/postsynaptic" / files.at(m.name);
        const auto declared = postsynapticModelFromJson(readText(file), file.string());
        EXPECT_EQ(declared, *m.declaration) << m.name;
        EXPECT_EQ(m.params, declared.parameters) << m.name;
    }
    const auto& exp = postsynapticModel("ExpCurr", "test");
    ASSERT_EQ(exp.params.size(), 1u);
    EXPECT_EQ(exp.params[0].name, "tau");
    EXPECT_EQ(exp.params[0].defaultValue, 5.0);
    EXPECT_FALSE(exp.params[0].minInclusive) << "tau must be > 0";
    EXPECT_EQ(exp.declaration->applyInput, "Isyn += init * inSyn;");
    EXPECT_EQ(exp.declaration->decay, "inSyn *= expDecay;");
    EXPECT_FALSE(exp.code->delta);
    EXPECT_TRUE(postsynapticModel("DeltaCurr", "test").code->delta);
}

TEST(PostsynapticModels, DeclarationsRoundTripThroughJson) {
    for (const auto& m : postsynapticModels()) {
        const std::string text = postsynapticModelToJson(*m.declaration);
        const auto again = postsynapticModelFromJson(text, "again");
        EXPECT_EQ(again, *m.declaration) << m.name;
        EXPECT_EQ(postsynapticModelToJson(again), text) << m.name;
    }
    const std::string lines = R"({"name": "Two", "parameters": [{"name": "k", "default": 0.5, "range": "non-negative"}],
        "apply_input": ["Isyn += inSyn;", "inSyn *= k;"], "decay": "inSyn = 0;"})";
    const auto two = postsynapticModelFromJson(lines, "lines");
    EXPECT_EQ(two.applyInput, "Isyn += inSyn;\ninSyn *= k;");
    EXPECT_EQ(postsynapticModelFromJson(postsynapticModelToJson(two), "again"), two);
}

TEST(PostsynapticModels, BadDeclarationsNameTheModelThePartAndThePosition) {
    const std::string good = R"json({"name": "Leak", "parameters": [{"name": "tau", "unit": "ms", "default": 4, "range": "positive"}],
        "derived": [{"name": "k", "expression": "exp(-dt / tau)"}],
        "apply_input": "Isyn += inSyn;", "decay": ["inSyn *= k;"]})json";
    EXPECT_EQ(declarationError(good), "(no error)");
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string s = good;
        const auto at = s.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return s.replace(at, from.size(), to);
    };
    EXPECT_EQ(declarationError(with("\"decay\": [\"inSyn *= k;\"]", "\"decay\": [\"inSyn *= k;\", \"  tau = 1;\"]")),
              "my.json: postsynaptic model \"Leak\": decay code: line 2, col 3: \"tau\" is a parameter and cannot be "
              "assigned; only state variables and locals can");
    EXPECT_EQ(declarationError(with("\"decay\": [\"inSyn *= k;\"]", "\"decay\": [\"inSyn *= k;\", \"Isyn += 1;\"]")),
              "my.json: postsynaptic model \"Leak\": decay code: line 2, col 1: \"Isyn\" is the target neuron's input, "
              "which only the apply_input code sees");
    EXPECT_EQ(declarationError(with("Isyn += inSyn;", "Isyn += inSin;")),
              "my.json: postsynaptic model \"Leak\": apply_input code: line 1, col 9: unknown name \"inSin\" "
              "(did you mean \"inSyn\"?)");
    EXPECT_EQ(declarationError(with("Isyn += inSyn;", "Isyn += gennrand_uniform() * inSyn;")).find("my.json: "
              "postsynaptic model \"Leak\": apply_input code: line 1, col 9: "), 0u);
    EXPECT_EQ(declarationError(with("exp(-dt / tau)", "exp(-dt / tau0)")),
              "my.json: postsynaptic model \"Leak\": derived parameter \"k\": line 1, col 11: unknown name \"tau0\" "
              "(did you mean \"tau\"?)");
    EXPECT_EQ(declarationError(with("{\"name\": \"tau\"", "{\"name\": \"inSyn\"")),
              "my.json: postsynaptic model \"Leak\": parameter \"inSyn\": the name is already used in this model");
    EXPECT_EQ(declarationError(with("\"apply_input\": \"Isyn += inSyn;\", ", "")),
              "my.json: postsynaptic model \"Leak\": has no \"apply_input\" code: a postsynaptic model says how the "
              "weights that arrived reach the target's input");
    EXPECT_EQ(declarationError(with("\"decay\"", "\"decays\"")),
              "my.json: postsynaptic model \"Leak\": unknown key \"decays\"");
    EXPECT_EQ(declarationError(with("\"default\": 4", "\"default\": -4")),
              "my.json: postsynaptic model \"Leak\": parameter \"tau\": \"default\" -4 must be > 0");
}

// "Delta" is what the code does, whatever the model is called: the apply code adds the whole
// buffer and the decay code empties it.
TEST(PostsynapticModels, DeltaIsAPropertyOfTheCode) {
    const auto delta = [](const std::string& apply, const std::string& decay) {
        const std::string text = R"({"name": "Any", "apply_input": ")" + apply + R"(", "decay": ")" + decay + R"("})";
        return postsynapticModelFromJson(text, "test").code().applyInput == apply &&
               lang::checkPostsynapticModel(postsynapticModelFromJson(text, "test").code()).delta;
    };
    EXPECT_TRUE(delta("Isyn += inSyn;", "inSyn = 0;"));
    EXPECT_TRUE(delta("Isyn += inSyn;", "inSyn = 0.0;"));
    EXPECT_FALSE(delta("Isyn += 1.0 * inSyn;", "inSyn = 0;"));
    EXPECT_FALSE(delta("Isyn += inSyn;", "inSyn *= 0.5;"));
    EXPECT_FALSE(delta("Isyn += inSyn;", ""));
    EXPECT_FALSE(delta("Isyn = inSyn;", "inSyn = 0;"));
    EXPECT_FALSE(delta("Isyn += inSyn; inSyn = 0;", "inSyn = 0;"));
}

// The derived constants, rounded to float, equal GeNN's ExpCurr formula evaluated in double,
// bit for bit, for a range of tau and dt.
TEST(PostsynapticModels, ExpCurrConstantsAreGeNNsFormulaToTheBit) {
    const auto& exp = postsynapticModel("ExpCurr", "test");
    int cases = 0;
    for (double dt : {0.01, 0.025, 0.1, 0.125, 0.3, 0.5, 1.0, 2.0}) {
        for (double tau = 0.05; tau < 200.0; tau *= 1.37) {
            const auto derived = lang::derivedValues(*exp.code, {tau}, dt);
            ASSERT_EQ(derived.size(), 2u);
            const float decay = float(std::exp(-dt / tau)), init = float(tau * (1.0 - std::exp(-dt / tau)) / dt);
            const float gotDecay = float(derived[0]), gotInit = float(derived[1]);
            EXPECT_EQ(std::memcmp(&decay, &gotDecay, 4), 0) << "tau " << tau << " dt " << dt;
            EXPECT_EQ(std::memcmp(&init, &gotInit, 4), 0) << "tau " << tau << " dt " << dt;
            ++cases;
        }
    }
    EXPECT_GT(cases, 100);
    // What a backend reads: tau, then the derived constants.
    NetworkSpec s;
    s.populations = {population("a", 1, "IF"), population("b", 1, "IF")};
    s.projections = {projection("p", "a", "b", constantWeight(1.0))};
    s.projections[0].postsynaptic = {"ExpCurr", {{"tau", 3.0}}};
    s.experiment.dt = 0.1;
    const auto net = compileNetwork(s, ".");
    EXPECT_EQ(backends::postsynapticConstants(net.projections[0], net.dt),
              (std::vector<float>{3.0f, float(std::exp(-0.1 / 3.0)), float(3.0 * (1.0 - std::exp(-0.1 / 3.0)) / 0.1)}));
}

// Two ExpCurr projections (one delayed) and a DeltaCurr one between them onto LIF neurons,
// fed by IF neurons on constant currents.
NetworkSpec expCurrNetwork() {
    NetworkSpec s;
    s.populations = {population("pre", 4, "IF", {{"Vthr", 1.0}}), population("post", 3, "LIF", {{"C", 1.0}})};
    s.projections = {
        projection("slow", "pre", "post", inlineWeights({0.9, -0.2, 0.5, 0.3, 1.1, -0.4, 0.7, 0.2, 0.6, -0.3, 0.8, 1.3})),
        projection("delta", "pre", "post", inlineWeights({0.05, 0.1, 0.0, 0.2, -0.1, 0.15, 0.0, 0.3, 0.1, 0.05, 0.05, 0.05})),
        projection("fast", "pre", "post", constantWeight(0.35), ConnectivityType::Dense, 2)};
    s.projections[0].postsynaptic = {"ExpCurr", {{"tau", 7.5}}};
    s.projections[2].postsynaptic = {"ExpCurr", {{"tau", 1.7}}};
    return s;
}
// The post neurons' V after each of 80 steps, pre driven by 0.23, 0.31, 0.47 and 0.61.
std::vector<float> expCurrTrace(Backend& b) {
    b.setInputCurrent(0, 0, std::vector<float>{0.23f, 0.31f, 0.47f, 0.61f});
    std::vector<float> trace;
    for (int t = 0; t < 80; ++t) {
        b.advance(1);
        for (float v : state(b, 1, "V")) trace.push_back(v);
    }
    return trace;
}

// FNV-1a over the floats' bits: any change in any value changes it.
std::uint64_t hashOf(const std::vector<float>& values) {
    std::uint64_t h = 1469598103934665603ull;
    for (float v : values) {
        std::uint32_t u;
        std::memcpy(&u, &v, 4);
        for (int k = 0; k < 4; ++k) h = (h ^ ((u >> (8 * k)) & 0xffu)) * 1099511628211ull;
    }
    return h;
}

// The figures the CPU backend gave with hand-written ExpCurr code, before postsynaptic models
// were declarations (commit 50b7954).
void expectTheFiguresOfBefore(Backend& b) {
    const auto trace = expCurrTrace(b);
    ASSERT_EQ(trace.size(), 240u);
    EXPECT_EQ(hashOf(trace), 0x550d31c886062c45ull);
    const float at[][3] = {
        {-0x1.c3739ap+5f, -0x1.04p+6f, -0x1.04p+6f},     {-0x1.ccb718p+5f, -0x1.b831bp+5f, -0x1.04p+6f},
        {-0x1.b49bfap+5f, -0x1.dc570ep+5f, -0x1.04p+6f}, {-0x1.9f8804p+5f, -0x1.04p+6f, -0x1.04p+6f},
        {-0x1.04p+6f, -0x1.04p+6f, -0x1.04p+6f},         {-0x1.f345a6p+5f, -0x1.04p+6f, -0x1.04p+6f},
        {-0x1.c55d48p+5f, -0x1.04p+6f, -0x1.04p+6f},     {-0x1.9f3fdp+5f, -0x1.04p+6f, -0x1.04p+6f},
    };
    for (int k = 0; k < 8; ++k)
        for (int i = 0; i < 3; ++i)
            EXPECT_EQ(trace[std::size_t(30 * k + 27 + i)], at[k][i]) << "step " << 10 * k + 9 << " neuron " << i;
    EXPECT_EQ(counts(b, 1), (std::vector<std::uint32_t>{8, 14, 15}));
    EXPECT_EQ(counts(b, 0), (std::vector<std::uint32_t>{16, 20, 26, 40}));
}

TEST(PostsynapticCpu, ExpCurrGivesTheFiguresOfBefore) {
    auto b = cpuBackend(expCurrNetwork());
    expectTheFiguresOfBefore(*b);
    // Batch copies and threads change nothing.
    auto batched = cpuBackend(expCurrNetwork(), 3, 2);
    expectTheFiguresOfBefore(*batched);
}

TEST(PostsynapticCuda, ExpCurrGivesTheFiguresOfBefore) {
    std::unique_ptr<Backend> b;
    try {
        b = createBackend("cuda", compileNetwork(expCurrNetwork(), "."));
    } catch (const Error& e) {
        GTEST_SKIP() << e.what();
    }
    if (b->name() != "cuda") GTEST_SKIP() << "no CUDA device: " << backendNotice();
    expectTheFiguresOfBefore(*b);
}

// The generated code of ExpCurr, as the build writes it, equals the golden files in
// tests/engine/golden (SPIKELAB_UPDATE_GOLDEN=1 rewrites them after a deliberate change).
TEST(PostsynapticGolden, GeneratedExpCurrCodeEqualsTheGoldenFiles) {
    const auto& exp = postsynapticModel("ExpCurr", "test");
    expectGoldenFiles({{"exp_curr_cpu.c", lang::printCpuPostsynapticKernels(*exp.code, "spikelab_postsynaptic_apply_ExpCurr",
                                                                          "spikelab_postsynaptic_decay_ExpCurr")},
                       {"exp_curr_cuda.cu", lang::printCudaPostsynapticFunctions(*exp.code, "spikelabPostsynapticApplyExpCurr",
                                                                               "spikelabPostsynapticDecayExpCurr")}});
}

// The build's generated postsynaptic kernels vectorise with the CPU backend's flags: the
// compiler reports each loop as vectorised. Skipped where there is no C++ compiler.
TEST(PostsynapticGolden, GeneratedCpuKernelsVectorise) {
    if (std::system("c++ --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no C++ compiler (c++) on this machine";
    const int loops = expectVectorisedLoops("#include \"lang/postsynaptic_abi.h\"\n#include \"cpu_postsynaptic_kernels.inc\"\n"
                                            "const void* keep = kBuiltinPostsynapticKernels;\n",
                                            SPIKELAB_GENERATED_DIR, "cpu_postsynaptic_kernels.inc");
    const auto buffered = std::count_if(postsynapticModels().begin(), postsynapticModels().end(),
                                        [](const auto& m) { return !m.code->delta; });
    EXPECT_EQ(loops, 2 * buffered) << "an apply and a decay loop per built-in model with a buffer";
}

} // namespace
