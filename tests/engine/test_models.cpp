// Neuron models declared in the model language (spikelab/model_declaration.h): the built-ins
// come from engine/models/ through the build-time generator; declarations read strictly and
// round-trip; bad ones are refused with the item named; the generated kernels are golden
// files; Izhikevich's and AdEx's presets match Brian2 references (AdEx's firing patterns are
// recognisable, and it stays finite at a coarse dt); the generated CPU kernel computes what the
// interpreter computes.
#include "spec_builders.h"
#include "generated_code.h"
#include "test_support.h"

#include "spikelab/fileio.h"
#include "spikelab/lang.h"
#include "spikelab/model_declaration.h"
#include "spikelab/models.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <tuple>

using namespace spikelab;
using namespace spikelab::test;

namespace {

TEST(Models, TheBuiltInsComeFromTheirDeclarations) {
    std::vector<std::string> names;
    for (const auto& m : neuronModels()) names.push_back(m.name);
    EXPECT_EQ(names, (std::vector<std::string>{"IF", "LIF", "SpikeSource", "Izhikevich", "AdEx", "HodgkinHuxley",
                                               "FitzHughNagumo"}));
    for (const auto& m : neuronModels()) {
        ASSERT_TRUE(m.declaration) << m.name;
        EXPECT_EQ(m.builtin, int(&m - neuronModels().data())) << m.name;
        EXPECT_EQ(bool(m.code), !m.spikeSource) << m.name;
        // What the registry shows is the declaration in engine/models/.
        const std::map<std::string, std::string> files = {
            {"IF", "if.json"}, {"LIF", "lif.json"}, {"SpikeSource", "spike_source.json"}, {"Izhikevich", "izhikevich.json"},
            {"AdEx", "adex.json"}, {"HodgkinHuxley", "hodgkin_huxley.json"}, {"FitzHughNagumo", "fitzhugh_nagumo.json"}};
        const auto file = sourceDir() / "engine/models" / files.at(m.name);
        const NeuronModelDeclaration declared = neuronModelFromJson(readText(file), file.string());
        EXPECT_EQ(neuronModelToJson(declared), neuronModelToJson(*m.declaration)) << m.name;
    }
    const auto& lif = neuronModel("LIF", "test");
    EXPECT_EQ(lif.params.size(), 7u);
    EXPECT_EQ(lif.params[1].name, "TauM");
    EXPECT_FALSE(lif.params[1].minInclusive) << "TauM must be > 0";
    EXPECT_EQ(lif.state[1].name, "RefracTime");
    EXPECT_EQ(lif.voltage, "V");
    EXPECT_EQ(lif.threshold, "Vthresh");
    EXPECT_TRUE(neuronModel("SpikeSource", "test").spikeSource);
}

TEST(Models, IzhikevichHasThePapersPresets) {
    const auto& izh = neuronModel("Izhikevich", "test");
    std::vector<std::string> presets;
    for (const auto& p : izh.declaration->presets) presets.push_back(p.name);
    EXPECT_EQ(presets, (std::vector<std::string>{"regular spiking", "intrinsically bursting", "chattering",
                                                 "fast spiking", "low-threshold spiking", "thalamo-cortical",
                                                 "resonator"}));
    EXPECT_EQ(izh.declaration->presets[3].values, (ParamValues{{"a", 0.1}, {"b", 0.2}, {"c", -65.0}, {"d", 2.0}}));
}

TEST(Models, DeclarationsRoundTripThroughJson) {
    for (const auto& m : neuronModels()) {
        const std::string text = neuronModelToJson(*m.declaration);
        const auto again = neuronModelFromJson(text, "again");
        EXPECT_EQ(neuronModelToJson(again), text) << m.name;
        EXPECT_EQ(again.sim, m.declaration->sim) << m.name;
        EXPECT_EQ(again.parameters.size(), m.declaration->parameters.size()) << m.name;
    }
    // Ranges survive: min/max with exclusive ends, integers.
    NeuronModelDeclaration m = *neuronModel("IF", "test").declaration;
    m.parameters[0].min = -1.0;
    m.parameters[0].max = 10.0;
    m.parameters[0].maxInclusive = false;
    m.parameters[0].integer = true;
    const auto again = neuronModelFromJson(neuronModelToJson(m), "again");
    EXPECT_EQ(again.parameters[0].min, -1.0);
    EXPECT_EQ(again.parameters[0].max, 10.0);
    EXPECT_FALSE(again.parameters[0].maxInclusive);
    EXPECT_TRUE(again.parameters[0].minInclusive);
    EXPECT_TRUE(again.parameters[0].integer);
}

std::string declarationError(const std::string& text) {
    return errorOf([&] { neuronModelFromJson(text, "my.json"); });
}

TEST(Models, BadDeclarationsNameTheItem) {
    const std::string good = R"({"name": "Leaky", "parameters": [{"name": "tau", "unit": "ms", "default": 10, "range": "positive"}],
        "state": [{"name": "V", "initial": 0}], "sim": "V += (Isyn - V) / tau * dt;", "threshold": "V >= 1", "reset": "V = 0;"})";
    EXPECT_EQ(declarationError(good), "(no error)");
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string s = good;
        const auto at = s.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return s.replace(at, from.size(), to);
    };
    EXPECT_EQ(declarationError(with("\"default\": 10", "\"default\": 0")),
              "my.json: neuron model \"Leaky\": parameter \"tau\": \"default\" 0 must be > 0");
    EXPECT_EQ(declarationError(with("\"range\": \"positive\"", "\"range\": \"big\"")),
              "my.json: neuron model \"Leaky\": parameter \"tau\": \"range\" \"big\" is not one of any, positive, non-negative");
    EXPECT_EQ(declarationError(with("\"unit\": \"ms\"", "\"units\": \"ms\"")),
              "my.json: neuron model \"Leaky\": parameter \"tau\": unknown key \"units\"");
    EXPECT_EQ(declarationError(with("{\"name\": \"tau\"", "{\"name\": \"t au\"")),
              "my.json: neuron model \"Leaky\": parameter: \"name\" \"t au\" must be a name of letters, digits and _ that "
              "starts with a letter or _ (at most 64 characters)");
    EXPECT_EQ(declarationError(with("/ tau", "/ taus")),
              "my.json: neuron model \"Leaky\": sim code: line 1, col 19: unknown name \"taus\" (did you mean \"tau\"?)");
    EXPECT_EQ(declarationError(with("\"threshold\": \"V >= 1\", ", "")),
              "my.json: neuron model \"Leaky\": has no threshold condition (\"threshold\"): a neuron model says when it spikes");
    EXPECT_EQ(declarationError(with("\"reset\": \"V = 0;\"", "\"reset\": \"tau = 0;\"")),
              "my.json: neuron model \"Leaky\": reset code: line 1, col 1: \"tau\" is a parameter and cannot be assigned; "
              "only state variables and locals can");
    EXPECT_EQ(declarationError(with("\"reset\"", "\"voltage\": \"U\", \"reset\"")),
              "my.json: neuron model \"Leaky\": \"voltage\" \"U\" is not one of its state variables");
    EXPECT_EQ(declarationError(with("\"reset\"", "\"presets\": [{\"name\": \"slow\", \"values\": {\"tua\": 100}}], \"reset\"")),
              "my.json: neuron model \"Leaky\": preset \"slow\": unknown parameter \"tua\" (known: tau)");
    EXPECT_EQ(declarationError(with("\"reset\"", "\"spike_source\": true, \"reset\"")),
              "my.json: neuron model \"Leaky\": a spike source emits the spikes its inputs give it and has no parameters, "
              "state or code");
    EXPECT_EQ(declarationError(with("\"name\": \"Leaky\"", "\"name\": \"\"")),
              "my.json: \"name\" \"\" must be 1 to 64 printable characters");
    EXPECT_CONTAINS(declarationError(with("\"sim\": \"V += (Isyn - V) / tau * dt;\"", "\"sim\": [\"V +=\", 3]")),
                    "my.json: neuron model \"Leaky\": \"sim\"[1] must be a string");
    EXPECT_CONTAINS(declarationError("{\"name\": \"x\", \"name\": \"y\"}"), "has the key \"name\" twice");
}

// Code may be written as an array of lines; errors then count lines across the array.
TEST(Models, CodeAsLinesCountsLinesAcrossTheArray) {
    const std::string text = R"({"name": "Lines", "state": [{"name": "V", "initial": 0}],
        "sim": ["V += Isyn;", "V *= 0.9;", "V -= Vrest;"], "threshold": "V >= 1", "reset": "V = 0;"})";
    EXPECT_EQ(declarationError(text), "my.json: neuron model \"Lines\": sim code: line 3, col 6: unknown name \"Vrest\"");
}

// The generated code of LIF, as the build writes it, equals the golden files in
// tests/engine/golden (SPIKELAB_UPDATE_GOLDEN=1 rewrites them after a deliberate change).
TEST(Models, GeneratedLifCodeEqualsTheGoldenFiles) {
    const auto& lif = neuronModel("LIF", "test");
    expectGoldenFiles({{"lif_cpu.c", lang::printCpuNeuronKernel(*lif.code, "spikelab_neuron_LIF")},
                       {"lif_cuda.cu", lang::printCudaNeuronFunction(*lif.code, "spikelabNeuronLIF")}});
}

// The build's generated CPU kernels vectorise with the flags the CPU backend is built with
// (-O3 -ffp-contract=off -fno-trapping-math): the compiler reports each model's loop as
// vectorised. Skipped where there is no C++ compiler.
TEST(Models, GeneratedCpuKernelsVectorise) {
    if (std::system("c++ --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no C++ compiler (c++) on this machine";
    // The maths functions model code calls (spikelab_exp, ...), as the CPU backend includes them.
    const int loops = expectVectorisedLoops("#include \"lang/neuron_abi.h\"\n#include \"lang/prelude.h\"\n"
                                            "#include \"cpu_neuron_kernels.inc\"\n"
                                            "const void* keep = kBuiltinNeuronKernels;\n",
                                            SPIKELAB_GENERATED_DIR, "cpu_neuron_kernels.inc");
    EXPECT_EQ(loops, std::count_if(neuronModels().begin(), neuronModels().end(), [](const auto& m) { return bool(m.code); }))
        << "one loop per built-in model with code";
}

// A population of each built-in model, run by the CPU backend (generated kernels), equals the
// interpreter running the same declaration neuron by neuron.
TEST(Models, GeneratedCpuKernelsEqualTheInterpreter) {
    struct Case {
        std::string model;
        ParamValues params;
        float currentScale;
    };
    const Case cases[] = {{"IF", {{"Vthr", 5.0}}, 1.0f},
                          {"LIF", {{"TauM", 20.0}, {"Vreset", -70.0}}, 3.0f},
                          {"Izhikevich", {{"a", 0.02}, {"b", 0.25}, {"c", -65.0}, {"d", 2.0}}, 12.0f},
                          {"AdEx", {{"a", -0.002}, {"b", 0.05}, {"Vr", -52.0}}, 0.5f}};
    constexpr int n = 40;
    constexpr std::int64_t steps = 400;
    for (const auto& c : cases) {
        std::vector<float> currents(n);
        for (int i = 0; i < n; ++i) currents[std::size_t(i)] = c.currentScale * (float(i % 9) * 0.37f - 0.2f + float(i) * 0.011f);
        NetworkSpec spec;
        spec.experiment.dt = 0.5;
        spec.populations = {population("p", n, c.model, c.params)};
        spec.populations[0].record.spikes = true;
        auto backend = cpuBackend(spec);
        backend->setInputCurrent(0, 0, currents);
        backend->advance(steps);
        const auto compiled = backend->spikes(0, 0).all();

        const auto& model = neuronModel(c.model, "test");
        const auto& cp = backend->network().populations[0];
        const auto derived = lang::derivedValues(*model.code, cp.params, 0.5);
        std::vector<SpikeEvent> interpreted;
        for (int i = 0; i < n; ++i) {
            lang::Frame f;
            for (double p : cp.params) f.parameters.push_back(float(p));
            for (double d : derived) f.derived.push_back(float(d));
            for (double v : cp.initial) f.state.push_back(float(v));
            for (std::int64_t t = 0; t < steps; ++t) {
                f.builtins = {currents[std::size_t(i)], 0.5f, float(double(t) * 0.5)};
                lang::run(model.code->sim, f);
                if (lang::evaluate(*model.code->threshold, f) != 0.0f) {
                    lang::run(model.code->reset, f);
                    interpreted.push_back({t, std::uint32_t(i)});
                }
            }
        }
        std::sort(interpreted.begin(), interpreted.end(),
                  [](const SpikeEvent& a, const SpikeEvent& b) { return std::tie(a.step, a.neuron) < std::tie(b.step, b.neuron); });
        ASSERT_GT(compiled.size(), 20u) << c.model;
        EXPECT_EQ(compiled, interpreted) << c.model;
    }
}

// The paper's seven cell classes for four step currents over 1 s, against
// tests/reference/izhikevich_brian2.json (made by the script beside it with Brian2, in double
// precision). SpikeLab computes in float, and this discrete model amplifies rounding: Brian2
// itself in float32 keeps only its first 4 to 21 spikes on its float64 steps and ends up to 4%
// off in count. So: the first spike and the first three fall on exactly Brian2's steps, and the
// counts over the second agree to within 5% (one spike where there are fewer than 20).
constexpr std::size_t kSameSpikes = 3;
constexpr double kCountTolerance = 0.05;

TEST(Models, IzhikevichPresetsMatchTheBrian2Reference) {
    const auto reference = nlohmann::json::parse(readText(sourceDir() / "tests/reference/izhikevich_brian2.json"));
    const double dt = reference["dt_ms"];
    const std::int64_t steps = reference["steps"];
    const auto& izh = neuronModel("Izhikevich", "test");
    int checked = 0;
    for (const auto& preset : izh.declaration->presets) {
        std::vector<float> currents;
        std::vector<const nlohmann::json*> cases;
        for (const auto& c : reference["cases"])
            if (c["preset"] == preset.name) {
                currents.push_back(c["current"].get<float>());
                cases.push_back(&c);
            }
        ASSERT_FALSE(cases.empty()) << preset.name;
        NetworkSpec spec;
        spec.experiment.dt = dt;
        spec.populations = {population("p", std::int64_t(currents.size()), "Izhikevich", preset.values,
                                       {{"V", reference["initial_v"]}, {"U", reference["initial_u"]}})};
        spec.populations[0].record.spikes = true;
        auto backend = cpuBackend(spec);
        backend->setInputCurrent(0, 0, currents);
        backend->advance(steps);
        std::vector<std::vector<std::int64_t>> trains(currents.size());
        for (const auto& e : backend->spikes(0, 0).all()) trains[e.neuron].push_back(e.step);
        for (std::size_t k = 0; k < cases.size(); ++k) {
            const auto& c = *cases[k];
            const std::string what = preset.name + ", I = " + formatNumber(currents[k]);
            const auto expected = c["spike_steps"].get<std::vector<std::int64_t>>();
            const auto& got = trains[k];
            std::size_t same = 0;
            while (same < std::min(got.size(), expected.size()) && got[same] == expected[same]) ++same;
            std::int64_t apart = 0;  // the largest distance of the i-th spikes, over the spikes both have
            for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i)
                apart = std::max(apart, std::abs(got[i] - expected[i]));
            std::printf("%-24s I = %4.1f: %3zu of %3zu spikes at Brian2's steps, the others within %lld steps; "
                        "%3zu spikes in 1 s (Brian2 %3zu)\n",
                        preset.name.c_str(), double(currents[k]), same, expected.size(), (long long)apart, got.size(),
                        expected.size());
            ASSERT_FALSE(expected.empty()) << what;
            EXPECT_EQ(got.front(), c["first_spike_step"].get<std::int64_t>()) << what;
            EXPECT_GE(same, std::min<std::size_t>(expected.size(), kSameSpikes)) << what;
            const double allowed = std::max(1.0, kCountTolerance * double(expected.size()));
            EXPECT_LE(std::abs(double(got.size()) - double(expected.size())), allowed) << what;
            ++checked;
        }
    }
    EXPECT_EQ(checked, int(reference["cases"].size()));
}

// AdEx's presets are the eight firing patterns of Naud et al. (2008), Table 1, as
// tests/reference/adex_brian2.json lists them with the step current of each.
TEST(Models, AdExHasThePapersPresets) {
    const auto reference = nlohmann::json::parse(readText(sourceDir() / "tests/reference/adex_brian2.json"));
    const auto& adex = neuronModel("AdEx", "test");
    std::vector<std::string> presets;
    for (const auto& p : adex.declaration->presets) presets.push_back(p.name);
    EXPECT_EQ(presets, (std::vector<std::string>{"tonic", "adapting", "initial burst", "regular bursting",
                                                 "delayed accelerating", "delayed regular bursting", "transient",
                                                 "irregular"}));
    ASSERT_EQ(reference["cases"].size(), presets.size());
    for (std::size_t k = 0; k < presets.size(); ++k) {
        const auto& c = reference["cases"][k];
        const auto& preset = adex.declaration->presets[k];
        EXPECT_EQ(c["preset"], preset.name);
        ParamValues values;
        for (const auto& [name, value] : c["values"].items()) values[name] = value.get<double>();
        EXPECT_EQ(preset.values, values) << preset.name;
        // The preset's description names the current the paper drives it with.
        EXPECT_CONTAINS(preset.description, "I = " + formatNumber(c["current"].get<double>()) + " nA");
    }
    EXPECT_EQ(adex.threshold, "Vpeak");
    EXPECT_EQ(adex.state[1].name, "w");
}

// Each AdEx preset, from V = EL and w = 0 with its step current (Naud et al. 2008) for 500 ms at
// dt = 0.1 ms, against tests/reference/adex_brian2.json: Brian2's "euler" at the same dt, in
// double precision, which is SpikeLab's scheme (see the script). SpikeLab computes in float.
// Brian2 itself in float32 keeps every spike of the six regular patterns on its float64 steps and
// only the first 4 (delayed regular bursting) and 6 (irregular, chaotic) of the other two, with
// the same counts. So: the first spike and the first three fall on exactly Brian2's steps, and
// the counts agree to within one spike (the largest difference float32 rounding could be
// allowed; it is 0 today, see the printed figures).
constexpr std::size_t kAdExSameSpikes = 3;
constexpr std::size_t kAdExCountTolerance = 1;

struct AdExRun {
    std::vector<std::int64_t> steps;  // spike steps
    std::vector<double> isi;          // inter-spike intervals, ms
};

AdExRun runAdExPreset(const ParameterPreset& preset, double current, double dt, std::int64_t steps) {
    NetworkSpec spec;
    spec.experiment.dt = dt;
    spec.populations = {population("p", 1, "AdEx", preset.values, {{"V", preset.values.at("EL")}, {"w", 0.0}})};
    spec.populations[0].record.spikes = true;
    auto backend = cpuBackend(spec);
    const float input[] = {float(current)};
    backend->setInputCurrent(0, 0, input);
    backend->advance(steps);
    AdExRun run;
    for (const auto& e : backend->spikes(0, 0).all()) run.steps.push_back(e.step);
    for (std::size_t i = 1; i < run.steps.size(); ++i) run.isi.push_back(double(run.steps[i] - run.steps[i - 1]) * dt);
    return run;
}

TEST(Models, AdExPresetsMatchTheBrian2Reference) {
    const auto reference = nlohmann::json::parse(readText(sourceDir() / "tests/reference/adex_brian2.json"));
    const double dt = reference["dt_ms"];
    const std::int64_t steps = reference["steps"];
    const auto& adex = neuronModel("AdEx", "test");
    std::map<std::string, AdExRun> runs;
    for (const auto& c : reference["cases"]) {
        const std::string name = c["preset"];
        const auto preset = std::find_if(adex.declaration->presets.begin(), adex.declaration->presets.end(),
                                         [&](const auto& p) { return p.name == name; });
        ASSERT_NE(preset, adex.declaration->presets.end()) << name;
        const AdExRun run = runAdExPreset(*preset, c["current"].get<double>(), dt, steps);
        const auto expected = c["spike_steps"].get<std::vector<std::int64_t>>();
        const auto& got = run.steps;
        std::size_t same = 0;
        while (same < std::min(got.size(), expected.size()) && got[same] == expected[same]) ++same;
        std::printf("%-25s I = %4.2f nA: %3zu of %3zu spikes at Brian2's steps; %3zu spikes in 500 ms (Brian2 %3zu, "
                    "at dt 0.01 ms %3d); first at %6.1f ms (Brian2 %6.1f, at dt 0.01 ms %6.2f)\n",
                    name.c_str(), c["current"].get<double>(), same, expected.size(), got.size(), expected.size(),
                    c["fine_spikes"].get<int>(), got.empty() ? -1.0 : double(got.front()) * dt,
                    double(c["first_spike_step"].get<std::int64_t>()) * dt, c["fine_first_spike_ms"].get<double>());
        ASSERT_FALSE(expected.empty()) << name;
        ASSERT_FALSE(got.empty()) << name;
        EXPECT_EQ(got.front(), c["first_spike_step"].get<std::int64_t>()) << name;
        EXPECT_GE(same, std::min(expected.size(), kAdExSameSpikes)) << name;
        EXPECT_LE(std::max(got.size(), expected.size()) - std::min(got.size(), expected.size()), kAdExCountTolerance)
            << name;
        runs[name] = run;
    }
    ASSERT_EQ(runs.size(), 8u);

    // The firing patterns are recognisable (ISIs in ms).
    const auto mean = [](const std::vector<double>& v, std::size_t from, std::size_t to) {
        double sum = 0;
        for (std::size_t i = from; i < to; ++i) sum += v[i];
        return sum / double(to - from);
    };
    {  // tonic: no onset transient to speak of (every interval within 10% of the steady one), and
       // from the fifth interval on within 2%
        const auto& isi = runs["tonic"].isi;
        ASSERT_GT(isi.size(), 20u);
        const double m = mean(isi, 4, isi.size());
        for (std::size_t i = 0; i < isi.size(); ++i)
            EXPECT_NEAR(isi[i], m, (i < 4 ? 0.1 : 0.02) * m) << "tonic, interval " << i;
    }
    // Spike times fall on steps, so an interval may differ from the next by a step either way.
    const double oneStep = 1.01 * dt;
    {  // adapting: intervals never shrink and end more than 5 times as long as they start
        const auto& isi = runs["adapting"].isi;
        ASSERT_GE(isi.size(), 5u);
        for (std::size_t i = 1; i < isi.size(); ++i) EXPECT_GE(isi[i], isi[i - 1] - oneStep) << "adapting, interval " << i;
        EXPECT_GT(isi.back(), 5.0 * isi.front());
    }
    {  // initial burst: the first two intervals are under a quarter of the steady one
        const auto& isi = runs["initial burst"].isi;
        ASSERT_GE(isi.size(), 4u);
        EXPECT_LT(std::max(isi[0], isi[1]), 0.25 * isi.back());
    }
    {  // regular bursting: short intervals within bursts, long pauses between, at least three
        const auto& isi = runs["regular bursting"].isi;
        const auto [lo, hi] = std::minmax_element(isi.begin() + 2, isi.end());
        EXPECT_GT(*hi, 10.0 * *lo);
        EXPECT_GE(std::count_if(isi.begin(), isi.end(), [&](double x) { return x > 0.5 * *hi; }), 3);
    }
    {  // delayed accelerating: the first spike after 20 ms, then intervals that never grow
        const auto& r = runs["delayed accelerating"];
        EXPECT_GT(double(r.steps.front()) * dt, 20.0);
        for (std::size_t i = 1; i < r.isi.size(); ++i) EXPECT_LE(r.isi[i], r.isi[i - 1] + oneStep) << "interval " << i;
        EXPECT_LT(r.isi.back(), 0.6 * r.isi.front());
    }
    {  // delayed regular bursting: the first spike after 50 ms, then bursts and long pauses
        const auto& r = runs["delayed regular bursting"];
        EXPECT_GT(double(r.steps.front()) * dt, 50.0);
        const auto [lo, hi] = std::minmax_element(r.isi.begin(), r.isi.end());
        EXPECT_GT(*hi, 10.0 * *lo);
    }
    {  // transient: spikes at the onset only, silent for the last 400 ms
        const auto& r = runs["transient"];
        EXPECT_LT(double(r.steps.back()) * dt, 100.0);
    }
    {  // irregular: intervals vary widely (coefficient of variation over 0.4) without bursts'
       // two-valued regularity
        const auto& isi = runs["irregular"].isi;
        ASSERT_GE(isi.size(), 10u);
        const double m = mean(isi, 0, isi.size());
        double var = 0;
        for (double x : isi) var += (x - m) * (x - m);
        EXPECT_GT(std::sqrt(var / double(isi.size())) / m, 0.4);
        std::vector<double> sorted = isi;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_GT(sorted[sorted.size() / 2], 1.5 * sorted.front()) << "the median interval is not a burst's";
        EXPECT_LT(sorted[sorted.size() / 2], 0.67 * sorted.back()) << "nor a pause's";
    }
}

// At dt = 1 ms, where forward Euler alone would overflow exp, every preset stays finite (V at
// most Vpeak) under its own current and under strong currents of either sign, and still spikes.
TEST(Models, AdExStaysFiniteAtACoarseStep) {
    const auto& adex = neuronModel("AdEx", "test");
    const std::vector<float> currents = {0.0f, 0.5f, 2.0f, 20.0f, 200.0f, -20.0f, -200.0f};
    for (const auto& preset : adex.declaration->presets) {
        NetworkSpec spec;
        spec.experiment.dt = 1.0;
        spec.populations = {population("p", std::int64_t(currents.size()), "AdEx", preset.values,
                                       {{"V", preset.values.at("EL")}, {"w", 0.0}})};
        auto backend = cpuBackend(spec);
        backend->setInputCurrent(0, 0, currents);
        std::vector<float> v(currents.size()), w(currents.size());
        for (int t = 0; t < 1000; ++t) {
            backend->advance(1);
            backend->readState(0, "V", 0, v);
            backend->readState(0, "w", 0, w);
            for (std::size_t i = 0; i < currents.size(); ++i) {
                ASSERT_TRUE(std::isfinite(v[i]) && std::isfinite(w[i]))
                    << preset.name << ", I = " << currents[i] << " nA, step " << t << ": V = " << v[i] << ", w = " << w[i];
                ASSERT_LE(v[i], 0.0f) << preset.name << ": V above Vpeak";
            }
        }
        std::vector<std::uint32_t> counts(currents.size());
        backend->spikeCounts(0, 0, counts);
        EXPECT_GT(counts[3], 100u) << preset.name << ", 20 nA";
        EXPECT_GT(counts[4], 400u) << preset.name << ", 200 nA";
        EXPECT_EQ(counts[6], 0u) << preset.name << ", -200 nA";
        std::printf("%-25s dt = 1 ms, 1 s: %4u spikes at 0.5 nA, %4u at 20 nA, %4u at 200 nA\n", preset.name.c_str(),
                    counts[1], counts[3], counts[4]);
    }
}

} // namespace

namespace {
// Hodgkin-Huxley from rest with one step current per neuron for `steps` steps of dt = 0.1 ms:
// each neuron's spike steps.
std::vector<std::vector<std::int64_t>> hodgkinHuxleySpikes(const std::vector<float>& currents, std::int64_t steps) {
    NetworkSpec spec;
    spec.experiment.dt = 0.1;
    spec.populations = {population("hh", std::int64_t(currents.size()), "HodgkinHuxley")};
    spec.populations[0].record.spikes = true;
    BackendOptions options;
    options.spikeCapacity = std::size_t(steps) * currents.size();
    auto backend = createBackend("cpu", compileNetwork(spec, "."), options);
    backend->setInputCurrent(0, 0, currents);
    backend->advance(steps);
    std::vector<std::vector<std::int64_t>> spikes(currents.size());
    for (const auto& e : backend->spikes(0, 0).all()) spikes[e.neuron].push_back(e.step);
    return spikes;
}
} // namespace

// The Hodgkin-Huxley built-in from rest under each step current of
// tests/reference/hodgkin_huxley_brian2.json (200 ms, dt = 0.1 ms) against Brian2's
// exponential_euler in double precision, SpikeLab's scheme: the same number of spikes, each
// within one step of Brian2's (SpikeLab computes in float).
TEST(Models, HodgkinHuxleyMatchesTheBrian2Reference) {
    const auto reference = nlohmann::json::parse(readText(sourceDir() / "tests/reference/hodgkin_huxley_brian2.json"));
    ASSERT_EQ(reference["dt_ms"].get<double>(), 0.1);
    std::vector<float> currents;
    for (const auto& c : reference["cases"]) currents.push_back(c["current"].get<float>());
    const auto spikes = hodgkinHuxleySpikes(currents, reference["steps"].get<std::int64_t>());
    std::size_t firing = 0;
    for (std::size_t i = 0; i < currents.size(); ++i) {
        const auto& c = reference["cases"][i];
        const auto expected = c["spike_steps"].get<std::vector<std::int64_t>>();
        const auto& got = spikes[i];
        std::size_t exact = 0;
        for (std::size_t k = 0; k < std::min(got.size(), expected.size()); ++k) exact += got[k] == expected[k];
        std::printf("I = %5.1f nA: %2zu spikes (Brian2 %2zu, at dt 0.01 ms %2d), %2zu on Brian2's steps, first at "
                    "%5.1f ms (Brian2 %5.1f)\n",
                    double(currents[i]), got.size(), expected.size(), c["fine_spikes"].get<int>(), exact,
                    got.empty() ? -1.0 : double(got.front()) * 0.1,
                    expected.empty() ? -1.0 : double(expected.front()) * 0.1);
        ASSERT_EQ(got.size(), expected.size()) << "I = " << currents[i] << " nA";
        for (std::size_t k = 0; k < got.size(); ++k)
            EXPECT_LE(std::abs(got[k] - expected[k]), 1) << "I = " << currents[i] << " nA, spike " << k;
        firing += !got.empty();
    }
    EXPECT_GE(firing, 10u) << "the currents cover silence, single spikes and repetitive firing";
}

// The textbook's thresholds of the squid axon at 6.3 degC, from rest: a step current of about
// 2.3 uA/cm^2 gives one spike, and from about 6.3 uA/cm^2 the axon fires repetitively (Hodgkin
// and Huxley's model; e.g. Rinzel's analysis puts the onset of periodic firing near 6.3). Found
// on a grid of 0.01 nA, they equal Brian2's (the reference file) to that grid.
TEST(Models, HodgkinHuxleyRheobaseAndRepetitiveFiringAreTheTextbooks) {
    const auto reference = nlohmann::json::parse(readText(sourceDir() / "tests/reference/hodgkin_huxley_brian2.json"));
    constexpr std::int64_t kSteps = 2000;  // 200 ms
    constexpr std::int64_t kLast = 1500;   // firing in the last 50 ms is repetitive firing
    std::vector<float> currents;
    for (int k = 0; k <= 1000; ++k) currents.push_back(float(k) * 0.01f);  // 0 to 10 nA
    const auto spikes = hodgkinHuxleySpikes(currents, kSteps);
    double rheobase = -1, repetitive = -1;
    for (std::size_t i = 0; i < currents.size(); ++i) {
        if (rheobase < 0 && !spikes[i].empty()) rheobase = double(currents[i]);
        if (repetitive < 0 && !spikes[i].empty() && spikes[i].back() >= kLast) repetitive = double(currents[i]);
    }
    std::printf("rheobase %.2f nA (Brian2 %.2f), repetitive firing from %.2f nA (Brian2 %.2f)\n", rheobase,
                reference["rheobase_nA"].get<double>(), repetitive, reference["repetitive_onset_nA"].get<double>());
    EXPECT_GE(rheobase, 2.0);
    EXPECT_LE(rheobase, 2.6);
    EXPECT_GE(repetitive, 6.0);
    EXPECT_LE(repetitive, 6.6);
    EXPECT_NEAR(rheobase, reference["rheobase_nA"].get<double>(), 0.015);
    EXPECT_NEAR(repetitive, reference["repetitive_onset_nA"].get<double>(), 0.015);
    // Repetitive firing is sustained: at 10 nA a spike every 15 ms or so to the end.
    EXPECT_GE(spikes.back().size(), 12u);
}
