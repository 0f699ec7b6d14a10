// The File > Export menu: every view's pictures and data, rebuilt each time it opens so it
// lists the rasters of the project loaded now.
#include "main_window.h"

#include "network_view.h"
#include "plot_export.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "trace_view.h"
#include "weight_view.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QStatusBar>

#include <functional>

namespace spikelab::ui {

void MainWindow::fillExportMenu(QMenu* exports) {
    exports->clear();
    using Write = std::function<bool(const QString&, QString*)>;
    // Each entry asks for a file name and reports where it went or why it failed.
    auto add = [this](QMenu* menu, const QString& text, const QString& file, Write write) {
        menu->addAction(text, this, [=, this] {
            const QString filter = QFileInfo(file).suffix().toUpper() + " (*." +
                                   QFileInfo(file).suffix() + ")";
            const QString path = QFileDialog::getSaveFileName(this, text, file, filter);
            if (path.isEmpty()) return;
            QString error;
            if (write(path, &error))
                statusBar()->showMessage("Saved " + path, 5000);
            else
                showError(error);
        });
    };
    // PNG and SVG of a view that draws itself (every view has exportPng / exportSvg).
    auto pictures = [&](QMenu* menu, const QString& stem, auto* view) {
        add(menu, "PNG image...", stem + ".png",
            [view](const QString& p, QString* e) { return view->exportPng(p, e); });
        add(menu, "SVG drawing...", stem + ".svg",
            [view](const QString& p, QString* e) { return view->exportSvg(p, e); });
    };
    add(exports, "Network as self-contained JSON...", "network-export.json",
        [this](const QString& p, QString* e) { return exportNetwork(p, e); });
    exports->addSeparator();
    for (auto* raster : rasters_) {
        if (!raster) continue;
        auto* menu = exports->addMenu("Raster of " + raster->populationName());
        const QString stem = "raster-" + raster->populationName();
        pictures(menu, stem, raster);
        add(menu, "CSV spikes...", stem + ".csv",
            [raster](const QString& p, QString* e) { return raster->exportCsv(p, e); });
    }
    auto* traces = exports->addMenu("Membrane traces");
    pictures(traces, "traces", traceView_);
    add(traces, "CSV values...", "traces.csv",
        [this](const QString& p, QString* e) { return traceView_->exportCsv(p, e); });
    auto* weights = exports->addMenu("Weights");
    pictures(weights, "weights", weightView_);
    add(weights, "CSV weights...", "weights.csv",
        [this](const QString& p, QString* e) { return weightView_->exportCsv(p, e); });
    auto* stats = exports->addMenu("Statistics");
    pictures(stats, "statistics", statisticsView_);
    add(stats, "Confusion matrix CSV...", "confusion.csv",
        [this](const QString& p, QString* e) { return statisticsView_->exportConfusionCsv(p, e); });
    add(stats, "Spikes per sample CSV...", "spikes-per-sample.csv",
        [this](const QString& p, QString* e) { return statisticsView_->exportSpikesCsv(p, e); });
    auto* sample = exports->addMenu("Sample");
    add(sample, "PNG image...", "sample.png",
        [this](const QString& p, QString* e) { return exportWidgetPng(sampleView_, p, e); });
    add(sample, "SVG drawing...", "sample.svg",
        [this](const QString& p, QString* e) { return exportWidgetSvg(sampleView_, p, "Sample", e); });
    pictures(exports->addMenu("Network diagram"), "network", networkView());
    add(exports, "Whole window as PNG...", "spikelab.png",
        [this](const QString& p, QString* e) { return exportWidgetPng(this, p, e); });
}

} // namespace spikelab::ui
