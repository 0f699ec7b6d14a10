#pragma once
// The workbench window: run controls, one live raster per recorded population, the sample
// browser, a status line. It drives a SimulationController and repaints from its frames at
// most 60 times a second.
#include "simulation_controller.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QTimer;

namespace spikelab::ui {

class RasterView;
class SampleView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads a project and its data set; on failure shows the reason and keeps the old one.
    bool openProject(const QString& path);
    QString projectPath() const { return projectPath_; }
    SimulationController* controller() const { return controller_.get(); }
    RasterView* raster(int population) const;
    SampleView* sampleView() const { return sampleView_; }
    // Drains the controller's frames into the views now (the 60 Hz timer does this too).
    void pumpFrames();
    // Renders the whole window into a PNG.
    bool saveScreenshot(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildViews();
    void applySpeed(int index);
    void updateStatus();
    void showError(const QString& message);

    QString projectPath_;
    std::unique_ptr<SimulationController> controller_;
    std::vector<RasterView*> rasters_;  // per population, null when not recorded
    SampleView* sampleView_ = nullptr;
    QTimer* repaint_ = nullptr;
    QLabel* status_ = nullptr;
    QComboBox* speed_ = nullptr;
    QAction* runAction_ = nullptr;
    std::int64_t correct_ = 0, presented_ = 0, currentSample_ = 0;
};

} // namespace spikelab::ui
