// NetworkCanvas, driven with real mouse and key events: placing nodes from the palette (click
// and drop), edge drags that ask for projections (recurrent too) or retarget inputs, moves as
// one undo step that pin the laid-out nodes, rubber-band selection and delete, copy and paste,
// zoom and fit, live activity, automatic layout; undo and redo of it all are byte-exact.
#include "network_canvas.h"
#include "node_palette.h"

#include "canvas_input.h"
#include "document.h"

#include "spikelab/models.h"
#include "spikelab/project.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUndoStack>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

std::string json(const Document& d) {
    return projectToJson(d.spec());
}

QPoint at(const NetworkCanvas& c, QPointF scene) {
    return c.mapFromScene(scene);
}

// A drop of a palette entry at `pos`, as the drag and drop machinery delivers it.
void drop(NetworkCanvas& c, const NodeKind& kind, QPoint pos) {
    QMimeData mime;
    mime.setData(NetworkCanvas::kNodeMime, NetworkCanvas::encodeKind(kind));
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(c.viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent event(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(c.viewport(), &event);
    QVERIFY(event.isAccepted());
}

} // namespace

class TestNetworkCanvas : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void paletteClickAndDropPlaceNodes();
    void edgeDragsRequestProjectionsAndRecurrentOnes();
    void edgeDragFromInputRetargetsIt();
    void dragMovesSelectionAsOneStepAndPinsTheRest();
    void rubberBandSelectAndDelete();
    void copyAndPasteRenamesAndOffsets();
    void inputsFindTheirPopulationOrAreRefused();
    void zoomPanAndFit();
    void activityLightsPopulations();
    void automaticLayoutAndStoredPositions();
    void undoAllIsEmptyAndRedoAllIsBack();

private:
    // A canvas of a new document, shown at 900 x 600.
    std::unique_ptr<Document> doc_;
    std::unique_ptr<NetworkCanvas> canvas_;
    std::string placeLif(QPointF scene) {
        return canvas_->placeNode({false, "LIF"}, scene);
    }
    void connectPopulations(const std::string& a, const std::string& b) {
        ProjectionSpec j;
        j.source = a;
        j.target = b;
        j.weights.value = 0.5;
        QVERIFY(!doc_->addProjection(j).empty());
    }
};

void TestNetworkCanvas::init() {
    doc_ = std::make_unique<Document>();
    canvas_ = std::make_unique<NetworkCanvas>(doc_.get());
    canvas_->resize(900, 600);
    canvas_->show();
    QVERIFY(QTest::qWaitForWindowExposed(canvas_.get()));
}

void TestNetworkCanvas::cleanup() {
    canvas_.reset();
    doc_.reset();
}

void TestNetworkCanvas::paletteClickAndDropPlaceNodes() {
    NodePalette palette;
    palette.show();
    QVERIFY(QTest::qWaitForWindowExposed(&palette));
    connect(&palette, &NodePalette::placementChosen, canvas_.get(), &NetworkCanvas::armPlacement);
    // Every neuron model and encoder is offered, under two headings.
    QCOMPARE(palette.count(), int(neuronModels().size() + encoders().size() + 2));
    QVERIFY(!NodePalette::kindOf(palette.item(0)));
    QVERIFY(!(palette.item(0)->flags() & Qt::ItemIsDragEnabled));
    QListWidgetItem* lif = nullptr;
    for (int i = 0; i < palette.count(); ++i)
        if (NodePalette::kindOf(palette.item(i)) == NodeKind{false, "LIF"}) lif = palette.item(i);
    QVERIFY(lif);
    QTest::mouseClick(palette.viewport(), Qt::LeftButton, {},
                      palette.visualItemRect(lif).center());
    QVERIFY(canvas_->armedPlacement() == (NodeKind{false, "LIF"}));
    QTest::mouseClick(canvas_->viewport(), Qt::LeftButton, {}, QPoint(200, 300));
    QVERIFY(!canvas_->armedPlacement());
    QCOMPARE(doc_->spec().populations.size(), std::size_t(1));
    const auto& p = doc_->spec().populations[0];
    QCOMPARE(p.name, std::string("pop1"));
    QCOMPARE(p.size, std::int64_t(NetworkCanvas::kPopulationSize));
    QCOMPARE(p.model, std::string("LIF"));
    QVERIFY(p.record.spikes);
    // Placed where clicked: the node's centre is under the click.
    QVERIFY(p.position);
    QVERIFY(QLineF(at(*canvas_, {p.position->x, p.position->y}), QPoint(200, 300)).length() < 2);
    QCOMPARE(canvas_->selectedNames(), QStringList{"pop1"});

    // A click on the canvas without an armed entry places nothing.
    QTest::mouseClick(canvas_->viewport(), Qt::LeftButton, {}, QPoint(600, 100));
    QCOMPARE(doc_->spec().populations.size(), std::size_t(1));

    drop(*canvas_, {false, "IF"}, QPoint(600, 300));
    QCOMPARE(doc_->spec().populations.size(), std::size_t(2));
    QCOMPARE(doc_->spec().populations[1].model, std::string("IF"));
    QCOMPARE(doc_->undoStack()->count(), 2);
    QVERIFY(node(*canvas_, "pop2"));
}

void TestNetworkCanvas::edgeDragsRequestProjectionsAndRecurrentOnes() {
    placeLif({0, 0});
    placeLif({400, 0});
    QSignalSpy spy(canvas_.get(), &NetworkCanvas::projectionRequested);
    QWidget* vp = canvas_->viewport();
    const std::string before = json(*doc_);
    drag(vp, at(*canvas_, rim(*canvas_, "pop1")), {at(*canvas_, {200, 10})},
         at(*canvas_, {400, 0}));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy[0][0].toString(), QString("pop1"));
    QCOMPARE(spy[0][1].toString(), QString("pop2"));
    // The canvas only asks; nothing moved and nothing changed.
    QCOMPARE(json(*doc_), before);

    // Out of pop2 and back onto it: recurrent.
    drag(vp, at(*canvas_, rim(*canvas_, "pop2")), {at(*canvas_, {560, 0}), at(*canvas_, {560, 80})},
         at(*canvas_, {400, 0}));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy[1][0].toString(), QString("pop2"));
    QCOMPARE(spy[1][1].toString(), QString("pop2"));
    // A press on the rim released without leaving the node asks nothing.
    drag(vp, at(*canvas_, rim(*canvas_, "pop2")), {}, at(*canvas_, {405, 0}));
    QCOMPARE(spy.count(), 2);
    // Released on empty canvas: nothing.
    drag(vp, at(*canvas_, rim(*canvas_, "pop1")), {}, at(*canvas_, {200, 250}));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(json(*doc_), before);

    // Once the projection exists it is drawn, a loop too.
    connectPopulations("pop1", "pop2");
    connectPopulations("pop2", "pop2");
    QCOMPARE(canvas_->arrowCount(), 2);
    bool loop = false;
    for (const ConnectionItem* c : canvas_->connections()) loop = loop || c->isLoop();
    QVERIFY(loop);
}

void TestNetworkCanvas::edgeDragFromInputRetargetsIt() {
    placeLif({0, 0});
    placeLif({0, 300});
    QVERIFY(!canvas_->placeNode({true, "CurrentInjection"}, {-300, 20}).empty());
    QCOMPARE(doc_->spec().inputs[0].target, std::string("pop1")); // the nearest
    const auto undoCount = doc_->undoStack()->count();
    drag(canvas_->viewport(), at(*canvas_, rim(*canvas_, "input1")), {at(*canvas_, {-100, 200})},
         at(*canvas_, {0, 300}));
    QCOMPARE(doc_->spec().inputs[0].target, std::string("pop2"));
    QCOMPARE(doc_->undoStack()->count(), undoCount + 1);
    // Onto an input: refused with a reason, nothing changes.
    QVERIFY(!canvas_->placeNode({true, "CurrentInjection"}, {-300, 320}).empty());
    const std::string before = json(*doc_);
    QSignalSpy spy(canvas_.get(), &NetworkCanvas::projectionRequested);
    drag(canvas_->viewport(), at(*canvas_, rim(*canvas_, "pop1")), {at(*canvas_, {-150, 10})},
         at(*canvas_, {-300, 20}));
    QCOMPARE(spy.count(), 0);
    QCOMPARE(json(*doc_), before);
    QVERIFY(canvas_->lastMessage().contains("input"));
}

void TestNetworkCanvas::dragMovesSelectionAsOneStepAndPinsTheRest() {
    // Three nodes laid out automatically (no positions), then a drag of one.
    NetworkSpec spec;
    spec.name = "moves";
    for (const char* name : {"a", "b", "c"}) {
        PopulationSpec p;
        p.name = name;
        p.size = 10;
        spec.populations.push_back(p);
    }
    doc_->apply("setup", [&](NetworkSpec& s) { s = spec; });
    QVERIFY(!doc_->spec().populations[0].position);
    const QPointF a = node(*canvas_, "a")->pos(), b = node(*canvas_, "b")->pos();
    const int steps = doc_->undoStack()->count();
    const QPoint from = at(*canvas_, a);
    drag(canvas_->viewport(), from, {from + QPoint(10, 5), from + QPoint(30, 20)},
         from + QPoint(60, 40));
    QCOMPARE(doc_->undoStack()->count(), steps + 1);
    const auto& pops = doc_->spec().populations;
    QVERIFY(pops[0].position && pops[1].position && pops[2].position);
    QVERIFY(std::abs(pops[0].position->x - (a.x() + 60 / canvas_->zoom())) < 2);
    QVERIFY(std::abs(pops[0].position->y - (a.y() + 40 / canvas_->zoom())) < 2);
    // The others stay where they were drawn.
    QCOMPARE(pops[1].position->x, std::round(b.x()));
    QCOMPARE(pops[1].position->y, std::round(b.y()));
    // Two selected nodes move together, as one step; undo puts both back.
    canvas_->selectNames({"a", "b"});
    const std::string before = json(*doc_);
    const QPoint fromB = at(*canvas_, node(*canvas_, "b")->pos());
    drag(canvas_->viewport(), fromB, {fromB + QPoint(0, 20)}, fromB + QPoint(0, 50));
    QCOMPARE(doc_->undoStack()->count(), steps + 2);
    QVERIFY(doc_->spec().populations[0].position->y > pops[0].position->y - 1);
    QVERIFY(std::abs(doc_->spec().populations[0].position->y - (a.y() + (40 + 50) / canvas_->zoom())) < 3);
    doc_->undoStack()->undo();
    QCOMPARE(json(*doc_), before);
    // A click without a move changes nothing.
    QTest::mouseClick(canvas_->viewport(), Qt::LeftButton, {}, at(*canvas_, node(*canvas_, "c")->pos()));
    QCOMPARE(json(*doc_), before);
    QCOMPARE(canvas_->selectedNames(), QStringList{"c"});
}

void TestNetworkCanvas::rubberBandSelectAndDelete() {
    placeLif({0, 0});
    placeLif({300, 0});
    placeLif({0, 400});
    connectPopulations("pop1", "pop2");
    connectPopulations("pop1", "pop3");
    QVERIFY(!canvas_->placeNode({true, "CurrentInjection"}, {-300, 0}).empty());
    canvas_->fitToView();
    const std::string before = json(*doc_);
    const int steps = doc_->undoStack()->count();
    // A band around pop1 and pop2 (from empty canvas above-left to below-right of pop2).
    const QRectF r1 = node(*canvas_, "pop1")->sceneOutline(), r2 = node(*canvas_, "pop2")->sceneOutline();
    drag(canvas_->viewport(), at(*canvas_, r1.topLeft() - QPointF(20, 20)),
         {at(*canvas_, r1.center())}, at(*canvas_, r2.bottomRight() + QPointF(20, 20)));
    QStringList selected = canvas_->selectedNames();
    QVERIFY(selected.contains("pop1") && selected.contains("pop2"));
    QVERIFY(!selected.contains("pop3"));
    QTest::keyClick(canvas_.get(), Qt::Key_Delete);
    // pop1 and pop2 go with both projections and the input; pop3 stays.
    QCOMPARE(doc_->spec().populations.size(), std::size_t(1));
    QCOMPARE(doc_->spec().populations[0].name, std::string("pop3"));
    QVERIFY(doc_->spec().projections.empty());
    QVERIFY(doc_->spec().inputs.empty());
    QCOMPARE(doc_->undoStack()->count(), steps + 1);
    doc_->undoStack()->undo();
    QCOMPARE(json(*doc_), before);
    // A selected projection alone is deleted alone.
    canvas_->selectNames({"pop1_pop3"});
    QTest::keyClick(canvas_.get(), Qt::Key_Delete);
    QCOMPARE(doc_->spec().projections.size(), std::size_t(1));
    QCOMPARE(doc_->spec().projections[0].name, std::string("pop1_pop2"));
    QCOMPARE(doc_->spec().populations.size(), std::size_t(3));
}

void TestNetworkCanvas::copyAndPasteRenamesAndOffsets() {
    placeLif({0, 0});
    placeLif({300, 0});
    connectPopulations("pop1", "pop2");
    connectPopulations("pop2", "pop2");
    QVERIFY(!canvas_->placeNode({true, "CurrentInjection"}, {-300, 0}).empty());
    canvas_->selectNames({"pop1", "pop2"});
    QTest::keyClick(canvas_.get(), Qt::Key_C, Qt::ControlModifier);
    QVERIFY(QApplication::clipboard()->mimeData()->hasFormat(NetworkCanvas::kFragmentMime));
    const int steps = doc_->undoStack()->count();
    QTest::keyClick(canvas_.get(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(doc_->undoStack()->count(), steps + 1);
    const NetworkSpec& s = doc_->spec();
    QCOMPARE(s.populations.size(), std::size_t(4));
    const auto* copy1 = s.findPopulation("pop1_copy");
    QVERIFY(copy1 && s.findPopulation("pop2_copy"));
    QCOMPARE(copy1->position->x, 40.0);
    QCOMPARE(copy1->position->y, 40.0);
    QCOMPARE(s.projections.size(), std::size_t(4));
    QCOMPARE(s.projections[2].name, std::string("pop1_pop2_copy"));
    QCOMPARE(s.projections[2].source, std::string("pop1_copy"));
    QCOMPARE(s.projections[2].target, std::string("pop2_copy"));
    QCOMPARE(s.projections[3].source, std::string("pop2_copy"));
    QCOMPARE(s.projections[3].target, std::string("pop2_copy"));
    QCOMPARE(s.inputs.size(), std::size_t(2));
    QCOMPARE(s.inputs[1].target, std::string("pop1_copy"));
    QStringList selected = canvas_->selectedNames();
    QVERIFY(selected.contains("pop1_copy") && selected.contains("pop2_copy"));
    QVERIFY(!selected.contains("pop1"));
    // Again: new names, further away.
    QVERIFY(canvas_->paste());
    QVERIFY(doc_->spec().findPopulation("pop1_copy2"));
    QCOMPARE(doc_->spec().findPopulation("pop1_copy2")->position->x, 80.0);
    // Nothing selected: nothing copied, the reason given.
    canvas_->selectNames({});
    QVERIFY(!canvas_->copySelection());
    QVERIFY(canvas_->lastMessage().contains("Select populations"));
    // Something else on the clipboard: refused.
    QApplication::clipboard()->setText("not a network");
    const std::string before = json(*doc_);
    QVERIFY(!canvas_->paste());
    QCOMPARE(json(*doc_), before);
}

void TestNetworkCanvas::inputsFindTheirPopulationOrAreRefused() {
    // A spike encoder needs a SpikeSource population: none yet, refused with the reason.
    placeLif({0, 0});
    const std::string before = json(*doc_);
    QVERIFY(canvas_->placeNode({true, "PoissonRate"}, {-200, 0}).empty());
    QVERIFY(canvas_->lastMessage().contains("SpikeSource"));
    QCOMPARE(json(*doc_), before);
    QVERIFY(!canvas_->placeNode({false, "SpikeSource"}, {0, 400}).empty());
    // Dropped on the LIF population, a PoissonRate still goes to the SpikeSource one.
    QCOMPARE(canvas_->placeNode({true, "PoissonRate"}, {0, 0}), std::string("input1"));
    QCOMPARE(doc_->spec().inputs[0].target, std::string("pop2"));
    // Dropped onto a population it can feed: that one, however far the others are.
    placeLif({2000, 0});
    QVERIFY(!canvas_->placeNode({true, "CurrentInjection"}, {2000, 0}).empty());
    QCOMPARE(doc_->spec().inputs[1].target, std::string("pop3"));
    QVERIFY(canvas_->placeNode({true, "NoSuchEncoder"}, {0, 0}).empty());
    QVERIFY(canvas_->lastMessage().contains("NoSuchEncoder"));
}

void TestNetworkCanvas::zoomPanAndFit() {
    placeLif({0, 0});
    placeLif({3000, 1500});
    const double z = canvas_->zoom();
    QTest::keyClick(canvas_.get(), Qt::Key_Plus);
    QVERIFY(std::abs(canvas_->zoom() - z * 1.25) < 1e-9);
    QTest::keyClick(canvas_.get(), Qt::Key_Minus);
    QVERIFY(std::abs(canvas_->zoom() - z) < 1e-9);
    QWheelEvent wheel(QPointF(400, 300), canvas_->viewport()->mapToGlobal(QPointF(400, 300)),
                      QPoint(), QPoint(0, 240), Qt::NoButton, Qt::ControlModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas_->viewport(), &wheel);
    QVERIFY(canvas_->zoom() > z * 1.3);
    // Zoom stays within bounds however far it is pushed.
    for (int i = 0; i < 40; ++i) canvas_->zoomBy(2);
    QCOMPARE(canvas_->zoom(), 4.0);
    // F: both far-apart nodes in view.
    QTest::keyClick(canvas_.get(), Qt::Key_F);
    const QRect view = canvas_->viewport()->rect();
    for (const char* name : {"pop1", "pop2"})
        QVERIFY(view.contains(at(*canvas_, node(*canvas_, name)->pos())));
    // The middle button pans: the scene point under the cursor follows it.
    canvas_->zoomBy(3);
    const QPointF under = canvas_->mapToScene(QPoint(400, 300));
    QTest::mousePress(canvas_->viewport(), Qt::MiddleButton, {}, QPoint(400, 300));
    QTest::mouseMove(canvas_->viewport(), QPoint(350, 260));
    QTest::mouseRelease(canvas_->viewport(), Qt::MiddleButton, {}, QPoint(350, 260));
    const QPointF now = canvas_->mapToScene(QPoint(350, 260));
    QVERIFY(QLineF(now, under).length() < 2 / canvas_->zoom() + 1);
}

void TestNetworkCanvas::activityLightsPopulations() {
    placeLif({0, 0});
    placeLif({300, 0});
    canvas_->setActivity({{"pop1", 40.0}});
    auto* p1 = dynamic_cast<PopulationItem*>(node(*canvas_, "pop1"));
    auto* p2 = dynamic_cast<PopulationItem*>(node(*canvas_, "pop2"));
    QCOMPARE(p1->activity(), std::optional<double>(40.0));
    QVERIFY(!p2->activity());
    // Survives a redraw caused by an edit.
    doc_->setPopulationSize("pop2", 20);
    p1 = dynamic_cast<PopulationItem*>(node(*canvas_, "pop1"));
    QCOMPARE(p1->activity(), std::optional<double>(40.0));
    // The dot's brightness grows with the rate; silent is drawn, but dark.
    QCOMPARE(PopulationItem::activityLevel(0), 0.0);
    QVERIFY(PopulationItem::activityLevel(5) < PopulationItem::activityLevel(50));
    QCOMPARE(PopulationItem::activityLevel(1000), 1.0);
    // On screen: a bright orange dot at 1000 Hz, a grey one at silence, none without a rate.
    const auto dot = [&] {
        const QRectF r = node(*canvas_, "pop1")->sceneOutline();
        return canvas_->viewport()->grab().toImage().pixelColor(
            at(*canvas_, {r.right() - 9, r.top() + 9}) * canvas_->devicePixelRatio());
    };
    canvas_->setActivity({{"pop1", 1000.0}});
    QColor c = dot();
    QVERIFY2(c.red() > 200 && c.blue() < 80, qPrintable(c.name()));
    canvas_->setActivity({{"pop1", 0.0}});
    c = dot();
    QVERIFY2(std::abs(c.red() - c.blue()) < 30 && c.red() < 160, qPrintable(c.name()));
    canvas_->clearActivity();
    p1 = dynamic_cast<PopulationItem*>(node(*canvas_, "pop1"));
    QVERIFY(!p1->activity());
}

void TestNetworkCanvas::automaticLayoutAndStoredPositions() {
    NetworkSpec spec;
    spec.name = "chain";
    for (const char* name : {"a", "b", "c"}) {
        PopulationSpec p;
        p.name = name;
        p.size = 10;
        spec.populations.push_back(p);
    }
    for (auto [from, to] : {std::pair{"a", "b"}, std::pair{"b", "c"}}) {
        ProjectionSpec j;
        j.name = std::string(from) + to;
        j.source = from;
        j.target = to;
        spec.projections.push_back(j);
    }
    doc_->apply("chain", [&](NetworkSpec& s) { s = spec; });
    // Layers from left to right along the chain.
    QVERIFY(node(*canvas_, "a")->pos().x() < node(*canvas_, "b")->pos().x());
    QVERIFY(node(*canvas_, "b")->pos().x() < node(*canvas_, "c")->pos().x());
    // Stored positions win.
    QVERIFY(doc_->moveNodes({{"a", {500, 500}}, {"b", {0, 0}}, {"c", {-500, 0}}}, 1));
    QCOMPARE(node(*canvas_, "a")->pos(), QPointF(500, 500));
    QCOMPARE(node(*canvas_, "c")->pos(), QPointF(-500, 0));
    // Arranging forgets them in one step.
    QVERIFY(canvas_->arrangeAutomatically());
    QVERIFY(!doc_->spec().populations[0].position);
    QVERIFY(node(*canvas_, "a")->pos().x() < node(*canvas_, "c")->pos().x());
    doc_->undoStack()->undo();
    QCOMPARE(node(*canvas_, "a")->pos(), QPointF(500, 500));
}

void TestNetworkCanvas::undoAllIsEmptyAndRedoAllIsBack() {
    const std::string empty = json(*doc_);
    placeLif({0, 0});
    placeLif({300, 0});
    connectPopulations("pop1", "pop2");
    QVERIFY(!canvas_->placeNode({true, "CurrentInjection"}, {-300, 0}).empty());
    const QPoint from = at(*canvas_, {300, 0});
    drag(canvas_->viewport(), from, {from + QPoint(5, 40)}, from + QPoint(10, 80));
    canvas_->selectNames({"pop1", "pop2"});
    QVERIFY(canvas_->copySelection());
    QVERIFY(canvas_->paste());
    const std::string full = json(*doc_);
    QUndoStack* stack = doc_->undoStack();
    while (stack->canUndo()) stack->undo();
    QCOMPARE(json(*doc_), empty);
    QVERIFY(canvas_->nodes().empty());
    while (stack->canRedo()) stack->redo();
    QCOMPARE(json(*doc_), full);
    QCOMPARE(canvas_->nodes().size(), std::size_t(6));
}

QTEST_MAIN(TestNetworkCanvas)
#include "test_network_canvas.moc"
