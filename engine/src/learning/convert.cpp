#include "spikelab/convert.h"

#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/npy.h"
#include "spikelab/project.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace spikelab {

FeedForwardChain findFeedForwardChain(const NetworkSpec& spec) {
    FeedForwardChain chain;
    bool haveInput = false;
    for (std::size_t i = 0; i < spec.inputs.size() && !haveInput; ++i)
        if (spec.inputs[i].type == "CurrentInjection") chain.input = i, haveInput = true;
    if (!haveInput) throw Error("conversion needs a CurrentInjection input; the project has none");
    if (spec.experiment.readout.empty()) throw Error("conversion needs a readout population");

    std::string current = spec.inputs[chain.input].target;
    while (true) {
        const auto index = spec.populationIndex(current);
        if (!index) throw Error("unknown population " + quote(current));
        if (std::find(chain.populations.begin(), chain.populations.end(), *index) !=
            chain.populations.end())
            throw Error("population " + quote(current) + " is reached twice: the network is not "
                        "feed-forward");
        const auto& pop = spec.populations[*index];
        if (pop.model != "IF")
            throw Error("population " + quote(pop.name) + " is " + pop.model +
                        "; ANN conversion supports IF populations only");
        chain.populations.push_back(*index);
        chain.sizes.push_back(pop.size);
        if (current == spec.experiment.readout) break;
        std::vector<std::size_t> outgoing;
        for (std::size_t j = 0; j < spec.projections.size(); ++j)
            if (spec.projections[j].source == current) outgoing.push_back(j);
        if (outgoing.size() != 1)
            throw Error("population " + quote(current) + " has " + std::to_string(outgoing.size()) +
                        " outgoing projections; a feed-forward chain to the readout " +
                        quote(spec.experiment.readout) + " needs exactly one");
        const auto& proj = spec.projections[outgoing[0]];
        if (proj.connectivity.type != ConnectivityType::Dense)
            throw Error("projection " + quote(proj.name) + " is " + toString(proj.connectivity.type) +
                        "; ANN conversion needs dense projections");
        if (proj.postsynaptic.model != "DeltaCurr")
            throw Error("projection " + quote(proj.name) + " uses " + proj.postsynaptic.model +
                        "; ANN conversion needs DeltaCurr");
        chain.projections.push_back(outgoing[0]);
        current = proj.target;
    }
    if (chain.projections.empty())
        throw Error("the input population is the readout: there is nothing to train");
    return chain;
}

CompiledNetwork compileWithChainWeights(const NetworkSpec& spec, const FeedForwardChain& chain,
                                        const std::vector<std::vector<float>>& layers) {
    NetworkSpec copy = spec;
    for (auto j : chain.projections) copy.projections[j].weights = WeightSpec{};  // constant 0
    CompiledNetwork net = compileNetwork(copy, ".");
    for (std::size_t l = 0; l < chain.projections.size(); ++l) {
        auto& w = net.projections[chain.projections[l]].synapses.weights;
        if (layers[l].size() != w.size())
            throw InternalError("layer " + std::to_string(l) + " has " +
                                std::to_string(layers[l].size()) + " weights, expected " +
                                std::to_string(w.size()));
        w = layers[l];
    }
    return net;
}

namespace {
// Spikes per step of an IF neuron (reset to 0) driven by constant current i with threshold v.
double ifRate(double current, double threshold) {
    if (current <= 0.0) return 0.0;
    if (threshold <= 0.0) return 1.0;
    return 1.0 / std::ceil(threshold / current);
}

double paramOf(const PopulationSpec& pop, const std::string& name, double fallback) {
    auto it = pop.params.find(name);
    return it == pop.params.end() ? fallback : it->second;
}
} // namespace

ConversionResult convertAnnToSnn(const NetworkSpec& spec, const FeedForwardChain& chain,
                                 const AnnWeights& ann, const ImageDataset& calibration,
                                 const ConversionOptions& options) {
    const std::size_t L = chain.projections.size();
    if (ann.sizes != chain.sizes)
        throw Error("the ANN's layer sizes do not match the project's feed-forward chain");
    ConversionResult result;
    const auto percentiles =
        annActivationPercentiles(ann, calibration, options.percentile, options.calibrationSamples);
    result.activationScale.assign(percentiles.begin(), percentiles.end());
    for (auto& lambda : result.activationScale)
        if (!(lambda > 0.0)) lambda = 1.0;  // a silent layer: leave its scale alone

    const auto& inputSpec = spec.inputs[chain.input];
    const double scale = inputSpec.params.count("scale") ? inputSpec.params.at("scale") : 0.01;
    const auto& inputPop = spec.populations[chain.populations[0]];
    const double inputRate = ifRate(255.0 * scale, paramOf(inputPop, "Vthr", 5.0));
    if (inputRate <= 0.0)
        throw Error("input " + quote(inputSpec.name) + ": scale " + std::to_string(scale) +
                    " never makes the input population fire");

    auto layersFor = [&](double gamma) {
        std::vector<std::vector<float>> layers(L);
        for (std::size_t l = 0; l < L; ++l) {
            const double previousScale = l == 0 ? 1.0 : result.activationScale[l - 1];
            const double previousRate = l == 0 ? inputRate : std::min(gamma, 1.0);
            const double threshold = paramOf(spec.populations[chain.populations[l + 1]], "Vthr", 5.0);
            const double factor =
                previousScale / result.activationScale[l] * threshold * gamma / previousRate;
            layers[l].resize(ann.layers[l].size());
            for (std::size_t k = 0; k < layers[l].size(); ++k)
                layers[l][k] = float(double(ann.layers[l][k]) * factor);
        }
        return layers;
    };

    CompiledNetwork net = compileWithChainWeights(spec, chain, layersFor(1.0));
    EvaluationOptions eval;
    eval.samples = options.calibrationSamples;
    eval.threads = options.threads;
    double bestAccuracy = -1.0, bestSpikes = 0.0;
    for (double gamma : options.gammas) {
        const auto layers = layersFor(gamma);
        for (std::size_t l = 0; l < L; ++l)
            net.projections[chain.projections[l]].synapses.weights = layers[l];
        const auto r = evaluate(net, calibration, eval);
        double spikes = 0.0;
        for (double s : r.spikesPerSample) spikes += s;
        result.trials.push_back({gamma, r.accuracy, spikes});
        if (r.accuracy > bestAccuracy || (r.accuracy == bestAccuracy && spikes < bestSpikes)) {
            bestAccuracy = r.accuracy;
            bestSpikes = spikes;
            result.gamma = gamma;
        }
    }
    result.layers = layersFor(result.gamma);
    return result;
}

std::string chainWeightFile(const ProjectionSpec& proj) {
    return proj.weights.type == WeightInitType::Npy && !proj.weights.file.empty() ? proj.weights.file
                                                                                  : proj.name + ".npy";
}

void checkChainWeightFiles(const NetworkSpec& spec, const std::string& projectPath,
                           const FeedForwardChain& chain) {
    for (std::size_t index : chain.projections) {
        const auto& proj = spec.projections[index];
        projectWritePath(projectPath, chainWeightFile(proj), "projection " + quote(proj.name));
    }
}

void storeChainWeights(NetworkSpec& spec, const std::string& projectPath,
                       const FeedForwardChain& chain,
                       const std::vector<std::vector<float>>& layers, FileSet& files) {
    for (std::size_t l = 0; l < chain.projections.size(); ++l) {
        auto& proj = spec.projections[chain.projections[l]];
        const std::string file = chainWeightFile(proj);
        files.add(projectWritePath(projectPath, file, "projection " + quote(proj.name)),
                  encodeNpy({chain.sizes[l], chain.sizes[l + 1]}, layers[l]));
        proj.weights = WeightSpec{};
        proj.weights.type = WeightInitType::Npy;
        proj.weights.file = file;
    }
}

} // namespace spikelab
