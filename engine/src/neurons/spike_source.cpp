#include "neurons/spike_source.h"

namespace spikelab::neurons {

NeuronModelInfo spikeSourceModel() {
    return {NeuronKind::SpikeSource,
            "SpikeSource",
            "Emits the spikes its input gives it each step (Poisson or latency encoders, event "
            "replay); integrates nothing.",
            {},
            {},
            "",
            ""};
}

} // namespace spikelab::neurons
