// Frames from the simulation thread into the views: rasters, traces, weights, the sample
// browser (images, or event frames as far as a recording has replayed), statistics and the
// canvas's activity dots. The window calls pumpFrames at most 60 times a second.
#include "main_window.h"

#include "network_canvas.h"
#include "raster_view.h"
#include "sample_view.h"
#include "statistics_view.h"
#include "trace_view.h"
#include "weight_view.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace spikelab::ui {

void MainWindow::pumpFrames() {
    SimulationController* controller = session_->controller();
    if (!controller) return;
    const ImageDataset* images = controller->data().images.get();
    const bool hasData = bool(controller->data());
    const QString split = QString::fromStdString(session_->runningSpec().experiment.dataset.split);
    auto [frames, rates] = session_->takeFrames();
    if (!rates.empty()) showActivity(std::move(rates));
    // At full speed many frames arrive per repaint; spikes that have already scrolled out of
    // every raster's window by the newest frame are never drawn, so skip them.
    const std::int64_t newest = frames.empty() ? 0 : frames.back().endStep;
    std::vector<StatisticsView::Result> results;
    for (const auto& frame : frames) {
        for (std::size_t p = 0; p < frame.spikes.size(); ++p) {
            auto* raster = rasters_[p];
            if (!raster || frame.spikes[p].empty()) continue;
            const std::int64_t oldest = newest - raster->windowSteps();
            const auto& spikes = frame.spikes[p];
            if (spikes.back().step < oldest) continue;
            auto first =
                std::lower_bound(spikes.begin(), spikes.end(), oldest,
                                 [](const SpikeEvent& e, std::int64_t s) { return e.step < s; });
            raster->addSpikes({&*first, std::size_t(spikes.end() - first)});
        }
        if (!frame.trace.samples.empty() && frame.trace.population == tracePopulation_) {
            // Only the newest window of samples can show; the view redraws once per flush.
            if (frame.trace.neurons != pendingTraceNeurons_) flushTraces();
            pendingTraceNeurons_ = frame.trace.neurons;
            const auto& fresh = frame.trace.samples;
            const std::int64_t oldest = newest - traceView_->windowSteps();
            auto first = std::lower_bound(
                fresh.begin(), fresh.end(), oldest,
                [](const StateSample& v, std::int64_t step) { return v.step < step; });
            pendingTrace_.insert(pendingTrace_.end(), first, fresh.end());
            if (pendingTrace_.size() > 2 * std::size_t(traceView_->windowSteps()))
                pendingTrace_.erase(pendingTrace_.begin(),
                                    pendingTrace_.end() - traceView_->windowSteps());
        }
        for (const auto& w : frame.weights)
            if (w.projection == shownProjection_) weightView_->updateWeights(w.weights);
        for (const auto& e : frame.samples) {
            if (e.finished) {
                if (sampleView_ && e.predicted >= 0)
                    sampleView_->showPrediction(e.predicted, e.counts);
                // Without a readout the statistics have no classes to put a label in.
                const bool answers = controller->network().readout >= 0;
                results.push_back({answers ? e.label : -1, e.predicted,
                                   std::vector<double>(e.populationSpikes.begin(),
                                                       e.populationSpikes.end()),
                                   e.counted});
                if (hasData) statisticsView_->setPass(e.pass, split);
                continue;
            }
            for (auto* r : rasters_)
                if (r) r->addSampleBoundary(e.step, e.label);
            if (images)
                sampleView_->showSample(
                    e.sample, {images->image(e.sample), std::size_t(images->pixelsPerImage())},
                    images->rows, images->cols, e.label);
            if (e.sensor) {
                eventFrame_ = EventFrame(e.sensor);
                eventSampleStart_ = e.step;
                eventFrameSteps_ = 0;
                sampleView_->showSample(e.sample, eventFrame_.render(0, eventFadeSteps()), e.label);
            }
        }
        for (auto* r : rasters_)
            if (r) r->advanceTo(frame.endStep);
    }
    if (!results.empty()) statisticsView_->addResults(results);
    if (!eventFrame_.isEmpty() && !frames.empty()) {
        // The recording as far as the presentation has replayed it.
        const std::int64_t done =
            std::min(newest - eventSampleStart_, controller->network().stepsPerSample);
        if (done != eventFrameSteps_) {
            eventFrameSteps_ = done;
            sampleView_->setImage(eventFrame_.render(done, eventFadeSteps()));
        }
    }
    // Redrawing a chart costs milliseconds: traces refresh at most 30 times a second.
    if (!traceClock_.isValid() || traceClock_.elapsed() >= 33 || !controller->isRunning())
        flushTraces();
    // Run/Pause follows the simulation when it starts or stops by itself (a step count
    // done); only a change counts, else a Run pressed a moment ago, not yet taken by the
    // worker, would be undone and the next Space would run instead of pausing.
    const bool running = controller->isRunning();
    if (runAction_ && running != lastRunning_) {
        lastRunning_ = running;
        const QSignalBlocker block(runAction_);
        runAction_->setChecked(running);
        runAction_->setText(running ? "Pause" : "Run");
    }
    updateStatus();
}

std::int64_t MainWindow::eventFadeSteps() const {
    // An event stays in colour for 20 ms of model time.
    return std::max<std::int64_t>(1, std::llround(20.0 / controller()->network().dt));
}

void MainWindow::showActivity(std::map<std::string, double> rates) {
    // The others keep their last rates.
    for (const auto& p : controller()->network().populations)
        if (!rates.count(p.name))
            if (const auto* shown = canvas_->populationItem(QString::fromStdString(p.name));
                shown && shown->activity())
                rates[p.name] = *shown->activity();
    canvas_->setActivity(rates);
}

void MainWindow::flushTraces() {
    traceClock_.start();
    if (pendingTrace_.empty()) return;
    traceView_->addSamples(pendingTrace_, pendingTraceNeurons_);
    pendingTrace_.clear();
}

} // namespace spikelab::ui
