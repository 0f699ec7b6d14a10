// NVRTC loaded at run time (docs/architecture.md, "The model language", "Compiled at run
// time"). Nothing here includes nvrtc.h or links libnvrtc: the few entry points are declared
// below (NVRTC's API is plain C: nvrtcProgram an opaque pointer, nvrtcResult an int enum with
// NVRTC_SUCCESS = 0) and resolved with dlsym.
#include "lang/nvrtc.h"

#include "spikelab/lang.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <mutex>

namespace spikelab::lang {

namespace {

// The prelude as the engine was built with it: the same generated file the C compiler's route
// embeds (engine/CMakeLists.txt writes it into the build folder).
constexpr char kPreludeText[] =
#include "prelude_text.inc"
    ;

using Program = void*;  // nvrtcProgram
using CreateProgram = int (*)(Program*, const char*, const char*, int, const char* const*, const char* const*);
using CompileProgram = int (*)(Program, int, const char* const*);
using GetSize = int (*)(Program, std::size_t*);
using GetText = int (*)(Program, char*);
using DestroyProgram = int (*)(Program*);
using Version = int (*)(int*, int*);
using ErrorString = const char* (*)(int);

struct Library {
    void* handle = nullptr;
    std::string name;  // what dlopen was given
    std::string why;   // what was tried, when nothing loaded
    int major = 0, minor = 0;
    CreateProgram createProgram = nullptr;
    CompileProgram compileProgram = nullptr;
    GetSize logSize = nullptr, ptxSize = nullptr, cubinSize = nullptr;
    GetText log = nullptr, ptx = nullptr, cubin = nullptr;
    DestroyProgram destroyProgram = nullptr;
    Version version = nullptr;
    ErrorString errorString = nullptr;
};

template <typename F>
bool resolve(void* handle, const char* name, F& out, std::string& why) {
    dlerror();
    void* address = dlsym(handle, name);
    if (!address) {
        const char* error = dlerror();
        why += std::string("; ") + name + ": " + (error ? error : "not found");
        return false;
    }
    out = reinterpret_cast<F>(address);
    return true;
}

// Fills `lib` from an opened handle; false (with the reason in `why`) when a symbol is missing.
bool bind(Library& lib, std::string& why) {
    void* h = lib.handle;
    bool ok = resolve(h, "nvrtcCreateProgram", lib.createProgram, why);
    ok = resolve(h, "nvrtcCompileProgram", lib.compileProgram, why) && ok;
    ok = resolve(h, "nvrtcGetProgramLogSize", lib.logSize, why) && ok;
    ok = resolve(h, "nvrtcGetProgramLog", lib.log, why) && ok;
    ok = resolve(h, "nvrtcGetPTXSize", lib.ptxSize, why) && ok;
    ok = resolve(h, "nvrtcGetPTX", lib.ptx, why) && ok;
    ok = resolve(h, "nvrtcGetCUBINSize", lib.cubinSize, why) && ok;
    ok = resolve(h, "nvrtcGetCUBIN", lib.cubin, why) && ok;
    ok = resolve(h, "nvrtcDestroyProgram", lib.destroyProgram, why) && ok;
    ok = resolve(h, "nvrtcVersion", lib.version, why) && ok;
    ok = resolve(h, "nvrtcGetErrorString", lib.errorString, why) && ok;
    return ok;
}

Library load() {
    Library lib;
    const std::vector<std::string> names = {"libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"};
    std::vector<std::string> candidates = names;
    std::vector<std::string> dirs;
    for (const char* variable : {"CUDA_HOME", "CUDA_PATH"})
        if (const char* dir = std::getenv(variable); dir && *dir) dirs.push_back(std::string(dir) + "/lib64");
    dirs.push_back("/usr/local/cuda/lib64");
    // Each folder once ($CUDA_HOME is often /usr/local/cuda).
    for (std::size_t d = 1; d < dirs.size(); ++d)
        if (std::find(dirs.begin(), dirs.begin() + std::ptrdiff_t(d), dirs[d]) != dirs.begin() + std::ptrdiff_t(d))
            dirs.erase(dirs.begin() + std::ptrdiff_t(d--));
    for (const auto& dir : dirs)
        for (const auto& name : names) candidates.push_back(dir + "/" + name);
    std::string tried;
    for (const auto& candidate : candidates) {
        // RTLD_LOCAL: NVRTC's symbols stay out of the global namespace; never closed.
        void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* error = dlerror();
            tried += "\n  " + (error ? std::string(error) : candidate + ": not loadable");  // names the file
            continue;
        }
        Library found;
        found.handle = handle;
        found.name = candidate;
        std::string missing;
        if (!bind(found, missing)) {
            tried += "\n  " + candidate + ": loaded, but lacks" + missing;
            dlclose(handle);
            continue;
        }
        if (found.version(&found.major, &found.minor) != 0) found.major = found.minor = 0;
        return found;
    }
    lib.why = "libnvrtc (NVIDIA's run-time CUDA compiler, part of the CUDA toolkit) could not be loaded; tried:" + tried;
    return lib;
}

const Library& library() {
    static const Library lib = load();  // thread-safe, once per process
    return lib;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\0' || text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
        text.pop_back();
    return text;
}

bool validArch(const std::string& arch) {
    std::size_t at = 0;
    if (arch.starts_with("sm_")) at = 3;
    else if (arch.starts_with("compute_")) at = 8;
    else return false;
    std::size_t digits = 0;
    while (at < arch.size() && arch[at] >= '0' && arch[at] <= '9') ++at, ++digits;
    if (digits == 0) return false;
    if (at < arch.size() && (arch[at] == 'a' || arch[at] == 'f')) ++at;  // sm_90a, sm_100f
    return at == arch.size();
}

} // namespace

bool nvrtcAvailable(std::string* why) {
    const Library& lib = library();
    if (why) *why = lib.why;
    return lib.handle != nullptr;
}

std::string nvrtcDescription() {
    const Library& lib = library();
    if (!lib.handle) return {};
    return "NVRTC " + std::to_string(lib.major) + "." + std::to_string(lib.minor) + " (" + lib.name + ")";
}

const char* cudaPreludeText() { return kPreludeText; }

NvrtcResult compileCuda(const std::string& source, const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& arch) {
    const Library& lib = library();
    if (!lib.handle) throw Error("cannot compile CUDA at run time: " + lib.why);
    if (!validArch(arch))
        throw Error("CUDA architecture " + quote(arch) + ": expected sm_NN (a cubin) or compute_NN (PTX)");
    const bool cubin = arch.starts_with("sm_");

    // prelude.h is always there to #include; a header of that name in `headers` replaces it.
    std::vector<const char*> texts, names;
    bool prelude = false;
    for (const auto& [name, text] : headers) {
        names.push_back(name.c_str());
        texts.push_back(text.c_str());
        prelude = prelude || name == "prelude.h";
    }
    if (!prelude) {
        names.push_back("prelude.h");
        texts.push_back(kPreludeText);
    }
    const auto start = std::chrono::steady_clock::now();
    Program program = nullptr;
    const int created = lib.createProgram(&program, source.c_str(), "module.cu", int(texts.size()), texts.data(),
                                          names.data());
    if (created != 0) throw Error(std::string("NVRTC could not create a program: ") + lib.errorString(created));
    struct Destroy {
        const Library& lib;
        Program& program;
        ~Destroy() { lib.destroyProgram(&program); }
    } destroy{lib, program};

    // The flags nvcc gets for kernels.cu (engine/CMakeLists.txt), spelled out where they are
    // NVRTC's defaults too, so that no default can change the floats.
    const std::string archOption = "--gpu-architecture=" + arch;
    const char* const options[] = {archOption.c_str(), "--std=c++17", "--fmad=false", "--prec-div=true",
                                   "--prec-sqrt=true", "--ftz=false", "-default-device"};
    const int compiled = lib.compileProgram(program, int(std::size(options)), options);

    NvrtcResult result;
    std::size_t size = 0;
    if (lib.logSize(program, &size) == 0 && size > 0) {
        std::string log(size, '\0');
        if (lib.log(program, log.data()) == 0) result.log = trimmed(std::move(log));
    }
    if (compiled != 0) {
        if (result.log.empty()) result.log = lib.errorString(compiled);
    } else {
        const GetSize imageSize = cubin ? lib.cubinSize : lib.ptxSize;
        const GetText image = cubin ? lib.cubin : lib.ptx;
        size = 0;
        if (imageSize(program, &size) == 0 && size > 0) {
            result.image.resize(size);
            if (image(program, result.image.data()) != 0) result.image.clear();
        }
        // PTX comes with its terminating NUL; the image is the text.
        if (!cubin) {
            while (!result.image.empty() && result.image.back() == '\0') result.image.pop_back();
        }
        result.ok = !result.image.empty();
        if (!result.ok) {
            if (!result.log.empty()) result.log += '\n';
            result.log += cubin ? "NVRTC gave no cubin for " : "NVRTC gave no PTX for ";
            result.log += arch;
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

std::string cudaNeuronModuleSource(const CheckedNeuronModel& model, const std::string& function) {
    const std::size_t states = model.scope.state.size();
    std::string out = "#include \"prelude.h\"\n\n";
    out += printCudaNeuronFunction(model, function);
    out += "\nextern \"C\" __global__ void " + function + "_kernel(";
    for (std::size_t v = 0; v < states; ++v) out += "float* s" + std::to_string(v) + ", ";
    out += "const float* isyn, const float* k, float t,\n"
           "    float dt, unsigned int randomKey0, unsigned int randomKey1, unsigned long long step,\n"
           "    unsigned char* spiked, long long n) {\n"
           "    const long long i = (long long)blockIdx.x * (long long)blockDim.x + (long long)threadIdx.x;\n"
           "    if (i >= n) return;\n";
    if (states == 0) {
        out += "    float* const* state = nullptr;\n";
    } else {
        out += "    float* state[" + std::to_string(states) + "] = {";
        for (std::size_t v = 0; v < states; ++v) out += (v ? ", s" : "s") + std::to_string(v);
        out += "};\n";
    }
    out += "    const SpikelabRandom rng = spikelab_random(randomKey0, randomKey1, i, step);\n"
           "    spiked[i] = (unsigned char)" + function + "(state, i, isyn[i], k, t, dt, rng);\n"
           "}\n";
    return out;
}

} // namespace spikelab::lang
