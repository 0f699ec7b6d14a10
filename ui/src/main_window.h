#pragma once
// The workbench window: run controls, one live raster per recorded population in the middle,
// and dock widgets around it (sample browser, membrane traces, weights, statistics, the
// network, parameters). It drives a SimulationController and repaints from its frames at most
// 60 times a second. Parameter changes go through an undo stack; layout and recent files are
// remembered with QSettings.
#include "simulation_controller.h"

#include "spikelab/network.h"

#include <QElapsedTimer>
#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QTimer;
class QUndoStack;

namespace spikelab::ui {

class Document;
class NetworkView;
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
    // Writes the project with the parameters as tuned now (atomically); false on failure,
    // with the reason shown.
    bool saveProject();
    QString projectPath() const { return projectPath_; }
    // The project as edited: the loaded file plus every parameter change not undone.
    const NetworkSpec& spec() const;
    SimulationController* controller() const { return controller_.get(); }
    QUndoStack* undoStack() const;
    Document* document() const { return document_; }
    // Replaces the project with its autosave (what the recovery offer does when accepted).
    bool recoverFrom(const QString& autosave);
    RasterView* raster(int population) const;
    SampleView* sampleView() const { return sampleView_; }
    TraceView* traceView() const { return traceView_; }
    WeightView* weightView() const { return weightView_; }
    StatisticsView* statisticsView() const { return statisticsView_; }
    NetworkView* networkView() const { return networkView_; }
    ParameterPanel* parameterPanel() const { return parameterPanel_; }
    ParameterEditor* parameterEditor() const { return parameterEditor_; }
    QStringList recentFiles() const;
    // Starts tracing a neuron (what a click on a raster row does).
    void traceNeuron(int population, std::int64_t neuron);
    // Drains the controller's frames into the views now (the 60 Hz timer does this too).
    void pumpFrames();
    // Renders the whole window into a PNG.
    bool saveScreenshot(const QString& path);
    void restoreDefaultLayout();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildActions();
    void buildDocks();
    QDockWidget* addDock(const QString& title, const QString& name, QWidget* view,
                         Qt::DockWidgetArea area);
    void buildRasters();
    // Compiles `spec` (files relative to `path`), loads its data and starts a new simulation
    // in place of the current one; throws spikelab::Error and keeps the old one on failure.
    void startSimulation(const NetworkSpec& spec, const QString& path);
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
    void updateStatus();
    void flushTraces();
    void updateTitle();
    void showError(const QString& message);
    void rememberRecent(const QString& path);
    void forgetRecent(const QString& path);
    void rebuildRecentMenu();
    void openSweep();
    void openTraining();

    QString projectPath_;
    std::unique_ptr<SimulationController> controller_;
    std::shared_ptr<const ImageDataset> dataset_;
    std::vector<RasterView*> rasters_; // per population, null when not recorded
    SampleView* sampleView_ = nullptr;
    TraceView* traceView_ = nullptr;
    WeightView* weightView_ = nullptr;
    StatisticsView* statisticsView_ = nullptr;
    NetworkView* networkView_ = nullptr;
    ParameterPanel* parameterPanel_ = nullptr;
    ParameterEditor* parameterEditor_ = nullptr;
    QDockWidget* weightDock_ = nullptr;
    Document* document_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QTimer* repaint_ = nullptr;
    QTimer* weightPoll_ = nullptr;
    QLabel* status_ = nullptr;
    QComboBox* speed_ = nullptr;
    QAction* runAction_ = nullptr;
    QByteArray defaultLayout_; // made at the first show
    QByteArray savedLayout_;   // the user's, from QSettings
    std::string backendKind_ = "cpu"; // "cpu", "cuda" or "auto"
    int tracePopulation_ = -1;
    std::vector<StateSample> pendingTrace_; // not yet given to the trace view
    std::vector<std::int64_t> pendingTraceNeurons_;
    QElapsedTimer traceClock_;
    int shownProjection_ = -1;
    std::int64_t correct_ = 0, presented_ = 0, currentSample_ = 0;
};

} // namespace spikelab::ui
