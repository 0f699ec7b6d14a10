/* How generated postsynaptic code is called (docs/architecture.md, "The model language"):
 * the apply_input and decay code of a postsynaptic model, each a loop over the target neurons
 * of one projection and one batch copy. Valid C and C++, like neuron_abi.h. */
#ifndef SPIKELAB_POSTSYNAPTIC_ABI_H
#define SPIKELAB_POSTSYNAPTIC_ABI_H

struct SpikelabPostsynapticUpdate {
    float* inSyn;            /* the projection's buffer: the weights that arrived, per target */
    float* isyn;             /* apply_input: each target's input current this step; decay: unused */
    long long n;             /* target neurons */
    const float* constants;  /* the parameters, then the derived parameters, as floats */
    float t, dt;             /* time at the start of the step and the step, in ms */
};

typedef void (*SpikelabPostsynapticKernel)(const struct SpikelabPostsynapticUpdate*);

/* A built-in model's two kernels; both null for a "delta" model, whose weights go straight
 * into the targets' input. */
struct SpikelabPostsynapticKernels {
    SpikelabPostsynapticKernel apply, decay;
};

#endif
