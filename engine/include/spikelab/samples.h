#pragma once
// The samples a project presents, loaded by one function for every data set (the CLI's run,
// sweep and the workbench alike): images for MNIST and Fashion-MNIST, event recordings for
// N-MNIST. At most one of the two is set; neither means no data.
#include "spikelab/dataset.h"
#include "spikelab/events.h"
#include "spikelab/network.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace spikelab {

class SampleSource;
struct CompiledNetwork;

struct Samples {
    std::shared_ptr<const ImageDataset> images;
    std::shared_ptr<const EventDataset> events;

    Samples() = default;
    Samples(std::nullptr_t) {}
    Samples(std::shared_ptr<const ImageDataset> data) : images(std::move(data)) {}
    Samples(std::shared_ptr<ImageDataset> data) : images(std::move(data)) {}
    Samples(std::shared_ptr<const EventDataset> data) : events(std::move(data)) {}
    Samples(std::shared_ptr<EventDataset> data) : events(std::move(data)) {}

    explicit operator bool() const { return images || events; }
    std::string name() const { return images ? images->name : events ? events->name : ""; }
    std::int64_t count() const {
        return images ? images->count : events ? std::int64_t(events->samples.size()) : 0;
    }
    int numClasses() const { return images ? images->numClasses : events ? events->numClasses : 0; }
    int label(std::int64_t sample) const {
        return images ? images->labels[std::size_t(sample)] : events->samples[std::size_t(sample)].label;
    }
    // Where they were read from: the images file, or the recordings' folder.
    std::string location() const { return images ? images->imagesPath : events ? events->root : ""; }
};

// Loads the data set `spec` names (experiment.dataset: name and split) from `folder`, or from
// the data set's standard search path when there is none (projectDatasetFolder gives the
// project's own folder), at most `limit` samples (0: all). Throws spikelab::Error saying where
// it looked.
Samples loadSamples(const NetworkSpec& spec, const std::optional<std::string>& folder, std::int64_t limit = 0);

// A source that presents them to `network`: images through its image encoders, recordings
// through its EventReplay inputs. `samples` and `network` must outlive it.
std::unique_ptr<SampleSource> sampleSource(const Samples& samples, const CompiledNetwork& network);

} // namespace spikelab
