// WeightView: the colour scale, cells drawn and picked at the right pixels at any zoom,
// absent synapses, live updates, receptive fields, CSV/PNG/SVG export and bad input.
#include "weight_colours.h"
#include "weight_view.h"

#include <spikelab/compiled.h>
#include <spikelab/project.h>

#include <QAbstractScrollArea>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

#include <cmath>
#include <filesystem>
#include <vector>

using spikelab::ConnectivityType;
using spikelab::SynapseMatrix;
using spikelab::ui::WeightView;
using Cell = std::pair<std::int64_t, std::int64_t>;

namespace {

SynapseMatrix dense(std::int64_t numPre, std::int64_t numPost, std::vector<float> weights) {
    SynapseMatrix m;
    m.type = ConnectivityType::Dense;
    m.numPre = numPre;
    m.numPost = numPost;
    m.weights = std::move(weights);
    return m;
}

// Sparse 3 x 4: (0,1) = 0.5, (1,0) = 0 (a synapse of weight zero), (2,3) = -0.25.
SynapseMatrix sparse3x4() {
    SynapseMatrix m;
    m.type = ConnectivityType::Sparse;
    m.numPre = 3;
    m.numPost = 4;
    m.rowStart = {0, 1, 2, 3};
    m.targets = {1, 0, 3};
    m.weights = {0.5f, 0.0f, -0.25f};
    return m;
}

QAbstractScrollArea* scrollArea(WeightView& v) {
    return v.findChild<QAbstractScrollArea*>();
}

// The centre of cell (pre, post) in matrix mode, from the documented geometry.
QPoint cellCentre(const WeightView& v, std::int64_t pre, std::int64_t post) {
    const int z = int(v.zoom());
    return v.mapArea().topLeft() - v.scrollOffset() +
           QPoint(int(post) * z + z / 2, int(pre) * z + z / 2);
}

QImage grabbed(WeightView& v) {
    return v.grab().toImage().convertToFormat(QImage::Format_RGB32);
}

void showAt(WeightView& v, QSize size) {
    v.resize(size);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
}

double lightness(QColor c) {
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue();
}

QString readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace

class TestWeightView : public QObject {
    Q_OBJECT
private slots:
    void colourScale();
    void denseCellsHaveTheirColours();
    void pickingAfterZoomAndScroll();
    void wheelZoomKeepsTheCellUnderThePointer();
    void fitShowsEverything();
    void absentSynapsesAreGrey();
    void updateKeepsZoomAndScroll();
    void receptiveFields();
    void csvExact();
    void exports();
    void badMatrixRefused();
    void projectionChooser();
    void realProject();
    void robustScale();
    void receptiveFieldsReadableInALowDock();
};

void TestWeightView::colourScale() {
    QCOMPARE(WeightView::colourFor(0.0f, 1.0f), QColor(255, 255, 255));
    const QColor neg = WeightView::colourFor(-1.0f, 1.0f);
    const QColor pos = WeightView::colourFor(1.0f, 1.0f);
    QVERIFY(neg.blue() > neg.red() + 80);
    QVERIFY(pos.red() > pos.blue() + 80);
    // Stronger weights are darker; beyond the limit the colour saturates.
    QVERIFY(lightness(WeightView::colourFor(-0.3f, 1.0f)) > lightness(neg) + 60);
    QCOMPARE(WeightView::colourFor(5.0f, 1.0f), pos);
    QCOMPARE(WeightView::colourFor(-0.5f, 0.5f), neg);
    // Symmetric: +w and -w are equally far from white.
    for (float w : {0.1f, 0.25f, 0.5f, 0.75f, 1.0f}) {
        const double a = lightness(WeightView::colourFor(w, 1.0f));
        const double b = lightness(WeightView::colourFor(-w, 1.0f));
        QVERIFY2(std::abs(a - b) < 6.0, qPrintable(QString("%1: %2 vs %3").arg(w).arg(a).arg(b)));
        QVERIFY(WeightView::colourFor(w, 1.0f).red() > WeightView::colourFor(w, 1.0f).blue());
        QVERIFY(WeightView::colourFor(-w, 1.0f).blue() > WeightView::colourFor(-w, 1.0f).red());
    }
    // "No synapse" is a neutral grey, distinct from white (weight 0) and from faint weights.
    const QColor none = WeightView::noSynapseColour();
    QCOMPARE(none.red(), none.green());
    QCOMPARE(none.green(), none.blue());
    QVERIFY(none.red() < 200);
    QVERIFY(WeightView::colourFor(std::nanf(""), 1.0f) != none);
    // An all-zero matrix (limit 0) is white, not NaN-coloured.
    QCOMPARE(WeightView::colourFor(0.0f, 0.0f), QColor(255, 255, 255));
}

void TestWeightView::denseCellsHaveTheirColours() {
    WeightView v;
    // pre x post = 3 x 2, row-major.
    const std::vector<float> w{-2.0f, 0.0f, 1.0f, 2.0f, 0.5f, -1.0f};
    QVERIFY(v.setMatrix("a_b", "a", "b", dense(3, 2, w)));
    QCOMPARE(v.limit(), 2.0f);
    showAt(v, QSize(520, 400));
    v.setZoom(20);
    QCOMPARE(v.zoom(), 20.0);
    QCOMPARE(v.scrollOffset(), QPoint(0, 0));
    const QImage img = grabbed(v);
    for (int pre = 0; pre < 3; ++pre)
        for (int post = 0; post < 2; ++post) {
            const QColor expected = WeightView::colourFor(w[std::size_t(pre * 2 + post)], 2.0f);
            // Every pixel of the 20 x 20 cell, not only its centre.
            const QPoint c = cellCentre(v, pre, post);
            for (int dy = -9; dy <= 9; dy += 3)
                for (int dx = -9; dx <= 9; dx += 3)
                    QCOMPARE(img.pixelColor(c + QPoint(dx, dy)), expected);
            QCOMPARE(v.cellAt(c), (std::optional<Cell>{{pre, post}}));
        }
    // Pre runs down, post across: the strongest positive weight (pre 1, post 1) is red.
    QVERIFY(img.pixelColor(cellCentre(v, 1, 1)).red() > 150);
    QVERIFY(img.pixelColor(cellCentre(v, 0, 0)).blue() > 150);
}

void TestWeightView::pickingAfterZoomAndScroll() {
    WeightView v;
    std::vector<float> w(200 * 150);
    for (std::int64_t pre = 0; pre < 200; ++pre)
        for (std::int64_t post = 0; post < 150; ++post)
            w[std::size_t(pre * 150 + post)] = float(pre) * 0.001f + float(post) * 1e-5f;
    QVERIFY(v.setMatrix("in_hid", "in", "hid", dense(200, 150, w)));
    showAt(v, QSize(500, 400));
    v.setZoom(8);
    QCOMPARE(v.zoom(), 8.0);
    scrollArea(v)->horizontalScrollBar()->setValue(333);
    scrollArea(v)->verticalScrollBar()->setValue(101);
    QCOMPARE(v.scrollOffset(), QPoint(333, 101));
    // Cell (pre 20, post 50) starts at content (400, 160).
    const QPoint p = v.mapArea().topLeft() + QPoint(400 - 333 + 3, 160 - 101 + 5);
    QCOMPARE(v.cellAt(p), (std::optional<Cell>{{20, 50}}));
    QCOMPARE(v.toolTipAt(p), QStringLiteral("pre 20 -> post 50: w = 0.0205"));
    QCOMPARE(v.cellAt(p + QPoint(5, 0)), (std::optional<Cell>{{20, 51}}));
    QCOMPARE(v.cellAt(p + QPoint(0, 3)), (std::optional<Cell>{{21, 50}}));
    // The drawn colour at that point is the cell's.
    QCOMPARE(grabbed(v).pixelColor(p), WeightView::colourFor(w[20 * 150 + 50], v.limit()));
    // Outside the map (over the rulers, the tool row, the colour bar): nothing.
    QVERIFY(!v.cellAt(v.mapArea().topLeft() - QPoint(3, 3)));
    QVERIFY(!v.cellAt(QPoint(2, 2)));
    QVERIFY(v.toolTipAt(QPoint(2, 2)).isEmpty());

    // The zoom buttons step the zoom; the minus button undoes the plus.
    auto* in = v.findChild<QToolButton*>("zoomIn");
    auto* out = v.findChild<QToolButton*>("zoomOut");
    QVERIFY(in && out);
    in->click();
    QCOMPARE(v.zoom(), 12.0);
    out->click();
    out->click();
    QCOMPARE(v.zoom(), 6.0);
}

void TestWeightView::wheelZoomKeepsTheCellUnderThePointer() {
    WeightView v;
    QVERIFY(v.setMatrix("p", "a", "b", dense(300, 300, std::vector<float>(90000, 0.1f))));
    showAt(v, QSize(500, 400));
    v.setZoom(8);
    scrollArea(v)->horizontalScrollBar()->setValue(800);
    scrollArea(v)->verticalScrollBar()->setValue(800);
    const QPoint at = v.mapArea().center();
    const auto before = v.cellAt(at);
    QVERIFY(before);
    QWidget* viewport = scrollArea(v)->viewport();
    const QPoint local = viewport->mapFrom(&v, at);
    QWheelEvent up(local, viewport->mapToGlobal(local), QPoint(), QPoint(0, 120), Qt::NoButton,
                   Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &up);
    QCOMPARE(v.zoom(), 12.0);
    QCOMPARE(v.cellAt(at), before);
    QWheelEvent down(local, viewport->mapToGlobal(local), QPoint(), QPoint(0, -120), Qt::NoButton,
                     Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &down);
    QApplication::sendEvent(viewport, &down);
    QCOMPARE(v.zoom(), 6.0);
    QCOMPARE(v.cellAt(at), before);
    // Without Ctrl the wheel scrolls and leaves the zoom alone.
    const QPoint scroll = v.scrollOffset();
    QWheelEvent plain(local, viewport->mapToGlobal(local), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &plain);
    QCOMPARE(v.zoom(), 6.0);
    QVERIFY(v.scrollOffset().y() > scroll.y());
}

void TestWeightView::fitShowsEverything() {
    WeightView v;
    QVERIFY(v.setMatrix("p", "a", "b", dense(40, 30, std::vector<float>(1200, 0.5f))));
    showAt(v, QSize(600, 500));
    // A small matrix is enlarged to whole pixels per cell, and nothing scrolls.
    QVERIFY(v.zoom() >= 8.0);
    QCOMPARE(v.zoom(), std::floor(v.zoom()));
    QCOMPARE(v.scrollOffset(), QPoint(0, 0));
    QCOMPARE(scrollArea(v)->verticalScrollBar()->maximum(), 0);
    QCOMPARE(v.cellAt(cellCentre(v, 39, 29)), (std::optional<Cell>{{39, 29}}));
    QVERIFY(v.mapArea().contains(cellCentre(v, 39, 29)));

    // Zoomed in, then "fit" again: back to the whole matrix.
    v.setZoom(40);
    QVERIFY(scrollArea(v)->verticalScrollBar()->maximum() > 0);
    v.findChild<QToolButton*>("fit")->click();
    QCOMPARE(scrollArea(v)->verticalScrollBar()->maximum(), 0);
    QCOMPARE(scrollArea(v)->horizontalScrollBar()->maximum(), 0);

    // A matrix taller than the view shrinks below one pixel per cell to fit.
    QVERIFY(v.setMatrix("big", "a", "b", dense(2000, 10, std::vector<float>(20000, 0.5f))));
    QVERIFY(v.zoom() < 1.0);
    QCOMPARE(scrollArea(v)->verticalScrollBar()->maximum(), 0);
    const int height = int(std::lround(2000 * v.zoom()));
    QVERIFY(height <= v.mapArea().height() && height > v.mapArea().height() - 10);
    const QPoint lastRow = v.mapArea().topLeft() + QPoint(0, height - 1);
    QVERIFY(v.cellAt(lastRow).has_value());
    QVERIFY(v.cellAt(lastRow)->first >= 1990);
    QVERIFY(!v.cellAt(lastRow + QPoint(0, 1)));
}

void TestWeightView::absentSynapsesAreGrey() {
    WeightView v;
    QVERIFY(v.setMatrix("sp", "a", "b", sparse3x4()));
    showAt(v, QSize(500, 400));
    v.setZoom(16);
    QImage img = grabbed(v);
    QCOMPARE(img.pixelColor(cellCentre(v, 0, 0)), WeightView::noSynapseColour());
    QCOMPARE(img.pixelColor(cellCentre(v, 2, 2)), WeightView::noSynapseColour());
    QCOMPARE(img.pixelColor(cellCentre(v, 1, 0)), QColor(255, 255, 255)); // weight 0 exists
    QCOMPARE(img.pixelColor(cellCentre(v, 0, 1)), WeightView::colourFor(0.5f, 0.5f));
    QCOMPARE(img.pixelColor(cellCentre(v, 2, 3)), WeightView::colourFor(-0.25f, 0.5f));
    QCOMPARE(v.toolTipAt(cellCentre(v, 0, 0)), QStringLiteral("pre 0 -> post 0: no synapse"));
    QCOMPARE(v.toolTipAt(cellCentre(v, 1, 0)), QStringLiteral("pre 1 -> post 0: w = 0"));
    QCOMPARE(v.toolTipAt(cellCentre(v, 2, 3)), QStringLiteral("pre 2 -> post 3: w = -0.25"));

    // One-to-one: only the diagonal exists.
    SynapseMatrix diag;
    diag.type = ConnectivityType::OneToOne;
    diag.numPre = diag.numPost = 3;
    diag.weights = {1.0f, -1.0f, 0.5f};
    QVERIFY(v.setMatrix("diag", "a", "a", diag));
    v.setZoom(16);
    img = grabbed(v);
    QCOMPARE(img.pixelColor(cellCentre(v, 1, 1)), WeightView::colourFor(-1.0f, 1.0f));
    QCOMPARE(img.pixelColor(cellCentre(v, 1, 2)), WeightView::noSynapseColour());
    QCOMPARE(v.toolTipAt(cellCentre(v, 2, 0)), QStringLiteral("pre 2 -> post 0: no synapse"));
}

void TestWeightView::updateKeepsZoomAndScroll() {
    WeightView v;
    v.setScale(WeightView::Scale::Max); // the limit follows the one largest weight below
    std::vector<float> w(784 * 128);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = float(int(i % 7) - 3) * 0.01f;
    QVERIFY(v.setMatrix("input_hidden", "input", "hidden", dense(784, 128, w)));
    showAt(v, QSize(700, 500));
    v.setZoom(6);
    scrollArea(v)->horizontalScrollBar()->setValue(120);
    scrollArea(v)->verticalScrollBar()->setValue(900);
    const QPoint scroll = v.scrollOffset();
    const QPoint at = cellCentre(v, 160, 30);
    QCOMPARE(v.cellAt(at), (std::optional<Cell>{{160, 30}}));
    auto largest = [&] {
        float m = 0.0f;
        for (float x : w) m = std::max(m, std::abs(x));
        return m;
    };
    QCOMPARE(v.limit(), largest());
    // Weight -0.03 is the strongest negative: full blue.
    QCOMPARE(grabbed(v).pixelColor(at), WeightView::colourFor(-1.0f, 1.0f));

    // New values, larger range: the cell changes colour, the view stays where it was.
    for (float& x : w) x = -x * 2.0f;
    w[160 * 128 + 30] = 0.07f;
    QVERIFY(v.updateWeights(w));
    QCOMPARE(v.limit(), 0.07f);
    QCOMPARE(v.zoom(), 6.0);
    QCOMPARE(v.scrollOffset(), scroll);
    QCOMPARE(v.mode(), WeightView::Mode::Matrix);
    QCOMPARE(grabbed(v).pixelColor(at), WeightView::colourFor(1.0f, 1.0f));
    QCOMPARE(grabbed(v).pixelColor(cellCentre(v, 160, 31)),
             WeightView::colourFor(w[160 * 128 + 31], 0.07f));

    // A different synapse count is refused; nothing changes.
    const std::vector<float> wrong(10, 1.0f);
    QVERIFY(!v.updateWeights(wrong));
    QCOMPARE(v.limit(), 0.07f);

    // The same projection again keeps the zoom; another one is fitted.
    QVERIFY(v.setMatrix("input_hidden", "input", "hidden", dense(784, 128, w)));
    QCOMPARE(v.zoom(), 6.0);
    QCOMPARE(v.scrollOffset(), scroll);

    // Cost of a live update of 784 x 128 weights plus the repaint.
    QWidget* viewport = scrollArea(v)->viewport();
    QElapsedTimer timer;
    timer.start();
    const int reps = 20;
    for (int i = 0; i < reps; ++i) {
        w[std::size_t(i)] += 0.001f;
        QVERIFY(v.updateWeights(w));
        viewport->repaint();
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6 / reps;
    v.fitToView();
    timer.restart();
    for (int i = 0; i < reps; ++i) {
        QVERIFY(v.updateWeights(w));
        viewport->repaint();
    }
    const double fitMs = double(timer.nsecsElapsed()) / 1e6 / reps;
    qInfo("784x128 dense updateWeights + repaint (700x500): %.2f ms at zoom 6, %.2f ms fitted", ms,
          fitMs);
    QVERIFY2(ms < 100.0 && fitMs < 100.0, qPrintable(QString::number(ms)));
}

void TestWeightView::receptiveFields() {
    WeightView v;
    // 784 x 10: post neuron 3 sees a vertical bar (column 14, rows 4-23) of +1 and a -1 at
    // the top-left pixel; every other weight is 0.
    std::vector<float> w(784 * 10, 0.0f);
    for (int row = 4; row <= 23; ++row) w[std::size_t((row * 28 + 14) * 10 + 3)] = 1.0f;
    w[3] = -1.0f;
    QVERIFY(v.setMatrix("input_hidden", "input", "hidden", dense(784, 10, w)));
    QVERIFY(v.receptiveFieldsAvailable());
    QVERIFY(v.tileArea(3).isEmpty()); // matrix mode has no tiles
    showAt(v, QSize(700, 500));
    QVERIFY(v.setMode(WeightView::Mode::ReceptiveFields));
    const QRect tile = v.tileArea(3);
    QVERIFY(!tile.isEmpty());
    QCOMPARE(tile.width(), tile.height());
    QCOMPARE(tile.width() % 28, 0);
    const int z = tile.width() / 28;
    QVERIFY(z >= 3); // 10 tiles of 28 x 28 fit large in 700 x 500
    QCOMPARE(v.zoom(), double(z));
    auto pixel = [&](const QRect& t, int row, int col) {
        return t.topLeft() + QPoint(col * z + z / 2, row * z + z / 2);
    };
    const QImage img = grabbed(v);
    const QColor red = WeightView::colourFor(1.0f, 1.0f);
    const QColor blue = WeightView::colourFor(-1.0f, 1.0f);
    const QColor white(255, 255, 255);
    for (int row = 4; row <= 23; ++row) QCOMPARE(img.pixelColor(pixel(tile, row, 14)), red);
    QCOMPARE(img.pixelColor(pixel(tile, 3, 14)), white);
    QCOMPARE(img.pixelColor(pixel(tile, 24, 14)), white);
    QCOMPARE(img.pixelColor(pixel(tile, 10, 13)), white);
    QCOMPARE(img.pixelColor(pixel(tile, 10, 15)), white);
    QCOMPARE(img.pixelColor(pixel(tile, 0, 0)), blue);
    // Neighbouring tiles are blank; tiles do not overlap.
    for (std::int64_t other : {2, 4}) {
        const QRect t = v.tileArea(other);
        QVERIFY(!t.intersects(tile));
        QCOMPARE(img.pixelColor(pixel(t, 10, 14)), white);
        QCOMPARE(img.pixelColor(pixel(t, 0, 0)), white);
    }
    QCOMPARE(v.cellAt(pixel(tile, 10, 14)), (std::optional<Cell>{{10 * 28 + 14, 3}}));
    QCOMPARE(v.toolTipAt(pixel(tile, 10, 14)),
             QStringLiteral("post 3, pixel (row 10, col 14) = pre 294: w = 1"));
    QCOMPARE(v.toolTipAt(pixel(tile, 0, 0)),
             QStringLiteral("post 3, pixel (row 0, col 0) = pre 0: w = -1"));
    // The gap between tiles picks nothing.
    QVERIFY(!v.cellAt(QPoint(tile.right() + 2, tile.center().y())));

    // Live updates keep the mode; the tiles follow the new weights.
    w[std::size_t((10 * 28 + 14) * 10 + 3)] = -1.0f;
    QVERIFY(v.updateWeights(w));
    QCOMPARE(v.mode(), WeightView::Mode::ReceptiveFields);
    QCOMPARE(grabbed(v).pixelColor(pixel(tile, 10, 14)), blue);

    // Pre sizes that are not square need a shape; a wrong one is not accepted.
    WeightView odd;
    QVERIFY(odd.setMatrix("x", "a", "b", dense(50, 2, std::vector<float>(100, 0.1f))));
    QVERIFY(!odd.receptiveFieldsAvailable());
    QVERIFY(!odd.setMode(WeightView::Mode::ReceptiveFields));
    QCOMPARE(odd.mode(), WeightView::Mode::Matrix);
    odd.setImageShape(7, 7);
    QVERIFY(!odd.receptiveFieldsAvailable());
    odd.setImageShape(5, 10);
    QVERIFY(odd.setMode(WeightView::Mode::ReceptiveFields));
    showAt(odd, QSize(500, 400));
    const QRect wide = odd.tileArea(1);
    QCOMPARE(wide.width() * 5, wide.height() * 10);
    // Going back to no shape drops the mode.
    odd.setImageShape(0, 0);
    QCOMPARE(odd.mode(), WeightView::Mode::Matrix);
}

void TestWeightView::csvExact() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    WeightView v;
    QVERIFY(v.setMatrix("sp", "a", "b", sparse3x4()));
    const QString path = dir.filePath("w.csv");
    QVERIFY(v.exportCsv(path));
    QCOMPARE(readAll(path), QStringLiteral("pre,post,weight\n0,1,0.5\n1,0,0\n2,3,-0.25\n"));

    // Dense: every pair, pre-major; floats written so they read back exactly.
    QVERIFY(v.setMatrix("d", "a", "b", dense(2, 2, {0.1f, -3e-7f, 12345.678f, 1.0f})));
    QVERIFY(v.exportCsv(path));
    QCOMPARE(readAll(path),
             QStringLiteral("pre,post,weight\n0,0,0.1\n0,1,-3e-07\n1,0,12345.678\n1,1,1\n"));
}

void TestWeightView::exports() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    WeightView v;
    QString error;
    // Nothing shown: nothing written, and the message says so.
    QVERIFY(!v.exportPng(dir.filePath("none.png"), &error));
    QVERIFY(error.contains("none.png"));
    QVERIFY(!QFile::exists(dir.filePath("none.png")));

    std::vector<float> w(64 * 16);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = float(int(i % 5) - 2);
    QVERIFY(v.setMatrix("in_out", "in", "out", dense(64, 16, w)));
    const QString png = dir.filePath("w.png");
    QVERIFY(v.exportPng(png, &error));
    const QImage back(png);
    QVERIFY(!back.isNull());
    // The map is drawn large enough to read (long side >= 512) with its rulers and bar.
    QVERIFY(back.height() >= 512 + 40);
    int red = 0, blue = 0, grey = 0;
    for (int y = 0; y < back.height(); ++y)
        for (int x = 0; x < back.width(); ++x) {
            const QColor c = back.pixelColor(x, y);
            red += c == WeightView::colourFor(2.0f, 2.0f);
            blue += c == WeightView::colourFor(-2.0f, 2.0f);
            grey += c == WeightView::noSynapseColour();
        }
    QVERIFY(red > 1000 && blue > 1000);
    QCOMPARE(grey, 0); // dense: no "no synapse" swatch

    const QString svg = dir.filePath("w.svg");
    QVERIFY(v.exportSvg(svg, &error));
    const QString text = readAll(svg);
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("in_out"));
    QVERIFY(text.contains("<image"));

    // An unwritable place: false, the path in the message, no file left behind.
    const QString bad = dir.filePath("missing-folder/w");
    for (const QString suffix : {".png", ".svg", ".csv"}) {
        error.clear();
        const bool ok = suffix == ".png"   ? v.exportPng(bad + suffix, &error)
                        : suffix == ".svg" ? v.exportSvg(bad + suffix, &error)
                                           : v.exportCsv(bad + suffix, &error);
        QVERIFY(!ok);
        QVERIFY2(error.contains(bad + suffix), qPrintable(error));
        QVERIFY(!QFile::exists(bad + suffix));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2); // w.png, w.svg only
}

void TestWeightView::badMatrixRefused() {
    WeightView v;
    QVERIFY(v.setMatrix("good", "a", "b", dense(2, 2, {1, 2, 3, 4})));
    QVERIFY(!v.setMatrix("short", "a", "b", dense(3, 2, {1, 2, 3, 4, 5})));
    QVERIFY(!v.hasMatrix());
    QVERIFY2(v.message().contains("\"short\"") && v.message().contains("needs 6 weights, got 5"),
             qPrintable(v.message()));
    QVERIFY(!v.updateWeights(std::vector<float>(5, 1.0f)));
    QVERIFY(!v.cellAt(QPoint(100, 100)));

    SynapseMatrix outOfRange = sparse3x4();
    outOfRange.targets[2] = 4;
    QVERIFY(!v.setMatrix("sp", "a", "b", outOfRange));
    QVERIFY2(v.message().contains("beyond 4"), qPrintable(v.message()));

    SynapseMatrix rows = sparse3x4();
    rows.rowStart = {0, 1, 3};
    QVERIFY(!v.setMatrix("sp", "a", "b", rows));
    QVERIFY(v.message().contains("\"sp\""));

    SynapseMatrix diag;
    diag.type = ConnectivityType::OneToOne;
    diag.numPre = 3;
    diag.numPost = 4;
    diag.weights = {1, 1, 1};
    QVERIFY(!v.setMatrix("diag", "a", "b", diag));

    // Too large to draw (sparse, so cheap here): accepted, said so, still exported as CSV.
    SynapseMatrix huge;
    huge.type = ConnectivityType::Sparse;
    huge.numPre = huge.numPost = 100000;
    huge.rowStart.assign(100001, 0);
    std::fill(huge.rowStart.begin() + 2, huge.rowStart.end(), 1);
    huge.targets = {99999};
    huge.weights = {0.5f};
    QVERIFY(v.setMatrix("huge", "a", "b", huge));
    QVERIFY(v.hasMatrix());
    QVERIFY2(v.message().contains("\"huge\"") && v.message().contains("too large"),
             qPrintable(v.message()));
    QVERIFY(v.renderImage().isNull());
    QTemporaryDir dir;
    QVERIFY(v.exportCsv(dir.filePath("huge.csv")));
    QCOMPARE(readAll(dir.filePath("huge.csv")), QStringLiteral("pre,post,weight\n1,99999,0.5\n"));
    QVERIFY(!v.exportPng(dir.filePath("huge.png")));

    // A good matrix afterwards clears the message.
    QVERIFY(v.setMatrix("good", "a", "b", dense(2, 2, {1, 2, 3, 4})));
    QVERIFY(v.message().isEmpty());
}

void TestWeightView::projectionChooser() {
    WeightView v;
    QSignalSpy spy(&v, &WeightView::projectionSelected);
    v.setProjectionNames({"input_hidden", "hidden_output"});
    QVERIFY(v.setMatrix("hidden_output", "hidden", "output", dense(1, 1, {1.0f})));
    QCOMPARE(spy.count(), 0); // setting things from code does not echo back
    auto* box = v.findChild<QComboBox*>("projection");
    QVERIFY(box);
    QCOMPARE(box->currentText(), QStringLiteral("hidden_output"));
    box->setCurrentIndex(0);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), 0);
}

void TestWeightView::realProject() {
    const std::string dir = std::string(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if";
    const std::string file = dir + "/fashion-mnist-if.json";
    if (!std::filesystem::exists(file))
        QSKIP(qPrintable("no project at " + QString::fromStdString(file)));
    const auto spec = spikelab::loadProject(file);
    const auto net = spikelab::compileNetwork(spec, dir);
    const auto& proj = net.projections.at(0);
    WeightView v;
    QVERIFY(v.setMatrix(QString::fromStdString(proj.name), "input", "hidden", proj.synapses));
    float largest = 0.0f;
    for (float x : proj.synapses.weights) largest = std::max(largest, std::abs(x));
    QCOMPARE(v.maxAbs(), largest);
    // The trained weights have a long tail: the 99th percentile ends the scale well inside.
    QVERIFY(v.limit() > 0.0f && v.limit() < largest);
    v.setScale(WeightView::Scale::Max);
    QCOMPARE(v.limit(), largest);
    QVERIFY(v.setMode(WeightView::Mode::ReceptiveFields));
    showAt(v, QSize(900, 700));
    // 128 tiles; the last one lies inside the map.
    QVERIFY(v.mapArea().contains(v.tileArea(127)));
    QVERIFY(v.tileArea(127).width() >= 28);
    QTemporaryDir out;
    QVERIFY(v.exportPng(out.filePath("rf.png")));
    QVERIFY(!QImage(out.filePath("rf.png")).isNull());
}

// Issue 12, item 11: a few huge weights no longer wash the map out. The scale ends at the 99th
// percentile of |w| (nearest rank), those beyond take the end colours, and the colour bar says
// so at both ends; "max |w|" is one choice away and stays for the next projection.
void TestWeightView::robustScale() {
    // 1000 weights: |w| = 0.000 ... 0.989 (alternating signs) and ten outliers of +-100.
    std::vector<float> w;
    for (int i = 0; i < 990; ++i) w.push_back((i % 2 ? -1.0f : 1.0f) * float(i) / 1000.0f);
    for (int i = 0; i < 10; ++i) w.push_back(i % 2 ? -100.0f : 100.0f);
    QCOMPARE(spikelab::ui::absPercentile(w, 0.99), 0.989f);
    WeightView v;
    QCOMPARE(v.scale(), WeightView::Scale::Percentile99);
    QVERIFY(v.setMatrix("a_b", "a", "b", dense(40, 25, w)));
    QCOMPARE(v.limit(), 0.989f);
    QCOMPARE(v.maxAbs(), 100.0f);
    WeightView::ScaleLabels labels = v.scaleLabels();
    QCOMPARE(labels.top, QStringLiteral("\u2265+0.989"));
    QCOMPARE(labels.bottom, QStringLiteral("\u2264\u22120.989"));
    QVERIFY(labels.scale.contains("99th"));
    showAt(v, QSize(600, 500));
    v.setZoom(8);
    // An outlier (w[999] = -100) saturates; a weight of half the limit is a middle shade,
    // not near white.
    QCOMPARE(grabbed(v).pixelColor(cellCentre(v, 39, 24)), WeightView::colourFor(-1.0f, 1.0f));
    const QColor middle = grabbed(v).pixelColor(cellCentre(v, 19, 20)); // w[495] = -0.495
    QCOMPARE(middle, WeightView::colourFor(-0.495f, 0.989f));
    QVERIFY(lightness(middle) < 215);

    // The combo box switches to max |w|; the labels follow, and nothing lies beyond.
    QSignalSpy changed(&v, &WeightView::scaleChanged);
    auto* box = v.findChild<QComboBox*>("scale");
    QVERIFY(box && box->isVisible());
    box->setCurrentIndex(1);
    QCOMPARE(v.scale(), WeightView::Scale::Max);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(v.limit(), 100.0f);
    labels = v.scaleLabels();
    QCOMPARE(labels.top, QStringLiteral("+100"));
    QCOMPARE(labels.bottom, QStringLiteral("\u2212100"));
    QVERIFY(labels.scale.contains("max"));
    QCOMPARE(grabbed(v).pixelColor(cellCentre(v, 19, 20)), WeightView::colourFor(-0.495f, 100.0f));
    // Another projection keeps the choice.
    QVERIFY(v.setMatrix("c_d", "c", "d", dense(40, 25, w)));
    QCOMPARE(v.scale(), WeightView::Scale::Max);
    QCOMPARE(v.limit(), 100.0f);
    v.setScale(WeightView::Scale::Percentile99);
    QCOMPARE(box->currentIndex(), 0);
    QCOMPARE(v.limit(), 0.989f);

    // Mostly zeros (a sparse code): the percentile is 0, so the scale ends at max |w|.
    std::vector<float> sparse(1000, 0.0f);
    sparse[3] = 0.5f;
    QVERIFY(v.setMatrix("e_f", "e", "f", dense(40, 25, sparse)));
    QCOMPARE(v.limit(), 0.5f);
    QCOMPARE(v.scaleLabels().top, QStringLiteral("+0.5"));
}

// A 784 x 128 projection in a low, wide dock: tiles of 28 x 28 screen pixels at least, as many
// columns as fit, scrolling down, instead of tiles shrunk to mush.
void TestWeightView::receptiveFieldsReadableInALowDock() {
    std::vector<float> w(784 * 128);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = float(int(i % 11) - 5) * 0.1f;
    WeightView v;
    QVERIFY(v.setMatrix("input_hidden", "input", "hidden", dense(784, 128, w)));
    showAt(v, QSize(700, 230));
    QVERIFY(v.setMode(WeightView::Mode::ReceptiveFields));
    QCOMPARE(v.zoom(), 1.0);
    const QRect first = v.tileArea(0);
    QCOMPARE(first.size(), QSize(28, 28));
    // The first row of tiles spans the map's width without running past it.
    int columns = 1;
    while (v.tileArea(columns).top() == first.top()) ++columns;
    QVERIFY(columns >= 10);
    QVERIFY(v.mapArea().contains(v.tileArea(columns - 1)));
    QVERIFY(scrollArea(v)->verticalScrollBar()->maximum() > 0);
    QCOMPARE(scrollArea(v)->horizontalScrollBar()->maximum(), 0);
}

QTEST_MAIN(TestWeightView)
#include "test_weight_view.moc"
