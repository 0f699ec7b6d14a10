#pragma once
// A scrolling spike raster for one population. Spikes arrive in frames (absolute steps, never
// decreasing); the view keeps only those inside the visible window plus a small margin, so a
// long run uses bounded memory. Drawing goes straight into a QImage (no Qt Charts): 100k
// spikes render in a few milliseconds.
#include <spikelab/recording.h>

#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QWidget>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

class QPainter;

namespace spikelab::ui {

class RasterView : public QWidget {
    Q_OBJECT
public:
    explicit RasterView(QWidget* parent = nullptr);

    // Names the population, its neuron count and the step length; clears all data.
    void setPopulation(const QString& name, std::int64_t size, double dtMs);
    // Appends spikes (steps absolute, non-decreasing across calls); moves the right edge
    // forward to the newest spike when it lies beyond it.
    void addSpikes(std::span<const spikelab::SpikeEvent> spikes);
    // A vertical line where a new sample starts; with labels shown, also a marker at the
    // row of `label` for the span of that sample (label < 0: no marker).
    void addSampleBoundary(std::int64_t step, int label);
    void setShowLabels(bool show);
    // Leaves room on the neuron axis for labels up to this index, so rasters stacked above one
    // another share their plot's left edge and their time axes line up.
    void setNeuronLabelReserve(std::int64_t largestIndex);
    void setWindowSteps(std::int64_t steps);
    // The step shown at the right edge; the view scrolls with it.
    void advanceTo(std::int64_t step);
    void clear();

    QString populationName() const { return name_; }
    std::int64_t populationSize() const { return size_; }
    double dtMs() const { return dtMs_; }
    bool showLabels() const { return showLabels_; }
    std::int64_t windowSteps() const { return windowSteps_; }
    std::int64_t headStep() const { return std::max(reached_, windowSteps_ - 1); }
    // First step inside the window (the right edge is headStep()).
    std::int64_t windowStart() const { return headStep() - windowSteps_ + 1; }
    std::int64_t totalSpikes() const { return total_; }
    // Spikes held in memory (window plus margin); bounded however long the run.
    std::size_t storedSpikes() const { return spikes_.size(); }
    std::vector<spikelab::SpikeEvent> spikesInWindow() const;

    // The plot area inside an image of `size` (axes and title lie outside it).
    QRect plotArea(QSize size) const;
    // The neuron drawn at vertical position y of an image of `size`, or -1.
    int neuronAt(QSize size, int y) const;

    QImage renderImage(QSize size) const;
    // step,time_ms,neuron of the spikes in the window, with a header line. Exports are written
    // atomically; on failure `error` names the file and the reason.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;
    // Every spike as a small vector rectangle, with axes and boundaries as text and lines.
    bool exportSvg(const QString& path, QString* error = nullptr) const;

    QSize sizeHint() const override { return {800, 300}; }
    QSize minimumSizeHint() const override { return {240, 120}; }

signals:
    void neuronClicked(int neuron);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::int64_t labelReserve_ = 0;
    struct Boundary {
        std::int64_t step;
        int label;
    };
    void prune();
    // Index of the first stored spike with step >= `step`.
    std::size_t firstAtOrAfter(std::int64_t step) const;
    void drawAxes(QPainter& p, QSize size, const QRect& plot) const;
    void drawBoundaries(QPainter& p, const QRect& plot) const;
    void drawSpikes(QImage& img, const QRect& plot) const;
    // Calls mark(x0, y0, x1, y1) with the inclusive pixel box of every spike in the window.
    template <typename Mark> void forEachSpikeBox(const QRect& plot, Mark mark) const;
    QSize exportSize() const;
    void invalidate();

    QString name_;
    std::int64_t size_ = 0;
    double dtMs_ = 1.0;
    bool showLabels_ = false;
    std::int64_t windowSteps_ = 1000;
    // The furthest step reached; until it passes the window width the view shows
    // [0, windowSteps).
    std::int64_t reached_ = -1;
    std::int64_t total_ = 0;
    std::deque<spikelab::SpikeEvent> spikes_;
    std::deque<Boundary> boundaries_;
    // paintEvent reuses the last image until data or size change.
    QImage cache_;
    bool dirty_ = true;
};

} // namespace spikelab::ui
