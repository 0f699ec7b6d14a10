#include "weight_view.h"

#include <QAbstractScrollArea>
#include <QComboBox>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>

#include "theme.h"
#include "weight_colours.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace spikelab::ui {

namespace {

constexpr int kTileGap = 6;
constexpr int kMinExportSide = 1024;
constexpr int kMaxExportSide = 4096;
constexpr double kZoomSteps[] = {1.0 / 16, 1.0 / 8, 0.25, 0.5, 1,  2,  3,  4,
                                 6,        8,       12,   16,  24, 32, 48, 64};
constexpr double kMinZoom = kZoomSteps[0];
constexpr double kMaxZoom = kZoomSteps[std::size(kZoomSteps) - 1];

// The next zoom step up (direction > 0) or down from z; z itself at either end.
double steppedZoom(double z, int direction) {
    double next = z;
    for (double s : kZoomSteps) {
        if (direction > 0 && s > z * 1.001) return s;
        if (direction < 0 && s < z / 1.001) next = s;
    }
    return next;
}

} // namespace

// The scrolling part of the view: it only forwards painting, sizes and input to WeightView.
class WeightMapArea : public QAbstractScrollArea {
public:
    explicit WeightMapArea(WeightView* view) : QAbstractScrollArea(view), view_(view) {
        setFrameShape(QFrame::NoFrame);
        viewport()->setMouseTracking(true);
        viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(viewport());
        view_->paintView(p, viewport()->size(), view_->scrollOffset(), view_->zoom_, false);
    }
    void resizeEvent(QResizeEvent* event) override {
        QAbstractScrollArea::resizeEvent(event);
        view_->afterGeometryChange();
    }
    void scrollContentsBy(int, int) override { viewport()->update(); }
    void wheelEvent(QWheelEvent* event) override {
        if (!(event->modifiers() & Qt::ControlModifier)) {
            QAbstractScrollArea::wheelEvent(event);
            return;
        }
        const int delta = event->angleDelta().y();
        if (delta == 0) return;
        view_->zoomAround(steppedZoom(view_->zoom_, delta), event->position().toPoint());
        event->accept();
    }
    void mouseMoveEvent(QMouseEvent* event) override {
        // A visible tooltip follows the pointer from cell to cell.
        if (QToolTip::isVisible()) showTip(event->position().toPoint(), event->globalPosition());
    }
    bool viewportEvent(QEvent* event) override {
        if (event->type() == QEvent::ToolTip) {
            const auto* help = static_cast<QHelpEvent*>(event);
            showTip(help->pos(), help->globalPos());
            return true;
        }
        return QAbstractScrollArea::viewportEvent(event);
    }

private:
    void showTip(QPoint viewportPos, QPointF globalPos) {
        const QString text = view_->toolTipAt(viewport()->mapTo(view_, viewportPos));
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(globalPos.toPoint(), text, viewport());
    }

    WeightView* view_;
};

WeightView::WeightView(QWidget* parent) : QWidget(parent) {
    projectionBox_ = new QComboBox(this);
    projectionBox_->setObjectName("projection");
    projectionBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    projectionBox_->setToolTip(tr("Projection whose weights are shown"));
    connect(projectionBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0) emit projectionSelected(index);
    });

    modeBox_ = new QComboBox(this);
    modeBox_->setObjectName("mode");
    modeBox_->addItems({tr("Matrix"), tr("Receptive fields")});
    connect(modeBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!setMode(index == 1 ? Mode::ReceptiveFields : Mode::Matrix)) refreshMode();
    });

    auto button = [this](const char* name, const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        return b;
    };
    auto* zoomOutButton = button("zoomOut", QStringLiteral("\u2212"), tr("Zoom out (Ctrl+wheel)"));
    auto* zoomInButton = button("zoomIn", QStringLiteral("+"), tr("Zoom in (Ctrl+wheel)"));
    auto* fitButton = button("fit", tr("Fit"), tr("Show the whole map"));
    connect(zoomOutButton, &QToolButton::clicked, this, &WeightView::zoomOut);
    connect(zoomInButton, &QToolButton::clicked, this, &WeightView::zoomIn);
    connect(fitButton, &QToolButton::clicked, this, &WeightView::fitToView);

    scaleBox_ = new QComboBox(this);
    scaleBox_->setObjectName("scale");
    scaleBox_->addItems({tr("99th pct |w|"), tr("max |w|")});
    scaleBox_->setToolTip(tr("Where the colour scale ends: the 99th percentile of |w| (a few "
                             "large weights saturate instead of washing the rest out) or the "
                             "largest |w|"));
    connect(scaleBox_, &QComboBox::currentIndexChanged, this,
            [this](int index) { setScale(index == 1 ? Scale::Max : Scale::Percentile99); });

    range_ = new QLabel(this);
    range_->setObjectName("range");
    range_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Its own line, wrapped in a narrow dock rather than cut.
    range_->setWordWrap(true);
    range_->setContentsMargins(6, 0, 6, 0);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(4, 2, 4, 2);
    tools->addWidget(projectionBox_);
    tools->addWidget(modeBox_);
    tools->addWidget(scaleBox_);
    tools->addWidget(zoomOutButton);
    tools->addWidget(zoomInButton);
    tools->addWidget(fitButton);
    tools->addStretch(1);

    area_ = new WeightMapArea(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(tools);
    layout->addWidget(range_);
    layout->addWidget(area_, 1);
    refreshMode();
}

void WeightView::setProjectionNames(const QStringList& names) {
    const QSignalBlocker block(projectionBox_);
    projectionBox_->clear();
    projectionBox_->addItems(names);
    projectionBox_->setCurrentIndex(int(names.indexOf(projection_)));
}

bool WeightView::setMatrix(const QString& projection, const QString& preName,
                           const QString& postName, const spikelab::SynapseMatrix& synapses) {
    const auto& s = synapses;
    const auto nWeights = std::int64_t(s.weights.size());
    QString problem;
    if (s.numPre < 0 || s.numPost < 0) {
        problem = QStringLiteral("negative size %1 x %2").arg(s.numPre).arg(s.numPost);
    } else if (s.type == ConnectivityType::Dense) {
        if (nWeights != s.numPre * s.numPost)
            problem = QStringLiteral("dense %1 x %2 needs %3 weights, got %4")
                          .arg(s.numPre)
                          .arg(s.numPost)
                          .arg(s.numPre * s.numPost)
                          .arg(nWeights);
    } else if (s.type == ConnectivityType::OneToOne) {
        if (s.numPre != s.numPost || nWeights != s.numPre)
            problem = QStringLiteral("one-to-one %1 x %2 needs equal sizes and one weight per "
                                     "neuron, got %3 weights")
                          .arg(s.numPre)
                          .arg(s.numPost)
                          .arg(nWeights);
    } else {
        const bool shapeOk = std::int64_t(s.rowStart.size()) == s.numPre + 1 &&
                             std::int64_t(s.targets.size()) == nWeights &&
                             s.rowStart.front() == 0 && s.rowStart.back() == nWeights &&
                             std::is_sorted(s.rowStart.begin(), s.rowStart.end());
        if (!shapeOk)
            problem = QStringLiteral("sparse rows do not match %1 presynaptic neurons and %2 "
                                     "synapses")
                          .arg(s.numPre)
                          .arg(nWeights);
        else if (std::any_of(s.targets.begin(), s.targets.end(),
                             [&](std::uint32_t t) { return std::int64_t(t) >= s.numPost; }))
            problem = QStringLiteral("a synapse targets a neuron beyond %1").arg(s.numPost);
    }
    if (!problem.isEmpty()) {
        clear();
        showMessage(QStringLiteral("projection \"%1\": %2").arg(projection, problem));
        return false;
    }

    const bool sameShape = hasMatrix_ && projection == projection_ &&
                           s.numPre == synapses_.numPre && s.numPost == synapses_.numPost &&
                           s.type == synapses_.type;
    projection_ = projection;
    preName_ = preName;
    postName_ = postName;
    synapses_ = synapses;
    hasMatrix_ = true;
    message_.clear();
    {
        const QSignalBlocker block(projectionBox_);
        projectionBox_->setCurrentIndex(projectionBox_->findText(projection));
    }
    if (!sameShape) fitted_ = true;
    refreshMode();
    updateRangeLabel();
    rebuildImage();
    if (!drawable())
        message_ = QStringLiteral("projection \"%1\": %2 x %3 is too large to draw weight by "
                                  "weight (limit %4 weights); export it as CSV instead")
                       .arg(projection)
                       .arg(s.numPre)
                       .arg(s.numPost)
                       .arg(kMaxDrawnCells);
    afterGeometryChange();
    return true;
}

bool WeightView::updateWeights(std::span<const float> weights) {
    if (!hasMatrix_ || weights.size() != synapses_.weights.size()) return false;
    std::copy(weights.begin(), weights.end(), synapses_.weights.begin());
    updateRangeLabel();
    rebuildImage();
    area_->viewport()->update();
    return true;
}

void WeightView::setImageShape(int rows, int cols) {
    shapeRows_ = rows > 0 && cols > 0 ? rows : 0;
    shapeCols_ = rows > 0 && cols > 0 ? cols : 0;
    refreshMode();
    if (mode_ == Mode::ReceptiveFields) {
        rebuildImage();
        fitted_ = true;
    }
    afterGeometryChange();
}

bool WeightView::setMode(Mode mode) {
    if (mode == Mode::ReceptiveFields && !receptiveFieldsAvailable()) return false;
    if (mode != mode_) {
        mode_ = mode;
        fitted_ = true;
        rebuildImage();
        afterGeometryChange();
    }
    refreshMode();
    return true;
}

void WeightView::clear() {
    projection_.clear();
    preName_.clear();
    postName_.clear();
    message_.clear();
    synapses_ = {};
    hasMatrix_ = false;
    image_ = QImage();
    {
        const QSignalBlocker block(projectionBox_);
        projectionBox_->setCurrentIndex(-1);
    }
    refreshMode();
    updateRangeLabel();
    afterGeometryChange();
}

void WeightView::showMessage(const QString& text) {
    message_ = text;
    area_->viewport()->update();
}

int WeightView::imageRows() const {
    const std::int64_t n = synapses_.numPre;
    if (shapeRows_ > 0 && std::int64_t(shapeRows_) * shapeCols_ == n) return shapeRows_;
    const auto side = std::int64_t(std::llround(std::sqrt(double(n))));
    return side > 0 && side * side == n ? int(side) : 0;
}

int WeightView::imageCols() const {
    const int rows = imageRows();
    return rows > 0 ? int(synapses_.numPre / rows) : 0;
}

bool WeightView::receptiveFieldsAvailable() const {
    return hasMatrix_ && imageRows() > 0;
}

bool WeightView::drawable() const {
    const auto& s = synapses_;
    return hasMatrix_ && s.numPre > 0 && s.numPost > 0 && s.numPre <= kMaxDrawnCells / s.numPost;
}

void WeightView::refreshMode() {
    const QFontMetrics fm(theme::font(10));
    titleWidth_ = fm.horizontalAdvance(QString::number(synapses_.numPost - 1)) + 2;
    titleHeight_ = fm.height() + 1;
    if (mode_ == Mode::ReceptiveFields && !receptiveFieldsAvailable()) {
        mode_ = Mode::Matrix;
        rebuildImage();
        fitted_ = true;
    }
    auto* model = static_cast<QStandardItemModel*>(modeBox_->model());
    QStandardItem* rf = model->item(1);
    rf->setEnabled(receptiveFieldsAvailable());
    rf->setToolTip(receptiveFieldsAvailable()
                       ? tr("Each post neuron's incoming weights as a %1 x %2 image")
                             .arg(imageRows())
                             .arg(imageCols())
                       : tr("Needs a presynaptic population that is an image: its size a "
                            "perfect square, or a shape set for it"));
    const QSignalBlocker block(modeBox_);
    modeBox_->setCurrentIndex(mode_ == Mode::ReceptiveFields ? 1 : 0);
}

void WeightView::rebuildImage() {
    if (!drawable()) {
        image_ = QImage();
        return;
    }
    const auto& s = synapses_;
    const float limit = limit_;
    const auto numPost = s.numPost;
    const std::int64_t rows = imageRows(), cols = imageCols();
    const bool matrix = mode_ == Mode::Matrix;
    const QSize size =
        matrix ? QSize(int(numPost), int(s.numPre)) : QSize(int(cols), int(rows * numPost));
    if (image_.size() != size) image_ = QImage(size, QImage::Format_RGB32);
    if (s.type != ConnectivityType::Dense) image_.fill(kNoSynapse);
    // The pixel of synapse (pre, post) in either layout.
    auto pixel = [&](std::int64_t pre, std::int64_t post) -> QRgb& {
        if (matrix) return reinterpret_cast<QRgb*>(image_.scanLine(int(pre)))[post];
        return reinterpret_cast<QRgb*>(image_.scanLine(int(post * rows + pre / cols)))[pre % cols];
    };
    switch (s.type) {
    case ConnectivityType::Dense:
        for (std::int64_t pre = 0; pre < s.numPre; ++pre) {
            const float* row = s.weights.data() + pre * numPost;
            if (matrix) {
                auto* line = reinterpret_cast<QRgb*>(image_.scanLine(int(pre)));
                for (std::int64_t post = 0; post < numPost; ++post)
                    line[post] = weightRgb(row[post], limit);
            } else {
                for (std::int64_t post = 0; post < numPost; ++post)
                    pixel(pre, post) = weightRgb(row[post], limit);
            }
        }
        break;
    case ConnectivityType::OneToOne:
        for (std::int64_t i = 0; i < s.numPre; ++i) pixel(i, i) = weightRgb(s.weights[i], limit);
        break;
    case ConnectivityType::FixedProbability:
    case ConnectivityType::Sparse:
        for (std::int64_t pre = 0; pre < s.numPre; ++pre)
            for (std::int64_t k = s.rowStart[pre]; k < s.rowStart[pre + 1]; ++k)
                pixel(pre, s.targets[k]) = weightRgb(s.weights[k], limit);
        break;
    }
}

void WeightView::setScale(Scale scale) {
    {
        const QSignalBlocker block(scaleBox_);
        scaleBox_->setCurrentIndex(scale == Scale::Max ? 1 : 0);
    }
    if (scale == scale_) return;
    scale_ = scale;
    updateRangeLabel();
    rebuildImage();
    afterGeometryChange(); // the colour bar's labels may need another width
    emit scaleChanged(scale);
}

WeightView::ScaleLabels WeightView::scaleLabels() const {
    // Weights beyond the ends take the end colours: the labels say so.
    const bool beyond = maxAbs_ > limit_;
    const QString value = formatWeight(limit_);
    return {(beyond ? QStringLiteral("\u2265+") : QStringLiteral("+")) + value,
            (beyond ? QStringLiteral("\u2264\u2212") : QStringLiteral("\u2212")) + value,
            scale_ == Scale::Max ? tr("\u00b1 max |w|") : tr("\u00b1 99th pct |w|")};
}

void WeightView::updateRangeLabel() {
    limit_ = 0.0f;
    maxAbs_ = 0.0f;
    nonFinite_ = 0;
    if (!hasMatrix_) {
        range_->clear();
        return;
    }
    float lo = 0.0f, hi = 0.0f;
    bool any = false;
    for (float w : synapses_.weights) {
        if (!std::isfinite(w)) {
            ++nonFinite_;
        } else if (!any) {
            lo = hi = w;
            any = true;
        } else {
            lo = std::min(lo, w);
            hi = std::max(hi, w);
        }
    }
    maxAbs_ = std::max(std::abs(lo), std::abs(hi));
    const float robust = scale_ == Scale::Max ? 0.0f : absPercentile(synapses_.weights, 0.99);
    limit_ = robust > 0.0f ? robust : maxAbs_;
    QString text = any ? tr("min %1   max %2   %3 synapses")
                             .arg(formatWeight(lo), formatWeight(hi))
                             .arg(synapses_.synapseCount())
                       : tr("%1 synapses").arg(synapses_.synapseCount());
    if (nonFinite_ > 0) text += tr("   %1 not finite (black)").arg(nonFinite_);
    range_->setText(text);
    range_->setToolTip(text);
}

// ---- geometry ----

WeightView::TileGrid WeightView::tileGrid(double z, int columns) const {
    TileGrid g;
    g.width = std::max(1, int(std::lround(imageCols() * z)));
    g.height = std::max(1, int(std::lround(imageRows() * z)));
    // Titles only over tiles wide enough for them; gaps shrink with tiny tiles.
    g.title = g.width >= titleWidth_ ? titleHeight_ : 0;
    g.gap = std::clamp(g.width / 4, 1, kTileGap);
    g.pitchX = g.width + g.gap;
    g.pitchY = g.title + g.height + g.gap;
    g.columns = columns;
    return g;
}

QRect WeightView::TileGrid::tile(std::int64_t post) const {
    return {int(post % columns) * pitchX, int(post / columns) * pitchY + title, width, height};
}

QSize WeightView::contentSize(double z) const {
    if (!drawable()) return {0, 0};
    if (mode_ == Mode::Matrix)
        return {int(std::lround(double(synapses_.numPost) * z)),
                int(std::lround(double(synapses_.numPre) * z))};
    const TileGrid g = tileGrid(z, tileColumns_);
    const std::int64_t gridRows = (synapses_.numPost + g.columns - 1) / g.columns;
    return {g.columns * g.pitchX - g.gap, int(gridRows * g.pitchY - g.gap)};
}

double WeightView::fitZoom(QSize area, int tileColumns) const {
    if (!drawable() || area.width() <= 0 || area.height() <= 0) return 1.0;
    double z = 1.0;
    if (mode_ == Mode::Matrix) {
        z = std::min(double(area.width()) / double(synapses_.numPost),
                     double(area.height()) / double(synapses_.numPre));
    } else {
        // Rounding, titles and gaps all depend on the zoom: search for the largest that fits.
        const std::int64_t gridRows = (synapses_.numPost + tileColumns - 1) / tileColumns;
        auto fits = [&](double zoom) {
            const TileGrid g = tileGrid(zoom, tileColumns);
            return tileColumns * g.pitchX - g.gap <= area.width() &&
                   gridRows * g.pitchY - g.gap <= area.height();
        };
        double lo = kMinZoom, hi = kMaxZoom;
        if (fits(hi)) lo = hi;
        for (int i = 0; i < 40 && fits(lo) && hi - lo > 1e-4; ++i) {
            const double mid = (lo + hi) / 2;
            (fits(mid) ? lo : hi) = mid;
        }
        z = lo;
    }
    if (z >= 1.0) z = std::floor(z);
    return std::clamp(z, kMinZoom, kMaxZoom);
}

int WeightView::bestTileColumns(QSize area) const {
    // The largest tiles; among grids that allow them, the one leaving the most even margins.
    int best = 1;
    double bestZoom = 0.0;
    int bestSlack = std::numeric_limits<int>::min();
    const auto n = int(std::min<std::int64_t>(synapses_.numPost, 4096));
    for (int columns = 1; columns <= n; ++columns) {
        const double z = fitZoom(area, columns);
        if (z < bestZoom) continue;
        const TileGrid g = tileGrid(z, columns);
        const auto rows = int((synapses_.numPost + columns - 1) / columns);
        const int slack =
            std::min(area.width() - columns * g.pitchX, area.height() - rows * g.pitchY);
        if (z > bestZoom || slack > bestSlack) {
            bestZoom = z;
            bestSlack = slack;
            best = columns;
        }
    }
    return best;
}

WeightView::Margins WeightView::margins() const {
    const QFontMetrics fm(theme::font(11));
    Margins m{kPad, kPad + fm.height() + 4, 0};
    if (mode_ == Mode::Matrix) {
        const int labels =
            fm.horizontalAdvance(QString::number(std::max<std::int64_t>(0, synapses_.numPre - 1)));
        m.left = kPad + fm.height() + 6 + labels + 7;
        m.top = kPad + 2 * fm.height() + 9;
    }
    const ScaleLabels labels = scaleLabels();
    const int tickLabels =
        std::max({fm.horizontalAdvance(QStringLiteral("-0.0000")), fm.horizontalAdvance(labels.top),
                  fm.horizontalAdvance(labels.bottom)}) +
        4;
    const int captions = std::max(fm.horizontalAdvance(tr("no synapse")) + kBarWidth + 6,
                                  fm.horizontalAdvance(labels.scale));
    m.right = 10 + std::max(kBarWidth + 6 + tickLabels, captions) + kPad;
    return m;
}

QRect WeightView::mapArea() const {
    const Margins m = margins();
    const QSize vp = area_->viewport()->size();
    const QRect map(m.left, m.top, vp.width() - m.left - m.right, vp.height() - m.top - kPad);
    return map.translated(area_->viewport()->mapTo(this, QPoint(0, 0)));
}

QRect WeightView::tileArea(std::int64_t post) const {
    if (mode_ != Mode::ReceptiveFields || !drawable() || post < 0 || post >= synapses_.numPost)
        return {};
    return tileGrid(zoom_, tileColumns_)
        .tile(post)
        .translated(mapArea().topLeft() - scrollOffset());
}

QPoint WeightView::scrollOffset() const {
    return {area_->horizontalScrollBar()->value(), area_->verticalScrollBar()->value()};
}

void WeightView::afterGeometryChange() {
    const Margins m = margins();
    if (fitted_) {
        const QSize full = area_->maximumViewportSize();
        const QSize map(full.width() - m.left - m.right, full.height() - m.top - kPad);
        if (mode_ == Mode::ReceptiveFields) tileColumns_ = bestTileColumns(map);
        zoom_ = fitZoom(map, tileColumns_);
        if (mode_ == Mode::ReceptiveFields && zoom_ < 1.0) {
            // Shrunk tiles average their pixels into mush: one pixel per weight at least, as
            // many columns as the width takes (beside the scroll bar this needs), scrolling down.
            zoom_ = 1.0;
            const TileGrid g = tileGrid(zoom_, 1);
            const int width = map.width() - area_->verticalScrollBar()->sizeHint().width();
            tileColumns_ = int(std::clamp<std::int64_t>(
                (width + g.gap) / g.pitchX, 1, std::max<std::int64_t>(1, synapses_.numPost)));
        }
    }
    const QSize content = contentSize(zoom_);
    const QSize vp = area_->viewport()->size();
    const QSize map(vp.width() - m.left - m.right, vp.height() - m.top - kPad);
    QScrollBar* h = area_->horizontalScrollBar();
    QScrollBar* v = area_->verticalScrollBar();
    h->setRange(0, std::max(0, content.width() - map.width()));
    v->setRange(0, std::max(0, content.height() - map.height()));
    h->setPageStep(std::max(1, map.width()));
    v->setPageStep(std::max(1, map.height()));
    const int line = std::max(16, int(zoom_));
    h->setSingleStep(line);
    v->setSingleStep(line);
    area_->viewport()->update();
}

void WeightView::setZoom(double pixelsPerCell) {
    const QRect map = mapArea().translated(-area_->viewport()->mapTo(this, QPoint(0, 0)));
    zoomAround(pixelsPerCell, map.center());
}

void WeightView::zoomAround(double pixelsPerCell, QPoint viewportPos) {
    double z = std::clamp(pixelsPerCell, kMinZoom, kMaxZoom);
    if (z >= 1.0) z = std::floor(z);
    const Margins m = margins();
    const QSize before = contentSize(zoom_);
    const QPoint inMap = viewportPos - QPoint(m.left, m.top);
    const QPoint content = inMap + scrollOffset();
    const double fx = before.width() > 0 ? double(content.x()) / before.width() : 0.0;
    const double fy = before.height() > 0 ? double(content.y()) / before.height() : 0.0;
    zoom_ = z;
    fitted_ = false;
    afterGeometryChange();
    // Keep the point under the pointer (or the map's centre) where it was.
    const QSize after = contentSize(zoom_);
    area_->horizontalScrollBar()->setValue(int(std::lround(fx * after.width())) - inMap.x());
    area_->verticalScrollBar()->setValue(int(std::lround(fy * after.height())) - inMap.y());
}

void WeightView::zoomIn() {
    setZoom(steppedZoom(zoom_, 1));
}

void WeightView::zoomOut() {
    setZoom(steppedZoom(zoom_, -1));
}

void WeightView::fitToView() {
    fitted_ = true;
    afterGeometryChange();
    area_->horizontalScrollBar()->setValue(0);
    area_->verticalScrollBar()->setValue(0);
}

// The zoom exports are drawn at: at least kMinExportSide pixels on the longer side when the
// zoom allows, at most kMaxExportSide.
double WeightView::exportZoom() const {
    auto longSide = [this](double z) {
        const QSize s = contentSize(z);
        return std::max(s.width(), s.height());
    };
    double z = std::max(1.0, zoom_);
    while (z < kMaxZoom && longSide(z + 1) <= kMinExportSide) z += 1;
    while (z > 1.0 && longSide(z) > kMaxExportSide) z -= 1;
    if (longSide(z) > kMaxExportSide) z = double(kMaxExportSide) / longSide(1.0);
    return z;
}

// ---- picking ----

std::optional<std::pair<std::int64_t, std::int64_t>>
WeightView::cellAtContent(QPoint content) const {
    const QSize size = contentSize(zoom_);
    if (content.x() < 0 || content.y() < 0 || content.x() >= size.width() ||
        content.y() >= size.height())
        return std::nullopt;
    const auto& s = synapses_;
    if (mode_ == Mode::Matrix)
        return std::pair{std::int64_t(content.y()) * s.numPre / size.height(),
                         std::int64_t(content.x()) * s.numPost / size.width()};
    const TileGrid g = tileGrid(zoom_, tileColumns_);
    const int gridCol = content.x() / g.pitchX;
    const std::int64_t post = std::int64_t(content.y() / g.pitchY) * g.columns + gridCol;
    if (gridCol >= g.columns || post >= s.numPost) return std::nullopt;
    const QRect tile = g.tile(post);
    if (!tile.contains(content)) return std::nullopt;
    const std::int64_t row = std::int64_t(content.y() - tile.top()) * imageRows() / tile.height();
    const std::int64_t col = std::int64_t(content.x() - tile.left()) * imageCols() / tile.width();
    return std::pair{row * imageCols() + col, post};
}

std::optional<std::pair<std::int64_t, std::int64_t>> WeightView::cellAt(QPoint widgetPos) const {
    if (!drawable()) return std::nullopt;
    const QRect map = mapArea();
    if (!map.contains(widgetPos)) return std::nullopt;
    return cellAtContent(widgetPos - map.topLeft() + scrollOffset());
}

QString WeightView::toolTipAt(QPoint widgetPos) const {
    const auto cell = cellAt(widgetPos);
    if (!cell) return {};
    const auto [pre, post] = *cell;
    const auto& s = synapses_;
    std::optional<float> w;
    switch (s.type) {
    case ConnectivityType::Dense:
        w = s.weights[std::size_t(pre * s.numPost + post)];
        break;
    case ConnectivityType::OneToOne:
        if (pre == post) w = s.weights[std::size_t(pre)];
        break;
    case ConnectivityType::FixedProbability:
    case ConnectivityType::Sparse: {
        const auto begin = s.targets.begin() + s.rowStart[std::size_t(pre)];
        const auto end = s.targets.begin() + s.rowStart[std::size_t(pre) + 1];
        const auto it = std::lower_bound(begin, end, std::uint32_t(post));
        if (it != end && *it == post) w = s.weights[std::size_t(it - s.targets.begin())];
        break;
    }
    }
    const QString value = w ? QStringLiteral("w = %1").arg(formatWeight(*w)) : tr("no synapse");
    if (mode_ == Mode::Matrix)
        return QStringLiteral("pre %1 -> post %2: %3").arg(pre).arg(post).arg(value);
    return QStringLiteral("post %1, pixel (row %2, col %3) = pre %4: %5")
        .arg(post)
        .arg(pre / imageCols())
        .arg(pre % imageCols())
        .arg(pre)
        .arg(value);
}

} // namespace spikelab::ui
