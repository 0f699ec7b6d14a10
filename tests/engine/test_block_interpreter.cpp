// The block interpreter (engine/src/lang/block_interpreter.h): the same state bits and spike
// flags as the tree interpreter running neuron by neuron and as the CPU backend's compiled
// kernels, for populations that are not a multiple of the block.
#include "lang/block_interpreter.h"
#include "spec_builders.h"

#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/lang.h"
#include "spikelab/models.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <functional>
#include <memory>
#include <thread>

using namespace spikelab;
using namespace spikelab::test;

namespace {

constexpr float kDt = 0.5f;
constexpr unsigned kKey[2] = {0x1234567u, 3u};

// A population as the kernel ABI sees it: state[v][i], the input and the spike flags.
struct Population {
    std::vector<std::vector<float>> state;
    std::vector<float> isyn;
    std::vector<unsigned char> spiked;
    std::vector<float*> pointers;

    Population(const std::vector<std::vector<float>>& initial, std::size_t n)
        : state(initial), isyn(n), spiked(n, 7) {
        for (auto& v : state) pointers.push_back(v.data());
    }
    SpikelabNeuronUpdate update(const std::vector<float>& constants, std::int64_t step) {
        return {pointers.data(), isyn.data(), (long long)isyn.size(), constants.data(), float(double(step) * kDt), kDt,
                {kKey[0], kKey[1]}, std::uint64_t(step), spiked.data()};
    }
};

// Where two float arrays first differ by bits, or -1. Two NaNs are equal: IEEE 754 leaves the
// sign and payload of a NaN that two NaN operands give unspecified, and compilers may swap the
// operands of + and * (the sanitizer build's tree interpreter gives -nan where the release
// build's gives nan), so only "NaN or not" is the same everywhere.
long long firstDifference(const float* a, const float* b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i]) &&
            !(std::isnan(a[i]) && std::isnan(b[i])))
            return (long long)i;
    return -1;
}

// Steps `initial` ([v][i]) through the block interpreter, and each neuron through the tree
// interpreter (lang::run and lang::evaluate, with the same random stream), expecting the same
// state bits and spike flags after every step; `each` is called after every step with the
// block interpreter's population. Returns the spikes.
std::int64_t compareWithTree(const std::shared_ptr<const lang::CheckedNeuronModel>& model,
                             const std::vector<float>& constants, const std::vector<std::vector<float>>& initial,
                             const std::function<float(std::size_t i, std::int64_t step)>& current, std::int64_t steps,
                             const std::function<void(std::int64_t step, const Population&)>& each = {}) {
    const std::size_t n = initial.empty() ? 0 : initial[0].size();
    const std::size_t parameters = model->scope.parameters.size();
    const lang::NeuronProgram program(model);
    Population block(initial, n);
    std::vector<lang::Frame> frames(n);
    for (std::size_t i = 0; i < n; ++i) {
        frames[i].parameters.assign(constants.begin(), constants.begin() + std::ptrdiff_t(parameters));
        frames[i].derived.assign(constants.begin() + std::ptrdiff_t(parameters), constants.end());
        for (const auto& v : initial) frames[i].state.push_back(v[i]);
        frames[i].random = {{kKey[0], kKey[1]}, std::uint32_t(i), 0};
    }
    std::int64_t spikes = 0;
    for (std::int64_t step = 0; step < steps; ++step) {
        for (std::size_t i = 0; i < n; ++i) block.isyn[i] = current(i, step);
        const SpikelabNeuronUpdate update = block.update(constants, step);
        program.run(update);
        for (std::size_t i = 0; i < n; ++i) {
            lang::Frame& f = frames[i];
            f.builtins = {block.isyn[i], update.dt, update.t};
            f.random.step = std::uint64_t(step);
            lang::run(model->sim, f);
            const bool spike = lang::evaluate(*model->threshold, f) != 0.0f;
            if (spike) lang::run(model->reset, f);
            spikes += spike;
            if (block.spiked[i] != (spike ? 1 : 0)) {
                ADD_FAILURE() << "spike flag of neuron " << i << " at step " << step << ": " << int(block.spiked[i]);
                return spikes;
            }
            for (std::size_t s = 0; s < f.state.size(); ++s)
                if (firstDifference(&f.state[s], &block.state[s][i], 1) >= 0) {
                    ADD_FAILURE() << "state " << model->scope.state[s] << " of neuron " << i << " at step " << step
                                  << ": tree " << f.state[s] << ", block " << block.state[s][i];
                    return spikes;
                }
        }
        if (each) each(step, block);
    }
    return spikes;
}

std::vector<float> floats(const std::vector<double>& values) { return {values.begin(), values.end()}; }

// Every built-in model with code, on 1,037 neurons (8 blocks and 13), with currents that vary
// over neurons and steps: neurons below threshold, firing often, refractory; against the tree
// interpreter and against the CPU backend's compiled kernel (state and spike flags each step).
TEST(BlockInterpreter, BuiltinModelsEqualTheTreeInterpreterAndTheCompiledKernel) {
    constexpr std::size_t n = 1037;
    constexpr std::int64_t steps = 300;
    for (const auto& info : neuronModels()) {
        if (!info.code) continue;
        SCOPED_TRACE(info.name);
        const float scale = info.name == "IF" ? 1.0f : info.name == "LIF" ? 3.0f : 12.0f;
        const auto current = [scale](std::size_t i, std::int64_t step) {
            return scale * (float(i % 11) * 0.21f - 0.4f + 0.3f * std::sin(float(step) * 0.05f + float(i % 5)));
        };
        NetworkSpec spec;
        spec.experiment.dt = kDt;
        spec.populations = {population("p", std::int64_t(n), info.name)};
        auto backend = cpuBackend(spec);
        const auto& cp = backend->network().populations[0];
        auto constants = floats(cp.params);
        const auto derived = floats(lang::derivedValues(*info.code, cp.params, kDt));
        constants.insert(constants.end(), derived.begin(), derived.end());
        // Initial states spread around the declared ones (LIF: some neurons start refractory).
        std::vector<std::vector<float>> initial;
        for (std::size_t v = 0; v < cp.initial.size(); ++v) {
            initial.emplace_back(n);
            for (std::size_t i = 0; i < n; ++i) initial[v][i] = float(cp.initial[v]) + float(i % 7) * 0.5f;
            backend->writeState(0, info.code->scope.state[v], 0, initial[v]);
        }
        std::vector<float> isyn(n), state(n);
        std::vector<std::uint32_t> counts(n), before(n);
        bool same = true;
        const auto compareWithBackend = [&](std::int64_t step, const Population& block) {
            if (!same) return;
            for (std::size_t i = 0; i < isyn.size(); ++i) isyn[i] = current(i, step);
            backend->setInputCurrent(0, 0, isyn);
            backend->advance(1);
            for (std::size_t v = 0; v < block.state.size() && same; ++v) {
                backend->readState(0, info.code->scope.state[v], 0, state);
                const long long i = firstDifference(state.data(), block.state[v].data(), state.size());
                if (i >= 0) {
                    ADD_FAILURE() << "state " << info.code->scope.state[v] << " of neuron " << i << " at step " << step
                                  << ": compiled " << state[std::size_t(i)] << ", block "
                                  << block.state[v][std::size_t(i)];
                    same = false;
                }
            }
            backend->spikeCounts(0, 0, counts);
            for (std::size_t i = 0; i < counts.size() && same; ++i)
                if (counts[i] - before[i] != block.spiked[i]) {
                    ADD_FAILURE() << "spike flag of neuron " << i << " at step " << step;
                    same = false;
                }
            before = counts;
        };
        const std::int64_t spikes = compareWithTree(info.code, constants, initial, current, steps, compareWithBackend);
        EXPECT_GT(spikes, std::int64_t(n)) << "neurons spike";
        EXPECT_LT(spikes, std::int64_t(n) * steps / 2) << "and not on every step";
    }
}

// A model that uses every part of the language: nested if/else assigning in both branches, ?:,
// && || !, const and plain locals, every compound assignment on state and locals, every maths
// function, random numbers at the top and inside a branch, divisions by zero on lanes a branch
// or a ?: does not take, and a threshold that is a plain number (S meaning S != 0).
std::shared_ptr<const lang::CheckedNeuronModel> everythingModel() {
    lang::NeuronModelCode code;
    code.parameters = {"tau", "gain"};
    code.derived = {{"decay0", "exp(-dt / tau)"}};
    code.state = {"V", "W", "X", "Y", "S"};
    code.sim = R"(
        const float decay = decay0;
        float drive = Isyn + gain * gennrand_normal();
        float wobble = 0.0;
        if (V > 0.5 && !(W < -1.0) || Y == 0.0) {
            wobble = sin(t) * cos(V) + tanh(W) - floor(X) * 0.01;
            if (X >= 0.0) {
                W -= 0.1 * gennrand_uniform();
                X *= 0.5;
            } else {
                W += pow(fabs(X), 0.3) * 0.1;
                X /= 2.0;
            }
        } else if (Y < 0.0 || V != V) {
            wobble = log(fabs(V) + 1.0) - log1p(fabs(W)) + expm1(Y * 0.01) + sqrt(fabs(X)) + exp(-fabs(Y));
            Y = fmin(Y + 1.0, fmax(-1.0, X));
        } else {
            const float r = X != 0.0 ? 1.0 / X : 0.0;
            wobble = r * 0.001;
        }
        if (X != 0.0) {
            Y = V / X * 0.01;
        } else {
            Y = 0.0;
        }
        wobble *= 0.5;
        wobble /= 1.5;
        wobble -= 0.01;
        V = decay * V + (1.0 - decay) * (drive + wobble);
        if (Isyn > 1.5) X += 0.3;
        S = V > 1.0 ? V - 1.0 : 0.0;
    )";
    code.threshold = "S";
    code.reset = R"(
        float back = S * 0.5;
        back += 1.0;
        V -= back;
        if (W > 0.0) { W = 0.0; } else { W *= 0.9; }
        S = 0.0;
    )";
    return std::make_shared<const lang::CheckedNeuronModel>(lang::checkNeuronModel(code));
}

TEST(BlockInterpreter, EveryPartOfTheLanguageEqualsTheTreeInterpreter) {
    const auto model = everythingModel();
    ASSERT_EQ(model->randomDraws, 2);
    constexpr std::size_t n = 1000 + 37;
    const std::vector<double> parameters = {10.0, 0.3};
    auto constants = floats(parameters);
    constants.push_back(float(lang::derivedValues(*model, parameters, kDt)[0]));
    // X is 0 on a third of the neurons, and stays 0 where Isyn <= 1.5.
    std::vector<std::vector<float>> initial(5, std::vector<float>(n));
    for (std::size_t i = 0; i < n; ++i) {
        initial[0][i] = float(i % 13) * 0.2f - 1.0f;
        initial[1][i] = float(i % 5) * 0.5f - 1.5f;
        initial[2][i] = i % 3 == 0 ? 0.0f : float(i % 17) * 0.25f - 2.0f;
        initial[3][i] = i % 4 == 0 ? 0.0f : -1.0f;
    }
    const auto current = [](std::size_t i, std::int64_t step) {
        return float(i % 9) * 0.4f - 0.5f + 0.5f * std::cos(float(step) * 0.1f);
    };
    std::int64_t zeroX = 0;
    const std::int64_t spikes = compareWithTree(model, constants, initial, current, 200, [&](std::int64_t, const Population& p) {
        for (float x : p.state[2]) zeroX += x == 0.0f;
    });
    EXPECT_GT(spikes, 1000);
    EXPECT_GT(zeroX, 1000) << "the division by X is masked off on some lanes";
}

// No neurons (nothing read or written) and one neuron (a block of one lane).
TEST(BlockInterpreter, NoNeuronsAndOneNeuron) {
    const auto model = everythingModel();
    const std::vector<float> constants = {10.0f, 0.3f, 0.95f};
    Population empty({{}, {}, {}, {}, {}}, 0);
    lang::NeuronProgram(model).run(empty.update(constants, 0));
    const std::vector<std::vector<float>> one = {{0.7f}, {0.2f}, {0.0f}, {-1.0f}, {0.0f}};
    const auto current = [](std::size_t, std::int64_t step) { return step % 20 < 10 ? 3.0f : -1.0f; };
    EXPECT_GT(compareWithTree(model, constants, one, current, 100), 0);
}

// One program run by several threads at once, each on its own population (its scratch is the
// thread's own), gives what it gives on one thread.
TEST(BlockInterpreter, OneProgramRunsOnSeveralThreadsAtOnce) {
    const auto model = everythingModel();
    const lang::NeuronProgram program(model);
    const std::vector<float> constants = {10.0f, 0.3f, 0.95f};
    const auto simulate = [&](std::size_t n) {
        std::vector<std::vector<float>> initial(5, std::vector<float>(n));
        for (std::size_t i = 0; i < n; ++i) initial[0][i] = float(i % 13) * 0.2f - 1.0f;
        Population p(initial, n);
        std::vector<unsigned char> spikes;
        for (std::int64_t step = 0; step < 100; ++step) {
            for (std::size_t i = 0; i < n; ++i) p.isyn[i] = float(i % 9) * 0.4f;
            program.run(p.update(constants, step));
            spikes.insert(spikes.end(), p.spiked.begin(), p.spiked.end());
        }
        return std::pair(p.state, spikes);
    };
    const std::size_t sizes[] = {300, 1037, 77, 500};
    std::vector<std::pair<std::vector<std::vector<float>>, std::vector<unsigned char>>> threaded(std::size(sizes));
    {
        std::vector<std::jthread> threads;
        for (std::size_t k = 0; k < std::size(sizes); ++k)
            threads.emplace_back([&, k] { threaded[k] = simulate(sizes[k]); });
    }
    for (std::size_t k = 0; k < std::size(sizes); ++k) {
        const auto alone = simulate(sizes[k]);
        EXPECT_EQ(threaded[k].second, alone.second) << sizes[k];
        for (std::size_t v = 0; v < alone.first.size(); ++v)
            EXPECT_EQ(firstDifference(threaded[k].first[v].data(), alone.first[v].data(), sizes[k]), -1) << sizes[k];
    }
}

} // namespace
