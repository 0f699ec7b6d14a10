// The statistics and traces as a class uses them (issue 12, items 9 and 12), with real mouse
// and key events: the Reset button starts the counts again; a parameter typed in (or undone)
// starts them again by itself and marks the place in the spikes-per-sample chart, leaving out
// the sample that ran under both values; the accuracy line says which pass over the data set
// the run is in; IF traces can be clipped to around the threshold; a network without a
// readout shows neither a confusion matrix nor a prediction to wait for.
#include "main_window.h"

#include "event_data.h"
#include "inspector.h"
#include "parameter_panel.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "trace_view.h"
#include "wait_for.h"
#include "window_steps.h"
#include "widget_input.h"

#include "spikelab/project.h"

#include <QChart>
#include <QCheckBox>
#include <QSplitter>
#include <QValueAxis>
#include <QLineSeries>
#include <QSettings>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

std::int64_t confusionTotal(const StatisticsView& stats) {
    std::int64_t total = 0;
    for (int l = 0; l < int(stats.classNames().size()); ++l)
        for (int p = 0; p < int(stats.classNames().size()); ++p) total += stats.confusion(l, p);
    return total;
}

// The chart's dashed marker lines: (where, name), oldest first.
std::vector<std::pair<double, QString>> markerLines(const StatisticsView& stats) {
    std::vector<std::pair<double, QString>> lines;
    for (auto* series : stats.spikeChart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(series);
        if (!line || line->pen().style() != Qt::DashLine || line->count() != 2) continue;
        if (line->at(0).x() != line->at(1).x()) continue;
        lines.emplace_back(line->at(0).x(), line->name());
    }
    return lines;
}

} // namespace

class TestTeachingStatistics : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabStatisticsTest");
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        // The tests step as fast as the engine goes; the window opens at a teaching speed.
        QSettings().setValue("simulation/speed", 0.0);
    }
    void resetButtonStartsTheCountsAgain();
    void parameterChangeStartsTheCountsAgainWithAMarker();
    void accuracyLineSaysWhichPass();
    void traceClipsToAroundTheThreshold();
    void networkWithoutReadoutWaitsForNoAnswer();
};

void TestTeachingStatistics::resetButtonStartsTheCountsAgain() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    stepAndWait(w, 300);
    StatisticsView* stats = w.statisticsView();
    QCOMPARE(stats->scored(), std::int64_t(3));
    auto* reset = stats->findChild<QToolButton*>("resetStatistics");
    QVERIFY(reset && reset->isVisible());
    QTest::mouseClick(reset, Qt::LeftButton);
    QCOMPARE(stats->scored(), std::int64_t(0));
    QCOMPARE(confusionTotal(*stats), std::int64_t(0));
    QVERIFY2(stats->accuracyText().startsWith("Accuracy \u2014 (no samples yet) since reset"),
             qPrintable(stats->accuracyText()));
    // The spike history goes on, with the line after the third sample.
    QCOMPARE(stats->spikeHistory().size(), std::size_t(3));
    QVERIFY((markerLines(*stats) == std::vector<std::pair<double, QString>>{{3.5, "reset"}}));
    // Paused between two samples: the next one is the first counted.
    stepAndWait(w, 200);
    QCOMPARE(stats->scored(), std::int64_t(2));
    QCOMPARE(confusionTotal(*stats), std::int64_t(2));
    QCOMPARE(stats->presented(), std::int64_t(5));
}

void TestTeachingStatistics::parameterChangeStartsTheCountsAgainWithAMarker() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    StatisticsView* stats = w.statisticsView();
    stepAndWait(w, 250);
    QCOMPARE(stats->scored(), std::int64_t(2));
    auto* vthr = w.parameterPanel()->spinBox("hidden", "Vthr");
    typeInto(vthr, "4");
    QCOMPARE(stats->scored(), std::int64_t(0));
    QVERIFY2(stats->accuracyText().contains("since hidden.Vthr = 4"),
             qPrintable(stats->accuracyText()));
    QVERIFY((markerLines(*stats) ==
             std::vector<std::pair<double, QString>>{{2.5, "hidden.Vthr = 4"}}));
    // The third sample ran under both values: its spikes are charted, not counted; the fourth
    // and fifth are.
    stepAndWait(w, 250);
    QCOMPARE(stats->spikeHistory().size(), std::size_t(5));
    QCOMPARE(stats->scored(), std::int64_t(2));
    QCOMPARE(confusionTotal(*stats), std::int64_t(2));

    // Two changes with no sample between them make one line, named by the last; so does an
    // undo (Ctrl+Z in the field).
    typeInto(vthr, "4.5");
    typeInto(vthr, "4.25");
    QTest::keyClick(vthr, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY((markerLines(*stats) == std::vector<std::pair<double, QString>>{
                                        {2.5, "hidden.Vthr = 4"}, {5.5, "hidden.Vthr = 4.5"}}));
    QVERIFY2(stats->accuracyText().contains("since hidden.Vthr = 4.5"),
             qPrintable(stats->accuracyText()));
    QCOMPARE(stats->scored(), std::int64_t(0));
}

void TestTeachingStatistics::accuracyLineSaysWhichPass() {
    // Ten recordings of 50 steps: the second pass starts at step 500.
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    test::writeNmnistFolder(test::rowDigits(1), folder / "recordings");
    NetworkSpec spec = test::replayNetwork();
    spec.experiment.dataset.path = "recordings";
    const QString file = dir.filePath("row-digits.json");
    saveProject(file.toStdString(), spec);

    MainWindow w;
    QVERIFY(w.openProject(file));
    w.show();
    StatisticsView* stats = w.statisticsView();
    stepAndWait(w, 500);
    QCOMPARE(stats->presented(), std::int64_t(10));
    QVERIFY2(stats->accuracyText().endsWith("pass 1 of the test set"),
             qPrintable(stats->accuracyText()));
    stepAndWait(w, 50);
    QCOMPARE(stats->presented(), std::int64_t(11));
    QVERIFY2(stats->accuracyText().endsWith("pass 2 of the test set"),
             qPrintable(stats->accuracyText()));
    // The counts go on over both passes until a reset.
    QCOMPARE(stats->scored(), std::int64_t(11));
}

// Issue 12, item 12: the hidden IF neurons dip far below their 5 mV threshold.
void TestTeachingStatistics::traceClipsToAroundTheThreshold() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    RasterView* hidden = w.raster(1);
    const QRect plot = hidden->plotArea(hidden->size());
    for (int y = plot.top(); y < plot.bottom(); y += 9)
        QTest::mouseClick(hidden, Qt::LeftButton, {}, QPoint(plot.center().x(), y));
    TraceView* traces = w.traceView();
    QCOMPARE(traces->neurons().size(), std::size_t(TraceView::kMaxNeurons));
    stepAndWait(w, 300);
    float lowest = 0;
    for (std::int64_t n : traces->neurons())
        for (const auto& p : traces->storedSamples(n)) lowest = std::min(lowest, p.value);
    QVERIFY2(lowest < -20, qPrintable(QString::number(lowest)));
    auto* axis = qobject_cast<QValueAxis*>(traces->chart()->axes(Qt::Vertical).value(0));
    QVERIFY(axis && axis->min() <= lowest);

    auto* clip = traces->findChild<QCheckBox*>("clipToThreshold");
    QVERIFY(clip && clip->isEnabled() && clip->isVisible());
    QTest::mouseClick(clip, Qt::LeftButton, {}, QPoint(8, clip->height() / 2));
    QVERIFY(clip->isChecked());
    // Threshold 5 mV: from 5 - 10 to 5 + 2.5.
    QCOMPARE(axis->min(), -5.0);
    QCOMPARE(axis->max(), 7.5);
    stepAndWait(w, 100); // new dips leave it alone
    QCOMPARE(axis->min(), -5.0);
    // The threshold typed in moves the range with it.
    typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "4");
    QCOMPARE(axis->min(), -4.0);
    QCOMPARE(axis->max(), 6.0);
    QTest::mouseClick(clip, Qt::LeftButton, {}, QPoint(8, clip->height() / 2));
    QVERIFY(!clip->isChecked());
    QVERIFY(axis->min() <= lowest);
}

// Issue 12, item 12: "No readout" chosen in the experiment's inspector.
void TestTeachingStatistics::networkWithoutReadoutWaitsForNoAnswer() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.inspector()->setItem(QString()); // nothing selected: the experiment
    QVERIFY(choose(w.inspector()->field("readout"), QString()));
    QVERIFY(w.spec().experiment.readout.empty());
    QCOMPARE(w.controller()->network().readout, -1);
    stepAndWait(w, 150);

    StatisticsView* stats = w.statisticsView();
    QCOMPARE(stats->presented(), std::int64_t(1));
    auto* splitter = stats->findChild<QSplitter*>();
    QVERIFY(splitter && splitter->widget(0)->isHidden()); // the matrix
    QVERIFY2(!stats->accuracyText().startsWith("Accuracy"), qPrintable(stats->accuracyText()));

    // The sample and its label, and nothing to wait for beside them.
    SampleView* view = w.sampleView();
    QVERIFY(view->hasSample());
    QCOMPARE(view->className(view->label()).isEmpty(), false);
    const QImage shown = view->renderImage(view->size());
    const QRect chart = view->chartRect(view->size());
    const QRgb background = shown.pixel(chart.right() - 1, chart.bottom() - 1);
    int ink = 0;
    for (int y = chart.top(); y <= chart.bottom(); ++y)
        for (int x = chart.left(); x <= chart.right(); ++x) ink += shown.pixel(x, y) != background;
    QCOMPARE(ink, 0);
}

QTEST_MAIN(TestTeachingStatistics)
#include "test_teaching_statistics.moc"
