#include "spikelab/error.h"
#include "spikelab/experiment.h"

#include <algorithm>
#include <chrono>
#include <omp.h>

namespace spikelab {

int predictClass(const std::vector<std::uint32_t>& counts) {
    int best = 0;
    for (std::size_t i = 1; i < counts.size(); ++i)
        if (counts[i] > counts[std::size_t(best)]) best = int(i);
    return best;
}

int defaultBatch(std::int64_t samples, int threads) {
    // Enough copies per thread to balance the load; few enough that one batch's state stays
    // small. Measured with bench/mnist_inference: flat between 64 and 1024 on 2 cores.
    const std::int64_t wanted = std::max<std::int64_t>(256, std::int64_t(threads) * 32);
    return int(std::max<std::int64_t>(1, std::min(samples, wanted)));
}

EvaluationResult evaluate(const CompiledNetwork& net, const ImageDataset& data,
                          const EvaluationOptions& options) {
    return evaluate(net, ImageSamples(data), options);
}

EvaluationResult evaluate(const CompiledNetwork& net, const SampleSource& data,
                          const EvaluationOptions& options) {
    for (const auto& j : net.projections)
        if (j.plastic())
            throw Error("projection " + quote(j.name) + " is plastic (" + quote(j.weightUpdate->name) +
                        "): its weights change as the network runs, so an accuracy would depend on the batch "
                        "size and the order of the samples; evaluate a network whose weights are fixed "
                        "(weight_update \"StaticPulse\")");
    data.check(net);
    EvaluationResult r;
    r.samples = options.samples > 0 ? std::min(options.samples, data.count()) : data.count();
    if (r.samples <= 0) throw Error("data set " + quote(data.name()) + " has no samples");
    r.threads = options.threads > 0 ? options.threads : omp_get_num_procs();
    r.batch = options.batch > 0 ? int(std::min<std::int64_t>(options.batch, r.samples))
                                : defaultBatch(r.samples, r.threads);
    r.hasReadout = net.readout >= 0;
    r.numClasses = data.numClasses();
    r.confusion.assign(std::size_t(r.numClasses * r.numClasses), 0);
    r.stepsPerSample = net.stepsPerSample;
    for (const auto& p : net.populations) r.populations.push_back(p.name);
    std::vector<double> totalSpikes(net.populations.size(), 0.0);

    BackendOptions bo;
    bo.batch = r.batch;
    bo.threads = r.threads;
    bo.recording = false;
    auto backend = createBackend(options.backend, net, bo);
    r.backend = backend->name();

    std::vector<std::uint32_t> counts;
    const auto start = std::chrono::steady_clock::now();
    std::int64_t done = 0;
    while (done < r.samples) {
        if (options.cancelled && options.cancelled()) {
            r.cancelled = true;
            break;
        }
        const int n = int(std::min<std::int64_t>(r.batch, r.samples - done));
        backend->resetState();
        backend->clearInputs();
        for (int b = 0; b < n; ++b) data.encode(*backend, done + b, b);
        backend->advance(net.stepsPerSample);
        for (int b = 0; b < n; ++b) {
            for (std::size_t p = 0; p < net.populations.size(); ++p) {
                counts.resize(std::size_t(net.populations[p].size));
                backend->spikeCounts(int(p), b, counts);
                for (auto c : counts) totalSpikes[p] += c;
                if (int(p) == net.readout) {
                    const int label = data.label(done + b);
                    const int predicted = predictClass(counts);
                    r.confusion[std::size_t(label * r.numClasses + predicted)]++;
                    if (label == predicted) r.correct++;
                }
            }
        }
        done += n;
        if (options.progress) options.progress(done, r.samples);
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.samples = done;
    r.accuracy = done > 0 ? double(r.correct) / double(done) : 0.0;
    for (double& s : totalSpikes) s = done > 0 ? s / double(done) : 0.0;
    r.spikesPerSample = totalSpikes;
    return r;
}

} // namespace spikelab
