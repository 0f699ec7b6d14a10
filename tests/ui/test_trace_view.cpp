// TraceView: what is stored and drawn for traced neurons, the scrolling window, the threshold
// line, the y axis, CSV/PNG/SVG export and its errors, the controls, and the cost of a frame.
#include "trace_view.h"

#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

using spikelab::StateSample;
using spikelab::ui::TraceView;

namespace {

using Neurons = std::vector<std::int64_t>;

// One sample per step in [from, to); neuron n at step s has value f(n, s).
template <typename F>
std::vector<StateSample> samples(std::int64_t from, std::int64_t to, const Neurons& neurons, F f) {
    std::vector<StateSample> out;
    for (std::int64_t s = from; s < to; ++s) {
        StateSample sample{s, {}};
        for (std::int64_t n : neurons) sample.values.push_back(f(n, s));
        out.push_back(std::move(sample));
    }
    return out;
}

float wave(std::int64_t n, std::int64_t s) {
    return float(std::sin(double(s) * 0.05 + double(n)) * 0.4 + 0.5);
}

// `c` is `curve` blended with white by antialiasing: every channel lies the same fraction (at
// least 40%) of the way from white to the curve's colour.
bool drawnIn(QRgb c, const QColor& curve) {
    const double r = (255.0 - qRed(c)) / (255.0 - curve.red());
    const double g = (255.0 - qGreen(c)) / (255.0 - curve.green());
    const double b = (255.0 - qBlue(c)) / (255.0 - curve.blue());
    return std::min({r, g, b}) > 0.4 && std::max({r, g, b}) - std::min({r, g, b}) < 0.2;
}

QValueAxis* axis(const TraceView& v, Qt::Orientation o) {
    return qobject_cast<QValueAxis*>(v.chart()->axes(o).front());
}

QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

// Pixels of the threshold's grey along the row where the chart draws value y.
int thresholdPixelsAt(const TraceView& v, double y) {
    auto* view = v.findChild<QChartView*>();
    const QImage img = view->grab().toImage();
    const QRectF plot = v.chart()->plotArea();
    const QPointF pos = v.chart()->mapToPosition(QPointF(plot.center().x(), y));
    const QPoint px = view->mapFromScene(v.chart()->mapToScene(pos));
    int n = 0;
    for (int x = int(plot.left()) + 2; x < int(plot.right()) - 2; ++x)
        for (int dy = -1; dy <= 1; ++dy) {
            const QRgb c = img.pixel(x, px.y() + dy);
            if (qGray(c) < 150 && std::abs(qRed(c) - qBlue(c)) < 25) {
                ++n;
                break;
            }
        }
    return n;
}

} // namespace

class TestTraceView : public QObject {
    Q_OBJECT
private slots:
    void storesExactlyWhatWasAdded();
    void onlyTracedNeuronsAreKept();
    void ninthNeuronDropsTheOldest();
    void windowBoundsMemory();
    void thresholdLine();
    void curvesFollowTheWindow();
    void yAxisExpandsAndRefits();
    void csvExport();
    void pngAndSvgExport();
    void exportErrors();
    void hintAndControls();
    void frameTiming();
};

void TestTraceView::storesExactlyWhatWasAdded() {
    TraceView v;
    v.setPopulation("hidden", 128, 0.5, "V", "mV", 1.0, "Vthr");
    QSignalSpy spy(&v, &TraceView::neuronsChanged);
    QVERIFY(v.addNeuron(12));
    QVERIFY(v.addNeuron(40));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).value<Neurons>(), (Neurons{12, 40}));
    QCOMPARE(v.neurons(), (Neurons{12, 40}));
    QCOMPARE(v.seriesName(12), QStringLiteral("neuron 12"));

    const Neurons sampled{40, 7, 12};
    const std::vector<StateSample> first{{3, {0.25f, 9.0f, -0.125f}}, {4, {0.3f, 9.0f, 0.1f}}};
    v.addSamples(first, sampled);
    // A repeated step is ignored; the next one is taken.
    const std::vector<StateSample> second{{4, {5.0f, 5.0f, 5.0f}}, {7, {1e-7f, 0.f, 0.75f}}};
    v.addSamples(second, sampled);

    using P = TraceView::Point;
    QCOMPARE(v.storedSamples(12), (std::vector<P>{{3, -0.125f}, {4, 0.1f}, {7, 0.75f}}));
    QCOMPARE(v.storedSamples(40), (std::vector<P>{{3, 0.25f}, {4, 0.3f}, {7, 1e-7f}}));
    const QList<QPointF> drawn = v.seriesPoints(12);
    QCOMPARE(drawn.size(), 3);
    QCOMPARE(drawn[0], QPointF(1.5, double(-0.125f)));
    QCOMPARE(drawn[2], QPointF(3.5, double(0.75f)));
    QCOMPARE(v.storedSampleCount(), std::size_t(6));
}

void TestTraceView::onlyTracedNeuronsAreKept() {
    TraceView v;
    v.setPopulation("hidden", 128, 1.0, "V", "mV", std::nullopt, QString());
    v.addNeuron(5);
    // Samples for neurons not traced (and a short sample) are ignored.
    v.addSamples(samples(0, 10, {1, 2, 3}, wave), {1, 2, 3});
    QVERIFY(v.storedSamples(5).empty());
    QVERIFY(v.storedSamples(1).empty());
    const std::vector<StateSample> shortSample{{10, {0.5f}}};
    v.addSamples(shortSample, {1, 5});
    QVERIFY(v.storedSamples(5).empty());

    v.addSamples(samples(11, 20, {1, 5}, wave), {1, 5});
    QCOMPARE(v.storedSamples(5).size(), std::size_t(9));
    QCOMPARE(v.storedSamples(5).front().value, wave(5, 11));
    QCOMPARE(v.storedSampleCount(), std::size_t(9));

    // A removed neuron's data goes; samples for it are no longer kept.
    QVERIFY(v.removeNeuron(5));
    QVERIFY(!v.removeNeuron(5));
    v.addSamples(samples(20, 30, {5}, wave), {5});
    QCOMPARE(v.storedSampleCount(), std::size_t(0));
    QVERIFY(v.chart()->series().size() == 1); // only the (hidden) threshold line is left
}

void TestTraceView::ninthNeuronDropsTheOldest() {
    TraceView v;
    v.setPopulation("hidden", 100, 1.0, "V", "mV", 1.0, "Vthr");
    QSignalSpy spy(&v, &TraceView::neuronsChanged);
    for (std::int64_t n = 0; n < 8; ++n) QVERIFY(v.addNeuron(n * 10));
    std::set<QRgb> colours;
    for (std::int64_t n : v.neurons()) colours.insert(v.neuronColour(n).rgb());
    QCOMPARE(colours.size(), std::size_t(8));
    const QColor firstColour = v.neuronColour(0);

    QVERIFY(v.addNeuron(99));
    QCOMPARE(v.neurons(), (Neurons{10, 20, 30, 40, 50, 60, 70, 99}));
    QCOMPARE(v.neuronColour(99), firstColour); // the freed colour is reused
    QCOMPARE(v.chart()->series().size(), 9);   // eight traces and the threshold
    QCOMPARE(spy.count(), 9);
    QCOMPARE(spy.last().at(0).value<Neurons>(), v.neurons());

    // Already traced, out of range, negative: no change, no signal.
    QVERIFY(v.addNeuron(50));
    QVERIFY(!v.addNeuron(100));
    QVERIFY(!v.addNeuron(-1));
    QCOMPARE(spy.count(), 9);

    v.clearNeurons();
    QVERIFY(v.neurons().empty());
    QCOMPARE(spy.count(), 10);
    QVERIFY(spy.last().at(0).value<Neurons>().empty());
    v.clearNeurons(); // nothing to clear: no signal
    QCOMPARE(spy.count(), 10);

    // A new population clears the set and says so.
    v.addNeuron(3);
    v.setPopulation("output", 10, 1.0, "V", "mV", 1.0, "Vthr");
    QVERIFY(v.neurons().empty());
    QCOMPARE(spy.count(), 12);
    QVERIFY(!v.addNeuron(10));
}

void TestTraceView::windowBoundsMemory() {
    TraceView v;
    v.setPopulation("hidden", 128, 0.1, "V", "mV", 1.0, "Vthr");
    const Neurons traced{0, 1, 2, 3, 4, 5, 6, 7};
    for (std::int64_t n : traced) v.addNeuron(n);
    Neurons sampled = traced;
    sampled.push_back(100); // sampled, not traced
    std::size_t maxStored = 0;
    for (std::int64_t frame = 0; frame < 1000; ++frame) {
        v.addSamples(samples(frame * 100, frame * 100 + 100, sampled, wave), sampled);
        maxStored = std::max(maxStored, v.storedSampleCount());
    }
    QCOMPARE(v.windowSteps(), 1000);
    QCOMPARE(maxStored, std::size_t(8 * 1000));
    QCOMPARE(v.headStep(), 99999);
    QCOMPARE(v.windowStart(), 99000);
    const auto kept = v.storedSamples(3);
    QCOMPARE(kept.size(), std::size_t(1000));
    QCOMPARE(kept.front().step, 99000);
    QCOMPARE(kept.back().value, wave(3, 99999));
    QCOMPARE(v.seriesPoints(7).size(), 1000);
    QCOMPARE(axis(v, Qt::Horizontal)->min(), 9900.0);
    QCOMPARE(axis(v, Qt::Horizontal)->max(), 99999 * 0.1);

    // A narrower window drops what falls out of it at once.
    v.setWindowSteps(200);
    QCOMPARE(v.storedSampleCount(), std::size_t(8 * 200));
    QCOMPARE(v.seriesPoints(0).size(), 200);
    QCOMPARE(v.seriesPoints(0).front().x(), 99800 * 0.1);
}

void TestTraceView::thresholdLine() {
    TraceView v;
    v.setPopulation("hidden", 128, 1.0, "V", "mV", 1.0, "Vthr");
    v.addNeuron(3);
    v.resize(700, 360);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.addSamples(samples(0, 500, {3},
                         [](std::int64_t, std::int64_t s) {
                             return float(s % 100) * 0.008f; // ramps 0 .. 0.79, below threshold
                         }),
                 {3});
    QVERIFY(v.thresholdShown());
    QCOMPARE(v.thresholdPen().style(), Qt::DashLine);
    QCOMPARE(v.thresholdPoints(), (QList<QPointF>{{0.0, 1.0}, {999.0, 1.0}}));
    auto* series = qobject_cast<QLineSeries*>(v.chart()->series().front());
    QCOMPARE(series->name(), QStringLiteral("threshold Vthr"));
    QVERIFY(v.chart()->legend()->markers(series).front()->isVisible());

    // Drawn where 1.0 is, dashed (gaps between dashes), and not where 0.9 is.
    QTest::qWait(20);
    const QRectF plot = v.chart()->plotArea();
    const int at1 = thresholdPixelsAt(v, 1.0);
    QVERIFY2(at1 > int(plot.width() * 0.4) && at1 < int(plot.width() * 0.9),
             qPrintable(QStringLiteral("%1 of %2").arg(at1).arg(plot.width())));
    QCOMPARE(thresholdPixelsAt(v, 0.9), 0);

    // The slider moves it; the y axis grows to hold it.
    v.setThreshold(1.6);
    QCOMPARE(v.threshold(), std::optional<double>(1.6));
    QCOMPARE(v.thresholdPoints().front().y(), 1.6);
    QVERIFY(axis(v, Qt::Vertical)->max() >= 1.6);
    QTest::qWait(20);
    QVERIFY(thresholdPixelsAt(v, 1.6) > int(plot.width() * 0.4));
    QCOMPARE(thresholdPixelsAt(v, 1.0), 0);

    // It follows the window as time goes on.
    v.addSamples(samples(500, 1500, {3}, wave), {3});
    QCOMPARE(v.thresholdPoints(), (QList<QPointF>{{500.0, 1.6}, {1499.0, 1.6}}));

    // A model without a threshold shows none.
    v.setPopulation("input", 784, 1.0, "V", "mV", std::nullopt, QString());
    QVERIFY(!v.thresholdShown());
    QVERIFY(!v.chart()->legend()->markers(series).front()->isVisible());
}

void TestTraceView::curvesFollowTheWindow() {
    TraceView v;
    v.setPopulation("hidden", 10, 1.0, "V", "mV", std::nullopt, QString());
    v.setWindowSteps(100);
    v.addNeuron(1);
    v.addNeuron(2);
    v.resize(600, 320);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    auto* view = v.findChild<QChartView*>();
    // Pixels of `neuron`'s colour in the chart's row for value y.
    auto colourAt = [&](std::int64_t neuron, double y) {
        const QImage img = view->grab().toImage();
        const QRectF plot = v.chart()->plotArea();
        const QPoint row =
            view->mapFromScene(v.chart()->mapToScene(v.chart()->mapToPosition({0.0, y})));
        const QColor want = v.neuronColour(neuron);
        auto near = [&](QRgb c) { return drawnIn(c, want); };
        int n = 0;
        for (int x = int(plot.left()) + 2; x < int(plot.right()) - 2; ++x)
            n += near(img.pixel(x, row.y() - 1)) || near(img.pixel(x, row.y())) ||
                 near(img.pixel(x, row.y() + 1));
        return n;
    };
    v.addSamples(
        samples(0, 100, {1, 2}, [](std::int64_t n, std::int64_t) { return n == 1 ? 0.2f : 0.6f; }),
        {1, 2});
    QTest::qWait(20);
    QVERIFY(colourAt(1, 0.2) > 100);
    QVERIFY(colourAt(2, 0.6) > 100);
    // The window scrolls by a whole width: neuron 1 moves to 0.8; neuron 2 is no longer sampled.
    v.addSamples(samples(100, 200, {1}, [](std::int64_t, std::int64_t) { return 0.8f; }), {1});
    QCOMPARE(v.windowStart(), 100);
    QVERIFY(v.seriesPoints(2).isEmpty());
    QTest::qWait(20);
    QVERIFY(colourAt(1, 0.8) > 100);
    QCOMPARE(colourAt(1, 0.2), 0);
    QCOMPARE(colourAt(2, 0.6), 0);
}

void TestTraceView::yAxisExpandsAndRefits() {
    TraceView v;
    v.setPopulation("hidden", 10, 1.0, "V", "mV", -50.0, "Vthresh");
    QCOMPARE(axis(v, Qt::Vertical)->titleText(), QStringLiteral("V (mV)"));
    v.addNeuron(1);
    v.addNeuron(2);
    v.addSamples(samples(0, 100, {1, 2},
                         [](std::int64_t n, std::int64_t s) {
                             return n == 1 ? -70.0f + float(s) * 0.1f : -65.0f;
                         }),
                 {1, 2});
    QValueAxis* y = axis(v, Qt::Vertical);
    const double lo = y->min(), hi = y->max();
    QVERIFY2(lo <= -70.0 && lo > -80.0 && hi >= -50.0 && hi < -40.0,
             qPrintable(QStringLiteral("%1 .. %2").arg(lo).arg(hi)));

    // Values inside the range leave it alone; a larger one grows only its side.
    v.addSamples(samples(100, 200, {1, 2}, [](std::int64_t, std::int64_t) { return -60.0f; }),
                 {1, 2});
    QCOMPARE(y->min(), lo);
    QCOMPARE(y->max(), hi);
    const std::vector<StateSample> peak{{200, {-20.0f, -60.0f}}};
    v.addSamples(peak, {1, 2});
    QCOMPARE(y->min(), lo);
    QVERIFY(y->max() >= -20.0 && y->max() <= 0.0);

    // Removing the neuron with the peak fits the axis to what is left.
    v.removeNeuron(1);
    QVERIFY2(y->max() < -40.0 && y->min() >= -70.0,
             qPrintable(QStringLiteral("%1 .. %2").arg(y->min()).arg(y->max())));
    QVERIFY(y->min() <= -65.0 && y->max() >= -50.0);
}

void TestTraceView::csvExport() {
    TraceView v;
    v.setPopulation("hidden", 128, 0.1, "V", "mV", 1.0, "Vthr");
    v.setWindowSteps(5);
    v.addNeuron(12);
    const std::vector<StateSample> a{{0, {9.0f}}, {1, {0.5f}}, {2, {-0.25f}}};
    v.addSamples(a, {12});
    v.addNeuron(3); // traced from step 3 on
    const std::vector<StateSample> b{{3, {0.1f, 1.0f}}, {5, {0.75f, 1e-6f}}};
    v.addSamples(b, {3, 12});
    QTemporaryDir dir;
    const QString path = dir.filePath("traces.csv");
    QString error;
    QVERIFY2(v.exportCsv(path, &error), qPrintable(error));
    // The window holds steps 1..5; step 0 scrolled out; neuron 3 has no sample before step 3.
    QCOMPARE(readText(path), QStringLiteral("step,time_ms,neuron_12,neuron_3\n"
                                            "1,0.1,0.5,\n"
                                            "2,0.2,-0.25,\n"
                                            "3,0.3,1,0.1\n"
                                            "5,0.5,1e-06,0.75\n"));
}

void TestTraceView::pngAndSvgExport() {
    TraceView v;
    v.setPopulation("hidden", 128, 1.0, "V", "mV", 1.0, "Vthr");
    v.addNeuron(12);
    v.addNeuron(77);
    v.resize(640, 320);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.addSamples(samples(0, 1000, {12, 77}, wave), {12, 77});
    QTemporaryDir dir;
    QString error;
    const QString png = dir.filePath("traces.png");
    QVERIFY2(v.exportPng(png, &error), qPrintable(error));
    const QImage image(png);
    QCOMPARE(image.size(), v.findChild<QChartView*>()->size());
    // Both trace colours appear in the picture.
    for (std::int64_t n : {12, 77}) {
        int hits = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                hits += drawnIn(image.pixel(x, y), v.neuronColour(n));
        QVERIFY2(hits > 50, qPrintable(QStringLiteral("neuron %1: %2 pixels").arg(n).arg(hits)));
    }

    const QString svg = dir.filePath("traces.svg");
    QVERIFY2(v.exportSvg(svg, &error), qPrintable(error));
    const QString text = readText(svg);
    QVERIFY(text.startsWith("<?xml"));
    QVERIFY(text.count("<polyline") + text.count("<path") >= 3);
    for (std::int64_t n : {12, 77}) // each curve is stroked in its colour
        QVERIFY(text.contains(QStringLiteral("stroke=\"%1\"").arg(v.neuronColour(n).name())));
    QVERIFY(text.contains("<title>V of population hidden</title>"));
    QVERIFY(text.contains("neuron 77"));
    QVERIFY(text.contains("threshold Vthr"));
    QVERIFY(!text.contains("<image")); // vector, not a picture of the chart
    QVERIFY(text.size() > 20000);
}

void TestTraceView::exportErrors() {
    TraceView v;
    QTemporaryDir dir;
    QString error;
    const QString path = dir.filePath("traces.csv");
    // Nothing traced: nothing to export.
    QVERIFY(!v.exportCsv(path, &error));
    QVERIFY2(error.contains(path) && error.contains("no neuron"), qPrintable(error));
    QVERIFY(!QFile::exists(path));

    v.setPopulation("hidden", 128, 1.0, "V", "mV", 1.0, "Vthr");
    v.addNeuron(1);
    const std::vector<StateSample> s{{0, {0.5f}}};
    v.addSamples(s, {1});
    v.resize(400, 300);
    const QString missing = dir.filePath("no/such/folder/traces");
    const QStringList suffixes{".csv", ".png", ".svg"};
    for (const QString& suffix : suffixes) {
        const QString target = missing + suffix;
        error.clear();
        const bool ok = suffix == QStringLiteral(".csv")   ? v.exportCsv(target, &error)
                        : suffix == QStringLiteral(".png") ? v.exportPng(target, &error)
                                                           : v.exportSvg(target, &error);
        QVERIFY(!ok);
        QVERIFY2(error.startsWith(QStringLiteral("cannot write \"%1\": ").arg(target)) &&
                     error.size() > target.size() + 18,
                 qPrintable(error));
        QVERIFY(!QFile::exists(target));
    }
    // A folder where the file should go.
    QVERIFY(!v.exportCsv(dir.path(), &error));
    QVERIFY2(error.contains(dir.path()), qPrintable(error));
    QVERIFY(QFileInfo(dir.path()).isDir());
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 0);
}

void TestTraceView::hintAndControls() {
    TraceView v;
    v.resize(500, 300);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    QVERIFY(v.showsHint());
    bool hintFound = false;
    for (QLabel* l : v.findChildren<QLabel*>())
        hintFound =
            hintFound ||
            (l->isVisible() && l->text().startsWith("Click a raster row or type a neuron index"));
    QVERIFY(hintFound);
    auto* box = v.findChild<QSpinBox*>();
    QPushButton* add = nullptr;
    QPushButton* clear = nullptr;
    for (QPushButton* b : v.findChildren<QPushButton*>()) (b->text() == "Add" ? add : clear) = b;
    QVERIFY(box && add && clear);
    QVERIFY(!add->isEnabled() && !box->isEnabled());

    v.setPopulation("hidden", 128, 1.0, "V", "mV", 1.0, "Vthr");
    QVERIFY(add->isEnabled());
    QCOMPARE(box->maximum(), 127);
    QSignalSpy spy(&v, &TraceView::neuronsChanged);
    box->setValue(42);
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(v.neurons(), (Neurons{42}));
    QCOMPARE(spy.count(), 1);
    QVERIFY(!v.showsHint());
    QVERIFY(clear->isEnabled());
    QTest::mouseClick(clear, Qt::LeftButton);
    QVERIFY(v.neurons().empty());
    QVERIFY(v.showsHint());
    QVERIFY(!clear->isEnabled());
}

void TestTraceView::frameTiming() {
    // A 60 Hz frame at about 1000 steps/s: 16 new steps for 8 neurons over a 1000-step window.
    TraceView v;
    v.setPopulation("hidden", 128, 1.0, "V", "mV", 1.0, "Vthr");
    const Neurons traced{0, 1, 2, 3, 4, 5, 6, 7};
    for (std::int64_t n : traced) v.addNeuron(n);
    v.resize(800, 400);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    v.addSamples(samples(0, 1000, traced, wave), traced);
    v.repaint();
    const int frames = 60;
    QElapsedTimer timer;
    timer.start();
    for (int f = 0; f < frames; ++f) {
        v.addSamples(samples(1000 + f * 16, 1016 + f * 16, traced, wave), traced);
        QCoreApplication::processEvents(); // deferred chart layout and updates
        v.repaint();
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6 / frames;
    qInfo("addSamples + repaint, 8 neurons x 1000 points, 800x400: %.2f ms per frame", ms);
    QCOMPARE(v.seriesPoints(7).size(), 1000);
    QVERIFY2(ms < 100.0, qPrintable(QString::number(ms)));
}

QTEST_MAIN(TestTraceView)
#include "test_trace_view.moc"
