#include "trace_view.h"

#include "axis_ticks.h"

#include <QAbstractSeries>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QResizeEvent>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include "plot_export.h"
#include "theme.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace spikelab::ui {

namespace {

// Distinct on white and from one another; a neuron keeps its colour while it is traced.
const std::array<QColor, TraceView::kMaxNeurons> kPalette{
    QColor(31, 119, 180), QColor(214, 39, 40),  QColor(44, 160, 44), QColor(148, 103, 189),
    QColor(255, 127, 14), QColor(23, 168, 184), QColor(140, 86, 75), QColor(222, 90, 180)};
const QColor kThreshold(70, 70, 78);
const QColor kHint(120, 120, 128);

// "%.Nf" with just enough decimals to tell ticks `step` apart.
QString labelFormat(double step) {
    const int decimals = step < 1.0 ? std::min(6, int(std::ceil(-std::log10(step) - 1e-9))) : 0;
    return QStringLiteral("%.%1f").arg(decimals);
}

void setTicks(QValueAxis* axis, double lo, double hi, double step) {
    setAxisTicks(axis, lo, hi, step);
    axis->setLabelFormat(labelFormat(step));
}

// Shortest text that reads back as the same float.
QByteArray floatText(float value) {
    std::array<char, 32> buf{};
    const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    return QByteArray(buf.data(), int(result.ptr - buf.data()));
}

} // namespace

TraceView::TraceView(QWidget* parent) : QWidget(parent) {
    populationLabel_ = new QLabel(this);
    neuronBox_ = new QSpinBox(this);
    neuronBox_->setToolTip("Index of the neuron to trace");
    addButton_ = new QPushButton("Add", this);
    addButton_->setToolTip("Trace this neuron (at most 8; the oldest makes room)");
    clearButton_ = new QPushButton("Clear", this);
    clearButton_->setToolTip("Stop tracing all neurons");
    connect(addButton_, &QPushButton::clicked, this, [this] { addNeuron(neuronBox_->value()); });
    connect(clearButton_, &QPushButton::clicked, this, &TraceView::clearNeurons);
    clipBox_ = new QCheckBox("Clip to threshold", this);
    clipBox_->setObjectName("clipToThreshold");
    clipBox_->setToolTip("Show the range around the threshold (from threshold − 2|threshold| to "
                         "threshold + |threshold|/2), cutting off deep dips");
    connect(clipBox_, &QCheckBox::toggled, this, &TraceView::setClipToThreshold);

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(6, 4, 6, 0);
    controls->addWidget(populationLabel_);
    controls->addSpacing(8);
    controls->addWidget(new QLabel("Neuron", this));
    controls->addWidget(neuronBox_);
    controls->addWidget(addButton_);
    controls->addWidget(clearButton_);
    controls->addSpacing(8);
    controls->addWidget(clipBox_);
    controls->addStretch(1);

    hint_ = new QLabel("Click a raster row or type a neuron index to trace its membrane "
                       "potential.",
                       this);
    hint_->setAlignment(Qt::AlignCenter);
    hint_->setWordWrap(true);
    hint_->setMargin(16);
    QPalette hintPalette = hint_->palette();
    hintPalette.setColor(QPalette::WindowText, kHint);
    hint_->setPalette(hintPalette);

    chart_ = new QChart;
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 2, 8, 2));
    chart_->setTitleFont(theme::font(12, true));
    chart_->setTitleBrush(theme::text);
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->legend()->setFont(theme::font(11));
    chart_->legend()->setLabelColor(theme::text);
    xAxis_ = new QValueAxis;
    yAxis_ = new QValueAxis;
    styleAxis(xAxis_, "time (ms)");
    styleAxis(yAxis_, QString());
    chart_->addAxis(xAxis_, Qt::AlignBottom);
    chart_->addAxis(yAxis_, Qt::AlignLeft);
    thresholdSeries_ = new QLineSeries;
    thresholdSeries_->setPen(QPen(kThreshold, 1.2, Qt::DashLine));
    chart_->addSeries(thresholdSeries_);
    thresholdSeries_->attachAxis(xAxis_);
    thresholdSeries_->attachAxis(yAxis_);
    chartView_ = new QChartView(chart_, this);
    chartView_->setRenderHint(QPainter::Antialiasing);
    chartView_->setFrameShape(QFrame::NoFrame);
    chartView_->setBackgroundBrush(theme::background);

    stack_ = new QStackedWidget(this);
    stack_->addWidget(hint_);
    stack_->addWidget(chartView_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(controls);
    layout->addWidget(stack_, 1);

    redraw();
    refitY();
    refreshControls();
}

void TraceView::setPopulation(const QString& name, std::int64_t size, double dtMs,
                              const QString& variable, const QString& unit,
                              std::optional<double> threshold, const QString& thresholdName) {
    const bool hadTraces = !traces_.empty();
    while (!traces_.empty()) removeTraceAt(traces_.size() - 1);
    population_ = name;
    size_ = std::max<std::int64_t>(0, size);
    dtMs_ = dtMs > 0 ? dtMs : 1.0;
    variable_ = variable;
    threshold_ = threshold;
    reached_ = -1;

    chart_->setTitle(variable.isEmpty() ? name
                                        : QStringLiteral("%1 \u2014 %2").arg(name, variable));
    yAxis_->setTitleText(unit.isEmpty() ? variable : QStringLiteral("%1 (%2)").arg(variable, unit));
    thresholdSeries_->setName(thresholdName.isEmpty()
                                  ? QStringLiteral("threshold")
                                  : QStringLiteral("threshold %1").arg(thresholdName));
    redraw();
    refitY();
    refreshControls();
    if (hadTraces) emit neuronsChanged({});
}

void TraceView::setThreshold(double value) {
    threshold_ = value;
    redraw();
    if (clip_) refitY();
    else expandY(value, value);
}

void TraceView::setClipToThreshold(bool clip) {
    clip_ = clip;
    {
        const QSignalBlocker quiet(clipBox_);
        clipBox_->setChecked(clip);
    }
    refitY();
}

bool TraceView::addNeuron(std::int64_t neuron) {
    if (neuron < 0 || neuron >= size_) return false;
    if (findTrace(neuron)) return true;
    if (traces_.size() == std::size_t(kMaxNeurons)) removeTraceAt(0);
    auto* series = new QLineSeries;
    const QColor colour = unusedColour();
    series->setName(QStringLiteral("neuron %1").arg(neuron));
    // Thin lines: thicker ones double the cost of painting eight dense traces.
    series->setPen(QPen(colour, 1.0));
    chart_->addSeries(series);
    series->attachAxis(xAxis_);
    series->attachAxis(yAxis_);
    traces_.push_back({neuron, colour, series, {}});
    tracesChanged();
    return true;
}

bool TraceView::removeNeuron(std::int64_t neuron) {
    for (std::size_t i = 0; i < traces_.size(); ++i) {
        if (traces_[i].neuron != neuron) continue;
        removeTraceAt(i);
        tracesChanged();
        return true;
    }
    return false;
}

void TraceView::clearNeurons() {
    if (traces_.empty()) return;
    while (!traces_.empty()) removeTraceAt(traces_.size() - 1);
    tracesChanged();
}

std::vector<std::int64_t> TraceView::neurons() const {
    std::vector<std::int64_t> out;
    for (const Trace& t : traces_) out.push_back(t.neuron);
    return out;
}

void TraceView::addSamples(std::span<const spikelab::StateSample> samples,
                           const std::vector<std::int64_t>& sampledNeurons) {
    if (samples.empty()) return;
    reached_ = std::max(reached_, samples.back().step);
    const std::int64_t start = windowStart(); // earlier samples would scroll out at once
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (Trace& trace : traces_) {
        const auto it = std::find(sampledNeurons.begin(), sampledNeurons.end(), trace.neuron);
        if (it == sampledNeurons.end()) continue;
        const auto column = std::size_t(it - sampledNeurons.begin());
        for (const spikelab::StateSample& s : samples) {
            if (s.step < start || column >= s.values.size()) continue;
            if (!trace.points.empty() && s.step <= trace.points.back().step) continue;
            const float v = s.values[column];
            trace.points.push_back({s.step, v});
            if (std::isfinite(v)) {
                lo = std::min(lo, double(v));
                hi = std::max(hi, double(v));
            }
        }
    }
    prune();
    redraw();
    if (lo <= hi) expandY(lo, hi);
}

void TraceView::setWindowSteps(std::int64_t steps) {
    windowSteps_ = std::max<std::int64_t>(2, steps);
    prune();
    redraw();
}

QPen TraceView::thresholdPen() const {
    return thresholdSeries_->pen();
}

QList<QPointF> TraceView::thresholdPoints() const {
    return thresholdSeries_->points();
}

bool TraceView::thresholdShown() const {
    return thresholdSeries_->isVisible();
}

std::vector<TraceView::Point> TraceView::storedSamples(std::int64_t neuron) const {
    const Trace* t = findTrace(neuron);
    if (!t) return {};
    return {t->points.begin(), t->points.end()};
}

std::size_t TraceView::storedSampleCount() const {
    std::size_t n = 0;
    for (const Trace& t : traces_) n += t.points.size();
    return n;
}

QList<QPointF> TraceView::seriesPoints(std::int64_t neuron) const {
    const Trace* t = findTrace(neuron);
    return t ? t->series->points() : QList<QPointF>();
}

QColor TraceView::neuronColour(std::int64_t neuron) const {
    const Trace* t = findTrace(neuron);
    return t ? t->colour : QColor();
}

QString TraceView::seriesName(std::int64_t neuron) const {
    const Trace* t = findTrace(neuron);
    return t ? t->series->name() : QString();
}

bool TraceView::showsHint() const {
    return stack_->currentWidget() == hint_;
}

bool TraceView::exportCsv(const QString& path, QString* error) const {
    if (!canExport(path, error)) return false;
    QByteArray csv = "step,time_ms";
    for (const Trace& t : traces_) csv += ",neuron_" + QByteArray::number(t.neuron);
    csv += '\n';
    std::vector<std::int64_t> steps;
    for (const Trace& t : traces_)
        for (const Point& p : t.points) steps.push_back(p.step);
    std::sort(steps.begin(), steps.end());
    steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
    // Each trace is sorted by step: walk them side by side.
    std::vector<std::size_t> next(traces_.size(), 0);
    for (std::int64_t step : steps) {
        csv += QByteArray::number(step) + ',' + QByteArray::number(double(step) * dtMs_, 'g', 12);
        for (std::size_t i = 0; i < traces_.size(); ++i) {
            csv += ',';
            const std::deque<Point>& points = traces_[i].points;
            if (next[i] < points.size() && points[next[i]].step == step)
                csv += floatText(points[next[i]++].value);
        }
        csv += '\n';
    }
    return writeTextFileAtomically(path, csv, error);
}

bool TraceView::exportPng(const QString& path, QString* error) const {
    if (!canExport(path, error)) return false;
    return exportWidgetPng(chartView_, path, error);
}

bool TraceView::exportSvg(const QString& path, QString* error) const {
    if (!canExport(path, error)) return false;
    return exportWidgetSvg(
        chartView_, path, QStringLiteral("%1 of population %2").arg(variable_, population_), error);
}

bool TraceView::canExport(const QString& path, QString* error) const {
    if (!traces_.empty()) return true;
    if (error)
        *error = QStringLiteral("nothing to export to \"%1\": no neuron is traced").arg(path);
    return false;
}

const TraceView::Trace* TraceView::findTrace(std::int64_t neuron) const {
    for (const Trace& t : traces_)
        if (t.neuron == neuron) return &t;
    return nullptr;
}

QColor TraceView::unusedColour() const {
    for (const QColor& c : kPalette) {
        const bool used = std::any_of(traces_.begin(), traces_.end(),
                                      [&](const Trace& t) { return t.colour == c; });
        if (!used) return c;
    }
    return kPalette.front(); // unreachable: at most kMaxNeurons traces
}

void TraceView::removeTraceAt(std::size_t index) {
    chart_->removeSeries(traces_[index].series);
    delete traces_[index].series;
    traces_.erase(traces_.begin() + std::ptrdiff_t(index));
}

void TraceView::tracesChanged() {
    refitY();
    refreshControls();
    placeLegend();
    emit neuronsChanged(neurons());
}

void TraceView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    placeLegend();
}

void TraceView::placeLegend() {
    // One row under the plot. Eight neurons and the threshold by their full names elide every
    // name in a narrow dock; then the neurons' entries say only their numbers (the series keep
    // their names for the exports).
    const QFontMetrics fm(chart_->legend()->font());
    int row = 0;
    for (QLegendMarker* marker : chart_->legend()->markers())
        if (marker->series()->isVisible())
            row += fm.horizontalAdvance(marker->series()->name()) + fm.height() + 24;
    const bool numbers = row > width() - 16; // the chart spans the view's width
    for (const Trace& t : traces_)
        for (QLegendMarker* marker : chart_->legend()->markers(t.series))
            marker->setLabel(numbers ? QString::number(t.neuron) : t.series->name());
}

void TraceView::prune() {
    const std::int64_t start = windowStart();
    for (Trace& t : traces_)
        while (!t.points.empty() && t.points.front().step < start) t.points.pop_front();
}

void TraceView::redraw() {
    const double lo = double(windowStart()) * dtMs_;
    const double hi = double(headStep()) * dtMs_;
    // When the time axis moves, Qt Charts recomputes every series from its points anyway;
    // replacing the points quietly before that saves a second pass over them (the stroke of
    // each curve is the costliest part of a frame). An empty series must still say so.
    const bool scrolls = lo != xAxis_->min() || hi != xAxis_->max();
    auto replace = [scrolls](QLineSeries* series, const QList<QPointF>& points) {
        const QSignalBlocker quiet(scrolls && !points.isEmpty() ? series : nullptr);
        series->replace(points);
    };
    for (Trace& t : traces_) {
        QList<QPointF> points;
        points.reserve(qsizetype(t.points.size()));
        for (const Point& p : t.points) points.append(QPointF(double(p.step) * dtMs_, p.value));
        replace(t.series, points);
    }
    thresholdSeries_->setVisible(threshold_.has_value());
    replace(thresholdSeries_,
            threshold_ ? QList<QPointF>{QPointF(lo, *threshold_), QPointF(hi, *threshold_)}
                       : QList<QPointF>());
    setTicks(xAxis_, lo, hi, niceStep(hi - lo, 5));
}

void TraceView::expandY(double lo, double hi) {
    if (!yFitted_ || (clip_ && threshold_)) {
        refitY();
        return;
    }
    if (lo >= yLo_ && hi <= yHi_) return;
    // Only the side that overflowed moves.
    const double span = std::max(hi, yHi_) - std::min(lo, yLo_);
    const double step = niceStep(1.1 * span, 5);
    if (lo < yLo_) yLo_ = std::floor((lo - 0.05 * span) / step) * step;
    if (hi > yHi_) yHi_ = std::ceil((hi + 0.05 * span) / step) * step;
    setTicks(yAxis_, yLo_, yHi_, step);
}

void TraceView::refitY() {
    if (clip_ && threshold_) {
        const double s = *threshold_ != 0.0 ? std::abs(*threshold_) : 1.0;
        yLo_ = *threshold_ - 2.0 * s;
        yHi_ = *threshold_ + 0.5 * s;
        setTicks(yAxis_, yLo_, yHi_, niceStep(yHi_ - yLo_, 5));
        return;
    }
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const Trace& t : traces_)
        for (const Point& p : t.points)
            if (std::isfinite(p.value)) {
                lo = std::min(lo, double(p.value));
                hi = std::max(hi, double(p.value));
            }
    yFitted_ = lo <= hi;
    if (threshold_) {
        lo = std::min(lo, *threshold_);
        hi = std::max(hi, *threshold_);
    }
    if (lo > hi) {
        lo = 0.0;
        hi = 1.0;
    }
    // A little room above and below, then out to whole ticks.
    double span = hi - lo;
    if (!(span > 0)) {
        span = lo != 0.0 ? std::abs(lo) * 0.1 : 1.0;
        lo -= span / 2;
        hi += span / 2;
    }
    lo -= 0.05 * span;
    hi += 0.05 * span;
    const double step = niceStep(hi - lo, 5);
    yLo_ = std::floor(lo / step) * step;
    yHi_ = std::ceil(hi / step) * step;
    setTicks(yAxis_, yLo_, yHi_, step);
}

void TraceView::refreshControls() {
    populationLabel_->setText(
        population_.isEmpty()
            ? QStringLiteral("No population")
            : QStringLiteral("<b>%1</b> (%2 neurons)").arg(population_.toHtmlEscaped()).arg(size_));
    neuronBox_->setRange(
        0, int(std::clamp<std::int64_t>(size_ - 1, 0, std::numeric_limits<int>::max())));
    neuronBox_->setEnabled(size_ > 0);
    addButton_->setEnabled(size_ > 0);
    clearButton_->setEnabled(!traces_.empty());
    clipBox_->setEnabled(threshold_.has_value());
    stack_->setCurrentWidget(traces_.empty() ? static_cast<QWidget*>(hint_) : chartView_);
}

} // namespace spikelab::ui
