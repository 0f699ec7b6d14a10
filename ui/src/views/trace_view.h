#pragma once
// Live membrane traces of up to eight neurons of one population, as line plots (Qt Charts)
// with the firing threshold as a dashed line. The user picks neurons by clicking a raster row
// (the main window calls addNeuron) or by typing an index here. Samples arrive in frames with
// absolute steps; the view keeps only the scrolling window, so a long run uses bounded memory.
//
// The y axis fits the data, which for IF neurons driven by inhibition means dips to -400 mV
// that squash the climb to a 5 mV threshold into a line. "Clip to threshold" fixes the axis
// around the threshold instead: from threshold - 2|threshold| to threshold + |threshold|/2
// (|threshold| taken as 1 when it is 0), the curves cut off at its edges.
#include <spikelab/recording.h>

#include <QColor>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <utility>
#include <vector>

class QChart;
class QCheckBox;
class QChartView;
class QLabel;
class QLineSeries;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QValueAxis;

namespace spikelab::ui {

class TraceView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxNeurons = 8;

    struct Point {
        std::int64_t step;
        float value;
        bool operator==(const Point&) const = default;
    };

    explicit TraceView(QWidget* parent = nullptr);

    // The population whose `variable` [unit] is traced and its threshold parameter (drawn as a
    // dashed line named "threshold <thresholdName>"; none when the model has no threshold).
    // Clears the traced neurons and all data.
    void setPopulation(const QString& name, std::int64_t size, double dtMs, const QString& variable,
                       const QString& unit, std::optional<double> threshold,
                       const QString& thresholdName);
    // Moves the threshold line (a parameter changed while running).
    void setThreshold(double value);
    // Fixes the y axis around the threshold (see above); ignored while there is none. The
    // check box under the same name does this.
    void setClipToThreshold(bool clip);
    bool clipsToThreshold() const { return clip_; }
    // What the y axis shows.
    std::pair<double, double> yRange() const { return {yLo_, yHi_}; }

    // Adds `neuron` to the traced set, dropping the oldest beyond kMaxNeurons. False (and no
    // change) without a population or when the index is outside it.
    bool addNeuron(std::int64_t neuron);
    bool removeNeuron(std::int64_t neuron);
    void clearNeurons();
    // Traced neurons, oldest first.
    std::vector<std::int64_t> neurons() const;

    // `values` of each sample follow `sampledNeurons`. Steps are absolute and never decrease;
    // a step a neuron already has is ignored, as are neurons that are not traced. The window's
    // right edge moves to the newest step.
    void addSamples(std::span<const spikelab::StateSample> samples,
                    const std::vector<std::int64_t>& sampledNeurons);
    // Steps shown (at least 2); the default is 1000.
    void setWindowSteps(std::int64_t steps);

    QString populationName() const { return population_; }
    std::int64_t populationSize() const { return size_; }
    std::int64_t windowSteps() const { return windowSteps_; }
    std::int64_t headStep() const { return std::max(reached_, windowSteps_ - 1); }
    // First step inside the window (the right edge is headStep()).
    std::int64_t windowStart() const { return headStep() - windowSteps_ + 1; }
    std::optional<double> threshold() const { return threshold_; }
    QPen thresholdPen() const;
    QList<QPointF> thresholdPoints() const;
    bool thresholdShown() const;
    // Samples held for `neuron` (all inside the window), oldest first; empty when not traced.
    std::vector<Point> storedSamples(std::int64_t neuron) const;
    std::size_t storedSampleCount() const;
    // What the chart draws for `neuron`: (time in ms, value).
    QList<QPointF> seriesPoints(std::int64_t neuron) const;
    QColor neuronColour(std::int64_t neuron) const;
    QString seriesName(std::int64_t neuron) const;
    QChart* chart() const { return chart_; }
    // The hint replaces the chart while no neuron is traced.
    bool showsHint() const;

    // step,time_ms,neuron_<i>... with one row per stored step; a neuron without a sample at
    // that step leaves its cell empty. The pictures show the chart without the controls. All
    // three fail, saying so in `error`, while no neuron is traced.
    bool exportCsv(const QString& path, QString* error) const;
    bool exportPng(const QString& path, QString* error) const;
    bool exportSvg(const QString& path, QString* error) const;

    QSize sizeHint() const override { return {640, 320}; }

protected:
    void resizeEvent(QResizeEvent* event) override;

signals:
    // The traced set changed (also when setPopulation clears it); the simulation should now
    // sample exactly these neurons.
    void neuronsChanged(const std::vector<std::int64_t>& neurons);

private:
    struct Trace {
        std::int64_t neuron;
        QColor colour;
        QLineSeries* series;
        std::deque<Point> points;
    };

    bool canExport(const QString& path, QString* error) const;
    const Trace* findTrace(std::int64_t neuron) const;
    QColor unusedColour() const;
    void removeTraceAt(std::size_t index);
    void tracesChanged();
    void prune();
    // Puts the stored samples, the threshold and the window on the chart.
    void redraw();
    // Grows the y range to hold [lo, hi]; never shrinks it, so the axis does not jump.
    void expandY(double lo, double hi);
    // Fits the y range to the stored samples and the threshold.
    void refitY();
    void refreshControls();
    // The neurons' legend entries by name while the names fit in one row, else by number.
    void placeLegend();

    QString population_;
    std::int64_t size_ = 0;
    double dtMs_ = 1.0;
    QString variable_;
    std::optional<double> threshold_;
    std::int64_t windowSteps_ = 1000;
    std::int64_t reached_ = -1;
    std::vector<Trace> traces_;
    // The y axis shows [yLo_, yHi_]. Until data arrives it is not fitted to any.
    bool yFitted_ = false;
    double yLo_ = 0.0;
    double yHi_ = 1.0;
    bool clip_ = false;

    QLabel* populationLabel_;
    QSpinBox* neuronBox_;
    QPushButton* addButton_;
    QPushButton* clearButton_;
    QCheckBox* clipBox_;
    QStackedWidget* stack_;
    QLabel* hint_;
    QChartView* chartView_;
    QChart* chart_;
    QValueAxis* xAxis_;
    QValueAxis* yAxis_;
    QLineSeries* thresholdSeries_;
};

} // namespace spikelab::ui
