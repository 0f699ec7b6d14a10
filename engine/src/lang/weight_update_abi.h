/* How generated weight-update code is called (docs/architecture.md, "Weight-update models"):
 * the synapse code of a model (pre_spike_syn, post_spike_syn) as a loop over a list of
 * synapses of one batch copy, and its neuron code (pre_spike, pre_dynamics, post_spike,
 * post_dynamics) as a loop over neurons of one side. Valid C and C++, like neuron_abi.h. */
#ifndef SPIKELAB_WEIGHT_UPDATE_ABI_H
#define SPIKELAB_WEIGHT_UPDATE_ABI_H

/* Synapse m of the list (0 <= m < n) is synapse number
 *   synapseIndex ? synapseIndex[m] : synapseStart + m * synapseStride
 * between source neuron (preIndex ? preIndex[m] : preStart + m * preStride) and target neuron
 * (postIndex ? postIndex[m] : postStart + m * postStride): a dense row or column, a sparse row
 * or column, or one synapse. */
struct SpikelabSynapseUpdate {
    float* const* synapse;     /* per synapse variable: its value per synapse */
    const float* const* pre;   /* per presynaptic variable: its value per source neuron */
    const float* const* post;  /* per postsynaptic variable: its value per target neuron */
    const float* stPre;        /* the last spike time of each source neuron */
    const float* stPost;       /* ... and of each target neuron */
    float* deliver;            /* pre_spike_syn: addToPost(e) adds e here, per target neuron */
    const long long* synapseIndex;
    long long synapseStart, synapseStride;
    const unsigned* preIndex;
    long long preStart, preStride;
    const unsigned* postIndex;
    long long postStart, postStride;
    long long n;
    const float* constants;    /* the parameters, then the derived parameters, as floats */
    float t, dt;               /* time of the step and the step, in ms */
};

/* Neuron m of the list is neurons ? neurons[m] : m. */
struct SpikelabSynapseNeuronUpdate {
    float* const* vars;        /* per variable of this side: its value per neuron */
    const unsigned* neurons;   /* spike code: the neurons that spiked; dynamics code: null */
    long long n;
    const float* constants;
    float t, dt;
};

typedef void (*SpikelabSynapseKernel)(const struct SpikelabSynapseUpdate*);
typedef void (*SpikelabSynapseNeuronKernel)(const struct SpikelabSynapseNeuronUpdate*);

/* A built-in model's kernels; null where the model has no such code. A pulse model
 * (StaticPulse) has none: backends deliver its weights with their own loops. */
struct SpikelabWeightUpdateKernels {
    SpikelabSynapseKernel preSpikeSyn, postSpikeSyn;
    SpikelabSynapseNeuronKernel preSpike, preDynamics, postSpike, postDynamics;
};

#endif
