#pragma once
// f-I curves: the firing rate of one neuron model against a constant input current
// (docs/architecture.md, "f-I curves"), the neuron lab's tuning curve and `spikelab-cli
// fi-curve`. Every current is one neuron of a single population, all simulated in one run
// from the model's initial state, so a whole curve costs one run of `duration` ms. For the
// LIF model the analytic rate and its soft version (Hunsberger & Eliasmith 2015) are given too.
#include "spikelab/params.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spikelab {

struct FiCurveSettings {
    std::string model = "LIF";  // a built-in neuron model with code (not SpikeSource)
    ParamValues params;         // parameters that differ from the model's defaults
    ParamValues initial;        // initial state values that differ from the model's
    std::vector<double> currents;  // nA, one point each
    double dt = 0.01;           // ms
    double duration = 1000.0;   // ms of constant input
};

struct FiPoint {
    double current = 0.0;       // nA
    std::int64_t spikes = 0;    // in the whole run
    double firstSpikeMs = -1;   // time of the first spike (end of its step); -1 without one
    // The steady rate (Hz): the spikes after the first over the time from the first to the
    // last, (spikes - 1) / (t_last - t_first); 0 with fewer than two spikes.
    double rate = 0.0;
};

// Simulates the curve on the CPU backend. Throws spikelab::Error naming the setting for an
// unknown model, a spike source, a parameter or state variable the model lacks or a value out of
// its range, no currents,
// a current that is not finite, dt or duration not > 0, or more than 10^6 steps x points of
// 10^4 points each (both said with the limit).
std::vector<FiPoint> fiCurve(const FiCurveSettings& settings);

// The LIF model's rate (Hz) for a constant current I (nA) with SpikeLab's LIF parameters
// (all of them in `lif`): after a reset to Vreset, V relaxes towards Vrest + Rm (I + Ioffset)
// with Rm = TauM / C and reaches Vthresh after tau ln((Rm I' + Vrest - Vreset) / (Rm I' + Vrest
// - Vthresh)); the rate is 1000 / (TauRefrac + that). 0 when V never reaches Vthresh. With
// Vrest = Vreset = 0 and x = Rm I this is the textbook's 1 / (t_ref + tau ln(1 + Vth / (x - Vth))).
double lifRate(const ParamValues& lif, double current);

// The soft LIF rate: as lifRate with x - Vth (the drive above threshold) replaced by
// rho(x - Vth) = lambda ln(1 + exp((x - Vth) / lambda)), which is smooth and positive below the
// threshold too (Vrest = Vreset = 0 only: the smoothing is defined for that form). lambda > 0.
double softLifRate(const ParamValues& lif, double current, double lambda);

} // namespace spikelab
