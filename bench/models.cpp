// bench/models: the cost of one neuron update for each built-in neuron model, as the CPU
// backend runs it (the loop generated from the model's declaration when SpikeLab is built,
// vectorised), as the same declaration runs when a project declares it (compiled at run time
// by the system compiler, lang/jit.h), as the model language's tree interpreter runs it neuron
// by neuron, and as the block interpreter (lang/block_interpreter.h) runs it a block of neurons
// at a time; and how long compiling a project's model takes, the first time and from the cache.
// In a build with CUDA: how long NVRTC takes to compile a step library (the CUDA backend's step
// with one project model, backends/cuda/step_library.h), and, where a GPU is present, the cost
// per neuron update on it for the built-in model and the same declaration as a project's own,
// with 64 batch copies (one block each).
// A population of 100,000 neurons with a constant input current steps 200 times on one thread;
// nanoseconds per neuron and step are the median of 5 runs. A benchmark: it prints figures,
// never fails on time.
#include "lang/block_interpreter.h"
#include "lang/jit.h"
#include "lang/nvrtc.h"
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/lang.h"
#include "spikelab/models.h"
#include "spikelab/network.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#ifdef SPIKELAB_HAVE_CUDA
#include "backends/cuda/step_library.h"
#endif

using namespace spikelab;

namespace {

constexpr std::int64_t kNeurons = 100000;
constexpr std::int64_t kSteps = 200;
constexpr int kRuns = 5;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <typename F>
double timeIt(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A current per neuron that makes some of them fire often and others rarely.
std::vector<float> currents(const std::string& model) {
    const float scale = model == "IF" ? 1.0f : model == "LIF" ? 4.0f : model == "AdEx" ? 1.2f : 12.0f;
    std::vector<float> c(static_cast<std::size_t>(kNeurons));
    for (std::int64_t i = 0; i < kNeurons; ++i) c[std::size_t(i)] = scale * float(i % 97) / 96.0f;
    return c;
}

// `model` built in, or (`typed`) its declaration taken into a project under another name, so
// that it runs as a project's own model does.
double compiledNs(const std::string& model, bool typed, std::int64_t& spikes, const std::string& backendKind = "cpu",
                  int batch = 1) {
    NetworkSpec spec;
    PopulationSpec p;
    p.name = "p";
    p.size = kNeurons;
    p.model = model;
    if (typed) {
        NeuronModelDeclaration own = *neuronModel(model, "bench").declaration;
        own.name = p.model = model + "_typed";
        spec.models = {own};
    }
    spec.populations = {p};
    BackendOptions options;
    options.threads = 1;
    options.recording = false;
    options.batch = batch;
    auto backend = createBackend(backendKind, compileNetwork(spec, "."), options);
    if (backend->name() != backendKind) throw Error(backendNotice());
    const auto input = currents(model);
    std::vector<double> seconds;
    for (int r = 0; r < kRuns; ++r) {
        backend->resetState();
        for (int b = 0; b < batch; ++b) backend->setInputCurrent(0, b, input);
        // The spike counts are read back: on the GPU that waits for the queued steps.
        std::vector<std::uint32_t> counts(static_cast<std::size_t>(kNeurons));
        seconds.push_back(timeIt([&] {
            backend->advance(kSteps);
            backend->spikeCounts(0, 0, counts);
        }));
    }
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(kNeurons));
    backend->spikeCounts(0, 0, counts);
    spikes = 0;
    for (auto c : counts) spikes += c;
    return median(seconds) * 1e9 / double(kNeurons * kSteps * batch);
}

double interpretedNs(const std::string& model, std::int64_t neurons) {
    const auto& info = neuronModel(model, "bench");
    const auto& code = *info.code;
    std::vector<double> params;
    for (const auto& p : info.params) params.push_back(p.defaultValue);
    const auto derived = lang::derivedValues(code, params, 1.0);
    const auto input = currents(model);
    std::vector<double> seconds;
    for (int r = 0; r < kRuns; ++r) {
        seconds.push_back(timeIt([&] {
            for (std::int64_t i = 0; i < neurons; ++i) {
                lang::Frame f;
                for (double p : params) f.parameters.push_back(float(p));
                for (double d : derived) f.derived.push_back(float(d));
                for (const auto& s : info.state) f.state.push_back(float(s.defaultValue));
                for (std::int64_t t = 0; t < kSteps; ++t) {
                    f.builtins = {input[std::size_t(i)], 1.0f, float(t)};
                    lang::run(code.sim, f);
                    if (lang::evaluate(*code.threshold, f) != 0.0f) lang::run(code.reset, f);
                }
            }
        }));
    }
    return median(seconds) * 1e9 / double(neurons * kSteps);
}

double blockNs(const std::string& model) {
    const auto& info = neuronModel(model, "bench");
    std::vector<double> params;
    for (const auto& p : info.params) params.push_back(p.defaultValue);
    std::vector<float> constants(params.begin(), params.end());
    for (double d : lang::derivedValues(*info.code, params, 1.0)) constants.push_back(float(d));
    const lang::NeuronProgram program(info.code);
    auto input = currents(model);
    std::vector<std::vector<float>> state;
    std::vector<float*> pointers;
    for (const auto& s : info.state) state.emplace_back(std::size_t(kNeurons), float(s.defaultValue));
    for (auto& s : state) pointers.push_back(s.data());
    std::vector<unsigned char> spiked(static_cast<std::size_t>(kNeurons));
    std::vector<double> seconds;
    for (int r = 0; r < kRuns; ++r) {
        seconds.push_back(timeIt([&] {
            for (std::int64_t t = 0; t < kSteps; ++t)
                program.run({pointers.data(), input.data(), kNeurons, constants.data(), float(t), 1.0f,
                             {lang::randomKeyOf("p"), 0}, std::uint64_t(t), spiked.data()});
        }));
    }
    return median(seconds) * 1e9 / double(kNeurons * kSteps);
}

// Compiling a project's model: the first time into an empty cache, then from the cache.
void compileLatency() {
    const std::filesystem::path cache = std::filesystem::temp_directory_path() / "spikelab-bench-jit";
    std::filesystem::remove_all(cache);
    lang::CompilerSettings settings = lang::compilerSettingsFromEnvironment();
    settings.cacheDir = cache;
    std::printf("\ncompiling a project's model with %s (cold: empty cache; cached: median of %d loads)\n",
                settings.compiler.c_str(), kRuns);
    for (const auto& m : neuronModels()) {
        if (!m.code) continue;
        const std::string source = lang::cpuNeuronModuleSource(*m.code, "bench_" + m.name);
        try {
            const double cold = lang::compileC(source, "bench_" + m.name + "_entry", settings).seconds;
            std::vector<double> cached;
            for (int r = 0; r < kRuns; ++r)
                cached.push_back(lang::compileC(source, "bench_" + m.name + "_entry", settings).seconds);
            std::printf("  %-12s cold %7.1f ms   cached %6.2f ms   (%zu bytes of C)\n", m.name.c_str(), cold * 1e3,
                        median(cached) * 1e3, source.size());
        } catch (const lang::JitError& e) {
            std::printf("  %-12s %s\n", m.name.c_str(), e.what());
        }
    }
    std::filesystem::remove_all(cache);
}

#ifdef SPIKELAB_HAVE_CUDA
// NVRTC's time for a step library with one project model, and the GPU's cost per update.
void gpuFigures() {
    std::string why;
    if (!lang::nvrtcAvailable(&why)) {
        std::printf("\nstep libraries: no NVRTC here: %s\n", why.c_str());
        return;
    }
    const bool device = createBackend("cuda", compileNetwork(NetworkSpec{}, "."))->name() == "cuda";
    const std::string arch = device ? cuda::deviceArchitecture() : "sm_90";
    std::printf("\nstep library with one project model, compiled by %s for %s\n", lang::nvrtcDescription().c_str(),
                arch.c_str());
    for (const auto& m : neuronModels()) {
        if (!m.code) continue;
        NetworkSpec spec;
        NeuronModelDeclaration own = *m.declaration;
        own.name = m.name + "_typed";
        spec.models = {own};
        const std::string source = cuda::stepLibrarySource({&neuronModel(spec, own.name, "bench")}, false);
        const lang::NvrtcResult compiled = lang::compileCuda(source, {}, arch);
        std::printf("  %-12s %6.0f ms   %s\n", m.name.c_str(), compiled.seconds * 1e3,
                    compiled.ok ? "ok" : compiled.log.c_str());
    }
    if (!device) {
        std::printf("\nGPU updates: no CUDA device here (%s)\n", backendNotice().c_str());
        return;
    }
    std::printf("\nGPU updates: %lld neurons x %lld steps x 64 copies, median of %d runs\n", (long long)kNeurons,
                (long long)kSteps, kRuns);
    std::printf("  model        built in     project's model\n");
    for (const auto& m : neuronModels()) {
        if (!m.code) continue;
        std::int64_t spikes = 0, typedSpikes = 0;
        const double builtin = compiledNs(m.name, false, spikes, "cuda", 64);
        const double typed = compiledNs(m.name, true, typedSpikes, "cuda", 64);
        std::printf("  %-12s %8.4f ns   %8.4f ns%s\n", m.name.c_str(), builtin, typed,
                    spikes == typedSpikes ? "" : "  (the project's model spiked differently!)");
    }
}
#endif

} // namespace

int main() {
    std::printf("neuron updates: %lld neurons x %lld steps, one thread, median of %d runs\n\n", (long long)kNeurons,
                (long long)kSteps, kRuns);
    std::printf("  model        built in     project's model   tree interpreter   block interpreter   "
                "spikes/neuron/step\n");
    for (const auto& m : neuronModels()) {
        if (!m.code) continue;
        std::int64_t spikes = 0, typedSpikes = 0;
        const double compiled = compiledNs(m.name, false, spikes);
        const double typed = compiledNs(m.name, true, typedSpikes);
        const double interpreted = interpretedNs(m.name, kNeurons / 20);
        const double block = blockNs(m.name);
        std::printf("  %-12s %6.2f ns    %9.2f ns    %11.1f ns    %11.2f ns     %8.3f%s\n", m.name.c_str(), compiled,
                    typed, interpreted, block, double(spikes) / double(kNeurons * kSteps),
                    spikes == typedSpikes ? "" : "  (the project's model spiked differently!)");
    }
    std::printf("\n(built in and project's model: through the CPU backend, with its per-step work: clearing the "
                "input, listing and counting spikes; the interpreters: the neuron update alone)\n");
    compileLatency();
#ifdef SPIKELAB_HAVE_CUDA
    gpuFigures();
#endif
    return 0;
}
