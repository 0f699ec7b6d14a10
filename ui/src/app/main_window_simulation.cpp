// The window and its simulation (SimulationSession): the views of each new engine, parameters
// patched into the running engine (each resets the statistics), the statistics reset, the
// backend and the status line.
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

void MainWindow::simulationStarted(const NetworkSpec& spec, const CompiledNetwork& net) {
    canvas_->clearActivity();
    lastRunning_ = false;
    buildRasters();
    configureViews(spec, net);
    applySpeed(speed_->currentIndex());
    runAction_->setChecked(false);
}

void MainWindow::applyParameter(const ParameterChange& change) {
    if (session_->applyParameter(change) == SimulationSession::Outcome::Patched &&
        tracePopulation_ >= 0) {
        const auto& pop = controller()->network().populations[std::size_t(tracePopulation_)];
        if (change.item == pop.name && change.param == pop.model->threshold)
            traceView_->setThreshold(change.value);
    }
    updateTitle();
}

void MainWindow::resetStatistics(const QString& reason) {
    if (!controller()) return;
    pumpFrames(); // samples finished before now count in the old statistics
    session_->restartCounts();
    statisticsView_->resetCounts(reason);
}

void MainWindow::chooseBackend(const QString& kind) {
    session_->setBackendKind(kind.toStdString());
    QSettings().setValue("simulation/backend", kind);
    if (!controller()) return;
    try {
        // The same network, restarted on the chosen backend.
        session_->start(spec(), session_->projectPath());
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
    }
}

void MainWindow::showNotice(const QString& message, int milliseconds) {
    statusBar()->showMessage(message, milliseconds);
}

void MainWindow::updateStatus() {
    const auto& net = controller()->network();
    const auto steps = controller()->stepsDone();
    QString text = QString("%1  |  step %2  |  t = %3 ms  |  sample %4")
                       .arg(QString::fromStdString(controller()->backendName()))
                       .arg(steps)
                       .arg(double(steps) * net.dt, 0, 'f', 1)
                       .arg(session_->currentSample());
    const std::int64_t presented = session_->presented();
    if (net.readout >= 0 && presented > 0)
        text += QString("  |  accuracy %1% over %2 samples")
                    .arg(100.0 * double(session_->correct()) / double(presented), 0, 'f', 1)
                    .arg(presented);
    status_->setText(text);
}

} // namespace spikelab::ui
