// Run-time compilation of generated C (lang/jit.h, docs/architecture.md "The model language"):
// the LIF module compiled by the system C compiler computes the CPU backend's floats bit for
// bit; the disk cache is hit across settings objects, survives a damaged object and a key
// collision, compiles once for two threads or two processes, and is bypassed when it cannot
// be written; errors say what failed. Tests that need a compiler skip where there is none.
#include "lang/jit.h"

#include "backends/constants.h"
#include "lang/neuron_abi.h"
#include "spec_builders.h"
#include "test_support.h"

#include "spikelab/lang.h"
#include "spikelab/models.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <latch>
#include <optional>
#include <thread>

using namespace spikelab;
using namespace spikelab::test;
namespace fs = std::filesystem;
using lang::JitError;

namespace {

const std::string kLifEntry = "spikelab_neuron_LIF_entry";

std::string lifSource() {
    return lang::cpuNeuronModuleSource(*neuronModel("LIF", "test").code, "spikelab_neuron_LIF");
}

// The environment's compiler and flags, with the cache in a folder of `dir` that compileC
// creates (never the real ~/.cache).
lang::CompilerSettings settingsIn(const TempDir& dir) {
    auto settings = lang::compilerSettingsFromEnvironment();
    settings.cacheDir = dir.path() / "cache";
    return settings;
}

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool haveCompiler() {
    static const bool have = [] {
        const TempDir dir;
        try {
            lang::compileC("int spikelab_probe;\n", "spikelab_probe", settingsIn(dir));
            return true;
        } catch (const JitError& e) {
            if (e.kind() != JitError::Kind::CompilerMissing) throw;
            return false;
        }
    }();
    return have;
}

#define SKIP_WITHOUT_COMPILER()                                                                    \
    do {                                                                                           \
        if (!haveCompiler())                                                                       \
            GTEST_SKIP() << "no C compiler (cc, or $SPIKELAB_CC) on this machine";                 \
    } while (0)

// The cache entries' files with this extension (temporaries start with '.').
int countFiles(const fs::path& folder, const std::string& extension) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == extension && entry.path().filename().string()[0] != '.')
            ++count;
    return count;
}

fs::path onlyFile(const fs::path& folder, const std::string& extension) {
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.path().extension() == extension && entry.path().filename().string()[0] != '.')
            return entry.path();
    return {};
}

JitError::Kind kindOf(const std::function<void()>& f, std::string& message) {
    try {
        f();
    } catch (const JitError& e) {
        message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "no JitError";
    return JitError::Kind::CacheUnusable;
}

// 30 steps of 8 LIF neurons (defaults, dt 0.5) driven hard enough to spike: V and
// RefracTime after each step, as bits.
std::vector<std::uint32_t> lifTrace(const lang::CompiledCode& code) {
    const auto kernel = reinterpret_cast<SpikelabNeuronKernel>(code.symbol);
    constexpr int n = 8;
    NetworkSpec spec;
    spec.experiment.dt = 0.5;
    spec.populations = {population("p", n, "LIF")};
    const auto compiled = compileNetwork(spec, ".");
    const auto constants = backends::neuronConstants(compiled.populations[0], 0.5);
    std::vector<float> v(n, -65.0f), refractory(n, 0.0f), isyn(n);
    for (int i = 0; i < n; ++i) isyn[std::size_t(i)] = 0.2f + 0.3f * float(i);
    float* state[] = {v.data(), refractory.data()};
    std::vector<unsigned char> spiked(n);
    std::vector<std::uint32_t> trace;
    for (int t = 0; t < 30; ++t) {
        const SpikelabNeuronUpdate update{state, isyn.data(), n, constants.data(), float(t) * 0.5f, 0.5f,
                                          {0u, 0u}, std::uint64_t(t), spiked.data()};
        kernel(&update);
        for (int i = 0; i < n; ++i) {
            trace.push_back(std::bit_cast<std::uint32_t>(v[std::size_t(i)]));
            trace.push_back(std::bit_cast<std::uint32_t>(refractory[std::size_t(i)]));
        }
    }
    return trace;
}

// Sets (or with nullopt unsets) an environment variable, and puts it back on destruction.
class ScopedEnvironment {
public:
    ScopedEnvironment(std::string name, const std::optional<std::string>& value)
        : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) old_ = old;
        set(value);
    }
    ~ScopedEnvironment() { set(old_); }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    void set(const std::optional<std::string>& value) {
        if (value)
            ::setenv(name_.c_str(), value->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }
    std::string name_;
    std::optional<std::string> old_;
};

// The LIF module, compiled at run time, gives the CPU backend's floats (the built-in kernel the
// engine was built with) bit for bit, step by step, through spikes and refractory periods.
TEST(JitCompile, LifModuleEqualsTheBuiltInKernelBitForBit) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const auto code = lang::compileC(lifSource(), kLifEntry, settingsIn(dir));
    ASSERT_NE(code.symbol, nullptr);
    ASSERT_TRUE(code.object);
    EXPECT_EQ(code.object->symbol(kLifEntry), code.symbol);
    EXPECT_EQ(code.object->symbol("spikelab_no_such_symbol"), nullptr);
    const auto kernel = reinterpret_cast<SpikelabNeuronKernel>(code.symbol);

    constexpr int n = 64;
    constexpr double dt = 0.5;
    NetworkSpec spec;
    spec.experiment.dt = dt;
    spec.populations = {
        population("p", n, "LIF", {{"TauM", 20.0}, {"Vreset", -70.0}, {"TauRefrac", 3.0}})};
    auto backend = cpuBackend(spec);
    std::vector<float> currents(n);
    for (int i = 0; i < n; ++i)
        currents[std::size_t(i)] = 0.05f * float(i % 16) - 0.1f + 0.003f * float(i);
    backend->setInputCurrent(0, 0, currents);
    const auto& population = backend->network().populations[0];
    ASSERT_EQ(population.stateIndex("V"), 0);
    ASSERT_EQ(population.stateIndex("RefracTime"), 1);
    const auto constants = backends::neuronConstants(population, dt);
    std::vector<float> v(n, float(population.initial[0])),
        refractory(n, float(population.initial[1]));
    float* stateArrays[] = {v.data(), refractory.data()};
    std::vector<unsigned char> spiked(n);
    std::vector<std::uint32_t> countsBefore(n, 0);
    int spikes = 0, refractorySteps = 0;
    for (std::int64_t t = 0; t < 400; ++t) {
        const SpikelabNeuronUpdate update{stateArrays, currents.data(), n, constants.data(), float(double(t) * dt),
                                          float(dt), {0u, 0u}, std::uint64_t(t), spiked.data()};
        kernel(&update);
        backend->advance(1);
        const auto builtInV = state(*backend, 0, "V");
        const auto builtInRefractory = state(*backend, 0, "RefracTime");
        const auto countsNow = counts(*backend, 0);
        for (std::size_t i = 0; i < std::size_t(n); ++i) {
            ASSERT_EQ(std::bit_cast<std::uint32_t>(v[i]), std::bit_cast<std::uint32_t>(builtInV[i]))
                << "V of neuron " << i << " at step " << t << ": " << v[i] << " vs " << builtInV[i];
            ASSERT_EQ(std::bit_cast<std::uint32_t>(refractory[i]),
                      std::bit_cast<std::uint32_t>(builtInRefractory[i]))
                << "RefracTime of neuron " << i << " at step " << t;
            ASSERT_EQ(std::uint32_t(spiked[i]), countsNow[i] - countsBefore[i])
                << "neuron " << i << " at step " << t;
            spikes += spiked[i];
            refractorySteps += !spiked[i] && refractory[i] > 0.0f;
        }
        countsBefore = countsNow;
    }
    EXPECT_GT(spikes, 100);
    EXPECT_GT(refractorySteps, 100);
}

// The second call loads the cached object, much faster than the compile; so does a call with
// another settings object over the same folder (as a new process makes). Other flags are
// another entry.
TEST(JitCache, SecondCallHitsTheCacheAndIsMuchFaster) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const auto settings = settingsIn(dir);
    const std::string source = lifSource();
    const auto cold = lang::compileC(source, kLifEntry, settings);
    const auto hit = lang::compileC(source, kLifEntry, settings);
    EXPECT_FALSE(cold.fromCache);
    EXPECT_TRUE(hit.fromCache);
    EXPECT_LT(hit.seconds * 5, cold.seconds);
    EXPECT_EQ(lifTrace(hit), lifTrace(cold));
    std::printf("LIF module (%zu bytes of C): compiled in %.1f ms, from the cache in %.2f ms\n",
                source.size(), cold.seconds * 1e3, hit.seconds * 1e3);

    auto fresh = lang::compilerSettingsFromEnvironment();
    fresh.cacheDir = dir.path() / "cache";
    const auto again = lang::compileC(source, kLifEntry, fresh);
    EXPECT_TRUE(again.fromCache);
    EXPECT_EQ(lifTrace(again), lifTrace(cold));
    EXPECT_EQ(countFiles(settings.cacheDir, ".so"), 1);

    fresh.flags.push_back("-DSPIKELAB_TEST_OTHER_FLAGS");
    EXPECT_FALSE(lang::compileC(source, kLifEntry, fresh).fromCache);
    EXPECT_EQ(countFiles(settings.cacheDir, ".so"), 2);
}

// A cached object overwritten with garbage, or truncated, is never loaded: it is rebuilt, and
// the rebuilt one is then a cache hit.
TEST(JitCache, DamagedObjectIsRebuilt) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const auto settings = settingsIn(dir);
    const std::string source = lifSource();
    const auto expected = lifTrace(lang::compileC(source, kLifEntry, settings)); // unloaded again
    const fs::path object = onlyFile(settings.cacheDir, ".so");
    ASSERT_FALSE(object.empty());
    const auto size = fs::file_size(object);
    const std::pair<std::string, std::function<void()>> damages[] = {
        {"garbage",
         [&] {
             std::ofstream(object, std::ios::binary | std::ios::trunc) << std::string(size, 'x');
         }},
        {"truncated", [&] { fs::resize_file(object, size / 2); }},
        {"empty", [&] { fs::resize_file(object, 0); }},
        {"removed", [&] { fs::remove(object); }}};
    for (const auto& [what, damage] : damages) {
        damage();
        const auto rebuilt = lang::compileC(source, kLifEntry, settings);
        EXPECT_FALSE(rebuilt.fromCache) << what;
        EXPECT_EQ(lifTrace(rebuilt), expected) << what;
        EXPECT_TRUE(lang::compileC(source, kLifEntry, settings).fromCache) << what;
        EXPECT_EQ(countFiles(settings.cacheDir, ".so"), 1) << what;
    }
}

// An entry under the same key that holds other code (a hash collision) is neither used nor
// overwritten: the code goes into the key's next slot.
TEST(JitCache, EntryHoldingOtherCodeIsKeptAndNotUsed) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const auto settings = settingsIn(dir);
    const std::string source = lifSource();
    const auto expected = lifTrace(lang::compileC(source, kLifEntry, settings));
    const fs::path entry = onlyFile(settings.cacheDir, ".c");
    std::string header;
    std::getline(std::ifstream(entry), header);
    // Other code of the same length, under the same key.
    std::string otherSource = source;
    otherSource.replace(otherSource.find("How generated"), 13, "HOW GENERATED");
    const std::string other = header + "\n" + otherSource;
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << other;

    const auto second = lang::compileC(source, kLifEntry, settings);
    EXPECT_FALSE(second.fromCache);
    EXPECT_EQ(lifTrace(second), expected);
    const std::string stem = entry.stem().string();
    EXPECT_TRUE(fs::exists(settings.cacheDir / (stem + "-2.c")));
    EXPECT_TRUE(fs::exists(settings.cacheDir / (stem + "-2.so")));
    EXPECT_EQ(readText(entry), other);
    EXPECT_TRUE(lang::compileC(source, kLifEntry, settings).fromCache);
}

TEST(JitErrors, MissingCompilerSaysHowToGetFullSpeed) {
    const TempDir dir;
    auto settings = settingsIn(dir);
    std::string message;
    settings.compiler = "/nonexistent/cc";
    EXPECT_EQ(kindOf([&] { lang::compileC("int x;", "x", settings); }, message),
              JitError::Kind::CompilerMissing);
    EXPECT_CONTAINS(message, "compiler \"/nonexistent/cc\"");
    EXPECT_CONTAINS(message, "SPIKELAB_CC");
    EXPECT_CONTAINS(message, "apt install gcc");

    settings.compiler = "spikelab-no-such-compiler";
    EXPECT_EQ(kindOf([&] { lang::compileC("int x;", "x", settings); }, message),
              JitError::Kind::CompilerMissing);
    EXPECT_CONTAINS(message, "compiler \"spikelab-no-such-compiler\" not found on PATH");
    EXPECT_CONTAINS(message, "SPIKELAB_CC");

    // A program that runs but is no compiler: its --version fails.
    const std::string fake = dir.file("fake-cc");
    std::ofstream(fake) << "#!/bin/sh\necho 'fake-cc: broken' >&2\nexit 3\n";
    fs::permissions(fake, fs::perms::owner_all);
    settings.compiler = fake;
    EXPECT_EQ(kindOf([&] { lang::compileC("int x;", "x", settings); }, message),
              JitError::Kind::CompilerMissing);
    EXPECT_CONTAINS(message, "does not run");
    EXPECT_CONTAINS(message, "exit status 3: fake-cc: broken");

    // A compiler driver that runs but cannot start its own programs (exit status 127).
    const std::string half = dir.file("half-cc");
    std::ofstream(half) << "#!/bin/sh\n[ \"$1\" = --version ] && exec echo half-cc 1.0\n"
                           "echo 'half-cc: cc1: not found' >&2\nexit 127\n";
    fs::permissions(half, fs::perms::owner_all);
    settings.compiler = half;
    EXPECT_EQ(kindOf([&] { lang::compileC("int x;", "x", settings); }, message),
              JitError::Kind::CompilerMissing);
    EXPECT_CONTAINS(message, "exit status 127: half-cc: cc1: not found");
    EXPECT_CONTAINS(message, "SPIKELAB_CC");
}

TEST(JitErrors, CompileErrorQuotesTheCompiler) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    std::string message;
    const auto kind =
        kindOf([&] { lang::compileC("void f(void) {\n    int x = ;\n}\n", "f", settingsIn(dir)); },
               message);
    EXPECT_EQ(kind, JitError::Kind::CompileFailed);
    EXPECT_CONTAINS(message, "compiling model code failed");
    EXPECT_CONTAINS(message, ".c:2:"); // the compiler's own line: file, line 2
    EXPECT_CONTAINS(message, "error");
    EXPECT_EQ(countFiles(dir.path() / "cache", ".so"), 0);
    EXPECT_EQ(countFiles(dir.path() / "cache", ".c"), 0);

    // Code that compiles but lacks the symbol asked for.
    const auto missing = kindOf(
        [&] { lang::compileC("int spikelab_here;\n", "spikelab_elsewhere", settingsIn(dir)); },
        message);
    EXPECT_EQ(missing, JitError::Kind::LoadFailed);
    EXPECT_CONTAINS(message, "has no symbol \"spikelab_elsewhere\"");
}

// Two threads asking for the same code at once: one compiles, the other waits on the key's
// lock and loads what the first wrote.
TEST(JitCache, TwoThreadsCompileTheSameCodeOnce) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const auto settings = settingsIn(dir);
    const std::string source = lifSource();
    lang::CompiledCode results[2];
    std::exception_ptr errors[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int k = 0; k < 2; ++k)
        threads.emplace_back([&, k] {
            start.arrive_and_wait();
            try {
                results[k] = lang::compileC(source, kLifEntry, settings);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        });
    for (auto& thread : threads) thread.join();
    for (const auto& error : errors)
        if (error) std::rethrow_exception(error);
    EXPECT_EQ(int(results[0].fromCache) + int(results[1].fromCache), 1);
    EXPECT_EQ(results[0].symbol, results[1].symbol);
    EXPECT_EQ(countFiles(settings.cacheDir, ".so"), 1);
    EXPECT_EQ(lifTrace(results[0]), lifTrace(results[1]));
}

// The same for two processes (flock on the key's lock file).
TEST(JitCache, TwoProcessesCompileTheSameCodeOnce) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const auto settings = settingsIn(dir);
    const std::string source = lifSource();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        int status = 2;
        try {
            status = lang::compileC(source, kLifEntry, settings).fromCache ? 1 : 0;
        } catch (...) {
        }
        ::_exit(status);
    }
    const auto mine = lang::compileC(source, kLifEntry, settings);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 2) << "the child's compile failed";
    EXPECT_EQ(int(mine.fromCache) + WEXITSTATUS(status), 1);
    EXPECT_EQ(countFiles(settings.cacheDir, ".so"), 1);
}

// A cache folder that cannot be created, that others may write into, or (not as root, who
// writes anywhere) that cannot be written, is not used; the code is compiled privately all the
// same, and nothing is left in the folder.
TEST(JitCache, UnusableCacheFolderStillCompiles) {
    SKIP_WITHOUT_COMPILER();
    const TempDir dir;
    const std::string source = lifSource();
    const fs::path shared = dir.path() / "shared";
    const fs::path readOnly = dir.path() / "read-only";
    fs::create_directory(shared);
    fs::create_directory(readOnly);
    ASSERT_EQ(::chmod(shared.c_str(), 0777), 0);
    ASSERT_EQ(::chmod(readOnly.c_str(), 0500), 0);
    std::ofstream(dir.file("file")) << "not a folder";
    std::vector<fs::path> folders{dir.path() / "file" / "cache", shared, fs::path()};
    if (::geteuid() != 0) folders.push_back(readOnly);
    std::optional<std::vector<std::uint32_t>> expected;
    for (const fs::path& folder : folders) {
        auto settings = settingsIn(dir);
        settings.cacheDir = folder;
        for (int call = 0; call < 2; ++call) {
            const auto code = lang::compileC(source, kLifEntry, settings);
            EXPECT_FALSE(code.fromCache) << folder;
            ASSERT_NE(code.symbol, nullptr) << folder;
            const auto trace = lifTrace(code);
            if (!expected) expected = trace;
            EXPECT_EQ(trace, *expected) << folder;
        }
    }
    EXPECT_TRUE(fs::is_empty(shared));
    EXPECT_TRUE(fs::is_empty(readOnly));
    ::chmod(readOnly.c_str(), 0700);
    if (::geteuid() == 0) std::printf("running as root: the read-only folder was not tried\n");
}

TEST(JitSettings, EnvironmentChoosesTheCompilerAndTheCacheFolder) {
    const ScopedEnvironment cc("SPIKELAB_CC", "/opt/tools/bin/my-cc");
    const ScopedEnvironment xdg("XDG_CACHE_HOME", "/var/tmp/xdg-cache");
    const ScopedEnvironment home("HOME", "/home/someone");
    auto settings = lang::compilerSettingsFromEnvironment();
    EXPECT_EQ(settings.compiler, "/opt/tools/bin/my-cc");
    EXPECT_EQ(settings.cacheDir, fs::path("/var/tmp/xdg-cache/spikelab/jit"));
    EXPECT_EQ(settings.flags, (std::vector<std::string>{"-O3", "-march=native", "-ffp-contract=off",
                                                        "-fno-trapping-math", "-std=c99", "-shared",
                                                        "-fPIC", "-w"}));
    {
        const ScopedEnvironment noCc("SPIKELAB_CC", std::nullopt);
        const ScopedEnvironment relative("XDG_CACHE_HOME", "relative/cache"); // XDG: ignored
        settings = lang::compilerSettingsFromEnvironment();
        EXPECT_EQ(settings.compiler, "cc");
        EXPECT_EQ(settings.cacheDir, fs::path("/home/someone/.cache/spikelab/jit"));
    }
    const ScopedEnvironment noXdg("XDG_CACHE_HOME", std::nullopt);
    const ScopedEnvironment noHome("HOME", std::nullopt);
    EXPECT_EQ(lang::compilerSettingsFromEnvironment().cacheDir, fs::path());
}

// The module source embeds the ABI and the prelude as they are in the source tree, and the
// exported entry point.
TEST(JitCompile, ModuleSourceHoldsTheAbiThePreludeAndTheEntryPoint) {
    const std::string source = lifSource();
    const std::string abi = readText(sourceDir() / "engine/src/lang/neuron_abi.h");
    const std::string prelude = readText(sourceDir() / "engine/src/lang/prelude.h");
    ASSERT_FALSE(abi.empty());
    ASSERT_FALSE(prelude.empty());
    EXPECT_EQ(source.find(abi), 0u);
    EXPECT_NE(source.find(prelude), std::string::npos);
    EXPECT_NE(source.find(lang::printCpuNeuronKernel(*neuronModel("LIF", "test").code,
                                                     "spikelab_neuron_LIF")),
              std::string::npos);
    EXPECT_CONTAINS(source,
                    "void spikelab_neuron_LIF_entry(const struct SpikelabNeuronUpdate* a) {\n"
                    "    spikelab_neuron_LIF(a);\n}\n");
}

} // namespace
