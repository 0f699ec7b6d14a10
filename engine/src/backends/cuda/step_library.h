#pragma once
// Step libraries: the CUDA backend's step kernel (step_kernel.cuh) for a network with the
// project's own neuron models (docs/architecture.md, "The model language", "Compiled at run
// time"). The kernel nvcc built knows the built-in models only; for the others SpikeLab writes
// the same step with those models in its dispatch and compiles it while it runs: with NVRTC for
// the GPU present, loaded with the runtime API, or, on the emulated device, with the system C++
// compiler into a shared object that runs on the emulator's fibers.
#include "device_api.h"
#include "spikelab/models.h"

#include <memory>
#include <string>
#include <vector>

namespace spikelab::cuda {

// The models of `models` that are neither built in nor a spike source, each once, in order:
// the k-th runs as DevicePopulation::model kFirstRuntimeModel + k.
std::vector<const NeuronModelInfo*> projectNeuronModels(const std::vector<const NeuronModelInfo*>& models);

// Why a project model cannot run on the device (more state variables or constants than
// DevicePopulation holds, or no NVRTC on a GPU build), or empty.
std::string stepLibraryUnavailable(const NeuronModelInfo& model);

// The complete source of a step library for `projectModels` (those of projectNeuronModels),
// for NVRTC, or with `emulated` for the system C++ compiler and the emulated device.
std::string stepLibrarySource(const std::vector<const NeuronModelInfo*>& projectModels, bool emulated);

// Compiles (or finds, once compiled in this process) and loads the step library for
// `projectModels`. Throws DeviceError naming the compiler's complaint when it cannot.
std::shared_ptr<const StepLibrary> buildStepLibrary(const std::vector<const NeuronModelInfo*>& projectModels);

} // namespace spikelab::cuda
