#pragma once
// What the window tests share: stepping the window's simulation by a number of steps and
// waiting for it, and the same presentation run by the engine alone to compare with.
#include "main_window.h"
#include "wait_for.h"

#include "spikelab/backend.h"
#include "spikelab/dataset.h"
#include "spikelab/experiment.h"

#include <QtTest>

#include <functional>
#include <memory>

// Runs exactly `steps` more steps and waits until the window has taken their frames.
inline void stepAndWait(spikelab::ui::MainWindow& w, std::int64_t steps) {
    auto* c = w.controller();
    const auto target = c->stepsDone() + steps;
    c->stepN(steps);
    QVERIFY(waitFor([&] { return c->stepsDone() == target && !c->isRunning(); }));
    QTest::qWait(30);
    w.pumpFrames();
}

// The engine alone, as the window presents samples: samples 0, 1, ... in turn, each from the
// initial state, `atStep(backend, t)` before step t.
inline std::unique_ptr<spikelab::Backend>
runAlone(const spikelab::CompiledNetwork& net, const spikelab::ImageDataset& data, std::int64_t steps,
         const std::function<void(spikelab::Backend&, std::int64_t)>& atStep) {
    auto b = spikelab::createBackend("cpu", net, {});
    for (std::int64_t t = 0; t < steps; ++t) {
        if (t % net.stepsPerSample == 0) {
            b->resetState();
            b->clearInputs();
            spikelab::encodeSample(*b, data, t / net.stepsPerSample, 0);
        }
        if (atStep) atStep(*b, t);
        b->advance(1);
    }
    return b;
}
