// The workbench window on the default project: rasters receive exactly the engine's spikes,
// the sample browser follows the presentation, screenshots render, closing mid-run stops the
// simulation thread.
#include "main_window.h"
#include "raster_view.h"
#include "sample_view.h"
#include "wait_for.h"

#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {
const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!std::filesystem::exists(kFashion))
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        QCoreApplication::setOrganizationName("SpikeLabTest");
    }

    void rastersReceiveExactlyTheRecordedSpikes() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.show();
        auto* c = w.controller();
        c->stepN(200);
        QVERIFY(waitFor([&] { return c->stepsDone() == 200 && !c->isRunning(); }));
        QTest::qWait(30);
        w.pumpFrames();

        const std::string file = kProject.toStdString();
        const auto net = compileNetwork(loadProject(file), projectDir(file));
        const auto data = loadImageDataset("fashion-mnist", "test", std::nullopt, 3);
        auto b = createBackend("cpu", net, {});
        for (int s = 0; s < 2; ++s) {
            b->resetState();
            b->clearInputs();
            encodeSample(*b, data, s, 0);
            b->advance(100);
        }
        for (int p = 0; p < 3; ++p) {
            QVERIFY(w.raster(p));
            const auto want = b->spikes(p, 0).all();
            QCOMPARE(w.raster(p)->totalSpikes(), std::int64_t(want.size()));
            QVERIFY(w.raster(p)->spikesInWindow() == want);
        }
        QVERIFY(w.raster(0)->totalSpikes() > 1000);
        // Stacked rasters share their left edge, so their time axes line up.
        const QSize size(800, 200);
        QCOMPARE(w.raster(2)->plotArea(size).left(), w.raster(0)->plotArea(size).left());
        QCOMPARE(w.raster(1)->plotArea(size).left(), w.raster(0)->plotArea(size).left());
        // Two presentations are done: the browser still shows the second with its answer.
        QCOMPARE(w.sampleView()->sampleIndex(), std::int64_t(1));
        QCOMPARE(w.sampleView()->label(), int(data.labels[1]));
        QVERIFY(w.sampleView()->hasPrediction());
        std::vector<std::uint32_t> counts(10);
        b->spikeCounts(2, 0, counts);
        QCOMPARE(w.sampleView()->predicted(), predictClass(counts));
    }

    void screenshotRendersTheWindow() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.resize(1000, 700);
        w.show();
        w.controller()->stepN(150);
        QVERIFY(waitFor([&] { return w.controller()->stepsDone() == 150; }));
        QTemporaryDir dir;
        const QString png = dir.filePath("shot.png");
        QVERIFY(w.saveScreenshot(png));
        QImage img(png);
        QCOMPARE(img.size(), w.size());
        // Not a blank window: many distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7) colours.insert(img.pixel(x, y));
        QVERIFY(colours.size() > 20);
    }

    void closingDuringARunStopsTheThread() {
        auto* w = new MainWindow;
        QVERIFY(w->openProject(kProject));
        w->show();
        auto* c = w->controller();
        c->run();
        QVERIFY(waitFor([&] { return c->stepsDone() > 300; }));
        QVERIFY(w->close());
        QVERIFY(c->workerFinished());
        delete w;
    }

    void sampleBrowsingActionsSelectSamples() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.show();
        auto trigger = [&](const QString& text) {
            for (auto* a : w.findChildren<QAction*>())
                if (a->text() == text) return a->trigger(), true;
            return false;
        };
        auto shown = [&] {
            w.pumpFrames();
            return w.sampleView()->sampleIndex();
        };
        QVERIFY(waitFor([&] { return shown() == 0; }));
        QVERIFY(trigger("Next sample"));
        QVERIFY(waitFor([&] { return shown() == 1; }));
        QVERIFY(trigger("Previous sample"));
        QVERIFY(trigger("Previous sample"));
        QVERIFY2(waitFor([&] { return shown() == 9999; }), "wraps around to the last test image");
        // A random pick equals the current one once in 10,000 tries: allow a few.
        bool moved = false;
        for (int attempt = 0; attempt < 5 && !moved; ++attempt) {
            QVERIFY(trigger("Random sample"));
            moved = waitFor([&] { return shown() != 9999; }, 2000);
        }
        QVERIFY(moved);
    }

    void badProjectKeepsTheOldOne() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.json");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"spikelab-project\", \"version\": 99}");
        f.close();
        QVERIFY(!w.openProject(bad));
        QCOMPARE(w.projectPath(), kProject);
        QVERIFY(w.controller());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
