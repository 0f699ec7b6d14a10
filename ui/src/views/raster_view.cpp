#include "raster_view.h"

#include "axis_ticks.h"

#include "plot_export.h"

#include <QFont>
#include <QFontMetrics>
#include <QMouseEvent>
#include <QPainter>

#include "theme.h"

#include <algorithm>
#include <cmath>

namespace spikelab::ui {

namespace {

const QColor kBoundary(175, 175, 182);
const QColor kLabelMarker(238, 150, 60, 150);
const QRgb kSpike = qRgb(28, 52, 120);

QString tickLabel(double value, double step) {
    int decimals = 0;
    if (step < 1.0) decimals = std::min(6, int(std::ceil(-std::log10(step) - 1e-9)));
    if (std::abs(value) < step * 1e-6) value = 0.0; // no "-0"
    return QString::number(value, 'f', decimals);
}

} // namespace

RasterView::RasterView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(false);
}

void RasterView::setPopulation(const QString& name, std::int64_t size, double dtMs) {
    name_ = name;
    size_ = std::max<std::int64_t>(0, size);
    dtMs_ = dtMs > 0 ? dtMs : 1.0;
    clear();
}

void RasterView::addSpikes(std::span<const spikelab::SpikeEvent> spikes) {
    if (spikes.empty()) return;
    total_ += std::int64_t(spikes.size());
    // Only the part that can still be visible needs storing.
    reached_ = std::max(reached_, spikes.back().step);
    const std::int64_t keepFrom = windowStart();
    auto first =
        std::lower_bound(spikes.begin(), spikes.end(), keepFrom,
                         [](const spikelab::SpikeEvent& e, std::int64_t s) { return e.step < s; });
    spikes_.insert(spikes_.end(), first, spikes.end());
    prune();
    invalidate();
}

void RasterView::addSampleBoundary(std::int64_t step, int label) {
    if (!boundaries_.empty() && step < boundaries_.back().step) return; // keep them sorted
    boundaries_.push_back({step, label});
    prune();
    invalidate();
}

void RasterView::setShowLabels(bool show) {
    showLabels_ = show;
    invalidate();
}

void RasterView::setWindowSteps(std::int64_t steps) {
    windowSteps_ = std::max<std::int64_t>(1, steps);
    prune();
    invalidate();
}

void RasterView::advanceTo(std::int64_t step) {
    if (step <= reached_) return;
    reached_ = step;
    prune();
    invalidate();
}

void RasterView::clear() {
    spikes_.clear();
    boundaries_.clear();
    total_ = 0;
    reached_ = -1;
    invalidate();
}

void RasterView::prune() {
    // A margin of an eighth of the window avoids trimming the deque on every frame.
    const std::int64_t start = windowStart();
    const std::int64_t margin = std::max<std::int64_t>(1, windowSteps_ / 8);
    if (!spikes_.empty() && spikes_.front().step < start - margin) {
        spikes_.erase(spikes_.begin(), spikes_.begin() + std::ptrdiff_t(firstAtOrAfter(start)));
    }
    // Keep the last boundary before the window: its label marker reaches into it.
    while (boundaries_.size() >= 2 && boundaries_[1].step <= start) boundaries_.pop_front();
}

std::size_t RasterView::firstAtOrAfter(std::int64_t step) const {
    auto it =
        std::lower_bound(spikes_.begin(), spikes_.end(), step,
                         [](const spikelab::SpikeEvent& e, std::int64_t s) { return e.step < s; });
    return std::size_t(it - spikes_.begin());
}

std::vector<spikelab::SpikeEvent> RasterView::spikesInWindow() const {
    auto first = spikes_.begin() + std::ptrdiff_t(firstAtOrAfter(windowStart()));
    std::vector<spikelab::SpikeEvent> out;
    const std::int64_t head = headStep();
    for (auto it = first; it != spikes_.end() && it->step <= head; ++it) out.push_back(*it);
    return out;
}

void RasterView::invalidate() {
    dirty_ = true;
    update();
}

void RasterView::setNeuronLabelReserve(std::int64_t largestIndex) {
    labelReserve_ = std::max<std::int64_t>(0, largestIndex);
    invalidate();
}

QRect RasterView::plotArea(QSize size) const {
    const QFontMetrics fm(theme::font(11));
    const QFontMetrics tm(theme::font(12, true));
    const QString widest = QString::number(std::max<std::int64_t>({0, size_ - 1, labelReserve_}));
    const int left = fm.horizontalAdvance(widest) + fm.height() + 16;
    const int top = tm.height() + 10;
    const int bottom = 2 * fm.height() + 12;
    const int right = 16;
    return QRect(left, top, std::max(1, size.width() - left - right),
                 std::max(1, size.height() - top - bottom));
}

int RasterView::neuronAt(QSize size, int y) const {
    const QRect plot = plotArea(size);
    if (size_ <= 0 || y < plot.top() || y > plot.bottom()) return -1;
    // Neuron 0 sits at the bottom; rows have height plot.height() / size_.
    const double fromBottom = double(plot.bottom() + 1 - y) - 0.5;
    const auto n = std::int64_t(fromBottom * double(size_) / plot.height());
    return int(std::clamp<std::int64_t>(n, 0, size_ - 1));
}

void RasterView::drawAxes(QPainter& p, QSize size, const QRect& plot) const {
    const QFont font = theme::font(11);
    const QFontMetrics fm(font);
    p.setFont(font);
    p.setPen(theme::frame);
    p.drawRect(plot.adjusted(-1, -1, 0, 0)); // just outside the plot

    // Time axis in ms: the window spans [windowStart, head] steps.
    const double t0 = double(windowStart()) * dtMs_;
    const double span = double(windowSteps_) * dtMs_;
    const int maxTicks = std::max(2, plot.width() / 70);
    const double step = niceStep(span, maxTicks);
    const double pxPerMs = plot.width() / span;
    for (double t = std::ceil(t0 / step) * step; t <= t0 + span + 1e-9; t += step) {
        // Step s is drawn at the centre of its column; tick at the column of time t.
        const int x = plot.left() + int(std::floor((t - t0) * pxPerMs + 0.5 * pxPerMs * dtMs_));
        if (x > plot.right()) break;
        p.setPen(theme::frame);
        p.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 5);
        p.setPen(theme::text);
        const QString label = tickLabel(t, step);
        const int w = fm.horizontalAdvance(label);
        p.drawText(std::clamp(x - w / 2, 0, size.width() - w), plot.bottom() + 6 + fm.ascent(),
                   label);
    }
    p.setPen(theme::text);
    p.drawText(QRect(plot.left(), plot.bottom() + 6 + fm.height(), plot.width(), fm.height() + 4),
               Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("time (ms)"));

    // Neuron axis: 0 at the bottom.
    if (size_ > 0) {
        const int nTicks = std::max(2, plot.height() / 22);
        const double nStep = std::max(1.0, niceStep(double(size_ - 1), nTicks));
        const double rowH = double(plot.height()) / double(size_);
        for (double n = 0; n <= double(size_ - 1) + 1e-9; n += nStep) {
            const int y = plot.bottom() - int(std::floor((n + 0.5) * rowH));
            p.setPen(theme::frame);
            p.drawLine(plot.left() - 5, y, plot.left() - 1, y);
            p.setPen(theme::text);
            const QString label = QString::number(std::llround(n));
            const int w = fm.horizontalAdvance(label);
            const int baseline = std::clamp(y + fm.ascent() / 2 - 1, fm.ascent(), size.height());
            p.drawText(plot.left() - 7 - w, baseline, label);
        }
        p.save();
        p.translate(fm.height() - 2, plot.center().y());
        p.rotate(-90);
        p.drawText(QRect(-60, -fm.height(), 120, fm.height() + 2), Qt::AlignCenter,
                   QStringLiteral("neuron"));
        p.restore();
    }

    // Title: population name and size.
    p.setFont(theme::font(12, true));
    p.setPen(theme::text);
    QString title = name_.isEmpty() ? QStringLiteral("(no population)") : name_;
    if (size_ > 0) title += QStringLiteral("  \u2014  %1 neurons").arg(size_);
    p.drawText(QRect(plot.left(), 0, plot.width(), plot.top() - 2),
               Qt::AlignLeft | Qt::AlignVCenter, title);
}

void RasterView::drawBoundaries(QPainter& p, const QRect& plot) const {
    const std::int64_t start = windowStart();
    const double colW = double(plot.width()) / double(windowSteps_);
    auto xOf = [&](std::int64_t step) {
        return plot.left() + int(std::floor(double(step - start) * colW));
    };
    if (showLabels_ && size_ > 0) {
        const double rowH = double(plot.height()) / double(size_);
        const int thick = std::clamp(int(rowH * 0.5), 2, 5);
        for (std::size_t i = 0; i < boundaries_.size(); ++i) {
            const int label = boundaries_[i].label;
            if (label < 0 || label >= size_) continue;
            const std::int64_t end =
                i + 1 < boundaries_.size() ? boundaries_[i + 1].step : headStep() + 1;
            const int x0 = std::max(plot.left(), xOf(boundaries_[i].step));
            const int x1 = std::min(plot.right() + 1, xOf(end));
            if (x1 <= x0) continue;
            const int yc = plot.bottom() - int(std::floor((label + 0.5) * rowH));
            p.fillRect(QRect(x0, yc - thick / 2, x1 - x0, thick), kLabelMarker);
        }
    }
    p.setPen(QPen(kBoundary, 1));
    for (const Boundary& b : boundaries_) {
        if (b.step < start || b.step > headStep()) continue;
        const int x = xOf(b.step);
        p.drawLine(x, plot.top(), x, plot.bottom());
    }
}

template <typename Mark> void RasterView::forEachSpikeBox(const QRect& plot, Mark mark) const {
    if (size_ <= 0) return;
    const std::int64_t start = windowStart();
    const double colW = double(plot.width()) / double(windowSteps_);
    const double rowH = double(plot.height()) / double(size_);
    // Dots of 1-2 px; a short vertical tick when rows are tall enough to show one.
    const int dotW = colW >= 2.0 ? 2 : 1;
    const int tickH = rowH >= 4.0 ? std::max(2, int(rowH * 0.7)) : (rowH >= 2.0 ? 2 : 1);
    const int left = plot.left(), right = plot.right(), bottom = plot.bottom(), top = plot.top();
    auto first = spikes_.begin() + std::ptrdiff_t(firstAtOrAfter(start));
    const std::int64_t head = headStep();
    for (auto it = first; it != spikes_.end() && it->step <= head; ++it) {
        if (std::int64_t(it->neuron) >= size_) continue;
        const int xc = left + int((double(it->step - start) + 0.5) * colW);
        const int yc = bottom - int((double(it->neuron) + 0.5) * rowH);
        const int x0 = std::max(left, xc);
        const int y0 = std::max(top, yc - tickH / 2);
        mark(x0, y0, std::min(right, x0 + dotW - 1), std::min(bottom, y0 + tickH - 1));
    }
}

void RasterView::drawSpikes(QImage& img, const QRect& plot) const {
    forEachSpikeBox(plot, [&](int x0, int y0, int x1, int y1) {
        for (int y = y0; y <= y1; ++y) {
            auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
            for (int x = x0; x <= x1; ++x) line[x] = kSpike;
        }
    });
}

QImage RasterView::renderImage(QSize size) const {
    QImage img(size.expandedTo(QSize(1, 1)), QImage::Format_RGB32);
    img.fill(theme::background);
    const QRect plot = plotArea(img.size());
    {
        QPainter p(&img);
        drawBoundaries(p, plot);
    }
    drawSpikes(img, plot);
    QPainter p(&img);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    drawAxes(p, img.size(), plot);
    return img;
}

bool RasterView::exportCsv(const QString& path, QString* error) const {
    QByteArray text = "step,time_ms,neuron\n";
    for (const spikelab::SpikeEvent& e : spikesInWindow())
        text += QByteArray::number(qlonglong(e.step)) + ',' +
                QByteArray::number(double(e.step) * dtMs_, 'g', 12) + ',' +
                QByteArray::number(e.neuron) + '\n';
    return writeTextFileAtomically(path, text, error);
}

QSize RasterView::exportSize() const {
    const QSize s = size();
    return s.width() < 200 || s.height() < 100 ? sizeHint() : s;
}

bool RasterView::exportPng(const QString& path, QString* error) const {
    return writePng(path, renderImage(exportSize()), error);
}

bool RasterView::exportSvg(const QString& path, QString* error) const {
    const QSize size = exportSize();
    return writeSvg(path, size, "Spike raster of " + name_, [&](QPainter& p) {
        p.fillRect(QRect(QPoint(0, 0), size), theme::background);
        const QRect plot = plotArea(size);
        drawBoundaries(p, plot);
        forEachSpikeBox(plot, [&](int x0, int y0, int x1, int y1) {
            p.fillRect(QRect(QPoint(x0, y0), QPoint(x1, y1)), QColor::fromRgb(kSpike));
        });
        drawAxes(p, size, plot);
    }, error);
}

void RasterView::paintEvent(QPaintEvent*) {
    if (dirty_ || cache_.size() != size()) {
        cache_ = renderImage(size());
        dirty_ = false;
    }
    QPainter p(this);
    p.drawImage(0, 0, cache_);
}

void RasterView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    const QRect plot = plotArea(size());
    if (!plot.contains(pos)) return;
    const int n = neuronAt(size(), pos.y());
    if (n >= 0) emit neuronClicked(n);
}

} // namespace spikelab::ui
