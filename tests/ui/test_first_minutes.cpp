// A new user's first ten minutes in the whole window, with real mouse and key events: sizes
// that do not fit the data set are marked on the canvas (red outline, the reason on hover);
// a spike input dropped on LIF neurons offers the SpikeSource population in between, as one
// undo step, and says why when declined; new inputs land beside their population, where they
// can be grabbed and moved; File -> New brings the canvas forward and empties the views.
#include "main_window.h"

#include "canvas_input.h"
#include "document.h"
#include "inspector.h"
#include "network_canvas.h"
#include "node_palette.h"
#include "projection_form.h"
#include "sample_view.h"
#include "trace_view.h"
#include "wait_for.h"
#include "weight_view.h"
#include "widget_input.h"

#include "spikelab/project.h"

#include <QDockWidget>
#include <QHelpEvent>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QToolTip>
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

QPoint centre(const NetworkCanvas& c, const QString& name) {
    return c.mapFromScene(node(c, name)->pos());
}

QListWidgetItem* paletteEntry(MainWindow& w, const NodeKind& kind) {
    for (int i = 0; i < w.palette()->count(); ++i)
        if (NodePalette::kindOf(w.palette()->item(i)) == kind) return w.palette()->item(i);
    return nullptr;
}

// A click on the palette entry, then one on the canvas: a population at `pos`.
void placePopulation(MainWindow& w, const std::string& model, QPoint pos) {
    QListWidgetItem* entry = paletteEntry(w, {false, model});
    QVERIFY(entry);
    QTest::mouseClick(w.palette()->viewport(), Qt::LeftButton, {},
                      w.palette()->visualItemRect(entry).center());
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, pos);
}

// A palette entry dragged onto the canvas and let go at `pos`, as the drag and drop machinery
// delivers it (the palette's own drag data).
void dropFromPalette(MainWindow& w, const NodeKind& kind, QPoint pos) {
    QListWidgetItem* entry = paletteEntry(w, kind);
    QVERIFY(entry);
    QMimeData mime;
    mime.setData(NetworkCanvas::kNodeMime, entry->data(Qt::UserRole).toByteArray());
    QWidget* vp = w.canvas()->viewport();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &move);
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &drop);
    QVERIFY(drop.isAccepted());
}

// What the tooltip says when the mouse rests at `pos` on the canvas.
QString tooltipAt(NetworkCanvas& c, QPoint pos) {
    QToolTip::hideText();
    QTest::mouseMove(c.viewport(), pos);
    QHelpEvent help(QEvent::ToolTip, pos, c.viewport()->mapToGlobal(pos));
    QApplication::sendEvent(c.viewport(), &help);
    return QToolTip::isVisible() ? QToolTip::text() : QString();
}

// Strongly red pixels on and around a node's outline, as drawn on the screen.
int redPixels(NetworkCanvas& c, const QString& name) {
    const QImage shot = c.viewport()->grab().toImage();
    const QRect r =
        c.mapFromScene(node(c, name)->sceneOutline()).boundingRect().adjusted(-4, -4, 4, 4);
    int red = 0;
    for (int y = std::max(0, r.top()); y <= std::min(shot.height() - 1, r.bottom()); ++y)
        for (int x = std::max(0, r.left()); x <= std::min(shot.width() - 1, r.right()); ++x) {
            const QColor p = shot.pixelColor(x, y);
            if (p.red() > 170 && p.green() < 90 && p.blue() < 90) ++red;
        }
    return red;
}

// Clicks the empty corner of the canvas: nothing selected, so outlines show their own colour.
void clickAway(MainWindow& w) {
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, QPoint(6, 6));
    QVERIFY(w.canvas()->selectedNames().isEmpty());
}

QMessageBox* offer(MainWindow& w) {
    QMessageBox* box = nullptr;
    waitFor(
        [&] {
            box = w.canvas()->findChild<QMessageBox*>("spikeSourceOffer");
            return box && box->isVisible();
        },
        3000);
    return box;
}

} // namespace

class TestFirstMinutes : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;

    // A shown window on a new project, its canvas in front.
    void start(MainWindow& w) {
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newProject());
        QVERIFY(waitFor([&] { return !w.canvas()->visibleRegion().isEmpty(); }, 2000));
    }
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabFirstMinutesTest");
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    }
    void sizesThatDoNotFitTheDataSetAreMarkedOnTheCanvas();
    void spikeInputOnLifOffersASpikeSourceInBetween();
    void newInputsLandBesideTheirPopulationAndMove();
    void fileNewBringsTheCanvasForwardAndEmptiesTheViews();
};

void TestFirstMinutes::sizesThatDoNotFitTheDataSetAreMarkedOnTheCanvas() {
    MainWindow w;
    start(w);
    NetworkCanvas* canvas = w.canvas();
    QWidget* vp = canvas->viewport();
    placePopulation(w, "LIF", QPoint(vp->width() / 2, vp->height() / 2));
    dropFromPalette(w, {true, "CurrentInjection"}, centre(*canvas, "pop1"));
    QCOMPARE(w.spec().inputs.size(), std::size_t(1));
    QCOMPARE(w.spec().inputs[0].target, std::string("pop1"));
    clickAway(w);
    // 100 neurons fed by 784-pixel images: the population is outlined in red and says why.
    const std::string dataset = w.spec().experiment.dataset.name;
    QVERIFY2(redPixels(*canvas, "pop1") > 40, "no red outline on pop1");
    QCOMPARE(redPixels(*canvas, "input1"), 0);
    const QString tip = tooltipAt(*canvas, centre(*canvas, "pop1"));
    QVERIFY2(tip.startsWith(QString("input \"input1\": population \"pop1\" has 100 neurons but %1 "
                                    "images have 784 pixels")
                                .arg(QString::fromStdString(dataset))),
             qPrintable(tip));
    // Typed into the inspector, the right size takes the mark away.
    QTest::mouseClick(vp, Qt::LeftButton, {}, centre(*canvas, "pop1"));
    QVERIFY(waitFor([&] { return w.inspector()->item() == "pop1"; }, 2000));
    QVERIFY(QTest::qWaitForWindowActive(&w));
    typeInto(w.inspector()->field("size"), "784");
    QCOMPARE(w.spec().populations[0].size, std::int64_t(784));
    clickAway(w);
    QCOMPARE(redPixels(*canvas, "pop1"), 0);
    QVERIFY(!tooltipAt(*canvas, centre(*canvas, "pop1")).contains("neurons but"));
    // A readout of the wrong size is marked too; undo takes the mark back with the edit.
    QVERIFY(w.document()->apply("readout", [](NetworkSpec& s) { s.experiment.readout = "pop1"; }));
    clickAway(w);
    QVERIFY(tooltipAt(*canvas, centre(*canvas, "pop1"))
                .startsWith(QString("experiment: readout population \"pop1\" has 784 neurons but "
                                    "%1 has 10 classes")
                                .arg(QString::fromStdString(dataset))));
    QVERIFY(redPixels(*canvas, "pop1") > 40);
    w.undoStack()->undo();
    QCOMPARE(redPixels(*canvas, "pop1"), 0);
}

void TestFirstMinutes::spikeInputOnLifOffersASpikeSourceInBetween() {
    MainWindow w;
    start(w);
    NetworkCanvas* canvas = w.canvas();
    QWidget* vp = canvas->viewport();
    // The palette says where a spike input goes before anything is dropped.
    for (const char* spikes : {"PoissonRate", "LatencyCoding", "EventReplay"}) {
        const QString tip = paletteEntry(w, {true, spikes})->toolTip();
        QVERIFY2(tip.contains("IF and LIF neurons integrate a current") &&
                     tip.contains("offers to add one in between"),
                 qPrintable(tip));
    }
    placePopulation(w, "LIF", QPoint(vp->width() * 2 / 3, vp->height() / 2));
    const std::string before = json(w);
    const int steps = w.undoStack()->count();

    // Declined: nothing changes, and the status bar's message says why.
    dropFromPalette(w, {true, "PoissonRate"}, centre(*canvas, "pop1"));
    QMessageBox* box = offer(w);
    QVERIFY2(box, "no offer of a SpikeSource population");
    QVERIFY2(box->text().contains("SpikeSource population of 784 neurons"),
             qPrintable(box->text()));
    QVERIFY(box->text().contains("dense projection to pop1"));
    QTest::mouseClick(box->button(QMessageBox::No), Qt::LeftButton);
    QVERIFY(waitFor([&] { return !canvas->findChild<QMessageBox*>("spikeSourceOffer"); }, 3000));
    QCOMPARE(json(w), before);
    QVERIFY2(canvas->lastMessage().contains("No SpikeSource population added: a PoissonRate input "
                                            "feeds only a SpikeSource population"),
             qPrintable(canvas->lastMessage()));

    // Accepted: SpikeSource, projection and input arrive as one undo step.
    dropFromPalette(w, {true, "PoissonRate"}, centre(*canvas, "pop1"));
    box = offer(w);
    QVERIFY(box);
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QVERIFY(waitFor([&] { return w.spec().populations.size() == 2; }, 3000));
    const NetworkSpec& s = w.spec();
    QCOMPARE(w.undoStack()->count(), steps + 1);
    QCOMPARE(s.populations[1].name, std::string("pop1_spikes"));
    QCOMPARE(s.populations[1].model, std::string("SpikeSource"));
    QCOMPARE(s.populations[1].size, std::int64_t(784));
    QCOMPARE(s.projections.size(), std::size_t(1));
    QCOMPARE(s.projections[0].source, std::string("pop1_spikes"));
    QCOMPARE(s.projections[0].target, std::string("pop1"));
    QCOMPARE(s.projections[0].connectivity.type, ConnectivityType::Dense);
    QCOMPARE(s.projections[0].weights.type, WeightInitType::Glorot);
    QCOMPARE(s.inputs.size(), std::size_t(1));
    QCOMPARE(s.inputs[0].type, std::string("PoissonRate"));
    QCOMPARE(s.inputs[0].target, std::string("pop1_spikes"));
    // Drawn left to right, input -> SpikeSource -> pop1, nothing covering anything, no mark.
    const QRectF in = canvas->nodeRect("input1"), source = canvas->nodeRect("pop1_spikes"),
                 target = canvas->nodeRect("pop1");
    QVERIFY(in.right() < source.left() && source.right() < target.left());
    clickAway(w);
    for (const char* name : {"input1", "pop1_spikes", "pop1"})
        QCOMPARE(redPixels(*canvas, name), 0);
    // The simulation follows the new network.
    QVERIFY(waitFor(
        [&] { return w.controller() && w.controller()->network().populations.size() == 2; }, 5000));
    w.undoStack()->undo();
    QCOMPARE(json(w), before);

    // Neurons as many as the data set's inputs: a one-to-one relay.
    QVERIFY(w.newProject());
    placePopulation(w, "IF", QPoint(vp->width() * 2 / 3, vp->height() / 2));
    QVERIFY(w.document()->setPopulationSize("pop1", 784));
    dropFromPalette(w, {true, "LatencyCoding"}, centre(*canvas, "pop1"));
    box = offer(w);
    QVERIFY(box);
    QVERIFY(box->text().contains("one-to-one projection"));
    QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    QVERIFY(waitFor([&] { return w.spec().projections.size() == 1; }, 3000));
    QCOMPARE(w.spec().projections[0].connectivity.type, ConnectivityType::OneToOne);
    QCOMPARE(w.spec().projections[0].weights.value, 1.0);
}

void TestFirstMinutes::newInputsLandBesideTheirPopulationAndMove() {
    MainWindow w;
    start(w);
    NetworkCanvas* canvas = w.canvas();
    QWidget* vp = canvas->viewport();
    placePopulation(w, "LIF", QPoint(vp->width() * 2 / 3, vp->height() / 2));
    const auto popAt = w.spec().populations[0].position;
    dropFromPalette(w, {true, "CurrentInjection"}, centre(*canvas, "pop1"));
    dropFromPalette(w, {true, "CurrentInjection"}, centre(*canvas, "pop1"));
    QCOMPARE(w.spec().inputs.size(), std::size_t(2));
    const QRectF pop = canvas->nodeRect("pop1"), first = canvas->nodeRect("input1"),
                 second = canvas->nodeRect("input2");
    // To the left of the population, level with it; the second one below the first.
    QVERIFY(first.right() < pop.left());
    QVERIFY(std::abs(first.center().y() - pop.center().y()) < 1.0);
    QVERIFY(second.right() < pop.left());
    QVERIFY(!second.intersects(first));
    // Its inside is there to grab: a drag moves it (one step), and asks for no projection.
    const int steps = w.undoStack()->count();
    const QPoint grab = centre(*canvas, "input1");
    drag(vp, grab, {grab + QPoint(5, 10), grab + QPoint(10, 30)}, grab + QPoint(10, 40));
    QVERIFY(w.findChildren<ProjectionDialog*>().isEmpty());
    QCOMPARE(w.undoStack()->count(), steps + 1);
    const auto moved = w.spec().inputs[0].position;
    QVERIFY(moved);
    QVERIFY(std::abs(moved->y - first.center().y() - 40 / canvas->zoom()) < 2.0);
    QCOMPARE(w.spec().populations[0].position, popAt);
    QVERIFY(w.spec().projections.empty());
    // Clicked and deleted, input1 leaves its name free, but the next input is input3, as the
    // Document numbers them.
    QTest::mouseClick(vp, Qt::LeftButton, {}, centre(*canvas, "input1"));
    QCOMPARE(canvas->selectedNames(), QStringList{"input1"});
    QTest::keyClick(canvas, Qt::Key_Delete);
    QCOMPARE(w.spec().inputs.size(), std::size_t(1));
    dropFromPalette(w, {true, "CurrentInjection"}, centre(*canvas, "pop1"));
    QCOMPARE(w.spec().inputs.back().name, std::string("input3"));
}

void TestFirstMinutes::fileNewBringsTheCanvasForwardAndEmptiesTheViews() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QVERIFY(w.openProject(kProject));
    w.controller()->stepSample();
    QVERIFY(waitFor([&] {
        w.pumpFrames();
        return w.sampleView()->hasSample();
    }));
    // A click on a raster row traces a neuron and brings the traces over the canvas.
    w.traceNeuron(2, 3);
    QVERIFY(!w.traceView()->neurons().empty());
    // A tab behind another keeps isVisible(); what is on the screen is its visible region.
    QVERIFY(waitFor([&] { return w.canvas()->visibleRegion().isEmpty(); }, 2000));
    QVERIFY(waitFor([&] {
        w.pumpFrames();
        return w.weightView()->hasMatrix();
    }));

    QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier); // File -> New
    QVERIFY(w.spec().populations.empty());
    QVERIFY(waitFor([&] { return !w.canvas()->visibleRegion().isEmpty(); }, 2000));
    QVERIFY(!w.sampleView()->hasSample());
    QVERIFY(!w.weightView()->hasMatrix());
    QVERIFY(w.traceView()->neurons().empty());
    QVERIFY(w.traceView()->populationName().isEmpty());
}

QTEST_MAIN(TestFirstMinutes)
#include "test_first_minutes.moc"
