__device__ inline void spikelabPostsynapticApplyExpCurr(float& inSyn, float& Isyn, const float* k, float b_t, float b_dt) {
    const float d_init = k[2];
    (void)b_t;
    (void)b_dt;
    float v_inSyn = inSyn;
    float v_Isyn = Isyn;
    v_Isyn += (d_init * v_inSyn);
    Isyn = v_Isyn;
}
__device__ inline void spikelabPostsynapticDecayExpCurr(float& inSyn, const float* k, float b_t, float b_dt) {
    const float d_expDecay = k[1];
    (void)b_t;
    (void)b_dt;
    float v_inSyn = inSyn;
    v_inSyn *= d_expDecay;
    inSyn = v_inSyn;
}
