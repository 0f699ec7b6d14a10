static void spikelab_neuron_LIF(const struct SpikelabNeuronUpdate* a) {
    const float p_Vrest = a->constants[2];
    const float p_Vreset = a->constants[3];
    const float p_Vthresh = a->constants[4];
    const float p_Ioffset = a->constants[5];
    const float p_TauRefrac = a->constants[6];
    const float d_ExpTC = a->constants[7];
    const float d_OneMinusExpTC = a->constants[8];
    const float d_Rm = a->constants[9];
    const float b_dt = a->dt;
    float* __restrict s0 = a->state[0];
    float* __restrict s1 = a->state[1];
    const float* __restrict isyn = a->isyn;
    unsigned char* __restrict spiked = a->spiked;
    const long long n = a->n;
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
    for (long long i = 0; i < n; ++i) {
        const float b_Isyn = isyn[i];
        float v_V = s0[i];
        float v_RefracTime = s1[i];
        if ((v_RefracTime <= 0x0p+0f)) {
            v_V = ((d_ExpTC * v_V) + (d_OneMinusExpTC * (p_Vrest + (d_Rm * (b_Isyn + p_Ioffset)))));
        } else {
            v_RefracTime -= b_dt;
        }
        const int spike = ((v_RefracTime <= 0x0p+0f) && (v_V >= p_Vthresh));
        if (spike) {
            v_V = p_Vreset;
            v_RefracTime = p_TauRefrac;
        }
        s0[i] = v_V;
        s1[i] = v_RefracTime;
        spiked[i] = (unsigned char)spike;
    }
}
