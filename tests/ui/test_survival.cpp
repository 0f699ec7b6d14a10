// The workbench survives what goes wrong while it works (docs/architecture.md, "Errors"): a data
// set that fails in the middle of a run and a backend that throws while stepping (an engine
// error, an internal error, running out of memory) stop the run with a message in the status
// bar that says where it stopped and what failed, the window and its document stay, and Run
// goes on once the cause is gone; an edit the checks refuse, a project that fails to open and
// an autosave that cannot be recovered never replace or lose the last good autosave; a project
// that fails to open leaves the current one open, edited and running.
#include "main_window.h"

#include "default_project.h"
#include "document.h"
#include "parameter_panel.h"
#include "simulation_controller.h"
#include "wait_for.h"
#include "widget_input.h"

#include "spikelab/error.h"
#include "spikelab/project.h"

#include <QAction>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <new>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

QAction* runAction(MainWindow& w) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(Qt::Key_Space)) return a;
    return nullptr;
}

// Run pressed as a user presses it; true once the worker has stepped `steps` more steps.
bool runFor(MainWindow& w, std::int64_t steps) {
    QAction* run = runAction(w);
    if (!run) return false;
    const std::int64_t target = w.controller()->stepsDone() + steps;
    if (!run->isChecked()) run->trigger();
    return waitFor([&] { return w.controller()->stepsDone() >= target; });
}

// Waits until the run has stopped on its own, the window has caught up with that and the
// failure's message (queued from the simulation thread) has been in the status bar; returns
// that message, or an empty one after the wait's time. The message shows for 10 s: on a loaded
// machine the window may catch up later than that, so it is kept once seen.
QString stoppedByFailure(MainWindow& w) {
    QString seen;
    const bool stopped = waitFor([&] {
        w.pumpFrames();
        if (const QString now = w.statusBar()->currentMessage(); now.startsWith("The simulation stopped at step "))
            seen = now;
        return !w.controller()->isRunning() && !runAction(w)->isChecked() && !seen.isEmpty();
    });
    return stopped ? seen : QString();
}

QByteArray bytesOf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// The default project's folder (JSON and weights) copied into `folder`.
QString copyProject(const QString& folder) {
    namespace fs = std::filesystem;
    const fs::path source = fs::path(kDefaultProject.toStdString()).parent_path();
    for (const auto& entry : fs::directory_iterator(source))
        fs::copy_file(entry.path(), fs::path(folder.toStdString()) / entry.path().filename());
    return folder + "/" + QFileInfo(kDefaultProject).fileName();
}

} // namespace

class TestSurvival : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;

    // A failure thrown by the fault hook at `stage`, once the run has gone on for a while:
    // the run stops with `expected` in the status bar, the window keeps its document, and
    // once the hook is gone Run goes on from where it stopped.
    void failMidRun(SimulationController::Stage stage, const std::function<void()>& fail,
                    const QString& expected) {
        MainWindow w;
        QVERIFY(w.openProject(kDefaultProject));
        w.show();
        QVERIFY(runFor(w, 300));
        auto* controller = w.controller();
        controller->setFaultHookForTesting(
            [stage, fail](SimulationController::Stage at, std::int64_t) {
                if (at == stage) fail();
            });
        const QString message = stoppedByFailure(w);
        QVERIFY2(message.startsWith("The simulation stopped at step "), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        const std::int64_t stoppedAt = controller->stepsDone();
        QTest::qWait(100);
        QCOMPARE(controller->stepsDone(), stoppedAt); // stopped, not stepping on
        QVERIFY(w.isVisible());
        QCOMPARE(w.controller(), controller);
        QCOMPARE(w.projectPath(), kDefaultProject);

        // The cause is gone (the disk is back, memory was freed): Run goes on from there.
        controller->setFaultHookForTesting({});
        QVERIFY(runFor(w, 300));
        QVERIFY(controller->stepsDone() >= stoppedAt + 300);
        runAction(w)->trigger();
        QVERIFY(waitFor([&] { return !controller->isRunning(); }));
    }

private slots:
    void initTestCase() {
        if (!std::filesystem::exists(kFashionImages))
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("SpikeLabTest");
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        QSettings().setValue("simulation/speed", 0.0);
    }

    void aDataSetFailingMidRunStopsTheRunAndNamesItsFile() {
        // What a data set read from disk as it goes would throw when its file went away.
        failMidRun(
            SimulationController::Stage::Sample,
            [] { throw Error("cannot read \"t10k-images-idx3-ubyte.gz\": Input/output error"); },
            "of fashion-mnist (\"/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz\"): "
            "cannot read \"t10k-images-idx3-ubyte.gz\": Input/output error");
    }

    void aBackendErrorMidRunStopsTheRun() {
        failMidRun(
            SimulationController::Stage::Step, [] { throw Error("backend \"cpu\": device lost"); },
            "backend \"cpu\": device lost");
    }

    // Not spikelab::Error: before, these left the worker's event handler and Qt ended the
    // whole process.
    void anInternalErrorMidRunStopsTheRun() {
        failMidRun(
            SimulationController::Stage::Step,
            [] { throw InternalError("synapse index out of range"); },
            "internal error: synapse index out of range");
    }

    void runningOutOfMemoryMidRunStopsTheRun() {
        failMidRun(
            SimulationController::Stage::Sample, [] { throw std::bad_alloc(); }, "out of memory");
    }

    // The document only ever holds a network the checks passed (copy, check, commit), so an
    // autosave never holds a refused one; a project that fails to open neither replaces the
    // document nor touches its autosave.
    void refusedEditsAndFailedOpensKeepTheLastGoodAutosave() {
        QTemporaryDir dir;
        const QString path = copyProject(dir.path());
        MainWindow w;
        QVERIFY(w.openProject(path));
        w.show();
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "4.5");
        QVERIFY(w.document()->autosaveNow());
        const QString autosave = w.document()->autosavePath();
        const QByteArray good = bytesOf(autosave);
        QVERIFY(good.contains("4.5"));

        QString error;
        QVERIFY(!w.document()->setPopulationSize("hidden", -3, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!w.document()->setParameter({"hidden", "Vthr", std::nan("")}, 1, &error));
        QVERIFY(w.document()->autosaveNow());
        QCOMPARE(bytesOf(autosave), good);

        // Broken in three ways: not JSON, nested past the limit, a network that cannot run.
        const QString broken = dir.filePath("broken.json");
        QByteArray unrunnable = bytesOf(path);
        unrunnable.replace("weights_0_1.npy", "missing.npy");
        for (const QByteArray& bytes :
             {QByteArray("{\"format\": "), QByteArray(100000, '['), unrunnable}) {
            writeFile(broken, bytes);
            QVERIFY(!w.openProject(broken));
            QCOMPARE(w.projectPath(), path);
            QCOMPARE(w.document()->path(), path);
            QVERIFY(w.isWindowModified());
            QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.5);
            QCOMPARE(bytesOf(autosave), good);
        }
        QVERIFY(w.document()->autosaveNow());
        QCOMPARE(bytesOf(autosave), good);
    }

    // Recovering an autosave that cannot be read (cut short by a full disk, written by a later
    // version) fails with a message, and the file is set aside, named in the message: the next
    // autosave of the reopened project writes a new file instead of destroying those edits.
    void anUnrecoverableAutosaveIsSetAsideNotOverwritten() {
        QTemporaryDir dir;
        const QString path = copyProject(dir.path());
        Document crashed; // stays alive: its autosave is what a crash leaves behind
        QVERIFY(crashed.load(path) && crashed.setParameter({"hidden", "Vthr", 2.0}, 1));
        QVERIFY(crashed.autosaveNow());
        const QString autosave = crashed.autosavePath();
        const QByteArray cutShort = "{\"format\": \"spikelab-autosave\", \"project_path\": \"" +
                                    path.toUtf8() + "\", \"project\": {\"format\": \"spikelab-pro";
        writeFile(autosave, cutShort);

        MainWindow w;
        QVERIFY(w.openProject(path));
        w.show();
        QVERIFY(!w.recoverFrom(autosave));
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains("the autosave is kept as"), qPrintable(message));
        const QString kept = message.section('"', -2, -2);
        QVERIFY2(kept.contains(".unreadable-"), qPrintable(kept));
        QCOMPARE(bytesOf(kept), cutShort);
        QVERIFY(!QFile::exists(autosave));
        QVERIFY(!Document::recoveryFile(path));
        // The project is open as it was saved, and its own edits autosave as before.
        QVERIFY(!w.isWindowModified());
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "3.5");
        QVERIFY(w.document()->autosaveNow());
        QVERIFY(bytesOf(autosave).contains("3.5"));
        QCOMPARE(bytesOf(kept), cutShort);
        QFile::remove(kept);
    }

    // A project that fails to open leaves the current one open, with its unsaved edit, and
    // running.
    void aProjectThatFailsToOpenLeavesTheCurrentOneRunning() {
        MainWindow w;
        QVERIFY(w.openProject(kDefaultProject));
        w.show();
        typeInto(w.parameterPanel()->spinBox("hidden", "Vthr"), "4.5");
        QVERIFY(runFor(w, 100));
        auto* controller = w.controller();
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.json");
        writeFile(bad, "{\"format\": \"spikelab-project\", \"version\": 2, \"name\": \"x\", "
                       "\"populations\": [{\"name\": \"a\", \"size\": 10, \"model\": \"LIF\", "
                       "\"size\": 20}]}");
        QVERIFY(!w.openProject(bad));
        QVERIFY2(w.statusBar()->currentMessage().contains("size"),
                 qPrintable(w.statusBar()->currentMessage()));
        QCOMPARE(w.controller(), controller);
        QCOMPARE(w.projectPath(), kDefaultProject);
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.spec().populations[1].params.at("Vthr"), 4.5);
        QCOMPARE(controller->network().populations[1].param("Vthr"), 4.5);
        // Still running through all of it.
        const std::int64_t before = controller->stepsDone();
        QVERIFY(waitFor([&] { return controller->stepsDone() > before + 100; }));
        runAction(w)->trigger();
        QVERIFY(waitFor([&] { return !controller->isRunning(); }));
    }
};

QTEST_MAIN(TestSurvival)
#include "test_survival.moc"
