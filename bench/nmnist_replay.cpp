// bench/nmnist_replay: steps per second of N-MNIST replay through a SpikeSource population
// of the 1,196 inputs NEST's blocklist keeps, feeding 100 LIF neurons and 10 IF outputs
// (the shape of NEST's e-prop N-MNIST example), 300 steps per sample. Prints figures; never
// fails on time.
//
//   nmnist_replay [--data DIR] [--threads T] [--batch B ...]
#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/experiment.h"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace spikelab;

namespace {

NetworkSpec replayNetwork(std::int64_t inputs, const std::string& blocklist) {
    NetworkSpec s;
    PopulationSpec in, hidden, out;
    in.name = "events", in.size = inputs, in.model = "SpikeSource";
    hidden.name = "hidden", hidden.size = 100, hidden.model = "LIF";
    out.name = "out", out.size = 10, out.model = "IF";
    s.populations = {in, hidden, out};
    ProjectionSpec a, b;
    a.name = "events_hidden", a.source = "events", a.target = "hidden";
    a.weights.type = WeightInitType::Normal, a.weights.mean = 0.05, a.weights.sd = 0.2;
    b.name = "hidden_out", b.source = "hidden", b.target = "out";
    b.weights.type = WeightInitType::Glorot;
    s.projections = {a, b};
    InputSpec replay;
    replay.name = "replay", replay.type = "EventReplay", replay.target = "events";
    replay.file = blocklist;
    s.inputs = {replay};
    s.experiment.stepsPerSample = 300;
    s.experiment.readout = "out";
    return s;
}

} // namespace

int main(int argc, char** argv) {
    std::string dir = std::string(SPIKELAB_SOURCE_DIR) + "/../shared/data/nmnist";
    int threads = omp_get_num_procs();
    std::vector<int> batches;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (a == "--data" && v) dir = v, ++i;
        else if (a == "--threads" && v) threads = std::atoi(v), ++i;
        else if (a == "--batch" && v) batches.push_back(std::atoi(v)), ++i;
        else {
            std::fprintf(stderr, "usage: nmnist_replay [--data DIR] [--threads T] [--batch B ...]\n");
            return 2;
        }
    }
    if (batches.empty()) batches = {1, 32, 128};
    const std::string blocklist = dir + "/NMNIST_pixels_blocklist.txt";
    if (!std::filesystem::exists(dir + "/Train") || !std::filesystem::exists(blocklist)) {
        std::printf("nmnist_replay: no N-MNIST recordings and blocklist in %s; nothing to measure\n",
                    dir.c_str());
        return 0;
    }
    try {
        const EventDataset data = loadNmnist("train", dir);
        const InputMap map = inputsWithout(readBlocklist(blocklist));
        const CompiledNetwork net = compileNetwork(replayNetwork(map.kept, blocklist), ".");
        const EventSamples samples(data, net);
        std::printf("network   %lld replayed inputs -> 100 LIF -> 10 IF, %lld steps per sample\n",
                    static_cast<long long>(map.kept), static_cast<long long>(net.stepsPerSample));
        std::printf("data      %zu N-MNIST training recordings from %s\n", data.samples.size(), dir.c_str());
        std::printf("threads   %d\n\n", threads);

        const auto t0 = std::chrono::steady_clock::now();
        std::int64_t inputSpikes = 0;
        for (std::int64_t s = 0; s < samples.count(); ++s) inputSpikes += samples.train(0, s).spikeCount();
        const double mapSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("mapping   %.3f s for all samples (%.0f samples/s), %.0f input spikes per sample\n\n",
                    mapSeconds, double(samples.count()) / mapSeconds,
                    double(inputSpikes) / double(samples.count()));

        std::printf("%7s %10s %12s %16s\n", "batch", "seconds", "samples/s", "copy-steps/s");
        for (int batch : batches) {
            EvaluationOptions o;
            o.batch = batch;
            o.threads = threads;
            const auto r = evaluate(net, samples, o);
            std::printf("%7d %10.3f %12.0f %16.3g\n", batch, r.seconds, double(r.samples) / r.seconds,
                        double(r.samples) * double(net.stepsPerSample) / r.seconds);
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "nmnist_replay: %s\n", e.what());
        return 1;
    }
    return 0;
}
