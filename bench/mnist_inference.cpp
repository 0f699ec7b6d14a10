// bench/mnist_inference: the GeNN MNIST tutorial's inference workload, 10,000 images x 100
// steps through a 784-128-10 IF network, timed for a range of batch sizes. Prints figures;
// never fails on time.
//
//   mnist_inference [--project FILE] [--data DIR] [--samples N] [--threads T] [--batch B ...]
//                   [--backend cpu|cuda|auto]
//
// --backend cuda on a machine without a usable device says so and exits 0.
// Without --project it uses projects/mnist-if; without MNIST it makes random digit-like
// images (and says so).
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace spikelab;

namespace {

ImageDataset syntheticDigits(std::int64_t count) {
    ImageDataset d;
    d.name = "synthetic";
    d.split = "test";
    d.count = count;
    d.rows = d.cols = 28;
    d.pixels.resize(std::size_t(count) * 784);
    d.labels.resize(std::size_t(count));
    std::mt19937 rng(7);
    for (std::int64_t i = 0; i < count; ++i) {
        d.labels[std::size_t(i)] = std::uint8_t(rng() % 10);
        // ~19% of pixels lit, like an MNIST digit: a thick random stroke.
        int x = 8 + int(rng() % 12), y = 4 + int(rng() % 6);
        for (int k = 0; k < 150; ++k) {
            x = std::clamp(x + int(rng() % 3) - 1, 2, 25);
            y = std::clamp(y + int(rng() % 3) - 1, 2, 25);
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    d.pixels[std::size_t(i * 784 + (y + dy) * 28 + x + dx)] = 255;
        }
    }
    return d;
}

} // namespace

int main(int argc, char** argv) {
    std::string project = std::string(SPIKELAB_SOURCE_DIR) + "/projects/mnist-if/mnist-if.json";
    std::string dataDir;
    std::int64_t samples = 10000;
    int threads = omp_get_num_procs();
    std::vector<int> batches;
    std::string backend = "cpu";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (a == "--project" && v) project = v, ++i;
        else if (a == "--data" && v) dataDir = v, ++i;
        else if (a == "--samples" && v) samples = std::atoll(v), ++i;
        else if (a == "--threads" && v) threads = std::atoi(v), ++i;
        else if (a == "--batch" && v) batches.push_back(std::atoi(v)), ++i;
        else if (a == "--backend" && v) backend = v, ++i;
        else {
            std::fprintf(stderr, "usage: mnist_inference [--project FILE] [--data DIR] "
                                 "[--samples N] [--threads T] [--batch B ...] "
                                 "[--backend cpu|cuda|auto]\n");
            return 2;
        }
    }
    try {
        const NetworkSpec spec = loadProject(project);
        const CompiledNetwork net = compileNetwork(spec, projectDir(project));
        // The backend evaluate() will get: "auto" resolves here, and asking for CUDA without a
        // device is reported rather than timed on the CPU under the wrong name.
        const std::string used = createBackend(backend, net)->name();
        if (used != backend && backend == "cuda") {
            std::printf("mnist_inference: %s\nno GPU figures: run it on a machine with a CUDA device\n",
                        backendNotice().c_str());
            return 0;
        }
        // The GPU needs large batches to fill its cores; the CPU is measured where it saturates.
        if (batches.empty())
            batches = used == "cuda" ? std::vector<int>{1, 16, 64, 256, 1024, 4096, 10000}
                                     : std::vector<int>{1, 16, 64, 256, 1024};
        ImageDataset data;
        std::string source;
        try {
            std::optional<std::string> folder;
            if (!dataDir.empty()) folder = dataDir;
            else if (std::filesystem::exists(std::string(SPIKELAB_SOURCE_DIR) + "/../shared/data/mnist"))
                folder = std::string(SPIKELAB_SOURCE_DIR) + "/../shared/data/mnist";
            data = loadImageDataset("mnist", "test", folder, samples);
            source = data.imagesPath;
        } catch (const Error& e) {
            data = syntheticDigits(samples);
            source = "synthetic digits (MNIST not found)";
        }
        std::printf("network   %s: %lld neurons, %lld synapses, %lld steps per image\n",
                    project.c_str(), static_cast<long long>(net.neuronCount()),
                    static_cast<long long>(net.synapseCount()),
                    static_cast<long long>(net.stepsPerSample));
        std::printf("data      %lld images from %s\n", static_cast<long long>(data.count),
                    source.c_str());
        std::printf("backend   %s\n", used.c_str());
        std::printf("threads   %d\n\n", threads);
        std::printf("%7s %10s %12s %14s %10s %12s\n", "batch", "seconds", "images/s",
                    "syn. events/s", "accuracy", "spikes/img");
        for (int batch : batches) {
            EvaluationOptions o;
            o.batch = batch;
            o.threads = threads;
            o.backend = used;
            const auto r = evaluate(net, data, o);
            // Synaptic events: every spike of a population times the fan-out of its projections.
            double events = 0.0, spikes = 0.0;
            for (std::size_t p = 0; p < net.populations.size(); ++p) {
                spikes += r.spikesPerSample[p];
                for (const auto& j : net.projections)
                    if (j.source == int(p))
                        events += r.spikesPerSample[p] * double(j.synapses.synapseCount()) /
                                  double(net.populations[p].size);
            }
            events *= double(r.samples);
            std::printf("%7d %10.3f %12.0f %14.3g %9.2f%% %12.0f\n", batch, r.seconds,
                        double(r.samples) / r.seconds, events / r.seconds, 100.0 * r.accuracy,
                        spikes);
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "mnist_inference: %s\n", e.what());
        return 1;
    }
    return 0;
}
