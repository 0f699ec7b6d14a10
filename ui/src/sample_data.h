#pragma once
// The samples the workbench presents: an image data set (MNIST, Fashion-MNIST) or event
// recordings (N-MNIST). At most one of the two is set; neither means the network runs
// without input. Shared, read-only, by the window, the simulation thread and the dialogs.
#include "spikelab/dataset.h"
#include "spikelab/events.h"
#include "spikelab/network.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace spikelab::ui {

struct SampleData {
    std::shared_ptr<const ImageDataset> images;
    std::shared_ptr<const EventDataset> events;

    SampleData() = default;
    SampleData(std::nullptr_t) {}
    SampleData(std::shared_ptr<const ImageDataset> data) : images(std::move(data)) {}
    SampleData(std::shared_ptr<ImageDataset> data) : images(std::move(data)) {}
    SampleData(std::shared_ptr<const EventDataset> data) : events(std::move(data)) {}
    SampleData(std::shared_ptr<EventDataset> data) : events(std::move(data)) {}

    explicit operator bool() const { return images || events; }
    std::string name() const { return images ? images->name : events ? events->name : ""; }
    std::int64_t count() const {
        return images ? images->count : events ? std::int64_t(events->samples.size()) : 0;
    }
    int numClasses() const { return images ? images->numClasses : events ? events->numClasses : 0; }
    int label(std::int64_t sample) const {
        return images ? images->labels[std::size_t(sample)]
                      : events->samples[std::size_t(sample)].label;
    }
};

// Loads the data set `spec` names (its folder relative to the project file `projectPath`):
// images for mnist and fashion-mnist, recordings for nmnist. Throws spikelab::Error saying
// where it looked.
SampleData loadSampleData(const NetworkSpec& spec, const std::string& projectPath);

} // namespace spikelab::ui
