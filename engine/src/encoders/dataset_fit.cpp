// Fitting a network to its data set's shape, without the data (spikelab/dataset_fit.h).
#include "spikelab/dataset_fit.h"

#include "encoders/fit_messages.h"
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/models.h"

#include <algorithm>
#include <filesystem>

namespace spikelab {

DatasetShape datasetShape(const DatasetRef& ref, const std::optional<std::string>& explicitDir) {
    if (ref.name == "nmnist") return {ref.name, true, kNmnistInputs, 10};
    const auto& images = knownImageDatasets();
    if (std::find(images.begin(), images.end(), ref.name) == images.end()) {
        std::string known;
        for (const auto& n : images) known += quote(n) + ", ";
        throw Error("experiment: data set " + quote(ref.name) + " is unknown (expected " + known +
                    "or \"nmnist\")");
    }
    DatasetShape shape{ref.name, false, 28 * 28, 10};
    if (explicitDir && !explicitDir->empty())
        if (const auto size = peekImageSize(ref.name, ref.split, *explicitDir))
            shape.inputs = std::int64_t(size->first) * size->second;
    return shape;
}

std::vector<DatasetMismatch> datasetMismatches(const NetworkSpec& spec, const DatasetShape& shape,
                                               const std::string& baseDir) {
    std::vector<DatasetMismatch> found;
    for (const auto& in : spec.inputs) {
        const EncoderInfo& info = encoder(in.type, "input " + quote(in.name));
        const bool replays = info.kind == EncoderKind::EventReplay;
        if (replays != shape.events) {
            found.push_back(
                {in.name, replays ? fit::eventInputOnImages(in.name, shape.name)
                                  : fit::imageInputOnEvents(in.name, info.name, shape.name)});
            continue;
        }
        const PopulationSpec* pop = spec.findPopulation(in.target);
        if (!pop) continue; // validate names the missing target
        if (!replays) {
            if (pop->size != shape.inputs)
                found.push_back({pop->name, fit::pixelCount(in.name, pop->name, pop->size,
                                                            shape.name, shape.inputs)});
            continue;
        }
        // The same path compileNetwork resolves, so the message names the same file.
        std::string file;
        std::int64_t kept = shape.inputs;
        if (!in.file.empty()) {
            const std::filesystem::path p(in.file);
            file = p.is_absolute() ? in.file : (std::filesystem::path(baseDir) / p).string();
            try {
                kept = inputsWithout(readBlocklist(file)).kept;
            } catch (const Error& e) {
                found.push_back({in.name, "input " + quote(in.name) + ": " + e.what()});
                continue;
            }
        }
        if (pop->size != kept)
            found.push_back(
                {pop->name, fit::eventInputCount(in.name, pop->name, pop->size, kept, file)});
    }
    if (spec.inputs.empty()) found.push_back({"", fit::noInput()});
    if (const PopulationSpec* out = spec.experiment.readout.empty()
                                        ? nullptr
                                        : spec.findPopulation(spec.experiment.readout);
        out && out->size != shape.numClasses)
        found.push_back(
            {out->name, fit::readoutClasses(out->name, out->size, shape.name, shape.numClasses)});
    return found;
}

void checkFitsDataset(const NetworkSpec& spec, const DatasetShape& shape,
                      const std::string& baseDir) {
    const auto found = datasetMismatches(spec, shape, baseDir);
    if (!found.empty()) throw Error(found.front().message);
}

} // namespace spikelab
