// The Help menu and the window's icons, as a user meets them: About names the version, the
// commit being run, whether the CUDA backend is built and the compiler; Examples lists every
// example project of the source tree and opens the one picked; F1 asks to open the README at
// the section about the focused dock (or the dock under the pointer), the README really has
// each of those sections, and without a test's opener SpikeLab's own viewer shows it. The
// window, the toolbar and the palette have their icons.
#include "app_paths.h"
#include "help_menu.h"
#include "help_viewer.h"
#include "icons.h"
#include "main_window.h"
#include "node_palette.h"

#include "spikelab/models.h"

#include <QDockWidget>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QToolBar>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

const QString kReadme = QString(SPIKELAB_SOURCE_DIR) + "/README.md";

// What the README calls each dock: the section F1 must land on, and how that section starts.
struct Expected {
    const char* dock;
    const char* anchor;
    const char* startsWith;
};
constexpr Expected kDocks[] = {
    {"sampleDock", "sample", "Sample"},
    {"parametersDock", "parameters", "Parameters"},
    {"networkDock", "drawing-a-network", "Drawing a network"},
    {"tracesDock", "membrane-traces", "Membrane traces"},
    {"statisticsDock", "statistics", "Statistics"},
    {"weightsDock", "weights", "Weights"},
    {"inspectorDock", "inspector", "Inspector"},
};

// True when the icon draws something at 24 px (not a null or fully transparent picture).
bool drawsSomething(const QIcon& icon) {
    const QImage image = icon.pixmap(24, 24).toImage();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qAlpha(image.pixel(x, y)) > 0) return true;
    return false;
}

QString git(const QStringList& args) {
    QProcess p;
    p.start("git", QStringList{"-C", SPIKELAB_SOURCE_DIR} + args);
    if (!p.waitForFinished(10000) || p.exitCode() != 0) return {};
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Presses F1 in `w` and returns the URL it asked to open.
QUrl pressF1(MainWindow& w) {
    QUrl asked;
    w.helpMenu()->setUrlOpener([&](const QUrl& url) {
        asked = url;
        return true;
    });
    QTest::keyClick(&w, Qt::Key_F1);
    return asked;
}

} // namespace

class TestHelpMenu : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabTest");
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    }

    void aboutNamesVersionCommitCudaAndCompiler() {
        MainWindow w;
        w.helpMenu()->aboutAction()->trigger();
        QMessageBox* box = w.helpMenu()->aboutBox();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(!box->iconPixmap().isNull());
        const QString text = box->text();
        QVERIFY2(text.contains(SPIKELAB_EXPECTED_VERSION), qPrintable(text));
        const QString head = git({"rev-parse", "--short=12", "HEAD"});
        if (!head.isEmpty()) QVERIFY2(text.contains(head), qPrintable(head + " not in " + text));
#if defined(__GNUC__) && !defined(__clang__)
        const QString compiler = QString("GCC %1.%2.%3").arg(__GNUC__).arg(__GNUC_MINOR__)
                                     .arg(__GNUC_PATCHLEVEL__);
        QVERIFY2(text.contains(compiler), qPrintable(text));
#endif
#if defined(SPIKELAB_HAVE_CUDA)
        QVERIFY2(!text.contains("not built") && text.contains("CUDA backend"), qPrintable(text));
#else
        QVERIFY2(text.contains("CUDA backend</td><td>not built"), qPrintable(text));
#endif
        // A second click brings the same box forward instead of stacking another.
        w.helpMenu()->aboutAction()->trigger();
        QCOMPARE(w.findChildren<QMessageBox*>("aboutBox").size(), 1);
    }

    void examplesListEveryProjectAndOpenThePickedOne() {
        namespace fs = std::filesystem;
        QStringList expected;
        for (const auto& dir : fs::directory_iterator(fs::path(SPIKELAB_SOURCE_DIR) / "projects"))
            for (const auto& file : fs::directory_iterator(dir.path()))
                if (file.path().extension() == ".json")
                    expected << QString::fromStdString(file.path().string());
        expected.sort();
        QVERIFY(expected.size() >= 4);

        MainWindow w;
        QStringList listed;
        QAction* mushroom = nullptr;
        for (QAction* a : w.helpMenu()->examplesMenu()->actions()) {
            if (a->data().toString().isEmpty()) continue; // the separator and the folder entry
            listed << QDir::cleanPath(a->data().toString());
            QVERIFY2(!a->toolTip().isEmpty(), qPrintable(a->text())); // the project's description
            if (a->text() == "mushroom-body-pn") mushroom = a;
        }
        QCOMPARE(listed, expected);
        QVERIFY(mushroom);
        mushroom->trigger();
        QCOMPARE(w.projectPath(), QDir::cleanPath(mushroom->data().toString()));
        QCOMPARE(QString::fromStdString(w.spec().name), QString("mushroom-body-pn"));
    }

    void f1AsksForTheFocusedDocksSection() {
        MainWindow w;
        w.resize(1280, 820);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::setActiveWindow(&w);
        for (const auto& e : kDocks) {
            auto* dock = w.findChild<QDockWidget*>(e.dock);
            QVERIFY2(dock, e.dock);
            dock->raise(); // tabbed docks: the one clicked on is in front
            dock->widget()->setFocus(Qt::MouseFocusReason);
            QVERIFY2(dock->widget()->hasFocus() || dock->isAncestorOf(QApplication::focusWidget()),
                     e.dock);
            const QUrl url = pressF1(w);
            QCOMPARE(url.toLocalFile(), QDir::cleanPath(kReadme));
            QCOMPARE(url.fragment(), QString(e.anchor));
        }
    }

    void f1WithoutAFocusedDockUsesTheDockUnderThePointer() {
        MainWindow w;
        w.resize(1280, 820);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* weights = w.findChild<QDockWidget*>("weightsDock");
        weights->raise();
        w.centralWidget()->setFocus();
        QCursor::setPos(weights->mapToGlobal(weights->rect().center()));
        QCOMPARE(pressF1(w).fragment(), QString("weights"));
        // Neither focus nor pointer on a dock: the workbench section.
        QCursor::setPos(w.centralWidget()->mapToGlobal(w.centralWidget()->rect().center()));
        QCOMPARE(pressF1(w).fragment(), QString("the-workbench-spikelab"));
    }

    void theReadmeHasEverySectionF1Opens() {
        HelpViewer viewer;
        viewer.show();
        for (const auto& e : kDocks) {
            QUrl url = QUrl::fromLocalFile(kReadme);
            url.setFragment(e.anchor);
            QVERIFY2(viewer.open(url), e.anchor);
            QVERIFY2(viewer.shownSectionText().startsWith(e.startsWith),
                     qPrintable(viewer.shownSectionText()));
        }
        QVERIFY(viewer.sections().contains("the-workbench-spikelab"));
        QVERIFY(!viewer.showSection("no-such-section"));
        QCOMPARE(HelpViewer::anchorOf("The workbench: `spikelab`"), QString("the-workbench-spikelab"));
    }

    void f1WithoutAnOpenerShowsTheReadmeInsideTheWorkbench() {
        MainWindow w;
        w.resize(1280, 820);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* stats = w.findChild<QDockWidget*>("statisticsDock");
        stats->raise();
        stats->widget()->setFocus();
        QTest::keyClick(&w, Qt::Key_F1);
        auto* viewer = w.findChild<HelpViewer*>();
        QVERIFY(viewer);
        QVERIFY(viewer->isVisible());
        QVERIFY2(viewer->shownSectionText().startsWith("Statistics"),
                 qPrintable(viewer->shownSectionText()));
    }

    void windowToolbarAndPaletteHaveIcons() {
        MainWindow w;
        QVERIFY(drawsSomething(w.windowIcon()));
        QVERIFY(drawsSomething(appIcon()));
        auto* bar = w.findChild<QToolBar*>("simulationToolBar");
        QVERIFY(bar);
        int withText = 0;
        for (QAction* a : bar->actions()) {
            if (a->isSeparator() || a->text().isEmpty()) continue; // the speed box
            QVERIFY2(drawsSomething(a->icon()), qPrintable(a->text()));
            ++withText;
        }
        QCOMPARE(withText, 7);
        for (const auto& m : neuronModels())
            QVERIFY2(!paletteGlyph(m.name).isEmpty(), m.name.c_str());
        for (const auto& e : encoders())
            QVERIFY2(!paletteGlyph(e.name).isEmpty(), e.name.c_str());
        QVERIFY(paletteGlyph("NoSuchModel").isEmpty());
    }
};

QTEST_MAIN(TestHelpMenu)
#include "test_help_menu.moc"
