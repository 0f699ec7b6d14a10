// The workbench as a teacher meets it (issue 12), with real mouse and key events: a project
// opened after a drawing that ran without data, and a drawing fixed after it could not run,
// get their data set; status-bar messages (placement hints, refusals, "Saved") can be read;
// the README's shortcuts work on any desktop (Ctrl+Shift+S among them); a focused parameter
// spin box leaves Space and Ctrl+Z to the window once its value is committed; the window opens
// at a teaching speed (remembering another choice) and keeps the last finished answer in view
// while the next sample runs.
#include "main_window.h"

#include "canvas_input.h"
#include "document.h"
#include "inspector.h"
#include "parameter_panel.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "wait_for.h"
#include "widget_input.h"

#include "spikelab/project.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSizeGrip>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

QAction* action(const MainWindow& w, const QString& text) {
    for (auto* a : w.findChildren<QAction*>())
        if (a->text() == text) return a;
    return nullptr;
}

// Clicks the toolbar's Run / Pause button.
void clickRun(MainWindow& w) {
    auto* bar = w.findChild<QToolBar*>("simulationToolBar");
    QAction* run = action(w, "Run");
    if (!run) run = action(w, "Pause");
    QVERIFY(bar && run);
    QTest::mouseClick(bar->widgetForAction(run), Qt::LeftButton);
}

// A place on the canvas, in viewport coordinates: `fx`, `fy` of the way across.
QPoint at(const MainWindow& w, double fx, double fy) {
    const QWidget* vp = w.canvas()->viewport();
    return {int(vp->width() * fx), int(vp->height() * fy)};
}

// Whether the status bar's message can be read: QStatusBar draws it from its left edge up to
// the first visible widget of the bar, over the normal widgets it hides meanwhile.
bool messageReadable(const QStatusBar* bar) {
    const QString text = bar->currentMessage();
    if (text.isEmpty()) return false;
    int right = bar->width() - 12;
    for (const QWidget* child : bar->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        if (child->isVisible() && !qobject_cast<const QSizeGrip*>(child))
            right = std::min(right, child->x() - 2);
    return bar->fontMetrics().horizontalAdvance(text) <= right - 6;
}

// The data set reached the running network: it shows a sample and spikes from it.
bool runsOnItsData(MainWindow& w) {
    return waitFor([&] {
        w.pumpFrames();
        return w.sampleView()->hasSample() && w.raster(0) && w.raster(0)->totalSpikes() > 0 &&
               w.statisticsView()->presented() >= 1;
    }, 20000);
}

// Answers the next file dialog with `path` (the key that opened it is what is tested, not the
// dialog); the answer waits on a timer owned by `owner`, which the caller keeps while the
// dialog may open. The answer is given again until the dialog closes; one that never takes it
// is cancelled after 10 s, and the test then fails instead of hanging.
void answerFileDialog(QObject* owner, const QString& path) {
    auto* poll = new QTimer(owner);
    auto* clock = new QElapsedTimer;
    clock->start();
    QObject::connect(poll, &QTimer::destroyed, [clock] { delete clock; });
    QObject::connect(poll, &QTimer::timeout, owner, [poll, path, clock] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        if (clock->elapsed() > 10000) {
            poll->stop();
            dialog->reject();
            return;
        }
        if (!dialog->property("answered").toBool()) {
            // This dialog is the one to answer: once it closes, later ones are not.
            dialog->setProperty("answered", true);
            QObject::connect(dialog, &QDialog::finished, poll, &QTimer::stop);
        }
        // The whole path in the file name field, as one types it: selectFile() depends on the
        // dialog having read the folder, which a loaded machine may not have done yet.
        if (auto* name = dialog->findChild<QLineEdit*>("fileNameEdit")) name->setText(path);
        QMetaObject::invokeMethod(dialog, "accept");
    });
    poll->start(20);
}

} // namespace

class TestTeachingSession : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabTeachingTest");
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    }
    void opensAtATeachingSpeedAndKeepsTheLastAnswerInView();
    void projectOpenedAfterADrawingGetsItsData();
    void drawingFixedAfterItCouldNotRunGetsItsData();
    void statusBarMessagesCanBeRead();
    void readmeShortcutsWorkOnAnyDesktop();
    void focusedSpinBoxLeavesSpaceAndUndoToTheWindow();
};

// Issue 12, bug 1: default project, File -> New, one LIF population, the project again, Run.
void TestTeachingSession::projectOpenedAfterADrawingGetsItsData() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
    QVERIFY(w.spec().populations.empty());
    QVERIFY(clickPalette(w.palette(), {false, "LIF"}));
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, at(w, 0.5, 0.5));
    QCOMPARE(w.spec().populations.size(), std::size_t(1));
    QVERIFY(w.controller()); // a population alone runs, without data

    QVERIFY(w.openProject(kProject));
    QVERIFY(w.controller()->data());
    QCOMPARE(w.controller()->data().count(), std::int64_t(10000));
    clickRun(w);
    QVERIFY(runsOnItsData(w));
    clickRun(w);
}

// Issue 12, bug 1: a 100-neuron population fed by 784-pixel images cannot run; made 784
// neurons, it runs on the images.
void TestTeachingSession::drawingFixedAfterItCouldNotRunGetsItsData() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject)); // the data set was read once already
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
    QVERIFY(choose(w.inspector()->field("dataset"), "fashion-mnist"));
    QVERIFY(clickPalette(w.palette(), {false, "LIF"}));
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, at(w, 0.6, 0.5));
    const SimulationController* drawn = w.controller();
    QVERIFY(drawn);
    QVERIFY(clickPalette(w.palette(), {true, "CurrentInjection"}));
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, at(w, 0.2, 0.5));
    QCOMPARE(w.spec().inputs.size(), std::size_t(1));
    QCOMPARE(w.controller(), drawn); // 784 pixels into 100 neurons: the last network goes on
    QVERIFY2(w.statusBar()->currentMessage().contains("cannot run yet"),
             qPrintable(w.statusBar()->currentMessage()));

    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {},
                      w.canvas()->mapFromScene(node(*w.canvas(), "pop1")->pos()));
    QVERIFY(waitFor([&] { return w.inspector()->item() == "pop1"; }, 2000));
    typeInto(w.inspector()->field("size"), "784");
    QCOMPARE(w.spec().populations[0].size, std::int64_t(784));
    QVERIFY(w.controller() != drawn);
    QVERIFY(w.controller()->data());
    QCOMPARE(w.controller()->data().name(), std::string("fashion-mnist"));
    clickRun(w);
    QVERIFY(runsOnItsData(w));
    clickRun(w);
}

// Issue 12, bug 2.
void TestTeachingSession::statusBarMessagesCanBeRead() {
    MainWindow w;
    w.resize(1280, 820);
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
    QStatusBar* bar = w.statusBar();
    QVERIFY(clickPalette(w.palette(), {false, "LIF"}));
    QVERIFY(bar->currentMessage().startsWith("Click on the canvas to place the LIF population"));
    QVERIFY(messageReadable(bar));
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, at(w, 0.6, 0.5));
    // A spike input has nothing to feed: refused, and the bar says why.
    QVERIFY(clickPalette(w.palette(), {true, "PoissonRate"}));
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, at(w, 0.2, 0.5));
    QVERIFY(w.spec().inputs.empty());
    QVERIFY2(bar->currentMessage().startsWith("A PoissonRate input makes spikes and feeds only a "
                                              "SpikeSource population"),
             qPrintable(bar->currentMessage()));
    QVERIFY(messageReadable(bar));
    QTemporaryDir dir;
    QVERIFY(w.saveProjectAs(dir.filePath("drawn.json")));
    QCOMPARE(bar->currentMessage(), "Saved " + dir.filePath("drawn.json"));
    QVERIFY(messageReadable(bar));
    // Once the message goes, the status line is back.
    bar->clearMessage();
    QVERIFY(waitFor([&] {
        for (auto* label : bar->findChildren<QLabel*>())
            if (label->isVisible() && label->text().contains("step")) return true;
        return false;
    }, 2000));
}

// Issue 12, bug 3: pressed in the window, with no desktop's key bindings behind them.
void TestTeachingSession::readmeShortcutsWorkOnAnyDesktop() {
    QTemporaryDir dir;
    MainWindow w;
    w.resize(1280, 820);
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
    QVERIFY(clickPalette(w.palette(), {false, "LIF"}));
    QTest::mouseClick(w.canvas()->viewport(), Qt::LeftButton, {}, at(w, 0.5, 0.5));
    QVERIFY(w.isWindowModified());

    const QString path = dir.filePath("drawn.json");
    QObject answers;
    answerFileDialog(&answers, path);
    QTest::keyClick(&w, Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(waitFor([&] { return w.projectPath() == path; }, 5000));
    QVERIFY(QFileInfo::exists(path));
    QVERIFY(!w.isWindowModified());

    // A window manager gives the window back its activation when the dialog closes; the
    // offscreen platform does not.
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    // Undo (Ctrl+Z) and redo (Ctrl+Shift+Z) of the population; Ctrl+S saves.
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(w.spec().populations.empty());
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(w.spec().populations.size(), std::size_t(1));
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(w.isWindowModified());
    QTest::keyClick(&w, Qt::Key_S, Qt::ControlModifier);
    QVERIFY(!w.isWindowModified());
    QVERIFY(loadProject(path.toStdString()).populations.empty());

    // The menu shows them.
    QCOMPARE(action(w, "Save &As...")->shortcut(), QKeySequence("Ctrl+Shift+S"));
    QCOMPARE(action(w, "&Save")->shortcut(), QKeySequence("Ctrl+S"));
    QCOMPARE(action(w, "&New")->shortcut(), QKeySequence("Ctrl+N"));
    QCOMPARE(action(w, "&Open...")->shortcut(), QKeySequence("Ctrl+O"));

    // Ctrl+O asks for a project and opens it.
    QObject opens;
    answerFileDialog(&opens, kProject);
    QTest::keyClick(&w, Qt::Key_O, Qt::ControlModifier);
    QVERIFY(waitFor([&] { return w.projectPath() == kProject; }, 5000));
}

// Issue 12, bug 4: the tuning workflow, keys pressed in the focused spin box.
void TestTeachingSession::focusedSpinBoxLeavesSpaceAndUndoToTheWindow() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    MainWindow w;
    w.resize(1280, 820);
    QVERIFY(w.openProject(kProject));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    auto* vthr = qobject_cast<QDoubleSpinBox*>(w.parameterPanel()->spinBox("hidden", "Vthr"));
    QVERIFY(vthr);
    typeInto(vthr, "4");
    QVERIFY(vthr->hasFocus());
    QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.0);

    // Space runs and pauses; the field keeps its value.
    const QString shown = vthr->text();
    QTest::keyClick(vthr, Qt::Key_Space);
    // A repaint before the worker has taken the command leaves Run pressed (else the next
    // Space would run again instead of pausing).
    w.pumpFrames();
    QVERIFY(action(w, "Pause") && action(w, "Pause")->isChecked());
    QVERIFY(waitFor([&] { return w.controller()->isRunning(); }, 5000));
    QCOMPARE(vthr->text(), shown);
    QTest::keyClick(vthr, Qt::Key_Space);
    QVERIFY(waitFor([&] { return !w.controller()->isRunning(); }, 5000));
    QCOMPARE(vthr->text(), shown);

    // Ctrl+Z undoes the commit, Ctrl+Shift+Z redoes it.
    QTest::keyClick(vthr, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w.spec().populations[1].params.at("Vthr"), 5.0);
    QCOMPARE(vthr->value(), 5.0);
    QTest::keyClick(vthr, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.0);
    QCOMPARE(vthr->value(), 4.0);

    // While a value is being typed, Ctrl+Z undoes the typing and leaves the project alone.
    const int steps = w.undoStack()->count();
    vthr->selectAll();
    QTest::keyClicks(vthr, "3");
    QTest::keyClick(vthr, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w.undoStack()->count(), steps);
    QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.0);
    QVERIFY(!vthr->text().startsWith("3"));
}

// Issue 12, item 10. Runs first on these settings: nobody has chosen a speed yet.
void TestTeachingSession::opensAtATeachingSpeedAndKeepsTheLastAnswerInView() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    QSettings().remove("simulation/speed");
    {
        MainWindow w;
        w.resize(1280, 820);
        QVERIFY(w.openProject(kProject));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* speed = w.findChild<QComboBox*>("speed");
        QVERIFY(speed);
        QCOMPARE(speed->currentText(), QString("Slow (0.1x)"));
        clickRun(w);
        QTest::qWait(1500);
        // 100 model ms a second at dt 1 ms: about 150 steps (as fast as possible: thousands).
        const std::int64_t steps = w.controller()->stepsDone();
        QVERIFY2(steps > 50 && steps < 400, qPrintable(QString::number(steps)));

        // Between two answers: the sample running has none, the one before stays in view.
        SampleView* view = w.sampleView();
        QVERIFY(waitFor([&] {
            w.pumpFrames();
            return w.statisticsView()->presented() >= 1 && !view->hasPrediction() &&
                   view->sampleIndex() >= 1;
        }, 10000));
        const QImage shown = view->renderImage(view->size());
        int answerPixels = 0;
        const QRect chart = view->chartRect(view->size());
        for (int y = chart.top(); y <= chart.bottom(); ++y)
            for (int x = chart.left(); x <= chart.right(); ++x) {
                const QRgb c = shown.pixel(x, y);
                const bool green = qGreen(c) > qRed(c) + 50 && qGreen(c) > qBlue(c) + 50;
                const bool red = qRed(c) > qGreen(c) + 80 && qRed(c) > qBlue(c) + 80;
                answerPixels += green || red;
            }
        QVERIFY2(answerPixels > 100, qPrintable(QString::number(answerPixels)));
        clickRun(w);

        // Another speed, chosen in the toolbar, is the next window's.
        QVERIFY(choose(speed, 0.0));
        QVERIFY(w.close());
    }
    MainWindow again;
    QCOMPARE(again.findChild<QComboBox*>("speed")->currentText(), QString("As fast as possible"));
}

QTEST_MAIN(TestTeachingSession)
#include "test_teaching_session.moc"
