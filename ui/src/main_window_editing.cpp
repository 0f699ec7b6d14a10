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

} // namespace

NetworkView* MainWindow::networkView() const {
    return canvas_;
}

bool MainWindow::newProject() {
    if (!maybeKeepChanges()) return false;
    document_->newDocument();
    projectPath_.clear();
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
    const NetworkSpec& now = document_->spec();
    // Relative files are found from the project's folder: a save into another folder needs
    // a new engine (the paths were rewritten), one into the same folder does not.
    const bool sameFolder = projectDir(document_->path().toStdString()) ==
                            projectDir(projectPath_.toStdString());
    // runningSpec_ takes the parameter changes patched into the engine (applyParameter), so
    // any other difference needs a new engine.
    if (controller_ && sameFolder && (simulated(now) == simulated(runningSpec_) || swapModels(now))) {
        projectPath_ = document_->path();
        return;
    }
    if (now.populations.empty()) {
        stopSimulation();
        projectPath_ = document_->path();
        return;
    }
    const bool wasRunning = controller_ && controller_->isRunning();
    try {
        startSimulation(now, document_->path());
        if (wasRunning) runAction_->setChecked(true);
    } catch (const Error& e) {
        // Half-drawn networks are normal while editing: the last one that ran goes on.
        statusBar()->showMessage(
            QString("The network as edited cannot run yet: %1").arg(e.what()), 15000);
    }
}

bool MainWindow::swapModels(const NetworkSpec& now) {
    if (controller_->backendName() != "cpu") return false;  // the CUDA backend cannot swap
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
            running.populations[i] = after;
        }
    } catch (const Error&) {
        return false;
    }
    running.models = edited.models;
    if (running != edited) return false;  // more than models changed
    if (!changed.empty()) {
        QStringList what;
        for (const auto& c : changed) what << QString::fromStdString(c.name + ": " + c.model->name);
        controller_->setNeuronModels(std::move(changed));
        resetStatisticsForParameter(what.join(", "));
    }
    runningSpec_ = now;
    return true;
}

void MainWindow::applyModel(const QString& previous, const NeuronModelDeclaration& model) {
    QString error;
    if (!document_->setModel(previous.toStdString(), model, &error)) showError(error);
}

void MainWindow::removeModel(const QString& name) {
    QString error;
    if (!document_->removeModel(name.toStdString(), &error)) showError(error);
}

void MainWindow::stopSimulation() {
    if (controller_) controller_->shutdown();
    controller_.reset();
    runningSpec_ = {};
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
