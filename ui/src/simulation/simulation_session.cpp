#include "simulation_session.h"

#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/project.h"
#include "spikelab/samples.h"
#include "spikelab/train_project.h"

#include <QStringList>

#include <algorithm>

namespace spikelab::ui {

namespace {

// The spec without what the simulation does not use: canvas positions, names and
// descriptions, provenance.
NetworkSpec simulated(NetworkSpec spec) {
    spec.name.clear();
    spec.description.clear();
    spec.provenance = {};
    for (auto& p : spec.populations) p.position.reset();
    for (auto& in : spec.inputs) in.position.reset();
    return spec;
}

// Notices stay long enough to be read whole.
constexpr int kNoticeMs = 15000;

} // namespace

SimulationSession::SimulationSession(QObject* parent) : QObject(parent) {}

SimulationSession::~SimulationSession() {
    if (controller_) controller_->shutdown();
}

SampleData SimulationSession::dataFor(const NetworkSpec& spec, const QString& path) {
    const auto& ds = spec.experiment.dataset;
    // Without inputs nothing reads the data (a network being drawn need not have any yet).
    if (spec.inputs.empty()) return {};
    const auto folder = projectDatasetFolder(spec, path.toStdString());
    const QString key =
        QString::fromStdString(ds.name + "|" + ds.split + "|" + folder.value_or(""));
    // Only a data set that was read is kept: what the running network was given (data_) may
    // be nothing (a drawing without inputs) or a set it refused, and a failed read is tried
    // again at the next rebuild (the files may have been put in place meanwhile).
    if (key == loadedKey_) return loaded_;
    try {
        loaded_ = loadSamples(spec, folder);
        loadedKey_ = key;
        failedKey_.clear();
        return loaded_;
    } catch (const DatasetNotFound& e) {
        // On none of the folders searched: offered for download or a folder (once per data
        // set; a notice says it at later edits).
        if (key == failedKey_)
            emit notice(QString("No data: %1").arg(e.what()), kNoticeMs);
        else
            emit datasetMissing(e);
        failedKey_ = key;
        return {};
    } catch (const Error& e) {
        const QString message = QString("No data: %1").arg(e.what());
        // Asked once per data set, not at every edit; a notice says it every time.
        if (key == failedKey_)
            emit notice(message, kNoticeMs);
        else
            emit failed(message);
        failedKey_ = key;
        return {};
    }
}

void SimulationSession::start(const NetworkSpec& spec, const QString& path) {
    const CompiledNetwork net = compileNetwork(spec, projectDir(path.toStdString()));
    const SampleData samples = dataFor(spec, path);
    auto controller = std::make_unique<SimulationController>(net, samples, backendKind_);
    if (!controller->notice().empty())
        emit notice(QString::fromStdString(controller->notice()), 10000);
    if (controller_) controller_->shutdown();
    controller_ = std::move(controller);
    data_ = samples;
    connect(controller_.get(), &SimulationController::failed, this, &SimulationSession::failed);
    projectPath_ = path;
    runningSpec_ = spec;
    activitySpikes_.assign(net.populations.size(), 0);
    activityFromStep_ = 0;
    correct_ = presented_ = currentSample_ = 0;
    restartStep_ = -1;
    sampleStartStep_ = 0;
    parameterRestartsPending_ = 0;
    emit started(spec, controller_->network());
}

void SimulationSession::stop() {
    if (controller_) controller_->shutdown();
    controller_.reset();
    runningSpec_ = {};
    data_ = {};
    emit stopped();
}

SimulationSession::Outcome SimulationSession::follow(const NetworkSpec& now, const QString& path) {
    // Relative files are found from the project's folder: a save into another folder needs
    // a new engine (the paths were rewritten), one into the same folder does not.
    const bool sameFolder =
        projectDir(path.toStdString()) == projectDir(projectPath_.toStdString());
    // runningSpec_ takes the parameter changes patched into the engine (applyParameter), so
    // any other difference needs a new engine.
    if (controller_ && sameFolder) {
        if (simulated(now) == simulated(runningSpec_)) {
            projectPath_ = path;
            return Outcome::Unchanged;
        }
        if (swapModels(now)) {
            projectPath_ = path;
            return Outcome::ModelsSwapped;
        }
    }
    if (now.populations.empty()) {
        stop();
        projectPath_ = path;
        return Outcome::Stopped;
    }
    try {
        start(now, path);
        return Outcome::Rebuilt;
    } catch (const Error& e) {
        // Half-drawn networks are normal while editing: the last one that ran goes on.
        emit notice(QString("The network as edited cannot run yet: %1").arg(e.what()), kNoticeMs);
        return Outcome::Refused;
    }
}

bool SimulationSession::swapModels(const NetworkSpec& now) {
    if (controller_->backendName() != "cpu") return false; // the CUDA backend cannot swap
    NetworkSpec running = simulated(runningSpec_);
    const NetworkSpec edited = simulated(now);
    if (running.populations.size() != edited.populations.size()) return false;
    std::vector<CompiledPopulation> changed;
    try {
        for (std::size_t i = 0; i < edited.populations.size(); ++i) {
            const PopulationSpec& before = running.populations[i];
            const PopulationSpec& after = edited.populations[i];
            const NeuronModelInfo& from = neuronModel(running, before.model, before.name);
            const NeuronModelInfo& to = neuronModel(edited, after.model, after.name);
            if (&from == &to) continue;
            if (from.spikeSource || to.spikeSource) return false;
            changed.push_back(compilePopulation(edited, after));
            // The model and the values it takes; a size or a recording changed too is more than
            // a swap (the comparison below).
            running.populations[i].model = after.model;
            running.populations[i].params = after.params;
            running.populations[i].initial = after.initial;
        }
    } catch (const Error&) {
        return false;
    }
    running.models = edited.models;
    if (running != edited) return false; // more than models changed
    runningSpec_ = now;
    if (!changed.empty()) {
        QStringList what;
        for (const auto& c : changed) what << QString::fromStdString(c.name + ": " + c.model->name);
        controller_->setNeuronModels(std::move(changed));
        // Counted before the window takes the frames: the worker may already have said when
        // the models took effect (parameterSteps settle restartStep_ in takeFrames).
        ++parameterRestartsPending_;
        emit countsRestarting(what.join(", "));
    }
    return true;
}

SimulationSession::Outcome SimulationSession::applyParameter(const ParameterChange& change) {
    // Populations, inputs and the presentation length are patched in the running engine;
    // anything else (a projection's delay or synapse parameters) rebuilds it when the
    // document's changed() follows.
    bool patchable = false;
    try {
        const ParameterKind kind = addressOf(runningSpec_, change.item, change.param).kind;
        patchable = kind == ParameterKind::Neuron || kind == ParameterKind::Encoder ||
                    kind == ParameterKind::Experiment;
    } catch (const Error&) {
        // Not in the running network (an item added since): the rebuild takes it.
    }
    if (!controller_ || !patchable) return Outcome::Unchanged;
    controller_->setParameter(change);
    try {
        applyParameterChange(runningSpec_, change);
    } catch (const Error&) {
        // The controller reports the same refusal through failed().
        return Outcome::Patched;
    }
    ++parameterRestartsPending_;
    emit countsRestarting(QString("%1.%2 = %3")
                              .arg(QString::fromStdString(change.item),
                                   QString::fromStdString(change.param))
                              .arg(change.value, 0, 'g', 12));
    return Outcome::Patched;
}

void SimulationSession::reloadData(const NetworkSpec& spec, const QString& path) {
    // The failed attempt is remembered so that it is reported once; the data is there now.
    failedKey_.clear();
    if (spec.populations.empty()) return;
    try {
        start(spec, path);
    } catch (const Error& e) {
        emit notice(QString("The network as edited cannot run yet: %1").arg(e.what()), kNoticeMs);
    }
}

void SimulationSession::selectSample(std::int64_t sample) {
    if (!controller_) return;
    currentSample_ = sample;
    controller_->selectSample(sample);
}

void SimulationSession::restartCounts() {
    if (!controller_) return;
    restartStep_ = controller_->stepsDone();
    correct_ = presented_ = 0;
}

void SimulationSession::account(SimulationFrame& frame) {
    for (auto& e : frame.samples) {
        if (!e.finished) {
            currentSample_ = e.sample;
            sampleStartStep_ = e.step;
            continue;
        }
        e.counted = parameterRestartsPending_ == 0 && sampleStartStep_ >= restartStep_;
        if (e.counted) {
            ++presented_;
            correct_ += e.predicted >= 0 && e.predicted == e.label;
        }
    }
    // Frames before this one hold steps under the old value; samples started from the step it
    // names on ran under the new one. (stepsDone() when the change was sent may be behind that
    // step, or ahead: then the later of the two is kept.)
    for (const std::int64_t step : frame.parameterSteps)
        if (parameterRestartsPending_ > 0) {
            --parameterRestartsPending_;
            restartStep_ = std::max(restartStep_, step);
        }
}

std::map<std::string, double> SimulationSession::activity(const std::vector<SimulationFrame>& frames) {
    const auto& net = controller_->network();
    const auto rate = [&](std::size_t p, double spikes, std::int64_t steps) {
        const double seconds = double(steps) * net.dt / 1000.0;
        return spikes / (double(net.populations[p].size) * seconds);
    };
    // Recorded populations from their spikes four times a second; the others from the spike
    // counts of each finished sample.
    std::map<std::string, double> hertz;
    for (const auto& frame : frames) {
        for (std::size_t p = 0; p < frame.spikes.size(); ++p)
            activitySpikes_[p] += frame.spikes[p].size();
        for (const auto& e : frame.samples)
            if (e.finished)
                for (std::size_t p = 0; p < e.populationSpikes.size(); ++p)
                    if (!net.populations[p].record.spikes)
                        hertz[net.populations[p].name] =
                            rate(p, double(e.populationSpikes[p]), net.stepsPerSample);
    }
    const std::int64_t steps = controller_->stepsDone() - activityFromStep_;
    if (steps > 0 && (!activityClock_.isValid() || activityClock_.elapsed() >= 250 ||
                      !controller_->isRunning())) {
        for (std::size_t p = 0; p < net.populations.size(); ++p)
            if (net.populations[p].record.spikes)
                hertz[net.populations[p].name] = rate(p, double(activitySpikes_[p]), steps);
        activitySpikes_.assign(net.populations.size(), 0);
        activityFromStep_ = controller_->stepsDone();
        activityClock_.start();
    }
    return hertz;
}

SimulationSession::Frames SimulationSession::takeFrames() {
    Frames out;
    if (!controller_) return out;
    out.frames = controller_->takeFrames();
    for (auto& frame : out.frames) account(frame);
    out.rates = activity(out.frames);
    return out;
}

} // namespace spikelab::ui
