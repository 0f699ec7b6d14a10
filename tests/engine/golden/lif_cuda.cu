__device__ inline bool spikelabNeuronLIF(float* const* state, long long cell, float b_Isyn, const float* k, float b_t, float b_dt,
    SpikelabRandom b_rng) {
    const float p_Vrest = k[2];
    const float p_Vreset = k[3];
    const float p_Vthresh = k[4];
    const float p_Ioffset = k[5];
    const float p_TauRefrac = k[6];
    const float d_ExpTC = k[7];
    const float d_OneMinusExpTC = k[8];
    const float d_Rm = k[9];
    (void)b_t;
    (void)b_rng;
    float v_V = state[0][cell];
    float v_RefracTime = state[1][cell];
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
    state[0][cell] = v_V;
    state[1][cell] = v_RefracTime;
    return spike != 0;
}
