// The workbench window on the default project: rasters receive exactly the engine's spikes,
// the sample browser follows the presentation, a threshold typed in mid-run and undone changes
// the spikes from the next step on and back, clicking a raster row traces that neuron with the
// engine's values, statistics and weights follow the run, layout and recent files are
// remembered, saving writes the tuned parameters, screenshots render, closing mid-run stops
// the simulation thread; an N-MNIST project shows each recording as the sensor saw it.
#include "main_window.h"
#include "event_data.h"
#include "event_frame.h"
#include "document.h"
#include "parameter_editor.h"
#include "parameter_panel.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "sweep_dialog.h"
#include "trace_view.h"
#include "train_dialog.h"
#include "wait_for.h"
#include "window_steps.h"
#include "widget_input.h"
#include "weight_view.h"

#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QMenu>
#include <QStatusBar>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {
const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

CompiledNetwork defaultNetwork() {
    const std::string file = kProject.toStdString();
    return compileNetwork(loadProject(file), projectDir(file));
}

// The engine alone on the default project (window_steps.h).
std::unique_ptr<Backend> referenceRun(std::int64_t steps,
                                      const std::function<void(Backend&, std::int64_t)>& atStep) {
    static const auto data = loadImageDataset("fashion-mnist", "test", std::nullopt, 5);
    return runAlone(defaultNetwork(), data, steps, atStep);
}

// The default project's folder (JSON and weights) copied into `folder`.
void copyProject(const QString& folder) {
    namespace fs = std::filesystem;
    const fs::path source = fs::path(kProject.toStdString()).parent_path();
    for (const auto& entry : fs::directory_iterator(source))
        fs::copy_file(entry.path(), fs::path(folder.toStdString()) / entry.path().filename());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
private slots:
    void initTestCase() {
        if (!std::filesystem::exists(kFashion))
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        QCoreApplication::setOrganizationName("SpikeLabTest");
        // Settings of this run only: layout and recent files start empty.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        // The tests step as fast as the engine goes; the window opens at a teaching speed.
        QSettings().setValue("simulation/speed", 0.0);
    }

    void thresholdTypedMidRunAndUndoneFollowsTheEngine() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.show();
        QVERIFY(!w.isWindowModified());
        stepAndWait(w, 40);
        auto* vthr = w.parameterPanel()->spinBox("hidden", "Vthr");
        QVERIFY(vthr);
        typeInto(vthr, "2");
        QCOMPARE(w.undoStack()->count(), 1);
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.spec().populations[1].params.at("Vthr"), 2.0);
        stepAndWait(w, 40);
        w.undoStack()->undo();
        QCOMPARE(w.spec().populations[1].params.at("Vthr"), 5.0);
        QVERIFY(!w.isWindowModified());
        stepAndWait(w, 40);

        auto tuned = referenceRun(120, [](Backend& b, std::int64_t t) {
            if (t == 40) b.setParam(1, "Vthr", 2.0);
            if (t == 80) b.setParam(1, "Vthr", 5.0);
        });
        const auto want = tuned->spikes(1, 0).all();
        QVERIFY(w.raster(1)->spikesInWindow() == want);
        const auto untouched = referenceRun(120, {})->spikes(1, 0).all();
        QVERIFY(want != untouched);
        // Before the change and after the undo, the spikes are those of the untouched run.
        auto between = [](const std::vector<SpikeEvent>& v, std::int64_t a, std::int64_t b) {
            std::vector<SpikeEvent> out;
            for (const auto& e : v)
                if (e.step >= a && e.step < b) out.push_back(e);
            return out;
        };
        QVERIFY(between(want, 0, 40) == between(untouched, 0, 40));
        QVERIFY(between(want, 40, 80) != between(untouched, 40, 80));
        // Sample 1 starts at step 100 from reset state with Vthr back at 5.
        QVERIFY(between(want, 100, 120) == between(untouched, 100, 120));

        w.undoStack()->redo();
        QCOMPARE(w.spec().populations[1].params.at("Vthr"), 2.0);
        QCOMPARE(qobject_cast<QDoubleSpinBox*>(vthr)->value(), 2.0);
    }

    void clickingARasterRowTracesThatNeuron() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.resize(1280, 820);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* hidden = w.raster(1);
        const QRect plot = hidden->plotArea(hidden->size());
        int y = plot.top();
        while (y < plot.bottom() && hidden->neuronAt(hidden->size(), y) != 5) ++y;
        QCOMPARE(hidden->neuronAt(hidden->size(), y), 5);
        QTest::mouseClick(hidden, Qt::LeftButton, {}, QPoint(plot.center().x(), y));
        QCOMPARE(w.traceView()->populationName(), QString("hidden"));
        QVERIFY(w.traceView()->neurons() == std::vector<std::int64_t>{5});
        QCOMPARE(*w.traceView()->threshold(), 5.0);
        stepAndWait(w, 150);

        std::vector<float> v(128), want;
        auto after = referenceRun(150, [&](Backend& b, std::int64_t t) {
            if (t == 0) return;
            b.readState(1, "V", 0, v); // after step t - 1
            want.push_back(v[5]);
        });
        after->readState(1, "V", 0, v);
        want.push_back(v[5]);
        const auto got = w.traceView()->storedSamples(5);
        QCOMPARE(got.size(), std::size_t(150));
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].step, std::int64_t(i));
            QCOMPARE(got[i].value, want[i]);
        }
        // A threshold change moves the dashed line.
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "3.5");
        QCOMPARE(*w.traceView()->threshold(), 3.5);
    }

    void statisticsAndWeightsFollowTheRun() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.show();
        stepAndWait(w, 300);
        auto* stats = w.statisticsView();
        QCOMPARE(stats->presented(), std::int64_t(3));
        QCOMPARE(stats->classNames().at(9), QString("Ankle boot"));
        std::int64_t cells = 0;
        for (int l = 0; l < 10; ++l)
            for (int p = 0; p < 10; ++p) cells += stats->confusion(l, p);
        QCOMPARE(cells, std::int64_t(3));
        QCOMPARE(stats->confusion(w.sampleView()->label(), w.sampleView()->predicted()) >= 1, true);
        const auto history = stats->spikeHistory();
        QCOMPARE(history.size(), std::size_t(3));
        const auto want = referenceRun(300, {});
        double outputSpikes = 0;
        for (const auto& r : history) outputSpikes += r.spikes[2];
        QCOMPARE(outputSpikes, double(want->spikes(2, 0).all().size()));

        const auto net = defaultNetwork();
        QVERIFY(w.weightView()->hasMatrix());
        QCOMPARE(w.weightView()->projectionName(), QString::fromStdString(net.projections[0].name));
        emit w.weightView()->projectionSelected(1);
        QCOMPARE(w.weightView()->projectionName(), QString::fromStdString(net.projections[1].name));
        QVERIFY(w.weightView()->synapses().weights == net.projections[1].synapses.weights);
    }

    void toolsOpenSweepAndTrainingOnTheTunedProject() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        w.show();
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "4");
        auto trigger = [&](const QString& text) {
            for (auto* a : w.findChildren<QAction*>())
                if (a->text() == text) return a->trigger(), true;
            return false;
        };
        QVERIFY(trigger("Parameter &sweep..."));
        auto* sweep = w.findChild<SweepDialog*>();
        QVERIFY(sweep && sweep->isVisible());
        QVERIFY(sweep->parameters().contains("hidden.Vthr"));
        QVERIFY(sweep->parameters().contains("experiment.steps_per_sample"));
        QVERIFY(trigger("&Train (ANN to SNN)..."));
        auto* train = w.findChild<TrainDialog*>();
        QVERIFY(train && train->isVisible());
        sweep->close();
        train->close();
    }

    void recoveryRestoresTheLastAutosavedEdit() {
        QTemporaryDir dir;
        copyProject(dir.path());
        const QString path = dir.filePath("fashion-mnist-if.json");
        MainWindow crashed; // stays alive: its autosave is what a crash leaves behind
        QVERIFY(crashed.openProject(path));
        typeInto(crashed.parameterPanel()->spinBox("hidden", "Vthr"), "4.5");
        QVERIFY(crashed.document()->autosaveNow());
        const auto autosave = Document::recoveryFile(path);
        QVERIFY(autosave);

        MainWindow w;
        QVERIFY(w.openProject(path));
        QCOMPARE(w.spec().populations[1].params.at("Vthr"), 5.0);
        QVERIFY(w.recoverFrom(*autosave));
        QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.5);
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.projectPath(), path);
        QCOMPARE(w.controller()->network().populations[1].param("Vthr"), 4.5);
        QCOMPARE(loadProject(path.toStdString()).populations[1].params.at("Vthr"), 5.0);
        QVERIFY(w.saveProject());
        QCOMPARE(loadProject(path.toStdString()).populations[1].params.at("Vthr"), 4.5);
    }

    void backendMenuRestartsTheNetworkWhereItCanRun() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "4.5");
        auto backendAction = [&](const QString& kind) -> QAction* {
            for (auto* a : w.findChildren<QAction*>())
                if (a->isCheckable() && a->data().toString() == kind) return a;
            return nullptr;
        };
        const auto available = availableBackends();
        const bool gpu = std::find(available.begin(), available.end(), "cuda") != available.end();
        auto* cuda = backendAction("cuda");
        QVERIFY(cuda);
#ifdef SPIKELAB_HAVE_CUDA
        QVERIFY(cuda->isEnabled());
        cuda->trigger();
        QCOMPARE(w.controller()->backendName(), std::string(gpu ? "cuda" : "cpu"));
        QCOMPARE(w.statusBar()->currentMessage().contains("using the CPU backend"), !gpu);
#else
        QVERIFY(!cuda->isEnabled());
        QVERIFY(cuda->toolTip().contains("no CUDA backend"));
#endif
        backendAction("cpu")->trigger();
        QCOMPARE(w.controller()->backendName(), std::string("cpu"));
        // The restarted network keeps the tuned parameter and runs.
        QCOMPARE(w.controller()->network().populations[1].param("Vthr"), 4.5);
        stepAndWait(w, 20);
        QCOMPARE(w.controller()->stepsDone(), std::int64_t(20));
        QCOMPARE(QSettings().value("simulation/backend").toString(), QString("cpu"));
    }

    void exportMenuOffersEveryView() {
        MainWindow w;
        QVERIFY(w.openProject(kProject));
        QMenu* exports = nullptr;
        for (auto* menu : w.findChildren<QMenu*>())
            if (menu->title() == "&Export") exports = menu;
        QVERIFY(exports);
        emit exports->aboutToShow();
        QStringList titles;
        for (auto* action : exports->actions()) {
            if (!action->menu()) continue;
            titles << action->menu()->title();
            QStringList entries;
            for (auto* entry : action->menu()->actions()) entries << entry->text();
            QVERIFY2(entries.contains("PNG image...") && entries.contains("SVG drawing..."),
                     qPrintable(action->menu()->title()));
        }
        QCOMPARE(titles, QStringList({"Raster of input", "Raster of hidden", "Raster of output",
                                      "Membrane traces", "Weights", "Statistics", "Sample",
                                      "Network diagram"}));
        QStringList plain;
        for (auto* action : exports->actions())
            if (!action->menu() && !action->isSeparator()) plain << action->text();
        QCOMPARE(plain, QStringList({"Network as self-contained JSON...", "Whole window as PNG..."}));
        emit exports->aboutToShow(); // rebuilt, not appended to
        QCOMPARE(exports->actions().size(), titles.size() + 3);
    }

    void layoutAndRecentFilesAreRemembered() {
        {
            MainWindow w;
            QVERIFY(w.openProject(kProject));
            w.show();
            QCOMPARE(w.recentFiles().value(0), QFileInfo(kProject).absoluteFilePath());
            auto* traces = w.findChild<QDockWidget*>("tracesDock");
            QVERIFY(traces && !traces->isHidden());
            traces->hide();
            QVERIFY(w.close());
        }
        MainWindow w;
        w.show(); // the saved layout applies once the window has its size
        auto* traces = w.findChild<QDockWidget*>("tracesDock");
        QVERIFY(traces->isHidden());
        QCOMPARE(w.recentFiles().value(0), QFileInfo(kProject).absoluteFilePath());
        w.restoreDefaultLayout();
        QVERIFY(!traces->isHidden());
        // A recent file that has gone is dropped when it fails to open.
        QTemporaryDir dir;
        copyProject(dir.path());
        const QString moved = dir.filePath("fashion-mnist-if.json");
        QVERIFY(w.openProject(moved));
        QCOMPARE(w.recentFiles().value(0), QFileInfo(moved).absoluteFilePath());
        QCOMPARE(w.recentFiles().value(1), QFileInfo(kProject).absoluteFilePath());
        QFile::remove(moved);
        QVERIFY(!w.openProject(moved));
        QVERIFY(!w.recentFiles().contains(QFileInfo(moved).absoluteFilePath()));
        QCOMPARE(w.projectPath(), moved); // the loaded network stays
    }

    void saveWritesTheTunedParameters() {
        QTemporaryDir dir;
        copyProject(dir.path());
        const QString copy = dir.filePath("fashion-mnist-if.json");
        MainWindow w;
        QVERIFY(w.openProject(copy));
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "4.25");
        QVERIFY(w.isWindowModified());
        QVERIFY(w.saveProject());
        QVERIFY(!w.isWindowModified());
        const auto saved = loadProject(copy.toStdString());
        QCOMPARE(saved.populations[1].params.at("Vthr"), 4.25);
        auto expected = loadProject(kProject.toStdString());
        expected.populations[1].params["Vthr"] = 4.25;
        QVERIFY(saved == expected);
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

    void eventRecordingsShowAsTheSensorSawThem() {
        // An N-MNIST project on recordings written here.
        QTemporaryDir dir;
        const std::filesystem::path folder = dir.path().toStdString();
        const EventDataset written = test::rowDigits(1);
        test::writeNmnistFolder(written, folder / "recordings");
        NetworkSpec spec = test::replayNetwork();
        spec.experiment.dataset.path = "recordings";
        const QString file = dir.filePath("row-digits.json");
        saveProject(file.toStdString(), spec);

        MainWindow w;
        QVERIFY(w.openProject(file));
        w.show();
        QVERIFY(w.controller()->data().events);
        QCOMPARE(w.controller()->data().count(), std::int64_t(10));
        QCOMPARE(w.sampleView()->legend().size(), 3);

        const auto net = compileNetwork(spec, folder.string());
        const EventSamples samples(*w.controller()->data().events, net);
        auto frameAfter = [&](std::int64_t sample, std::int64_t steps) {
            const auto sensor = toSpikeTrain(written.samples[std::size_t(sample)],
                                             samples.mapping(0), allInputs());
            return EventFrame(std::make_shared<const SpikeTrain>(sensor)).render(steps, 20); // 20 ms at dt 1 ms
        };
        // Before the first step: a black picture.
        QVERIFY(waitFor([&] {
            w.pumpFrames();
            return w.sampleView()->hasSample();
        }));
        QCOMPARE(w.sampleView()->sampleImage(), frameAfter(0, 0));
        // Partway through the first recording: the sensor's picture so far, no answer yet.
        stepAndWait(w, 30);
        QCOMPARE(w.sampleView()->sampleIndex(), std::int64_t(0));
        QCOMPARE(w.sampleView()->label(), 0);
        QVERIFY(!w.sampleView()->hasPrediction());
        QCOMPARE(w.sampleView()->sampleImage(), frameAfter(0, 30));
        // (Step 30 has no event, so the picture after 31 steps has faded by one step.)
        QVERIFY(w.sampleView()->sampleImage() != frameAfter(0, 31));
        // The end of it: the whole recording and the right answer.
        stepAndWait(w, 20);
        QCOMPARE(w.sampleView()->sampleImage(), frameAfter(0, 50));
        QVERIFY(w.sampleView()->hasPrediction());
        QVERIFY(w.sampleView()->predictionCorrect());
        // The next recording starts from a black picture and builds up again.
        stepAndWait(w, 10);
        QCOMPARE(w.sampleView()->sampleIndex(), std::int64_t(1));
        QCOMPARE(w.sampleView()->label(), 1);
        QCOMPARE(w.sampleView()->sampleImage(), frameAfter(1, 10));
        // The input raster holds exactly the replayed events; statistics count both samples'
        // answers once the second has finished.
        stepAndWait(w, 40);
        std::int64_t replayedSpikes = 0;
        for (std::int64_t s = 0; s < 2; ++s) replayedSpikes += samples.train(0, s).spikeCount();
        QCOMPARE(w.raster(0)->totalSpikes(), replayedSpikes);
        QCOMPARE(w.statisticsView()->presented(), std::int64_t(2));
        QCOMPARE(w.statisticsView()->correct(), std::int64_t(2));
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
