#include "statistics_view.h"

#include "axis_ticks.h"

#include <QChart>
#include <QChartView>
#include <QFont>
#include <QFontMetrics>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QSplitter>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include "plot_export.h"
#include "theme.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace spikelab::ui {

namespace {

const QColor kMuted(120, 120, 128);
constexpr int kMaxClassLabelWidth = 110; // longer class names are elided

// Sequential map from a row share in [0, 1] to a colour: near-white through mid blue to navy.
QColor shareColour(double share) {
    struct Stop {
        double at;
        QColor colour;
    };
    static const std::array<Stop, 4> stops{{{0.0, QColor(247, 249, 252)},
                                            {0.3, QColor(190, 214, 236)},
                                            {0.6, QColor(92, 154, 207)},
                                            {1.0, QColor(18, 56, 120)}}};
    share = std::clamp(share, 0.0, 1.0);
    std::size_t i = 1;
    while (i + 1 < stops.size() && share > stops[i].at) ++i;
    const Stop& a = stops[i - 1];
    const Stop& b = stops[i];
    const double t = (share - a.at) / (b.at - a.at);
    auto mix = [t](int x, int y) { return int(std::lround(x + (y - x) * t)); };
    return QColor(mix(a.colour.red(), b.colour.red()), mix(a.colour.green(), b.colour.green()),
                  mix(a.colour.blue(), b.colour.blue()));
}

QByteArray csvField(const QString& text) {
    QByteArray utf8 = text.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n')) return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

// Shortest text that reads back as the same double.
QByteArray numberText(double value) {
    std::array<char, 32> buf{};
    const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    return QByteArray(buf.data(), int(result.ptr - buf.data()));
}

QString elided(const QFontMetrics& fm, const QString& name) {
    return fm.elidedText(name, Qt::ElideRight, kMaxClassLabelWidth);
}

// The matrix as a widget: it only paints what StatisticsView draws.
class ConfusionMatrixWidget : public QWidget {
public:
    explicit ConfusionMatrixWidget(const StatisticsView* owner, QWidget* parent)
        : QWidget(parent), owner_(owner) {
        setAttribute(Qt::WA_OpaquePaintEvent);
    }
    QSize sizeHint() const override { return {380, 360}; }
    QSize minimumSizeHint() const override { return {220, 180}; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        owner_->paintConfusion(p, size());
    }
    bool event(QEvent* event) override {
        if (event->type() != QEvent::ToolTip) return QWidget::event(event);
        const auto* help = static_cast<QHelpEvent*>(event);
        const QString text = owner_->confusionToolTip(size(), help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }

private:
    const StatisticsView* owner_;
};

} // namespace

StatisticsView::StatisticsView(QWidget* parent) : QWidget(parent) {
    accuracyLabel_ = new QLabel(this);
    accuracyLabel_->setFont(theme::font(13, true));
    accuracyLabel_->setContentsMargins(8, 4, 8, 2);
    matrixView_ = new ConfusionMatrixWidget(this, this);

    chart_ = new QChart;
    chart_->setTitle("Spikes per sample");
    chart_->setTitleFont(theme::font(12, true));
    chart_->setTitleBrush(theme::text);
    chart_->setBackgroundRoundness(0);
    chart_->setMargins(QMargins(4, 2, 8, 2));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->legend()->setFont(theme::font(11));
    chart_->legend()->setLabelColor(theme::text);
    xAxis_ = new QValueAxis;
    yAxis_ = new QValueAxis;
    styleAxis(xAxis_, "sample");
    styleAxis(yAxis_, "spikes");
    xAxis_->setLabelFormat("%.0f");
    yAxis_->setLabelFormat("%.0f");
    chart_->addAxis(xAxis_, Qt::AlignBottom);
    chart_->addAxis(yAxis_, Qt::AlignLeft);
    chartView_ = new QChartView(chart_, this);
    chartView_->setRenderHint(QPainter::Antialiasing);
    chartView_->setFrameShape(QFrame::NoFrame);
    chartView_->setBackgroundBrush(theme::background);
    chartView_->setMinimumSize(240, 180);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(matrixView_);
    splitter->addWidget(chartView_);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({1, 1}); // half each
    auto* reset = new QToolButton(this);
    resetButton_ = reset;
    reset->setObjectName("resetStatistics");
    // Figures leave the button out (see exportPng) without moving anything else.
    QSizePolicy keepPlace = reset->sizePolicy();
    keepPlace.setRetainSizeWhenHidden(true);
    reset->setSizePolicy(keepPlace);
    reset->setText("Reset");
    reset->setToolTip("Start the accuracy and the confusion matrix again from the next sample "
                      "(a parameter change does this by itself)");
    connect(reset, &QToolButton::clicked, this, &StatisticsView::resetRequested);
    connect(chart_, &QChart::plotAreaChanged, this, &StatisticsView::placeMarkerLabels);
    auto* header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 8, 0);
    header->addWidget(accuracyLabel_, 1);
    header->addWidget(reset);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(splitter, 1);

    setup({}, {});
}

void StatisticsView::setup(const QStringList& classNames, const QStringList& populationNames) {
    classes_ = classNames;
    // Without classes (no readout) there is no matrix to show: the chart takes its place.
    matrixView_->setVisible(!classes_.isEmpty());
    populations_ = populationNames;
    for (QLineSeries* s : series_) {
        chart_->removeSeries(s);
        delete s;
    }
    series_.clear();
    for (const QString& name : populations_) {
        auto* s = new QLineSeries;
        s->setName(name);
        chart_->addSeries(s);
        s->attachAxis(xAxis_);
        s->attachAxis(yAxis_);
        QPen pen = s->pen(); // the theme's colour for this series
        pen.setWidthF(1.5);
        s->setPen(pen);
        series_.push_back(s);
    }
    clear();
}

bool StatisticsView::addResult(int label, int predicted,
                               const std::vector<double>& spikesPerPopulation, QString* error) {
    if (!record(label, predicted, spikesPerPopulation, error)) return false;
    refresh();
    return true;
}

bool StatisticsView::addResults(const std::vector<Result>& results, QString* error) {
    bool ok = true;
    std::size_t added = 0;
    for (const auto& r : results) {
        if (!(ok = record(r.label, r.predicted, r.spikesPerPopulation, error, r.counted))) break;
        ++added;
    }
    if (added > 0) refresh();
    return ok;
}

bool StatisticsView::record(int label, int predicted, const std::vector<double>& spikesPerPopulation,
                            QString* error, bool counted) {
    const auto fail = [error](const QString& message) {
        if (error) *error = message;
        return false;
    };
    const int n = int(classes_.size());
    const QString classRange =
        n > 0 ? QStringLiteral("-1 (unknown) or a class from 0 to %1").arg(n - 1)
              : QStringLiteral("-1: there are no classes");
    if (label < -1 || label >= n)
        return fail(
            QStringLiteral("label %1 is not a class: expected %2").arg(label).arg(classRange));
    if (predicted < -1 || predicted >= n)
        return fail(QStringLiteral("prediction %1 is not a class: expected %2")
                        .arg(predicted)
                        .arg(classRange));
    if (spikesPerPopulation.size() != std::size_t(populations_.size()))
        return fail(QStringLiteral("%1 spike counts given for %2 populations (%3)")
                        .arg(spikesPerPopulation.size())
                        .arg(populations_.size())
                        .arg(populations_.join(", ")));
    for (std::size_t i = 0; i < spikesPerPopulation.size(); ++i)
        if (!std::isfinite(spikesPerPopulation[i]) || spikesPerPopulation[i] < 0)
            return fail(QStringLiteral("spike count %1 of population \"%2\" is not a count")
                            .arg(spikesPerPopulation[i])
                            .arg(populations_[qsizetype(i)]));

    ++presented_;
    history_.push_back({presented_, spikesPerPopulation});
    if (history_.size() > std::size_t(kHistory)) history_.pop_front();
    if (!counted) return true;
    ++presentedSinceReset_;
    if (label >= 0 && predicted >= 0) {
        ++matrix_[std::size_t(label) * std::size_t(n) + std::size_t(predicted)];
        ++scored_;
        if (label == predicted) ++correct_;
    }
    return true;
}

void StatisticsView::refresh() {
    accuracyLabel_->setText(accuracyText());
    matrixView_->update();
    refreshChart();
}

void StatisticsView::clear() {
    const auto n = std::size_t(classes_.size());
    matrix_.assign(n * n, 0);
    presented_ = scored_ = correct_ = presentedSinceReset_ = 0;
    history_.clear();
    since_.clear();
    pass_ = 0;
    markers_.clear();
    refresh();
}

void StatisticsView::resetCounts(const QString& reason) {
    std::fill(matrix_.begin(), matrix_.end(), 0);
    scored_ = correct_ = presentedSinceReset_ = 0;
    since_ = reason;
    const double at = double(presented_) + 0.5;
    if (!markers_.empty() && markers_.back().sample == at) markers_.back().reason = reason;
    else markers_.push_back({at, reason});
    refresh();
}

void StatisticsView::setPass(int pass, const QString& part) {
    if (pass == pass_ && part == part_) return;
    pass_ = pass;
    part_ = part;
    accuracyLabel_->setText(accuracyText());
}

std::int64_t StatisticsView::confusion(int label, int predicted) const {
    const int n = int(classes_.size());
    if (label < 0 || label >= n || predicted < 0 || predicted >= n) return 0;
    return matrix_[std::size_t(label) * std::size_t(n) + std::size_t(predicted)];
}

std::optional<double> StatisticsView::accuracy() const {
    if (scored_ == 0) return std::nullopt;
    return double(correct_) / double(scored_);
}

QString StatisticsView::accuracyText() const {
    QString text;
    if (classes_.isEmpty())
        text = QStringLiteral("No readout population: no accuracy, spikes per sample only");
    else if (scored_ > 0)
        text = QStringLiteral("Accuracy %1% (%2/%3)")
                   .arg(100.0 * *accuracy(), 0, 'f', 1)
                   .arg(correct_)
                   .arg(scored_);
    else if (presentedSinceReset_ > 0)
        text = QStringLiteral("Accuracy \u2014 (%1 samples, none with a label and a prediction)")
                   .arg(presentedSinceReset_);
    else
        text = QStringLiteral("Accuracy \u2014 (no samples yet)");
    if (!since_.isEmpty()) text += QStringLiteral(" since ") + since_;
    if (pass_ > 0)
        text += QStringLiteral(" \u00b7 pass %1 of the %2 set")
                    .arg(pass_)
                    .arg(part_ == "train" ? QStringLiteral("training") : part_);
    return text;
}

QList<QPointF> StatisticsView::spikeSeriesPoints(int index) const {
    if (index < 0 || std::size_t(index) >= series_.size()) return {};
    return series_[std::size_t(index)]->points();
}

void StatisticsView::refreshChart() {
    double top = 0.0;
    for (std::size_t i = 0; i < series_.size(); ++i) {
        QList<QPointF> points;
        points.reserve(qsizetype(history_.size()));
        for (const SpikeRecord& r : history_) {
            points.append(QPointF(double(r.sample), r.spikes[i]));
            top = std::max(top, r.spikes[i]);
        }
        series_[i]->replace(points);
    }
    // A window of kHistory samples that scrolls once it is full (and takes in a marker after
    // the newest sample).
    double last = double(std::max<std::int64_t>(presented_, kHistory));
    if (!markers_.empty() && markers_.back().sample > last) last += 1.0;
    const double first = last - kHistory + 1;
    setAxisTicks(xAxis_, first, last, niceStep(kHistory, 5));
    // From 0 to a little above the largest count, at least 0..5 so ticks are whole spikes.
    const double span = std::max(top * 1.05, 5.0);
    const double yStep = niceStep(span, 6);
    const double yTop = std::ceil(span / yStep) * yStep;
    setAxisTicks(yAxis_, 0.0, yTop, yStep);

    while (!markers_.empty() && markers_.front().sample < first) markers_.pop_front();
    while (markerSeries_.size() > markers_.size()) {
        chart_->removeSeries(markerSeries_.back());
        delete markerSeries_.back();
        markerSeries_.pop_back();
        delete markerLabels_.back();
        markerLabels_.pop_back();
    }
    while (markerSeries_.size() < markers_.size()) {
        auto* line = new QLineSeries;
        chart_->addSeries(line);
        line->attachAxis(xAxis_);
        line->attachAxis(yAxis_);
        line->setPen(QPen(kMuted, 1.2, Qt::DashLine));
        for (auto* legendMarker : chart_->legend()->markers(line)) legendMarker->setVisible(false);
        markerSeries_.push_back(line);
        auto* label = new QGraphicsSimpleTextItem(chart_);
        label->setFont(theme::font(10));
        label->setBrush(kMuted);
        markerLabels_.push_back(label);
    }
    for (std::size_t i = 0; i < markers_.size(); ++i) {
        markerSeries_[i]->setName(markers_[i].reason);
        markerSeries_[i]->replace({QPointF(markers_[i].sample, 0.0),
                                   QPointF(markers_[i].sample, yTop)});
        markerLabels_[i]->setText(markers_[i].reason);
    }
    placeMarkerLabels();
}

void StatisticsView::placeMarkerLabels() {
    const QRectF plot = chart_->plotArea();
    // Right of the line, just inside the plot's top edge; a name that would run into the one
    // before it (lines a few samples apart) goes a line lower.
    double previousRight = -1e9, y = plot.top() + 2;
    for (std::size_t i = 0; i < markers_.size() && i < markerLabels_.size(); ++i) {
        const QPointF at = chart_->mapToPosition(QPointF(markers_[i].sample, 0.0), markerSeries_[i]);
        const double x = at.x() + 3;
        const QRectF box = markerLabels_[i]->boundingRect();
        y = x < previousRight + 4 ? y + box.height() : plot.top() + 2;
        markerLabels_[i]->setPos(x, y);
        previousRight = x + box.width();
    }
}

QString StatisticsView::rowLabel(int index) const {
    const QString number = QString::number(index);
    const QString& name = classes_[index];
    return name.isEmpty() || name == number ? number : number + ' ' + name;
}

QString StatisticsView::columnLabel(const MatrixLayout& layout, int index) const {
    if (layout.columns == MatrixLayout::Columns::Numbers) return QString::number(index);
    return elided(QFontMetrics(layout.font), classes_[index]);
}

std::optional<QFont> StatisticsView::countFont(int cell, const QString& count) {
    for (int px = std::clamp(cell / 2, 8, 13); px >= 8; --px) {
        const QFont font = theme::font(px);
        const QFontMetrics fm(font);
        if (fm.horizontalAdvance(count) + 2 <= cell && fm.height() <= cell) return font;
    }
    return std::nullopt;
}

StatisticsView::MatrixLayout StatisticsView::matrixLayout(QSize size) const {
    MatrixLayout layout;
    const int n = int(classes_.size());
    if (n == 0) return layout;
    const int top = QFontMetrics(theme::font(12, true)).height() + 10;
    constexpr int right = 10;
    using Columns = MatrixLayout::Columns;
    // The largest font at which every class can be named; the smallest allowed when none.
    for (int px = 11; px >= kMinTextPixels; --px) {
        const QFont font = theme::font(px);
        const QFontMetrics fm(font);
        int rowWidest = 0, nameWidest = 0;
        for (int i = 0; i < n; ++i) {
            rowWidest = std::max(rowWidest, fm.horizontalAdvance(elided(fm, rowLabel(i))));
            nameWidest = std::max(nameWidest, fm.horizontalAdvance(elided(fm, classes_[i])));
        }
        const int left = fm.height() + 6 + rowWidest + 6; // the turned "label", the names
        const int caption = 4 + fm.height() + 6;          // "prediction"
        auto cellFor = [&](int band) {
            return std::max(1, std::min((size.width() - left - right) / n,
                                        (size.height() - top - 5 - band - caption) / n));
        };
        // Column names across when they fit under their cells, else upright unless that
        // shrinks the cells by more than a tenth, else numbers (the rows name them).
        const int flat = cellFor(fm.height());
        const int upright = cellFor(nameWidest + 4);
        layout.font = font;
        layout.rowRoom = rowWidest;
        if (nameWidest <= flat - 4) {
            layout.columns = Columns::Names;
            layout.cell = flat;
            layout.columnRoom = flat - 2;
        } else if (upright >= fm.height() && upright * 10 >= flat * 9) {
            layout.columns = Columns::Upright;
            layout.cell = upright;
            layout.columnRoom = nameWidest + 4;
        } else {
            layout.columns = Columns::Numbers;
            layout.cell = flat;
            layout.columnRoom = flat;
        }
        const bool readable = layout.cell >= fm.height() - 1 &&
                              fm.horizontalAdvance(QString::number(n - 1)) <= layout.cell;
        layout.every = readable ? 1 : std::max(1, (fm.height() + layout.cell - 1) / layout.cell);
        if (readable) break;
    }
    const int side = n * layout.cell;
    const int spare =
        std::max(0, size.width() - (QFontMetrics(layout.font).height() + 12 + layout.rowRoom) -
                        right - side);
    layout.grid = QRect(QFontMetrics(layout.font).height() + 12 + layout.rowRoom + spare / 2, top,
                        side, side);
    return layout;
}

std::vector<StatisticsView::ClassLabel> StatisticsView::confusionLabels(QSize size) const {
    const MatrixLayout layout = matrixLayout(size);
    std::vector<ClassLabel> labels;
    const int n = int(classes_.size());
    const QFontMetrics fm(layout.font);
    for (int i = 0; i < n; i += layout.every)
        labels.push_back({elided(fm, rowLabel(i)), layout.font, layout.rowRoom});
    for (int i = 0; i < n; i += layout.every)
        labels.push_back({columnLabel(layout, i), layout.font, layout.columnRoom});
    return labels;
}

bool StatisticsView::confusionCountFits(QSize size, std::int64_t count) const {
    return countFont(matrixLayout(size).cell, QString::number(count)).has_value();
}

QString StatisticsView::confusionToolTip(QSize size, QPoint pos) const {
    const MatrixLayout layout = matrixLayout(size);
    if (layout.cell == 0 || !layout.grid.contains(pos)) return {};
    const int label = (pos.y() - layout.grid.top()) / layout.cell;
    const int predicted = (pos.x() - layout.grid.left()) / layout.cell;
    const int n = int(classes_.size());
    if (label >= n || predicted >= n) return {};
    std::int64_t rowTotal = 0;
    for (int c = 0; c < n; ++c) rowTotal += confusion(label, c);
    const std::int64_t count = confusion(label, predicted);
    return QStringLiteral("label %1, predicted %2: %3 of %4 (%5%)")
        .arg(rowLabel(label), rowLabel(predicted))
        .arg(count)
        .arg(rowTotal)
        .arg(rowTotal > 0 ? 100.0 * double(count) / double(rowTotal) : 0.0, 0, 'f', 0);
}

QSize StatisticsView::confusionSize() const {
    return matrixView_->size();
}

QRect StatisticsView::confusionCellRect(QSize size, int label, int predicted) const {
    const MatrixLayout layout = matrixLayout(size);
    if (layout.cell == 0) return {};
    return QRect(layout.grid.left() + predicted * layout.cell,
                 layout.grid.top() + label * layout.cell, layout.cell, layout.cell);
}

void StatisticsView::paintConfusion(QPainter& p, QSize size) const {
    p.fillRect(QRect(QPoint(0, 0), size), theme::background);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setFont(theme::font(12, true));
    p.setPen(theme::text);
    p.drawText(QRect(8, 0, size.width() - 16, QFontMetrics(p.font()).height() + 8),
               Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("Confusion matrix"));
    const int n = int(classes_.size());
    if (n == 0) {
        p.setFont(theme::font(11));
        p.setPen(kMuted);
        p.drawText(QRect(QPoint(0, 0), size).adjusted(12, 0, -12, 0),
                   Qt::AlignCenter | Qt::TextWordWrap,
                   QStringLiteral("No classes: the network has no readout population."));
        return;
    }
    const MatrixLayout layout = matrixLayout(size);
    const QRect grid = layout.grid;
    const int cell = layout.cell;

    // Cells, shaded by their share of the row; a one-pixel white gap between them.
    for (int label = 0; label < n; ++label) {
        std::int64_t rowTotal = 0;
        for (int c = 0; c < n; ++c) rowTotal += confusion(label, c);
        for (int predicted = 0; predicted < n; ++predicted) {
            const std::int64_t count = confusion(label, predicted);
            const double share = rowTotal > 0 ? double(count) / double(rowTotal) : 0.0;
            const QRect r(grid.left() + predicted * cell, grid.top() + label * cell, cell, cell);
            p.fillRect(cell > 3 ? r.adjusted(0, 0, -1, -1) : r, shareColour(share));
            if (count == 0) continue;
            const QString text = QString::number(count);
            const auto font = countFont(cell, text);
            if (!font) continue; // the tooltip has it
            p.setFont(*font);
            p.setPen(share > 0.5 ? QColor(Qt::white) : theme::text);
            p.drawText(r, Qt::AlignCenter, text);
        }
    }
    p.setPen(theme::frame);
    p.setBrush(Qt::NoBrush);
    p.drawRect(grid.adjusted(-1, -1, 0, 0));

    // Class names: labels left of the rows, predictions under the columns.
    const QFontMetrics lm(layout.font);
    p.setFont(layout.font);
    p.setPen(theme::text);
    using Columns = MatrixLayout::Columns;
    for (int i = 0; i < n; i += layout.every) {
        p.drawText(QRect(0, grid.top() + i * cell, grid.left() - 6, cell),
                   Qt::AlignRight | Qt::AlignVCenter, elided(lm, rowLabel(i)));
        const QString name = columnLabel(layout, i);
        const int x = grid.left() + i * cell;
        if (layout.columns == Columns::Upright) {
            p.save();
            p.translate(x + cell / 2 + lm.ascent() / 2 - 1, grid.bottom() + 5);
            p.rotate(-90);
            p.drawText(QRect(-layout.columnRoom, -lm.ascent(), layout.columnRoom, lm.height()),
                       Qt::AlignRight | Qt::AlignTop, name);
            p.restore();
        } else {
            p.drawText(QRect(x, grid.bottom() + 5, cell, lm.height()), Qt::AlignCenter, name);
        }
    }
    const int band = layout.columns == Columns::Upright ? layout.columnRoom : lm.height();
    p.drawText(QRect(grid.left(), grid.bottom() + 5 + band + 4, grid.width(), lm.height()),
               Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("prediction"));
    p.save();
    p.translate(grid.left() - 6 - layout.rowRoom - 6 - lm.descent(), grid.center().y());
    p.rotate(-90);
    p.drawText(QRect(-grid.height() / 2, -lm.ascent(), grid.height(), lm.height()), Qt::AlignCenter,
               QStringLiteral("label"));
    p.restore();
}

QImage StatisticsView::renderConfusion(QSize size) const {
    QImage img(size.expandedTo(QSize(1, 1)), QImage::Format_RGB32);
    QPainter p(&img);
    paintConfusion(p, img.size());
    return img;
}

bool StatisticsView::exportPng(const QString& path, QString* error) {
    const bool shown = resetButton_->isVisibleTo(this);
    resetButton_->hide();
    const bool ok = exportWidgetPng(this, path, error);
    resetButton_->setVisible(shown);
    return ok;
}

bool StatisticsView::exportSvg(const QString& path, QString* error) {
    // The button would be a bitmap in the vector drawing, and a figure has nothing to click.
    const bool shown = resetButton_->isVisibleTo(this);
    resetButton_->hide();
    const bool ok = exportWidgetSvg(this, path, QStringLiteral("Run statistics"), error);
    resetButton_->setVisible(shown);
    return ok;
}

bool StatisticsView::exportConfusionCsv(const QString& path, QString* error) const {
    QByteArray csv = "label\\prediction";
    for (const QString& name : classes_) csv += ',' + csvField(name);
    csv += '\n';
    for (int label = 0; label < int(classes_.size()); ++label) {
        csv += csvField(classes_[label]);
        for (int predicted = 0; predicted < int(classes_.size()); ++predicted)
            csv += ',' + QByteArray::number(confusion(label, predicted));
        csv += '\n';
    }
    return writeTextFileAtomically(path, csv, error);
}

bool StatisticsView::exportSpikesCsv(const QString& path, QString* error) const {
    QByteArray csv = "sample";
    for (const QString& name : populations_) csv += ',' + csvField(name);
    csv += '\n';
    for (const SpikeRecord& r : history_) {
        csv += QByteArray::number(r.sample);
        for (double v : r.spikes) csv += ',' + numberText(v);
        csv += '\n';
    }
    return writeTextFileAtomically(path, csv, error);
}

} // namespace spikelab::ui
