#include "sample_data.h"

#include "spikelab/train_project.h"

namespace spikelab::ui {

SampleData loadSampleData(const NetworkSpec& spec, const std::string& projectPath) {
    const auto& ds = spec.experiment.dataset;
    const auto folder = projectDatasetFolder(spec, projectPath);
    if (ds.name == "nmnist") return std::make_shared<const EventDataset>(loadNmnist(ds.split, folder));
    return std::make_shared<const ImageDataset>(loadImageDataset(ds.name, ds.split, folder));
}

} // namespace spikelab::ui
