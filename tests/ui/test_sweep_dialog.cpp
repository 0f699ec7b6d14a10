// SweepDialog: its points equal separate `spikelab-cli run --set` runs of the real binary (on
// images and on event recordings), the
// parameter list comes from the model tables, bad values are refused before anything runs,
// cancelling and closing stop the worker early, and the exports hold the plot and the numbers.
#include "event_data.h"
#include "sweep_dialog.h"
#include "wait_for.h"

#include "spikelab/project.h"

#include <QChart>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

NetworkSpec project() {
    return loadProject(kProject.toStdString());
}

QString projectDirectory() {
    return QString::fromStdString(projectDir(kProject.toStdString()));
}

std::shared_ptr<const ImageDataset> fashion() {
    static const auto data = std::make_shared<const ImageDataset>(
        loadImageDataset("fashion-mnist", "test", std::nullopt));
    return data;
}

// Ten blank 28x28 images: enough for everything that fails before evaluating.
std::shared_ptr<const ImageDataset> blank() {
    auto d = std::make_shared<ImageDataset>();
    d->name = "blank";
    d->count = 10;
    d->rows = d->cols = 28;
    d->pixels.assign(10 * 784, 0);
    d->labels.assign(10, 0);
    return d;
}

// `spikelab-cli run PROJECT --set hidden.Vthr=V --samples N --json`, parsed.
QJsonObject cliRun(const QString& setting, int samples, const QString& projectFile = kProject) {
    QProcess p;
    p.start(SPIKELAB_CLI, {"run", projectFile, "--set", setting, "--samples",
                           QString::number(samples), "--json"});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning() << "spikelab-cli failed:" << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

int pixelsNear(const QImage& image, QColor colour) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) +
                             std::abs(c.blue() - colour.blue()) <
                         40
                     ? 1
                     : 0;
        }
    return n;
}

} // namespace

class TestSweepDialog : public QObject {
    Q_OBJECT
private slots:
    void listsEveryParameterOfTheTables();
    void refusesBadValuesAndSamplesBeforeRunning();
    void pointsEqualSeparateCliRuns();
    void eventRecordingsSweepLikeTheCli();
    void cancelStopsEarly();
    void closingMidSweepCancelsAndJoins();
    void exportsHoldThePlotAndTheNumbers();
};

void TestSweepDialog::listsEveryParameterOfTheTables() {
    SweepDialog d(project(), projectDirectory(), blank());
    QCOMPARE(d.parameters(),
             QStringList({"input.Vthr", "hidden.Vthr", "output.Vthr", "pixels.scale",
                          "pixels.normalise", "experiment.steps_per_sample"}));
}

void TestSweepDialog::refusesBadValuesAndSamplesBeforeRunning() {
    SweepDialog d(project(), projectDirectory(), blank());
    QSignalSpy finished(&d, &SweepDialog::finished);
    QVERIFY(!d.start("experiment", "steps_per_sample", {50, 100, 2.5}, 10));
    QVERIFY2(d.statusText().contains("experiment.steps_per_sample, value 2.5"),
             qPrintable(d.statusText()));
    QVERIFY(!d.start("hidden", "Vth", {1.0}, 10));
    QVERIFY2(d.statusText().contains("unknown parameter \"Vth\""), qPrintable(d.statusText()));
    QVERIFY(!d.start("hidden", "Vthr", {}, 10));
    QVERIFY2(d.statusText().contains("has no values"), qPrintable(d.statusText()));
    QVERIFY(!d.start("hidden", "Vthr", {4.0}, 11));
    QVERIFY2(d.statusText().contains("between 1 and 10"), qPrintable(d.statusText()));
    QVERIFY(!d.isRunning());
    QVERIFY(d.points().empty());
    QCOMPARE(finished.count(), 0);

    SweepDialog none(project(), projectDirectory(), nullptr);
    QVERIFY(!none.start("hidden", "Vthr", {4.0}, 1));
    QVERIFY(none.statusText().contains("No test data"));
}

void TestSweepDialog::pointsEqualSeparateCliRuns() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    SweepDialog d(project(), projectDirectory(), fashion());
    QSignalSpy finished(&d, &SweepDialog::finished);
    const std::vector<double> values = {3.0, 4.5, 7.0};
    QVERIFY(d.start("hidden", "Vthr", values, 300));
    QVERIFY(waitFor([&] { return finished.count() == 1; }, 20000));
    QCOMPARE(d.points().size(), values.size());
    QVERIFY2(d.statusText().startsWith("Done: 3 values"), qPrintable(d.statusText()));

    const char* populations[] = {"input", "hidden", "output"};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const SweepPoint& point = d.points()[i];
        const QJsonObject run = cliRun("hidden.Vthr=" + QString::number(values[i], 'g', 17), 300);
        QVERIFY(!run.isEmpty());
        QCOMPARE(point.value, values[i]);
        QCOMPARE(qint64(point.samples), qint64(300));
        QCOMPARE(qint64(point.correct), run["correct"].toInteger());
        QCOMPARE(point.accuracy, run["accuracy"].toDouble());
        const QJsonObject spikes = run["spikes_per_sample"].toObject();
        for (int p = 0; p < 3; ++p)
            QCOMPARE(point.populationSpikes[std::size_t(p)], spikes[populations[p]].toDouble());
    }
    // The plot holds the same numbers: accuracy in percent, spikes per sample.
    const auto series = d.chart()->series();
    const auto* accuracy = qobject_cast<QLineSeries*>(series[0]);
    const auto* spikes = qobject_cast<QLineSeries*>(series[2]);
    QVERIFY(accuracy && spikes);
    QCOMPARE(accuracy->count(), 3);
    QCOMPARE(accuracy->at(1), QPointF(4.5, 100.0 * d.points()[1].accuracy));
    QCOMPARE(spikes->at(2), QPointF(7.0, d.points()[2].spikesPerSample));
    // A lower hidden threshold makes more hidden spikes.
    QVERIFY(d.points()[0].populationSpikes[1] > d.points()[2].populationSpikes[1]);
}

void TestSweepDialog::eventRecordingsSweepLikeTheCli() {
    // An N-MNIST project on recordings written here.
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    test::writeNmnistFolder(test::rowDigits(2), folder / "recordings");
    NetworkSpec spec = test::replayNetwork();
    spec.experiment.dataset.path = "recordings";
    const QString file = dir.filePath("row-digits.json");
    saveProject(file.toStdString(), spec);
    const auto data = std::make_shared<const EventDataset>(
        loadNmnist("test", (folder / "recordings").string()));

    SweepDialog d(spec, dir.path(), data);
    QSignalSpy finished(&d, &SweepDialog::finished);
    const std::vector<double> values = {1.0, 4.0, 1000.0};
    QVERIFY(d.start("out", "Vthr", values, 20));
    QVERIFY(waitFor([&] { return finished.count() == 1; }, 20000));
    QCOMPARE(d.points().size(), values.size());
    QVERIFY(d.chart()->title().contains("20 test recordings"));
    for (std::size_t i = 0; i < values.size(); ++i) {
        const SweepPoint& point = d.points()[i];
        const QJsonObject run = cliRun("out.Vthr=" + QString::number(values[i], 'g', 17), 20, file);
        QVERIFY(!run.isEmpty());
        QCOMPARE(qint64(point.correct), run["correct"].toInteger());
        const QJsonObject spikes = run["spikes_per_sample"].toObject();
        QCOMPARE(point.populationSpikes[0], spikes["events"].toDouble());
        QCOMPARE(point.populationSpikes[1], spikes["out"].toDouble());
    }
    // Low thresholds read every row right; a threshold no row reaches leaves the output silent.
    QCOMPARE(d.points()[0].accuracy, 1.0);
    QCOMPARE(d.points()[2].populationSpikes[1], 0.0);
}

void TestSweepDialog::cancelStopsEarly() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    SweepDialog d(project(), projectDirectory(), fashion());
    QSignalSpy finished(&d, &SweepDialog::finished);
    std::vector<double> values;
    for (int i = 0; i < 40; ++i) values.push_back(2.0 + 0.25 * i);
    QVERIFY(d.start("hidden", "Vthr", values, 2000));
    QVERIFY(!d.start("hidden", "Vthr", values, 2000)); // one sweep at a time
    QVERIFY(d.statusText().contains("already running"));
    // The first point of 2,000 images: well under a second in a release build, over 20 s under
    // ThreadSanitizer on a loaded 2-core machine; the wait ends as soon as it is there.
    QVERIFY(waitFor([&] { return !d.points().empty(); }, 120000));
    QElapsedTimer t;
    t.start();
    d.cancel();
    QVERIFY(waitFor([&] { return finished.count() == 1; }, 5000));
    QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    QVERIFY(d.points().size() < values.size());
    QVERIFY2(d.statusText().startsWith("Cancelled:"), qPrintable(d.statusText()));
    QVERIFY(d.statusText().contains(QString("of %1 values done").arg(values.size())));
    // The finished points are kept and are the first values.
    QCOMPARE(d.points().front().value, 2.0);
}

void TestSweepDialog::closingMidSweepCancelsAndJoins() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    auto* d = new SweepDialog(project(), projectDirectory(), fashion());
    d->show();
    std::vector<double> values(40, 5.0);
    QVERIFY(d->start("hidden", "Vthr", values, 2000));
    QVERIFY(waitFor([&] { return !d->points().empty(); }, 120000));  // as in cancelStopsEarly
    d->close();
    QVERIFY(!d->isRunning()); // joined by close(), not later
    QVERIFY(!d->isVisible());
    QVERIFY(d->points().size() < values.size());
    delete d;
    QTest::qWait(20); // queued reports of the ended worker must not reach the deleted dialog

    // Deleting a dialog with a sweep in progress joins it too.
    auto* e = new SweepDialog(project(), projectDirectory(), fashion());
    QVERIFY(e->start("hidden", "Vthr", values, 2000));
    QElapsedTimer t;
    t.start();
    delete e;
    QVERIFY(t.elapsed() < 2000);
    QTest::qWait(20);
}

void TestSweepDialog::exportsHoldThePlotAndTheNumbers() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    SweepDialog d(project(), projectDirectory(), fashion());
    d.show();
    QSignalSpy finished(&d, &SweepDialog::finished);
    QVERIFY(d.start("hidden", "Vthr", {3.0, 5.0, 7.0}, 200));
    QVERIFY(waitFor([&] { return finished.count() == 1; }, 20000));
    QTemporaryDir dir;

    const QString csv = dir.filePath("sweep.csv");
    QVERIFY(d.exportCsv(csv));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QString("hidden.Vthr,accuracy,correct,samples,spikes_per_sample,"
                               "input_spikes_per_sample,hidden_spikes_per_sample,"
                               "output_spikes_per_sample,seconds"));
    for (int i = 0; i < 3; ++i) {
        const SweepPoint& p = d.points()[std::size_t(i)];
        const QStringList cells = lines[i + 1].split(',');
        QCOMPARE(cells.size(), 9);
        QCOMPARE(cells[0].toDouble(), p.value);
        QCOMPARE(cells[1].toDouble(), p.accuracy);
        QCOMPARE(cells[2].toLongLong(), qlonglong(p.correct));
        QCOMPARE(cells[3].toLongLong(), qlonglong(200));
        QCOMPARE(cells[4].toDouble(), p.spikesPerSample);
        QCOMPARE(cells[6].toDouble(), p.populationSpikes[1]);
    }

    const QString png = dir.filePath("sweep.png");
    QVERIFY(d.exportPng(png));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 960 && image.height() >= 640);
    // Both curves are drawn in their colours (accuracy blue, spikes orange).
    QVERIFY(pixelsNear(image, QColor(31, 119, 180)) > 500);
    QVERIFY(pixelsNear(image, QColor(214, 110, 20)) > 500);

    const QString svg = dir.filePath("sweep.svg");
    QVERIFY(d.exportSvg(svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray drawing = svgFile.readAll();
    QVERIFY(drawing.contains("<svg"));
    QVERIFY(drawing.contains("spikes per sample"));

    // A folder that does not exist: refused with the path in the message, nothing written.
    QVERIFY(!d.exportCsv(dir.filePath("missing/sweep.csv")));
    QVERIFY2(d.statusText().contains("Cannot write") &&
                 d.statusText().contains("missing/sweep.csv"),
             qPrintable(d.statusText()));
}

QTEST_MAIN(TestSweepDialog)
#include "test_sweep_dialog.moc"
