// The network editor in the whole window, with real mouse events: two populations and a
// projection drawn from an empty project (the projection dialog answered with its OK button),
// undo of everything byte-equal to the empty project and redo byte-equal to the drawing;
// save, reopen, save gives the same bytes; export and import of a trained network give the
// same accuracy; the running simulation is rebuilt by structural edits and their undo, left
// alone by moves and patched by parameters; an invalid value typed into the inspector never
// reaches the document.
#include "main_window.h"

#include "canvas_input.h"
#include "document.h"
#include "inspector.h"
#include "network_canvas.h"
#include "node_palette.h"
#include "projection_form.h"
#include "raster_view.h"
#include "wait_for.h"
#include "widget_input.h"

#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <QAbstractSpinBox>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

std::string json(const MainWindow& w) {
    return projectToJson(w.spec());
}

QByteArray bytesOf(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QPoint centre(const NetworkCanvas& c, const QString& name) {
    return c.mapFromScene(node(c, name)->pos());
}

// The projection dialog the last edge drag opened, answered with OK.
void acceptProjectionDialog(MainWindow& w) {
    ProjectionDialog* dialog = nullptr;
    QVERIFY(waitFor([&] {
        for (auto* d : w.findChildren<ProjectionDialog*>())
            if (d->isVisible()) dialog = d;
        return dialog != nullptr;
    }, 5000));
    QVERIFY(dialog->okButton()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return w.findChildren<ProjectionDialog*>().isEmpty(); }, 5000));
}

std::vector<float> weightsOf(const CompiledNetwork& net, const std::string& projection) {
    for (const auto& j : net.projections)
        if (j.name == projection) return j.synapses.weights;
    return {};
}

} // namespace

class TestEditorWindow : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabEditorTest");
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        // The tests step as fast as the engine goes; the window opens at a teaching speed.
        QSettings().setValue("simulation/speed", 0.0);
    }
    void drawTwoPopulationsAndAProjection();
    void saveReopenSaveIsByteIdentical();
    void exportAndImportKeepTheAccuracy();
    void structuralEditsRebuildTheRunningEngine();
    void invalidInspectorValueNeverReachesTheDocument();
    void activityDotsShowTheRates();
};

void TestEditorWindow::drawTwoPopulationsAndAProjection() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.newProject());
    QVERIFY(!w.controller());
    const std::string empty = json(w);
    NetworkCanvas* canvas = w.canvas();
    QVERIFY(canvas->isVisible());
    QVERIFY(canvas->width() > 250 && canvas->height() > 250);
    QWidget* vp = canvas->viewport();
    const QPoint a(vp->width() / 4, vp->height() / 2), b(vp->width() * 3 / 4, vp->height() / 2);

    QVERIFY(clickPalette(w.palette(), {false, "LIF"}));
    QTest::mouseClick(vp, Qt::LeftButton, {}, a);
    QVERIFY(clickPalette(w.palette(), {false, "LIF"}));
    QTest::mouseClick(vp, Qt::LeftButton, {}, b);
    QCOMPARE(w.spec().populations.size(), std::size_t(2));
    // A network of two populations and nothing else already runs.
    QVERIFY(w.controller());
    QCOMPARE(w.controller()->network().populations.size(), std::size_t(2));

    drag(vp, canvas->mapFromScene(rim(*canvas, "pop1")), {(a + b) / 2 + QPoint(0, 10)},
         centre(*canvas, "pop2"));
    acceptProjectionDialog(w);
    // Out of pop2 and back in: a recurrent projection.
    drag(vp, canvas->mapFromScene(rim(*canvas, "pop2")), {centre(*canvas, "pop2") + QPoint(0, -120)},
         centre(*canvas, "pop2"));
    acceptProjectionDialog(w);

    const NetworkSpec& s = w.spec();
    QCOMPARE(s.populations[0].name, std::string("pop1"));
    QCOMPARE(s.populations[1].name, std::string("pop2"));
    for (const auto& p : s.populations) {
        QCOMPARE(p.model, std::string("LIF"));
        QCOMPARE(p.size, std::int64_t(NetworkCanvas::kPopulationSize));
        QVERIFY(p.position);
    }
    QVERIFY(s.populations[0].position->x < s.populations[1].position->x);
    QCOMPARE(s.projections.size(), std::size_t(2));
    QCOMPARE(s.projections[0].name, std::string("pop1_pop2"));
    QCOMPARE(s.projections[0].source, std::string("pop1"));
    QCOMPARE(s.projections[0].target, std::string("pop2"));
    QVERIFY(s.projections[0].connectivity.type == ConnectivityType::Dense);
    QCOMPARE(s.projections[0].postsynaptic.model, std::string("DeltaCurr"));
    QCOMPARE(s.projections[1].source, std::string("pop2"));
    QCOMPARE(s.projections[1].target, std::string("pop2"));
    // The running engine follows the drawing.
    QVERIFY(waitFor([&] { return w.controller()->network().projections.size() == 2; }, 5000));
    QVERIFY(w.isWindowModified());

    const std::string drawn = json(w);
    QUndoStack* stack = w.undoStack();
    QCOMPARE(stack->count(), 4);
    while (stack->canUndo()) stack->undo();
    QCOMPARE(json(w), empty);
    QVERIFY(!w.controller());
    QVERIFY(!w.isWindowModified());
    while (stack->canRedo()) stack->redo();
    QCOMPARE(json(w), drawn);
    QCOMPARE(w.controller()->network().projections.size(), std::size_t(2));
}

void TestEditorWindow::saveReopenSaveIsByteIdentical() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.newProject());
    w.canvas()->placeNode({false, "LIF"}, {0, 0});
    w.canvas()->placeNode({false, "IF"}, {300, 40});
    w.canvas()->placeNode({true, "CurrentInjection"}, {-300, 0});
    // The images have 784 pixels: a network that fits its data set runs, and is reopened.
    QVERIFY(w.document()->apply("Resize", [](NetworkSpec& s) { s.populations[0].size = 784; }));
    ProjectionSpec j;
    j.source = "pop1";
    j.target = "pop2";
    j.weights.type = WeightInitType::Uniform;
    j.weights.low = -0.5;
    j.weights.high = 0.5;
    QVERIFY(!w.document()->addProjection(j).empty());
    const QString path = dir.filePath("drawn.json");
    QVERIFY(w.saveProjectAs(path));
    QCOMPARE(w.projectPath(), path);
    QVERIFY(!w.isWindowModified());
    QCOMPARE(w.windowTitle(), QString("SpikeLab - drawn.json[*]"));
    const QByteArray first = bytesOf(path);
    QVERIFY(!first.isEmpty());
    QVERIFY(w.openProject(path));
    QVERIFY(w.saveProject());
    QCOMPARE(bytesOf(path), first);
    QCOMPARE(QByteArray::fromStdString(json(w)), first);
    // Save As beside it: the same engine goes on, it only has a new file name.
    const SimulationController* running = w.controller();
    QVERIFY(running);
    QVERIFY(w.saveProjectAs(dir.filePath("renamed.json")));
    QCOMPARE(w.controller(), running);
    QCOMPARE(w.projectPath(), dir.filePath("renamed.json"));
    QCOMPARE(bytesOf(dir.filePath("renamed.json")), first);
    // Save As into another folder: still the same bytes.
    QDir(dir.path()).mkpath("sub");
    QVERIFY(w.saveProjectAs(dir.filePath("sub/copy.json")));
    QCOMPARE(bytesOf(dir.filePath("sub/copy.json")), first);
}

void TestEditorWindow::exportAndImportKeepTheAccuracy() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openProject(kProject));
    const QString exported = dir.filePath("export.json");
    QString error;
    QVERIFY2(w.exportNetwork(exported, &error), qPrintable(error));
    // Bad destinations fail with the path named and write nothing.
    const QString bad = dir.filePath("no/such/folder/export.json");
    QVERIFY(!w.exportNetwork(bad, &error));
    QVERIFY2(error.contains(bad), qPrintable(error));
    const QString imported = dir.filePath("imported/net.json");
    QDir(dir.path()).mkpath("imported");
    QVERIFY(w.importNetwork(exported, imported));
    QCOMPARE(w.document()->path(), imported);
    QVERIFY(w.controller());

    const auto data = loadImageDataset("fashion-mnist", "test", std::nullopt, 300);
    EvaluationOptions options;
    const auto compile = [](const QString& file) {
        return compileNetwork(loadProject(file.toStdString()), projectDir(file.toStdString()));
    };
    const auto original = evaluate(compile(kProject), data, options);
    const auto again = evaluate(compile(imported), data, options);
    QCOMPARE(again.correct, original.correct);
    QVERIFY(again.confusion == original.confusion);
    QVERIFY(original.correct > 200); // a trained network, not chance
    QVERIFY(weightsOf(compile(imported), "input_hidden") ==
            weightsOf(compile(kProject), "input_hidden"));
}

void TestEditorWindow::structuralEditsRebuildTheRunningEngine() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    QVERIFY(w.openProject(kProject));
    w.show();
    const auto trained = weightsOf(w.controller()->network(), "hidden_output");
    QVERIFY(!trained.empty());
    w.controller()->run();
    QVERIFY(waitFor([&] { return w.controller()->stepsDone() > 50; }, 10000));

    // A move: the same engine goes on.
    const SimulationController* before = w.controller();
    QVERIFY(w.document()->moveNodes({{"hidden", {10, 10}}}, 1));
    QCOMPARE(w.controller(), before);
    // A parameter: patched, not rebuilt.
    QVERIFY(w.document()->setParameter({"hidden", "Vthr", 4.0}, 2));
    QCOMPARE(w.controller(), before);

    // A size: rebuilt with the new size (Glorot weights in place of the trained ones), and
    // still running.
    QVERIFY(w.document()->setPopulationSize("hidden", 64));
    QVERIFY(w.controller() != before);
    QCOMPARE(w.controller()->network().populations[1].size, std::int64_t(64));
    QVERIFY(waitFor([&] { return w.controller()->isRunning() && w.controller()->stepsDone() > 20; },
                    10000));
    // Undo: the trained network again, weights and all, the tuned threshold kept.
    w.undoStack()->undo();
    QCOMPARE(w.controller()->network().populations[1].size, std::int64_t(128));
    QVERIFY(weightsOf(w.controller()->network(), "hidden_output") == trained);
    QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.0);
    QVERIFY(waitFor([&] { return w.controller()->isRunning(); }, 5000));
    // An edit that cannot run (an input on a population of the wrong size) keeps the last
    // engine and says why.
    const SimulationController* last = w.controller();
    QVERIFY(w.document()->apply("retarget", [](NetworkSpec& s) { s.inputs[0].target = "output"; }));
    QCOMPARE(w.controller(), last);
    w.controller()->pause();
}

void TestEditorWindow::invalidInspectorValueNeverReachesTheDocument() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(w.newProject());
    w.canvas()->placeNode({false, "LIF"}, {0, 0});
    QCOMPARE(w.canvas()->selectedNames(), QStringList{"pop1"});
    Inspector* inspector = w.inspector();
    QVERIFY(waitFor([&] { return inspector->item() == "pop1"; }, 2000));
    const std::string before = json(w);
    const int steps = w.undoStack()->count();
    QWidget* tau = inspector->field("TauM");
    QVERIFY(tau);
    QVERIFY(QTest::qWaitForWindowActive(&w));
    typeInto(tau, "0");
    QCOMPARE(json(w), before);
    QCOMPARE(w.undoStack()->count(), steps);
    QVERIFY(!inspector->refusal("TauM").isEmpty());
    // A good value goes through, as one step.
    typeInto(tau, "15");
    QCOMPARE(w.spec().populations[0].params.at("TauM"), 15.0);
    QCOMPARE(w.undoStack()->count(), steps + 1);
    // A rename typed into the inspector: the canvas and the inspector stay on the item.
    typeInto(inspector->field("name"), "cortex");
    QCOMPARE(w.spec().populations[0].name, std::string("cortex"));
    QCOMPARE(inspector->item(), QString("cortex"));
    QCOMPARE(w.canvas()->selectedNames(), QStringList{"cortex"});
    // Undo from the menu: back to pop1, still selected and inspected.
    w.undoStack()->undo();
    QCOMPARE(w.canvas()->selectedNames(), QStringList{"pop1"});
    QCOMPARE(inspector->item(), QString("pop1"));
}

void TestEditorWindow::activityDotsShowTheRates() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    QVERIFY(w.openProject(kProject));
    for (const NodeItem* n : w.canvas()->nodes())
        if (auto* p = dynamic_cast<const PopulationItem*>(n)) QVERIFY(!p->activity());
    SimulationController* c = w.controller();
    c->stepN(200);
    QVERIFY(waitFor([&] { return c->stepsDone() == 200 && !c->isRunning(); }, 10000));
    QTest::qWait(30);
    w.pumpFrames();
    // Recorded populations: their spikes per neuron per second since the last refresh (every
    // 250 ms of wall time while running, so the last window starts at some step k, the same
    // for every population).
    const auto& net = c->network();
    const auto matchesFrom = [&](std::int64_t k) {
        for (std::size_t p = 0; p < net.populations.size(); ++p) {
            const auto* item =
                w.canvas()->populationItem(QString::fromStdString(net.populations[p].name));
            if (!item || !item->activity()) return false;
            double spikes = 0;
            for (const auto& e : w.raster(int(p))->spikesInWindow()) spikes += e.step >= k;
            const double seconds = double(200 - k) * net.dt / 1000.0;
            if (*item->activity() != spikes / (double(net.populations[p].size) * seconds))
                return false;
        }
        return true;
    };
    bool matched = false;
    for (std::int64_t k = 0; k < 200 && !matched; ++k) matched = matchesFrom(k);
    QVERIFY(matched);
    QVERIFY(*w.canvas()->populationItem("hidden")->activity() > 0);
}

QTEST_MAIN(TestEditorWindow)
#include "test_editor_window.moc"
