// The network diagram's layered layout (ui/src/diagram/graph_layout.h), on its own: no scene, no items.
#include "graph_layout.h"

#include <QtTest>

using namespace spikelab::ui;

class TestGraphLayout : public QObject {
    Q_OBJECT

private slots:
    // The MNIST network: input -> hidden -> output, one input. Three layers, one node each.
    void aChainTakesOneColumnPerLayer() {
        LayoutGraph g;
        g.nodes = 3;
        g.inputs = 1;
        g.edges = {{0, 1}, {1, 2}};
        g.readout = 2;
        const Layering l = layerGraph(g);
        QCOMPARE(l.layer, (std::vector<int>{0, 1, 2}));
        QCOMPARE(l.columns, (std::vector<std::vector<int>>{{0}, {1}, {2}}));
        const auto centres = placeNodes(g, l, {{40, 20}, {60, 30}, {50, 10}}, 100, 12, [](int) { return 0.0; });
        // Columns as wide as their node, 100 apart, every node centred on y = 0.
        QCOMPARE(centres[0], std::make_pair(20.0, 0.0));
        QCOMPARE(centres[1], std::make_pair(40.0 + 100 + 30, 0.0));
        QCOMPARE(centres[2], std::make_pair(40.0 + 100 + 60 + 100 + 25, 0.0));
    }

    // A cycle (hidden <-> recurrent) is broken where the depth-first walk from the input closes
    // it, so the layers still follow the input; the readout goes last even when another node
    // is deeper; a population without inputs in a network with inputs starts in layer 1.
    void cyclesAreBrokenAndTheReadoutGoesLast() {
        LayoutGraph g;
        g.nodes = 5;   // 0 input, 1 a, 2 b, 3 readout, 4 lone
        g.inputs = 1;
        g.edges = {{0, 1}, {1, 2}, {2, 1}, {1, 3}, {2, 2}};
        g.readout = 3;
        const Layering l = layerGraph(g);
        QCOMPARE(l.layer[0], 0);
        QCOMPARE(l.layer[1], 1);
        QCOMPARE(l.layer[2], 2);
        QCOMPARE(l.layer[3], 2);  // the readout takes the last layer
        QCOMPARE(l.layer[4], 1);
        // In layer 1, a (fed from the input's row 0) comes before the lone node.
        QCOMPARE(l.columns[1], (std::vector<int>{1, 4}));
    }

    // Within a layer, nodes follow the rows of their predecessors, so arrows do not cross.
    void aLayerFollowsItsPredecessorsRows() {
        LayoutGraph g;
        g.nodes = 4;  // inputs 0, 1; populations 2 (fed by 1) and 3 (fed by 0)
        g.inputs = 2;
        g.edges = {{1, 2}, {0, 3}};
        const Layering l = layerGraph(g);
        QCOMPARE(l.columns[0], (std::vector<int>{0, 1}));
        QCOMPARE(l.columns[1], (std::vector<int>{3, 2}));
        // Two nodes of height 20, 10 apart, centred on 0; loops make room above and below.
        g.edges.push_back({3, 3});
        g.edges.push_back({3, 3});
        const auto centres = placeNodes(g, l, std::vector<NodeBox>(4, {30, 20}), 80, 10,
                                        [](int loops) { return 5.0 * loops; });
        // Column 1: above(3) 5, node 3 20, below(3) 5, gap 10, node 2 20: 60 high, from -30.
        QCOMPARE(centres[3].second, -30.0 + 5 + 10);
        QCOMPARE(centres[2].second, -30.0 + 5 + 20 + 5 + 10 + 10);
        QCOMPARE(centres[2].first, 30.0 + 80 + 15);
    }

    // Arrows joining the same two nodes fan out symmetrically; opposite directions to opposite
    // sides; lone arrows and loops stay straight.
    void arrowsOfOnePairFanOut() {
        LayoutGraph g;
        g.nodes = 3;
        g.edges = {{0, 1}, {1, 0}, {0, 1}, {1, 2}, {2, 2}};
        const auto pairs = edgePairs(g);
        QCOMPARE(pairs.at({0, 1}), (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(pairs.at({1, 2}), (std::vector<std::size_t>{3}));
        QVERIFY(!pairs.count({2, 2}));
        const auto bends = pairBends(g, 10);
        QCOMPARE(bends, (std::vector<double>{-10, 0, 10, 0, 0}));
        g.edges = {{0, 1}, {1, 0}};
        QCOMPARE(pairBends(g, 10), (std::vector<double>{-5, -5}));
    }

    void anEmptyGraphHasNoLayers() {
        const Layering l = layerGraph(LayoutGraph{});
        QVERIFY(l.layer.empty());
        QVERIFY(l.columns.empty());
    }
};

QTEST_APPLESS_MAIN(TestGraphLayout)
#include "test_graph_layout.moc"
