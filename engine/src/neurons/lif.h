#pragma once
// LIF: GeNN's built-in leaky integrate-and-fire neuron.
//
//   a = exp(-dt / TauM), Rm = TauM / C
//   while RefracTime <= 0:  V = a*V + (1-a) * (Vrest + Rm * (Isyn + Ioffset))
//   otherwise:              RefracTime -= dt
//   spike when RefracTime <= 0 and V >= Vthresh, then V = Vreset, RefracTime = TauRefrac
//
// | parameter | default | unit | meaning                   |
// |-----------|---------|------|---------------------------|
// | C         | 0.25    | nF   | membrane capacitance      |
// | TauM      | 10      | ms   | membrane time constant    |
// | Vrest     | -65     | mV   | resting potential         |
// | Vreset    | -65     | mV   | potential after a spike   |
// | Vthresh   | -50     | mV   | spike threshold           |
// | Ioffset   | 0       | nA   | constant input current    |
// | TauRefrac | 2       | ms   | refractory period         |
// State: V (mV, initial -65), RefracTime (ms, initial 0).
#include "spikelab/models.h"

namespace spikelab::neurons {
NeuronModelInfo lifModel();
} // namespace spikelab::neurons
