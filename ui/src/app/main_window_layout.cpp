// The main window's docks and their default layout: which views it has, where they start, how
// the default arrangement follows the window's width (docs/architecture.md, "Around the
// engine"), and the toolbar that drops its words when they do not fit.
#include "main_window.h"

#include "document.h"
#include "inspector.h"
#include "model_editor.h"
#include "network_canvas.h"
#include "node_palette.h"
#include "parameter_editor.h"
#include "parameter_panel.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "trace_view.h"
#include "weight_view.h"

#include <QDockWidget>
#include <QHBoxLayout>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

#include <algorithm>

namespace spikelab::ui {

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* view,
                                 Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(view);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks() {
    sampleView_ = new SampleView(this);
    parameterPanel_ = new ParameterPanel(this);
    parameterEditor_ = new ParameterEditor(parameterPanel_, document_, this);
    connect(parameterEditor_, &ParameterEditor::parameterChanged, this,
            &MainWindow::applyParameter);
    // The network editor: the palette beside the canvas.
    auto* editor = new QWidget(this);
    auto* editorLayout = new QHBoxLayout(editor);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(2);
    palette_ = new NodePalette(editor);
    canvas_ = new NetworkCanvas(document_, editor);
    canvas_->setObjectName("networkCanvas");
    connect(palette_, &NodePalette::placementChosen, canvas_, &NetworkCanvas::armPlacement);
    connect(document_, &Document::changed, palette_, [this] { palette_->setModels(document_->spec()); });
    connect(canvas_, &NetworkCanvas::projectionRequested, this, &MainWindow::requestProjection);
    connect(canvas_, &NetworkCanvas::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    editorLayout->addWidget(palette_);
    editorLayout->addWidget(canvas_, 1);
    // The inspector shows the one selected item (the experiment when none or several are).
    inspector_ = new Inspector(document_, this);
    connect(canvas_, &NetworkCanvas::selectionNamesChanged, inspector_,
            [this](const QStringList& names) {
                inspector_->setItem(names.size() == 1 ? names.front() : QString());
            });
    connect(inspector_, &Inspector::itemRenamed, canvas_,
            [this](const QString&, const QString& to) { canvas_->selectNames({to}); });
    traceView_ = new TraceView(this);
    connect(traceView_, &TraceView::neuronsChanged, this,
            [this](const std::vector<std::int64_t>& neurons) {
                if (controller() && tracePopulation_ >= 0)
                    controller()->setProbe(tracePopulation_, neurons, traceView_->windowSteps());
            });
    statisticsView_ = new StatisticsView(this);
    weightView_ = new WeightView(this);
    connect(weightView_, &WeightView::projectionSelected, this, &MainWindow::showProjection);
    // The colour scale chosen last (README, "Weights").
    weightView_->setScale(QSettings().value("weights/scale").toString() == "max"
                              ? WeightView::Scale::Max
                              : WeightView::Scale::Percentile99);
    connect(weightView_, &WeightView::scaleChanged, this, [](WeightView::Scale scale) {
        QSettings().setValue("weights/scale",
                             scale == WeightView::Scale::Max ? "max" : "percentile99");
    });

    // The right column runs the window's whole height: the parameters get room for their
    // rows, the bottom docks sit under the rasters only.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addDock("Sample", "sampleDock", sampleView_, Qt::RightDockWidgetArea);
    auto* params = addDock("Parameters", "parametersDock", parameterPanel_, Qt::RightDockWidgetArea);
    // Networks are laid out from left to right: the editor gets a wide, low place.
    networkDock_ = addDock("Network", "networkDock", editor, Qt::BottomDockWidgetArea);
    auto* traces = addDock("Membrane traces", "tracesDock", traceView_, Qt::BottomDockWidgetArea);
    auto* stats = addDock("Statistics", "statisticsDock", statisticsView_, Qt::BottomDockWidgetArea);
    weightDock_ = addDock("Weights", "weightsDock", weightView_, Qt::BottomDockWidgetArea);
    auto* inspector = addDock("Inspector", "inspectorDock", inspector_, Qt::RightDockWidgetArea);
    tabifyDockWidget(params, inspector);
    // The model editor (README, "The model editor"): a tab beside them, shown on demand.
    modelEditor_ = new ModelEditor(this);
    modelEditor_->setProject(document_->spec());
    connect(document_, &Document::changed, modelEditor_, [this] { modelEditor_->setProject(document_->spec()); });
    connect(modelEditor_, &ModelEditor::applyRequested, this, &MainWindow::applyModel);
    connect(modelEditor_, &ModelEditor::removeRequested, this, &MainWindow::removeModel);
    auto* models = addDock("Model editor", "modelEditorDock", modelEditor_, Qt::RightDockWidgetArea);
    tabifyDockWidget(params, models);
    models->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(models->toggleViewAction(), &QAction::triggered, models, [models](bool shown) {
        if (shown) models->raise();
    });
    models->hide();
    params->raise();
    // Picking one item on the canvas brings its inspector forward.
    connect(canvas_, &NetworkCanvas::selectionNamesChanged, inspector,
            [inspector](const QStringList& names) {
                if (names.size() == 1) inspector->raise();
            });
    // One place for the bottom docks, as tabs: a window too narrow to show them side by side
    // can still be made; showEvent splits them when the window is wide enough.
    tabifyDockWidget(networkDock_, traces);
    tabifyDockWidget(networkDock_, stats);
    tabifyDockWidget(networkDock_, weightDock_);
    networkDock_->raise();
    // The window's minimum size was taken while the docks were added side by side; taken
    // again now, a saved or asked-for size of 1024 x 700 is not widened to that.
    layout()->activate();
}

void MainWindow::restoreDefaultLayout() {
    restoreState(defaultLayout_);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    fitToolBar();
    if (!defaultLayout_.isEmpty()) return;
    // Dock sizes only take once the window has its size: the default layout is made at the
    // first show, then the user's saved one (if any) replaces it.
    const auto dock = [this](const char* name) { return findChild<QDockWidget*>(name); };
    const int column = std::clamp(width() / 4, 280, 400);
    const int bottom = width() - column;
    // Below about 1100 pixels the bottom docks side by side leave each too narrow to read (the
    // confusion matrix's class names, the network's text): they stay in one place as tabs.
    // Wider, the statistics and the weights move beside the network and the traces.
    QDockWidget* stats = dock("statisticsDock");
    if (bottom >= 1100) {
        for (QDockWidget* moved : {stats, weightDock_}) removeDockWidget(moved);
        addDockWidget(Qt::BottomDockWidgetArea, stats, Qt::Horizontal);
        tabifyDockWidget(stats, weightDock_);
        for (QDockWidget* moved : {stats, weightDock_}) moved->show();
        stats->raise();
        networkDock_->raise();
    }
    resizeDocks({dock("sampleDock")}, {column}, Qt::Horizontal);
    resizeDocks({dock("sampleDock")}, {std::clamp(height() * 2 / 5, 200, 420)}, Qt::Vertical);
    resizeDocks({networkDock_}, {std::max(height() * 34 / 100, 250)}, Qt::Vertical);
    if (bottom >= 1100)
        // The diagram is wide (layers left to right): three fifths to it.
        resizeDocks({networkDock_, stats}, {bottom * 3 / 5, bottom * 2 / 5}, Qt::Horizontal);
    defaultLayout_ = saveState();
    if (!savedLayout_.isEmpty()) restoreState(savedLayout_);
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    fitToolBar();
}

void MainWindow::fitToolBar() {
    // The width the buttons need with their words, measured once; narrower windows show the
    // pictures alone (with their tooltips) rather than hide buttons behind an overflow menu.
    if (toolBarTextWidth_ == 0) {
        toolBar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        toolBarTextWidth_ = toolBar_->sizeHint().width();
    }
    toolBar_->setToolButtonStyle(width() >= toolBarTextWidth_ ? Qt::ToolButtonTextBesideIcon
                                                              : Qt::ToolButtonIconOnly);
}

} // namespace spikelab::ui
