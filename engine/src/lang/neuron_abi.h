/* How generated neuron code is called (docs/architecture.md, "The model language"). Valid C
 * and C++: the same kernels are compiled into SpikeLab at build time and, for models a user
 * types, by the system C compiler at run time. */
#ifndef SPIKELAB_NEURON_ABI_H
#define SPIKELAB_NEURON_ABI_H

/* One population's neurons of one batch copy, for one step. */
struct SpikelabNeuronUpdate {
    float* const* state;     /* state[v][i]: state variable v of neuron i */
    const float* isyn;       /* the input current of each neuron this step */
    long long n;             /* neurons */
    const float* constants;  /* the parameters, then the derived parameters, as floats */
    float t, dt;             /* time at the start of the step and the step, in ms */
    unsigned int randomKey[2];  /* the population and batch copy's random stream */
    unsigned long long step;    /* the step's number, for the random numbers */
    unsigned char* spiked;   /* out: 1 where the neuron spiked this step */
};

typedef void (*SpikelabNeuronKernel)(const struct SpikelabNeuronUpdate*);

#endif
