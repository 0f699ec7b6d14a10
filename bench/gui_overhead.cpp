// bench/gui_overhead: how much the live views slow the engine. Runs the default project as
// fast as possible for a few seconds, once with frames drained and dropped (no views) and
// once with the workbench window showing it (rasters, the membrane traces of eight hidden
// neurons unless --traces says fewer, statistics, weights; the window drains frames and repaints at up to 60 Hz),
// alternating three times, and prints the median steps/s of both.
//
//   QT_QPA_PLATFORM=offscreen gui_overhead [PROJECT] [--seconds S] [--traces N]
#include "main_window.h"

#include "spikelab/error.h"
#include "spikelab/project.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace spikelab;

namespace {

double runFor(ui::SimulationController& c, double seconds, const std::function<void()>& pump) {
    QElapsedTimer t;
    c.run();
    while (c.stepsDone() == 0) QApplication::processEvents(QEventLoop::AllEvents, 5);
    const auto start = c.stepsDone();
    t.start();
    while (static_cast<double>(t.elapsed()) < seconds * 1000.0) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        pump();
    }
    const double rate = double(c.stepsDone() - start) / (static_cast<double>(t.elapsed()) / 1000.0);
    c.pause();
    return rate;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QString project =
        QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
    double seconds = 3.0;
    int traces = 8;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--seconds" && i + 1 < args.size())
            seconds = args[++i].toDouble();
        else if (args[i] == "--traces" && i + 1 < args.size())
            traces = std::clamp(args[++i].toInt(), 0, 8);
        else
            project = args[i];
    }
    try {
        const std::string file = project.toStdString();
        const NetworkSpec spec = loadProject(file);
        const CompiledNetwork net = compileNetwork(spec, projectDir(file));
        const auto& ds = spec.experiment.dataset;
        auto data =
            std::make_shared<ImageDataset>(loadImageDataset(ds.name, ds.split, std::nullopt, 1000));

        // Without views the frames are taken and dropped at 60 Hz; with the window they go to
        // the views. Runs alternate so that a neighbour's load on this machine hits both
        // alike; the medians are printed.
        ui::SimulationController bareController(net, data);
        ui::MainWindow window;
        window.resize(1280, 820);
        if (!window.openProject(project)) return 1;
        // As fast as possible, as a user picks it: the window opens at the teaching speed
        // (0.1x) unless a speed was remembered.
        auto* speed = window.findChild<QComboBox*>("speed");
        if (!speed) return 1;
        speed->setCurrentIndex(speed->findData(0.0));
        window.show();
        for (int n = 0; n < traces; ++n) window.traceNeuron(1, n * 16);
        std::vector<double> bare, withViews;
        const int rounds = 3;
        for (int round = 0; round < rounds; ++round) {
            QElapsedTimer drain;
            drain.start();
            bare.push_back(runFor(bareController, seconds, [&] {
                if (drain.elapsed() >= 16) bareController.takeFrames(), drain.restart();
            }));
            // The window's own 60 Hz timer drains the frames and the views repaint what
            // changed, exactly as in the program.
            withViews.push_back(runFor(*window.controller(), seconds, [] {}));
        }
        auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::printf("project            %s (%s)\n", qPrintable(project), spec.name.c_str());
        std::printf("without views      %10.0f steps/s  (median of %d runs of %.1f s)\n",
                    median(bare), rounds, seconds);
        std::printf("with the window    %10.0f steps/s  (views repainting, %d traced neurons)\n",
                    median(withViews), traces);
        std::printf("slowdown           %9.1f %%\n", 100.0 * (1.0 - median(withViews) / median(bare)));
    } catch (const Error& e) {
        std::fprintf(stderr, "gui_overhead: %s\n", e.what());
        return 1;
    }
    return 0;
}
