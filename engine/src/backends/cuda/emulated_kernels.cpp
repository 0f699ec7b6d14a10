// The CUDA backend's device code built by the host compiler for the emulated device
// (SPIKELAB_CUDA_EMULATION; see emulated_runtime.h).
#include "kernels.cu"
