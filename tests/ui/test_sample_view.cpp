// SampleView: label/prediction state, the scaled image (or event frame), its legend and the
// per-class bar chart.
#include "sample_view.h"

#include <QTest>

#include <array>
#include <vector>

using spikelab::ui::SampleView;

namespace {

// A 28x28 image, black except a bright 2x2 square at rows 5-6, cols 20-21 and a mid-grey
// pixel at (row 14, col 3).
std::vector<std::uint8_t> testImage() {
    std::vector<std::uint8_t> px(28 * 28, 0);
    for (int r = 5; r <= 6; ++r)
        for (int c = 20; c <= 21; ++c) px[std::size_t(r * 28 + c)] = 255;
    px[14 * 28 + 3] = 128;
    return px;
}

bool greenish(QRgb c) {
    return qGreen(c) > qRed(c) + 50 && qGreen(c) > qBlue(c) + 50;
}
bool reddish(QRgb c) {
    return qRed(c) > qGreen(c) + 80 && qRed(c) > qBlue(c) + 80;
}

// How many pixels of the chart area satisfy `pred`.
template <typename Pred> int countPixels(const QImage& img, const QRect& area, Pred pred) {
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) n += pred(img.pixel(x, y)) ? 1 : 0;
    return n;
}

} // namespace

class TestSampleView : public QObject {
    Q_OBJECT
private slots:
    void stateFollowsCalls();
    void imageScaledNearestNeighbour();
    void predictionColours();
    void shortBufferAndEmpty();
    void classNamesInTheHeader();
    void eventFrameKeepsLabelAndPrediction();
    void legendUnderThePicture();
};

void TestSampleView::stateFollowsCalls() {
    SampleView v;
    QVERIFY(!v.hasSample());
    QCOMPARE(v.predicted(), -1);
    const auto px = testImage();
    v.showSample(42, px, 28, 28, 7);
    QVERIFY(v.hasSample());
    QCOMPARE(v.sampleIndex(), 42);
    QCOMPARE(v.label(), 7);
    QCOMPARE(v.predicted(), -1);
    QVERIFY(v.counts().empty());
    QCOMPARE(v.sampleImage().size(), QSize(28, 28));
    QCOMPARE(v.sampleImage().pixelColor(20, 5).value(), 255);

    const std::array<std::uint32_t, 10> counts{0, 1, 0, 2, 0, 0, 0, 9, 1, 0};
    v.showPrediction(7, counts);
    QCOMPARE(v.predicted(), 7);
    QVERIFY(v.predictionCorrect());
    QCOMPARE(v.counts(), std::vector<std::uint32_t>(counts.begin(), counts.end()));

    v.clearPrediction();
    QCOMPARE(v.predicted(), -1);
    QVERIFY(v.counts().empty());
    QCOMPARE(v.label(), 7);

    // A new sample drops the old prediction.
    v.showPrediction(3, counts);
    QVERIFY(!v.predictionCorrect());
    v.showSample(43, px, 28, 28, 1);
    QCOMPARE(v.predicted(), -1);
    QCOMPARE(v.label(), 1);
    QCOMPARE(v.sampleIndex(), 43);
    // ... and keeps it as the last finished answer, drawn paler in the chart's place.
    QVERIFY(v.lastFinished());
    QCOMPARE(v.lastFinished()->index, std::int64_t(42));
    QCOMPARE(v.lastFinished()->label, 7);
    QCOMPARE(v.lastFinished()->predicted, 3);
    QCOMPARE(v.lastFinished()->counts, std::vector<std::uint32_t>(counts.begin(), counts.end()));
    const QSize size(420, 220);
    QImage img = v.renderImage(size);
    QVERIFY(countPixels(img, v.chartRect(size), reddish) > 100);
    // A sample without an answer of its own leaves the last one in place.
    v.showSample(44, px, 28, 28, 2);
    QCOMPARE(v.lastFinished()->index, std::int64_t(42));
    // Without a readout nothing is drawn there.
    v.setAnswers(false);
    img = v.renderImage(size);
    const QRect chart = v.chartRect(size);
    QCOMPARE(countPixels(img, chart, [&](QRgb c) { return c != img.pixel(chart.topLeft()); }), 0);
    v.clear();
    QVERIFY(!v.lastFinished());
}

void TestSampleView::imageScaledNearestNeighbour() {
    SampleView v;
    const auto px = testImage();
    v.showSample(0, px, 28, 28, 3);
    const QSize size(420, 220);
    const QImage img = v.renderImage(size);
    QCOMPARE(img.size(), size);
    const QRect r = v.imageRect(size);
    QVERIFY(r.width() >= 28 * 4);
    QCOMPARE(r.width() % 28, 0);
    QCOMPARE(r.width(), r.height());
    const int s = r.width() / 28;
    // Every screen pixel of the bright input pixels is white; a neighbouring block is black.
    for (int dy = 0; dy < 2 * s; ++dy)
        for (int dx = 0; dx < 2 * s; ++dx)
            QCOMPARE(img.pixel(r.left() + 20 * s + dx, r.top() + 5 * s + dy), qRgb(255, 255, 255));
    QCOMPARE(img.pixel(r.left() + 22 * s + s / 2, r.top() + 5 * s + s / 2), qRgb(0, 0, 0));
    QCOMPARE(img.pixel(r.left() + 19 * s + s - 1, r.top() + 6 * s), qRgb(0, 0, 0));
    // Grey stays grey, with crisp edges (no smoothing into the neighbours).
    QCOMPARE(qGray(img.pixel(r.left() + 3 * s, r.top() + 14 * s)), 128);
    QCOMPARE(qGray(img.pixel(r.left() + 4 * s - 1, r.top() + 15 * s - 1)), 128);
    QCOMPARE(qGray(img.pixel(r.left() + 4 * s, r.top() + 14 * s)), 0);

    // A larger widget scales further, still by a whole factor.
    const QRect big = v.imageRect(QSize(800, 400));
    QVERIFY(big.width() > r.width());
    QCOMPARE(big.width() % 28, 0);
}

void TestSampleView::predictionColours() {
    SampleView v;
    const auto px = testImage();
    v.showSample(5, px, 28, 28, 4);
    const QSize size(420, 220);
    const QRect chart = v.chartRect(size);
    QVERIFY(chart.left() > v.imageRect(size).right());

    // Before any prediction no bar is drawn.
    QImage img = v.renderImage(size);
    QCOMPARE(countPixels(img, chart, greenish), 0);
    QCOMPARE(countPixels(img, chart, reddish), 0);

    // Right prediction: a green bar, no red one.
    const std::array<std::uint32_t, 10> right{1, 0, 2, 0, 12, 3, 0, 0, 0, 1};
    v.showPrediction(4, right);
    img = v.renderImage(size);
    QVERIFY(countPixels(img, chart, greenish) > 100);
    QCOMPARE(countPixels(img, chart, reddish), 0);

    // Wrong prediction: red, no green; the longest bar belongs to the predicted class.
    const std::array<std::uint32_t, 10> wrong{1, 0, 2, 0, 3, 0, 0, 0, 0, 20};
    v.showPrediction(9, wrong);
    img = v.renderImage(size);
    QVERIFY(countPixels(img, chart, reddish) > 100);
    QCOMPARE(countPixels(img, chart, greenish), 0);
    // The red bar lies in the lowest tenth of the chart (class 9 is the last row).
    const QRect lastRows(chart.left(), chart.top() + chart.height() * 8 / 10, chart.width(),
                         chart.height() * 2 / 10);
    QCOMPARE(countPixels(img, lastRows, reddish), countPixels(img, chart, reddish));

    v.clearPrediction();
    img = v.renderImage(size);
    QCOMPARE(countPixels(img, chart, reddish), 0);
}

void TestSampleView::shortBufferAndEmpty() {
    SampleView v;
    const QImage empty = v.renderImage(QSize(300, 150));
    QCOMPARE(empty.size(), QSize(300, 150));
    // Fewer bytes than rows*cols: the rest is black, nothing crashes.
    const std::vector<std::uint8_t> few(10, 200);
    v.showSample(1, few, 28, 28, 0);
    QCOMPARE(v.sampleImage().pixelColor(9, 0).value(), 200);
    QCOMPARE(v.sampleImage().pixelColor(10, 0).value(), 0);
    QCOMPARE(v.sampleImage().pixelColor(5, 20).value(), 0);
    v.resize(420, 220);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    const QImage grabbed = v.grab().toImage();
    QVERIFY(!grabbed.isNull());
    v.clear();
    QVERIFY(!v.hasSample());
    QCOMPARE(v.label(), -1);
}

void TestSampleView::classNamesInTheHeader() {
    SampleView v;
    QCOMPARE(v.className(1), QString("1"));
    v.setClassNames({"T-shirt/top", "Trouser"});
    QCOMPARE(v.className(1), QString("1 Trouser"));
    QCOMPARE(v.className(7), QString("7")); // no name given
    v.setClassNames({"0", "1"});
    QCOMPARE(v.className(1), QString("1")); // digits are not repeated
    // The header is wider with names than without.
    const auto px = testImage();
    auto headerInk = [&](const QStringList& names) {
        v.setClassNames(names);
        v.showSample(3, px, 28, 28, 1);
        const QImage img = v.renderImage({600, 240});
        int right = 0;
        for (int y = 0; y < 20; ++y)
            for (int x = 0; x < img.width(); ++x)
                if (img.pixel(x, y) != QColor(255, 255, 255).rgb()) right = std::max(right, x);
        return right;
    };
    QVERIFY(headerInk({"T-shirt/top", "Trouser"}) > headerInk({}) + 30);
}

void TestSampleView::eventFrameKeepsLabelAndPrediction() {
    SampleView v;
    QImage frame(34, 34, QImage::Format_RGB32);
    frame.fill(Qt::black);
    v.showSample(7, frame, 3);
    QCOMPARE(v.sampleIndex(), std::int64_t(7));
    QCOMPARE(v.sampleImage().size(), QSize(34, 34));
    const std::array<std::uint32_t, 10> counts{0, 0, 0, 9, 0, 0, 0, 0, 0, 1};
    v.showPrediction(3, counts);
    // A newer picture of the same sample (the replay went on) keeps the rest.
    frame.setPixelColor(10, 20, QColor(255, 176, 0));
    v.setImage(frame);
    QCOMPARE(v.sampleImage().pixelColor(10, 20), QColor(255, 176, 0));
    QCOMPARE(v.label(), 3);
    QVERIFY(v.predictionCorrect());
    // It is drawn as a crisp square of `scale` pixels.
    const QSize size(420, 240);
    const QRect r = v.imageRect(size);
    QCOMPARE(r.width() % 34, 0);
    const int scale = r.width() / 34;
    const QImage img = v.renderImage(size);
    QCOMPARE(img.pixelColor(r.left() + 10 * scale, r.top() + 20 * scale), QColor(255, 176, 0));
    QCOMPARE(img.pixelColor(r.left() + 10 * scale + scale - 1, r.top() + 20 * scale + scale - 1),
             QColor(255, 176, 0));
    QCOMPARE(img.pixelColor(r.left() + 11 * scale, r.top() + 20 * scale), QColor(Qt::black));
    // A new sample clears the prediction.
    v.showSample(8, frame, 4);
    QVERIFY(!v.hasPrediction());
}

void TestSampleView::legendUnderThePicture() {
    SampleView v;
    const auto px = testImage();
    v.showSample(1, px, 28, 28, 1);
    const QSize size(420, 240);
    const QRect without = v.imageRect(size);
    QVERIFY(v.legendRect(size).isNull());
    const QColor amber(255, 176, 0), blue(40, 140, 255);
    v.setLegend({{amber, "ON"}, {blue, "OFF"}});
    const QRect picture = v.imageRect(size);
    const QRect legend = v.legendRect(size);
    // The picture makes room for the legend, which lies below it and left of the chart.
    QVERIFY(picture.height() <= without.height());
    QVERIFY(legend.top() > picture.bottom());
    QVERIFY(legend.bottom() < size.height());
    QVERIFY(v.chartRect(size).left() > legend.right());
    const QImage img = v.renderImage(size);
    auto has = [&](const QColor& c) {
        return countPixels(img, legend, [&](QRgb p) { return p == c.rgb(); }) > 20;
    };
    QVERIFY(has(amber));
    QVERIFY(has(blue));
    // Text beside the boxes.
    QVERIFY(countPixels(img, legend, [](QRgb p) { return qGray(p) < 140; }) > 20);
    v.setLegend({});
    QCOMPARE(v.imageRect(size), without);
}

QTEST_MAIN(TestSampleView)
#include "test_sample_view.moc"
