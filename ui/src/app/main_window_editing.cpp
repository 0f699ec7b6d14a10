// The window and the document: new, Save As, import and export of networks, projections asked
// for on the canvas, and the simulation following every edit.
#include "main_window.h"

#include "document.h"
#include "network_canvas.h"
#include "projection_form.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "trace_view.h"
#include "weight_view.h"

#include "spikelab/error.h"
#include "spikelab/export.h"
#include "spikelab/project.h"

#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>

#include <algorithm>

namespace spikelab::ui {

NetworkView* MainWindow::networkView() const {
    return canvas_;
}

bool MainWindow::newProject() {
    if (!maybeKeepChanges()) return false;
    document_->newDocument();
    updateTitle();
    // A new project is drawn first: the canvas comes forward from behind the traces' tab.
    networkDock_->show();
    networkDock_->raise();
    return true;
}

bool MainWindow::saveProjectAs(const QString& path) {
    QString error;
    if (!document_->saveAs(path, &error)) {
        showError(error);
        return false;
    }
    statusBar()->showMessage("Saved " + document_->path(), 5000);
    updateTitle();
    return true;
}

bool MainWindow::exportNetwork(const QString& path, QString* error) {
    try {
        // Relative weight files of an untitled project are looked for in the current folder.
        exportSelfContainedFile(spec(), document_->path().toStdString(), path.toStdString());
        return true;
    } catch (const Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::importNetwork(const QString& exported, const QString& projectPath) {
    if (!maybeKeepChanges()) return false;
    try {
        importSelfContained(exported.toStdString(), projectPath.toStdString());
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return false;
    }
    return openProject(projectPath);
}

void MainWindow::requestProjection(const QString& source, const QString& target) {
    const NetworkSpec& now = document_->spec();
    const auto taken = [&](const QString& name) {
        const std::string n = name.toStdString();
        const auto named = [&](const auto& items) {
            return std::any_of(items.begin(), items.end(), [&](const auto& i) { return i.name == n; });
        };
        return named(now.populations) || named(now.projections) || named(now.inputs);
    };
    QString name = source + "_" + target;
    for (int k = 2; taken(name); ++k) name = QString("%1_%2_%3").arg(source, target).arg(k);
    auto* dialog = new ProjectionDialog(now, source, target, name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QString error;
        const std::string added = document_->addProjection(dialog->result(), &error);
        if (added.empty()) showError(error);
        else canvas_->selectNames({QString::fromStdString(added)});
    });
    dialog->open();
}

void MainWindow::followDocument() {
    const bool wasRunning = controller() && controller()->isRunning();
    if (session_->follow(document_->spec(), document_->path()) == SimulationSession::Outcome::Rebuilt &&
        wasRunning)
        runAction_->setChecked(true);
}

void MainWindow::applyModel(const QString& previous, const NeuronModelDeclaration& model) {
    QString error;
    if (!document_->setModel(previous.toStdString(), model, &error)) showError(error);
}

void MainWindow::removeModel(const QString& name) {
    QString error;
    if (!document_->removeModel(name.toStdString(), &error)) showError(error);
}

void MainWindow::simulationStopped() {
    rasters_.clear();
    tracePopulation_ = -1;
    shownProjection_ = -1;
    pendingTrace_.clear();
    canvas_->clearActivity();
    statisticsView_->setup({}, {});
    // Nothing of the previous network may stay on show (a new project, everything deleted).
    weightView_->clear();
    weightView_->setProjectionNames({});
    sampleView_->clear();
    sampleView_->setLegend({});
    eventFrame_ = EventFrame();
    traceView_->setPopulation({}, 0, 1.0, {}, {}, std::nullopt, {});
    auto* hint = new QLabel("Drag populations and inputs from the palette onto the network "
                            "canvas, then drag from a node's edge to another node to connect "
                            "them.",
                            this);
    hint->setWordWrap(true);
    hint->setAlignment(Qt::AlignCenter);
    hint->setMargin(24);
    setCentralContent(hint);
    status_->setText("No network yet");
    const QSignalBlocker block(runAction_);
    runAction_->setChecked(false);
    runAction_->setText("Run");
}

} // namespace spikelab::ui
