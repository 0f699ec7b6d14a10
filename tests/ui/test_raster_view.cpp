// RasterView: storage, scrolling, drawing at the right pixels, CSV/PNG export, clicks.
#include "raster_view.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <vector>

using spikelab::SpikeEvent;
using spikelab::ui::RasterView;

namespace {

bool isSpikeColour(QRgb c) {
    // Spikes are dark blue; background, frame and grid are light.
    return qBlue(c) > qRed(c) + 40 && qGray(c) < 110;
}

// Centre pixel of (step, neuron) following the documented layout: the window
// [head - W + 1, head] spans the plot left to right, neuron 0 is the bottom row.
QPoint expectedPixel(const RasterView& v, QSize size, std::int64_t step, std::int64_t neuron) {
    const QRect plot = v.plotArea(size);
    const double colW = double(plot.width()) / double(v.windowSteps());
    const double rowH = double(plot.height()) / double(v.populationSize());
    const int x = plot.left() + int((double(step - v.windowStart()) + 0.5) * colW);
    const int y = plot.bottom() - int((double(neuron) + 0.5) * rowH);
    return {x, y};
}

} // namespace

class TestRasterView : public QObject {
    Q_OBJECT
private slots:
    void countsAndWindow();
    void scrollingDropsOldSpikes();
    void spikesDrawnAtTheirPixel();
    void sampleBoundariesAndLabels();
    void csvExport();
    void pngExport();
    void svgExportDrawsEverySpike();
    void exportToAnUnwritablePathFails();
    void clickEmitsNeuron();
    void renderTiming();
};

void TestRasterView::countsAndWindow() {
    RasterView v;
    v.setPopulation("hidden", 100, 1.0);
    QCOMPARE(v.totalSpikes(), 0);
    const std::vector<SpikeEvent> a{{0, 3}, {5, 7}, {5, 9}, {120, 99}};
    v.addSpikes(a);
    QCOMPARE(v.totalSpikes(), 4);
    QCOMPARE(v.spikesInWindow(), a);
    QCOMPARE(v.headStep(), 999); // default window of 1000 steps starting at 0

    // A spike past the right edge moves the edge to it.
    const std::vector<SpikeEvent> b{{1500, 1}};
    v.addSpikes(b);
    QCOMPARE(v.headStep(), 1500);
    QCOMPARE(v.totalSpikes(), 5);
    const auto w = v.spikesInWindow(); // window [501, 1500]
    QCOMPARE(w.size(), std::size_t(1));
    QCOMPARE(w[0], (SpikeEvent{1500, 1}));

    v.clear();
    QCOMPARE(v.totalSpikes(), 0);
    QVERIFY(v.spikesInWindow().empty());
    QCOMPARE(v.storedSpikes(), std::size_t(0));
}

void TestRasterView::scrollingDropsOldSpikes() {
    RasterView v;
    v.setPopulation("input", 784, 1.0);
    v.setWindowSteps(200);
    // 100 spikes per step for 10,000 steps, one frame per 10 steps.
    std::int64_t added = 0;
    std::size_t maxStored = 0;
    for (std::int64_t frame = 0; frame < 1000; ++frame) {
        std::vector<SpikeEvent> spikes;
        for (std::int64_t s = frame * 10; s < frame * 10 + 10; ++s)
            for (std::uint32_t n = 0; n < 100; ++n) spikes.push_back({s, n * 7});
        v.addSpikes(spikes);
        added += std::int64_t(spikes.size());
        maxStored = std::max(maxStored, v.storedSpikes());
    }
    QCOMPARE(v.totalSpikes(), added);
    // Window of 200 steps plus at most a 1/8 margin and one frame: far below the million added.
    QVERIFY2(maxStored <= std::size_t((200 + 25 + 10) * 100),
             qPrintable(QString::number(maxStored)));
    const auto w = v.spikesInWindow();
    QCOMPARE(w.size(), std::size_t(200 * 100));
    QCOMPARE(w.front().step, 9999 - 199);
    QCOMPARE(w.back().step, 9999);

    // Scrolling on without spikes empties the window and memory.
    v.advanceTo(20000);
    QCOMPARE(v.headStep(), 20000);
    QVERIFY(v.spikesInWindow().empty());
    QCOMPARE(v.storedSpikes(), std::size_t(0));
    QCOMPARE(v.totalSpikes(), added);
}

void TestRasterView::spikesDrawnAtTheirPixel() {
    RasterView v;
    v.setPopulation("output", 10, 0.5);
    v.setWindowSteps(100);
    const std::vector<SpikeEvent> spikes{{20, 3}, {70, 8}};
    v.addSpikes(spikes);
    const QSize size(600, 300);
    const QImage img = v.renderImage(size);
    QCOMPARE(img.size(), size);
    const QPoint p1 = expectedPixel(v, size, 20, 3);
    const QPoint p2 = expectedPixel(v, size, 70, 8);
    QVERIFY2(isSpikeColour(img.pixel(p1)), qPrintable(QString::number(img.pixel(p1), 16)));
    QVERIFY(isSpikeColour(img.pixel(p2)));
    // Where no spike was added: same step, other neuron; same neuron, other step.
    QVERIFY(!isSpikeColour(img.pixel(expectedPixel(v, size, 20, 6))));
    QVERIFY(!isSpikeColour(img.pixel(expectedPixel(v, size, 45, 3))));
    QCOMPARE(img.pixel(expectedPixel(v, size, 45, 3)), qRgb(255, 255, 255));

    // After scrolling the spike moves left with its step.
    v.advanceTo(150); // window [51, 150]
    const QImage scrolled = v.renderImage(size);
    QVERIFY(isSpikeColour(scrolled.pixel(expectedPixel(v, size, 70, 8))));
    QVERIFY(!isSpikeColour(scrolled.pixel(p2)));
    // The spike at step 20 left the window: nothing dark in its old row near the left edge.
    const QPoint gone = expectedPixel(v, size, 51, 3);
    QCOMPARE(scrolled.pixel(gone), qRgb(255, 255, 255));

    // A large population shares rows: neuron 9,999 of 10,000 lands in the top row.
    RasterView big;
    big.setPopulation("big", 10000, 1.0);
    big.setWindowSteps(100);
    const std::vector<SpikeEvent> top{{50, 9999}};
    big.addSpikes(top);
    const QImage bigImg = big.renderImage(size);
    const QRect plot = big.plotArea(size);
    bool found = false;
    for (int dx = -1; dx <= 2; ++dx)
        found = found || isSpikeColour(
                             bigImg.pixel(expectedPixel(big, size, 50, 9999).x() + dx, plot.top()));
    QVERIFY(found);
}

void TestRasterView::sampleBoundariesAndLabels() {
    RasterView v;
    v.setPopulation("output", 10, 1.0);
    v.setWindowSteps(400);
    v.setShowLabels(true);
    v.addSampleBoundary(0, 7);
    v.addSampleBoundary(200, 2);
    v.advanceTo(399);
    const QSize size(800, 300);
    const QImage img = v.renderImage(size);
    const QRect plot = v.plotArea(size);
    // The boundary at step 200 is a grey vertical line at the left edge of its column.
    const int x = plot.left() + int(std::floor(200.0 * plot.width() / 400.0));
    const QRgb line = img.pixel(x, plot.top() + plot.height() / 2 - 3);
    QVERIFY2(qGray(line) < 220 && std::abs(qRed(line) - qBlue(line)) < 20,
             qPrintable(QString::number(line, 16)));
    QCOMPARE(img.pixel(x + 10, plot.top() + 2), qRgb(255, 255, 255));
    // Label markers: row 7 during the first sample, row 2 during the second (orange-ish).
    auto orange = [](QRgb c) { return qRed(c) > qBlue(c) + 40; };
    QVERIFY(orange(img.pixel(expectedPixel(v, size, 100, 7))));
    QVERIFY(!orange(img.pixel(expectedPixel(v, size, 100, 2))));
    QVERIFY(orange(img.pixel(expectedPixel(v, size, 300, 2))));
    QVERIFY(!orange(img.pixel(expectedPixel(v, size, 300, 7))));

    // Without labels only the lines remain.
    v.setShowLabels(false);
    const QImage plain = v.renderImage(size);
    QVERIFY(!orange(plain.pixel(expectedPixel(v, size, 100, 7))));
    QCOMPARE(plain.pixel(x, plot.top() + 5), img.pixel(x, plot.top() + 5));
}

void TestRasterView::csvExport() {
    RasterView v;
    v.setPopulation("hidden", 50, 0.1);
    v.setWindowSteps(100);
    const std::vector<SpikeEvent> spikes{{10, 4}, {150, 12}, {160, 49}};
    v.addSpikes(spikes); // window [61, 160]: the first spike is out
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("raster.csv");
    QVERIFY(v.exportCsv(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString text = QString::fromUtf8(f.readAll());
    QCOMPARE(text, QStringLiteral("step,time_ms,neuron\n150,15,12\n160,16,49\n"));
}

void TestRasterView::pngExport() {
    RasterView v;
    v.setPopulation("hidden", 128, 1.0);
    std::vector<SpikeEvent> spikes;
    for (std::int64_t s = 0; s < 1000; ++s)
        for (std::uint32_t n = 0; n < 128; ++n)
            if ((s * 31 + n * 17) % 97 == 0) spikes.push_back({s, n});
    v.addSpikes(spikes);
    v.addSampleBoundary(0, 1);
    v.addSampleBoundary(500, 2);
    QTemporaryDir dir;
    const QString path = dir.filePath("raster.png");
    QVERIFY(v.exportPng(path));
    QImage back(path);
    QVERIFY(!back.isNull());
    QVERIFY(back.width() >= 200 && back.height() >= 100);
}

void TestRasterView::svgExportDrawsEverySpike() {
    RasterView v;
    v.setPopulation("output", 10, 1.0);
    v.setWindowSteps(100);
    const std::vector<SpikeEvent> spikes{{10, 1}, {20, 3}, {30, 9}, {99, 0}};
    v.addSpikes(spikes);
    QTemporaryDir dir;
    const QString path = dir.filePath("raster.svg");
    QString error;
    QVERIFY2(v.exportSvg(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(f.readAll());
    QVERIFY(svg.contains("<title>Spike raster of output</title>"));
    QVERIFY(svg.contains("time (ms)")); // axes are text, not pixels
    QVERIFY(!svg.contains("<image"));
    // One filled rectangle per spike in the spike colour (Qt writes them as paths).
    const QString spikeFill = QStringLiteral("fill=\"#1c3478\"");
    QCOMPARE(svg.count(spikeFill), qsizetype(spikes.size()));
}

void TestRasterView::exportToAnUnwritablePathFails() {
    RasterView v;
    v.setPopulation("hidden", 5, 1.0);
    v.addSpikes(std::vector<SpikeEvent>{{1, 1}});
    QTemporaryDir dir;
    const QString path = dir.filePath("missing-folder/raster.csv");
    QString error;
    QVERIFY(!v.exportCsv(path, &error));
    QVERIFY(error.contains(path));
    QVERIFY(!v.exportSvg(dir.filePath("missing-folder/raster.svg"), &error));
    QVERIFY(!v.exportPng(dir.filePath("missing-folder/raster.png"), &error));
    QVERIFY(!QFileInfo::exists(dir.filePath("missing-folder")));
}

void TestRasterView::clickEmitsNeuron() {
    RasterView v;
    v.setPopulation("output", 10, 1.0);
    v.resize(600, 300);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QSignalSpy spy(&v, &RasterView::neuronClicked);
    const QPoint p4 = expectedPixel(v, v.size(), 500, 4);
    QTest::mouseClick(&v, Qt::LeftButton, {}, p4);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 4);
    QTest::mouseClick(&v, Qt::LeftButton, {}, expectedPixel(v, v.size(), 100, 9));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).toInt(), 9);
    QTest::mouseClick(&v, Qt::LeftButton, {}, expectedPixel(v, v.size(), 900, 0));
    QCOMPARE(spy.at(2).at(0).toInt(), 0);
    // Outside the plot (the title strip): no signal.
    QTest::mouseClick(&v, Qt::LeftButton, {}, QPoint(300, 2));
    QCOMPARE(spy.count(), 3);
}

void TestRasterView::renderTiming() {
    RasterView v;
    v.setPopulation("input", 784, 1.0);
    v.setWindowSteps(1000);
    // 100,000 spikes over a 1000-step window: 100 spikes per step.
    std::vector<SpikeEvent> spikes;
    spikes.reserve(100000);
    std::uint32_t r = 12345;
    for (std::int64_t s = 0; s < 1000; ++s)
        for (int k = 0; k < 100; ++k) {
            r = r * 1664525u + 1013904223u;
            spikes.push_back({s, (r >> 8) % 784});
        }
    v.addSpikes(spikes);
    QCOMPARE(v.spikesInWindow().size(), std::size_t(100000));
    v.renderImage(QSize(800, 300)); // warm up fonts
    QElapsedTimer timer;
    timer.start();
    const int reps = 10;
    for (int i = 0; i < reps; ++i) {
        const QImage img = v.renderImage(QSize(800, 300));
        QCOMPARE(img.width(), 800);
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6 / reps;
    qInfo("renderImage(800x300) with 100,000 spikes in the window: %.2f ms", ms);
    QVERIFY2(ms < 200.0, qPrintable(QString::number(ms)));
}

QTEST_MAIN(TestRasterView)
#include "test_raster_view.moc"
