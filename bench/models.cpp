// bench/models: the cost of one neuron update for each built-in neuron model, as the CPU
// backend runs it (the loop generated from the model's declaration, vectorised), as the model
// language's tree interpreter runs the same declaration neuron by neuron, and as the block
// interpreter (lang/block_interpreter.h) runs it a block of neurons at a time. A population of
// 100,000 neurons with a constant input current steps 200 times on one thread; nanoseconds per
// neuron and step are the median of 5 runs. A benchmark: it prints figures, never fails on time.
#include "lang/block_interpreter.h"
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/lang.h"
#include "spikelab/models.h"
#include "spikelab/network.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

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

double compiledNs(const std::string& model, std::int64_t& spikes) {
    NetworkSpec spec;
    PopulationSpec p;
    p.name = "p";
    p.size = kNeurons;
    p.model = model;
    spec.populations = {p};
    BackendOptions options;
    options.threads = 1;
    options.recording = false;
    auto backend = createBackend("cpu", compileNetwork(spec, "."), options);
    const auto input = currents(model);
    std::vector<double> seconds;
    for (int r = 0; r < kRuns; ++r) {
        backend->resetState();
        backend->setInputCurrent(0, 0, input);
        seconds.push_back(timeIt([&] { backend->advance(kSteps); }));
    }
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(kNeurons));
    backend->spikeCounts(0, 0, counts);
    spikes = 0;
    for (auto c : counts) spikes += c;
    return median(seconds) * 1e9 / double(kNeurons * kSteps);
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

} // namespace

int main() {
    std::printf("neuron updates: %lld neurons x %lld steps, one thread, median of %d runs\n\n", (long long)kNeurons,
                (long long)kSteps, kRuns);
    std::printf("  model         generated loop   tree interpreter   block interpreter   spikes/neuron/step\n");
    for (const auto& m : neuronModels()) {
        if (!m.code) continue;
        std::int64_t spikes = 0;
        const double compiled = compiledNs(m.name, spikes);
        const double interpreted = interpretedNs(m.name, kNeurons / 20);
        const double block = blockNs(m.name);
        std::printf("  %-12s %9.2f ns    %11.1f ns    %11.2f ns     %8.3f\n", m.name.c_str(), compiled, interpreted,
                    block, double(spikes) / double(kNeurons * kSteps));
    }
    std::printf("\n(the generated loop includes the backend's per-step work: clearing the input, "
                "listing and counting spikes)\n");
    return 0;
}
