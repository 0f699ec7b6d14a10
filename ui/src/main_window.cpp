#include "main_window.h"

#include "raster_view.h"
#include "sample_view.h"
#include "spikelab/error.h"
#include "spikelab/project.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <filesystem>
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
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("SpikeLab");
    status_ = new QLabel(this);
    statusBar()->addPermanentWidget(status_, 1);
    buildActions();
    repaint_ = new QTimer(this);
    repaint_->setInterval(16); // at most ~60 repaints a second
    connect(repaint_, &QTimer::timeout, this, &MainWindow::pumpFrames);
    repaint_->start();
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
}

MainWindow::~MainWindow() {
    if (controller_) controller_->shutdown();
}

void MainWindow::buildActions() {
    auto* file = menuBar()->addMenu("&File");
    auto* open = file->addAction("&Open...", this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, "Open project", QString(),
                                                          "SpikeLab projects (*.json)");
        if (!path.isEmpty()) openProject(path);
    });
    open->setShortcut(QKeySequence::Open);
    file->addAction("&Quit", this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    auto* sim = menuBar()->addMenu("&Simulation");
    auto* bar = addToolBar("Simulation");
    bar->setObjectName("simulationToolBar");
    runAction_ = new QAction("Run", this);
    runAction_->setShortcut(Qt::Key_Space);
    runAction_->setCheckable(true);
    connect(runAction_, &QAction::toggled, this, [this](bool on) {
        if (!controller_) return;
        on ? controller_->run() : controller_->pause();
        runAction_->setText(on ? "Pause" : "Run");
    });
    auto* step = new QAction("Step", this);
    step->setShortcut(Qt::Key_S);
    connect(step, &QAction::triggered, this, [this] {
        if (controller_) controller_->stepN(1);
    });
    auto* stepSample = new QAction("Step sample", this);
    connect(stepSample, &QAction::triggered, this, [this] {
        if (controller_) controller_->stepSample();
    });
    auto* reset = new QAction("Reset", this);
    reset->setShortcut(Qt::Key_R);
    connect(reset, &QAction::triggered, this, [this] {
        if (controller_) controller_->reset();
    });
    auto* previous = new QAction("Previous sample", this);
    previous->setShortcut(Qt::Key_Left);
    connect(previous, &QAction::triggered, this, [this] {
        if (controller_ && controller_->dataset()) {
            const auto count = controller_->dataset()->count;
            currentSample_ = (currentSample_ + count - 1) % count; // rapid presses add up
            controller_->selectSample(currentSample_);
        }
    });
    auto* next = new QAction("Next sample", this);
    next->setShortcut(Qt::Key_Right);
    connect(next, &QAction::triggered, this, [this] {
        if (controller_ && controller_->dataset()) {
            currentSample_ = (currentSample_ + 1) % controller_->dataset()->count;
            controller_->selectSample(currentSample_);
        }
    });
    auto* random = new QAction("Random sample", this);
    connect(random, &QAction::triggered, this, [this] {
        if (controller_ && controller_->dataset()) {
            currentSample_ = std::int64_t(
                QRandomGenerator::global()->bounded(quint64(controller_->dataset()->count)));
            controller_->selectSample(currentSample_);
        }
    });
    for (QAction* a : {runAction_, step, stepSample, reset, previous, next, random}) {
        sim->addAction(a);
        bar->addAction(a);
    }
    speed_ = new QComboBox(this);
    for (const auto& s : kSpeeds) speed_->addItem(s.text);
    connect(speed_, &QComboBox::currentIndexChanged, this, &MainWindow::applySpeed);
    bar->addWidget(speed_);

    auto* view = menuBar()->addMenu("&View");
    auto* full = view->addAction("&Full screen", this,
                                 [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    full->setShortcut(Qt::Key_F11);
}

void MainWindow::applySpeed(int index) {
    if (controller_ && index >= 0 && index < int(std::size(kSpeeds)))
        controller_->setSpeed(kSpeeds[index].modelMsPerSecond);
}

bool MainWindow::openProject(const QString& path) {
    try {
        const std::string file = path.toStdString();
        const NetworkSpec spec = loadProject(file);
        const CompiledNetwork net = compileNetwork(spec, projectDir(file));
        std::shared_ptr<const ImageDataset> dataset;
        const auto& ds = spec.experiment.dataset;
        if (ds.name != "nmnist") {
            std::optional<std::string> folder;
            if (!ds.path.empty())
                folder = (std::filesystem::path(projectDir(file)) / ds.path).string();
            try {
                dataset =
                    std::make_shared<ImageDataset>(loadImageDataset(ds.name, ds.split, folder));
            } catch (const Error& e) {
                showError(QString("No data: %1").arg(e.what()));
            }
        }
        auto controller = std::make_unique<SimulationController>(net, dataset);
        if (controller_) controller_->shutdown();
        controller_ = std::move(controller);
        connect(controller_.get(), &SimulationController::failed, this, &MainWindow::showError);
        projectPath_ = path;
        correct_ = presented_ = currentSample_ = 0;
        setWindowTitle(QString("SpikeLab - %1").arg(QString::fromStdString(spec.name)));
        buildViews();
        applySpeed(speed_->currentIndex());
        runAction_->setChecked(false);
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::buildViews() {
    for (auto* dock : findChildren<QDockWidget*>()) {
        removeDockWidget(dock);
        dock->deleteLater();
    }
    rasters_.assign(controller_->network().populations.size(), nullptr);
    const auto& net = controller_->network();
    auto* column = new QWidget(this);
    auto* layout = new QVBoxLayout(column);
    for (std::size_t p = 0; p < net.populations.size(); ++p) {
        const auto& pop = net.populations[p];
        if (!pop.record.spikes) continue;
        auto* raster = new RasterView(column);
        raster->setPopulation(QString::fromStdString(pop.name), pop.size, net.dt);
        raster->setWindowSteps(std::max<std::int64_t>(net.stepsPerSample * 3, 300));
        raster->setShowLabels(int(p) == net.readout);
        raster->setMinimumHeight(140);
        layout->addWidget(raster, pop.size > 100 ? 3 : 2);
        rasters_[p] = raster;
    }
    std::int64_t largest = 0;
    for (const auto& pop : net.populations)
        if (pop.record.spikes) largest = std::max(largest, pop.size - 1);
    for (auto* r : rasters_)
        if (r) r->setNeuronLabelReserve(largest);
    setCentralWidget(column);
    auto* dock = new QDockWidget("Sample", this);
    dock->setObjectName("sampleDock");
    sampleView_ = new SampleView(dock);
    dock->setWidget(sampleView_);
    addDockWidget(Qt::RightDockWidgetArea, dock);
}

RasterView* MainWindow::raster(int population) const {
    return population >= 0 && std::size_t(population) < rasters_.size()
               ? rasters_[std::size_t(population)]
               : nullptr;
}

void MainWindow::pumpFrames() {
    if (!controller_) return;
    const auto* samples = controller_->dataset();
    const auto frames = controller_->takeFrames();
    // At full speed many frames arrive per repaint; spikes that have already scrolled out of
    // every raster's window by the newest frame are never drawn, so skip them.
    const std::int64_t newest = frames.empty() ? 0 : frames.back().endStep;
    for (const auto& frame : frames) {
        for (std::size_t p = 0; p < frame.spikes.size(); ++p) {
            auto* raster = rasters_[p];
            if (!raster || frame.spikes[p].empty()) continue;
            const std::int64_t oldest = newest - raster->windowSteps();
            const auto& spikes = frame.spikes[p];
            if (spikes.back().step < oldest) continue;
            auto first =
                std::lower_bound(spikes.begin(), spikes.end(), oldest,
                                 [](const SpikeEvent& e, std::int64_t s) { return e.step < s; });
            raster->addSpikes({&*first, std::size_t(spikes.end() - first)});
        }
        for (const auto& e : frame.samples) {
            if (e.finished) {
                ++presented_;
                correct_ += e.predicted >= 0 && e.predicted == e.label;
                if (sampleView_ && e.predicted >= 0)
                    sampleView_->showPrediction(e.predicted, e.counts);
                continue;
            }
            currentSample_ = e.sample;
            for (auto* r : rasters_)
                if (r) r->addSampleBoundary(e.step, e.label);
            if (samples && sampleView_)
                sampleView_->showSample(
                    e.sample, {samples->image(e.sample), std::size_t(samples->pixelsPerImage())},
                    samples->rows, samples->cols, e.label);
        }
        for (auto* r : rasters_)
            if (r) r->advanceTo(frame.endStep);
    }
    if (runAction_ && runAction_->isChecked() != controller_->isRunning()) {
        const QSignalBlocker block(runAction_);
        runAction_->setChecked(controller_->isRunning());
        runAction_->setText(controller_->isRunning() ? "Pause" : "Run");
    }
    updateStatus();
}

void MainWindow::updateStatus() {
    const auto& net = controller_->network();
    const auto steps = controller_->stepsDone();
    QString text = QString("step %1  |  t = %2 ms  |  sample %3")
                       .arg(steps)
                       .arg(double(steps) * net.dt, 0, 'f', 1)
                       .arg(currentSample_);
    if (net.readout >= 0 && presented_ > 0)
        text += QString("  |  accuracy %1% over %2 samples")
                    .arg(100.0 * double(correct_) / double(presented_), 0, 'f', 1)
                    .arg(presented_);
    status_->setText(text);
}

void MainWindow::showError(const QString& message) {
    statusBar()->showMessage(message, 10000);
    if (isVisible() && !qApp->platformName().startsWith("offscreen"))
        QMessageBox::warning(this, "SpikeLab", message);
}

bool MainWindow::saveScreenshot(const QString& path) {
    pumpFrames();
    return grab().save(path, "PNG");
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    repaint_->stop();
    if (controller_) controller_->shutdown();
    event->accept();
}

} // namespace spikelab::ui
