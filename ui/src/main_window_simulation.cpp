// The window and its simulation: the data set a project reads (read once, kept while other
// networks run), starting a simulation in place of the last one, parameters patched into the
// running engine (each resets the statistics), the statistics reset, the backend and the
// status line.
#include "main_window.h"

#include "network_canvas.h"
#include "parameter_editor.h"
#include "statistics_view.h"
#include "trace_view.h"

#include "spikelab/error.h"
#include "spikelab/project.h"
#include "spikelab/train_project.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QStatusBar>

#include <algorithm>

namespace spikelab::ui {

SampleData MainWindow::dataFor(const NetworkSpec& spec, const QString& path) {
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
        // On none of the folders searched: offered for download or a folder, in the window
        // (once per data set; the status bar says it at later edits).
        if (key == failedKey_)
            statusBar()->showMessage(QString("No data: %1").arg(e.what()), 15000);
        else
            offerDataset(e);
        failedKey_ = key;
        return {};
    } catch (const Error& e) {
        const QString message = QString("No data: %1").arg(e.what());
        // Asked once per data set, not at every edit; the status bar says it every time.
        if (key == failedKey_)
            statusBar()->showMessage(message, 15000);
        else
            showError(message);
        failedKey_ = key;
        return {};
    }
}

void MainWindow::startSimulation(const NetworkSpec& spec, const QString& path) {
    const CompiledNetwork net = compileNetwork(spec, projectDir(path.toStdString()));
    const SampleData samples = dataFor(spec, path);
    auto controller = std::make_unique<SimulationController>(net, samples, backendKind_);
    if (!controller->notice().empty())
        statusBar()->showMessage(QString::fromStdString(controller->notice()), 10000);
    if (controller_) controller_->shutdown();
    controller_ = std::move(controller);
    data_ = samples;
    connect(controller_.get(), &SimulationController::failed, this, &MainWindow::showError);
    projectPath_ = path;
    runningSpec_ = spec;
    activitySpikes_.assign(net.populations.size(), 0);
    activityFromStep_ = 0;
    canvas_->clearActivity();
    correct_ = presented_ = currentSample_ = 0;
    resetStep_ = -1;
    sampleStartStep_ = 0;
    parameterResetsPending_ = 0;
    lastRunning_ = false;
    buildRasters();
    configureViews(spec, net);
    applySpeed(speed_->currentIndex());
    runAction_->setChecked(false);
}

void MainWindow::applyParameter(const ParameterChange& change) {
    // Populations, inputs and the presentation length are patched in the running engine;
    // anything else (a projection's delay or synapse parameters) rebuilds it when the
    // document's changed() follows.
    bool patchable = false;
    try {
        const ParameterKind kind = addressOf(runningSpec_, change.item, change.param).kind;
        patchable = kind == ParameterKind::Neuron || kind == ParameterKind::Encoder || kind == ParameterKind::Experiment;
    } catch (const Error&) {
        // Not in the running network (an item added since): the rebuild takes it.
    }
    if (!controller_ || !patchable) {
        updateTitle();
        return;
    }
    controller_->setParameter(change);
    try {
        applyParameterChange(runningSpec_, change);
        // Accuracy over two values of a parameter answers neither question.
        resetStatisticsForParameter(
            QString("%1.%2 = %3")
                .arg(QString::fromStdString(change.item), QString::fromStdString(change.param))
                .arg(change.value, 0, 'g', 12));
    } catch (const Error&) {
        // The controller reports the same refusal through failed().
    }
    if (tracePopulation_ >= 0) {
        const auto& pop = controller_->network().populations[std::size_t(tracePopulation_)];
        if (change.item == pop.name && change.param == pop.model->threshold)
            traceView_->setThreshold(change.value);
    }
    updateTitle();
}

void MainWindow::resetStatistics(const QString& reason) {
    if (!controller_) return;
    pumpFrames(); // samples finished before now count in the old statistics
    resetStep_ = controller_->stepsDone();
    correct_ = presented_ = 0;
    statisticsView_->resetCounts(reason);
}

void MainWindow::resetStatisticsForParameter(const QString& reason) {
    // Counted before resetStatistics drains the frames: the worker may already have said
    // when the change took effect (parameterSteps settle resetStep_ in pumpFrames).
    ++parameterResetsPending_;
    resetStatistics(reason);
}

void MainWindow::chooseBackend(const QString& kind) {
    backendKind_ = kind.toStdString();
    QSettings().setValue("simulation/backend", kind);
    if (!controller_) return;
    try {
        // The same network, restarted on the chosen backend.
        startSimulation(spec(), projectPath_);
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
    }
}

void MainWindow::updateStatus() {
    const auto& net = controller_->network();
    const auto steps = controller_->stepsDone();
    QString text = QString("%1  |  step %2  |  t = %3 ms  |  sample %4")
                       .arg(QString::fromStdString(controller_->backendName()))
                       .arg(steps)
                       .arg(double(steps) * net.dt, 0, 'f', 1)
                       .arg(currentSample_);
    if (net.readout >= 0 && presented_ > 0)
        text += QString("  |  accuracy %1% over %2 samples")
                    .arg(100.0 * double(correct_) / double(presented_), 0, 'f', 1)
                    .arg(presented_);
    status_->setText(text);
}

} // namespace spikelab::ui
