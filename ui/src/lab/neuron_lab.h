#pragma once
// The neuron lab (View -> Neuron lab, Ctrl+L): one neuron of a built-in model under a stimulus,
// for a class to play with. On the left the model, its parameters and the stimulus, built with
// the designer (one part: step, ramp, pulses, sine or noise, with its amplitude, onset,
// duration and frequency) or typed as text with several parts (spikelab/stimulus.h); on the
// right the membrane potential with the threshold and the spikes, the model's other state
// variables, and the stimulus under them. Every change runs the neuron again for the whole
// duration (spikelab::neuronResponse, a few milliseconds), so the traces follow the controls
// as they move. A setting that cannot run keeps the last traces and says why in red.
// The f-I tab draws the model's firing rate against constant current (spikelab::fiCurve,
// 1 s per current at the lab's dt) up to a current chosen there, with the rheobase marked and,
// for LIF, the analytic and soft rates; it is computed while it is shown. The phase-plane tab
// draws the membrane potential against another state variable (spikelab::PhasePlane): both
// nullclines and the fixed points with their stability at a constant input chosen there, the
// vector field (an arrow per grid point in the direction the state moves, darker where it moves
// faster), and the run's trajectory over them. A click on the plane starts the neuron from
// there (its membrane potential and that variable; "Start at rest" forgets it).
//
// Classroom mode (the Classroom button, F9) is for a projector: fonts 1.6 times larger, thick
// lines, Qt Charts' high-contrast theme; F11 makes the lab full screen. Alt+Up / Alt+Down
// change the stimulus's amplitude and Alt+Left / Alt+Right its onset by one step of their
// boxes, wherever the keyboard focus is (text fields keep Ctrl+arrows for moving by words).
#include "spikelab/fi_curve.h"
#include "spikelab/phase_plane.h"
#include "spikelab/stimulus.h"

#include <QFont>
#include <QString>
#include <QWidget>

#include <map>
#include <string>

class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace spikelab::ui {

class NeuronLab : public QWidget {
    Q_OBJECT
public:
    explicit NeuronLab(QWidget* parent = nullptr);

    // What the traces show: the settings of the last run that succeeded, and its result.
    const NeuronResponseSettings& settings() const { return shown_; }
    const NeuronResponse& response() const { return response_; }
    // Why the controls as they are cannot run; empty when the traces show them.
    QString error() const;
    // The charts: the membrane potential (with the threshold and spike marks), the other
    // state variables, the stimulus current.
    QChart* voltageChart() const { return charts_[0]; }
    QChart* stateChart() const { return charts_[1]; }
    QChart* currentChart() const { return charts_[2]; }
    QChart* fiChart() const { return fiChart_; }
    // The f-I curve last drawn, and the rheobase it found (the lowest current of the curve
    // with a spike; NaN when none spiked).
    const std::vector<FiPoint>& fiPoints() const { return fiPoints_; }
    double rheobase() const { return rheobase_; }
    QChart* phaseChart() const { return phaseChart_; }
    // The fixed points last drawn on the phase plane.
    const std::vector<PhasePlane::FixedPoint>& fixedPoints() const { return fixedPoints_; }
    // The vector field last drawn: at (x, y), the derivative (dx/dt, dy/dt) there.
    struct Arrow {
        double x = 0, y = 0, dx = 0, dy = 0;
    };
    const std::vector<Arrow>& vectorField() const { return arrows_; }
    QChartView* phaseView() const { return phaseView_; }
    // The initial state a click on the phase plane chose; empty: the model's.
    const ParamValues& initialState() const { return initial_; }
    // Shows the traces (0), the f-I curve (1) or the phase plane (2).
    void showTab(int index);
    void setClassroom(bool on);
    bool classroom() const { return classroom_; }

    // The tab on show as a picture (its plots, without the controls), and its numbers as CSV:
    // traces: step,t_ms,current_nA,<each state variable>,spike (the state at the end of each
    // step, as spikelab-cli stimulate prints it); f-I curve: current_nA,spikes,first_spike_ms,
    // rate_Hz; phase plane: <x>,<x>_nullcline,<y>_nullcline (empty where there is none). The
    // Export button asks for a file and calls these; a failure says which file and why.
    bool exportPng(const QString& path, QString* error) const;
    bool exportSvg(const QString& path, QString* error) const;
    bool exportCsv(const QString& path, QString* error) const;

signals:
    // The traces were redrawn for new settings.
    void responseChanged();

protected:
    // Clicks on the phase plane (its view's viewport).
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void modelChosen();
    // Puts the preset's values into the parameter boxes and runs once.
    void presetChosen();
    // The designer's one part, written into the stimulus text.
    void designerChanged();
    // Runs the neuron for the controls as they are and redraws, or says why it cannot.
    void run();
    void plot();
    // The f-I curve for the shown settings, when its tab is shown.
    void plotFiCurve();
    // The phase plane for the shown settings, when its tab is shown.
    void plotPhasePlane();
    // Fonts, lines and theme of a chart after its series were replaced (classroom or not).
    void style(QChart* chart) const;
    // Asks for a file of `suffix` and exports the tab on show into it.
    void exportAs(const QString& suffix);

    QComboBox* model_ = nullptr;
    QComboBox* preset_ = nullptr;  // the model's presets (Izhikevich's cell classes, AdEx's patterns)
    QFormLayout* parameters_ = nullptr;
    std::map<std::string, QDoubleSpinBox*> parameterBoxes_;
    QComboBox* kind_ = nullptr;
    QDoubleSpinBox *amplitude_ = nullptr, *onset_ = nullptr, *length_ = nullptr, *frequency_ = nullptr;
    QLineEdit* stimulus_ = nullptr;
    QDoubleSpinBox *duration_ = nullptr, *dt_ = nullptr;
    QLabel* error_ = nullptr;
    QChart* charts_[3] = {};
    QTabWidget* tabs_ = nullptr;
    QChart* fiChart_ = nullptr;
    QDoubleSpinBox* fiMax_ = nullptr;
    std::vector<FiPoint> fiPoints_;
    double rheobase_ = 0;
    QChart* phaseChart_ = nullptr;
    QComboBox* phaseY_ = nullptr;
    QDoubleSpinBox* phaseCurrent_ = nullptr;
    std::vector<PhasePlane::FixedPoint> fixedPoints_;
    std::vector<Arrow> arrows_;
    QChartView* phaseView_ = nullptr;
    class VectorFieldItem* field_ = nullptr;
    QLabel* start_ = nullptr;  // where the run starts
    ParamValues initial_;
    QWidget* controls_ = nullptr;
    QPushButton* classroomButton_ = nullptr;
    bool classroom_ = false;
    QFont normalFont_;
    NeuronResponseSettings shown_;
    NeuronResponse response_;
};

} // namespace spikelab::ui
