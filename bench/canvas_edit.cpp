// How long one edit takes in the network editor: the Document's copy-check-commit plus the
// canvas redrawing the whole network from the changed spec, on a network larger than people
// draw by hand (L layers of W populations, each projecting to two populations of the next
// layer, one input per first-layer population). Prints medians; never fails.
//
//   QT_QPA_PLATFORM=offscreen build/bench/canvas_edit [--layers L] [--width W]
#include "document.h"
#include "network_canvas.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

double medianMs(int repeats, const std::function<void()>& work) {
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        QApplication::processEvents();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    int layers = 10, width = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--layers")) layers = std::max(1, std::atoi(argv[i + 1]));
        if (!std::strcmp(argv[i], "--width")) width = std::max(1, std::atoi(argv[i + 1]));
    }
    NetworkSpec spec;
    spec.name = "bench";
    const auto name = [](int l, int k) {
        std::string n = "p";
        n += std::to_string(l);
        n += '_';
        n += std::to_string(k);
        return n;
    };
    for (int l = 0; l < layers; ++l)
        for (int k = 0; k < width; ++k) {
            PopulationSpec p;
            p.name = name(l, k);
            p.size = 100;
            p.model = l == 0 ? "SpikeSource" : "LIF";
            spec.populations.push_back(p);
            if (l == 0) {
                InputSpec in;
                in.name = "in";
                in.name += std::to_string(k);
                in.type = "PoissonRate";
                in.target = p.name;
                spec.inputs.push_back(in);
            }
            if (l > 0)
                for (int d : {0, 1}) {
                    ProjectionSpec j;
                    j.source = name(l - 1, (k + d) % width);
                    j.target = p.name;
                    j.name = j.source;
                    j.name += '_';
                    j.name += j.target;
                    j.weights.value = 0.1;
                    if (std::none_of(spec.projections.begin(), spec.projections.end(),
                                     [&](const ProjectionSpec& o) { return o.name == j.name; }))
                        spec.projections.push_back(j);
                }
        }
    Document document;
    NetworkCanvas canvas(&document);
    canvas.resize(1200, 700);
    canvas.show();
    QElapsedTimer t;
    t.start();
    document.apply("load", [&](NetworkSpec& s) { s = spec; });
    QApplication::processEvents();
    const double first = double(t.nsecsElapsed()) / 1e6;

    std::int64_t size = 100;
    const std::string middle = name(layers / 2, width / 2);
    const double resize = medianMs(21, [&] { document.setPopulationSize(middle, ++size); });
    const double undo = medianMs(21, [&] { document.undoStack()->undo(); });
    const double redo = medianMs(21, [&] { document.undoStack()->redo(); });
    int interaction = 0;
    double x = 0;
    const double move = medianMs(21, [&] {
        document.moveNodes({{middle, {x += 5, 40}}}, ++interaction);
    });
    std::printf("network            %d populations, %zu projections, %zu inputs\n",
                int(spec.populations.size()), spec.projections.size(), spec.inputs.size());
    std::printf("first drawing      %8.2f ms (layered layout)\n", first);
    std::printf("resize edit        %8.2f ms (median of 21: commit, validate, redraw)\n", resize);
    std::printf("undo               %8.2f ms\n", undo);
    std::printf("redo               %8.2f ms\n", redo);
    std::printf("move               %8.2f ms\n", move);
    return 0;
}
