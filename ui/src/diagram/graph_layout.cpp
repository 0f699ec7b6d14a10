#include "graph_layout.h"

#include <algorithm>

namespace spikelab::ui {

Layering layerGraph(const LayoutGraph& graph) {
    const std::size_t n = graph.nodes;
    // Drop the edges that close a cycle (depth first from the inputs, then from the rest).
    std::vector<std::vector<int>> out(n), in(n);
    {
        std::vector<std::vector<int>> all(n);
        for (const auto& [from, to] : graph.edges)
            if (from != to) all[std::size_t(from)].push_back(to);
        std::vector<int> state(n, 0);  // 0 unseen, 1 on the path, 2 finished
        for (std::size_t root = 0; root < n; ++root) {
            if (state[root] != 0) continue;
            std::vector<std::pair<int, std::size_t>> stack{{int(root), 0}};
            state[root] = 1;
            while (!stack.empty()) {
                auto& [node, next] = stack.back();
                const auto& targets = all[std::size_t(node)];
                if (next == targets.size()) {
                    state[std::size_t(node)] = 2;
                    stack.pop_back();
                    continue;
                }
                const int to = targets[next++];
                if (state[std::size_t(to)] == 1) continue;  // back edge
                out[std::size_t(node)].push_back(to);
                in[std::size_t(to)].push_back(node);
                if (state[std::size_t(to)] == 0) {
                    state[std::size_t(to)] = 1;
                    stack.push_back({to, 0});
                }
            }
        }
    }

    // Layers: inputs 0, populations one past their furthest predecessor, readout last.
    Layering result;
    std::vector<int>& layer = result.layer;
    layer.assign(n, 0);
    std::vector<int> pending(n, 0);
    for (std::size_t v = graph.inputs; v < n; ++v) layer[v] = graph.inputs > 0 ? 1 : 0;
    std::vector<int> order;
    for (std::size_t v = 0; v < n; ++v) {
        pending[v] = int(in[v].size());
        if (pending[v] == 0) order.push_back(int(v));
    }
    for (std::size_t i = 0; i < order.size(); ++i)
        for (int to : out[std::size_t(order[i])]) {
            layer[std::size_t(to)] = std::max(layer[std::size_t(to)], layer[std::size_t(order[i])] + 1);
            if (--pending[std::size_t(to)] == 0) order.push_back(to);
        }
    if (graph.readout >= 0) layer[std::size_t(graph.readout)] = *std::max_element(layer.begin(), layer.end());
    const int layers = n == 0 ? 0 : *std::max_element(layer.begin(), layer.end()) + 1;

    // Order within a layer by the mean row of the predecessors, to keep arrows short.
    result.columns.resize(std::size_t(layers));
    std::vector<double> row(n, 0.0);
    for (int l = 0; l < layers; ++l) {
        auto& column = result.columns[std::size_t(l)];
        for (std::size_t v = 0; v < n; ++v)
            if (layer[v] == l) column.push_back(int(v));
        std::vector<double> key(n, 0.0);
        for (int v : column) {
            double sum = 0;
            int count = 0;
            for (int from : in[std::size_t(v)])
                if (layer[std::size_t(from)] < l) sum += row[std::size_t(from)], ++count;
            key[std::size_t(v)] = count > 0 ? sum / count : double(n) + v;
        }
        std::stable_sort(column.begin(), column.end(),
                         [&](int a, int b) { return key[std::size_t(a)] < key[std::size_t(b)]; });
        for (std::size_t i = 0; i < column.size(); ++i) row[std::size_t(column[i])] = double(i);
    }
    return result;
}

std::vector<std::pair<double, double>> placeNodes(const LayoutGraph& graph, const Layering& layering,
                                                  const std::vector<NodeBox>& boxes, double gap, double rowGap,
                                                  const std::function<double(int)>& loopRoom) {
    std::vector<int> loops(graph.nodes, 0);
    for (const auto& [from, to] : graph.edges)
        if (from == to) ++loops[std::size_t(from)];
    const auto room = [&](int count) { return count > 0 ? loopRoom(count) : 0.0; };
    const auto above = [&](int v) { return room((loops[std::size_t(v)] + 1) / 2); };
    const auto below = [&](int v) { return room(loops[std::size_t(v)] / 2); };
    std::vector<std::pair<double, double>> centres(graph.nodes, {0.0, 0.0});
    double x = 0;
    for (const auto& column : layering.columns) {
        if (column.empty()) continue;  // the readout may have left its layer empty
        double width = 0, height = 0;
        for (int v : column) {
            width = std::max(width, boxes[std::size_t(v)].width);
            height += above(v) + boxes[std::size_t(v)].height + below(v);
        }
        height += rowGap * double(column.size() - 1);
        double y = -height / 2;
        for (int v : column) {
            const NodeBox& box = boxes[std::size_t(v)];
            y += above(v);
            centres[std::size_t(v)] = {x + width / 2, y + box.height / 2};
            y += box.height + below(v) + rowGap;
        }
        x += width + gap;
    }
    return centres;
}

std::map<std::pair<int, int>, std::vector<std::size_t>> edgePairs(const LayoutGraph& graph) {
    std::map<std::pair<int, int>, std::vector<std::size_t>> pairs;
    for (std::size_t i = 0; i < graph.edges.size(); ++i) {
        const auto [from, to] = graph.edges[i];
        if (from != to) pairs[std::minmax(from, to)].push_back(i);
    }
    return pairs;
}

std::vector<double> pairBends(const LayoutGraph& graph, double spacing) {
    std::vector<double> bends(graph.edges.size(), 0.0);
    for (const auto& [key, members] : edgePairs(graph))
        for (std::size_t k = 0; k < members.size(); ++k) {
            const double offset = (double(k) - double(members.size() - 1) / 2) * spacing;
            bends[members[k]] = graph.edges[members[k]].first == key.first ? offset : -offset;
        }
    return bends;
}

} // namespace spikelab::ui
