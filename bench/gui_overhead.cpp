// bench/gui_overhead: how much the live views slow the engine. Runs the default project as
// fast as possible for a few seconds, once with frames drained and dropped (no views) and
// once with the whole workbench window repainting at 60 Hz, and prints steps/s for both.
//
//   QT_QPA_PLATFORM=offscreen gui_overhead [PROJECT] [--seconds S]
#include "main_window.h"
#include "raster_view.h"

#include "spikelab/error.h"
#include "spikelab/project.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

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
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--seconds" && i + 1 < args.size())
            seconds = args[++i].toDouble();
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

        // Without views: the frames are taken and dropped at 60 Hz.
        double bare = 0.0;
        {
            ui::SimulationController c(net, data);
            QElapsedTimer drain;
            drain.start();
            bare = runFor(c, seconds, [&] {
                if (drain.elapsed() >= 16) c.takeFrames(), drain.restart();
            });
        }
        // With the workbench window and its rasters repainting.
        ui::MainWindow window;
        window.resize(1280, 820);
        if (!window.openProject(project)) return 1;
        window.show();
        std::int64_t repaints = 0;
        QElapsedTimer frame;
        frame.start();
        const double withViews = runFor(*window.controller(), seconds, [&] {
            if (frame.elapsed() >= 16) {
                for (int p = 0; p < 3; ++p)
                    if (auto* r = window.raster(p)) r->repaint();
                ++repaints;
                frame.restart();
            }
        });
        std::printf("project            %s (%s)\n", qPrintable(project), spec.name.c_str());
        std::printf("without views      %10.0f steps/s\n", bare);
        std::printf("with the window    %10.0f steps/s  (%lld raster repaints)\n", withViews,
                    static_cast<long long>(repaints));
        std::printf("slowdown           %9.1f %%\n", 100.0 * (1.0 - withViews / bare));
    } catch (const Error& e) {
        std::fprintf(stderr, "gui_overhead: %s\n", e.what());
        return 1;
    }
    return 0;
}
