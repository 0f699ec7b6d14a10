#pragma once
// Whether a network fits the data set its experiment names, decided from the data set's shape
// alone, without reading a sample: MNIST and Fashion-MNIST are 28x28 images (784 pixels) of 10
// classes; N-MNIST recordings come from a 34x34 sensor with two polarities (2,312 inputs,
// fewer after an input's blocklist) and have 10 classes. An image input's population needs one
// neuron per pixel, an EventReplay input's one per kept sensor input, and the readout one
// neuron per class (docs/architecture.md, "Data sets").
//
// `spikelab-cli validate` and the workbench's canvas use this to refuse, and to mark, what
// `run` would refuse only once the data is loaded; the words are those of the loaded checks
// (checkNetworkFitsDataset, EventSamples::check in experiment.h), which share them.
//
// A folder named explicitly (`--data`, or the project's dataset path) may hold images of
// another size (a course's own 8x8 set filed as "mnist"): then the size is read from the
// images file's header, the only bytes read.
#include "spikelab/network.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spikelab {

struct DatasetShape {
    std::string name;        // "mnist", "fashion-mnist", "nmnist"
    bool events = false;     // event recordings (EventReplay inputs) rather than images
    std::int64_t inputs = 0; // pixels per image, or sensor inputs before any blocklist
    int numClasses = 10;
};

// The shape of the data set `ref` names (its split for an explicit image folder). Throws
// spikelab::Error for a data set SpikeLab does not know, listing the ones it does.
DatasetShape datasetShape(const DatasetRef& ref, const std::optional<std::string>& explicitDir);

// One way a network does not fit its data set.
struct DatasetMismatch {
    std::string item;    // the input or population to change; empty: the network as a whole
    std::string message; // names the input, the population and both sizes
};

// Every mismatch of the validated `spec` with `shape`: per input in project order (its type,
// then its population's size), then a network without any input, then the readout's size.
// `baseDir` is where relative blocklist files are found; one that cannot be read is a
// mismatch of its input, with the reader's message.
std::vector<DatasetMismatch> datasetMismatches(const NetworkSpec& spec, const DatasetShape& shape,
                                               const std::string& baseDir);

// Throws spikelab::Error with the first mismatch's message; returns when there is none.
void checkFitsDataset(const NetworkSpec& spec, const DatasetShape& shape,
                      const std::string& baseDir);

} // namespace spikelab
