// spikelab: the workbench. Argument parsing only.
//
//   spikelab [PROJECT] [--trace POPULATION:N[,N...]] [--screenshot FILE.png] [--steps N]
//
// --trace starts with the membrane traces of those neurons shown (as clicking their raster
// rows would).
// With --screenshot it runs N steps (default 200), renders the whole window to FILE.png and
// exits, printing the file, the steps done and the project's path: used for the README's
// pictures and by tests (the install check reads which project an installed binary opened).
#include "app_paths.h"
#include "icons.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScreen>
#include <QSettings>
#include <QThread>

#include <cstdio>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("SpikeLab");
    QApplication::setApplicationName("SpikeLab");
    QApplication::setApplicationVersion(SPIKELAB_VERSION);
    QApplication::setWindowIcon(spikelab::ui::appIcon());
    // Matches the installed .desktop file: Wayland compositors take the icon from there.
    QGuiApplication::setDesktopFileName(SPIKELAB_DESKTOP_ID);
    QCommandLineParser parser;
    parser.setApplicationDescription("SpikeLab: a workbench for spiking neural networks");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("project", "project file (default: the Fashion-MNIST project)");
    QCommandLineOption screenshot("screenshot", "run, save the window as PNG and exit", "file");
    QCommandLineOption steps("steps", "steps to run before the screenshot (default 200)", "n",
                             "200");
    QCommandLineOption trace("trace", "trace these neurons' membrane potential",
                             "population:n[,n...]");
    parser.addOption(screenshot);
    parser.addOption(steps);
    parser.addOption(trace);
    parser.process(app);

    QString project = parser.positionalArguments().value(0);
    // The installed examples when run from an install, else the source tree's (app_paths.h).
    if (project.isEmpty()) project = spikelab::ui::defaultProject();

    spikelab::ui::MainWindow window;
    if (parser.isSet(screenshot)) {
        window.resize(1280, 820);  // the same pictures on every machine
    } else if (!QSettings().contains("window/geometry")) {
        // The first start: most of the screen, so that a large screen gets the side-by-side
        // default layout (decided at the first show) instead of a small window's tabs. Later
        // starts keep the size the window had.
        const QRect screen = window.screen()->availableGeometry();
        window.resize(screen.width() * 9 / 10, screen.height() * 9 / 10);
    }
    if (project.isEmpty()) {
        std::fprintf(stderr, "spikelab: no project given, and the example projects are neither "
                             "installed beside this binary nor in its source tree\n");
        if (parser.isSet(screenshot)) return 1;
    } else if (!window.openProject(project)) {
        std::fprintf(stderr, "spikelab: cannot open %s\n", qPrintable(project));
        if (parser.isSet(screenshot)) return 1;
    }
    if (parser.isSet(trace) && window.controller()) {
        const QString text = parser.value(trace);
        const QString population = text.section(':', 0, 0);
        const auto& pops = window.controller()->network().populations;
        int index = -1;
        for (std::size_t p = 0; p < pops.size(); ++p)
            if (QString::fromStdString(pops[p].name) == population) index = int(p);
        const QStringList neurons = text.section(':', 1).split(',', Qt::SkipEmptyParts);
        if (index < 0 || neurons.isEmpty()) {
            std::fprintf(stderr, "spikelab: --trace %s: expected POPULATION:N[,N...] with a "
                         "population of the project\n", qPrintable(text));
            return 2;
        }
        for (const QString& n : neurons) {
            bool ok = false;
            const qint64 neuron = n.toLongLong(&ok);
            if (!ok || neuron < 0 || neuron >= pops[std::size_t(index)].size) {
                std::fprintf(stderr, "spikelab: --trace %s: neuron %s is not in 0..%lld\n",
                             qPrintable(text), qPrintable(n),
                             static_cast<long long>(pops[std::size_t(index)].size - 1));
                return 2;
            }
            window.traceNeuron(index, neuron);
        }
    }
    window.show();
    if (!parser.isSet(screenshot)) return app.exec();

    bool ok = false;
    const qint64 n = parser.value(steps).toLongLong(&ok);
    if (!ok || n < 0) {
        std::fprintf(stderr, "spikelab: --steps needs a whole number >= 0\n");
        return 2;
    }
    auto* controller = window.controller();
    controller->setSpeed(0.0); // the picture, not the pace: the window opens at a teaching speed
    controller->stepN(n);
    QElapsedTimer timer;
    timer.start();
    while ((controller->stepsDone() < n || controller->isRunning()) && timer.elapsed() < 120000) {
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    QApplication::processEvents();
    if (!window.saveScreenshot(parser.value(screenshot))) {
        std::fprintf(stderr, "spikelab: cannot write %s\n", qPrintable(parser.value(screenshot)));
        return 1;
    }
    std::printf("%s: %lld steps of %s\n",
                qPrintable(QFileInfo(parser.value(screenshot)).absoluteFilePath()),
                static_cast<long long>(controller->stepsDone()), qPrintable(window.projectPath()));
    return 0;
}
