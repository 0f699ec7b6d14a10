#include "spikelab/samples.h"

#include "spikelab/error.h"
#include "spikelab/experiment.h"

namespace spikelab {

Samples loadSamples(const NetworkSpec& spec, const std::optional<std::string>& folder, std::int64_t limit) {
    const DatasetRef& ds = spec.experiment.dataset;
    if (ds.name == "nmnist") return std::make_shared<const EventDataset>(loadNmnist(ds.split, folder, limit));
    return std::make_shared<const ImageDataset>(loadImageDataset(ds.name, ds.split, folder, limit));
}

std::unique_ptr<SampleSource> sampleSource(const Samples& samples, const CompiledNetwork& network) {
    if (samples.events) return std::make_unique<EventSamples>(*samples.events, network);
    if (samples.images) return std::make_unique<ImageSamples>(*samples.images);
    throw InternalError("sampleSource: no samples loaded");
}

} // namespace spikelab
