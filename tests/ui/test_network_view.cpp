// NetworkView: one node per population and input, arrows and their labels, layered layout
// from left to right, loops, opposite arrows kept apart, no overlaps, export.
#include "network_view.h"

#include <spikelab/project.h>

#include <QDir>
#include <QFile>
#include <QPainterPathStroker>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <filesystem>

using spikelab::NetworkSpec;
using spikelab::ui::ConnectionItem;
using spikelab::ui::NetworkView;
using spikelab::ui::PopulationItem;

namespace {

NetworkSpec loadExample(const std::string& name) {
    const std::string file =
        std::string(SPIKELAB_SOURCE_DIR) + "/projects/" + name + "/" + name + ".json";
    if (!std::filesystem::exists(file)) return {};
    return spikelab::loadProject(file);
}

spikelab::PopulationSpec population(const std::string& name, std::int64_t size,
                                    const std::string& model = "LIF") {
    spikelab::PopulationSpec p;
    p.name = name;
    p.size = size;
    p.model = model;
    return p;
}

spikelab::ProjectionSpec projection(const std::string& source, const std::string& target) {
    spikelab::ProjectionSpec p;
    p.name = source;
    p.name += '_';
    p.name += target;
    p.source = source;
    p.target = target;
    return p;
}

const ConnectionItem* connection(const NetworkView& v, const QString& name) {
    for (const ConnectionItem* c : v.connections())
        if (c->name() == name) return c;
    return nullptr;
}

// No two nodes share any area.
bool nodesApart(const NetworkView& v) {
    const auto& nodes = v.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (std::size_t j = i + 1; j < nodes.size(); ++j)
            if (nodes[i]->sceneOutline().intersects(nodes[j]->sceneOutline())) return false;
    return true;
}

// The tip of an arrow lies on (within a pixel or two of) its target's outline.
bool endsAt(const ConnectionItem& c, const QRectF& target) {
    const QPointF tip = c.arrowHead().at(0);
    return target.adjusted(-2, -2, 2, 2).contains(tip) &&
           !target.adjusted(2, 2, -2, -2).contains(tip);
}

} // namespace

class TestNetworkView : public QObject {
    Q_OBJECT
private slots:
    void fashionMnistIf();
    void mushroomBody();
    void recurrentLoopAndOppositeArrows();
    void branchingLayoutAndSkipArrow();
    void unknownNamesGetNoArrow();
    void arrowsFollowMovedNodes();
    void fitsTheView();
    void exports();
};

void TestNetworkView::fashionMnistIf() {
    const NetworkSpec spec = loadExample("fashion-mnist-if");
    if (spec.populations.empty()) QSKIP("projects/fashion-mnist-if is missing");
    NetworkView v;
    v.setNetwork(spec);
    QCOMPARE(v.nodes().size(), std::size_t(4));
    for (const char* name : {"input", "hidden", "output"}) QVERIFY(v.populationItem(name));
    QVERIFY(v.inputItem("pixels"));
    QVERIFY(!v.populationItem("pixels"));
    QCOMPARE(v.arrowCount(), 3); // two projections and the input's link
    // Left to right: the input node, then input, hidden, output.
    const QRectF pixels = v.nodeRect("pixels"), input = v.nodeRect("input"),
                 hidden = v.nodeRect("hidden"), output = v.nodeRect("output");
    QVERIFY(pixels.right() < input.left());
    QVERIFY(input.right() < hidden.left());
    QVERIFY(hidden.right() < output.left());
    QVERIFY(nodesApart(v));
    QVERIFY(v.populationItem("output")->isReadout());
    QVERIFY(!v.populationItem("hidden")->isReadout());

    const ConnectionItem* ih = connection(v, "input_hidden");
    QVERIFY(ih);
    QCOMPARE(ih->label(), QStringLiteral("dense \u00b7 DeltaCurr"));
    QCOMPARE(ih->source(), v.populationItem("input"));
    QCOMPARE(ih->target(), v.populationItem("hidden"));
    QVERIFY(endsAt(*ih, hidden));
    QVERIFY(ih->toolTip().contains("weights_0_1.npy"));
    const ConnectionItem* link = connection(v, "pixels");
    QVERIFY(link);
    QCOMPARE(link->kind(), ConnectionItem::Kind::Input);
    QVERIFY(endsAt(*link, input));
    // The input names its encoder and the experiment's data set.
    QVERIFY(v.inputItem("pixels")->toolTip().contains("CurrentInjection"));
    QVERIFY(v.inputItem("pixels")->toolTip().contains("fashion-mnist (test)"));

    // Model colours: one per model, stable, the same for every IF population, light on white.
    const QColor ifColour = PopulationItem::modelColour("IF");
    QCOMPARE(PopulationItem::modelColour("IF"), ifColour);
    QVERIFY(ifColour != PopulationItem::modelColour("LIF"));
    QVERIFY(PopulationItem::modelColour("LIF") != PopulationItem::modelColour("SpikeSource"));
    QVERIFY(ifColour.lightness() > 150);
    // A project's own model: a colour of the same light set, from its name, the same each time.
    const QColor own = PopulationItem::modelColour("MyNeuron");
    QCOMPARE(PopulationItem::modelColour("MyNeuron"), own);
    QVERIFY(own.lightness() > 150);
    QVERIFY2(own.red() != own.blue() || own.green() != own.blue(), "not the grey of no model");

    // Drawn: the hidden box is filled with the IF colour.
    v.resize(900, 300);
    const QImage img = v.renderImage();
    const QPointF origin = v.scene()->itemsBoundingRect().topLeft() - QPointF(24, 24);
    const QPointF inBox = (QPointF(hidden.center().x(), hidden.top() + 4) - origin) * 2;
    QCOMPARE(img.pixelColor(inBox.toPoint()), ifColour);
}

void TestNetworkView::mushroomBody() {
    const NetworkSpec spec = loadExample("mushroom-body-pn");
    if (spec.populations.empty()) QSKIP("projects/mushroom-body-pn is missing");
    NetworkView v;
    v.setNetwork(spec);
    QCOMPARE(v.nodes().size(), std::size_t(2));
    QVERIFY(v.populationItem("pn"));
    QVERIFY(v.inputItem("pixels"));
    QCOMPARE(v.arrowCount(), 1);
    QVERIFY(v.nodeRect("pixels").right() < v.nodeRect("pn").left());
    QVERIFY(v.inputItem("pixels")->toolTip().contains("mnist (test)"));
    QVERIFY(nodesApart(v));
    QVERIFY(endsAt(*v.connections().at(0), v.nodeRect("pn")));
}

void TestNetworkView::recurrentLoopAndOppositeArrows() {
    NetworkSpec spec;
    spec.populations = {population("a", 100, "SpikeSource"), population("b", 50),
                        population("c", 10)};
    spikelab::InputSpec in;
    in.name = "spikes";
    in.type = "PoissonRate";
    in.target = "a";
    spec.inputs = {in};
    auto back = projection("b", "a");
    back.connectivity.type = spikelab::ConnectivityType::FixedProbability;
    back.connectivity.probability = 0.1;
    auto self = projection("b", "b");
    self.connectivity.type = spikelab::ConnectivityType::OneToOne;
    self.postsynaptic.model = "ExpCurr";
    auto delayed = projection("b", "b");
    delayed.name = "b_b_delayed";
    delayed.delaySteps = 3;
    spec.projections = {projection("a", "b"), back, self, projection("b", "c"), delayed};
    spec.experiment.readout = "c";
    NetworkView v;
    v.setNetwork(spec);
    QCOMPARE(v.arrowCount(), 6);
    QVERIFY(nodesApart(v));
    QVERIFY(v.nodeRect("spikes").right() < v.nodeRect("a").left());
    QVERIFY(v.nodeRect("a").right() < v.nodeRect("b").left());
    QVERIFY(v.nodeRect("b").right() < v.nodeRect("c").left());

    // The self-projection is a loop above b, ending on b's top edge, its label above it.
    const ConnectionItem* loop = connection(v, "b_b");
    QVERIFY(loop && loop->isLoop());
    QCOMPARE(loop->label(), QStringLiteral("one-to-one \u00b7 ExpCurr"));
    const QRectF b = v.nodeRect("b");
    QVERIFY(loop->line().boundingRect().bottom() <= b.top() + 0.5);
    QVERIFY(loop->line().boundingRect().height() > 20);
    QVERIFY(endsAt(*loop, b));
    QVERIFY(loop->labelRect().bottom() <= loop->line().boundingRect().top() + 2);
    for (const auto* node : v.nodes()) QVERIFY(!node->sceneOutline().intersects(loop->labelRect()));
    // A second self-projection loops below b.
    const ConnectionItem* second = connection(v, "b_b_delayed");
    QVERIFY(second && second->isLoop());
    QCOMPARE(second->label(), QStringLiteral("dense \u00b7 DeltaCurr \u00b7 delay 3"));
    QVERIFY(second->line().boundingRect().top() >= b.bottom() - 0.5);
    QVERIFY(endsAt(*second, b));
    for (const auto* node : v.nodes())
        QVERIFY(!node->sceneOutline().intersects(second->labelRect()));

    // a -> b and b -> a bend to opposite sides: their middles and labels are apart.
    const ConnectionItem* ab = connection(v, "a_b");
    const ConnectionItem* ba = connection(v, "b_a");
    QVERIFY(ab && ba);
    QCOMPARE(ba->label(), QStringLiteral("p=0.1 \u00b7 DeltaCurr"));
    QVERIFY(ab->bend() != 0.0 && ba->bend() != 0.0);
    const QPointF abMiddle = ab->line().pointAtPercent(0.5);
    const QPointF baMiddle = ba->line().pointAtPercent(0.5);
    QVERIFY2(QLineF(abMiddle, baMiddle).length() > 30,
             qPrintable(QString::number(QLineF(abMiddle, baMiddle).length())));
    QVERIFY(!ab->labelRect().intersects(ba->labelRect()));
    QVERIFY(endsAt(*ab, b));
    QVERIFY(endsAt(*ba, v.nodeRect("a")));
    // Arrowheads are big enough to see.
    QVERIFY(QLineF(ab->arrowHead().at(1), ab->arrowHead().at(2)).length() >= 9);
}

void TestNetworkView::branchingLayoutAndSkipArrow() {
    NetworkSpec spec;
    spec.populations = {population("in", 784, "SpikeSource"), population("h1", 100),
                        population("h2", 100), population("h3", 50), population("out", 10)};
    spikelab::InputSpec input;
    input.name = "pixels";
    input.type = "LatencyCoding";
    input.target = "in";
    spec.inputs = {input};
    spec.projections = {projection("in", "h1"), projection("in", "h2"),  projection("h1", "h3"),
                        projection("h2", "h3"), projection("h3", "out"), projection("in", "out")};
    spec.experiment.readout = "out";
    NetworkView v;
    v.setNetwork(spec);
    QCOMPARE(v.arrowCount(), 7);
    QVERIFY(nodesApart(v));
    // h1 and h2 share a column; h3 follows; out is last.
    QCOMPARE(v.nodeRect("h1").center().x(), v.nodeRect("h2").center().x());
    QVERIFY(v.nodeRect("h2").right() < v.nodeRect("h3").left());
    QVERIFY(v.nodeRect("h3").right() < v.nodeRect("out").left());
    // The long arrow in -> out bends around the nodes between them.
    const ConnectionItem* skip = connection(v, "in_out");
    QVERIFY(skip);
    QPainterPathStroker stroker;
    stroker.setWidth(1.6);
    const QPainterPath stroke = stroker.createStroke(skip->line());
    for (const char* name : {"h1", "h2", "h3"})
        QVERIFY2(!stroke.intersects(v.nodeRect(name)), name);
    QVERIFY(endsAt(*skip, v.nodeRect("out")));
}

void TestNetworkView::unknownNamesGetNoArrow() {
    NetworkSpec spec;
    spec.populations = {population("a", 3)};
    spec.projections = {projection("a", "ghost"), projection("ghost", "a")};
    spikelab::InputSpec input;
    input.name = "stray";
    input.target = "nowhere";
    spec.inputs = {input};
    NetworkView v;
    v.setNetwork(spec);
    QCOMPARE(v.nodes().size(), std::size_t(2));
    QCOMPARE(v.arrowCount(), 0);
    QVERIFY(v.nodeRect("ghost").isNull());
    v.clear();
    QVERIFY(v.nodes().empty());
    QCOMPARE(v.arrowCount(), 0);
}

void TestNetworkView::arrowsFollowMovedNodes() {
    NetworkSpec spec;
    spec.populations = {population("a", 3), population("b", 3)};
    spec.projections = {projection("a", "b"), projection("b", "b")};
    NetworkView v;
    v.setNetwork(spec);
    auto* b = v.populationItem("b");
    b->setPos(b->pos() + QPointF(40, 200));
    QVERIFY(endsAt(*connection(v, "a_b"), v.nodeRect("b")));
    QVERIFY(endsAt(*connection(v, "b_b"), v.nodeRect("b")));
    QVERIFY(connection(v, "b_b")->line().boundingRect().bottom() <= v.nodeRect("b").top() + 0.5);
}

void TestNetworkView::fitsTheView() {
    const NetworkSpec spec = loadExample("fashion-mnist-if");
    if (spec.populations.empty()) QSKIP("projects/fashion-mnist-if is missing");
    NetworkView v;
    v.setNetwork(spec);
    v.resize(420, 240);
    v.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v));
    auto allVisible = [&] {
        for (const auto* node : v.nodes())
            if (!v.viewport()->rect().contains(v.mapFromScene(node->sceneOutline()).boundingRect()))
                return false;
        return true;
    };
    // Too small for the whole diagram at a readable size: it shrinks until its smallest text
    // is kMinTextPixels (issue 12, item 11), then scrolls.
    QVERIFY(v.transform().m11() < 1.0);
    QCOMPARE(v.smallestTextPixels(), NetworkView::kMinTextPixels);
    QVERIFY(v.horizontalScrollBar()->isVisible());
    // It starts at the inputs: the scroll bar at its start (to the pixel), the leftmost node in view.
    QVERIFY2(v.horizontalScrollBar()->value() - v.horizontalScrollBar()->minimum() <= 1,
             qPrintable(QString("scroll bar at %1 of %2..%3").arg(v.horizontalScrollBar()->value())
                            .arg(v.horizontalScrollBar()->minimum()).arg(v.horizontalScrollBar()->maximum())));
    const auto* leftmost = *std::min_element(v.nodes().begin(), v.nodes().end(), [](const auto* a, const auto* b) {
        return a->sceneOutline().left() < b->sceneOutline().left();
    });
    QVERIFY(v.viewport()->rect().contains(v.mapFromScene(leftmost->sceneOutline()).boundingRect()));

    // A big window shows the diagram at its natural size, not blown up.
    v.resize(1600, 900);
    QTest::qWait(10);
    QVERIFY(allVisible());
    QCOMPARE(v.transform().m11(), 1.0);
}

void TestNetworkView::exports() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    NetworkView v;
    QString error;
    QVERIFY(!v.exportPng(dir.filePath("empty.png"), &error));
    QVERIFY(error.contains("empty.png"));

    NetworkSpec spec;
    spec.populations = {population("alpha", 5), population("beta", 5)};
    spec.projections = {projection("alpha", "beta")};
    v.setNetwork(spec);
    QVERIFY(v.exportPng(dir.filePath("net.png"), &error));
    const QImage png(dir.filePath("net.png"));
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), v.renderImage().size());
    // Both boxes are there in the LIF colour.
    const QColor lif = PopulationItem::modelColour("LIF");
    int filled = 0;
    for (int y = 0; y < png.height(); ++y)
        for (int x = 0; x < png.width(); ++x) filled += png.pixelColor(x, y) == lif;
    QVERIFY(filled > 2 * 4 * 100 * 30); // two boxes of at least 100 x 30 at twice the scale

    QVERIFY(v.exportSvg(dir.filePath("net.svg"), &error));
    QFile svg(dir.filePath("net.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(svg.readAll());
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("alpha"));
    QVERIFY(text.contains("beta"));

    const QString bad = dir.filePath("no-such-folder/net.png");
    QVERIFY(!v.exportPng(bad, &error));
    QVERIFY(error.contains(bad));
    QVERIFY(!v.exportSvg(dir.filePath("no-such-folder/net.svg"), &error));
    QVERIFY(error.contains("net.svg"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
}

QTEST_MAIN(TestNetworkView)
#include "test_network_view.moc"
