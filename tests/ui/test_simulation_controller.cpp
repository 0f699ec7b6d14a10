// The simulation thread: frames carry exactly the spikes the engine records, pause stops
// stepping, parameter changes (neuron, input, presentation length) apply from the next step
// and last, event recordings replay exactly, probes and weight requests deliver the engine's
// values, shutdown leaves no thread.
#include "event_data.h"
#include "simulation_controller.h"
#include "wait_for.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <QSignalSpy>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

std::string projectPath() {
    return std::string(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
}

// A small image set made here, so the test needs no installed data.
std::shared_ptr<ImageDataset> stripes() {
    auto d = std::make_shared<ImageDataset>();
    d->name = "stripes";
    d->count = 5;
    d->rows = d->cols = 28;
    for (int s = 0; s < 5; ++s) {
        d->labels.push_back(std::uint8_t(s));
        for (int i = 0; i < 784; ++i)
            d->pixels.push_back(std::uint8_t((i / 28 + s * 3) % 7 == 0 ? 255 : 20));
    }
    return d;
}


// Spikes per population from an engine run of the same samples, outside the controller.
std::vector<std::vector<SpikeEvent>>
reference(const CompiledNetwork& net, const ImageDataset& data, std::int64_t steps,
          std::function<void(Backend&, std::int64_t)> atStep = {}) {
    auto b = createBackend("cpu", net, {});
    std::int64_t sample = 0;
    encodeSample(*b, data, 0, 0);
    for (std::int64_t t = 0; t < steps; ++t) {
        if (atStep) atStep(*b, t);
        b->advance(1);
        if ((t + 1) % net.stepsPerSample == 0) {
            sample = (sample + 1) % data.count;
            b->resetState();
            b->clearInputs();
            encodeSample(*b, data, sample, 0);
        }
    }
    std::vector<std::vector<SpikeEvent>> out;
    for (std::size_t p = 0; p < net.populations.size(); ++p)
        out.push_back(b->spikes(int(p), 0).all());
    return out;
}

std::vector<std::vector<SpikeEvent>> collect(SimulationController& c,
                                             std::vector<SampleEvent>* finished = nullptr,
                                             std::vector<SampleEvent>* started = nullptr) {
    std::vector<std::vector<SpikeEvent>> out(c.network().populations.size());
    for (auto& f : c.takeFrames()) {
        for (std::size_t p = 0; p < f.spikes.size(); ++p)
            out[p].insert(out[p].end(), f.spikes[p].begin(), f.spikes[p].end());
        for (const auto& e : f.samples)
            if (auto* list = e.finished ? finished : started) list->push_back(e);
    }
    return out;
}

// The input population's spikes a replay of `samples` (one presentation each, from step
// `start`) gives: exactly the trains of the EventReplay input.
std::vector<SpikeEvent> replayed(const EventSamples& samples, std::vector<std::int64_t> order,
                                 std::int64_t stepsPerSample) {
    std::vector<SpikeEvent> out;
    std::int64_t start = 0;
    for (auto sample : order) {
        const SpikeTrain train = samples.train(0, sample);
        for (std::int64_t s = 0; s < std::min(train.steps, stepsPerSample); ++s)
            for (auto i = train.stepStart[std::size_t(s)]; i < train.stepStart[std::size_t(s) + 1]; ++i)
                out.push_back({start + s, train.inputs[std::size_t(i)]});
        start += stepsPerSample;
    }
    return out;
}

} // namespace

class TestSimulationController : public QObject {
    Q_OBJECT
private slots:
    void framesCarryExactlyTheRecordedSpikes() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.stepN(250); // two and a half presentations
        QVERIFY(waitFor([&] { return c.stepsDone() == 250 && !c.isRunning(); }));
        QTest::qWait(20);
        std::vector<SampleEvent> finished;
        const auto got = collect(c, &finished);
        const auto want = reference(net, *data, 250);
        std::size_t total = 0;
        for (std::size_t p = 0; p < want.size(); ++p) {
            QCOMPARE(got[p].size(), want[p].size());
            QVERIFY(got[p] == want[p]);
            total += want[p].size();
        }
        QVERIFY(total > 1000);
        QCOMPARE(finished.size(), std::size_t(2));
        QCOMPARE(finished[1].sample, std::int64_t(1));
        QCOMPARE(finished[1].label, 1);
        QCOMPARE(finished[1].counts.size(), std::size_t(10));
    }

    void pauseStopsStepping() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        SimulationController c(net, stripes());
        c.run();
        QVERIFY(waitFor([&] { return c.stepsDone() > 500; }));
        c.pause();
        QVERIFY(waitFor([&] { return !c.isRunning(); }));
        QTest::qWait(30);
        const auto stopped = c.stepsDone();
        QTest::qWait(200);
        QCOMPARE(c.stepsDone(), stopped);
    }

    void parameterChangeAppliesFromTheNextStep() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 40 && !c.isRunning(); }));
        c.setParameter({"hidden", "Vthr", 2.0});
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 80 && !c.isRunning(); }));
        QTest::qWait(20);
        const auto got = collect(c);
        const auto changed = reference(net, *data, 80, [](Backend& b, std::int64_t t) {
            if (t == 40) b.setParam(1, "Vthr", 2.0);
        });
        const auto unchanged = reference(net, *data, 80);
        QVERIFY(got[1] == changed[1]);
        QVERIFY(got[1] != unchanged[1]);
        // Up to step 40 both agree.
        auto before = [](const std::vector<SpikeEvent>& v) {
            std::size_t n = 0;
            for (const auto& e : v) n += e.step < 40;
            return n;
        };
        QCOMPARE(before(got[1]), before(unchanged[1]));
    }

    // Two current inputs on the input population add up; changing one while it runs sums
    // the new current with the other one's, instead of replacing the population's input.
    void inputScaleChangeKeepsTheOtherInputOfItsPopulation() {
        auto spec = loadProject(projectPath());
        auto bias = spec.inputs[0];
        bias.name = "bias";
        bias.params = {{"scale", 0.02}};
        spec.inputs.push_back(bias);
        const auto net = compileNetwork(spec, projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.setParameter({net.inputs[0].name, "scale", 0.03});
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 40 && !c.isRunning(); }));
        c.setParameter({"bias", "scale", 0.0});
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 80 && !c.isRunning(); }));
        QTest::qWait(20);
        const auto got = collect(c);
        auto louder = net;
        const auto* scale = findParam(louder.inputs[0].encoder->params, "scale");
        const auto at = std::size_t(scale - louder.inputs[0].encoder->params.data());
        louder.inputs[0].params[at] = 0.03;
        auto quiet = louder;
        quiet.inputs[1].params[at] = 0.0;
        const auto want = reference(net, *data, 80, [&](Backend& b, std::int64_t t) {
            if (t == 0) encodeSample(b, louder, *data, 0, 0);
            if (t == 40) encodeSample(b, quiet, *data, 0, 0);
        });
        QVERIFY(got[1] == want[1]);
        // Before the change both inputs drove the population: the bias made a difference.
        const auto louderAlone = reference(net, *data, 40, [&](Backend& b, std::int64_t t) {
            if (t == 0) encodeSample(b, quiet, *data, 0, 0);
        });
        auto upTo40 = got[1];
        std::erase_if(upTo40, [](const SpikeEvent& e) { return e.step >= 40; });
        QVERIFY(upTo40 != louderAlone[1]);
    }

    void parameterChangesSayWhenTheyTookEffect() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        SimulationController c(net, stripes());
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 40 && !c.isRunning(); }));
        c.takeFrames();
        c.setParameter({"hidden", "Vthr", 2.0});
        c.setParameter({"hidden", "Vthr", std::nan("")}); // refused, said all the same
        c.stepN(10);
        QVERIFY(waitFor([&] { return c.stepsDone() == 50 && !c.isRunning(); }));
        c.setParameter({"hidden", "Vthr", 3.0});
        QTest::qWait(50);
        std::vector<std::int64_t> steps;
        for (const auto& f : c.takeFrames())
            steps.insert(steps.end(), f.parameterSteps.begin(), f.parameterSteps.end());
        QCOMPARE(steps, (std::vector<std::int64_t>{40, 40, 50}));
    }

    void badParameterIsReportedAndNothingChanges() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        SimulationController c(net, stripes());
        QSignalSpy spy(&c, &SimulationController::failed);
        c.setParameter({"hidden", "Vthr", std::nan("")});
        // The worker emits from its own thread and QSignalSpy records directly, so the
        // signal may already be in before a wait() could start.
        QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), 5000);
        QVERIFY(spy.takeFirst().at(0).toString().contains("Vthr"));
    }

    void inputScaleChangesTheCurrentAtOnce() {
        const auto spec = loadProject(projectPath());
        const auto net = compileNetwork(spec, projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 40 && !c.isRunning(); }));
        const std::string input = net.inputs[0].name;
        c.setParameter({input, "scale", 0.03});
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 80 && !c.isRunning(); }));
        QTest::qWait(20);
        const auto got = collect(c);
        auto louder = net;
        const auto* scale = findParam(louder.inputs[0].encoder->params, "scale");
        QVERIFY(scale);
        louder.inputs[0].params[std::size_t(scale - louder.inputs[0].encoder->params.data())] = 0.03;
        const auto want = reference(net, *data, 80, [&](Backend& b, std::int64_t t) {
            if (t == 40) encodeSample(b, louder, *data, 0, 0);
        });
        QVERIFY(got[0] == want[0]);
        QVERIFY(got[0] != reference(net, *data, 80)[0]);
    }

    void shorterPresentationEndsTheCurrentSampleNow() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        SimulationController c(net, stripes());
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 40 && !c.isRunning(); }));
        c.setParameter({"experiment", "steps_per_sample", 30});
        c.stepN(60);
        QVERIFY(waitFor([&] { return c.stepsDone() == 100 && !c.isRunning(); }));
        QTest::qWait(20);
        std::vector<SampleEvent> finished;
        collect(c, &finished);
        QCOMPARE(finished.size(), std::size_t(3));
        QCOMPARE(finished[0].step, std::int64_t(40));
        QCOMPARE(finished[1].step, std::int64_t(70));
        QCOMPARE(finished[2].step, std::int64_t(100));
        QCOMPARE(finished[2].sample, std::int64_t(2));

        QSignalSpy spy(&c, &SimulationController::failed);
        c.setParameter({"experiment", "steps_per_sample", 0});
        // The worker emits from its own thread and QSignalSpy records directly, so the
        // signal may already be in before a wait() could start.
        QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), 5000);
        QVERIFY(spy.takeFirst().at(0).toString().contains("steps_per_sample"));
    }

    void probeDeliversTheMembraneOfPickedNeurons() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.stepN(20);
        QVERIFY(waitFor([&] { return c.stepsDone() == 20 && !c.isRunning(); }));
        c.setProbe(1, {7, 3});
        c.stepN(130); // crosses a presentation boundary at step 100
        QVERIFY(waitFor([&] { return c.stepsDone() == 150 && !c.isRunning(); }));
        QTest::qWait(20);
        std::vector<StateSample> got;
        for (auto& f : c.takeFrames()) {
            if (f.trace.samples.empty()) continue;
            QCOMPARE(f.trace.population, 1);
            QVERIFY(f.trace.neurons == (std::vector<std::int64_t>{7, 3}));
            got.insert(got.end(), f.trace.samples.begin(), f.trace.samples.end());
        }
        // The same run outside the controller, reading V after every step.
        auto b = createBackend("cpu", net, {});
        encodeSample(*b, *data, 0, 0);
        std::vector<float> v(128);
        std::size_t k = 0;
        bool sawSpikeReset = false;
        for (std::int64_t t = 0; t < 150; ++t) {
            if (t == 100) {
                b->resetState();
                b->clearInputs();
                encodeSample(*b, *data, 1, 0);
            }
            b->advance(1);
            if (t < 20) continue;
            b->readState(1, "V", 0, v);
            QVERIFY(k < got.size());
            QCOMPARE(got[k].step, t);
            QCOMPARE(got[k].values, (std::vector<float>{v[7], v[3]}));
            sawSpikeReset |= k > 0 && got[k].values[0] < got[k - 1].values[0];
            ++k;
        }
        QCOMPARE(k, got.size());
        QVERIFY(sawSpikeReset);

        c.setProbe(1, {});
        c.stepN(10);
        QVERIFY(waitFor([&] { return c.stepsDone() == 160 && !c.isRunning(); }));
        QTest::qWait(20);
        for (auto& f : c.takeFrames()) QVERIFY(f.trace.samples.empty());
    }

    void weightRequestsAnswerWithTheEngineWeights() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        SimulationController c(net, stripes());
        c.requestWeights(1);
        std::vector<WeightSnapshot> got;
        QVERIFY(waitFor([&] {
            for (auto& f : c.takeFrames())
                for (auto& w : f.weights) got.push_back(std::move(w));
            return !got.empty();
        }));
        QCOMPARE(got[0].projection, 1);
        QVERIFY(got[0].weights == net.projections[1].synapses.weights);
    }

    void plasticWeightsAreReadAsTheyLearn() {
        // The hidden -> output projection learns (pair-based STDP): the weight view's requests
        // answer with batch copy 0's weights as they are now, not the project's.
        auto spec = loadProject(projectPath());
        spec.projections[1].weightUpdate = {"STDPAdditive", {{"wMin", -10.0}, {"wMax", 10.0}}};
        const auto net = compileNetwork(spec, projectDir(projectPath()));
        SimulationController c(net, stripes());
        const auto weightsNow = [&] {
            c.requestWeights(1);
            std::vector<WeightSnapshot> got;
            waitFor([&] {
                for (auto& f : c.takeFrames())
                    for (auto& w : f.weights) got.push_back(std::move(w));
                return !got.empty();
            });
            return got.empty() ? std::vector<float>{} : got.back().weights;
        };
        QVERIFY(weightsNow() == net.projections[1].synapses.weights);
        c.stepN(150);
        QVERIFY(waitFor([&] { return c.stepsDone() == 150 && !c.isRunning(); }));
        const auto after150 = weightsNow();
        QCOMPARE(after150.size(), net.projections[1].synapses.weights.size());
        QVERIFY(after150 != net.projections[1].synapses.weights);
        c.stepN(150);
        QVERIFY(waitFor([&] { return c.stepsDone() == 300 && !c.isRunning(); }));
        QVERIFY(weightsNow() != after150);
    }

    void finishedSamplesCountSpikesPerPopulation() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.stepN(100);
        QVERIFY(waitFor([&] { return c.stepsDone() == 100 && !c.isRunning(); }));
        QTest::qWait(20);
        std::vector<SampleEvent> finished;
        const auto spikes = collect(c, &finished);
        QCOMPARE(finished.size(), std::size_t(1));
        QCOMPARE(finished[0].populationSpikes.size(), net.populations.size());
        for (std::size_t p = 0; p < net.populations.size(); ++p)
            QCOMPARE(finished[0].populationSpikes[p], std::uint64_t(spikes[p].size()));
    }

    void inputScaleLastsIntoTheNextSamples() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        const auto data = stripes();
        SimulationController c(net, data);
        c.stepN(40);
        QVERIFY(waitFor([&] { return c.stepsDone() == 40 && !c.isRunning(); }));
        c.setParameter({net.inputs[0].name, "scale", 0.03});
        c.stepN(160);
        QVERIFY(waitFor([&] { return c.stepsDone() == 200 && !c.isRunning(); }));
        QTest::qWait(20);
        const auto got = collect(c);
        // The second sample is encoded with the new scale too, not the project's.
        auto louder = net;
        const auto* scale = findParam(louder.inputs[0].encoder->params, "scale");
        louder.inputs[0].params[std::size_t(scale - louder.inputs[0].encoder->params.data())] = 0.03;
        auto b = createBackend("cpu", net, {});
        encodeSample(*b, *data, 0, 0);
        b->advance(40);
        encodeSample(*b, louder, *data, 0, 0);
        b->advance(60);
        b->resetState();
        b->clearInputs();
        encodeSample(*b, louder, *data, 1, 0);
        b->advance(100);
        for (std::size_t p = 0; p < net.populations.size(); ++p) QVERIFY(got[p] == b->spikes(int(p), 0).all());
        QVERIFY(got != reference(net, *data, 200));
    }

    void eventRecordingsAreReplayedExactly() {
        const auto data = std::make_shared<EventDataset>(test::rowDigits(1));
        const auto net = compileNetwork(test::replayNetwork(), ".");
        SimulationController c(net, data);
        c.stepN(100); // samples 0 and 1
        QVERIFY(waitFor([&] { return c.stepsDone() == 100 && !c.isRunning(); }));
        QTest::qWait(20);
        std::vector<SampleEvent> finished, started;
        const auto got = collect(c, &finished, &started);
        const EventSamples samples(*data, net);
        QVERIFY(got[0] == replayed(samples, {0, 1}, 50));
        QCOMPARE(got[0].size(), std::size_t(2 * 40 * (12 + 11))); // ON and OFF columns
        QCOMPARE(finished.size(), std::size_t(2));
        for (const auto& e : finished) QCOMPARE(e.predicted, e.label);
        QCOMPARE(finished[1].label, 1);
        // Each start carries the whole recording as the sensor saw it, in steps of this
        // presentation.
        QCOMPARE(started.size(), std::size_t(2));
        for (const auto& e : started) {
            QVERIFY(e.sensor);
            const SpikeTrain want = toSpikeTrain(data->samples[std::size_t(e.sample)],
                                                 samples.mapping(0), allInputs());
            QCOMPARE(e.sensor->steps, want.steps);
            QVERIFY(e.sensor->stepStart == want.stepStart);
            QVERIFY(e.sensor->inputs == want.inputs);
        }

        // A replay parameter changed while running applies from the next sample on: the
        // whole recording squeezed into its first half.
        c.setParameter({"replay", "max_time_us", 200000.0});
        c.stepN(50);
        QVERIFY(waitFor([&] { return c.stepsDone() == 150 && !c.isRunning(); }));
        QTest::qWait(20);
        started.clear();
        const auto later = collect(c, nullptr, &started);
        QCOMPARE(started.size(), std::size_t(1));
        QVERIFY(!later[0].empty());
        QVERIFY(later[0].back().step < 100 + 25);
        QCOMPARE(started[0].sensor->stepStart[25], started[0].sensor->stepStart[50]);
    }

    void eventDataThatDoesNotFitIsRefused() {
        const auto data = std::make_shared<EventDataset>(test::rowDigits(1));
        auto spec = test::replayNetwork();
        spec.populations[0].size = 1000;
        spec.projections[0].weights = test::constantWeight(0.1);
        const auto net = compileNetwork(spec, ".");
        try {
            SimulationController c(net, data);
            QFAIL("a 1,000-neuron replay population was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("\"events\" has 1000 neurons but 2312"), e.what());
        }
    }

    void shutdownDuringARunLeavesNoThread() {
        const auto net = compileNetwork(loadProject(projectPath()), projectDir(projectPath()));
        auto c = std::make_unique<SimulationController>(net, stripes());
        c->run();
        QVERIFY(waitFor([&] { return c->stepsDone() > 100; }));
        c->shutdown();
        QVERIFY(c->workerFinished());
        c.reset();
    }
};

QTEST_MAIN(TestSimulationController)
#include "test_simulation_controller.moc"
