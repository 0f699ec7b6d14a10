// The session's one decision per document change, without a window (a QCoreApplication: the
// session uses no widgets): what the simulation does not use leaves the engine alone, a
// neuron's, an input's or the presentation's parameter is patched into it, new neuron models are
// swapped in between two steps, any other change builds a new engine, a network that cannot be
// built keeps the last one, and one without populations stops it.
#include "simulation_session.h"

#include "spikelab/error.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace spikelab;
using namespace spikelab::ui;

using Outcome = SimulationSession::Outcome;

namespace {

// a (LIF, 4) -> b (LIF, 3), dense constant weights, both recorded; no inputs, so no data.
NetworkSpec twoPopulations() {
    NetworkSpec spec;
    spec.name = "two";
    PopulationSpec a, b;
    a.name = "a";
    a.size = 4;
    a.record.spikes = true;
    b.name = "b";
    b.size = 3;
    b.record.spikes = true;
    spec.populations = {a, b};
    ProjectionSpec j;
    j.name = "a_b";
    j.source = "a";
    j.target = "b";
    j.weights.value = 0.5;
    spec.projections = {j};
    spec.experiment.stepsPerSample = 20;
    return spec;
}

} // namespace

class TestSimulationSession : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path_;
    std::unique_ptr<SimulationSession> session_;
    NetworkSpec spec_;

    // A session running twoPopulations() from path_.
    void startFresh() {
        session_ = std::make_unique<SimulationSession>();
        spec_ = twoPopulations();
        session_->start(spec_, path_);
    }

private slots:
    void init() {
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath("two.json");
        startFresh();
    }
    void cleanup() { session_.reset(); }

    void startBuildsAPausedEngineAndSaysSo() {
        SimulationSession session;
        QSignalSpy started(&session, &SimulationSession::started);
        session.start(spec_, path_);
        QCOMPARE(started.count(), 1);
        QVERIFY(session.controller());
        QVERIFY(!session.controller()->isRunning());
        QCOMPARE(session.controller()->network().populations.size(), std::size_t(2));
        QVERIFY(session.runningSpec() == spec_);
        QCOMPARE(session.projectPath(), path_);
    }

    void whatTheSimulationDoesNotUseLeavesTheEngineAlone() {
        SimulationController* before = session_->controller();
        QSignalSpy started(session_.get(), &SimulationSession::started);
        NetworkSpec now = spec_;
        now.populations[0].position = CanvasPosition{120, 40};
        now.name = "renamed";
        now.description = "a description";
        QCOMPARE(session_->follow(now, path_), Outcome::Unchanged);
        // Saved under another name in the same folder: relative files are found as before.
        QCOMPARE(session_->follow(now, dir_.filePath("other.json")), Outcome::Unchanged);
        QCOMPARE(session_->controller(), before);
        QCOMPARE(started.count(), 0);
        QCOMPARE(session_->projectPath(), dir_.filePath("other.json"));
    }

    void aNeuronParameterIsPatchedIntoTheRunningEngine() {
        SimulationController* before = session_->controller();
        QSignalSpy restarting(session_.get(), &SimulationSession::countsRestarting);
        const ParameterChange change{"b", "Vthresh", -55.0};
        QCOMPARE(session_->applyParameter(change), Outcome::Patched);
        QCOMPARE(restarting.count(), 1);
        QCOMPARE(restarting.front().front().toString(), QString("b.Vthresh = -55"));
        QCOMPARE(session_->runningSpec().populations[1].params.at("Vthresh"), -55.0);
        // The document's changed() follows with the same spec: nothing more to do.
        NetworkSpec now = spec_;
        now.populations[1].params["Vthresh"] = -55.0;
        QCOMPARE(session_->follow(now, path_), Outcome::Unchanged);
        QCOMPARE(session_->controller(), before);
    }

    void thePresentationLengthIsPatchedToo() {
        QCOMPARE(session_->applyParameter({"experiment", "steps_per_sample", 30}), Outcome::Patched);
        QCOMPARE(session_->runningSpec().experiment.stepsPerSample, std::int64_t(30));
    }

    void aDelayRebuildsTheEngine() {
        SimulationController* before = session_->controller();
        QSignalSpy restarting(session_.get(), &SimulationSession::countsRestarting);
        QSignalSpy started(session_.get(), &SimulationSession::started);
        QCOMPARE(session_->applyParameter({"a_b", "delay_steps", 3}), Outcome::Unchanged);
        QCOMPARE(restarting.count(), 0);
        NetworkSpec now = spec_;
        now.projections[0].delaySteps = 3;
        QCOMPARE(session_->follow(now, path_), Outcome::Rebuilt);
        QCOMPARE(started.count(), 1);
        QVERIFY(session_->controller() != before);
        QCOMPARE(session_->controller()->network().projections[0].delaySteps, std::int64_t(3));
    }

    void anotherNeuronModelIsSwappedInBetweenTwoSteps() {
        SimulationController* before = session_->controller();
        session_->controller()->stepN(5);
        QTRY_COMPARE(session_->controller()->stepsDone(), std::int64_t(5));
        QSignalSpy restarting(session_.get(), &SimulationSession::countsRestarting);
        QSignalSpy started(session_.get(), &SimulationSession::started);
        NetworkSpec now = spec_;
        now.populations[1].model = "IF";
        QCOMPARE(session_->follow(now, path_), Outcome::ModelsSwapped);
        QCOMPARE(session_->controller(), before);
        QCOMPARE(session_->controller()->stepsDone(), std::int64_t(5)); // it runs on
        QCOMPARE(started.count(), 0);
        QCOMPARE(restarting.count(), 1);
        QCOMPARE(restarting.front().front().toString(), QString("b: IF"));
        QVERIFY(session_->runningSpec() == now);
    }

    void aModelSwapWithOtherChangesRebuilds() {
        SimulationController* before = session_->controller();
        NetworkSpec now = spec_;
        now.populations[1].model = "IF";
        now.populations[1].size = 5;
        QCOMPARE(session_->follow(now, path_), Outcome::Rebuilt);
        QVERIFY(session_->controller() != before);
    }

    void aResizeOrANewProjectionRebuilds() {
        NetworkSpec now = spec_;
        now.populations[0].size = 6;
        SimulationController* before = session_->controller();
        QCOMPARE(session_->follow(now, path_), Outcome::Rebuilt);
        QVERIFY(session_->controller() != before);
        QCOMPARE(session_->controller()->network().populations[0].size, std::int64_t(6));
        ProjectionSpec back;
        back.name = "b_a";
        back.source = "b";
        back.target = "a";
        now.projections.push_back(back);
        before = session_->controller();
        QCOMPARE(session_->follow(now, path_), Outcome::Rebuilt);
        QVERIFY(session_->controller() != before);
        QCOMPARE(session_->controller()->network().projections.size(), std::size_t(2));
    }

    void aSaveIntoAnotherFolderRebuilds() {
        QTemporaryDir other;
        SimulationController* before = session_->controller();
        QCOMPARE(session_->follow(spec_, other.filePath("two.json")), Outcome::Rebuilt);
        QVERIFY(session_->controller() != before);
        QCOMPARE(session_->projectPath(), other.filePath("two.json"));
    }

    void aNetworkThatCannotBeBuiltKeepsTheLastOneRunning() {
        SimulationController* before = session_->controller();
        QSignalSpy notices(session_.get(), &SimulationSession::notice);
        NetworkSpec now = spec_;
        now.projections[0].weights.type = WeightInitType::Npy;
        now.projections[0].weights.file = "missing.npy";
        QCOMPARE(session_->follow(now, path_), Outcome::Refused);
        QCOMPARE(session_->controller(), before);
        QVERIFY(session_->runningSpec() == spec_);
        QCOMPARE(notices.count(), 1);
        const QString message = notices.front().front().toString();
        QVERIFY2(message.startsWith("The network as edited cannot run yet: ") &&
                     message.contains("missing.npy"),
                 qPrintable(message));
    }

    void noPopulationsStopTheEngine() {
        QSignalSpy stopped(session_.get(), &SimulationSession::stopped);
        QCOMPARE(session_->follow(NetworkSpec{}, QString()), Outcome::Stopped);
        QCOMPARE(stopped.count(), 1);
        QVERIFY(!session_->controller());
        QCOMPARE(session_->applyParameter({"b", "Vthresh", -50}), Outcome::Unchanged);
        // The next network drawn starts a new engine.
        QCOMPARE(session_->follow(spec_, path_), Outcome::Rebuilt);
        QVERIFY(session_->controller());
    }

    void theBackendChosenRunsTheNextEngine() {
        session_->setBackendKind("cpu");
        session_->start(spec_, path_);
        QCOMPARE(QString::fromStdString(session_->controller()->backendName()), QString("cpu"));
        // One that cannot run here falls back to the CPU, with a notice saying why.
        QSignalSpy notices(session_.get(), &SimulationSession::notice);
        session_->setBackendKind("cuda");
        session_->start(spec_, path_);
        QVERIFY(session_->controller());
        if (session_->controller()->backendName() == "cpu") QCOMPARE(notices.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSimulationSession)
#include "test_simulation_session.moc"
