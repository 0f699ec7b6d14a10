#pragma once
// Run-time compilation of generated C (docs/architecture.md, "The model language", "Compiled at
// run time"): the C of a neuron model a user typed is compiled by the system C compiler into a
// shared object, loaded with dlopen and kept in an on-disk cache, so the next run (and the
// next process) loads it without compiling.
#include "spikelab/error.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace spikelab::lang {

struct CheckedNeuronModel;

// How user models are compiled.
struct CompilerSettings {
    std::string compiler;           // a program name looked up on PATH, or a path
    std::vector<std::string> flags; // given before "-o OUT SOURCE -lm"
    std::filesystem::path cacheDir; // created (mode 0700) when missing
};
// $SPIKELAB_CC (default "cc"); -O3 -march=native -ffp-contract=off -fno-trapping-math -std=c99
// -shared -fPIC -w; $XDG_CACHE_HOME/spikelab/jit (default ~/.cache/spikelab/jit; an empty
// cacheDir when neither variable nor a home folder is known, which compiles privately).
CompilerSettings compilerSettingsFromEnvironment();

class JitError : public Error {
public:
    enum class Kind {
        CompilerMissing, // no compiler, or it does not run (`--version` fails)
        CompileFailed,   // the compiler refused the code, or ran past its time limit
        LoadFailed,      // the object does not load or lacks the symbol, even after a rebuild
        CacheUnusable,   // neither the cache folder nor a private temporary folder can be written
    };
    JitError(Kind kind, const std::string& message) : Error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

// A loaded shared object; dlclose on destruction.
class SharedObject {
public:
    // dlopen(path, RTLD_NOW | RTLD_LOCAL); throws JitError(LoadFailed) with dlerror()'s text.
    explicit SharedObject(const std::filesystem::path& path);
    ~SharedObject();
    SharedObject(const SharedObject&) = delete;
    SharedObject& operator=(const SharedObject&) = delete;

    // The address of an exported symbol, or nullptr when the object has none of that name.
    void* symbol(const std::string& name) const;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    void* handle_ = nullptr;
};

struct CompiledCode {
    std::shared_ptr<const SharedObject> object; // keeps the code loaded
    void* symbol = nullptr;                     // the function asked for
    bool fromCache = false;
    double seconds = 0.0; // wall time of this call (compile or cache hit)
};

// Compiles C `source` (complete, self-contained) into a shared object, or takes it from the
// cache, loads it and looks up `symbol`. Safe to call from several threads and processes at
// once. A cache folder that cannot be created or written (or is writable by others) is not
// used: the code is then compiled in a private temporary folder (fromCache false, no error).
// Throws JitError.
CompiledCode compileC(const std::string& source, const std::string& symbol,
                      const CompilerSettings& settings);

// The complete C source for one neuron kernel: the ABI (neuron_abi.h) and the maths prelude
// (prelude.h) as text, then printCpuNeuronKernel(model, function) and an exported entry point
// `void <function>_entry(const struct SpikelabNeuronUpdate* a)` that calls it.
std::string cpuNeuronModuleSource(const CheckedNeuronModel& model, const std::string& function);

} // namespace spikelab::lang
