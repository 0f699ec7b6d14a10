// Issue 12, item 11: the window on a small laptop screen (1024x700), a common one (1280x820)
// and a large one (1920x1080), with the default project after a few samples. The window fits
// the screen with its status bar; the toolbar shows every button; no text in a dock, a dock's
// tab or the node palette is cut; the sample header, every class of the confusion matrix and
// the network's text can be read. Each size is also saved as a PNG (its path is printed) for a
// person to look at.
#include "main_window.h"

#include "network_canvas.h"
#include "node_palette.h"
#include "sample_view.h"
#include "simulation_controller.h"
#include "statistics_view.h"
#include "trace_view.h"
#include "wait_for.h"
#include "weight_view.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QStyleOptionComboBox>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

#include <filesystem>
#include <functional>

using namespace spikelab::ui;

namespace {

const QString kProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
const char* kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

QString describe(const QWidget* w, const QString& text) {
    QString path;
    for (const QWidget* p = w; p; p = p->parentWidget()) {
        if (auto* dock = qobject_cast<const QDockWidget*>(p)) {
            path = dock->objectName();
            break;
        }
    }
    return QStringLiteral("%1 %2 \"%3\" (%4 px wide)")
        .arg(path, QString::fromLatin1(w->metaObject()->className()), text)
        .arg(w->width());
}

int widestLine(const QFontMetrics& fm, const QString& text) {
    int widest = 0;
    for (const QString& line : text.split('\n'))
        widest = std::max(widest, fm.horizontalAdvance(line));
    return widest;
}

// Every shown text under `root` that does not fit its widget: labels (not word-wrapped ones),
// buttons and check boxes (their size hint is what their text needs), combo boxes (the current
// text in the edit field).
QStringList cutTexts(QWidget* root) {
    QStringList cut;
    for (auto* l : root->findChildren<QLabel*>()) {
        if (!l->isVisibleTo(root) || !l->isVisible() || l->text().isEmpty() || l->wordWrap() ||
            Qt::mightBeRichText(l->text()))
            continue;
        const int room = l->contentsRect().width() - 2 * l->margin() - std::max(0, l->indent());
        if (widestLine(l->fontMetrics(), l->text()) > room) cut << describe(l, l->text());
    }
    for (auto* b : root->findChildren<QAbstractButton*>()) {
        if (!b->isVisible() || b->text().isEmpty()) continue;
        if (b->sizeHint().width() > b->width()) cut << describe(b, b->text());
    }
    // Anything cut off sideways by what holds it (a scroll area, the dock's edge).
    for (auto* w : root->findChildren<QWidget*>()) {
        if (!w->isVisible() || !(qobject_cast<QLabel*>(w) || qobject_cast<QAbstractButton*>(w) ||
                                 qobject_cast<QComboBox*>(w) || qobject_cast<QAbstractSpinBox*>(w)))
            continue;
        const QRect shown = w->visibleRegion().boundingRect();
        if (!shown.isEmpty() && shown.width() < w->width())
            cut << describe(w, QStringLiteral("shown %1 px of it").arg(shown.width()));
    }
    for (auto* c : root->findChildren<QComboBox*>()) {
        if (!c->isVisible() || c->currentText().isEmpty()) continue;
        QStyleOptionComboBox option;
        option.initFrom(c);
        option.editable = c->isEditable();
        const QRect field = c->style()->subControlRect(QStyle::CC_ComboBox, &option,
                                                       QStyle::SC_ComboBoxEditField, c);
        if (c->fontMetrics().horizontalAdvance(c->currentText()) > field.width())
            cut << describe(c, c->currentText());
    }
    return cut;
}

// Tabs of tabbed docks whose title is cut.
QStringList cutTabs(MainWindow& w) {
    QStringList cut;
    for (auto* bar : w.findChildren<QTabBar*>()) {
        if (!bar->isVisible()) continue;
        for (int i = 0; i < bar->count(); ++i)
            if (bar->fontMetrics().horizontalAdvance(bar->tabText(i)) > bar->tabRect(i).width() - 8)
                cut << QStringLiteral("tab \"%1\" (%2 px)")
                           .arg(bar->tabText(i))
                           .arg(bar->tabRect(i).width());
    }
    return cut;
}

} // namespace

class TestLayout : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    QString shots_;

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabLayoutTest");
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        shots_ = QDir::temp().filePath("spikelab-test-layout");
        QDir().mkpath(shots_);
    }
    void fitsTheScreen_data();
    void fitsTheScreen();
};

void TestLayout::fitsTheScreen_data() {
    QTest::addColumn<QSize>("screen");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("1280x820") << QSize(1280, 820);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TestLayout::fitsTheScreen() {
    QFETCH(QSize, screen);
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    QSettings().clear();                           // the default layout, not the last test's
    QSettings().setValue("simulation/speed", 0.0); // as fast as the engine goes
    MainWindow w;
    QVERIFY(w.openProject(kProject));
    w.resize(screen);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // Two samples of 100 steps presented: a prediction in the sample view, counts in the
    // matrix.
    auto* c = w.controller();
    c->stepN(200);
    QVERIFY(waitFor([&] { return c->stepsDone() == 200 && !c->isRunning(); }));
    QTest::qWait(30);
    w.pumpFrames();
    QCOMPARE(w.statisticsView()->presented(), std::int64_t(2));
    QVERIFY(w.sampleView()->hasPrediction());
    QTest::qWait(50);

    // The window as asked, its status bar inside it; a window manager's title bar (about 30
    // px) still leaves it on the screen.
    QCOMPARE(w.size(), screen);
    QVERIFY2(w.minimumSizeHint().height() <= screen.height() - 30,
             qPrintable(QStringLiteral("minimum height %1").arg(w.minimumSizeHint().height())));
    QVERIFY(w.statusBar()->isVisible());
    QVERIFY(w.rect().contains(w.statusBar()->geometry()));
    // Every toolbar button shown: no overflow menu.
    for (auto* bar : w.findChildren<QToolBar*>()) {
        auto* more = bar->findChild<QToolButton*>("qt_toolbar_ext_button");
        QVERIFY2(!more || !more->isVisible(), qPrintable(bar->objectName() + " overflows"));
    }

    // The most traces the view takes (8), of the hidden population.
    for (int n = 120; n < 128; ++n) w.traceNeuron(1, n);
    QVERIFY(waitFor([&] {
        w.pumpFrames();
        return w.traceView()->neurons().size() == 8;
    }));

    const QString shot = QDir(shots_).filePath(
        QStringLiteral("window-%1x%2.png").arg(screen.width()).arg(screen.height()));
    QVERIFY(w.grab().save(shot));
    qInfo("screenshot: %s", qPrintable(shot));

    // Each dock brought forward in turn (tabbed ones share a place; the model editor is shown
    // first, as Ctrl+M does): nothing cut.
    QStringList cut = cutTabs(w);
    for (auto* dock : w.findChildren<QDockWidget*>()) {
        dock->show();
        dock->raise();
        QTest::qWait(20);
        QVERIFY(dock->widget()->isVisible());
        cut << cutTexts(dock);
        dock->grab().save(QDir(shots_).filePath(QStringLiteral("%1-%2x%3.png")
                                                    .arg(dock->objectName())
                                                    .arg(screen.width())
                                                    .arg(screen.height())));
    }
    // The trace legend's entries: each as wide as its text wants.
    for (auto* dock : w.findChildren<QDockWidget*>())
        if (dock->widget() == w.traceView()) dock->raise();
    QTest::qWait(50);
    // The legend draws each label as a text item, elided when it lacks room.
    QLegend* legend = w.traceView()->chart()->legend();
    QStringList drawn;
    std::function<void(QGraphicsItem*)> collect = [&](QGraphicsItem* item) {
        if (auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item))
            if (text->isVisible()) drawn << text->toPlainText();
        for (QGraphicsItem* child : item->childItems()) collect(child);
    };
    collect(legend);
    QCOMPARE(legend->markers().size(), 9); // the threshold and eight neurons
    for (const QLegendMarker* marker : legend->markers())
        if (!drawn.contains(marker->label()))
            cut << QStringLiteral("trace legend \"%1\" drawn as %2")
                       .arg(marker->label(), drawn.join(" | "));
    // The node palette's entries (CurrentInjection is the longest).
    if (w.palette()->sizeHintForColumn(0) > w.palette()->viewport()->width())
        cut << QStringLiteral("palette entries need %1 px, have %2")
                   .arg(w.palette()->sizeHintForColumn(0))
                   .arg(w.palette()->viewport()->width());
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join("\n")));

    // The sample header: every line of it whole, the prediction among them.
    SampleView* sample = w.sampleView();
    const QStringList header = sample->headerLines(sample->size());
    QVERIFY(header.join(' ').contains("predicted"));
    for (const QString& line : header)
        QVERIFY2(sample->headerWidth(line) <= sample->width() - 16, qPrintable(line));

    // The confusion matrix names all ten classes, each in the room it has.
    auto* stats = w.statisticsView();
    for (auto* dock : w.findChildren<QDockWidget*>())
        if (dock->widget() == stats) dock->raise();
    QTest::qWait(20);
    const QSize matrix = stats->confusionSize();
    const auto labels = stats->confusionLabels(matrix);
    QCOMPARE(int(labels.size()), 2 * 10);
    for (const auto& label : labels) {
        QVERIFY(!label.text.isEmpty());
        QVERIFY2(QFontMetrics(label.font).horizontalAdvance(label.text) <= label.room,
                 qPrintable(QStringLiteral("%1 in %2 px").arg(label.text).arg(label.room)));
        QVERIFY(label.font.pixelSize() >= StatisticsView::kMinTextPixels);
    }
    // Counts are written in whole (a count that does not fit is left to the cell's tooltip):
    // up to 99 at every size, up to 999 on a large screen.
    QVERIFY2(stats->confusionCountFits(matrix, screen.width() >= 1920 ? 999 : 99),
             qPrintable(QStringLiteral("matrix %1 x %2, cells %3 px")
                            .arg(matrix.width())
                            .arg(matrix.height())
                            .arg(stats->confusionCellRect(matrix, 0, 0).width())));

    // The network's text no smaller than the minimum.
    for (auto* dock : w.findChildren<QDockWidget*>())
        if (dock->objectName() == "networkDock") dock->raise();
    QTest::qWait(20);
    QVERIFY2(w.canvas()->smallestTextPixels() >= NetworkView::kMinTextPixels - 1e-6,
             qPrintable(QString::number(w.canvas()->smallestTextPixels())));
}

QTEST_MAIN(TestLayout)
#include "test_layout.moc"
