#pragma once
// Running statistics of a live run, updated as each presented sample finishes: the accuracy so
// far, the confusion matrix (rows: true label, columns: prediction; cells shaded by the share
// of their row, counts written in when they fit) and the spikes each population fired per
// sample over the last kHistory samples, as a line chart. Memory is bounded: the matrix is
// classes x classes and the spike history a fixed number of samples.
#include <QList>
#include <QPointF>
#include <QRect>
#include <QSize>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

class QChart;
class QChartView;
class QImage;
class QLabel;
class QLineSeries;
class QPainter;
class QValueAxis;

namespace spikelab::ui {

class StatisticsView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kHistory = 200;

    struct SpikeRecord {
        std::int64_t sample;        // 1 for the first sample presented since setup() or clear()
        std::vector<double> spikes; // one per population
    };

    explicit StatisticsView(QWidget* parent = nullptr);

    // Names the classes (matrix rows and columns; may be empty when there is no readout) and
    // the populations whose spikes are counted. Clears everything.
    void setup(const QStringList& classNames, const QStringList& populationNames);
    // One finished sample. label and predicted are class indices, or -1 when unknown or when
    // there is no readout (the sample then only adds its spikes). spikesPerPopulation has one
    // entry per population (finite, >= 0). A bad index or count changes nothing and returns
    // false with a message in `error`.
    bool addResult(int label, int predicted, const std::vector<double>& spikesPerPopulation,
                   QString* error = nullptr);
    struct Result {
        int label = -1, predicted = -1;
        std::vector<double> spikesPerPopulation;
    };
    // Many finished samples with one redraw (at full speed thousands finish per second). Adds
    // them in order up to the first bad one; false with its message when there is one.
    bool addResults(const std::vector<Result>& results, QString* error = nullptr);
    void clear();

    const QStringList& classNames() const { return classes_; }
    const QStringList& populationNames() const { return populations_; }
    std::int64_t confusion(int label, int predicted) const;
    std::int64_t presented() const { return presented_; }
    // Samples with both a label and a prediction: those the accuracy is taken over.
    std::int64_t scored() const { return scored_; }
    std::int64_t correct() const { return correct_; }
    std::optional<double> accuracy() const;
    QString accuracyText() const;
    const std::deque<SpikeRecord>& spikeHistory() const { return history_; }
    // What the chart draws for population `index`: (sample, spikes).
    QList<QPointF> spikeSeriesPoints(int index) const;
    QChart* spikeChart() const { return chart_; }

    // The confusion matrix drawn into an area of `size` (what the view shows), and where the
    // cell (label, predicted) lies in it.
    void paintConfusion(QPainter& painter, QSize size) const;
    QImage renderConfusion(QSize size) const;
    QRect confusionCellRect(QSize size, int label, int predicted) const;

    // The whole view as it looks now.
    bool exportPng(const QString& path, QString* error);
    bool exportSvg(const QString& path, QString* error);
    // label\prediction,<class>... then one row per label.
    bool exportConfusionCsv(const QString& path, QString* error) const;
    // sample,<population>... for the samples in the history.
    bool exportSpikesCsv(const QString& path, QString* error) const;

    QSize sizeHint() const override { return {760, 380}; }

private:
    struct MatrixLayout {
        QRect grid; // classes x classes square cells
        int cell = 0;
        bool verticalColumnLabels = false;
    };
    MatrixLayout matrixLayout(QSize size) const;
    void refreshChart();
    bool record(int label, int predicted, const std::vector<double>& spikesPerPopulation,
                QString* error);
    void refresh();

    QStringList classes_;
    QStringList populations_;
    std::vector<std::int64_t> matrix_; // row-major, label x predicted
    std::int64_t presented_ = 0;
    std::int64_t scored_ = 0;
    std::int64_t correct_ = 0;
    std::deque<SpikeRecord> history_;

    QLabel* accuracyLabel_;
    QWidget* matrixView_;
    QChartView* chartView_;
    QChart* chart_;
    QValueAxis* xAxis_;
    QValueAxis* yAxis_;
    std::vector<QLineSeries*> series_;
};

} // namespace spikelab::ui
