#pragma once
// The words of every refusal "this network cannot be driven by this data set". They are
// written once here because three checks must say the same thing: the ones that run with the
// data loaded (checkNetworkFitsDataset for images, EventSamples::check for recordings) and
// the one that knows only the data set's shape (dataset_fit.h, what `spikelab-cli validate`
// and the workbench's canvas use), so that `validate` refuses with the words `run` would.
#include "spikelab/error.h"

#include <cstdint>
#include <string>

namespace spikelab::fit {

inline std::string eventInputOnImages(const std::string& input, const std::string& dataset) {
    return "input " + quote(input) + " replays event recordings, but " + dataset +
           " is an image data set";
}

inline std::string imageInputOnEvents(const std::string& input, const std::string& encoder,
                                      const std::string& dataset) {
    return "input " + quote(input) + " is " + encoder + ", which encodes images; " + dataset +
           " holds event recordings (use EventReplay)";
}

inline std::string pixelCount(const std::string& input, const std::string& population,
                              std::int64_t size, const std::string& dataset, std::int64_t pixels) {
    return "input " + quote(input) + ": population " + quote(population) + " has " +
           std::to_string(size) + " neurons but " + dataset + " images have " +
           std::to_string(pixels) + " pixels";
}

// `blocklist` is the input's blocklist file as the project names it, empty for none.
inline std::string eventInputCount(const std::string& input, const std::string& population,
                                   std::int64_t size, std::int64_t kept,
                                   const std::string& blocklist) {
    return "input " + quote(input) + ": population " + quote(population) + " has " +
           std::to_string(size) + " neurons but " + std::to_string(kept) +
           " event inputs are kept" +
           (blocklist.empty() ? std::string(" (no blocklist)")
                              : " after the blocklist " + quote(blocklist));
}

inline std::string readoutClasses(const std::string& population, std::int64_t size,
                                  const std::string& dataset, int classes) {
    return "experiment: readout population " + quote(population) + " has " + std::to_string(size) +
           " neurons but " + dataset + " has " + std::to_string(classes) + " classes";
}

inline std::string noInput() {
    return "the network has no input to present the data set with";
}

} // namespace spikelab::fit
