#include "main_window.h"

#include "document.h"
#include "event_frame.h"
#include "help_menu.h"
#include "icons.h"
#include "inspector.h"
#include "network_canvas.h"
#include "neuron_lab.h"
#include "node_palette.h"
#include "parameter_editor.h"
#include "parameter_panel.h"
#include "plot_export.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "sweep_dialog.h"
#include "trace_view.h"
#include "train_dialog.h"
#include "weight_view.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/project.h"
#include "spikelab/train_project.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>

namespace spikelab::ui {

namespace {
struct SpeedChoice {
    const char* text;
    double modelMsPerSecond; // 0: as fast as possible
};
constexpr SpeedChoice kSpeeds[] = {{"As fast as possible", 0.0},
                                   {"Real time (1 ms per ms)", 1000.0},
                                   {"Slow (0.1x)", 100.0},
                                   {"Very slow (0.01x)", 10.0}};
// The window opens at 0.1x (a Fashion-MNIST sample of 100 ms takes a second): as fast as
// possible is thousands of samples a second, rasters flash and the sample view never shows an
// answer for long (README, "Run controls"). A speed chosen since is remembered.
constexpr double kTeachingSpeed = 100.0;
// Low enough for three rasters, the bottom docks and the status bar in a 1024 x 700 window
// (README, "The workbench"), high enough for a title, an axis and a few rows.
constexpr int kRasterMinimumHeight = 80;
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("SpikeLab");
    setWindowIcon(appIcon());
    document_ = new Document(this);
    session_ = new SimulationSession(this);
    connect(document_, &Document::modifiedChanged, this, &MainWindow::updateTitle);
    connect(document_, &Document::autosaveFailed, this, &MainWindow::showError);
    connect(document_, &Document::changed, this, &MainWindow::followDocument);
    connect(document_, &Document::pathChanged, this, [this](const QString& path) {
        if (!path.isEmpty()) rememberRecent(path);
        updateTitle();
        followDocument(); // relative files are found from the new folder
    });
    // A normal widget, not a permanent one: a message (a refusal, "Saved ...") hides it for
    // its few seconds and gets the whole bar; a permanent widget stretched over the bar left
    // the message no room at all.
    status_ = new QLabel(this);
    statusBar()->addWidget(status_, 1);
    // One central widget for the window's life: its content (the rasters, or a hint while
    // there is no network) is swapped inside, which keeps the docks' sizes.
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    setCentralWidget(central);
    buildDocks();
    buildActions();
    connect(session_, &SimulationSession::started, this, &MainWindow::simulationStarted);
    connect(session_, &SimulationSession::stopped, this, &MainWindow::simulationStopped);
    connect(session_, &SimulationSession::countsRestarting, this, &MainWindow::resetStatistics);
    connect(session_, &SimulationSession::notice, this, &MainWindow::showNotice);
    connect(session_, &SimulationSession::failed, this, &MainWindow::showError);
    connect(session_, &SimulationSession::datasetMissing, this, &MainWindow::offerDataset);
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    savedLayout_ = settings.value("window/state").toByteArray();
    repaint_ = new QTimer(this);
    repaint_->setInterval(16); // at most ~60 repaints a second
    connect(repaint_, &QTimer::timeout, this, &MainWindow::pumpFrames);
    repaint_->start();
    // Weights are polled while their view is shown: they change as soon as rules learn.
    weightPoll_ = new QTimer(this);
    weightPoll_->setInterval(500);
    connect(weightPoll_, &QTimer::timeout, this, [this] {
        if (controller() && shownProjection_ >= 0 && weightDock_->isVisible())
            controller()->requestWeights(shownProjection_);
    });
    weightPoll_->start();
}

MainWindow::~MainWindow() {
    if (controller()) controller()->shutdown();
}

void MainWindow::buildActions() {
    buildFileMenu();
    auto* edit = menuBar()->addMenu("&Edit");
    auto* undo = document_->undoStack()->createUndoAction(this, "&Undo");
    undo->setShortcut(QKeySequence("Ctrl+Z"));
    auto* redo = document_->undoStack()->createRedoAction(this, "&Redo");
    redo->setShortcuts({QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")});
    edit->addAction(undo);
    edit->addAction(redo);
    QMenu* sim = buildSimulationActions();
    buildBackendMenu(sim);

    auto* tools = menuBar()->addMenu("&Tools");
    tools->addAction("Parameter &sweep...", this, &MainWindow::openSweep);
    tools->addAction("&Train (ANN to SNN)...", this, &MainWindow::openTraining);

    viewMenu_ = menuBar()->addMenu("&View");
    for (auto* dock : findChildren<QDockWidget*>()) viewMenu_->addAction(dock->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction("Restore default &layout", this, &MainWindow::restoreDefaultLayout);
    viewMenu_->addAction("Neuron &lab", this, &MainWindow::openNeuronLab)->setShortcut(QKeySequence("Ctrl+L"));
    auto* full = viewMenu_->addAction(
        "&Full screen", this, [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    full->setShortcut(Qt::Key_F11);

    help_ = new HelpMenu(this);
    menuBar()->addMenu(help_->menu());
    connect(help_, &HelpMenu::exampleChosen, this, [this](const QString& path) { openProject(path); });
}

void MainWindow::buildFileMenu() {
    auto* file = menuBar()->addMenu("&File");
    // The README's keys, set as keys: QKeySequence's standard ones follow the desktop, and
    // outside GNOME and KDE SaveAs (and Redo's Ctrl+Shift+Z on some) has none.
    file->addAction("&New", this, &MainWindow::newProject)->setShortcut(QKeySequence("Ctrl+N"));
    auto* open = file->addAction("&Open...", this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, "Open project", QString(),
                                                          "SpikeLab projects (*.json)");
        if (!path.isEmpty()) openProject(path);
    });
    open->setShortcut(QKeySequence("Ctrl+O"));
    recentMenu_ = file->addMenu("Open &Recent");
    rebuildRecentMenu();
    file->addAction("&Save", this, &MainWindow::saveProject)->setShortcut(QKeySequence("Ctrl+S"));
    file->addAction("Save &As...", this, [this] {
            const QString path = QFileDialog::getSaveFileName(
                this, "Save project as", document_->path(), "SpikeLab projects (*.json)");
            if (!path.isEmpty()) saveProjectAs(path);
        })->setShortcut(QKeySequence("Ctrl+Shift+S"));
    file->addSeparator();
    file->addAction("&Import network...", this, [this] {
        const QString exported = QFileDialog::getOpenFileName(
            this, "Import a self-contained network", QString(), "SpikeLab networks (*.json)");
        if (exported.isEmpty()) return;
        const QString project = QFileDialog::getSaveFileName(
            this, "Save the imported network as", QString(), "SpikeLab projects (*.json)");
        if (!project.isEmpty()) importNetwork(exported, project);
    });
    auto* exports = file->addMenu("&Export");
    connect(exports, &QMenu::aboutToShow, this, [this, exports] { fillExportMenu(exports); });
    file->addSeparator();
    file->addAction("&Quit", this, &QWidget::close)->setShortcut(QKeySequence("Ctrl+Q"));
}

QMenu* MainWindow::buildSimulationActions() {
    auto* sim = menuBar()->addMenu("&Simulation");
    auto* bar = addToolBar("Simulation");
    bar->setObjectName("simulationToolBar");
    toolBar_ = bar;
    runAction_ = new QAction("Run", this);
    runAction_->setShortcut(Qt::Key_Space);
    runAction_->setCheckable(true);
    connect(runAction_, &QAction::toggled, this, [this](bool on) {
        if (!controller()) return;
        on ? controller()->run() : controller()->pause();
        runAction_->setText(on ? "Pause" : "Run");
        runAction_->setIcon(on ? actionIcon("media-playback-pause", "pause")
                               : actionIcon("media-playback-start", "run"));
    });
    // The simulation's buttons, in the menu and the toolbar in this order after Run.
    struct SimulationAction {
        const char* text;
        QKeySequence key;
        const char* themeIcon;  // from the desktop's theme, else
        const char* bundledIcon;  // SpikeLab's own
        std::function<void()> trigger;  // runs only while a network is loaded
    };
    const auto toSample = [this](auto choose) {  // a sample of the data set, when there is one
        return [this, choose] {
            if (!controller()->data()) return;
            session_->selectSample(choose(controller()->data().count()));
        };
    };
    const SimulationAction actions[] = {
        {"Step", Qt::Key_S, "media-seek-forward", "step", [this] { controller()->stepN(1); }},
        {"Step sample", {}, "media-skip-forward", "step-sample", [this] { controller()->stepSample(); }},
        {"Reset", Qt::Key_R, "media-skip-backward", "reset", [this] { controller()->reset(); }},
        // Rapid presses add up.
        {"Previous sample", Qt::Key_Left, "go-previous", "previous",
         toSample([this](std::int64_t count) { return (session_->currentSample() + count - 1) % count; })},
        {"Next sample", Qt::Key_Right, "go-next", "next",
         toSample([this](std::int64_t count) { return (session_->currentSample() + 1) % count; })},
        {"Random sample", {}, "media-playlist-shuffle", "random", toSample([](std::int64_t count) {
             return std::int64_t(QRandomGenerator::global()->bounded(quint64(count)));
         })},
    };
    runAction_->setIcon(actionIcon("media-playback-start", "run"));
    // Words beside the pictures (a class meets these buttons for the first time) while the
    // window is wide enough for them: see fitToolBar.
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    sim->addAction(runAction_);
    bar->addAction(runAction_);
    for (const SimulationAction& spec : actions) {
        auto* action = new QAction(actionIcon(spec.themeIcon, spec.bundledIcon), spec.text, this);
        if (!spec.key.isEmpty()) action->setShortcut(spec.key);
        connect(action, &QAction::triggered, this, [this, trigger = spec.trigger] {
            if (controller()) trigger();
        });
        sim->addAction(action);
        bar->addAction(action);
    }
    sim->addSeparator();
    sim->addAction("Reset s&tatistics", this, [this] { resetStatistics("reset"); });
    connect(statisticsView_, &StatisticsView::resetRequested, this,
            [this] { resetStatistics("reset"); });
    speed_ = new QComboBox(this);
    speed_->setObjectName("speed");
    speed_->setToolTip("Model time per second of wall time");
    const double remembered =
        QSettings().value("simulation/speed", kTeachingSpeed).toDouble();
    for (const auto& s : kSpeeds) {
        speed_->addItem(s.text, s.modelMsPerSecond);
        if (s.modelMsPerSecond == remembered) speed_->setCurrentIndex(speed_->count() - 1);
    }
    connect(speed_, &QComboBox::currentIndexChanged, this, [this](int index) {
        applySpeed(index);
        QSettings().setValue("simulation/speed", speed_->itemData(index));
    });
    bar->addWidget(speed_);
    return sim;
}

void MainWindow::buildBackendMenu(QMenu* sim) {
    // Where the network runs; remembered. A choice that cannot run here falls back to the
    // CPU and the status bar says why.
    auto* backends = sim->addMenu("&Backend");
    auto* group = new QActionGroup(this);
    const QString chosen = QSettings().value("simulation/backend", "auto").toString();
    for (const auto& [kind, text] : {std::pair{"auto", "&Automatic (GPU when present)"},
                                     std::pair{"cpu", "&CPU"}, std::pair{"cuda", "&GPU (CUDA)"}}) {
        auto* action = backends->addAction(text);
        action->setCheckable(true);
        action->setData(QString(kind));
        group->addAction(action);
        try {
            requireBackend(kind);
        } catch (const Error& e) {
            action->setEnabled(false);
            action->setToolTip(QString::fromStdString(e.what()));
        }
        if (chosen == kind && action->isEnabled()) {
            action->setChecked(true);
            session_->setBackendKind(chosen.toStdString());
        }
    }
    backends->setToolTipsVisible(true);
    connect(group, &QActionGroup::triggered, this,
            [this](QAction* action) { chooseBackend(action->data().toString()); });
}

void MainWindow::applySpeed(int index) {
    if (controller() && index >= 0 && index < int(std::size(kSpeeds)))
        controller()->setSpeed(kSpeeds[index].modelMsPerSecond);
}

bool MainWindow::openProject(const QString& path) {
    if (!maybeKeepChanges()) return false;
    const QString file = QFileInfo(path).absoluteFilePath();
    try {
        // The engine checks and builds the network first: a project that fails keeps the
        // current one, its document and its unsaved changes.
        const NetworkSpec spec = loadProject(file.toStdString());
        session_->start(spec, file);
        QString error;
        if (!document_->load(file, &error)) throw Error(error.toStdString());
        rememberRecent(file);
        offerRecovery(file);
        updateTitle();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        if (!std::filesystem::exists(path.toStdString())) forgetRecent(path);
        return false;
    }
}

void MainWindow::offerRecovery(const QString& path) {
    const auto autosave = Document::recoveryFile(path);
    if (!autosave) return;
    // Without a screen (tests, screenshots) nobody can answer: the autosave stays for later.
    if (qApp->platformName().startsWith("offscreen")) return;
    const auto answer = QMessageBox::question(
        this, "SpikeLab",
        QString("SpikeLab stopped before %1 was saved. Recover the unsaved changes from %2?")
            .arg(QFileInfo(path).fileName(),
                 QFileInfo(*autosave).lastModified().toString("yyyy-MM-dd hh:mm")));
    if (answer != QMessageBox::Yes) return;
    recoverFrom(*autosave);
}

bool MainWindow::recoverFrom(const QString& autosave) {
    QString error;
    try {
        // The simulation follows the recovered document (followDocument).
        if (!document_->recover(autosave, &error)) throw Error(error.toStdString());
        updateTitle();
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return false;
    }
}

bool MainWindow::maybeKeepChanges() {
    if (!document_->isModified() || qApp->platformName().startsWith("offscreen")) return true;
    const auto answer = QMessageBox::question(
        this, "SpikeLab", QString("Save the changes to %1?").arg(document_->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel) return false;
    return answer == QMessageBox::Discard || saveProject();
}

bool MainWindow::saveProject() {
    if (document_->path().isEmpty()) {
        // Nobody can answer a file dialog without a screen (tests, screenshots).
        if (qApp->platformName().startsWith("offscreen")) return false;
        const QString path = QFileDialog::getSaveFileName(this, "Save project", QString(),
                                                          "SpikeLab projects (*.json)");
        return !path.isEmpty() && saveProjectAs(path);
    }
    QString error;
    if (!document_->save(&error)) {
        showError(error);
        return false;
    }
    statusBar()->showMessage("Saved " + document_->path(), 5000);
    updateTitle();
    return true;
}

const NetworkSpec& MainWindow::spec() const {
    return document_->spec();
}

QUndoStack* MainWindow::undoStack() const {
    return document_->undoStack();
}

void MainWindow::buildRasters() {
    const auto& net = controller()->network();
    rasters_.assign(net.populations.size(), nullptr);
    auto* column = new QWidget(this);
    auto* layout = new QVBoxLayout(column);
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
        const auto& pop = net.populations[p];
        if (!pop.record.spikes) continue;
        auto* raster = new RasterView(column);
        raster->setPopulation(QString::fromStdString(pop.name), pop.size, net.dt);
        raster->setWindowSteps(std::max<std::int64_t>(net.stepsPerSample * 3, 300));
        raster->setShowLabels(int(p) == net.readout);
        raster->setMinimumHeight(kRasterMinimumHeight);
        raster->setToolTip("Click a row to trace that neuron's membrane potential");
        connect(raster, &RasterView::neuronClicked, this,
                [this, p](int neuron) { traceNeuron(int(p), neuron); });
        layout->addWidget(raster, pop.size > 100 ? 3 : 2);
        rasters_[p] = raster;
    }
    std::int64_t largest = 0;
    for (const auto& pop : net.populations)
        if (pop.record.spikes) largest = std::max(largest, pop.size - 1);
    for (auto* r : rasters_)
        if (r) r->setNeuronLabelReserve(largest);
    setCentralContent(column);
}

void MainWindow::setCentralContent(QWidget* content) {
    QLayout* layout = centralWidget()->layout();
    while (QLayoutItem* item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    layout->addWidget(content);
}

void MainWindow::configureViews(const NetworkSpec& spec, const CompiledNetwork& net) {
    QStringList populations, classes;
    for (const auto& pop : net.populations) populations << QString::fromStdString(pop.name);
    const SampleData& samples = session_->data();
    const int numClasses = samples ? samples.numClasses()
                                 : (net.readout >= 0 ? int(net.populations[std::size_t(
                                                               net.readout)].size)
                                                     : 0);
    for (const auto& name : classNames(spec.experiment.dataset.name, numClasses))
        classes << QString::fromStdString(name);
    // Without a readout nothing answers: no confusion matrix, no prediction to wait for; the
    // data's class names still name the labels.
    const bool answers = net.readout >= 0;
    statisticsView_->setup(answers ? classes : QStringList(), populations);
    sampleView_->setClassNames(classes);
    sampleView_->setAnswers(answers);
    sampleView_->clear();
    eventFrame_ = EventFrame();
    if (samples.events)
        sampleView_->setLegend({{EventFrame::onColour, "ON"},
                                {EventFrame::offColour, "OFF"},
                                {EventFrame::pastColour, "earlier"}});
    else
        sampleView_->setLegend({});

    QStringList projections;
    for (const auto& j : net.projections) projections << QString::fromStdString(j.name);
    weightView_->setProjectionNames(projections);
    shownProjection_ = -1;
    if (!net.projections.empty()) showProjection(0);

    // Traces start on the readout (or the last population) with no neuron picked.
    setTracePopulation(net.readout >= 0 ? net.readout : int(net.populations.size()) - 1, spec);
}

void MainWindow::showProjection(int projection) {
    const auto& net = controller()->network();
    if (projection < 0 || std::size_t(projection) >= net.projections.size()) return;
    const bool another = weightView_->projectionName() !=
                         QString::fromStdString(net.projections[std::size_t(projection)].name);
    shownProjection_ = projection;
    const auto& j = net.projections[std::size_t(projection)];
    weightView_->setMatrix(QString::fromStdString(j.name),
                           QString::fromStdString(net.populations[std::size_t(j.source)].name),
                           QString::fromStdString(net.populations[std::size_t(j.target)].name),
                           j.synapses);
    // Weights from an image read best as one picture per neuron (784 x 128 as a matrix is a
    // thin strip); the mode picked by hand stays until another projection is shown.
    if (another) weightView_->setMode(WeightView::Mode::ReceptiveFields);
    controller()->requestWeights(projection);
}

void MainWindow::traceNeuron(int population, std::int64_t neuron) {
    if (!controller() || population < 0) return;
    if (population != tracePopulation_) setTracePopulation(population, spec());
    if (neuron >= 0) traceView_->addNeuron(neuron);
    // Asking for a trace brings the traces forward (they share a place with the network).
    if (auto* dock = findChild<QDockWidget*>("tracesDock")) dock->raise();
}

void MainWindow::setTracePopulation(int population, const NetworkSpec& spec) {
    const auto& net = controller()->network();
    tracePopulation_ = population;
    pendingTrace_.clear();
    const auto& pop = net.populations[std::size_t(population)];
    const auto& model = *pop.model;
    std::optional<double> threshold;
    if (findParam(model.params, model.threshold))
        threshold = parameterValue(spec, pop.name, model.threshold);
    QString unit;
    for (const auto& var : model.state)
        if (var.name == model.voltage) unit = QString::fromStdString(var.unit);
    traceView_->setPopulation(QString::fromStdString(pop.name), pop.size, net.dt,
                              QString::fromStdString(model.voltage), unit, threshold,
                              QString::fromStdString(model.threshold));
    controller()->setProbe(population, {});
}

RasterView* MainWindow::raster(int population) const {
    return population >= 0 && std::size_t(population) < rasters_.size()
               ? rasters_[std::size_t(population)]
               : nullptr;
}

void MainWindow::updateTitle() {
    QString name = QString::fromStdString(spec().name);
    if (name.isEmpty() || name == "untitled") name = document_->displayName();
    setWindowTitle(QString("SpikeLab - %1[*]").arg(name));
    setWindowModified(document_->isModified());
}

void MainWindow::showError(const QString& message) {
    statusBar()->showMessage(message, 10000);
    if (isVisible() && !qApp->platformName().startsWith("offscreen"))
        QMessageBox::warning(this, "SpikeLab", message);
}

QStringList MainWindow::recentFiles() const {
    return QSettings().value("recentFiles").toStringList();
}

void MainWindow::rememberRecent(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > 8) files.removeLast();
    QSettings().setValue("recentFiles", files);
    rebuildRecentMenu();
}

void MainWindow::forgetRecent(const QString& path) {
    QStringList files = recentFiles();
    files.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue("recentFiles", files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        auto* action = recentMenu_->addAction(
            QString("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
            [this, path] { openProject(path); });
        action->setToolTip(path);
    }
    recentMenu_->setEnabled(!files.isEmpty());
}

NeuronLab* MainWindow::neuronLab() const {
    return lab_;
}

void MainWindow::openNeuronLab() {
    if (!lab_) {
        lab_ = new NeuronLab(this);
        lab_->setWindowFlag(Qt::Window);
    }
    lab_->show();
    lab_->raise();
    lab_->activateWindow();
}

void MainWindow::openSweep() {
    if (!controller() || !session_->data()) {
        showError("A sweep needs a project with a data set");
        return;
    }
    auto* dialog = new SweepDialog(spec(), QString::fromStdString(projectDir(
                                               projectPath().toStdString())),
                                   session_->data(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::openTraining() {
    if (!controller()) return;
    if (document_->path().isEmpty()) {
        showError("Save the project first: training writes its weights beside the project file");
        return;
    }
    auto* dialog = new TrainDialog(projectPath(), spec(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TrainDialog::trained, this, [this](const QString& path) { openProject(path); });
    dialog->show();
}

bool MainWindow::saveScreenshot(const QString& path) {
    pumpFrames();
    QString error;
    if (exportWidgetPng(this, path, &error)) return true; // charts laid out for the new data
    showError(error);
    return false;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeKeepChanges()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    repaint_->stop();
    weightPoll_->stop();
    if (controller()) controller()->shutdown();
    event->accept();
}

} // namespace spikelab::ui
