static void spikelab_postsynaptic_apply_ExpCurr(const struct SpikelabPostsynapticUpdate* a) {
    const float d_init = a->constants[2];
    float* __restrict inSyn = a->inSyn;
    float* __restrict isyn = a->isyn;
    const long long n = a->n;
    for (long long i = 0; i < n; ++i) {
        float v_inSyn = inSyn[i];
        float v_Isyn = isyn[i];
        v_Isyn += (d_init * v_inSyn);
        isyn[i] = v_Isyn;
    }
}
static void spikelab_postsynaptic_decay_ExpCurr(const struct SpikelabPostsynapticUpdate* a) {
    const float d_expDecay = a->constants[1];
    float* __restrict inSyn = a->inSyn;
    const long long n = a->n;
    for (long long i = 0; i < n; ++i) {
        float v_inSyn = inSyn[i];
        v_inSyn *= d_expDecay;
        inSyn[i] = v_inSyn;
    }
}
