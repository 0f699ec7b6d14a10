// A project's own neuron models ("models" in the project file): read, written, checked and
// looked up by the populations that name them (docs/architecture.md, "The model language").
#include "spec_builders.h"
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/export.h"
#include "spikelab/models.h"
#include "spikelab/project.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// The MNIST tutorial's IF neuron as GeNN users type it.
NeuronModelDeclaration typedIf(const std::string& name = "GennIF") {
    NeuronModelDeclaration m;
    m.name = name;
    m.description = "GeNN's tutorial IF neuron, typed";
    ParamInfo vthr, v;
    vthr.name = "Vthr";
    vthr.unit = v.unit = "mV";
    vthr.defaultValue = 5.0;
    v.name = "V";
    m.parameters = {vthr};
    m.state = {v};
    m.sim = "V += Isyn;";
    m.threshold = "V >= Vthr";
    m.reset = "V = 0;";
    m.voltage = "V";
    m.thresholdParameter = "Vthr";
    return m;
}

NetworkSpec projectWith(std::vector<NeuronModelDeclaration> models, const std::string& populationModel) {
    NetworkSpec spec;
    spec.name = "typed";
    spec.models = std::move(models);
    spec.populations = {population("hidden", 10, populationModel, {{"Vthr", 2.0}})};
    return spec;
}

std::string errorOf(const NetworkSpec& spec) {
    try {
        validate(spec);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

std::string readError(const std::string& text) {
    try {
        projectFromJson(text, "file \"t.json\"");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

// The run-time compiler's cache goes to a folder of these tests' own, never the user's.
class JitCacheEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        dir_ = std::make_unique<TempDir>();
        ::setenv("XDG_CACHE_HOME", dir_->path().c_str(), 1);
    }
    void TearDown() override { dir_.reset(); }

private:
    std::unique_ptr<TempDir> dir_;
};
[[maybe_unused]] ::testing::Environment* const kJitCache = ::testing::AddGlobalTestEnvironment(new JitCacheEnvironment);

// Sets an environment variable for a scope and puts the old value back.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value, 1);
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// Runs the first `samples` MNIST test images through the project with every population's
// neuron model replaced by `model` (declared by the project when `typed` is given).
EvaluationResult runMnist(const ImageDataset& data, const std::string& model,
                          const std::optional<NeuronModelDeclaration>& typed, const ParamValues& params,
                          std::int64_t samples) {
    const std::string path = (sourceDir() / "projects/mnist-if/mnist-if.json").string();
    NetworkSpec spec = loadProject(path);
    if (typed) spec.models = {*typed};
    for (auto& p : spec.populations) {
        p.model = model;
        if (!params.empty()) p.params = params;
    }
    EvaluationOptions options;
    options.samples = samples;
    return evaluate(compileNetwork(spec, projectDir(path)), data, options);
}

void expectSameRun(const EvaluationResult& a, const EvaluationResult& b, const std::string& what) {
    EXPECT_EQ(a.samples, b.samples) << what;
    EXPECT_EQ(a.correct, b.correct) << what;
    EXPECT_EQ(a.confusion, b.confusion) << what;
    EXPECT_EQ(a.spikesPerSample, b.spikesPerSample) << what;
}

} // namespace

TEST(ProjectModels, TypedModelsRoundTripAndPopulationsUseThem) {
    const NetworkSpec spec = projectWith({typedIf()}, "GennIF");
    const std::string text = projectToJson(spec);
    EXPECT_CONTAINS(text, "\"models\": [");
    EXPECT_CONTAINS(text, "\"sim\": \"V += Isyn;\"");
    const NetworkSpec back = projectFromJson(text, "mem");
    EXPECT_EQ(back, spec);
    EXPECT_EQ(projectToJson(back), text);

    const CompiledNetwork net = compileNetwork(spec, ".");
    ASSERT_EQ(net.populations.size(), 1u);
    EXPECT_EQ(net.populations[0].model->name, "GennIF");
    EXPECT_EQ(net.populations[0].model->builtin, -1) << "not compiled into SpikeLab";
    EXPECT_EQ(net.populations[0].params, std::vector<double>{2.0});
    EXPECT_EQ(net.populations[0].initial, std::vector<double>{0.0});

    std::vector<std::string> names;
    for (const auto* m : neuronModels(spec)) names.push_back(m->name);
    EXPECT_EQ(names.back(), "GennIF");
    EXPECT_EQ(names.size(), neuronModels().size() + 1);
}

// Equal declarations share one registry entry (and so one compiled kernel); an edited model is
// another entry, and the old one stays valid for a backend still built from it.
TEST(ProjectModels, EntriesAreSharedByEqualDeclarationsAndOutliveEdits) {
    NetworkSpec spec = projectWith({typedIf("Shared")}, "Shared");
    const NeuronModelInfo& first = neuronModel(spec, "Shared", "test");
    EXPECT_EQ(&first, &neuronModel(projectWith({typedIf("Shared")}, "Shared"), "Shared", "test"));
    spec.models[0].reset = "V = -1;";
    const NeuronModelInfo& edited = neuronModel(spec, "Shared", "test");
    EXPECT_NE(&first, &edited);
    EXPECT_EQ(first.declaration->reset, "V = 0;");
    EXPECT_EQ(edited.declaration->reset, "V = -1;");
    EXPECT_EQ(&neuronModel(spec, "LIF", "test"), &neuronModel("LIF", "test")) << "built-ins as before";
}

TEST(ProjectModels, BadModelsAreRefusedWithTheItemNamed) {
    EXPECT_EQ(errorOf(projectWith({typedIf("LIF")}, "LIF")),
              "neuron model \"LIF\": a built-in model has this name; give the project's model another");
    EXPECT_EQ(errorOf(projectWith({typedIf("A"), typedIf("A")}, "A")),
              "neuron model \"A\": the project declares two models of this name");
    NeuronModelDeclaration typo = typedIf("Typo");
    typo.sim = "V += Isyn_;";
    EXPECT_EQ(errorOf(projectWith({typo}, "Typo")),
              "neuron model \"Typo\": sim code: line 1, col 6: unknown name \"Isyn_\" (did you mean \"Isyn\"?)");
    EXPECT_CONTAINS(errorOf(projectWith({typedIf()}, "GenIF")),
                    "population \"hidden\": unknown neuron model \"GenIF\" (known: IF, LIF, SpikeSource, Izhikevich, AdEx, HodgkinHuxley, FitzHughNagumo, GennIF)");
    std::vector<NeuronModelDeclaration> many;
    for (std::size_t i = 0; i <= kMaxProjectModels; ++i) many.push_back(typedIf("M" + std::to_string(i)));
    EXPECT_EQ(errorOf(projectWith(many, "M0")), "the project declares 65 neuron models; at most 64");

    // In a file, the error names the file and the entry.
    std::string text = projectToJson(projectWith({typedIf()}, "GennIF"));
    text.replace(text.find("V += Isyn;"), 10, "V += Isyn_;");
    EXPECT_EQ(readError(text), "file \"t.json\": models[0]: neuron model \"GennIF\": sim code: "
                               "line 1, col 6: unknown name \"Isyn_\" (did you mean \"Isyn\"?)");
}

// The MNIST tutorial's IF typed in GeNN's syntax gives, on 1,000 test images, exactly the
// built-in IF's predictions and spikes, compiled at run time and in the interpreter alike.
TEST(ProjectModels, TypedIfGivesTheBuiltInIfsSpikesOnMnist) {
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    const ImageDataset data = loadImageDataset("mnist", "test", (sharedDataDir() / "mnist").string());
    const auto builtin = runMnist(data, "IF", std::nullopt, {}, 1000);
    EXPECT_GT(builtin.accuracy, 0.9);
    EXPECT_GT(builtin.spikesPerSample[1], 10.0) << "the hidden layer spikes";
    expectSameRun(builtin, runMnist(data, "GennIF", typedIf(), {}, 1000), "compiled at run time");
    const ScopedEnv noCompiler("SPIKELAB_CC", "/nonexistent/cc");
    expectSameRun(builtin, runMnist(data, "GennIF", typedIf(), {}, 1000), "interpreted");
}

// The built-in LIF's declaration taken into a project under another name runs through the
// run-time path and gives the built-in's spikes.
TEST(ProjectModels, TypedLifGivesTheBuiltInLifsSpikesOnMnist) {
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    const ImageDataset data = loadImageDataset("mnist", "test", (sharedDataDir() / "mnist").string());
    NeuronModelDeclaration lif = *neuronModel("LIF", "test").declaration;
    lif.name = "TypedLIF";
    const ParamValues params = {{"TauM", 10.0}, {"Vthresh", -60.0}};
    const auto builtin = runMnist(data, "LIF", std::nullopt, params, 300);
    EXPECT_GT(builtin.spikesPerSample[0], 100.0) << "the input layer spikes";
    EXPECT_GT(builtin.spikesPerSample[1], 1.0) << "the hidden layer spikes";
    expectSameRun(builtin, runMnist(data, "TypedLIF", lif, params, 300), "compiled at run time");
    const ScopedEnv noCompiler("SPIKELAB_CC", "/nonexistent/cc");
    expectSameRun(builtin, runMnist(data, "TypedLIF", lif, params, 300), "interpreted");
}

// A noisy model: each batch copy draws its own numbers, a new backend draws the same ones
// again, and without a compiler the interpreter draws them too, with a notice that says how to
// get full speed.
TEST(ProjectModels, NoisyModelsDrawPerCopyTheSameInTheInterpreter) {
    NeuronModelDeclaration noisy = typedIf("Noisy");
    ParamInfo sigma;
    sigma.name = "sigma";
    sigma.defaultValue = 0.5;
    noisy.parameters.push_back(sigma);
    noisy.sim = "V += Isyn + sigma * gennrand_normal();\nif (gennrand_uniform() < 0.01) { V += 1; }";
    NetworkSpec spec = projectWith({noisy}, "Noisy");
    spec.populations[0].size = 300;
    const CompiledNetwork net = compileNetwork(spec, ".");
    BackendOptions options;
    options.batch = 2;
    const auto finalV = [&](int copy) {
        auto backend = createBackend("cpu", net, options);
        backend->advance(200);
        std::vector<float> v(300);
        backend->readState(0, "V", copy, v);
        std::vector<std::uint32_t> counts(300);
        backend->spikeCounts(0, copy, counts);
        std::uint32_t spikes = 0;
        for (auto c : counts) spikes += c;
        EXPECT_GT(spikes, 100u);
        return v;
    };
    const auto first = finalV(0);
    EXPECT_EQ(backendNotice(), "") << "compiled: full speed";
    EXPECT_NE(first, finalV(1)) << "each copy draws its own numbers";
    EXPECT_EQ(first, finalV(0)) << "the same numbers again";
    const ScopedEnv noCompiler("SPIKELAB_CC", "/nonexistent/cc");
    EXPECT_EQ(first, finalV(0)) << "the interpreter draws the same numbers";
    EXPECT_CONTAINS(backendNotice(), "neuron model \"Noisy\" runs in the interpreter, more slowly: ");
    EXPECT_CONTAINS(backendNotice(), "SPIKELAB_CC");
}

#ifdef SPIKELAB_HAVE_CUDA
// The CUDA backend runs a project's own models in a step library (tests/engine/
// test_cuda_backend.cpp); one with more state variables than its tables hold goes to the CPU
// backend, and the notice says why.
TEST(ProjectModels, CudaGivesAModelTooLargeForItsTablesToTheCpuBackend) {
    NeuronModelDeclaration wide = typedIf("Wide");
    for (int v = 1; v <= 8; ++v) {
        ParamInfo extra;
        extra.name = "x" + std::to_string(v);
        wide.state.push_back(extra);
    }
    const CompiledNetwork net = compileNetwork(projectWith({wide}, "Wide"), ".");
    const auto backend = createBackend("cuda", net);
    EXPECT_EQ(backend->name(), "cpu");
    EXPECT_EQ(backendNotice(), "backend \"cuda\": population \"hidden\": neuron model \"Wide\" has 9 state variables; "
                               "the CUDA backend holds at most 8; using the CPU backend");
}
#endif

// A threshold that is a number means "not zero" in compiled code too (0.25 spikes).
TEST(ProjectModels, ANumberAsThresholdMeansNotZeroCompiledAndInterpreted) {
    NeuronModelDeclaration fraction = typedIf("Fraction");
    fraction.sim = "V = Isyn + 0.25;";
    fraction.threshold = "V";
    fraction.thresholdParameter.clear();
    const CompiledNetwork net = compileNetwork(projectWith({fraction}, "Fraction"), ".");
    const auto spikes = [&] {
        auto backend = createBackend("cpu", net);
        backend->advance(7);
        std::vector<std::uint32_t> counts(10);
        backend->spikeCounts(0, 0, counts);
        return counts;
    };
    EXPECT_EQ(spikes(), std::vector<std::uint32_t>(10, 7u));
    const ScopedEnv noCompiler("SPIKELAB_CC", "/nonexistent/cc");
    EXPECT_EQ(spikes(), std::vector<std::uint32_t>(10, 7u));
}

// Apply in the model editor: a population takes another model between two steps. Its state
// goes on where the models share variables (V, RefracTime), a new variable starts at its
// initial value, spike counts go on, and the other population runs as if nothing happened.
TEST(ProjectModels, APopulationChangesItsModelBetweenTwoSteps) {
    NeuronModelDeclaration counting = *neuronModel("LIF", "test").declaration;
    counting.name = "CountingLIF";
    ParamInfo w;
    w.name = "w";
    w.defaultValue = 3.0;
    counting.state.push_back(w);
    counting.sim += "\nw += 1;";
    NetworkSpec before;
    before.populations = {population("a", 20, "LIF", {{"TauRefrac", 3.0}}), population("b", 20, "LIF")};
    NetworkSpec after = before;
    after.models = {counting};
    after.populations[0].model = "CountingLIF";
    const CompiledNetwork netBefore = compileNetwork(before, "."), netAfter = compileNetwork(after, ".");
    std::vector<float> current(20);
    for (std::size_t i = 0; i < current.size(); ++i) current[i] = 0.5f + 0.1f * float(i);
    const auto drive = [&](Backend& backend) {
        backend.setInputCurrent(0, 0, current);
        backend.setInputCurrent(1, 0, current);
    };
    const auto read = [](const Backend& backend, int p, const std::string& variable) {
        std::vector<float> v(20);
        backend.readState(p, variable, 0, v);
        return v;
    };
    const auto counts = [](const Backend& backend, int p) {
        std::vector<std::uint32_t> c(20);
        backend.spikeCounts(p, 0, c);
        return c;
    };

    auto swapped = createBackend("cpu", netBefore);
    drive(*swapped);
    swapped->advance(30);
    const auto v30 = read(*swapped, 0, "V"), refractory30 = read(*swapped, 0, "RefracTime");
    const auto counts30 = counts(*swapped, 0);
    const CompiledPopulation& a = netAfter.populations[0];
    swapped->setNeuronModel(0, *a.model, a.params, a.initial);
    EXPECT_EQ(swapped->network().populations[0].model->name, "CountingLIF");
    EXPECT_EQ(read(*swapped, 0, "V"), v30) << "shared variables keep their values";
    EXPECT_EQ(read(*swapped, 0, "w"), std::vector<float>(20, 3.0f)) << "a new variable starts at its initial value";
    swapped->advance(30);

    // The same population started at step 30's state under the new model.
    auto fresh = createBackend("cpu", netAfter);
    drive(*fresh);
    fresh->writeState(0, "V", 0, v30);
    fresh->writeState(0, "RefracTime", 0, refractory30);
    fresh->advance(30);
    EXPECT_EQ(read(*swapped, 0, "V"), read(*fresh, 0, "V"));
    EXPECT_EQ(read(*swapped, 0, "w"), std::vector<float>(20, 33.0f));
    std::uint32_t sum30 = 0, sum60 = 0;
    for (std::size_t i = 0; i < 20; ++i) {
        EXPECT_EQ(counts(*swapped, 0)[i], counts30[i] + counts(*fresh, 0)[i]) << "counts go on";
        sum30 += counts30[i];
        sum60 += counts(*swapped, 0)[i];
    }
    EXPECT_GT(sum30, 0u);
    EXPECT_GT(sum60, sum30);

    auto untouched = createBackend("cpu", netBefore);
    drive(*untouched);
    untouched->advance(60);
    EXPECT_EQ(read(*swapped, 1, "V"), read(*untouched, 1, "V")) << "the other population runs on as it was";
    EXPECT_EQ(counts(*swapped, 1), counts(*untouched, 1));

    // Back to the built-in: w goes, V stays.
    const CompiledPopulation& lif = netBefore.populations[0];
    const auto v60 = read(*swapped, 0, "V");
    swapped->setNeuronModel(0, *lif.model, lif.params, lif.initial);
    EXPECT_EQ(read(*swapped, 0, "V"), v60);
    EXPECT_THROW(read(*swapped, 0, "w"), Error);
}

// Export and import keep a project's own models.
TEST(ProjectModels, ExportAndImportKeepThem) {
    TempDir dir;
    const NetworkSpec spec = projectWith({typedIf()}, "GennIF");
    const std::string project = dir.file("p.json"), shared = dir.file("shared.json"), back = dir.file("back.json");
    saveProject(project, spec);
    exportSelfContainedFile(spec, project, shared);
    EXPECT_EQ(loadProject(shared).models, spec.models);
    importSelfContained(shared, back);
    EXPECT_EQ(loadProject(back).models, spec.models);
    EXPECT_EQ(loadProject(back).populations[0].model, "GennIF");
}
