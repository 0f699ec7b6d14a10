// StatisticsView: counts and accuracy, samples without a prediction, rejected inputs, the
// bounded spike history, CSV contents, the drawn matrix, and PNG/SVG export.
#include "statistics_view.h"

#include <QChart>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include <cmath>
#include <vector>

using spikelab::ui::StatisticsView;

namespace {

const QStringList kFashion{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                           "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

// A corner of the cell, away from the count written in its middle.
QRgb cellShade(const StatisticsView& v, const QImage& img, int label, int predicted) {
    const QRect r = v.confusionCellRect(img.size(), label, predicted);
    return img.pixel(r.left() + 2, r.top() + 2);
}

} // namespace

class TestStatisticsView : public QObject {
    Q_OBJECT
private slots:
    void countsAndAccuracy();
    void samplesWithoutPrediction();
    void badInputsChangeNothing();
    void spikeHistoryIsBounded();
    void csvExport();
    void matrixShading();
    void longClassNamesFit();
    void noClasses();
    void pngAndSvgExport();
    void countsStartAgainWithAMarker();
};

void TestStatisticsView::countsAndAccuracy() {
    StatisticsView v;
    v.setup({"cat", "dog", "bird"}, {"input", "output"});
    QCOMPARE(v.accuracy(), std::nullopt);
    const std::vector<std::pair<int, int>> results{{0, 0}, {0, 0}, {0, 1}, {1, 1},
                                                   {2, 0}, {2, 2}, {1, 2}, {2, 2}};
    for (const auto& [label, predicted] : results)
        QVERIFY(v.addResult(label, predicted, {100.0, 3.0}));
    QCOMPARE(v.confusion(0, 0), 2);
    QCOMPARE(v.confusion(0, 1), 1);
    QCOMPARE(v.confusion(1, 1), 1);
    QCOMPARE(v.confusion(1, 2), 1);
    QCOMPARE(v.confusion(2, 0), 1);
    QCOMPARE(v.confusion(2, 2), 2);
    QCOMPARE(v.confusion(1, 0), 0);
    QCOMPARE(v.confusion(3, 0), 0); // outside the matrix
    QCOMPARE(v.presented(), 8);
    QCOMPARE(v.scored(), 8);
    QCOMPARE(v.correct(), 5);
    QCOMPARE(*v.accuracy(), 5.0 / 8.0);
    QCOMPARE(v.accuracyText(), QStringLiteral("Accuracy 62.5% (5/8)"));
    QCOMPARE(v.findChild<QLabel*>()->text(), v.accuracyText());

    // 35 of 40 right.
    v.setup(kFashion, {"output"});
    for (int i = 0; i < 40; ++i) v.addResult(i % 10, i < 35 ? i % 10 : (i + 1) % 10, {2.0});
    QCOMPARE(v.accuracyText(), QStringLiteral("Accuracy 87.5% (35/40)"));
    QCOMPARE(v.confusion(5, 6), 1);
    QCOMPARE(v.confusion(5, 5), 3);

    v.clear();
    QCOMPARE(v.presented(), 0);
    QCOMPARE(v.confusion(5, 5), 0);
    QVERIFY(v.spikeHistory().empty());
    QCOMPARE(v.accuracyText(), QStringLiteral("Accuracy \u2014 (no samples yet)"));
}

void TestStatisticsView::samplesWithoutPrediction() {
    StatisticsView v;
    v.setup({"0", "1"}, {"hidden"});
    QVERIFY(v.addResult(1, -1, {7.0}));  // no readout
    QVERIFY(v.addResult(-1, 0, {8.0}));  // no label
    QVERIFY(v.addResult(-1, -1, {9.0})); // neither
    QCOMPARE(v.presented(), 3);
    QCOMPARE(v.scored(), 0);
    QCOMPARE(v.accuracy(), std::nullopt);
    for (int l = 0; l < 2; ++l)
        for (int p = 0; p < 2; ++p) QCOMPARE(v.confusion(l, p), 0);
    QCOMPARE(v.accuracyText(),
             QStringLiteral("Accuracy \u2014 (3 samples, none with a label and a prediction)"));
    QCOMPARE(v.spikeHistory().size(), std::size_t(3));
    QCOMPARE(v.spikeSeriesPoints(0), (QList<QPointF>{{1, 7.0}, {2, 8.0}, {3, 9.0}}));
    QVERIFY(v.addResult(1, 1, {1.0}));
    QCOMPARE(v.accuracyText(), QStringLiteral("Accuracy 100.0% (1/1)"));
}

void TestStatisticsView::badInputsChangeNothing() {
    StatisticsView v;
    v.setup({"a", "b", "c"}, {"input", "hidden", "output"});
    QVERIFY(v.addResult(0, 0, {1, 2, 3}));
    QString error;
    QVERIFY(!v.addResult(3, 0, {1, 2, 3}, &error));
    QCOMPARE(error, QStringLiteral("label 3 is not a class: expected -1 (unknown) or a class "
                                   "from 0 to 2"));
    QVERIFY(!v.addResult(0, -2, {1, 2, 3}, &error));
    QVERIFY2(error.startsWith("prediction -2 is not a class"), qPrintable(error));
    QVERIFY(!v.addResult(0, 0, {1, 2}, &error));
    QCOMPARE(error,
             QStringLiteral("2 spike counts given for 3 populations (input, hidden, output)"));
    QVERIFY(!v.addResult(0, 0, {1, 2, 3, 4}));
    QVERIFY(!v.addResult(0, 0, {1, std::nan(""), 3}, &error));
    QCOMPARE(error, QStringLiteral("spike count nan of population \"hidden\" is not a count"));
    QVERIFY(!v.addResult(0, 0, {1, 2, -3}, &error));
    QCOMPARE(error, QStringLiteral("spike count -3 of population \"output\" is not a count"));
    QCOMPARE(v.presented(), 1);
    QCOMPARE(v.confusion(0, 0), 1);
    QCOMPARE(v.spikeHistory().size(), std::size_t(1));

    v.setup({}, {"input"}); // no readout: only -1 is a class index
    QVERIFY(!v.addResult(0, -1, {1}, &error));
    QVERIFY2(error.contains("no classes"), qPrintable(error));
    QVERIFY(v.addResult(-1, -1, {1}));
}

void TestStatisticsView::spikeHistoryIsBounded() {
    StatisticsView v;
    v.setup({"0", "1"}, {"input", "output"});
    v.resize(800, 400);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QElapsedTimer timer;
    timer.start();
    for (int i = 1; i <= 1000; ++i) v.addResult(i % 2, 0, {double(i), double(i % 7)});
    const double usPerResult = double(timer.nsecsElapsed()) / 1e3 / 1000;
    qInfo("addResult, 2 populations, 200-sample history, 800x400 view: %.0f us", usPerResult);
    QCOMPARE(v.presented(), 1000);
    QCOMPARE(v.spikeHistory().size(), std::size_t(StatisticsView::kHistory));
    QCOMPARE(v.spikeHistory().front().sample, 801);
    QCOMPARE(v.spikeHistory().back().spikes, (std::vector<double>{1000.0, double(1000 % 7)}));
    const QList<QPointF> input = v.spikeSeriesPoints(0);
    QCOMPARE(input.size(), 200);
    QCOMPARE(input.front(), QPointF(801, 801));
    QCOMPARE(input.back(), QPointF(1000, 1000));
    auto* x = qobject_cast<QValueAxis*>(v.spikeChart()->axes(Qt::Horizontal).front());
    auto* y = qobject_cast<QValueAxis*>(v.spikeChart()->axes(Qt::Vertical).front());
    QCOMPARE(x->min(), 801.0);
    QCOMPARE(x->max(), 1000.0);
    QCOMPARE(y->min(), 0.0);
    QVERIFY(y->max() >= 1000.0 && y->max() <= 1200.0);
    QCOMPARE(v.confusion(0, 0) + v.confusion(1, 0), 1000); // the matrix keeps every sample
}

void TestStatisticsView::csvExport() {
    StatisticsView v;
    v.setup({"T-shirt/top", "Bag, small", "say \"hi\""}, {"input", "output"});
    v.addResult(0, 0, {120.0, 4.0});
    v.addResult(1, 0, {98.5, 0.0});
    v.addResult(1, 1, {101.0, 2.0});
    v.addResult(2, -1, {0.1, 0.0});
    QTemporaryDir dir;
    QString error;
    const QString matrix = dir.filePath("confusion.csv");
    QVERIFY2(v.exportConfusionCsv(matrix, &error), qPrintable(error));
    QCOMPARE(readText(matrix), QStringLiteral("label\\prediction,T-shirt/top,\"Bag, small\",\"say "
                                              "\"\"hi\"\"\"\n"
                                              "T-shirt/top,1,0,0\n"
                                              "\"Bag, small\",1,1,0\n"
                                              "\"say \"\"hi\"\"\",0,0,0\n"));
    const QString spikes = dir.filePath("spikes.csv");
    QVERIFY2(v.exportSpikesCsv(spikes, &error), qPrintable(error));
    QCOMPARE(readText(spikes), QStringLiteral("sample,input,output\n"
                                              "1,120,4\n"
                                              "2,98.5,0\n"
                                              "3,101,2\n"
                                              "4,0.1,0\n"));

    const QString bad = dir.filePath("missing/confusion.csv");
    QVERIFY(!v.exportConfusionCsv(bad, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write \"%1\": ").arg(bad)), qPrintable(error));
    QVERIFY(!QFile::exists(bad));
}

void TestStatisticsView::matrixShading() {
    StatisticsView v;
    v.setup({"0", "1", "2", "3"}, {"output"});
    // Rows 0-2 always right; row 3 right twice, wrong (as 0) twice.
    for (int k = 0; k < 5; ++k)
        for (int c = 0; c < 3; ++c) v.addResult(c, c, {1.0});
    for (int k = 0; k < 2; ++k) {
        v.addResult(3, 3, {1.0});
        v.addResult(3, 0, {1.0});
    }
    const QImage img = v.renderConfusion(QSize(420, 380));
    const QRect grid =
        v.confusionCellRect(img.size(), 0, 0).united(v.confusionCellRect(img.size(), 3, 3));
    QVERIFY(QRect(QPoint(0, 0), img.size()).contains(grid));
    QVERIFY(grid.width() >= 4 * 40);
    for (int c = 0; c < 3; ++c) {
        const QRgb diagonal = cellShade(v, img, c, c);
        const QRgb empty = cellShade(v, img, c, (c + 1) % 4);
        QVERIFY2(qGray(diagonal) + 100 < qGray(empty),
                 qPrintable(QStringLiteral("%1 vs %2").arg(diagonal, 0, 16).arg(empty, 0, 16)));
        QVERIFY(qBlue(diagonal) > qRed(diagonal)); // blue, not grey
        QVERIFY(qGray(empty) > 235);               // near white
    }
    // Half of row 3: a middle shade between empty and full.
    const int half = qGray(cellShade(v, img, 3, 3));
    QCOMPARE(cellShade(v, img, 3, 0), cellShade(v, img, 3, 3));
    QVERIFY(half > qGray(cellShade(v, img, 0, 0)) + 30 &&
            half + 30 < qGray(cellShade(v, img, 3, 1)));
    // Counts are written in: the middle of a full cell has white text pixels.
    const QRect full = v.confusionCellRect(img.size(), 1, 1);
    int white = 0;
    for (int y = full.top() + 4; y < full.bottom() - 4; ++y)
        for (int x = full.left() + 4; x < full.right() - 4; ++x)
            white += qGray(img.pixel(x, y)) > 200;
    QVERIFY(white > 5);
}

void TestStatisticsView::longClassNamesFit() {
    StatisticsView v;
    v.setup(kFashion, {"output"});
    for (int c = 0; c < 10; ++c) v.addResult(c, c, {1.0});
    for (QSize size : {QSize(420, 400), QSize(260, 220)}) {
        const QImage img = v.renderConfusion(size);
        const QRect first = v.confusionCellRect(size, 0, 0);
        const QRect last = v.confusionCellRect(size, 9, 9);
        QVERIFY(first.left() > 60 && first.top() > 10); // room for row names and the title
        QVERIFY2(last.bottom() < size.height() - 40,    // room for the upright column names
                 qPrintable(QStringLiteral("%1 of %2").arg(last.bottom()).arg(size.height())));
        QVERIFY(last.right() < size.width());
        QVERIFY(qGray(cellShade(v, img, 9, 9)) < 120);
        // Something (the names) is drawn below the grid and left of it.
        auto inkIn = [&](const QRect& r) {
            int n = 0;
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = r.left(); x <= r.right(); ++x) n += qGray(img.pixel(x, y)) < 160;
            return n;
        };
        QVERIFY(inkIn(QRect(first.left(), last.bottom() + 6, last.right() - first.left(), 30)) >
                30);
        QVERIFY(inkIn(QRect(0, first.top(), first.left() - 4, last.bottom() - first.top())) > 30);
    }
}

void TestStatisticsView::noClasses() {
    StatisticsView v;
    v.setup({}, {"input", "hidden"});
    QVERIFY(v.confusionCellRect(QSize(300, 300), 0, 0).isNull());
    QVERIFY(v.addResult(-1, -1, {10.0, 2.0}));
    const QImage img = v.renderConfusion(QSize(300, 240));
    int ink = 0;
    for (int y = 100; y < 140; ++y)
        for (int x = 0; x < 300; ++x) ink += qGray(img.pixel(x, y)) < 200;
    QVERIFY(ink > 50); // the "no classes" note in the middle
}

void TestStatisticsView::pngAndSvgExport() {
    StatisticsView v;
    v.setup(kFashion, {"input", "hidden", "output"});
    for (int i = 0; i < 300; ++i)
        v.addResult(i % 10, (i * 7) % 13 < 10 ? i % 10 : (i + 3) % 10,
                    {700.0 + i % 50, 120.0 + i % 17, 10.0 + i % 5});
    v.resize(800, 400);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QTemporaryDir dir;
    QString error;
    const QString png = dir.filePath("stats.png");
    QVERIFY2(v.exportPng(png, &error), qPrintable(error));
    const QImage image(png);
    QCOMPARE(image.size(), v.size());
    // The matrix is in the picture (left half): its dark diagonal cells.
    int darkBlue = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width() / 2; ++x) {
            const QRgb c = image.pixel(x, y);
            darkBlue += qBlue(c) > qRed(c) + 60 && qGray(c) < 120;
        }
    QVERIFY2(darkBlue > 500, qPrintable(QString::number(darkBlue)));

    const QString svg = dir.filePath("stats.svg");
    QVERIFY2(v.exportSvg(svg, &error), qPrintable(error));
    const QString text = readText(svg);
    QVERIFY(text.contains("<title>Run statistics</title>"));
    // Vector drawing throughout: cells as rectangles, curves as line strokes, no bitmaps.
    QVERIFY(!text.contains("<image"));
    QVERIFY(text.count("<rect") >= 100);
    QVERIFY(text.count("<polyline") + text.count("<path") >= 3);
    for (const QAbstractSeries* s : v.spikeChart()->series()) {
        const QString colour = static_cast<const QLineSeries*>(s)->color().name();
        QVERIFY2(text.contains(QStringLiteral("stroke=\"%1\"").arg(colour)), qPrintable(colour));
    }
    QVERIFY(text.contains("Confusion matrix"));
    QVERIFY(text.contains("Ankle boot"));
    QVERIFY(text.contains("Spikes per sample"));
    QVERIFY(text.contains(v.accuracyText()));

    const QString bad = dir.filePath("missing/stats.svg");
    QVERIFY(!v.exportSvg(bad, &error));
    QVERIFY2(error.contains(bad), qPrintable(error));
    QVERIFY(!QFile::exists(bad));
}

void TestStatisticsView::countsStartAgainWithAMarker() {
    StatisticsView v;
    v.setup({"cat", "dog"}, {"output"});
    QVERIFY(v.addResult(0, 0, {3.0}));
    QVERIFY(v.addResult(1, 0, {4.0}));
    v.resetCounts("out.Vthr = 2");
    QCOMPARE(v.scored(), 0);
    QCOMPARE(v.presentedSinceReset(), 0);
    QCOMPARE(v.confusion(0, 0), 0);
    QCOMPARE(v.presented(), 2); // the chart's count goes on
    QCOMPARE(v.accuracyText(), QStringLiteral("Accuracy \u2014 (no samples yet) since out.Vthr = 2"));
    QCOMPARE(v.markers().size(), std::size_t(1));
    QCOMPARE(v.markers().front().sample, 2.5);
    // A second reset before any sample renames the same line.
    v.resetCounts("out.Vthr = 3");
    QCOMPARE(v.markers().size(), std::size_t(1));
    QCOMPARE(v.markers().front().reason, QString("out.Vthr = 3"));
    // A sample that ran under both values: charted, not counted.
    StatisticsView::Result mixed{1, 1, {5.0}, false};
    QVERIFY(v.addResults({mixed}));
    QCOMPARE(v.scored(), 0);
    QCOMPARE(v.spikeHistory().size(), std::size_t(3));
    QVERIFY(v.addResult(1, 1, {6.0}));
    v.setPass(2, "test");
    QCOMPARE(v.accuracyText(),
             QStringLiteral("Accuracy 100.0% (1/1) since out.Vthr = 3 \u00b7 pass 2 of the test set"));
    v.setPass(1, "train");
    QVERIFY(v.accuracyText().endsWith("pass 1 of the training set"));
    // The line is drawn as a dashed series from 0 to the top of the axis.
    QLineSeries* line = nullptr;
    for (auto* s : v.spikeChart()->series())
        if (s->name() == "out.Vthr = 3") line = static_cast<QLineSeries*>(s);
    QVERIFY(line);
    QCOMPARE(line->pen().style(), Qt::DashLine);
    QCOMPARE(line->at(0), QPointF(2.5, 0.0));
    QCOMPARE(line->at(1).x(), 2.5);
    // Lines that scroll out of the window go.
    for (int i = 0; i < StatisticsView::kHistory; ++i) QVERIFY(v.addResult(0, 0, {1.0}));
    QVERIFY(v.markers().empty());
    v.setup({"cat", "dog"}, {"output"});
    QVERIFY(v.accuracyText() == QStringLiteral("Accuracy \u2014 (no samples yet)"));
}

QTEST_MAIN(TestStatisticsView)
#include "test_statistics_view.moc"
