#pragma once
// The current input sample: the image (grayscale, scaled up with nearest-neighbour) or, for
// event recordings, the sensor's picture as the presentation goes on; its label and, once the
// sample has run, the predicted class and the per-class spike counts as a small horizontal bar
// chart (predicted class green when right, red when wrong). An optional legend under the
// picture says what its colours mean.
//
// While a sample runs it has no answer yet; at a running pace that is nearly all the time, so
// the last finished sample's answer stays in the chart's place, paler and captioned with its
// number, label and prediction, until the sample shown has one of its own.
//
// The header ("Sample #4   label 6 Shirt   predicted 1 Trouser ✓") goes on as many lines as
// the width needs, a part at a time; only a part wider than the whole view is cut, and then
// the view's tooltip has the full text.
#include <QColor>
#include <QImage>
#include <QList>
#include <QPair>
#include <QRect>
#include <QSize>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

class QPainter;

namespace spikelab::ui {

class SampleView : public QWidget {
    Q_OBJECT
public:
    explicit SampleView(QWidget* parent = nullptr);

    // `pixels` holds rows*cols bytes, row-major, 0 = black. Clears any prediction.
    void showSample(std::int64_t index, std::span<const std::uint8_t> pixels, int rows, int cols,
                    int label);
    // Any picture (an event frame); clears any prediction.
    void showSample(std::int64_t index, QImage image, int label);
    // Replaces the picture of the sample shown, keeping its label and prediction.
    void setImage(QImage image);
    // Colours and what they mean, drawn under the picture; empty: no legend.
    void setLegend(QList<QPair<QColor, QString>> entries);
    const QList<QPair<QColor, QString>>& legend() const { return legend_; }
    void showPrediction(int predicted, std::span<const std::uint32_t> counts);
    void clearPrediction();
    // Whether the network answers (has a readout population). Without, the chart's place stays
    // empty instead of waiting for a prediction that never comes. On by default.
    void setAnswers(bool answers);
    bool answers() const { return answers_; }
    // Names shown beside the label and the prediction ("1 Trouser"); empty: numbers only.
    void setClassNames(const QStringList& names);
    // How the header names class `index`.
    QString className(int index) const;
    void clear();

    bool hasSample() const { return !image_.isNull(); }
    std::int64_t sampleIndex() const { return index_; }
    int label() const { return label_; }
    int predicted() const { return predicted_; } // -1 until a prediction is shown
    bool hasPrediction() const { return predicted_ >= 0; }
    bool predictionCorrect() const { return predicted_ >= 0 && predicted_ == label_; }
    const std::vector<std::uint32_t>& counts() const { return counts_; }
    const QImage& sampleImage() const { return image_; } // unscaled
    // The last sample that finished with a prediction before the one shown (kept by
    // showSample); what the chart shows while the shown one has no prediction.
    struct Finished {
        std::int64_t index = -1;
        int label = -1, predicted = -1;
        std::vector<std::uint32_t> counts;
    };
    const std::optional<Finished>& lastFinished() const { return lastFinished_; }

    // The header's lines in a rendering of `size`, and how wide one of them is drawn.
    QStringList headerLines(QSize size) const;
    static int headerWidth(const QString& line);
    // Where the scaled sample image lies inside a rendering of `size`.
    QRect imageRect(QSize size) const;
    // Where the legend lies (empty without one).
    QRect legendRect(QSize size) const;
    // Where the bar chart lies (rows for classes 0..n-1, top to bottom).
    QRect chartRect(QSize size) const;
    QImage renderImage(QSize size) const;

    QSize sizeHint() const override { return {420, 220}; }
    QSize minimumSizeHint() const override { return {220, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct HeaderPart {
        QString text;
        QColor colour;
    };
    std::vector<HeaderPart> headerParts() const;
    // Parts per line (cut to the width where one alone is wider).
    std::vector<std::vector<HeaderPart>> headerLayout(int width) const;
    int headerHeight(QSize size) const;
    void drawChart(QPainter& p, const QRect& area) const;
    // Bars of `counts`, the predicted class in the right or wrong colour (paler for a sample
    // no longer shown), under `caption`.
    void drawBars(QPainter& p, const QRect& area, const std::vector<std::uint32_t>& counts,
                  int label, int predicted, const QString& caption, bool pale) const;
    void drawLegend(QPainter& p, const QRect& area) const;

    QImage image_;
    std::int64_t index_ = -1;
    int label_ = -1;
    int predicted_ = -1;
    std::vector<std::uint32_t> counts_;
    std::optional<Finished> lastFinished_;
    bool answers_ = true;
    QStringList classNames_;
    QList<QPair<QColor, QString>> legend_;
};

} // namespace spikelab::ui
