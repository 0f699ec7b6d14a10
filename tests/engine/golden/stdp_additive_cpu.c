#define SPIKELAB_ADD_TO_POST(e) (deliver[j] = deliver[j] + (e))
static void stdp_pre_spike_syn(const struct SpikelabSynapseUpdate* a) {
    const float p_aMinus = a->constants[3];
    const float p_wMin = a->constants[4];
    const float* const post0 = a->post[0];
    float* const synapse0 = a->synapse[0];
    float* const deliver = a->deliver;
    const long long n = a->n;
    if (!a->synapseIndex && !a->preIndex && !a->postIndex) {
        const long long s0 = a->synapseStart, sStep = a->synapseStride;
        const long long i0 = a->preStart, iStep = a->preStride, j0 = a->postStart, jStep = a->postStride;
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (long long m = 0; m < n; ++m) {
            const long long s = s0 + m * sStep, i = i0 + m * iStep, j = j0 + m * jStep;
            (void)i;
            (void)j;
            const float b_postTrace = post0[j];
            float v_g = synapse0[s];
            SPIKELAB_ADD_TO_POST(v_g);
            v_g = spikelab_fmax(p_wMin, (v_g - (p_aMinus * b_postTrace)));
            synapse0[s] = v_g;
        }
    } else {
        for (long long m = 0; m < n; ++m) {
            const long long s = (a->synapseIndex ? (long long)a->synapseIndex[m] : a->synapseStart + m * a->synapseStride);
            const long long i = (a->preIndex ? (long long)a->preIndex[m] : a->preStart + m * a->preStride);
            const long long j = (a->postIndex ? (long long)a->postIndex[m] : a->postStart + m * a->postStride);
            (void)i;
            (void)j;
            const float b_postTrace = post0[j];
            float v_g = synapse0[s];
            SPIKELAB_ADD_TO_POST(v_g);
            v_g = spikelab_fmax(p_wMin, (v_g - (p_aMinus * b_postTrace)));
            synapse0[s] = v_g;
        }
    }
}
#undef SPIKELAB_ADD_TO_POST
static void stdp_post_spike_syn(const struct SpikelabSynapseUpdate* a) {
    const float p_aPlus = a->constants[2];
    const float p_wMax = a->constants[5];
    const float* const pre0 = a->pre[0];
    float* const synapse0 = a->synapse[0];
    const long long n = a->n;
    if (!a->synapseIndex && !a->preIndex && !a->postIndex) {
        const long long s0 = a->synapseStart, sStep = a->synapseStride;
        const long long i0 = a->preStart, iStep = a->preStride, j0 = a->postStart, jStep = a->postStride;
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (long long m = 0; m < n; ++m) {
            const long long s = s0 + m * sStep, i = i0 + m * iStep, j = j0 + m * jStep;
            (void)i;
            (void)j;
            const float b_preTrace = pre0[i];
            float v_g = synapse0[s];
            v_g = spikelab_fmin(p_wMax, (v_g + (p_aPlus * b_preTrace)));
            synapse0[s] = v_g;
        }
    } else {
        for (long long m = 0; m < n; ++m) {
            const long long s = (a->synapseIndex ? (long long)a->synapseIndex[m] : a->synapseStart + m * a->synapseStride);
            const long long i = (a->preIndex ? (long long)a->preIndex[m] : a->preStart + m * a->preStride);
            const long long j = (a->postIndex ? (long long)a->postIndex[m] : a->postStart + m * a->postStride);
            (void)i;
            (void)j;
            const float b_preTrace = pre0[i];
            float v_g = synapse0[s];
            v_g = spikelab_fmin(p_wMax, (v_g + (p_aPlus * b_preTrace)));
            synapse0[s] = v_g;
        }
    }
}
static void stdp_pre_spike(const struct SpikelabSynapseNeuronUpdate* a) {
    float* const vars0 = a->vars[0];
    const long long n = a->n;
    if (!a->neurons) {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (long long i = 0; i < n; ++i) {
            float v_preTrace = vars0[i];
            v_preTrace += 0x1p+0f;
            vars0[i] = v_preTrace;
        }
    } else {
        for (long long m = 0; m < n; ++m) {
            const long long i = a->neurons[m];
            float v_preTrace = vars0[i];
            v_preTrace += 0x1p+0f;
            vars0[i] = v_preTrace;
        }
    }
}
static void stdp_pre_dynamics(const struct SpikelabSynapseNeuronUpdate* a) {
    const float d_decayPlus = a->constants[6];
    float* const vars0 = a->vars[0];
    const long long n = a->n;
    if (!a->neurons) {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (long long i = 0; i < n; ++i) {
            float v_preTrace = vars0[i];
            v_preTrace *= d_decayPlus;
            vars0[i] = v_preTrace;
        }
    } else {
        for (long long m = 0; m < n; ++m) {
            const long long i = a->neurons[m];
            float v_preTrace = vars0[i];
            v_preTrace *= d_decayPlus;
            vars0[i] = v_preTrace;
        }
    }
}
static void stdp_post_spike(const struct SpikelabSynapseNeuronUpdate* a) {
    float* const vars0 = a->vars[0];
    const long long n = a->n;
    if (!a->neurons) {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (long long i = 0; i < n; ++i) {
            float v_postTrace = vars0[i];
            v_postTrace += 0x1p+0f;
            vars0[i] = v_postTrace;
        }
    } else {
        for (long long m = 0; m < n; ++m) {
            const long long i = a->neurons[m];
            float v_postTrace = vars0[i];
            v_postTrace += 0x1p+0f;
            vars0[i] = v_postTrace;
        }
    }
}
static void stdp_post_dynamics(const struct SpikelabSynapseNeuronUpdate* a) {
    const float d_decayMinus = a->constants[7];
    float* const vars0 = a->vars[0];
    const long long n = a->n;
    if (!a->neurons) {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (long long i = 0; i < n; ++i) {
            float v_postTrace = vars0[i];
            v_postTrace *= d_decayMinus;
            vars0[i] = v_postTrace;
        }
    } else {
        for (long long m = 0; m < n; ++m) {
            const long long i = a->neurons[m];
            float v_postTrace = vars0[i];
            v_postTrace *= d_decayMinus;
            vars0[i] = v_postTrace;
        }
    }
}

{stdp_pre_spike_syn, stdp_post_spike_syn, stdp_pre_spike, stdp_pre_dynamics, stdp_post_spike, stdp_post_dynamics}
