#include "simulation_controller.h"

#include "thread_handoff.h"

#include "spikelab/error.h"
#include "spikelab/experiment.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace spikelab::ui {

namespace {
constexpr std::size_t kMaxFrames = 1200;                    // ~20 s of frames at 60 Hz
constexpr auto kSliceBudget = std::chrono::milliseconds(8); // worker time per tick

// What an exception escaping the data set or the backend says. Nothing may leave the worker's
// event handlers: Qt ends the whole process on an exception thrown through its event loop.
std::string describe(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) return "out of memory";
    return e.what();
}
} // namespace

SimulationController::SimulationController(const CompiledNetwork& network, SampleData data,
                                           const std::string& backend, QObject* parent)
    : QObject(parent), network_(network), shown_(network), data_(std::move(data)) {
    if (data_.images) checkNetworkFitsDataset(network_, *data_.images);
    if (data_.events) {
        // It follows network_, so replay parameters changed while running apply to the
        // next sample.
        events_ = std::make_unique<EventSamples>(*data_.events, network_);
        events_->check(network_);
    }
    BackendOptions options;
    options.batch = 1;
    options.threads = 1;
    backend_ = createBackend(backend, network_, options);
    backendName_ = backend_->name();
    notice_ = backendNotice();
    readSeq_.assign(network_.populations.size(), 0);
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    // The signals carry nothing: what crosses threads waits in a mutex-guarded queue
    // (thread_handoff.h says why).
    connect(this, &SimulationController::commandsPending, worker_, [this] { runCommands(); });
    connect(
        this, &SimulationController::stopRequested, worker_,
        [this] {
            takeOver();
            running_ = false;
            delete timer_;
            timer_ = nullptr;
            handOff();
        },
        Qt::BlockingQueuedConnection);
    connect(
        this, &SimulationController::failuresPending, this,
        [this] {
            std::vector<QString> messages;
            {
                std::lock_guard lock(queueMutex_);
                messages.swap(failures_);
            }
            for (const QString& m : messages) emit failed(m);
        },
        Qt::QueuedConnection);
    thread_.setObjectName("spikelab-simulation");
    thread_.start();
    post([this] { startWorker(); });
}

SimulationController::~SimulationController() {
    shutdown();
}

void SimulationController::shutdown() {
    if (shutDown_) return;
    shutDown_ = true;
    handOff();
    emit stopRequested();
    takeOver();
    thread_.quit();
    thread_.wait();
    // Deleted here, once its thread has ended, not by deleteLater in that thread: nothing of
    // ours runs there after the stop above.
    delete worker_;
    worker_ = nullptr;
}

void SimulationController::post(std::function<void()> command) {
    if (shutDown_) return;
    {
        std::lock_guard lock(queueMutex_);
        commands_.push_back(std::move(command));
    }
    emit commandsPending();
}

void SimulationController::runCommands() {
    std::function<void()> command;
    while (takeNext(queueMutex_, commands_, command)) {
        try {
            command();
        } catch (const Error& e) {
            reportFailure(e.what());
        } catch (const std::exception& e) {
            stopOnFailure(describe(e));
        }
    }
}

void SimulationController::run() {
    post([this] {
        stepBudget_ = -1;
        running_ = true;
        schedule();
    });
}

void SimulationController::pause() {
    post([this] {
        running_ = false;
        schedule();
    });
}

void SimulationController::stepN(std::int64_t steps) {
    post([this, steps] {
        stepBudget_ = steps;
        running_ = steps > 0;
        schedule();
    });
}

void SimulationController::stepSample() {
    post([this] {
        stepBudget_ = nextSamplePending_
                          ? network_.stepsPerSample
                          : network_.stepsPerSample - (backend_->currentStep() - sampleStart_);
        running_ = stepBudget_ > 0;
        schedule();
    });
}

void SimulationController::reset() {
    post([this] {
        SimulationFrame frame;
        frame.endStep = backend_->currentStep();
        beginSample(sample_, frame);
        publish(std::move(frame));
    });
}

void SimulationController::selectSample(std::int64_t sample) {
    post([this, sample] {
        SimulationFrame frame;
        frame.endStep = backend_->currentStep();
        beginSample(sample, frame);
        publish(std::move(frame));
    });
}

namespace {
// A neuron or encoder parameter, or steps_per_sample, changed in `net` after checking it
// against its table; throws spikelab::Error naming the item, and changes nothing then.
void patchParameter(CompiledNetwork& net, const ParameterChange& change) {
    if (change.item == "experiment") {
        if (change.param != "steps_per_sample")
            throw Error("experiment." + change.param + " cannot change while the network runs");
        net.stepsPerSample = wholeNumber(change.value, 1, kMaxStepsPerSample, "experiment: steps_per_sample");
        return;
    }
    const auto patch = [&](const ParamTable& table, std::vector<double>& values, const std::string& what) {
        const ParamInfo* info = findParam(table, change.param);
        if (!info) throw Error(what + ": unknown parameter " + quote(change.param));
        if (const auto why = info->check(change.value); !why.empty())
            throw Error(what + ": " + change.param + " = " + formatNumber(change.value) + " " + why);
        values[std::size_t(info - table.data())] = change.value;
    };
    for (auto& p : net.populations)
        if (p.name == change.item) return patch(p.model->params, p.params, "population " + quote(p.name));
    for (auto& in : net.inputs)
        if (in.name == change.item) return patch(in.encoder->params, in.params, "input " + quote(in.name));
    throw Error("no population or input is called " + quote(change.item));
}
} // namespace

void SimulationController::setParameter(const ParameterChange& change) {
    try {
        patchParameter(shown_, change);
    } catch (const Error&) {
        // The worker refuses it too, and failed() says why.
    }
    post([this, change] {
        SimulationFrame taken;
        taken.endStep = backend_->currentStep();
        taken.parameterSteps.push_back(taken.endStep);
        try {
            applyChange(change);
        } catch (const Error&) {
            publish(std::move(taken));
            throw;
        }
        publish(std::move(taken));
    });
}

void SimulationController::setNeuronModels(std::vector<CompiledPopulation> populations) {
    for (const CompiledPopulation& changed : populations) {
        const int p = shown_.populationIndex(changed.name);
        if (p < 0) continue;  // the worker says so
        auto& shown = shown_.populations[std::size_t(p)];
        shown.model = changed.model;
        shown.params = changed.params;
        shown.initial = changed.initial;
    }
    post([this, populations = std::move(populations)] {
        SimulationFrame taken;
        taken.endStep = backend_->currentStep();
        taken.parameterSteps.push_back(taken.endStep);
        try {
            for (const CompiledPopulation& changed : populations) {
                const int p = network_.populationIndex(changed.name);
                if (p < 0) throw Error("population " + quote(changed.name) + " is not in the running network");
                backend_->setNeuronModel(p, *changed.model, changed.params, changed.initial);
                network_.populations[std::size_t(p)] = backend_->network().populations[std::size_t(p)];
                // The probe follows the model's membrane variable.
                if (p == probePopulation_ && !changed.model->voltage.empty())
                    backend_->setStateRecording(p, {changed.model->voltage}, probeNeurons_);
            }
        } catch (const Error&) {
            publish(std::move(taken));
            throw;
        }
        publish(std::move(taken));
    });
}

void SimulationController::setProbe(int population, std::vector<std::int64_t> neurons,
                                    std::int64_t window) {
    post([this, population, neurons = std::move(neurons), window] {
        const auto& pop = network_.populations.at(std::size_t(population));
        if (probePopulation_ >= 0 && probePopulation_ != population) {
            const auto& old = network_.populations[std::size_t(probePopulation_)].record;
            backend_->setStateRecording(probePopulation_, old.variables, old.neurons);
        }
        probePopulation_ = -1;
        probeNeurons_.clear();
        if (neurons.empty()) {
            backend_->setStateRecording(population, pop.record.variables, pop.record.neurons);
            return;
        }
        backend_->setStateRecording(population, {pop.model->voltage}, neurons);
        probePopulation_ = population;
        probeNeurons_ = std::move(neurons);
        probeSeq_ = 0;
        probeWindow_ = std::max<std::int64_t>(1, window);
    });
}

void SimulationController::requestWeights(int projection) {
    post([this, projection] {
        SimulationFrame frame;
        frame.endStep = backend_->currentStep();
        WeightSnapshot snapshot;
        snapshot.projection = projection;
        snapshot.weights.resize(
            std::size_t(network_.projections.at(std::size_t(projection)).synapses.synapseCount()));
        // The views show batch copy 0, as the raster and traces do.
        backend_->readWeights(projection, 0, snapshot.weights);
        frame.weights.push_back(std::move(snapshot));
        publish(std::move(frame));
    });
}

void SimulationController::applyChange(const ParameterChange& change) {
    const int population = network_.populationIndex(change.item);
    if (population >= 0) backend_->setParam(population, change.param, change.value);
    patchParameter(network_, change);
    if (change.item == "experiment") {
        if (!nextSamplePending_ &&
            backend_->currentStep() - sampleStart_ >= network_.stepsPerSample) {
            SimulationFrame frame;
            frame.endStep = backend_->currentStep();
            finishSample(frame);
            publish(std::move(frame));
        }
        return;
    }
    for (const auto& in : network_.inputs) {
        // A current takes the new value at once (summed again with the other inputs of its
        // population); a spike train keeps its presentation.
        if (in.name == change.item && data_.images && !nextSamplePending_ &&
            in.encoder->kind == EncoderKind::CurrentInjection)
            encodePopulationInputs(*backend_, network_, in.target, *data_.images, sample_, 0);
    }
}

void SimulationController::setSpeed(double modelMsPerSecond) {
    post([this, modelMsPerSecond] {
        speed_ = std::max(0.0, modelMsPerSecond);
        paceOrigin_ = std::chrono::steady_clock::now();
        paceOriginStep_ = backend_->currentStep();
    });
}

std::vector<SimulationFrame> SimulationController::takeFrames() {
    std::lock_guard lock(framesMutex_);
    std::vector<SimulationFrame> out(std::make_move_iterator(frames_.begin()),
                                     std::make_move_iterator(frames_.end()));
    frames_.clear();
    return out;
}

// ---- worker side ------------------------------------------------------------------------

void SimulationController::startWorker() {
    timer_ = new QTimer;
    timer_->setInterval(0);
    connect(timer_, &QTimer::timeout, worker_, [this] {
        try {
            tick();
        } catch (const std::exception& e) {
            stopOnFailure(describe(e));
        }
    });
    SimulationFrame frame;
    beginSample(0, frame);
    publish(std::move(frame));
}

void SimulationController::setFaultHookForTesting(FaultHook hook) {
    post([this, hook = std::move(hook)] { faultHook_ = hook; });
}

// The run stops where it failed; what was stepped so far stays, and Run goes on from there.
void SimulationController::stopOnFailure(const std::string& what) {
    running_ = false;
    stepBudget_ = -1;
    schedule();
    reportFailure("The simulation stopped at step " + std::to_string(backend_->currentStep()) +
                  ": " + what);
}

// failed() is emitted on the GUI's thread, where the controller lives.
void SimulationController::reportFailure(const std::string& message) {
    {
        std::lock_guard lock(queueMutex_);
        failures_.push_back(QString::fromStdString(message));
    }
    emit failuresPending();
}

std::string SimulationController::dataDescription() const {
    if (data_.images) return data_.images->name + " (" + quote(data_.images->imagesPath) + ")";
    if (data_.events) return data_.events->name + " (" + quote(data_.events->root) + ")";
    return "no data";
}

void SimulationController::schedule() {
    if (!timer_) return;
    if (running_) {
        paceOrigin_ = std::chrono::steady_clock::now();
        paceOriginStep_ = backend_->currentStep();
        if (!timer_->isActive()) timer_->start();
    } else {
        timer_->stop();
    }
}

void SimulationController::tick() {
    if (!running_) return;
    const auto start = std::chrono::steady_clock::now();
    std::int64_t allowed = std::numeric_limits<std::int64_t>::max();
    if (speed_ > 0.0) {
        // Paced: the model may be as far ahead of paceOrigin_ as wall time allows.
        const double elapsedMs =
            std::chrono::duration<double, std::milli>(start - paceOrigin_).count();
        const auto target =
            paceOriginStep_ + std::int64_t(elapsedMs * speed_ / 1000.0 / network_.dt);
        allowed = target - backend_->currentStep();
        if (allowed <= 0) {
            timer_->setInterval(4);
            return;
        }
    }
    timer_->setInterval(speed_ > 0.0 ? 4 : 0);
    SimulationFrame frame;
    while (running_ && allowed > 0 && std::chrono::steady_clock::now() - start < kSliceBudget) {
        std::int64_t block = std::min<std::int64_t>(allowed, 20);
        if (stepBudget_ >= 0) block = std::min(block, stepBudget_);
        advance(block, frame);
        allowed -= block;
        if (stepBudget_ >= 0) {
            stepBudget_ -= block;
            if (stepBudget_ == 0) {
                running_ = false;
                stepBudget_ = -1;
            }
        }
    }
    frame.endStep = backend_->currentStep();
    publish(std::move(frame));
    if (!running_) schedule();
}

void SimulationController::advance(std::int64_t steps, SimulationFrame& frame) {
    while (steps > 0) {
        if (nextSamplePending_) {
            const std::int64_t next = data_ ? (sample_ + 1) % data_.count() : 0;
            if (data_ && next == 0) ++pass_;
            beginSample(next, frame);
        }
        const std::int64_t inSample = backend_->currentStep() - sampleStart_;
        const std::int64_t n = std::min(steps, network_.stepsPerSample - inSample);
        if (faultHook_) faultHook_(Stage::Step, backend_->currentStep());
        backend_->advance(n);
        steps -= n;
        stepsDone_ = backend_->currentStep();
        collectRecordings(frame);
        if (backend_->currentStep() - sampleStart_ >= network_.stepsPerSample) finishSample(frame);
    }
}

void SimulationController::collectRecordings(SimulationFrame& frame) {
    if (frame.spikes.empty()) frame.spikes.resize(network_.populations.size());
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        if (!network_.populations[p].record.spikes) continue;
        const auto& log = backend_->spikes(int(p), 0);
        log.appendSince(readSeq_[p], frame.spikes[p]);
        readSeq_[p] = log.total();
    }
    if (probePopulation_ < 0) return;
    const auto& pop = network_.populations[std::size_t(probePopulation_)];
    const auto& log = backend_->states(probePopulation_, pop.model->voltage, 0);
    const std::uint64_t newest = log.total();
    // Older samples than a view can show are left in the recording.
    const std::uint64_t window = std::uint64_t(probeWindow_);
    frame.trace.population = probePopulation_;
    frame.trace.neurons = probeNeurons_;
    auto& samples = frame.trace.samples;
    log.appendSince(std::max(probeSeq_, newest > window ? newest - window : 0), samples);
    probeSeq_ = newest;
    if (samples.size() > 2 * window)
        samples.erase(samples.begin(), samples.end() - std::ptrdiff_t(window));
}

void SimulationController::finishSample(SimulationFrame& frame) {
    SampleEvent done;
    done.finished = true;
    done.sample = sample_;
    done.step = backend_->currentStep();
    done.label = data_ ? data_.label(sample_) : -1;
    done.pass = pass_;
    std::vector<std::uint32_t> counts;
    for (std::size_t p = 0; p < network_.populations.size(); ++p) {
        counts.resize(std::size_t(network_.populations[p].size));
        backend_->spikeCounts(int(p), 0, counts);
        std::uint64_t total = 0;
        for (auto c : counts) total += c;
        done.populationSpikes.push_back(total);
        if (int(p) == network_.readout) {
            done.counts = counts;
            done.predicted = predictClass(done.counts);
        }
    }
    frame.samples.push_back(std::move(done));
    // The finished sample stays on screen with its answer until stepping goes on.
    nextSamplePending_ = true;
}

void SimulationController::beginSample(std::int64_t sample, SimulationFrame& frame) {
    if (data_ && (sample < 0 || sample >= data_.count()))
        throw Error("sample " + std::to_string(sample) + " is outside 0.." +
                    std::to_string(data_.count() - 1));
    const std::int64_t previous = sample_;
    sample_ = sample;
    sampleStart_ = backend_->currentStep();
    nextSamplePending_ = false;
    backend_->resetState();
    backend_->clearInputs();
    SampleEvent started;
    try {
        if (faultHook_) faultHook_(Stage::Sample, sample);
        // The encoders take their parameters from network_, which follows the changes made
        // while running (the backend's copy of the network does not).
        if (data_.images) encodeSample(*backend_, network_, *data_.images, sample_, 0);
        if (events_) {
            events_->encode(*backend_, sample_, 0);
            started.sensor = std::make_shared<const SpikeTrain>(toSpikeTrain(
                data_.events->samples[std::size_t(sample_)], events_->mapping(0), allInputs()));
        }
    } catch (const std::exception& e) {
        // Not presented: stepping goes on as after the sample before, so a run tries this one
        // again.
        sample_ = previous;
        nextSamplePending_ = true;
        throw Error("sample " + std::to_string(sample) + " of " + dataDescription() + ": " +
                    describe(e));
    }
    started.sample = sample_;
    started.step = sampleStart_;
    started.label = data_ ? data_.label(sample_) : -1;
    started.pass = pass_;
    frame.samples.push_back(std::move(started));
}

void SimulationController::publish(SimulationFrame frame) {
    std::lock_guard lock(framesMutex_);
    frames_.push_back(std::move(frame));
    while (frames_.size() > kMaxFrames) {
        frames_.pop_front();
        ++framesDropped_;
    }
}

} // namespace spikelab::ui
