#include "encoders/encoders.h"
#include "model/table_helpers.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"

#include <vector>

namespace spikelab {

std::vector<EncoderInfo> encoding::imageEncoders() {
    using namespace table;
    return {{EncoderKind::CurrentInjection, "CurrentInjection",
             "Current injection: every step of a presentation each neuron of the target receives "
             "its pixel's value (0-255) times scale.",
             {anyValue("scale", "nA", 0.01, "current per unit of pixel value")}}};
}

void encodeSample(Backend& backend, const ImageDataset& data, std::int64_t sample, int batchIndex) {
    const auto& net = backend.network();
    const std::uint8_t* pixels = data.image(sample);
    std::vector<float> current;
    for (const auto& in : net.inputs) {
        switch (in.encoder->kind) {
        case EncoderKind::CurrentInjection: {
            const float scale = float(in.param("scale"));
            current.resize(std::size_t(data.pixelsPerImage()));
            for (std::size_t i = 0; i < current.size(); ++i) current[i] = float(pixels[i]) * scale;
            backend.setInputCurrent(in.target, batchIndex, current);
            break;
        }
        }
    }
}

void checkNetworkFitsDataset(const CompiledNetwork& net, const ImageDataset& data) {
    for (const auto& in : net.inputs) {
        const auto& pop = net.populations[std::size_t(in.target)];
        if (pop.size != data.pixelsPerImage())
            throw Error("input " + quote(in.name) + ": population " + quote(pop.name) + " has " +
                        std::to_string(pop.size) + " neurons but " + data.name + " images have " +
                        std::to_string(data.pixelsPerImage()) + " pixels");
    }
    if (net.inputs.empty()) throw Error("the network has no input to present the data set with");
    if (net.readout < 0) throw Error("experiment: no readout population is set");
    const auto& out = net.populations[std::size_t(net.readout)];
    if (out.size != data.numClasses)
        throw Error("experiment: readout population " + quote(out.name) + " has " +
                    std::to_string(out.size) + " neurons but " + data.name + " has " +
                    std::to_string(data.numClasses) + " classes");
}

} // namespace spikelab
