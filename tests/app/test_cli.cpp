// spikelab-cli end to end: the real binary, its exit codes, its output, and the shipped
// projects' accuracy on the real data sets (skipped when the data is absent).
#include "spikelab/backend.h"
#include "spikelab/fileio.h"
#include "spikelab/npy.h"
#include "spikelab/stimulus.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

using namespace spikelab;
using namespace spikelab::test;

namespace {

struct Result {
    int exitCode = -1;
    std::string out, err;
};

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

Result cli(const std::string& args) {
    TempDir dir;
    const std::string cmd = shellQuote(SPIKELAB_CLI) + " " + args + " >" +
                            shellQuote(dir.file("out")) + " 2>" + shellQuote(dir.file("err"));
    const int status = std::system(cmd.c_str());
    Result r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const auto out = readFile(dir.file("out")), err = readFile(dir.file("err"));
    r.out.assign(out.begin(), out.end());
    r.err.assign(err.begin(), err.end());
    return r;
}

std::string project(const char* name) {
    return shellQuote((sourceDir() / "projects" / name / (std::string(name) + ".json")).string());
}

const std::filesystem::path kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

// A tiny IDX data set: class c lights row block c of an 8x8 image (with seeded noise).
void writeBlocks(const std::filesystem::path& dir, const std::string& prefix, int count) {
    std::vector<std::uint8_t> images = {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 8};
    std::vector<std::uint8_t> labels = {0, 0, 8, 1, 0, 0, 0, 0};
    images[4] = std::uint8_t(count >> 24), images[5] = std::uint8_t(count >> 16);
    images[6] = std::uint8_t(count >> 8), images[7] = std::uint8_t(count);
    std::copy(images.begin() + 4, images.begin() + 8, labels.begin() + 4);
    std::uint32_t state = 12345;
    for (int i = 0; i < count; ++i) {
        const int c = i % 4;
        labels.push_back(std::uint8_t(c));
        for (int p = 0; p < 64; ++p) {
            state = state * 1664525u + 1013904223u;
            const bool lit = p / 16 == c;
            images.push_back(std::uint8_t(lit ? 200 + (state >> 28) : (state >> 29)));
        }
    }
    writeFileAtomic((dir / (prefix + "-images-idx3-ubyte")).string(), images);
    writeFileAtomic((dir / (prefix + "-labels-idx1-ubyte")).string(), labels);
}

} // namespace

TEST(Cli, ValidatesTheShippedProjects) {
    for (const char* name : {"mnist-if", "fashion-mnist-if"}) {
        const auto r = cli("validate " + project(name));
        EXPECT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.out.find("ok: 3 populations (922 neurons), 2 projections (101632 synapses), 1 inputs"),
                  std::string::npos)
            << r.out;
    }
}

TEST(Cli, ValidateRefusesSizesThatDoNotFitTheDataSet) {
    // Fashion-MNIST is 784 pixels of 10 classes, known without its files.
    TempDir dir;
    const auto bytes = readFile((sourceDir() / "projects/fashion-mnist-if/fashion-mnist-if.json").string());
    auto j = nlohmann::ordered_json::parse(std::string(bytes.begin(), bytes.end()));
    j["populations"][0]["size"] = 100;
    j["projections"][0]["weights"] = {{"type", "glorot"}, {"seed", 1}};
    j["projections"][1]["weights"] = {{"type", "glorot"}, {"seed", 2}};
    const std::string p = dir.file("small.json");
    writeFileAtomic(p, j.dump(2) + "\n");
    const auto r = cli("validate " + shellQuote(p));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("small.json\" does not fit its data set: input \"pixels\": population "
                         "\"input\" has 100 neurons but fashion-mnist images have 784 pixels"),
              std::string::npos)
        << r.err;
    // The readout, once the input fits.
    j["populations"][0]["size"] = 784;
    j["populations"][2]["size"] = 9;
    j["populations"][2]["record"]["neurons"] = {0};
    j["projections"][1]["weights"] = {{"type", "glorot"}, {"seed", 2}};
    writeFileAtomic(p, j.dump(2) + "\n");
    const auto r2 = cli("validate " + shellQuote(p));
    EXPECT_EQ(r2.exitCode, 1);
    EXPECT_NE(r2.err.find("experiment: readout population \"output\" has 9 neurons but fashion-mnist "
                          "has 10 classes"),
              std::string::npos)
        << r2.err;
}

TEST(Cli, BadArgumentsAndSettingsFailWithAMessage) {
    struct Case {
        std::string args, message;
    };
    const std::vector<Case> cases = {
        {"", "no command given"},
        {"run", "run needs a PROJECT file"},
        {"run x.json --samples 0", "--samples needs a whole number between 1"},
        {"run x.json --bogus", "unknown option \"--bogus\""},
        {"run /nonexistent/p.json", "file \"/nonexistent/p.json\": cannot open"},
        {"run " + project("mnist-if") + " --set hidden.Vth=3", "population \"hidden\": unknown parameter \"Vth\""},
        {"run " + project("mnist-if") + " --set hidden.Vthr=nan", "is not a finite number"},
        {"run " + project("mnist-if") + " --backend tpu", "unknown backend \"tpu\""},
    };
    for (const auto& c : cases) {
        const auto r = cli(c.args);
        EXPECT_NE(r.exitCode, 0) << c.args;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\nstderr: " << r.err;
    }
}

// Hostile files end in a message and exit 1, never in a crash (a segmentation fault from the
// stack, before the depth limit) or an endless read (/dev/zero as a weight file).
TEST(Cli, HostileFilesAreErrorsNotCrashes) {
    TempDir dir;
    const std::string deep = R"({"format": "spikelab-project", "version": 2, "name": )" +
                             std::string(200000, '[') + std::string(200000, ']') + "}";
    writeFileAtomic(dir.file("deep.json"), deep);
    auto r = cli("validate " + shellQuote(dir.file("deep.json")));
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_CONTAINS(r.err, "nests arrays and objects more than 64 deep");
    const auto base = readFile((sourceDir() / "projects/mnist-if/mnist-if.json").string());
    std::string text(base.begin(), base.end());
    const auto at = text.find("\"weights_0_1.npy\"");
    ASSERT_NE(at, std::string::npos);
    writeFileAtomic(dir.file("zero.json"), text.replace(at, 17, "\"/dev/zero\""));
    r = cli("run " + shellQuote(dir.file("zero.json")) + " --samples 1");
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_CONTAINS(r.err, "file \"/dev/zero\": is not a regular file");
}

TEST(Cli, MissingDataSetSaysWhereToPutIt) {
    TempDir empty;
    const auto r = cli("run " + project("mnist-if") + " --data " + shellQuote(empty.path().string()));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(empty.path().string()), std::string::npos) << r.err;
}

TEST(Cli, JsonRunIsIndependentOfThreadsAndBatch) {
    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << "Fashion-MNIST not installed: " << kFashion;
    const auto one = cli("run " + project("fashion-mnist-if") + " --samples 300 --threads 1 --batch 7 --json");
    const auto two = cli("run " + project("fashion-mnist-if") + " --samples 300 --threads 2 --batch 300 --json");
    ASSERT_EQ(one.exitCode, 0) << one.err;
    ASSERT_EQ(two.exitCode, 0) << two.err;
    const auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(two.out);
    EXPECT_EQ(a["samples"], 300);
    EXPECT_EQ(a["correct"], b["correct"]);
    EXPECT_EQ(a["spikes_per_sample"], b["spikes_per_sample"]);
    EXPECT_EQ(a["confusion"], b["confusion"]);
    EXPECT_EQ(a["confusion"].size(), 10u);
    EXPECT_EQ(a["threads"], 1);
    EXPECT_EQ(b["batch"], 300);
}

// A project that declares its own neuron model (GeNN's tutorial IF, typed) for its hidden layer:
// `models PROJECT` lists it, `run` gives the built-in IF's results compiled and, without a
// compiler, interpreted (with a notice on stderr), and a typo in its code names the file, the
// model, the part, the line and the column.
TEST(Cli, ProjectsOwnModelsAreListedRunAndChecked) {
    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << "Fashion-MNIST not installed: " << kFashion;
    TempDir dir;
    const auto source = sourceDir() / "projects/fashion-mnist-if";
    for (const auto& entry : std::filesystem::directory_iterator(source))
        std::filesystem::copy_file(entry.path(), dir.path() / entry.path().filename());
    auto j = nlohmann::json::parse(readFile((dir.path() / "fashion-mnist-if.json").string()));
    j["models"] = nlohmann::json::parse(R"([{"name": "GennIF", "description": "GeNN's IF, typed",
        "parameters": [{"name": "Vthr", "unit": "mV", "default": 5}], "state": [{"name": "V", "unit": "mV", "initial": 0}],
        "sim": "V += Isyn;", "threshold": "V >= Vthr", "reset": "V = 0;", "voltage": "V", "threshold_parameter": "Vthr"}])");
    j["populations"][1]["model"] = "GennIF";
    const std::string p = dir.file("typed.json");
    writeFileAtomic(p, j.dump(2) + "\n");
    TempDir cache;
    ::setenv("XDG_CACHE_HOME", cache.path().c_str(), 1);

    const auto listed = cli("models " + shellQuote(p));
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_NE(listed.out.find("### GennIF\n\nGeNN's IF, typed"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("### Izhikevich"), std::string::npos) << "the built-ins too";

    const std::string options = " --samples 200 --json";
    const auto builtin = cli("run " + project("fashion-mnist-if") + options);
    const auto typed = cli("run " + shellQuote(p) + options);
    ASSERT_EQ(builtin.exitCode, 0) << builtin.err;
    ASSERT_EQ(typed.exitCode, 0) << typed.err;
    EXPECT_EQ(typed.err, "") << "compiled: nothing to say";
    const auto a = nlohmann::json::parse(builtin.out), b = nlohmann::json::parse(typed.out);
    EXPECT_EQ(a["correct"], b["correct"]);
    EXPECT_EQ(a["confusion"], b["confusion"]);
    EXPECT_EQ(a["spikes_per_sample"], b["spikes_per_sample"]);

    ::setenv("SPIKELAB_CC", "/nonexistent/cc", 1);
    const auto interpreted = cli("run " + shellQuote(p) + options);
    ::unsetenv("SPIKELAB_CC");
    ::unsetenv("XDG_CACHE_HOME");
    ASSERT_EQ(interpreted.exitCode, 0) << interpreted.err;
    EXPECT_NE(interpreted.err.find("neuron model \"GennIF\" runs in the interpreter, more slowly"), std::string::npos)
        << interpreted.err;
    EXPECT_EQ(nlohmann::json::parse(interpreted.out)["confusion"], a["confusion"]);

    j["models"][0]["sim"] = "V += Isyn_;";
    writeFileAtomic(p, j.dump(2) + "\n");
    const auto bad = cli("validate " + shellQuote(p));
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find("file \"" + p + "\": models[0]: neuron model \"GennIF\": sim code: line 1, col 6: "
                           "unknown name \"Isyn_\" (did you mean \"Isyn\"?)"),
              std::string::npos)
        << bad.err;
}

// On a machine without a GPU, "cuda" runs on the CPU (a build without CUDA refuses it); with
// one, the GPU gives the CPU's results.
TEST(Cli, CudaAndAutoBackendsGiveTheCpuResults) {
    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << "Fashion-MNIST not installed: " << kFashion;
    // Few images: in a test build the "cuda" backend may be the emulated device.
    const std::string run = "run " + project("fashion-mnist-if") + " --samples 60 --json --backend ";
    const auto cpu = nlohmann::json::parse(cli(run + "cpu").out);
    const auto devices = availableBackends();
    const std::string gpu = std::find(devices.begin(), devices.end(), "cuda") != devices.end() ? "cuda" : "cpu";
    for (const std::string kind : {"cuda", "auto"}) {
        const auto r = cli(run + kind);
#ifndef SPIKELAB_HAVE_CUDA
        if (kind == "cuda") {
            EXPECT_EQ(r.exitCode, 1);
            EXPECT_NE(r.err.find("this build of SpikeLab has no CUDA backend"), std::string::npos) << r.err;
            continue;
        }
#endif
        ASSERT_EQ(r.exitCode, 0) << kind << ": " << r.err;
        const auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["backend"], gpu) << kind;
        EXPECT_EQ(j["correct"], cpu["correct"]) << kind;
        EXPECT_EQ(j["confusion"], cpu["confusion"]) << kind;
        EXPECT_EQ(j["spikes_per_sample"], cpu["spikes_per_sample"]) << kind;
        // Asked for the GPU and given the CPU: stderr says so; "auto" falls back silently.
        const bool noticed = r.err.find("using the CPU backend") != std::string::npos;
        EXPECT_EQ(noticed, kind == "cuda" && gpu == "cpu") << kind << ": " << r.err;
    }
}

TEST(Cli, SettingAThresholdChangesTheSpikes) {
    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << "Fashion-MNIST not installed: " << kFashion;
    const auto base = nlohmann::json::parse(cli("run " + project("fashion-mnist-if") + " --samples 50 --json").out);
    const auto lower = nlohmann::json::parse(
        cli("run " + project("fashion-mnist-if") + " --samples 50 --json --set hidden.Vthr=2.5").out);
    EXPECT_GT(lower["spikes_per_sample"]["hidden"].get<double>(),
              1.5 * base["spikes_per_sample"]["hidden"].get<double>());
    EXPECT_EQ(lower["spikes_per_sample"]["input"], base["spikes_per_sample"]["input"]);
}

TEST(Cli, FashionMnistProjectReachesItsAccuracy) {
    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << "Fashion-MNIST not installed: " << kFashion;
    const auto r = cli("run " + project("fashion-mnist-if") + " --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["samples"], 10000);
    EXPECT_GE(j["accuracy"].get<double>(), 0.85);
}

TEST(Cli, MnistProjectReachesItsAccuracy) {
    SPIKELAB_REQUIRE_SHARED("mnist/t10k-images-idx3-ubyte.gz");
    const auto r = cli("run " + project("mnist-if") + " --json --data " +
                       shellQuote((sharedDataDir() / "mnist").string()));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["samples"], 10000);
    EXPECT_GE(j["accuracy"].get<double>(), 0.92);
    EXPECT_NEAR(j["spikes_per_sample"]["input"].get<double>(), 4838.0, 1.0);
}

TEST(Cli, TrainIsDeterministicAndWritesAWorkingProject) {
    // A 64-16-4 network on a tiny block data set, trained twice with the same seed.
    TempDir dir;
    writeBlocks(dir.path(), "train", 400);
    writeBlocks(dir.path(), "t10k", 100);
    std::string text;
    {
        const auto bytes = readFile((sourceDir() / "projects/mnist-if/mnist-if.json").string());
        text.assign(bytes.begin(), bytes.end());
    }
    auto j = nlohmann::ordered_json::parse(text);
    j["populations"][0]["size"] = 64;
    j["populations"][1]["size"] = 16;
    j["populations"][2]["size"] = 10;
    j["projections"][0]["weights"] = {{"type", "glorot"}, {"seed", 1}};
    j["projections"][1]["weights"] = {{"type", "glorot"}, {"seed", 2}};
    j["populations"][1]["record"]["neurons"] = {0};
    j["populations"][2]["record"]["neurons"] = {0};
    j["experiment"]["training"]["epochs"] = 20;
    j["experiment"]["training"]["learning_rate"] = 0.01;
    std::vector<std::uint8_t> weights[2];
    for (int run = 0; run < 2; ++run) {
        const auto p = dir.file("p" + std::to_string(run) + ".json");
        writeFileAtomic(p, j.dump(2) + "\n");
        const auto r = cli("train " + shellQuote(p) + " --seed 7 --threads 2 --data " +
                           shellQuote(dir.path().string()));
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.out.find("epoch  20"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("SNN test accuracy"), std::string::npos) << r.out;
        weights[run] = readFile(dir.file("input_hidden.npy"));
        // 8x8 images filed as "mnist": validate finds their size in the folder given.
        const auto v = cli("validate " + shellQuote(p) + " --data " + shellQuote(dir.path().string()));
        EXPECT_EQ(v.exitCode, 0) << v.err;
        const auto run2 = nlohmann::json::parse(
            cli("run " + shellQuote(p) + " --json --data " + shellQuote(dir.path().string())).out);
        EXPECT_GE(run2["accuracy"].get<double>(), 0.9) << "four easy classes";
    }
    EXPECT_EQ(weights[0], weights[1]);
    const auto saved = nlohmann::json::parse(readFile(dir.file("p0.json")));
    EXPECT_EQ(saved["projections"][0]["weights"]["type"], "npy");
    EXPECT_EQ(saved["projections"][0]["weights"]["file"], "input_hidden.npy");
    EXPECT_EQ(readNpy(dir.file("hidden_output.npy")).shape, (std::vector<std::int64_t>{16, 10}));
}

// fi-curve: the book's LIF (tau 5 ms, t_ref 10 ms, V_th 1, input R I) at two currents, as JSON,
// with the analytic and soft rates beside the simulated ones; bad settings are refused.
TEST(Cli, FiCurvePrintsTheSimulatedAndTheAnalyticLifRates) {
    const std::string lif = "fi-curve LIF --set C=1 --set TauM=5 --set Vrest=0 --set Vreset=0 --set Vthresh=1 "
                            "--set TauRefrac=10 --initial V=0 --dt 0.01 --duration 500 ";
    const auto r = cli(lif + "--currents 0.1,0.3,0.6 --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    EXPECT_EQ(out["model"], "LIF");
    EXPECT_EQ(out["parameters"]["TauM"], 5.0);
    ASSERT_EQ(out["points"].size(), 3u);
    EXPECT_EQ(out["points"][0]["spikes"], 0);
    EXPECT_TRUE(out["points"][0]["first_spike_ms"].is_null());
    EXPECT_EQ(out["points"][0]["lif_rate_Hz"], 0.0);
    EXPECT_GT(out["points"][0]["soft_lif_rate_Hz"].get<double>(), 0.0);
    for (int i = 1; i < 3; ++i) {
        const auto& p = out["points"][i];
        const double x = 5.0 * p["current_nA"].get<double>();
        const double analytic = 1000.0 / (10.0 + 5.0 * std::log(1.0 + 1.0 / (x - 1.0)));
        EXPECT_NEAR(p["lif_rate_Hz"].get<double>(), analytic, 1e-9 * analytic);
        EXPECT_NEAR(p["rate_Hz"].get<double>(), analytic, 0.01 * analytic);
    }
    const auto table = cli(lif + "--currents 0.3");
    ASSERT_EQ(table.exitCode, 0) << table.err;
    EXPECT_CONTAINS(table.out, "current_nA");
    EXPECT_CONTAINS(table.out, "lif_rate_Hz");

    EXPECT_CONTAINS(cli("fi-curve Nope --currents 1").err, "unknown neuron model \"Nope\"");
    EXPECT_CONTAINS(cli("fi-curve LIF --currents 0:1:0").err, "STEP must not be 0");
    EXPECT_CONTAINS(cli("fi-curve LIF --currents 1 --set TauM").err, "--set \"TauM\": expected NAME=VALUE");
    EXPECT_CONTAINS(cli("fi-curve LIF --currents 1 --dt x").err, "--dt needs a number, not \"x\"");
    EXPECT_CONTAINS(cli("fi-curve LIF --currents 1 --lambda 0").err, "lambda 0 must be > 0");
    EXPECT_CONTAINS(cli("fi-curve LIF").err, "fi-curve needs a MODEL and --currents");
    EXPECT_EQ(cli("fi-curve LIF --currents 1 --set TauM=-1").exitCode, 1);
}

// stimulate: one LIF under a step current, every state variable at every step as JSON, the
// same as the engine's neuronResponse; bad stimuli are refused with the part and the setting.
TEST(Cli, StimulatePrintsTheNeuronsStateAtEveryStep) {
    const auto r = cli("stimulate LIF --stimulus 'step(amplitude=1, onset=5) + 0.25' --duration 50 --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    EXPECT_EQ(out["model"], "LIF");
    EXPECT_EQ(out["stimulus"], "step(amplitude=1, onset=5) + step(amplitude=0.25)");
    ASSERT_EQ(out["t_ms"].size(), 500u);
    EXPECT_DOUBLE_EQ(out["t_ms"][0].get<double>(), 0.1);
    EXPECT_DOUBLE_EQ(out["current_nA"][49].get<double>(), 0.25);
    EXPECT_DOUBLE_EQ(out["current_nA"][50].get<double>(), 1.25);
    NeuronResponseSettings settings;
    settings.stimulus = parseStimulus("step(amplitude=1, onset=5) + 0.25");
    settings.duration = 50;
    const NeuronResponse engine = neuronResponse(settings);
    ASSERT_EQ(out["state"]["V"].size(), 500u);
    for (std::size_t n = 0; n < 500; ++n) EXPECT_EQ(out["state"]["V"][n].get<float>(), engine.values[0][n]) << n;
    ASSERT_FALSE(engine.spikes.empty());
    ASSERT_EQ(out["spikes_ms"].size(), engine.spikes.size());
    EXPECT_DOUBLE_EQ(out["spikes_ms"][0].get<double>(), double(engine.spikes[0] + 1) * 0.1);
    const auto table = cli("stimulate Izhikevich --stimulus 'pulses(amplitude=10, frequency=50, width=2)' --duration 5");
    ASSERT_EQ(table.exitCode, 0) << table.err;
    EXPECT_CONTAINS(table.out, "current_nA");
    EXPECT_CONTAINS(table.out, " U ");

    EXPECT_CONTAINS(cli("stimulate LIF --stimulus 'stair(amplitude=1)'").err, "unknown part \"stair\"");
    EXPECT_CONTAINS(cli("stimulate LIF --stimulus 'pulses(frequency=100, width=20)'").err,
                    "stimulus part 1 (pulses): width 20 ms is longer than the period of 10 ms");
    EXPECT_CONTAINS(cli("stimulate LIF").err, "stimulate needs a MODEL and --stimulus");
    EXPECT_CONTAINS(cli("stimulate SpikeSource --stimulus 1").err, "is a spike source");
    EXPECT_CONTAINS(cli("stimulate LIF --stimulus 1 --duration 1e9").err, "more than 1000000 steps");
}

TEST(Cli, ReadmeModelTablesMatchTheDeclarations) {
    const auto r = cli("models");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto bytes = readFile((sourceDir() / "README.md").string());
    const std::string readme(bytes.begin(), bytes.end());
    std::size_t rows = 0, start = 0;
    while (start < r.out.size()) {
        const std::size_t end = r.out.find('\n', start);
        const std::string line = r.out.substr(start, end - start);
        start = end == std::string::npos ? r.out.size() : end + 1;
        if (line.rfind("| ", 0) != 0 && line.rfind("### ", 0) != 0) continue;
        const std::string wanted = line.rfind("### ", 0) == 0 ? "#" + line : line;
        EXPECT_NE(readme.find(wanted), std::string::npos)
            << "README.md lacks \"" << wanted << "\": regenerate it with spikelab-cli models";
        ++rows;
    }
    EXPECT_GT(rows, 20u);
}

TEST(Cli, RunsAnEventReplayProjectOnNmnist) {
    SPIKELAB_REQUIRE_SHARED("nmnist/Test");
    TempDir dir;
    const auto base = readFile((sourceDir() / "projects/mnist-if/mnist-if.json").string());
    auto j = nlohmann::ordered_json::parse(std::string(base.begin(), base.end()));
    const nlohmann::ordered_json none = {{"spikes", false}, {"variables", nlohmann::json::array()},
                                         {"neurons", nlohmann::json::array()}};
    j["populations"] = {{{"name", "events"}, {"size", 1196}, {"model", "SpikeSource"}, {"record", none}},
                        {{"name", "output"}, {"size", 10}, {"model", "IF"}, {"record", none}}};
    j["projections"] = {{{"name", "events_output"}, {"source", "events"}, {"target", "output"},
                         {"connectivity", {{"type", "dense"}}},
                         {"weights", {{"type", "uniform"}, {"low", -0.1}, {"high", 0.2}, {"seed", 3}}}}};
    j["inputs"] = {{{"name", "replay"}, {"type", "EventReplay"}, {"target", "events"},
                    {"file", (sharedDataDir() / "nmnist/NMNIST_pixels_blocklist.txt").string()}}};
    j["experiment"]["dataset"] = {{"name", "nmnist"}, {"split", "test"}};
    j["experiment"]["steps_per_sample"] = 300;
    writeFileAtomic(dir.file("replay.json"), j.dump(2) + "\n");
    const auto data = shellQuote((sharedDataDir() / "nmnist").string());
    const auto r = cli("run " + shellQuote(dir.file("replay.json")) + " --json --data " + data);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    EXPECT_EQ(out["samples"], 100);
    EXPECT_GT(out["spikes_per_sample"]["events"].get<double>(), 3000.0);
    EXPECT_GT(out["spikes_per_sample"]["output"].get<double>(), 0.0);
    // 1,196 neurons and NEST's blocklist agree; 2,312 would not.
    j["populations"][0]["size"] = 2312;
    writeFileAtomic(dir.file("wrong.json"), j.dump(2) + "\n");
    const auto bad = cli("run " + shellQuote(dir.file("wrong.json")) + " --data " + data);
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find("has 2312 neurons but 1196 event inputs are kept"), std::string::npos) << bad.err;
}

namespace {
// The mnist-if project shrunk to 64-16-10 with seeded random weights, and the block data set
// beside it (as in the train test above).
std::string writeBlockProject(const TempDir& dir) {
    writeBlocks(dir.path(), "t10k", 120);
    const auto bytes = readFile((sourceDir() / "projects/mnist-if/mnist-if.json").string());
    auto j = nlohmann::ordered_json::parse(std::string(bytes.begin(), bytes.end()));
    j["populations"][0]["size"] = 64;
    j["populations"][1]["size"] = 16;
    j["populations"][2]["size"] = 10;
    j["projections"][0]["weights"] = {
        {"type", "uniform"}, {"low", -0.05}, {"high", 0.15}, {"seed", 1}};
    j["projections"][1]["weights"] = {
        {"type", "uniform"}, {"low", -0.05}, {"high", 0.15}, {"seed", 2}};
    j["populations"][1]["record"]["neurons"] = {0};
    j["populations"][2]["record"]["neurons"] = {0};
    const std::string path = dir.file("blocks.json");
    writeFileAtomic(path, j.dump(2) + "\n");
    return path;
}
} // namespace

TEST(Cli, SweepEqualsSeparateRunsAsTableAndJson) {
    TempDir dir;
    const std::string p = shellQuote(writeBlockProject(dir));
    const std::string data = " --data " + shellQuote(dir.path().string());
    const auto json =
        cli("sweep " + p + " --param hidden.Vthr --values 0.5:1.5:0.5 --samples 100 --json" + data);
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["parameter"], "hidden.Vthr");
    EXPECT_EQ(j["samples"], 100);
    ASSERT_EQ(j["points"].size(), 3u);

    const auto table =
        cli("sweep " + p + " --param hidden.Vthr --values 0.5:1.5:0.5 --samples 100" + data);
    ASSERT_EQ(table.exitCode, 0) << table.err;
    EXPECT_NE(table.out.find("sweep       hidden.Vthr over 3 values\n\n hidden.Vthr   accuracy   "
                             "spikes/sample         s\n"),
              std::string::npos)
        << table.out;
    const char* values[] = {"0.5", "1", "1.5"};
    for (int i = 0; i < 3; ++i) {
        const auto run = nlohmann::json::parse(
            cli("run " + p + " --samples 100 --json --set hidden.Vthr=" + values[i] + data).out);
        const auto& point = j["points"][std::size_t(i)];
        EXPECT_EQ(point["value"].get<double>(), std::stod(values[i]));
        EXPECT_EQ(point["correct"], run["correct"]) << values[i];
        EXPECT_EQ(point["population_spikes_per_sample"], run["spikes_per_sample"]) << values[i];
        double total = 0.0;
        for (const auto& s : run["spikes_per_sample"]) total += s.get<double>();
        EXPECT_EQ(point["spikes_per_sample"].get<double>(), total);
        // The table's row for this value: value, accuracy %, spikes per sample.
        char row[96];
        std::snprintf(row, sizeof row, "%12s  %8.2f%%  %14.1f  ", values[i],
                      100.0 * run["accuracy"].get<double>(), total);
        EXPECT_NE(table.out.find(row), std::string::npos) << row << "\n" << table.out;
    }
    // The threshold matters on this network: the hidden layer's spikes differ.
    EXPECT_NE(j["points"][0]["population_spikes_per_sample"]["hidden"],
              j["points"][2]["population_spikes_per_sample"]["hidden"]);
}

TEST(Cli, SweepRefusesBadParametersAndValuesBeforeRunning) {
    TempDir dir;
    const std::string p = shellQuote(writeBlockProject(dir));
    struct Case {
        std::string args, message;
    };
    const std::vector<Case> cases = {
        {"sweep " + p + " --values 1,2", "sweep needs --param ITEM.PARAM and --values"},
        {"sweep " + p + " --param hidden.Vthr", "sweep needs --param ITEM.PARAM and --values"},
        {"sweep " + p + " --param Vthr --values 1", "parameter \"Vthr\" must look like ITEM.PARAM"},
        {"sweep " + p + " --param hidden.Vthr --values 1:2",
         "value range \"1:2\" must look like START:STOP:STEP"},
        {"sweep " + p + " --param hidden.Vthr --values 1,x",
         "value list \"1,x\": item 2 \"x\" is not a finite number"},
        {"sweep " + p + " --param experiment.steps_per_sample --values 10,20,2.5",
         "sweep of experiment.steps_per_sample, value 2.5: experiment: steps_per_sample must be a "
         "whole number"},
        {"sweep " + p + " --param hidden.Vth --values 1",
         "population \"hidden\": unknown parameter \"Vth\""},
    };
    for (const auto& c : cases) {
        const auto r = cli(c.args + " --data " + shellQuote(dir.path().string()));
        EXPECT_EQ(r.exitCode, 1) << c.args;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\nstderr: " << r.err;
        EXPECT_EQ(r.out, "") << c.args; // nothing ran
    }
}

TEST(Cli, TrainRecordsItsCommandLineAndDataInTheProvenance) {
    TempDir dir;
    writeBlocks(dir.path(), "train", 200);
    writeBlocks(dir.path(), "t10k", 40);
    const auto bytes = readFile((sourceDir() / "projects/mnist-if/mnist-if.json").string());
    auto j = nlohmann::ordered_json::parse(std::string(bytes.begin(), bytes.end()));
    j["populations"][0]["size"] = 64;
    j["populations"][1]["size"] = 16;
    j["populations"][2]["size"] = 10;
    j["projections"][0]["weights"] = {{"type", "glorot"}, {"seed", 1}};
    j["projections"][1]["weights"] = {{"type", "glorot"}, {"seed", 2}};
    j["populations"][1]["record"]["neurons"] = {0};
    j["populations"][2]["record"]["neurons"] = {0};
    const std::string p = dir.file("my blocks.json");
    writeFileAtomic(p, j.dump(2) + "\n");
    const auto r = cli("train " + shellQuote(p) + " --epochs 2 --train-samples 120 --threads 2 --json"
                       " --set hidden.Vthr=4.5 --data " + shellQuote(dir.path().string()));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    const auto saved = nlohmann::json::parse(readFile(p));
    EXPECT_EQ(saved["version"], 3);
    const auto& provenance = saved["provenance"];
    EXPECT_EQ(provenance["dataset"], "mnist (120 training images)");
    EXPECT_EQ(provenance["command"], "spikelab-cli train '" + p + "' --epochs 2 --train-samples 120 "
                                     "--data " + dir.path().string() +
                                     " --threads 2 --set hidden.Vthr=4.5");
    EXPECT_EQ(provenance["ann_accuracy"], out["ann_test_accuracy"]);
    EXPECT_EQ(provenance["snn_accuracy"], out["snn_test_accuracy"]);
}

TEST(Cli, ExportAndImportReproduceTheProject) {
    TempDir dir;
    const std::string shared = dir.file("fashion shared.json");
    const auto e = cli("export " + project("fashion-mnist-if") + " " + shellQuote(shared));
    ASSERT_EQ(e.exitCode, 0) << e.err;
    EXPECT_NE(e.out.find("to " + shared + " ("), std::string::npos) << e.out;
    const auto exported = nlohmann::json::parse(readFile(shared));
    EXPECT_EQ(exported["version"], 3);
    EXPECT_EQ(exported["projections"][0]["weights"]["type"], "inline");
    EXPECT_EQ(exported["projections"][0]["weights"]["values"].size(), 784u * 128u);
    EXPECT_EQ(exported["projections"][1]["weights"]["values"].size(), 128u * 10u);

    std::filesystem::create_directory(dir.path() / "copy");
    const std::string copy = dir.file("copy/fashion.json");
    const auto i = cli("import " + shellQuote(shared) + " " + shellQuote(copy));
    ASSERT_EQ(i.exitCode, 0) << i.err;
    EXPECT_NE(i.out.find("(weight files: input_hidden.npy)"), std::string::npos) << i.out;
    const auto v = cli("validate " + shellQuote(copy));
    EXPECT_EQ(v.exitCode, 0) << v.err;
    EXPECT_NE(v.out.find("ok: 3 populations (922 neurons), 2 projections (101632 synapses)"),
              std::string::npos)
        << v.out;

    if (!std::filesystem::exists(kFashion)) GTEST_SKIP() << "Fashion-MNIST not installed: " << kFashion;
    const auto a = nlohmann::json::parse(cli("run " + project("fashion-mnist-if") + " --samples 200 --json").out);
    const auto b = nlohmann::json::parse(cli("run " + shellQuote(copy) + " --samples 200 --json").out);
    EXPECT_EQ(a["samples"], 200);
    EXPECT_EQ(a["correct"], b["correct"]);
    EXPECT_EQ(a["confusion"], b["confusion"]);
    EXPECT_EQ(a["spikes_per_sample"], b["spikes_per_sample"]);
}

TEST(Cli, ExportAndImportErrorsNameTheFileAndLeaveNothingBehind) {
    TempDir dir;
    const std::string unwritable = dir.file("missing/out.json");
    struct Case {
        std::string args, message;
    };
    const std::vector<Case> cases = {
        {"export " + project("mnist-if"), "export needs PROJECT and OUT.json"},
        {"import x.json", "import needs EXPORTED.json and NEWPROJECT.json"},
        {"export x.json y.json z.json", "export needs PROJECT and OUT.json"},
        {"export x.json y.json --json", "unknown option \"--json\""},
        {"export /nonexistent/p.json " + shellQuote(dir.file("out.json")),
         "file \"/nonexistent/p.json\": cannot open"},
        {"export " + project("mnist-if") + " " + shellQuote(unwritable),
         "cannot write file \"" + unwritable + "\": folder"},
        {"export " + project("mnist-if") + " " + shellQuote(dir.path().string()), "it is a folder"},
        {"import " + project("mnist-if") + " " + shellQuote(dir.file("new.json")),
         "mnist-if.json\" is not self-contained: projection \"input_hidden\" reads its weights from "
         "\"weights_0_1.npy\""},
    };
    for (const auto& c : cases) {
        const auto r = cli(c.args);
        EXPECT_NE(r.exitCode, 0) << c.args;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\nstderr: " << r.err;
        EXPECT_EQ(r.out, "") << c.args;
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}
