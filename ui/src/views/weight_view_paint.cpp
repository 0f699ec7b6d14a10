// WeightView's drawing (matrix, receptive-field tiles, rulers, colour bar) and its exports.
#include "weight_view.h"

#include <QFontMetrics>
#include <QPainter>

#include "plot_export.h"
#include "theme.h"
#include "weight_colours.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace spikelab::ui {

namespace {

const QColor kMuted(140, 140, 148);

// The smallest step of 1, 2 or 5 times a power of ten that is at least `minimum`.
std::int64_t niceIntegerStep(double minimum) {
    std::int64_t magnitude = 1;
    while (true) {
        for (std::int64_t m : {1, 2, 5})
            if (double(m * magnitude) >= minimum) return m * magnitude;
        magnitude *= 10;
    }
}

// Nearest-neighbour when enlarging (every weight a crisp square), averaging when shrinking.
QImage scaledPart(const QImage& image, const QRect& source, QSize target) {
    const bool shrinking = target.width() < source.width() || target.height() < source.height();
    return image.copy(source).scaled(target, Qt::IgnoreAspectRatio,
                                     shrinking ? Qt::SmoothTransformation : Qt::FastTransformation);
}

} // namespace

QColor WeightView::colourFor(float weight, float limit) {
    return QColor(weightRgb(weight, limit));
}

QColor WeightView::noSynapseColour() {
    return QColor(kNoSynapse);
}

void WeightView::paintContent(QPainter& p, const QRect& map, QPoint scroll, double z) const {
    const QSize content = contentSize(z);
    const QRect visible = QRect(scroll, map.size()) & QRect(QPoint(0, 0), content);
    if (visible.isEmpty()) return;
    const QPoint origin = map.topLeft() - scroll; // content (0, 0) on the painter
    p.save();
    p.setClipRect(map.adjusted(-1, -1, 1, 1));
    if (mode_ == Mode::Matrix) {
        const auto& s = synapses_;
        auto first = [z](int px) { return int(std::floor(px / z)); };
        auto last = [z](int px, std::int64_t n) {
            return int(std::min<std::int64_t>(n, std::int64_t(std::ceil(px / z))));
        };
        const int c0 = first(visible.left()), c1 = last(visible.right() + 1, s.numPost);
        const int r0 = first(visible.top()), r1 = last(visible.bottom() + 1, s.numPre);
        const int x0 = int(std::lround(c0 * z)), x1 = int(std::lround(c1 * z));
        const int y0 = int(std::lround(r0 * z)), y1 = int(std::lround(r1 * z));
        p.drawImage(origin + QPoint(x0, y0),
                    scaledPart(image_, QRect(c0, r0, c1 - c0, r1 - r0),
                               QSize(std::max(1, x1 - x0), std::max(1, y1 - y0))));
        p.setPen(theme::frame);
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRect(origin, content).adjusted(-1, -1, 0, 0));
    } else {
        const int rows = imageRows(), cols = imageCols();
        const QFont font = theme::font(10);
        const QFontMetrics fm(font);
        p.setFont(font);
        const TileGrid g = tileGrid(z, tileColumns_);
        // Only the tiles in view: a grid of thousands of neurons repaints as fast as ten.
        const std::int64_t firstRow = visible.top() / g.pitchY,
                           lastRow = visible.bottom() / g.pitchY;
        const int firstCol = visible.left() / g.pitchX;
        const int lastCol = std::min(g.columns - 1, visible.right() / g.pitchX);
        for (std::int64_t gridRow = firstRow; gridRow <= lastRow; ++gridRow)
            for (int gridCol = firstCol; gridCol <= lastCol; ++gridCol) {
                const std::int64_t post = gridRow * g.columns + gridCol;
                if (post >= synapses_.numPost) break;
                const QRect target = g.tile(post).translated(origin);
                p.drawImage(
                    target.topLeft(),
                    scaledPart(image_, QRect(0, int(post) * rows, cols, rows), target.size()));
                if (g.width >= 8) {
                    p.setPen(theme::frame);
                    p.setBrush(Qt::NoBrush);
                    p.drawRect(target.adjusted(-1, -1, 0, 0));
                }
                if (g.title > 0) {
                    p.setPen(theme::text);
                    p.drawText(target.left(), target.top() - 2 - fm.descent(),
                               QString::number(post));
                }
            }
    }
    p.restore();
}

void WeightView::paintRulers(QPainter& p, const QRect& map, QPoint scroll, double z) const {
    const QFont font = theme::font(11);
    const QFontMetrics fm(font);
    p.setFont(font);
    p.setPen(theme::text);
    const auto& s = synapses_;
    auto named = [](const QString& axis, const QString& population, std::int64_t size) {
        return population.isEmpty() ? axis
                                    : QStringLiteral("%1: %2 (%3)").arg(axis, population).arg(size);
    };
    const int titleBaseline = map.top() - 2 * fm.height() - 9 + fm.ascent() + 2;
    if (mode_ == Mode::ReceptiveFields) {
        p.drawText(map.left(), map.top() - 4 - fm.descent(),
                   tr("receptive fields: weights from %1 as %2 x %3 images, one per %4 neuron")
                       .arg(preName_.isEmpty() ? tr("pre") : preName_)
                       .arg(imageRows())
                       .arg(imageCols())
                       .arg(postName_.isEmpty() ? tr("post") : postName_));
        return;
    }
    const QSize content = contentSize(z);
    const int visibleW = std::min(map.width(), content.width() - scroll.x());
    const int visibleH = std::min(map.height(), content.height() - scroll.y());

    // Post neurons across the top.
    p.drawText(map.left(), titleBaseline,
               named(tr("post neuron"), postName_, s.numPost) + QStringLiteral("  \u2192"));
    const int postLabel =
        fm.horizontalAdvance(QString::number(std::max<std::int64_t>(0, s.numPost - 1)));
    const std::int64_t postStep = niceIntegerStep((postLabel + 12) / z);
    const auto firstPost = std::int64_t(std::floor(scroll.x() / z));
    for (std::int64_t c = (firstPost + postStep - 1) / postStep * postStep; c < s.numPost;
         c += postStep) {
        const int x = map.left() + int(std::floor((double(c) + 0.5) * z)) - scroll.x();
        if (x >= map.left() + visibleW) break;
        if (x < map.left()) continue;
        p.setPen(theme::frame);
        p.drawLine(x, map.top() - 5, x, map.top() - 2);
        p.setPen(theme::text);
        const QString label = QString::number(c);
        p.drawText(x - fm.horizontalAdvance(label) / 2, map.top() - 7 - fm.descent(), label);
    }

    // Pre neurons down the left, the axis title turned.
    const int preStep = int(niceIntegerStep((fm.height() + 6) / z));
    const auto firstPre = std::int64_t(std::floor(scroll.y() / z));
    for (std::int64_t r = (firstPre + preStep - 1) / preStep * preStep; r < s.numPre;
         r += preStep) {
        const int y = map.top() + int(std::floor((double(r) + 0.5) * z)) - scroll.y();
        if (y >= map.top() + visibleH) break;
        if (y < map.top()) continue;
        p.setPen(theme::frame);
        p.drawLine(map.left() - 5, y, map.left() - 2, y);
        p.setPen(theme::text);
        const QString label = QString::number(r);
        p.drawText(map.left() - 7 - fm.horizontalAdvance(label), y + fm.ascent() / 2 - 1, label);
    }
    p.save();
    const int titleSpan =
        std::max(visibleH, fm.horizontalAdvance(named(tr("pre neuron"), preName_, s.numPre)));
    p.translate(kPad + fm.ascent(), map.top());
    p.rotate(-90);
    p.drawText(QRect(-titleSpan, -fm.ascent(), titleSpan, fm.height()), Qt::AlignCenter,
               QStringLiteral("\u2190  ") + named(tr("pre neuron"), preName_, s.numPre));
    p.restore();
}

void WeightView::paintColourBar(QPainter& p, const QRect& area) const {
    const QFont font = theme::font(11);
    const QFontMetrics fm(font);
    p.setFont(font);
    p.setPen(theme::text);
    int y = area.top();
    p.drawText(area.left(), y + fm.ascent(), tr("weight"));
    y += fm.height();
    const ScaleLabels labels = scaleLabels();
    p.drawText(area.left(), y + fm.ascent(), labels.scale);
    y += fm.height() + fm.height() / 2 + 2;

    const bool absent = synapses_.type != ConnectivityType::Dense;
    const int swatches = (absent ? 1 : 0) + (nonFinite_ > 0 ? 1 : 0);
    const int room = area.bottom() - y - swatches * (fm.height() + 4) - fm.height() / 2;
    const int barH = std::clamp(room, 40, 240);
    const QRect bar(area.left(), y, kBarWidth, barH);
    const float scale = limit_ > 0 ? limit_ : 1.0f;
    for (int row = 0; row < barH; ++row) {
        const float w = scale * (1.0f - 2.0f * float(row) / float(std::max(1, barH - 1)));
        p.fillRect(QRect(bar.left(), bar.top() + row, bar.width(), 1), QColor(weightRgb(w, scale)));
    }
    p.setPen(theme::frame);
    p.drawRect(bar.adjusted(-1, -1, 0, 0));
    // Symmetric ticks: +limit, +limit/2, 0, -limit/2, -limit; both ends always labelled.
    const bool halves = barH >= 4 * fm.height();
    for (int i = 0; i <= 4; ++i) {
        if ((i == 1 || i == 3) && !halves) continue;
        const int ty = bar.top() + int(std::lround(i * (barH - 1) / 4.0));
        const QString half = formatWeight(double(limit_) / 2);
        const QString text[] = {labels.top, QStringLiteral("+") + half, QStringLiteral("0"),
                                QStringLiteral("\u2212") + half, labels.bottom};
        p.setPen(theme::frame);
        p.drawLine(bar.right() + 1, ty, bar.right() + 4, ty);
        p.setPen(theme::text);
        p.drawText(bar.right() + 6, ty + fm.ascent() / 2 - 1, text[i]);
    }
    y = bar.bottom() + fm.height() / 2 + 4;
    auto swatch = [&](QRgb colour, const QString& text) {
        p.fillRect(QRect(area.left(), y, kBarWidth, fm.height() - 2), QColor(colour));
        p.setPen(theme::text);
        p.drawText(area.left() + kBarWidth + 6, y + fm.ascent() - 1, text);
        y += fm.height() + 4;
    };
    if (absent) swatch(kNoSynapse, tr("no synapse"));
    if (nonFinite_ > 0) swatch(kNonFinite, tr("not finite"));
}

void WeightView::paintView(QPainter& p, QSize size, QPoint scroll, double z, bool withTitle) const {
    p.fillRect(QRect(QPoint(0, 0), size), theme::background);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const QFontMetrics fm(theme::font(11));
    if (!drawable()) {
        p.setFont(theme::font(11));
        p.setPen(message_.isEmpty() ? kMuted : theme::text);
        const QString text = !message_.isEmpty() ? message_
                             : hasMatrix_ ? tr("projection \"%1\" has no neurons").arg(projection_)
                                          : tr("no projection selected");
        p.drawText(QRect(QPoint(0, 0), size).adjusted(kPad, kPad, -kPad, -kPad),
                   Qt::AlignCenter | Qt::TextWordWrap, text);
        return;
    }
    const Margins m = margins();
    const int top = m.top + (withTitle ? QFontMetrics(theme::font(12, true)).height() + 6 : 0);
    const QRect map(m.left, top, size.width() - m.left - m.right, size.height() - top - kPad);
    if (withTitle) {
        p.setFont(theme::font(12, true));
        p.setPen(theme::text);
        p.drawText(kPad, kPad + QFontMetrics(theme::font(12, true)).ascent(), exportTitle());
    }
    paintContent(p, map, scroll, z);
    paintRulers(p, map, scroll, z);
    // The colour bar follows the map's right edge when the map is narrower than the view.
    const int shown = std::min(map.width(), contentSize(z).width() - scroll.x());
    paintColourBar(p, QRect(map.left() + shown + 10, map.top(), m.right - 10 - kPad,
                            std::max(map.height(), 4 * fm.height() + 150)));
}

// ---- export ----

QString WeightView::exportTitle() const {
    return QStringLiteral("%1: %2 \u2192 %3, %4")
        .arg(projection_, preName_, postName_,
             QString::fromLatin1(spikelab::toString(synapses_.type)));
}


QImage WeightView::renderImage() const {
    if (!drawable()) return {};
    const double z = exportZoom();
    const Margins m = margins();
    const QSize content = contentSize(z);
    const QFontMetrics fm(theme::font(11));
    const int title = QFontMetrics(theme::font(12, true)).height() + 6;
    const int width =
        std::max(m.left + content.width() + m.right,
                 QFontMetrics(theme::font(12, true)).horizontalAdvance(exportTitle()) + 4 * kPad);
    const int height =
        std::max(m.top + title + content.height() + kPad, m.top + title + 4 * fm.height() + 150);
    QImage image(width, height, QImage::Format_RGB32);
    QPainter p(&image);
    paintView(p, image.size(), QPoint(0, 0), z, true);
    return image;
}

bool WeightView::exportPng(const QString& path, QString* error) const {
    if (!drawable()) {
        if (error) *error = tr("no weight map to export to \"%1\"").arg(path);
        return false;
    }
    return writePng(path, renderImage(), error);
}

bool WeightView::exportSvg(const QString& path, QString* error) const {
    if (!drawable()) {
        if (error) *error = tr("no weight map to export to \"%1\"").arg(path);
        return false;
    }
    const QSize size = renderImage().size();
    return writeSvg(path, size, projection_, [&](QPainter& p) {
        paintView(p, size, QPoint(0, 0), exportZoom(), true);
    }, error);
}

bool WeightView::exportCsv(const QString& path, QString* error) const {
    if (!hasMatrix_) {
        if (error) *error = tr("no weight matrix to export to \"%1\"").arg(path);
        return false;
    }
    const auto& s = synapses_;
    std::string text = "pre,post,weight\n";
    char number[32];
    auto line = [&](std::int64_t pre, std::int64_t post, float w) {
        text += std::to_string(pre);
        text += ',';
        text += std::to_string(post);
        text += ',';
        // Shortest text that reads back as the same float.
        const auto end = std::to_chars(number, number + sizeof number, w).ptr;
        text.append(number, end);
        text += '\n';
    };
    switch (s.type) {
    case ConnectivityType::Dense:
        for (std::int64_t pre = 0; pre < s.numPre; ++pre)
            for (std::int64_t post = 0; post < s.numPost; ++post)
                line(pre, post, s.weights[std::size_t(pre * s.numPost + post)]);
        break;
    case ConnectivityType::OneToOne:
        for (std::int64_t i = 0; i < s.numPre; ++i) line(i, i, s.weights[std::size_t(i)]);
        break;
    case ConnectivityType::FixedProbability:
    case ConnectivityType::Sparse:
        for (std::int64_t pre = 0; pre < s.numPre; ++pre)
            for (std::int64_t k = s.rowStart[std::size_t(pre)];
                 k < s.rowStart[std::size_t(pre) + 1]; ++k)
                line(pre, s.targets[std::size_t(k)], s.weights[std::size_t(k)]);
        break;
    }
    return writeTextFileAtomically(path, QByteArray::fromStdString(text), error);
}

} // namespace spikelab::ui
