#pragma once
// The workbench window: run controls, one live raster per recorded population in the middle,
// and dock widgets around it (sample browser, membrane traces, weights, statistics, the
// network editor, the inspector, parameters). It drives a SimulationController and repaints
// from its frames at most 60 times a second. Layout and recent files are kept in QSettings.
//
// The Document is the project being edited; the canvas, the inspector and the parameter panel
// follow it, and so does the simulation: the SimulationSession decides for each edit whether
// the running engine is patched, takes new models or is rebuilt (simulation_session.h), and
// the window builds its views for each new engine. A parameter edit also starts the statistics
// again (resetStatistics). The window opens at a
// teaching speed (0.1x) unless another was chosen before. Status-bar messages hide the status
// line while they show, so they can be read whole.
#include "event_frame.h"
#include "simulation_controller.h"
#include "simulation_session.h"

#include "spikelab/error.h"
#include "spikelab/network.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>

#include <map>
#include <memory>
#include <string>
#include <vector>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QTimer;
class QToolBar;
class QUndoStack;

namespace spikelab::ui {

class DatasetDialog;
class Document;
class HelpMenu;
class ModelEditor;
class Inspector;
class NetworkCanvas;
class NetworkView;
class NeuronLab;
class NodePalette;
class ParameterEditor;
class ParameterPanel;
class RasterView;
class SampleView;
class StatisticsView;
class TraceView;
class WeightView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a project and its data set; on failure shows the reason and keeps the old one.
    bool openProject(const QString& path);
    // An empty, untitled project (after asking about unsaved changes).
    bool newProject();
    // Writes the project as edited (atomically); an untitled one asks for a file. False on
    // failure, with the reason shown.
    bool saveProject();
    // Writes the project to `path` and goes on editing it there (relative weight paths are
    // rewritten to still name the same files).
    bool saveProjectAs(const QString& path);
    // The network as one self-contained JSON file (weights inline, provenance).
    bool exportNetwork(const QString& path, QString* error = nullptr);
    // Turns an exported network into the project `projectPath` and opens it.
    bool importNetwork(const QString& exported, const QString& projectPath);
    // The project the running simulation was built from (its relative files are found there).
    QString projectPath() const { return session_->projectPath(); }
    // The project as edited: the loaded file plus every parameter change not undone.
    const NetworkSpec& spec() const;
    SimulationController* controller() const { return session_->controller(); }
    SimulationSession* session() const { return session_; }
    QUndoStack* undoStack() const;
    Document* document() const { return document_; }
    // Replaces the project with its autosave (what the recovery offer does when accepted).
    bool recoverFrom(const QString& autosave);
    RasterView* raster(int population) const;
    SampleView* sampleView() const { return sampleView_; }
    TraceView* traceView() const { return traceView_; }
    WeightView* weightView() const { return weightView_; }
    StatisticsView* statisticsView() const { return statisticsView_; }
    NetworkView* networkView() const;
    NetworkCanvas* canvas() const { return canvas_; }
    NodePalette* palette() const { return palette_; }
    Inspector* inspector() const { return inspector_; }
    ParameterPanel* parameterPanel() const { return parameterPanel_; }
    ParameterEditor* parameterEditor() const { return parameterEditor_; }
    HelpMenu* helpMenu() const { return help_; }
    // The neuron lab's window, once opened (View -> Neuron lab).
    NeuronLab* neuronLab() const;
    QStringList recentFiles() const;
    // Starts tracing a neuron (what a click on a raster row does).
    void traceNeuron(int population, std::int64_t neuron);
    // Drains the controller's frames into the views now (the 60 Hz timer does this too).
    void pumpFrames();
    // Starts the accuracy, the confusion matrix and the status line's counts again with the
    // next sample that starts (what a parameter change does; `reason` names it in the
    // statistics, see StatisticsView::resetCounts). Samples already finished are counted
    // before; the one in progress ran partly before and is left out.
    void resetStatistics(const QString& reason);
    // Renders the whole window into a PNG.
    bool saveScreenshot(const QString& path);
    void restoreDefaultLayout();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    // The menus and the toolbar: File, Edit, Simulation (whose buttons are a table, in the
    // menu and the toolbar alike; it returns the menu), its Backend submenu, Tools, View, Help.
    void buildActions();
    void buildFileMenu();
    QMenu* buildSimulationActions();
    void buildBackendMenu(QMenu* simulation);
    // The toolbar's words beside its pictures when the window is wide enough, else pictures.
    void fitToolBar();
    void buildDocks();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* view,
                         Qt::DockWidgetArea area);
    void buildRasters();
    // Replaces what the central widget shows.
    void setCentralContent(QWidget* content);
    // The views of a new engine (SimulationSession::started).
    void simulationStarted(const NetworkSpec& spec, const CompiledNetwork& net);
    // Empties the views (SimulationSession::stopped: a project without populations).
    void simulationStopped();
    // A data set on none of the folders searched: the offer to download it or to choose its
    // folder (main_window_datasets.cpp); once there, the data is loaded.
    void offerDataset(const DatasetNotFound& missing);
    // Follows an edit of the document (SimulationSession::follow); a running simulation that
    // is rebuilt runs on.
    void followDocument();
    // The model editor's Apply and Delete, as document edits.
    void applyModel(const QString& previous, const NeuronModelDeclaration& model);
    void removeModel(const QString& name);
    // Asks for a projection source -> target (the canvas's edge drag) and adds it.
    void requestProjection(const QString& source, const QString& target);
    // The canvas's activity dots: `rates` (Hz) new, the others keep theirs.
    void showActivity(std::map<std::string, double> rates);
    void offerRecovery(const QString& path);
    // Asks whether to save unsaved changes; false when the user cancels.
    bool maybeKeepChanges();
    void fillExportMenu(QMenu* exports);
    void configureViews(const NetworkSpec& spec, const CompiledNetwork& net);
    void showProjection(int projection);
    void setTracePopulation(int population, const NetworkSpec& spec);
    void applySpeed(int index);
    void chooseBackend(const QString& kind);
    void applyParameter(const ParameterChange& change);
    void showNotice(const QString& message, int milliseconds);
    void updateStatus();
    void flushTraces();
    // How many steps an event keeps its colour in the sample view's event frame.
    std::int64_t eventFadeSteps() const;
    void updateTitle();
    void showError(const QString& message);
    void rememberRecent(const QString& path);
    void forgetRecent(const QString& path);
    void rebuildRecentMenu();
    void openNeuronLab();
    void openSweep();
    void openTraining();

    SimulationSession* session_ = nullptr;
    // Event data: the current sample's recording and how much of it the sample view shows.
    EventFrame eventFrame_;
    std::int64_t eventSampleStart_ = 0, eventFrameSteps_ = 0;
    std::vector<RasterView*> rasters_; // per population, null when not recorded
    SampleView* sampleView_ = nullptr;
    TraceView* traceView_ = nullptr;
    WeightView* weightView_ = nullptr;
    StatisticsView* statisticsView_ = nullptr;
    NetworkCanvas* canvas_ = nullptr;
    NodePalette* palette_ = nullptr;
    Inspector* inspector_ = nullptr;
    ModelEditor* modelEditor_ = nullptr;
    ParameterPanel* parameterPanel_ = nullptr;
    ParameterEditor* parameterEditor_ = nullptr;
    QDockWidget* weightDock_ = nullptr;
    QDockWidget* networkDock_ = nullptr;
    QPointer<DatasetDialog> datasetDialog_; // the offer for a missing data set, while open
    QPointer<NeuronLab> lab_;
    Document* document_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    HelpMenu* help_ = nullptr;
    QTimer* repaint_ = nullptr;
    QTimer* weightPoll_ = nullptr;
    QLabel* status_ = nullptr;
    QComboBox* speed_ = nullptr;
    QAction* runAction_ = nullptr;
    QToolBar* toolBar_ = nullptr;
    int toolBarTextWidth_ = 0;
    QByteArray defaultLayout_; // made at the first show
    QByteArray savedLayout_;   // the user's, from QSettings
    int tracePopulation_ = -1;
    std::vector<StateSample> pendingTrace_; // not yet given to the trace view
    std::vector<std::int64_t> pendingTraceNeurons_;
    QElapsedTimer traceClock_;
    int shownProjection_ = -1;
    bool lastRunning_ = false; // the controller's isRunning() at the last pumpFrames
};

} // namespace spikelab::ui
