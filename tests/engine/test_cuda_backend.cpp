// The CUDA backend against the CPU reference: identical spikes, counts, states and recordings
// on integer-weighted networks of every neuron model, postsynaptic model and connectivity,
// for batch sizes 1, 3 and 64 (1, 3 and 7 on the emulated device); identical accuracy and
// spike counts on the MNIST projects.
// Every test but the fallback one skips, saying why, without a build with CUDA or a device.
#include "spec_builders.h"
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/project.h"
#include "test_support.h"

#ifdef SPIKELAB_HAVE_CUDA
#include "backends/cuda/cuda_backend.h"
#endif

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

using namespace spikelab;
using namespace spikelab::test;

namespace {

#ifdef SPIKELAB_HAVE_CUDA
NetworkSpec tinyNetwork() {
    NetworkSpec s;
    s.populations = {population("a", 2, "IF")};
    return s;
}
#endif

// The emulated device (SPIKELAB_CUDA_EMULATION) runs each CUDA thread as a fiber, some
// thousand times slower than a GPU: there the tests use fewer copies and images. Blocks are
// independent, so 7 copies exercise the batch layout as well as 64 do.
#ifdef SPIKELAB_CUDA_EMULATION
constexpr int kBatchSizes[] = {1, 3, 7};
constexpr std::int64_t kImages = 100;
#else
constexpr int kBatchSizes[] = {1, 3, 64};
constexpr std::int64_t kImages = 0;  // all 10,000
#endif

// Empty when the CUDA backend can run here, else the reason to skip.
std::string cudaSkipReason() {
#ifndef SPIKELAB_HAVE_CUDA
    return "no CUDA device: this build of SpikeLab has no CUDA backend (nvcc not found or SPIKELAB_CUDA=OFF)";
#else
    if (createBackend("cuda", compileNetwork(tinyNetwork(), "."))->name() == "cuda") return {};
    return "no CUDA device: " + backendNotice();
#endif
}

#define REQUIRE_CUDA()                                                                          \
    do {                                                                                        \
        if (const auto why_ = cudaSkipReason(); !why_.empty()) GTEST_SKIP() << why_;           \
    } while (0)

// in (IF driven by integer currents, or SpikeSource) -> hid (IF, LIF, Izhikevich or AdEx) with the given
// connectivity and postsynaptic model, delay 3; hid -> hid sparse and inhibitory, delay 1;
// hid -> out dense, no delay; out -> hid dense, no delay (the last population feeds back, so
// its spike list must be complete before the next step). All weights are whole numbers.
NetworkSpec integerNetwork(bool spikeSource, const std::string& model, const std::string& psm,
                           ConnectivityType type) {
    constexpr int n = 24;
    NetworkSpec s;
    s.populations = {spikeSource ? population("in", n, "SpikeSource") : population("in", n, "IF", {{"Vthr", 3.0}}),
                     model == "IF"    ? population("hid", n, "IF", {{"Vthr", 4.0}})
                     : model == "LIF" ? population("hid", n, "LIF", {{"C", 1.0}, {"TauM", 10.0}, {"TauRefrac", 2.0}})
                     : model == "AdEx" ? population("hid", n, "AdEx")
                                       : population("hid", n, "Izhikevich", {{"a", 0.1}, {"d", 2.0}}),
                     population("out", 6, "IF", {{"Vthr", 3.0}})};
    for (auto& p : s.populations) p.record.spikes = true;
    s.populations[1].record.variables = {model == "IF" ? "V" : model == "LIF" ? "RefracTime" : model == "AdEx" ? "w" : "U"};
    std::mt19937 rng(5);
    const auto integers = [&rng](std::size_t count, int low, int high) {
        std::uniform_int_distribution<int> d(low, high);
        std::vector<double> v(count);
        for (auto& x : v) x = d(rng);
        return v;
    };
    // LIF: 10 nA moves V by ~10 mV; Izhikevich alike; AdEx (0.281 nF, 1 ms): 1 nA moves V by ~3.6 mV
    const double scale = model == "IF" || model == "AdEx" ? 1.0 : 10.0;
    ProjectionSpec main;
    switch (type) {
    case ConnectivityType::Dense: main = projection("in_hid", "in", "hid", inlineWeights(integers(n * n, -1, 2)), type, 3); break;
    case ConnectivityType::OneToOne: main = projection("in_hid", "in", "hid", inlineWeights(integers(n, 1, 3)), type, 3); break;
    case ConnectivityType::FixedProbability:
        main = projection("in_hid", "in", "hid", constantWeight(2.0), type, 3);
        main.connectivity.probability = 0.4;
        break;
    case ConnectivityType::Sparse:
        main = projection("in_hid", "in", "hid", inlineWeights(integers(3 * n, 1, 3)), type, 3);
        for (int i = 0; i < n; ++i)
            for (int k : {0, 5, 11}) {
                main.connectivity.pre.push_back(i);
                main.connectivity.post.push_back((i + k) % n);
            }
        break;
    }
    for (auto& w : main.weights.values) w *= scale;
    if (main.weights.type == WeightInitType::Constant) main.weights.value *= scale;
    main.postsynaptic = {psm, psm == "ExpCurr" ? ParamValues{{"tau", 3.0}} : ParamValues{}};
    s.projections.push_back(main);
    auto recurrent = projection("hid_hid", "hid", "hid", constantWeight(-1.0 * scale), ConnectivityType::FixedProbability, 1);
    recurrent.connectivity.probability = 0.3;
    s.projections.push_back(recurrent);
    s.projections.push_back(projection("hid_out", "hid", "out", inlineWeights(integers(n * 6, 0, 2)), ConnectivityType::Dense));
    auto feedback = projection("out_hid", "out", "hid", inlineWeights(integers(6 * n, -1, 1)), ConnectivityType::Dense);
    for (auto& w : feedback.weights.values) w *= scale;
    s.projections.push_back(feedback);
    return s;
}

// Copy b's input: integer currents, or a train with unsorted and repeated entries.
void feed(Backend& backend, bool spikeSource, int b) {
    std::mt19937 rng(std::uint32_t(100 + b));
    if (!spikeSource) {
        std::vector<float> current(24);
        for (auto& c : current) c = float(rng() % 3);
        backend.setInputCurrent(0, b, current);
        return;
    }
    SpikeTrain train;
    train.steps = 90;
    train.stepStart.push_back(0);
    for (int s = 0; s < train.steps; ++s) {
        for (int k = 0, count = int(rng() % 9); k < count; ++k) train.inputs.push_back(std::uint32_t(rng() % 24));
        train.stepStart.push_back(std::int64_t(train.inputs.size()));
    }
    backend.setInputSpikes(0, b, std::move(train));
}

struct Outcome {
    std::vector<std::vector<SpikeEvent>> spikes;  // per population and copy
    std::vector<std::vector<std::uint32_t>> counts;
    std::vector<std::vector<float>> states;       // hid's V, per copy
    std::vector<std::vector<StateSample>> samples;  // hid's recorded variable, per copy
};

Outcome collect(const Backend& backend) {
    Outcome o;
    const auto& hid = backend.network().populations[1];
    for (int b = 0; b < backend.batch(); ++b) {
        for (int p = 0; p < 3; ++p) {
            o.spikes.push_back(backend.spikes(p, b).all());
            o.counts.push_back(counts(backend, p, b));
        }
        o.states.push_back(state(backend, 1, "V", b));
        o.samples.push_back(backend.states(1, hid.record.variables[0], b).all());
    }
    return o;
}

void expectSame(const Outcome& cpu, const Outcome& gpu, const std::string& what) {
    ASSERT_EQ(cpu.spikes.size(), gpu.spikes.size()) << what;
    for (std::size_t i = 0; i < cpu.spikes.size(); ++i) {
        EXPECT_EQ(cpu.spikes[i], gpu.spikes[i]) << what << ", population/copy " << i;
        EXPECT_EQ(cpu.counts[i], gpu.counts[i]) << what << ", population/copy " << i;
    }
    EXPECT_EQ(cpu.states, gpu.states) << what;
    ASSERT_EQ(cpu.samples.size(), gpu.samples.size()) << what;
    for (std::size_t b = 0; b < cpu.samples.size(); ++b) {
        ASSERT_EQ(cpu.samples[b].size(), gpu.samples[b].size()) << what;
        for (std::size_t k = 0; k < cpu.samples[b].size(); ++k) {
            EXPECT_EQ(cpu.samples[b][k].step, gpu.samples[b][k].step) << what;
            EXPECT_EQ(cpu.samples[b][k].values, gpu.samples[b][k].values) << what << ", step " << k;
        }
    }
}

std::unique_ptr<Backend> make(const std::string& kind, const NetworkSpec& spec, int batch) {
    BackendOptions o;
    o.batch = batch;
    return createBackend(kind, compileNetwork(spec, "."), o);
}

// Two presentations with a reset between them, inputs replaced for the second.
Outcome run(const std::string& kind, const NetworkSpec& spec, bool spikeSource, int batch) {
    auto backend = make(kind, spec, batch);
    EXPECT_EQ(backend->name(), kind);
    for (int b = 0; b < batch; ++b) feed(*backend, spikeSource, b);
    backend->advance(60);
    backend->resetState();
    backend->clearInputs();
    for (int b = 0; b < batch; ++b) feed(*backend, spikeSource, (b + 1) % batch);
    backend->advance(45);
    return collect(*backend);
}

std::uint64_t totalSpikes(const Outcome& o, std::size_t population) {
    std::uint64_t n = 0;
    for (std::size_t i = population; i < o.counts.size(); i += 3)
        for (auto c : o.counts[i]) n += c;
    return n;
}

} // namespace

TEST(CudaFallback, AskingForCudaWithoutDeviceGivesCpuAndSaysWhy_cuda) {
#ifndef SPIKELAB_HAVE_CUDA
    EXPECT_EQ(availableBackends(), std::vector<std::string>{"cpu"});
    const auto message = errorOf([] { requireBackend("cuda"); });
    EXPECT_CONTAINS(message, "this build of SpikeLab has no CUDA backend");
#else
    if (cudaSkipReason().empty()) GTEST_SKIP() << "a CUDA device is present; the fallback is not taken";
    EXPECT_EQ(availableBackends(), std::vector<std::string>{"cpu"});
    EXPECT_NO_THROW(requireBackend("cuda"));
    const auto net = compileNetwork(tinyNetwork(), ".");
    auto backend = createBackend("cuda", net);
    EXPECT_EQ(backend->name(), "cpu");
    const std::string notice = backendNotice();
    EXPECT_CONTAINS(notice, "backend \"cuda\": no ");
    EXPECT_CONTAINS(notice, "; using the CPU backend");
    // "auto" falls back silently, and a later successful request clears the notice.
    EXPECT_EQ(createBackend("auto", net)->name(), "cpu");
    EXPECT_EQ(backendNotice(), "");
    // The fallback backend works.
    backend->setInputCurrent(0, 0, std::vector<float>{1.0f, 0.0f});
    backend->advance(3);
    EXPECT_EQ(state(*backend, 0, "V"), (std::vector<float>{3.0f, 0.0f}));
#endif
    EXPECT_CONTAINS(errorOf([] { requireBackend("tpu"); }), "unknown backend \"tpu\"");
}

TEST(CpuVsCuda, IntegerNetworksEveryModelAndConnectivityAndBatch_cuda) {
    REQUIRE_CUDA();
    for (bool spikeSource : {false, true})
        for (const std::string model : {"IF", "LIF", "Izhikevich", "AdEx"})
            for (const std::string psm : {"DeltaCurr", "ExpCurr"})
                for (auto type : {ConnectivityType::Dense, ConnectivityType::OneToOne,
                                  ConnectivityType::FixedProbability, ConnectivityType::Sparse})
                    for (int batch : kBatchSizes) {
                        const std::string what = std::string(spikeSource ? "SpikeSource" : "IF") + " -> " +
                                                 model + ", " + psm + ", connectivity " +
                                                 std::to_string(int(type)) + ", batch " + std::to_string(batch);
                        const auto spec = integerNetwork(spikeSource, model, psm, type);
                        const Outcome cpu = run("cpu", spec, spikeSource, batch);
                        ASSERT_GT(totalSpikes(cpu, 1), 0u) << what << ": the hidden layer must fire";
                        ASSERT_GT(totalSpikes(cpu, 2), 0u) << what << ": the output layer must fire";
                        expectSame(cpu, run("cuda", spec, spikeSource, batch), what);
                    }
}

TEST(CpuVsCuda, StateWritesAndParameterChangesMidRun_cuda) {
    REQUIRE_CUDA();
    const auto spec = integerNetwork(false, "LIF", "ExpCurr", ConnectivityType::Dense);
    std::vector<Outcome> outcomes;
    std::vector<std::string> errors;
    for (const std::string kind : {"cpu", "cuda"}) {
        auto b = make(kind, spec, 3);
        for (int i = 0; i < 3; ++i) feed(*b, false, i);
        b->advance(30);
        b->writeState(1, "V", 1, std::vector<float>(24, -52.0f));
        b->setParam(1, "Vthresh", -53.0);
        b->setParam(0, "Vthr", 2.0);
        b->advance(20);
        EXPECT_EQ(state(*b, 1, "SpikeCount", 2).size(), 24u);
        errors.push_back(errorOf([&] { b->setParam(1, "TauM", -1.0); }));
        errors.push_back(errorOf([&] { b->setParam(1, "Vthr", 1.0); }));
        errors.push_back(errorOf([&] { b->writeState(1, "RefracTime", 0, std::vector<float>(24, -1.0f)); }));
        std::vector<float> values(24);
        errors.push_back(errorOf([&] { b->readState(1, "W", 0, values); }));
        b->advance(25);  // the rejected changes changed nothing
        outcomes.push_back(collect(*b));
        std::vector<float> spikeCount(24);
        b->readState(1, "SpikeCount", 2, spikeCount);
        EXPECT_EQ(spikeCount, std::vector<float>(outcomes.back().counts[2 * 3 + 1].begin(),
                                                 outcomes.back().counts[2 * 3 + 1].end()));
    }
    expectSame(outcomes[0], outcomes[1], "after writeState and setParam");
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_NE(errors[i], "(no error)");
        EXPECT_EQ(errors[i], errors[i + 4]);
    }
}

TEST(CpuVsCuda, RecordingsCopiedBackInSeveralBlocks_cuda) {
    REQUIRE_CUDA();
#ifdef SPIKELAB_HAVE_CUDA
    const auto spec = integerNetwork(false, "IF", "DeltaCurr", ConnectivityType::Sparse);
    const auto net = compileNetwork(spec, ".");
    BackendOptions o;
    o.batch = 3;
    o.spikeCapacity = 150;  // small enough to overflow: drops must match too
    auto cpu = createBackend("cpu", net, o);
    cuda::CudaBackend gpu(net, o, 7);
    ASSERT_EQ(gpu.recordBlockSteps(), 7);
    for (Backend* b : {cpu.get(), static_cast<Backend*>(&gpu)}) {
        for (int i = 0; i < 3; ++i) feed(*b, false, i);
        b->advance(5);
        b->spikes(1, 0);                 // a read in the middle of a block
        b->advance(16);                  // crosses two block boundaries
        b->setStateRecording(1, {"V"}, {3, 0, 17});
        b->advance(30);
        b->clearRecordings();
        b->advance(9);
    }
    expectSame(collect(*cpu), collect(gpu), "recordings in blocks of 7 steps");
    for (int p = 0; p < 3; ++p) {
        EXPECT_EQ(cpu->spikes(p, 2).total(), gpu.spikes(p, 2).total());
        EXPECT_EQ(cpu->spikes(p, 2).dropped(), gpu.spikes(p, 2).dropped());
    }
    EXPECT_EQ(gpu.states(1, "V", 0).all().size(), 9u);
#endif
}

// Hodgkin-Huxley, five state variables and nine maths calls a step, at dt = 0.1 ms: the device
// gives the CPU's spikes, V and gates for currents from silence to repetitive firing.
TEST(CpuVsCuda, HodgkinHuxleyGivesTheCpusSpikesAndGates_cuda) {
    REQUIRE_CUDA();
    NetworkSpec spec;
    spec.experiment.dt = 0.1;
    spec.populations = {population("hh", 24, "HodgkinHuxley")};
    spec.populations[0].record.spikes = true;
    spec.populations[0].record.variables = {"m", "V"};
    std::vector<std::vector<SpikeEvent>> spikes;
    std::vector<std::vector<float>> states;
    for (const std::string kind : {"cpu", "cuda"}) {
        auto b = make(kind, spec, 2);
        ASSERT_EQ(b->name(), kind);
        for (int copy = 0; copy < 2; ++copy) {
            std::vector<float> current(24);
            for (std::size_t i = 0; i < current.size(); ++i) current[i] = 0.5f * float(i) + float(copy);
            b->setInputCurrent(0, copy, current);
        }
        b->advance(600);
        for (int copy = 0; copy < 2; ++copy) {
            spikes.push_back(b->spikes(0, copy).all());
            for (const std::string variable : {"V", "m", "h", "n"}) states.push_back(state(*b, 0, variable, copy));
        }
    }
    ASSERT_GT(spikes[0].size(), 50u);
    EXPECT_EQ(spikes[0], spikes[2]);
    EXPECT_EQ(spikes[1], spikes[3]);
    for (std::size_t k = 0; k < 8; ++k) EXPECT_EQ(states[k], states[k + 8]) << "copy/variable " << k;
}

namespace {
// The built-in `model`'s declaration under another name, as a project carries it: its code is
// compiled while SpikeLab runs (a step library on the device, step_library.h), not built in.
NeuronModelDeclaration typedCopy(const std::string& model, const std::string& name) {
    NeuronModelDeclaration copy = *neuronModel(model, "test").declaration;
    copy.name = name;
    return copy;
}

// integerNetwork's with the hidden layer's model and the output's typed in the project: a
// noisy Izhikevich (random numbers on the device too) and a typed IF.
NetworkSpec typedNetwork(ConnectivityType type) {
    NetworkSpec spec = integerNetwork(false, "Izhikevich", "ExpCurr", type);
    NeuronModelDeclaration noisy = typedCopy("Izhikevich", "NoisyIzhikevich");
    noisy.sim = "V += 0.5f * gennrand_normal();\n" + noisy.sim;
    spec.models = {noisy, typedCopy("IF", "TypedIF")};
    spec.populations[1].model = "NoisyIzhikevich";
    spec.populations[2].model = "TypedIF";
    return spec;
}
} // namespace

// A network with the project's own models runs on the device, in a step library compiled for
// it, with the CPU's floats: spikes, states, recordings, for every connectivity and batch size.
TEST(CpuVsCuda, ProjectModelsRunInAStepLibraryCompiledForTheNetwork_cuda) {
    REQUIRE_CUDA();
    for (auto type : {ConnectivityType::Dense, ConnectivityType::Sparse})
        for (int batch : kBatchSizes) {
            const std::string what = "typed models, connectivity " + std::to_string(int(type)) + ", batch " +
                                     std::to_string(batch);
            const NetworkSpec spec = typedNetwork(type);
            const Outcome cpu = run("cpu", spec, false, batch);
            ASSERT_GT(totalSpikes(cpu, 1), 0u) << what;
            ASSERT_GT(totalSpikes(cpu, 2), 0u) << what;
            expectSame(cpu, run("cuda", spec, false, batch), what);
            EXPECT_EQ(backendNotice(), "") << what;
        }
}

// Apply in the model editor on the device: the hidden layer changes to a typed model between
// two steps and back to a built-in one, as on the CPU; the step library follows the models.
TEST(CpuVsCuda, AModelChangesMidRunOnTheDevice_cuda) {
    REQUIRE_CUDA();
    NetworkSpec spec = typedNetwork(ConnectivityType::Dense);
    spec.populations[1].model = "Izhikevich";
    spec.populations[2].model = "IF";
    const CompiledNetwork net = compileNetwork(spec, ".");
    const NeuronModelInfo& noisy = neuronModel(spec, "NoisyIzhikevich", "test");
    const NeuronModelInfo& builtin = neuronModel(spec, "Izhikevich", "test");
    const auto values = [](const NeuronModelInfo& model, bool initial) {
        std::vector<double> out;
        for (const auto& p : initial ? model.state : model.params) out.push_back(p.defaultValue);
        return out;
    };
    std::vector<Outcome> outcomes;
    for (const std::string kind : {"cpu", "cuda"}) {
        BackendOptions o;
        o.batch = 2;
        auto b = createBackend(kind, net, o);
        ASSERT_EQ(b->name(), kind);
        for (int i = 0; i < 2; ++i) feed(*b, false, i);
        b->advance(20);
        b->setNeuronModel(1, noisy, values(noisy, false), values(noisy, true));
        b->advance(25);
        b->setNeuronModel(1, builtin, values(builtin, false), values(builtin, true));
        b->advance(15);
        outcomes.push_back(collect(*b));
        EXPECT_EQ(b->network().populations[1].model, &builtin);
    }
    ASSERT_GT(totalSpikes(outcomes[0], 1), 0u);
    expectSame(outcomes[0], outcomes[1], "a model applied mid-run");
}

TEST(CpuVsCuda, SpikeTrainsStartAtTheCurrentStepAndAreChecked_cuda) {
    REQUIRE_CUDA();
    const auto spec = integerNetwork(true, "IF", "DeltaCurr", ConnectivityType::OneToOne);
    std::vector<Outcome> outcomes;
    for (const std::string kind : {"cpu", "cuda"}) {
        auto b = make(kind, spec, 2);
        b->advance(7);  // trains begin mid-run
        feed(*b, true, 0);
        b->advance(11);
        feed(*b, true, 1);  // copy 1 starts later than copy 0
        b->advance(95);
        outcomes.push_back(collect(*b));
    }
    expectSame(outcomes[0], outcomes[1], "spike trains");
    EXPECT_GT(totalSpikes(outcomes[0], 0), 0u);
    EXPECT_GE(outcomes[0].spikes[0].front().step, 7);

    // A step with more spikes than the population has neurons is refused, naming it.
    auto gpu = make("cuda", spec, 1);
    SpikeTrain crowded;
    crowded.steps = 1;
    crowded.inputs.assign(25, 3u);
    crowded.stepStart = {0, 25};
    EXPECT_CONTAINS(errorOf([&] { gpu->setInputSpikes(0, 0, crowded); }),
                    "population \"in\": 25 input spikes at step 0 but it has 24 neurons");
    EXPECT_CONTAINS(errorOf([&] { gpu->setInputSpikes(1, 0, SpikeTrain{}); }),
                    "only a SpikeSource population takes input spikes");
}

namespace {
void expectSameEvaluation(const std::string& project, const SampleSource& samples) {
    const auto net = compileNetwork(loadProject(project), projectDir(project));
    EvaluationOptions o;
    o.batch = kImages > 0 ? 25 : 1000;
    o.samples = kImages;
    const auto cpu = evaluate(net, samples, o);
    o.backend = "cuda";
    const auto gpu = evaluate(net, samples, o);
    EXPECT_EQ(gpu.backend, "cuda");
    EXPECT_EQ(cpu.correct, gpu.correct);
    EXPECT_EQ(cpu.confusion, gpu.confusion);
    EXPECT_EQ(cpu.spikesPerSample, gpu.spikesPerSample);
    EXPECT_GT(cpu.accuracy, 0.5);
}
} // namespace

TEST(CpuVsCuda, MnistProjectSameAccuracyAndSpikes_cuda) {
    REQUIRE_CUDA();
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    const auto data = loadImageDataset("mnist", "test", (sharedDataDir() / "mnist").string());
    expectSameEvaluation((sourceDir() / "projects/mnist-if/mnist-if.json").string(), ImageSamples(data));
}

TEST(CpuVsCuda, FashionMnistProjectSameAccuracyAndSpikes_cuda) {
    REQUIRE_CUDA();
    const std::filesystem::path dir = "/usr/share/datasets/fashion-mnist";
    if (!std::filesystem::exists(dir / "t10k-images-idx3-ubyte.gz"))
        GTEST_SKIP() << "Fashion-MNIST not installed in " << dir.string() << " (Debian: dataset-fashion-mnist)";
    const auto data = loadImageDataset("fashion-mnist", "test", dir.string());
    expectSameEvaluation((sourceDir() / "projects/fashion-mnist-if/fashion-mnist-if.json").string(),
                         ImageSamples(data));
}
