#include "sample_view.h"

#include <QFont>
#include <QFontMetrics>
#include <QPainter>

#include "theme.h"

#include <algorithm>
#include <cstring>

namespace spikelab::ui {

namespace {

const QColor kMuted(140, 140, 148);
const QColor kBar(150, 166, 190);
const QColor kRight(46, 160, 67);
const QColor kWrong(214, 54, 54);
constexpr int kMargin = 8;

const QString kHeaderGap = QStringLiteral("   "); // between the header's parts

int legendHeight(const QList<QPair<QColor, QString>>& legend) {
    return legend.isEmpty() ? 0 : QFontMetrics(theme::font(11)).height() + kMargin / 2;
}

} // namespace

SampleView::SampleView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void SampleView::showSample(std::int64_t index, std::span<const std::uint8_t> pixels, int rows,
                            int cols, int label) {
    QImage image;
    if (rows > 0 && cols > 0) {
        image = QImage(cols, rows, QImage::Format_Grayscale8);
        image.fill(0);
        // Copy row by row (scan lines are padded); a short buffer leaves the rest black.
        for (int r = 0; r < rows; ++r) {
            const std::size_t from = std::size_t(r) * std::size_t(cols);
            if (from >= pixels.size()) break;
            const std::size_t n = std::min(std::size_t(cols), pixels.size() - from);
            std::memcpy(image.scanLine(r), pixels.data() + from, n);
        }
    }
    showSample(index, std::move(image), label);
}

void SampleView::showSample(std::int64_t index, QImage image, int label) {
    if (predicted_ >= 0) lastFinished_ = Finished{index_, label_, predicted_, counts_};
    index_ = index;
    label_ = label;
    predicted_ = -1;
    counts_.clear();
    setImage(std::move(image));
}

void SampleView::setImage(QImage image) {
    image_ = std::move(image);
    update();
}

void SampleView::setLegend(QList<QPair<QColor, QString>> entries) {
    legend_ = std::move(entries);
    update();
}

void SampleView::showPrediction(int predicted, std::span<const std::uint32_t> counts) {
    predicted_ = predicted < 0 ? -1 : predicted;
    counts_.assign(counts.begin(), counts.end());
    update();
}

void SampleView::clearPrediction() {
    predicted_ = -1;
    counts_.clear();
    update();
}

void SampleView::clear() {
    lastFinished_.reset();
    image_ = QImage();
    index_ = -1;
    label_ = -1;
    clearPrediction();
}

QRect SampleView::imageRect(QSize size) const {
    if (image_.isNull()) return {};
    const int top = headerHeight(size);
    const int availH = size.height() - top - kMargin - legendHeight(legend_);
    const int availW = size.width() * 11 / 20 - kMargin; // at most ~half the width
    const int scale =
        std::max(1, std::min(availH / image_.height(), availW / std::max(1, image_.width())));
    return QRect(kMargin, top, image_.width() * scale, image_.height() * scale);
}

QRect SampleView::legendRect(QSize size) const {
    const QRect img = imageRect(size);
    if (legend_.isEmpty() || img.isNull()) return {};
    const QFontMetrics fm(theme::font(11));
    int width = 0;
    for (const auto& entry : legend_)
        width += fm.ascent() - 2 + 4 + fm.horizontalAdvance(entry.second) + 10;
    return QRect(img.left(), img.bottom() + 1 + kMargin / 2, width - 10, legendHeight(legend_));
}

void SampleView::drawLegend(QPainter& p, const QRect& area) const {
    const QFont font = theme::font(11);
    const QFontMetrics fm(font);
    p.setFont(font);
    const int box = fm.ascent() - 2;
    int x = area.left();
    for (const auto& [colour, text] : legend_) {
        p.fillRect(QRect(x, area.top() + (area.height() - box) / 2, box, box), colour);
        p.setPen(theme::frame);
        p.drawRect(QRect(x, area.top() + (area.height() - box) / 2, box, box).adjusted(0, 0, -1, -1));
        x += box + 4;
        p.setPen(theme::text);
        p.drawText(QRect(x, area.top(), area.right() - x, area.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, text);
        x += fm.horizontalAdvance(text) + 10;
    }
}

QRect SampleView::chartRect(QSize size) const {
    const int top = headerHeight(size);
    const QRect img = imageRect(size) | legendRect(size);
    const int left = img.isNull() ? kMargin : img.right() + 1 + 2 * kMargin;
    return QRect(left, top, std::max(1, size.width() - left - kMargin),
                 std::max(1, size.height() - top - kMargin));
}

void SampleView::setAnswers(bool answers) {
    answers_ = answers;
    update();
}

void SampleView::drawChart(QPainter& p, const QRect& area) const {
    if (!answers_ && hasSample()) return;
    if (!counts_.empty()) {
        drawBars(p, area, counts_, label_, predicted_, QStringLiteral("spikes per class"), false);
    } else if (hasSample() && lastFinished_ && !lastFinished_->counts.empty()) {
        const Finished& f = *lastFinished_;
        drawBars(p, area, f.counts, f.label, f.predicted,
                 // Short enough for a narrow dock; the bold row is the label, as always.
                 QStringLiteral("#%1 answered %2 %3")
                     .arg(f.index)
                     .arg(className(f.predicted))
                     .arg(f.predicted == f.label ? QChar(0x2713) : QChar(0x2717)),
                 true);
    } else {
        p.setFont(theme::font(11));
        p.setPen(kMuted);
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                   hasSample() ? QStringLiteral("no prediction yet") : QStringLiteral("no sample"));
    }
}

void SampleView::drawBars(QPainter& p, const QRect& area, const std::vector<std::uint32_t>& counts,
                          int label, int predicted, const QString& caption, bool pale) const {
    const QFont font = theme::font(11);
    const QFontMetrics fm(font);
    p.setFont(font);
    // Paler: a third of the way to the background.
    const auto shade = [pale](const QColor& c) {
        if (!pale) return c;
        const QColor b = theme::background;
        return QColor((2 * c.red() + b.red()) / 3, (2 * c.green() + b.green()) / 3,
                      (2 * c.blue() + b.blue()) / 3);
    };
    const bool correct = predicted >= 0 && predicted == label;
    const int n = int(counts.size());
    const std::uint32_t maxCount = *std::max_element(counts.begin(), counts.end());
    const int captionH = fm.height() + 2;
    const double rowH = double(area.height() - captionH) / n;
    const int labelW = fm.horizontalAdvance(QString::number(n - 1)) + 6;
    const int countW = fm.horizontalAdvance(QString::number(std::max(maxCount, 1u))) + 6;
    const int barLeft = area.left() + labelW;
    const int barMax = std::max(1, area.right() - countW - barLeft);
    const int barH = std::max(1, std::min(int(rowH * 0.7), 16));

    p.setPen(kMuted);
    p.drawText(QRect(area.left(), area.top(), area.width(), captionH), Qt::AlignLeft | Qt::AlignTop,
               fm.elidedText(caption, Qt::ElideRight, area.width()));
    p.setPen(theme::frame);
    p.drawLine(barLeft - 1, area.top() + captionH, barLeft - 1, area.bottom());

    for (int c = 0; c < n; ++c) {
        const int yc = area.top() + captionH + int((c + 0.5) * rowH);
        const bool isPred = c == predicted;
        const bool isLabel = c == label;
        // Class digit; the true label in bold.
        p.setFont(theme::font(11, isLabel));
        p.setPen(theme::text);
        p.drawText(QRect(area.left(), yc - fm.height() / 2, labelW - 4, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(c));
        const int w =
            maxCount == 0 ? 0 : int(double(barMax) * double(counts[std::size_t(c)]) / maxCount);
        const QColor colour = shade(isPred ? (correct ? kRight : kWrong) : kBar);
        if (w > 0) p.fillRect(QRect(barLeft, yc - barH / 2, w, barH), colour);
        p.setFont(theme::font(11, isPred));
        p.setPen(isPred ? colour : kMuted);
        p.drawText(QRect(barLeft + w + 4, yc - fm.height() / 2, countW + 20, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(counts[std::size_t(c)]));
    }
}

void SampleView::setClassNames(const QStringList& names) {
    classNames_ = names;
    update();
}

QString SampleView::className(int index) const {
    // "1 Trouser" where the class has a name of its own, else just the number.
    const QString number = QString::number(index);
    const QString name = classNames_.value(index);
    return name.isEmpty() || name == number ? number : number + ' ' + name;
}

std::vector<SampleView::HeaderPart> SampleView::headerParts() const {
    if (!hasSample()) return {{QStringLiteral("No sample"), kMuted}};
    std::vector<HeaderPart> parts{{QStringLiteral("Sample #%1").arg(index_), theme::text},
                                  {QStringLiteral("label %1").arg(className(label_)), theme::text}};
    if (hasPrediction())
        parts.push_back({QStringLiteral("predicted %1 %2")
                             .arg(className(predicted_))
                             .arg(predictionCorrect() ? QChar(0x2713) : QChar(0x2717)),
                         predictionCorrect() ? kRight : kWrong});
    return parts;
}

int SampleView::headerWidth(const QString& line) {
    return QFontMetrics(theme::font(13, true)).horizontalAdvance(line);
}

std::vector<std::vector<SampleView::HeaderPart>> SampleView::headerLayout(int width) const {
    const QFontMetrics bm(theme::font(13, true));
    std::vector<std::vector<HeaderPart>> lines;
    QString line;
    for (HeaderPart part : headerParts()) {
        if (!lines.empty() && !line.isEmpty() &&
            headerWidth(line + kHeaderGap + part.text) <= width) {
            lines.back().push_back(part);
            line += kHeaderGap + part.text;
            continue;
        }
        part.text = bm.elidedText(part.text, Qt::ElideRight, width);
        lines.push_back({part});
        line = part.text;
    }
    return lines;
}

QStringList SampleView::headerLines(QSize size) const {
    QStringList out;
    for (const auto& parts : headerLayout(size.width() - 2 * kMargin)) {
        QStringList texts;
        for (const auto& part : parts) texts << part.text;
        out << texts.join(kHeaderGap);
    }
    return out;
}

int SampleView::headerHeight(QSize size) const {
    const auto lines = qsizetype(headerLayout(size.width() - 2 * kMargin).size());
    return int(lines) * QFontMetrics(theme::font(13, true)).height() + 8;
}

QImage SampleView::renderImage(QSize size) const {
    QImage out(size.expandedTo(QSize(1, 1)), QImage::Format_RGB32);
    out.fill(theme::background);
    QPainter p(&out);
    p.setRenderHint(QPainter::TextAntialiasing, true);

    // Header: sample number, label and (when known) the prediction, on as many lines as
    // the width needs.
    const QFont bold = theme::font(13, true);
    const QFontMetrics bm(bold);
    p.setFont(bold);
    int baseline = 4 + bm.ascent();
    for (const auto& parts : headerLayout(out.width() - 2 * kMargin)) {
        QString drawn;
        for (const auto& part : parts) {
            if (!drawn.isEmpty()) drawn += kHeaderGap;
            p.setPen(part.colour);
            p.drawText(kMargin + headerWidth(drawn), baseline, part.text);
            drawn += part.text;
        }
        baseline += bm.height();
    }

    if (hasSample()) {
        const QRect r = imageRect(out.size());
        // Integer scale with nearest-neighbour: every input pixel becomes a crisp square.
        p.drawImage(r.topLeft(),
                    image_.scaled(r.size(), Qt::IgnoreAspectRatio, Qt::FastTransformation));
        p.setPen(theme::frame);
        p.drawRect(r.adjusted(-1, -1, 0, 0));
        if (!legend_.isEmpty()) drawLegend(p, legendRect(out.size()));
    }
    drawChart(p, chartRect(out.size()));
    return out;
}

void SampleView::paintEvent(QPaintEvent*) {
    // A header cut to the width has its whole text in the tooltip.
    QStringList whole;
    for (const auto& part : headerParts()) whole << part.text;
    const QString full = whole.join(kHeaderGap);
    setToolTip(headerLines(size()).join(kHeaderGap) == full ? QString() : full);
    QPainter p(this);
    p.drawImage(0, 0, renderImage(size()));
}

} // namespace spikelab::ui
