#include "encoders/encoders.h"
#include "encoders/fit_messages.h"
#include "model/table_helpers.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"

#include "spikelab/philox.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace spikelab {

std::vector<EncoderInfo> encoding::imageEncoders() {
    using namespace table;
    ParamInfo normalise = nonNegative("normalise", "", 0.0,
                                      "1: divide each image by its pixel sum first (pixels sum to 1)");
    normalise.max = 1.0;
    normalise.integer = true;
    ParamInfo seed = nonNegative("seed", "", 1.0, "random stream of the Poisson draws");
    seed.integer = true;
    seed.max = 4294967295.0;
    ParamInfo threshold = nonNegative("threshold", "", 1.0, "pixels below this value never fire");
    threshold.max = 255.0;
    return {{EncoderKind::CurrentInjection, "CurrentInjection",
             "Current injection: every step of a presentation each neuron of the target receives "
             "its pixel's value (0-255) times scale.",
             {anyValue("scale", "nA", 0.01, "current per unit of pixel value"), normalise}},
            {EncoderKind::PoissonRate, "PoissonRate",
             "Poisson rate coding into a SpikeSource population: each step input i spikes with "
             "probability pixel/255 * max_rate * dt; counter-based (Philox) random numbers.",
             {nonNegative("max_rate", "Hz", 100.0, "rate of a pixel of value 255"), seed}},
            {EncoderKind::LatencyCoding, "LatencyCoding",
             "Time-to-first-spike coding into a SpikeSource population: each input spikes once, at "
             "window * (1 - pixel/255); brighter pixels fire earlier.",
             {positive("window", "ms", 20.0, "time over which pixel values are spread"), threshold}}};
}

namespace {

std::vector<float> currents(const CompiledInput& in, const std::uint8_t* pixels, std::size_t n) {
    const double scale = in.param("scale");
    double factor = scale;
    if (in.param("normalise") != 0.0) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) sum += pixels[i];
        factor = sum > 0.0 ? scale / sum : 0.0;  // a blank image injects nothing
    }
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = float(double(pixels[i]) * factor);
    return out;
}

SpikeTrain poissonTrain(const CompiledInput& in, const std::uint8_t* pixels, std::size_t n,
                        std::int64_t sample, std::int64_t steps, double dt) {
    // Probability per step of a pixel of value v: v * (max_rate * dt / 1000 / 255), in float.
    const double perLevel = in.param("max_rate") * dt / 1000.0 / 255.0;
    std::vector<float> probability(n);
    for (std::size_t i = 0; i < n; ++i) probability[i] = float(double(pixels[i]) * perLevel);
    const PhiloxKey key{std::uint32_t(in.param("seed")), 0x5350494bu};  // "SPIK"
    SpikeTrain train;
    train.steps = steps;
    train.stepStart.reserve(std::size_t(steps) + 1);
    train.stepStart.push_back(0);
    for (std::int64_t s = 0; s < steps; ++s) {
        for (std::size_t g = 0; g < n; g += 4) {
            const auto bits = philox4x32({std::uint32_t(g / 4), std::uint32_t(s),
                                          std::uint32_t(std::uint64_t(sample)),
                                          std::uint32_t(std::uint64_t(sample) >> 32)},
                                         key);
            for (std::size_t k = 0; k < 4 && g + k < n; ++k)
                if (uniformFromBits(bits[k]) < probability[g + k])
                    train.inputs.push_back(std::uint32_t(g + k));
        }
        train.stepStart.push_back(std::int64_t(train.inputs.size()));
    }
    return train;
}

SpikeTrain latencyTrain(const CompiledInput& in, const std::uint8_t* pixels, std::size_t n,
                        std::int64_t steps, double dt) {
    const double window = in.param("window"), threshold = in.param("threshold");
    std::vector<std::vector<std::uint32_t>> perStep(static_cast<std::size_t>(steps));
    for (std::size_t i = 0; i < n; ++i) {
        if (pixels[i] == 0 || double(pixels[i]) < threshold) continue;
        // Compared in double first: a huge window (1e20 ms) gives a step no int64 holds.
        const double step = std::floor(window * (1.0 - pixels[i] / 255.0) / dt);
        if (step < double(steps)) perStep[std::size_t(step)].push_back(std::uint32_t(i));
    }
    SpikeTrain train;
    train.steps = steps;
    train.stepStart.push_back(0);
    for (const auto& inputs : perStep) {
        train.inputs.insert(train.inputs.end(), inputs.begin(), inputs.end());
        train.stepStart.push_back(std::int64_t(train.inputs.size()));
    }
    return train;
}

} // namespace

void encodePopulationInputs(Backend& backend, const CompiledNetwork& net, int population,
                            const ImageDataset& data, std::int64_t sample, int batchIndex) {
    const std::uint8_t* pixels = data.image(sample);
    const auto n = std::size_t(data.pixelsPerImage());
    std::vector<float> current;  // the sum so far, in the order the inputs are listed
    std::vector<SpikeTrain> trains;
    for (const auto& in : net.inputs) {
        if (in.target != population) continue;
        switch (in.encoder->kind) {
        case EncoderKind::CurrentInjection: {
            auto c = currents(in, pixels, n);
            if (current.empty())
                current = std::move(c);
            else
                for (std::size_t i = 0; i < n; ++i) current[i] += c[i];
            break;
        }
        case EncoderKind::PoissonRate:
            trains.push_back(poissonTrain(in, pixels, n, sample, net.stepsPerSample, net.dt));
            break;
        case EncoderKind::LatencyCoding:
            trains.push_back(latencyTrain(in, pixels, n, net.stepsPerSample, net.dt));
            break;
        case EncoderKind::EventReplay:
            throw InternalError("EventReplay input " + in.name + " given an image");
        }
    }
    if (!current.empty()) backend.setInputCurrent(population, batchIndex, current);
    if (!trains.empty()) backend.setInputSpikes(population, batchIndex, mergeSpikeTrains(std::move(trains)));
}

std::vector<int> inputTargets(const CompiledNetwork& net) {
    std::vector<int> targets;
    for (const auto& in : net.inputs) targets.push_back(in.target);
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    return targets;
}

void encodeSample(Backend& backend, const CompiledNetwork& net, const ImageDataset& data,
                  std::int64_t sample, int batchIndex) {
    for (int population : inputTargets(net))
        encodePopulationInputs(backend, net, population, data, sample, batchIndex);
}

void encodeSample(Backend& backend, const ImageDataset& data, std::int64_t sample, int batchIndex) {
    encodeSample(backend, backend.network(), data, sample, batchIndex);
}

void ImageSamples::check(const CompiledNetwork& network) const { checkNetworkFitsDataset(network, data_); }

void ImageSamples::encode(Backend& backend, std::int64_t sample, int batchIndex) const {
    encodeSample(backend, data_, sample, batchIndex);
}

void checkNetworkFitsDataset(const CompiledNetwork& net, const ImageDataset& data) {
    for (const auto& in : net.inputs) {
        const auto& pop = net.populations[std::size_t(in.target)];
        if (in.encoder->kind == EncoderKind::EventReplay)
            throw Error(fit::eventInputOnImages(in.name, data.name));
        if (pop.size != data.pixelsPerImage())
            throw Error(fit::pixelCount(in.name, pop.name, pop.size, data.name, data.pixelsPerImage()));
    }
    for (const auto& in : net.inputs) {
        if (in.encoder->kind != EncoderKind::PoissonRate) continue;
        const double p = in.param("max_rate") * net.dt / 1000.0;
        if (p > 1.0)
            throw Error("input " + quote(in.name) + ": max_rate " + std::to_string(in.param("max_rate")) +
                        " Hz at dt " + std::to_string(net.dt) + " ms means " + std::to_string(p) +
                        " spikes per step; at most one fits (lower max_rate or dt)");
    }
    if (net.inputs.empty()) throw Error(fit::noInput());
    if (net.readout < 0) return;  // activity only: no accuracy
    const auto& out = net.populations[std::size_t(net.readout)];
    if (out.size != data.numClasses)
        throw Error(fit::readoutClasses(out.name, out.size, data.name, data.numClasses));
}

} // namespace spikelab
