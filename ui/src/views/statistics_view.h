#pragma once
// Running statistics of a live run, updated as each presented sample finishes: the accuracy so
// far, the confusion matrix (rows: true label, columns: prediction; cells shaded by the share
// of their row, counts written in when they fit) and the spikes each population fired per
// sample over the last kHistory samples, as a line chart. Memory is bounded: the matrix is
// classes x classes and the spike history a fixed number of samples.
//
// The counts can start again (resetCounts) without losing the spike history: a parameter
// changed by hand, or the Reset button. The chart then marks the place with a dashed line
// named by the reason, so the spikes before and after the change stand side by side while the
// accuracy is taken over the new value only. The accuracy line also says which pass over the
// data set the samples are in ("pass 2 of the test set"): a run that wraps round presents the
// same samples again.
#include <QFont>
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
class QGraphicsSimpleTextItem;
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

    // Names the classes (matrix rows and columns; empty when there is no readout: then the
    // matrix is hidden and the chart has the whole width) and the populations whose spikes
    // are counted. Clears everything.
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
        // False for a sample that ran partly before the last resetCounts (under the old
        // parameter value): its spikes join the chart, not the counts.
        bool counted = true;
    };
    // Many finished samples with one redraw (at full speed thousands finish per second). Adds
    // them in order up to the first bad one; false with its message when there is one.
    bool addResults(const std::vector<Result>& results, QString* error = nullptr);
    void clear();
    // Starts the accuracy and the confusion matrix again from the next finished sample;
    // `reason` ("hidden.Vthr = 4", "reset") names the dashed line drawn in the spike chart
    // after the last finished sample and follows the accuracy ("since hidden.Vthr = 4").
    // Resets with no sample finished in between make one line, named by the last reason.
    void resetCounts(const QString& reason);
    struct Marker {
        double sample; // between two samples: the last one before the reset + 0.5
        QString reason;
    };
    // The dashed lines still inside the chart's window, oldest first.
    const std::deque<Marker>& markers() const { return markers_; }
    // The pass over the data set the finished samples belong to (1 the first time through)
    // and the data set's part ("test", "train"); pass 0 says nothing.
    void setPass(int pass, const QString& part);

    const QStringList& classNames() const { return classes_; }
    const QStringList& populationNames() const { return populations_; }
    std::int64_t confusion(int label, int predicted) const;
    std::int64_t presented() const { return presented_; }
    // Finished samples since setup(), clear() or the last resetCounts().
    std::int64_t presentedSinceReset() const { return presentedSinceReset_; }
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
    // The size the matrix has in the view now.
    QSize confusionSize() const;
    // Every class is named beside its row ("6 Shirt") and under its column: by name, upright
    // when the names are wider than the cells, or by number when upright names leave the
    // cells too small. Fonts shrink with the cells down to kMinTextPixels; a matrix too small
    // even then names every k-th class. Each label drawn at `size`, rows first, then columns,
    // with its font and the room it has along its text.
    static constexpr int kMinTextPixels = 9;
    struct ClassLabel {
        QString text;
        QFont font;
        int room = 0;
    };
    std::vector<ClassLabel> confusionLabels(QSize size) const;
    // Whether a count is written whole into the cells at `size` (those that do not fit are
    // left out; the cell's tooltip has every count).
    bool confusionCountFits(QSize size, std::int64_t count) const;
    // "label 6 Shirt, predicted 1 Trouser: 3 of 12 (25%)" for the cell under `pos`.
    QString confusionToolTip(QSize size, QPoint pos) const;

    // The whole view as it looks now, without the Reset button.
    bool exportPng(const QString& path, QString* error);
    bool exportSvg(const QString& path, QString* error);
    // label\prediction,<class>... then one row per label.
    bool exportConfusionCsv(const QString& path, QString* error) const;
    // sample,<population>... for the samples in the history.
    bool exportSpikesCsv(const QString& path, QString* error) const;

    QSize sizeHint() const override { return {760, 380}; }

signals:
    // The Reset button was clicked (the window resets its own counts too, see resetCounts).
    void resetRequested();

private:
    struct MatrixLayout {
        QRect grid; // classes x classes square cells
        int cell = 0;
        enum class Columns { Names, Upright, Numbers } columns = Columns::Names;
        QFont font;         // the class labels'
        int rowRoom = 0;    // the width the row labels have
        int columnRoom = 0; // the room a column label has along its text
        int every = 1;      // label every k-th class (1 unless the cells are tiny)
    };
    QString rowLabel(int index) const;
    QString columnLabel(const MatrixLayout& layout, int index) const;
    // The font a count is written in, as large as the cell allows (13 px down to 8 px);
    // none when it does not fit even then.
    static std::optional<QFont> countFont(int cell, const QString& count);
    MatrixLayout matrixLayout(QSize size) const;
    void refreshChart();
    bool record(int label, int predicted, const std::vector<double>& spikesPerPopulation,
                QString* error, bool counted = true);
    void refresh();
    // Places the markers' names at the top of their lines (after any change of the plot area).
    void placeMarkerLabels();

    QStringList classes_;
    QStringList populations_;
    std::vector<std::int64_t> matrix_; // row-major, label x predicted
    std::int64_t presented_ = 0;
    std::int64_t scored_ = 0;
    std::int64_t correct_ = 0;
    std::deque<SpikeRecord> history_;
    std::int64_t presentedSinceReset_ = 0;
    QString since_; // the last reset's reason; empty before any
    int pass_ = 0;
    QString part_;
    std::deque<Marker> markers_;
    std::vector<QLineSeries*> markerSeries_;
    std::vector<QGraphicsSimpleTextItem*> markerLabels_;

    QLabel* accuracyLabel_;
    QWidget* resetButton_;
    QWidget* matrixView_;
    QChartView* chartView_;
    QChart* chart_;
    QValueAxis* xAxis_;
    QValueAxis* yAxis_;
    std::vector<QLineSeries*> series_;
};

} // namespace spikelab::ui
