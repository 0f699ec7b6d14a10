#include "simulation_controller.h"

#include "spikelab/error.h"
#include "spikelab/experiment.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace spikelab::ui {

namespace {
constexpr std::size_t kMaxFrames = 1200;                    // ~20 s of frames at 60 Hz
constexpr auto kSliceBudget = std::chrono::milliseconds(8); // worker time per tick
} // namespace

SimulationController::SimulationController(const CompiledNetwork& network,
                                           std::shared_ptr<const ImageDataset> data,
                                           QObject* parent)
    : QObject(parent), network_(network), data_(std::move(data)) {
    if (data_) checkNetworkFitsDataset(network_, *data_);
    BackendOptions options;
    options.batch = 1;
    options.threads = 1;
    backend_ = createBackend("cpu", network_, options);
    readSeq_.assign(network_.populations.size(), 0);
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
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
    QMetaObject::invokeMethod(
        worker_,
        [this] {
            running_ = false;
            delete timer_;
            timer_ = nullptr;
        },
        Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
}

void SimulationController::post(std::function<void()> command) {
    if (shutDown_) return;
    QMetaObject::invokeMethod(
        worker_,
        [this, command = std::move(command)] {
            try {
                command();
            } catch (const Error& e) {
                emit failed(QString::fromStdString(e.what()));
            }
        },
        Qt::QueuedConnection);
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

void SimulationController::setParameter(int population, const std::string& param, double value) {
    post([this, population, param, value] { backend_->setParam(population, param, value); });
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
        } catch (const Error& e) {
            running_ = false;
            schedule();
            emit failed(QString::fromStdString(e.what()));
        }
    });
    SimulationFrame frame;
    beginSample(0, frame);
    publish(std::move(frame));
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
        if (nextSamplePending_) beginSample(data_ ? (sample_ + 1) % data_->count : 0, frame);
        const std::int64_t inSample = backend_->currentStep() - sampleStart_;
        const std::int64_t n = std::min(steps, network_.stepsPerSample - inSample);
        backend_->advance(n);
        steps -= n;
        stepsDone_ = backend_->currentStep();
        if (frame.spikes.empty()) frame.spikes.resize(network_.populations.size());
        for (std::size_t p = 0; p < network_.populations.size(); ++p) {
            if (!network_.populations[p].record.spikes) continue;
            const auto& log = backend_->spikes(int(p), 0);
            auto fresh = log.since(readSeq_[p]);
            readSeq_[p] = log.total();
            frame.spikes[p].insert(frame.spikes[p].end(), fresh.begin(), fresh.end());
        }
        if (backend_->currentStep() - sampleStart_ < network_.stepsPerSample) continue;
        SampleEvent done;
        done.finished = true;
        done.sample = sample_;
        done.step = backend_->currentStep();
        done.label = data_ ? data_->labels[std::size_t(sample_)] : -1;
        if (network_.readout >= 0) {
            done.counts.resize(
                std::size_t(network_.populations[std::size_t(network_.readout)].size));
            backend_->spikeCounts(network_.readout, 0, done.counts);
            done.predicted = predictClass(done.counts);
        }
        frame.samples.push_back(std::move(done));
        // The finished sample stays on screen with its answer until stepping goes on.
        nextSamplePending_ = true;
    }
}

void SimulationController::beginSample(std::int64_t sample, SimulationFrame& frame) {
    if (data_ && (sample < 0 || sample >= data_->count))
        throw Error("sample " + std::to_string(sample) + " is outside 0.." +
                    std::to_string(data_->count - 1));
    sample_ = sample;
    sampleStart_ = backend_->currentStep();
    nextSamplePending_ = false;
    backend_->resetState();
    backend_->clearInputs();
    if (data_) encodeSample(*backend_, *data_, sample_, 0);
    SampleEvent started;
    started.sample = sample_;
    started.step = sampleStart_;
    started.label = data_ ? data_->labels[std::size_t(sample_)] : -1;
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
