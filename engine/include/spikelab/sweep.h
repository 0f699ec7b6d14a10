#pragma once
// Parameter sweeps: one parameter (an ITEM.PARAM of overrides.h, e.g. "hidden.Vthr",
// "pixels.scale", "experiment.steps_per_sample") set to each of a list of values in turn, the
// network compiled and evaluated on the same samples at every value. This is how thresholds
// and input scaling are tuned: the accuracy and the spike count against the value.
//
// Every value is checked before anything runs, so a bad value late in the list does not
// waste the minutes spent on the good ones before it.
#include "spikelab/dataset.h"
#include "spikelab/events.h"
#include "spikelab/network.h"
#include "spikelab/samples.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace spikelab {

struct ParameterSweep {
    std::string item;  // a population, input or projection name, or "experiment"
    std::string param; // e.g. "Vthr", "scale", "steps_per_sample"
    std::vector<double> values;
};

// The result at one value.
struct SweepPoint {
    double value = 0.0;
    std::int64_t samples = 0;
    std::int64_t correct = 0;
    double accuracy = 0.0;                // correct / samples; 0 without a readout
    double spikesPerSample = 0.0;         // mean spikes per sample, all populations together
    std::vector<double> populationSpikes; // mean spikes per sample, per population
    double seconds = 0.0;                 // wall time of the evaluation
};

struct SweepOptions {
    std::int64_t samples = 0; // per value; 0: the whole data set
    int batch = 0;            // 0: chosen for the machine
    int threads = 0;          // 0: all cores
    std::string backend = "cpu";
    std::function<void(const SweepPoint&)> onPoint; // called as each value finishes
    // Samples evaluated over all values together, and the total for the whole sweep.
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    std::function<bool()> cancelled; // polled between batches
};

struct SweepResult {
    std::vector<std::string> populations; // the names populationSpikes follow
    bool hasReadout = false;
    std::vector<SweepPoint> points; // the values that finished, in order
    std::string backend;            // the backend that ran them ("auto" resolved)
    bool cancelled = false;
};

// Splits "ITEM.PARAM" at its last dot; throws spikelab::Error quoting the text when either
// side is empty.
std::pair<std::string, std::string> splitParameterName(const std::string& text);

// Parses a value list: "START:STOP:STEP" (STOP included when the steps reach it up to
// rounding; values are rounded to the step's precision, so 0.1:0.3:0.1 gives exactly 0.1,
// 0.2 and 0.3) or a comma-separated list "1,2,5". Throws spikelab::Error quoting the text.
std::vector<double> parseSweepValues(const std::string& text);

// `spec` with the swept parameter set to `value`. Throws spikelab::Error naming the item, the
// parameter and the value when the change is refused.
NetworkSpec sweptSpec(const NetworkSpec& spec, const ParameterSweep& sweep, double value);

// Checks every value of the sweep (and that there is at least one). Throws like sweptSpec.
void checkSweep(const NetworkSpec& spec, const ParameterSweep& sweep);

// Runs the sweep on images, or on event recordings through the network's EventReplay inputs.
// Weight files are read relative to baseDir. A cancelled sweep keeps the values that
// finished; the one in progress is dropped.
SweepResult runSweep(const NetworkSpec& spec, const std::string& baseDir,
                     const ParameterSweep& sweep, const ImageDataset& data,
                     const SweepOptions& options);
SweepResult runSweep(const NetworkSpec& spec, const std::string& baseDir,
                     const ParameterSweep& sweep, const EventDataset& data,
                     const SweepOptions& options);
// On whichever `samples` holds (spikelab/samples.h).
SweepResult runSweep(const NetworkSpec& spec, const std::string& baseDir,
                     const ParameterSweep& sweep, const Samples& samples,
                     const SweepOptions& options);

} // namespace spikelab
