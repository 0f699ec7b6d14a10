#pragma once
// The layered layout of the network diagram (NetworkView), without Qt or widgets: which
// column and row each node takes, where its centre goes, and how arrows joining the same two
// nodes fan out. NetworkView measures the nodes and labels, places the items and bends a lone
// arrow around a node it would cross (that needs the drawn shapes).
//
// The method: edges that close a cycle are dropped (depth first from the inputs, then from the
// rest), so the rest has a longest path; inputs take layer 0, every other node the layer after
// its furthest predecessor, the readout the last; within a layer nodes are ordered by the mean
// row of their predecessors (keeps arrows short); columns are as wide as their widest node and
// `gap` apart, centred vertically on 0, with room above and below a node for its loops.
#include <cstddef>
#include <functional>
#include <map>
#include <utility>
#include <vector>

namespace spikelab::ui {

struct LayoutGraph {
    std::size_t nodes = 0;
    std::size_t inputs = 0;                  // nodes [0, inputs) are the inputs
    std::vector<std::pair<int, int>> edges;  // from, to; from == to is a loop
    int readout = -1;                        // goes to the last layer; -1: none
};

struct Layering {
    std::vector<int> layer;                 // per node
    std::vector<std::vector<int>> columns;  // per layer, its nodes from top to bottom
};

// Layers and the order within each.
Layering layerGraph(const LayoutGraph& graph);

struct NodeBox {
    double width = 0, height = 0;
};

// The centre (x, y) of every node: the columns of `layering` left to right from x = 0 (an
// empty column takes no room), each as wide as its widest node, `gap` between them; in a column
// the nodes from the top, `rowGap` apart, centred on y = 0. `loopRoom(k)` is the height k loops
// need; a node's loops alternate above (the first) and below it.
std::vector<std::pair<double, double>> placeNodes(const LayoutGraph& graph, const Layering& layering,
                                                  const std::vector<NodeBox>& boxes, double gap, double rowGap,
                                                  const std::function<double(int)>& loopRoom);

// Arrows (edges that are not loops) joining the same two nodes, by the pair (smaller index
// first): their indices in graph.edges.
std::map<std::pair<int, int>, std::vector<std::size_t>> edgePairs(const LayoutGraph& graph);

// The sideways offset of each edge: the arrows of one pair fan out symmetrically, `spacing`
// apart, those in opposite directions to opposite sides; a lone arrow and a loop get 0.
std::vector<double> pairBends(const LayoutGraph& graph, double spacing);

} // namespace spikelab::ui
