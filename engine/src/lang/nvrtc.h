#pragma once
// Run-time compilation of generated CUDA with NVRTC (docs/architecture.md, "The model language",
// "Compiled at run time"): the device function of a neuron model, with the maths prelude and a
// small kernel around it, compiled to PTX or a cubin while SpikeLab runs. libnvrtc is loaded
// with dlopen on first use, never linked, so a build or a machine without the CUDA toolkit
// works as before and only these functions say that NVRTC is missing.
#include "spikelab/error.h"

#include <string>
#include <utility>
#include <vector>

namespace spikelab::lang {

struct CheckedNeuronModel;

struct NvrtcResult {
    bool ok = false;         // NVRTC compiled the source
    std::string log;         // NVRTC's messages ("module.cu(12): error: ..."), trailing NULs removed
    std::vector<char> image; // PTX text (compute_XX) or a cubin (sm_XX); empty when !ok
    double seconds = 0.0;    // wall time of the compile
};

// True when libnvrtc can be loaded here (tried once per process). Otherwise `why` says what was
// tried: "libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", then the same
// names under $CUDA_HOME/lib64, $CUDA_PATH/lib64 and /usr/local/cuda/lib64, each with
// dlerror()'s reason.
bool nvrtcAvailable(std::string* why = nullptr);

// The library loaded and its version ("NVRTC 13.0 (libnvrtc.so)"); empty when none loads.
std::string nvrtcDescription();

// Compiles CUDA `source` for `arch`: "sm_80" gives a cubin for that GPU, "compute_80" PTX. The
// project's flags, as nvcc's for kernels.cu: --fmad=false (a*b+c stays two roundings, as the
// CPU's -ffp-contract=off), IEEE division and square root, no flush to zero, no fast-math,
// -default-device, C++17. `headers` are the files the source may #include, by name -> text
// (e.g. {"prelude.h", preludeText}). The program is named "module.cu" in the log. Compile errors
// come back in `log` with ok false; throws spikelab::Error when libnvrtc cannot be loaded, or
// when `arch` is neither sm_NN nor compute_NN.
NvrtcResult compileCuda(const std::string& source,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& arch);

// The prelude (prelude.h) as the engine was built with it, embedded at build time.
const char* cudaPreludeText();

// The complete CUDA source for one neuron model (self-contained: the prelude is inlined):
// printCudaNeuronFunction(model, function) and a kernel
//
//   extern "C" __global__ void <function>_kernel(float* s0, ..., float* s<S-1>,
//       const float* isyn, const float* k, float t, float dt, unsigned int randomKey0,
//       unsigned int randomKey1, unsigned long long step, unsigned char* spiked, long long n)
//
// that updates neurons 0..n-1 of one batch copy, one thread each: s<v> is state variable v's
// array (declaration order), isyn the input current per neuron, k the parameters then the
// derived parameters, and each neuron's random stream is spikelab_random(randomKey0,
// randomKey1, i, step), as kernels.cu draws it. spiked[i] is 1 where neuron i spiked.
std::string cudaNeuronModuleSource(const CheckedNeuronModel& model, const std::string& function);

} // namespace spikelab::lang
