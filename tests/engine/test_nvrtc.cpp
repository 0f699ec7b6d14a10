// NVRTC compiles the generated CUDA (docs/architecture.md, "The model language", "Compiled at
// run time"): every built-in model's device function, a user model using the whole language,
// and the build's cuda_neuron_kernels.inc, for sm_75, sm_80 and sm_90. Compile only: no GPU is
// needed, only libnvrtc, and every test skips where it cannot be loaded.
#include "lang/nvrtc.h"

#include "backends/cuda/device_api.h"
#ifdef SPIKELAB_HAVE_CUDA
#include "backends/cuda/step_library.h"
#endif
#include "spikelab/network.h"
#include "spikelab/lang.h"
#include "spikelab/models.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>

using namespace spikelab;

namespace {

const std::vector<std::string> kArchs = {"sm_75", "sm_80", "sm_90"};

#define SKIP_WITHOUT_NVRTC()                                                                   \
    do {                                                                                       \
        std::string why;                                                                       \
        if (!lang::nvrtcAvailable(&why)) GTEST_SKIP() << "no NVRTC on this machine: " << why; \
    } while (0)

std::string functionNameOf(const std::string& model) {
    std::string name = "spikelabNeuron_";
    for (char c : model) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return name;
}

// Compiles and reports the time (the report quotes these lines).
lang::NvrtcResult compile(const std::string& what, const std::string& source, const std::string& arch,
                          const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    lang::NvrtcResult result = lang::compileCuda(source, headers, arch);
    std::printf("[ NVRTC    ] %-28s %-11s %6.3f s  %s, %zu bytes\n", what.c_str(), arch.c_str(), result.seconds,
                result.ok ? "ok" : "FAILED", result.image.size());
    return result;
}

bool isElf(const std::vector<char>& image) {
    return image.size() > 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F';
}

// The whole language: every maths function, every assignment, nested if/else, ?:, && || !,
// locals, and random numbers at the top level, inside branches (nested too), in the threshold
// condition and in the reset code.
std::unique_ptr<lang::CheckedNeuronModel> wholeLanguageModel() {
    lang::NeuronModelCode code;
    code.parameters = {"tau", "noise", "Vthr"};
    code.derived = {{"decay", "exp(-dt / tau)"}, {"halfThr", "Vthr * 0.5"}};
    code.state = {"V", "U", "R"};
    code.sim = R"(
        const float leak = decay;
        float drive = Isyn;
        scalar jitter = 0.0;
        double phase = sin(t * 0.01) + cos(dt);
        if (U > 0.0 && !(V < -2.0) || R == 0.0) {
            drive += noise * gennrand_normal();
            if (gennrand_uniform() < 0.25) {
                jitter = tanh(U) - floor(R) * 0.1 + log(fabs(V) + 1.0);
            } else {
                jitter = log1p(fabs(U)) + expm1(R * 0.01) + sqrt(fabs(V)) + pow(fabs(U), 0.7);
                U -= 0.01 * gennrand_normal();
            }
        } else if (R < 0.0 || V != V) {
            R = fmin(R + 1.0, fmax(-1.0, U));
            jitter = exp(-fabs(R)) + gennrand_uniform();
        } else {
            jitter = U != 0.0 ? 1.0 / U : 0.0;
        }
        jitter *= 0.5;
        jitter /= 2.0;
        jitter -= 0.01;
        phase += jitter;
        V = leak * V + (1.0 - leak) * (drive + phase);
        U += 0.1 * (V - U);
        R = V > halfThr ? R + 1.0 : R - 1.0;
    )";
    code.threshold = "V >= Vthr || gennrand_uniform() < 0.001";
    code.reset = R"(
        V = 0.0;
        if (gennrand_uniform() < 0.5) { U = gennrand_normal(); } else { U *= 0.9; }
    )";
    return std::make_unique<lang::CheckedNeuronModel>(lang::checkNeuronModel(code));
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST(NvrtcLibrary, LoadsOrSaysWhatWasTried) {
    std::string why;
    if (!lang::nvrtcAvailable(&why)) {
        EXPECT_NE(why.find("libnvrtc.so"), std::string::npos) << why;
        EXPECT_NE(test::errorOf([] { lang::compileCuda("", {}, "sm_80"); }).find("libnvrtc"), std::string::npos);
        GTEST_SKIP() << "no NVRTC on this machine: " << why;
    }
    EXPECT_EQ(why, "");
    std::printf("[ NVRTC    ] %s\n", lang::nvrtcDescription().c_str());
    EXPECT_NE(lang::nvrtcDescription().find("NVRTC "), std::string::npos);
    EXPECT_NE(test::errorOf([] { lang::compileCuda("", {}, "sm80"); }).find("sm_NN"), std::string::npos);
    EXPECT_NE(test::errorOf([] { lang::compileCuda("", {}, "compute_"); }).find("compute_NN"), std::string::npos);
}

TEST(NvrtcBuiltinModels, EveryModelCompilesForEachArch) {
    SKIP_WITHOUT_NVRTC();
    int models = 0;
    for (const NeuronModelInfo& info : neuronModels()) {
        if (!info.code) continue;  // a spike source has no code
        ++models;
        const std::string function = functionNameOf(info.name);
        const std::string source = lang::cudaNeuronModuleSource(*info.code, function);
        for (const std::string& arch : kArchs) {
            const auto result = compile(info.name, source, arch);
            EXPECT_TRUE(result.ok) << info.name << " for " << arch << ":\n" << result.log << "\n" << source;
            EXPECT_EQ(result.log, "") << info.name << " for " << arch;
            EXPECT_TRUE(isElf(result.image)) << info.name << " for " << arch << ": not a cubin";
        }
    }
    EXPECT_GE(models, 3) << "IF, LIF and Izhikevich at least";
}

TEST(NvrtcUserModels, WholeLanguageWithRandomNumbersInBranchesCompiles) {
    SKIP_WITHOUT_NVRTC();
    const auto model = wholeLanguageModel();
    ASSERT_GE(model->randomDraws, 7);
    const std::string source = lang::cudaNeuronModuleSource(*model, "spikelabUserModel");
    EXPECT_NE(source.find("extern \"C\" __global__ void spikelabUserModel_kernel(float* s0, float* s1, float* s2,"),
              std::string::npos)
        << source;
    for (const std::string& arch : kArchs) {
        const auto result = compile("whole language", source, arch);
        EXPECT_TRUE(result.ok) << arch << ":\n" << result.log << "\n" << source;
        EXPECT_EQ(result.log, "") << arch;
        EXPECT_TRUE(isElf(result.image)) << arch;
    }
    // PTX too: the kernel is there under its unmangled name, and the model's division and
    // square roots are IEEE ones, with no flush to zero (the flags reached NVRTC).
    const auto ptx = compile("whole language", source, "compute_80");
    ASSERT_TRUE(ptx.ok) << ptx.log;
    const std::string text(ptx.image.begin(), ptx.image.end());
    EXPECT_NE(text.find(".entry spikelabUserModel_kernel("), std::string::npos);
    EXPECT_NE(text.find("div.rn.f32"), std::string::npos);
    EXPECT_NE(text.find("sqrt.rn.f32"), std::string::npos);
    EXPECT_EQ(text.find(".approx"), std::string::npos) << "fast-math division or maths";
    EXPECT_EQ(text.find(".ftz"), std::string::npos) << "subnormals flushed";
    EXPECT_EQ(text.find("fma.rn"), std::string::npos) << "a*b+c contracted: --fmad=false did not reach NVRTC";
}

// The build's generated file, wrapped as kernels.cu wraps it (device_api.h's limits, the
// backend's namespace) with a kernel that calls the dispatch, so that nothing is left out.
TEST(NvrtcBuiltinModels, GeneratedKernelsOfTheBuildCompile) {
    SKIP_WITHOUT_NVRTC();
    const std::string path = std::string(SPIKELAB_GENERATED_DIR) + "/cuda_neuron_kernels.inc";
    const std::string generated = readText(path);
    ASSERT_NE(generated.find("updateBuiltinNeuron"), std::string::npos) << path;
    const std::string source =
        "#include \"prelude.h\"\n"
        "namespace spikelab { namespace cuda {\n"
        "constexpr int kMaxStateVars = " + std::to_string(cuda::kMaxStateVars) + ";\n"
        "constexpr int kMaxNeuronConstants = " + std::to_string(cuda::kMaxNeuronConstants) + ";\n"
        "namespace {\n"
        "#include \"cuda_neuron_kernels.inc\"\n"
        "}\n"
        "}}\n"
        "extern \"C\" __global__ void spikelab_builtin_update(int model, float* const* arrays, int numStateVars,\n"
        "    const float* isyn, const float* k, float t, float dt, unsigned int key0, unsigned int key1,\n"
        "    unsigned long long step, unsigned char* spiked, long long n) {\n"
        "    const long long i = (long long)blockIdx.x * (long long)blockDim.x + (long long)threadIdx.x;\n"
        "    if (i >= n) return;\n"
        "    float* state[spikelab::cuda::kMaxStateVars];\n"
        "    for (int v = 0; v < numStateVars; ++v) state[v] = arrays[v];\n"
        "    const SpikelabRandom rng = spikelab_random(key0, key1, i, step);\n"
        "    spiked[i] = spikelab::cuda::updateBuiltinNeuron(model, state, i, isyn[i], k, t, dt, rng);\n"
        "}\n";
    for (const std::string& arch : kArchs) {
        const auto result = compile("cuda_neuron_kernels.inc", source, arch, {{"cuda_neuron_kernels.inc", generated}});
        EXPECT_TRUE(result.ok) << arch << ":\n" << result.log;
        EXPECT_EQ(result.log, "") << arch;
        EXPECT_TRUE(isElf(result.image)) << arch;
    }
}

#ifdef SPIKELAB_HAVE_CUDA
// The step library a network with the project's own models gets on a GPU: the whole step
// (step_kernel.cuh) with the built-in models, two typed ones and its extern "C" kernel, in one
// source, compiles without a warning for each architecture.
TEST(NvrtcStepLibrary, TheWholeStepWithTypedModelsCompiles) {
    SKIP_WITHOUT_NVRTC();
    NeuronModelDeclaration lif = *neuronModel("LIF", "test").declaration;
    lif.name = "TypedLIF";
    lif.sim += "\nV += 0.01f * gennrand_normal();";
    NeuronModelDeclaration izhikevich = *neuronModel("Izhikevich", "test").declaration;
    izhikevich.name = "TypedIzhikevich";
    NetworkSpec spec;
    spec.models = {lif, izhikevich};
    const std::vector<const NeuronModelInfo*> models =
        cuda::projectNeuronModels({&neuronModel(spec, "TypedLIF", "test"), &neuronModel(spec, "IF", "test"),
                                   &neuronModel(spec, "TypedIzhikevich", "test"), &neuronModel(spec, "TypedLIF", "test")});
    ASSERT_EQ(models.size(), 2u) << "built-ins and repeats are left out";
    const std::string source = cuda::stepLibrarySource(models, false);
    EXPECT_NE(source.find("case kFirstRuntimeModel + 1: return spikelabProjectNeuron1("), std::string::npos);
    for (const std::string& arch : kArchs) {
        const auto result = compile("step library (2 typed models)", source, arch);
        EXPECT_TRUE(result.ok) << arch << ":\n" << result.log;
        EXPECT_EQ(result.log, "") << arch;
        EXPECT_TRUE(isElf(result.image)) << arch;
    }
}
#endif

TEST(NvrtcErrors, CompileErrorNamesTheLine) {
    SKIP_WITHOUT_NVRTC();
    const std::string source = "#include \"prelude.h\"\n"
                               "extern \"C\" __global__ void broken(float* x) {\n"
                               "    x[0] = spikelab_exp(x[1]);\n"
                               "    x[1] = no_such_name * 2.0f;\n"
                               "}\n";
    const auto result = compile("deliberate error", source, "sm_80");
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.image.empty());
    EXPECT_NE(result.log.find("module.cu(4): error"), std::string::npos) << result.log;
    EXPECT_NE(result.log.find("no_such_name"), std::string::npos) << result.log;
}

// V = a * V + b must stay a multiply and an add, each rounded (the CPU's -ffp-contract=off):
// with --fmad=false NVRTC writes mul.rn.f32 and add.rn.f32 (.rn forbids ptxas to fuse them);
// without it, fma.rn.f32.
TEST(NvrtcFlags, NoFusedMultiplyAddFromModelArithmetic) {
    SKIP_WITHOUT_NVRTC();
    lang::NeuronModelCode code;
    code.parameters = {"a", "b"};
    code.state = {"V"};
    code.sim = "V = a * V + b;";
    code.threshold = "V >= 1.0";
    code.reset = "V = 0.0;";
    const auto model = lang::checkNeuronModel(code);
    const std::string source = lang::cudaNeuronModuleSource(model, "spikelabAxpb");
    const auto result = compile("V = a * V + b", source, "compute_80");
    ASSERT_TRUE(result.ok) << result.log;
    const std::string ptx(result.image.begin(), result.image.end());
    EXPECT_EQ(ptx.find("fma.rn.f32"), std::string::npos) << ptx;
    EXPECT_NE(ptx.find("mul.rn.f32"), std::string::npos) << ptx;
    EXPECT_NE(ptx.find("add.rn.f32"), std::string::npos) << ptx;
}
