#pragma once
// SimulationController: owns the engine in a worker thread (docs/architecture.md, "Threads").
//
// The GUI calls the command methods from its own thread; each is queued into the worker and
// applied between steps. The worker steps the network (paced to a speed, or as fast as it
// can), presents the data set's samples one after another, and publishes frames: the spikes
// recorded since the last frame and the samples that started or finished. The GUI drains
// frames on a timer (takeFrames) and never touches engine state.
#include "sample_data.h"
#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/experiment.h"
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

class QTimer;

namespace spikelab::ui {

// A presentation starting or finishing.
struct SampleEvent {
    bool finished = false;
    std::int64_t sample = 0;
    std::int64_t step = 0; // started: its first step; finished: the first step after it
    int label = -1;
    // 1 + how often the presentation has gone on from the data set's last sample to its first
    // (a selected sample does not count): which pass over the data set this sample is in.
    int pass = 1;
    int predicted = -1;                // finished, with a readout population
    std::vector<std::uint32_t> counts; // finished: readout spike counts
    std::vector<std::uint64_t> populationSpikes; // finished: spikes of each population
    // Finished: whether it counts in the accuracy (set by SimulationSession::takeFrames).
    bool counted = false;
    // Started, with event data: every event the sensor recorded, per step of the presentation
    // as the replay inputs map them (all 2,312 sensor inputs, blocked ones included).
    std::shared_ptr<const SpikeTrain> sensor;
};

// Membrane samples of the probed neurons (one population at a time).
struct TraceSamples {
    int population = -1;
    std::vector<std::int64_t> neurons; // the order of StateSample::values
    std::vector<StateSample> samples;
};

struct WeightSnapshot {
    int projection = -1;
    std::vector<float> weights; // SynapseMatrix order
};

struct SimulationFrame {
    std::int64_t endStep = 0;                    // steps done when the frame was made
    std::vector<std::vector<SpikeEvent>> spikes; // per population (empty when not recorded)
    std::vector<SampleEvent> samples;            // in the order they happened
    TraceSamples trace;                          // samples in this frame's steps
    std::vector<WeightSnapshot> weights;         // answers to requestWeights
    // One per setParameter taken in the worker (applied or refused), in order: the step it
    // took effect at. Frames before it hold only steps run under the old value.
    std::vector<std::int64_t> parameterSteps;
};

class SimulationController : public QObject {
    Q_OBJECT
public:
    // `data` may be empty: the network then runs without input.
    // `backend` is "cpu", "cuda" or "auto" (see createBackend); when the one asked for cannot
    // run here the CPU backend is used and notice() says why.
    SimulationController(const CompiledNetwork& network, SampleData data,
                         const std::string& backend = "cpu", QObject* parent = nullptr);
    ~SimulationController() override;

    // The network as the GUI knows it: parameter changes and model swaps show here at once
    // (the worker takes them between two steps). GUI thread only.
    const CompiledNetwork& network() const { return shown_; }
    const SampleData& data() const { return data_; }
    // The backend that runs ("cpu", "cuda") and why it is not the one asked for (or empty).
    std::string backendName() const { return backendName_; }
    std::string notice() const { return notice_; }

    // Commands (any thread; applied in the worker between steps).
    void run();
    void pause();
    void stepN(std::int64_t steps); // runs exactly `steps` steps, then pauses
    void stepSample();              // runs to the end of the current presentation
    void reset();                   // network state back to initial, same sample from its start
    void selectSample(std::int64_t sample);
    // A neuron parameter (item = population), an input's encoder parameter (a current input
    // takes it at once, a spike encoder from the next presentation) or
    // experiment.steps_per_sample (the presentation in progress ends early when it is already
    // longer). Applied at the next step; a bad change is reported through failed(). Either
    // way a frame then says at which step (SimulationFrame::parameterSteps).
    void setParameter(const ParameterChange& change);
    // Gives populations other neuron models between two steps, keeping their state where the
    // models share variables and every other population's as it is (the model editor's Apply;
    // Backend::setNeuronModel): each entry is the population as compiled from the edited
    // project. A project's model is compiled (or found in the cache) first, in the worker,
    // which holds the network still for that long (a few hundred ms the first time). A frame
    // then says at which step (SimulationFrame::parameterSteps); a backend that cannot swap
    // (CUDA) reports through failed().
    void setNeuronModels(std::vector<CompiledPopulation> populations);
    // Samples the membrane variable of these neurons of `population` every step from now on
    // (an empty list stops); frames carry the samples, at most the newest `window` steps of
    // them each (a view shows no more, and at full speed a frame spans thousands of steps).
    void setProbe(int population, std::vector<std::int64_t> neurons, std::int64_t window = 4096);
    // Asks for a copy of a projection's current weights in the next frame.
    void requestWeights(int projection);
    // Model milliseconds per wall-clock second; 0 runs as fast as possible.
    void setSpeed(double modelMsPerSecond);

    // Frames published since the last call, oldest first.
    std::vector<SimulationFrame> takeFrames();
    std::int64_t stepsDone() const { return stepsDone_.load(); }
    bool isRunning() const { return running_.load(); }
    std::int64_t framesDropped() const { return framesDropped_.load(); }
    // Stops the worker and waits for it; safe to call twice.
    void shutdown();
    bool workerFinished() const { return thread_.isFinished() || !thread_.isRunning(); }

    // A test's stand-in for a data set or a backend that fails while the worker steps: called
    // in the worker before a sample is presented (Stage::Sample, with the sample) and before
    // each block of steps (Stage::Step, with the current step). What it throws is handled as
    // the data set's or the backend's own failure would be. An empty hook removes it.
    enum class Stage { Sample, Step };
    using FaultHook = std::function<void(Stage, std::int64_t)>;
    void setFaultHookForTesting(FaultHook hook);

signals:
    // A refused command, or a failure that stopped the run (docs/architecture.md, "Errors");
    // emitted on the thread the controller lives in.
    void failed(const QString& message);
    // Internal: wake the worker or the GUI for what waits in the queues below.
    void commandsPending();
    void stopRequested();
    void failuresPending();

private:
    void post(std::function<void()> command);
    // Worker-side.
    void startWorker();
    void tick();
    void advance(std::int64_t steps, SimulationFrame& frame);
    void collectRecordings(SimulationFrame& frame);
    void beginSample(std::int64_t sample, SimulationFrame& frame);
    void finishSample(SimulationFrame& frame);
    void applyChange(const ParameterChange& change);
    void publish(SimulationFrame frame);
    void schedule();
    void stopOnFailure(const std::string& what);
    void reportFailure(const std::string& message);
    void runCommands();
    std::string dataDescription() const;

    CompiledNetwork network_;  // the worker's
    CompiledNetwork shown_;    // the GUI thread's (network()); never read by the worker
    SampleData data_;
    std::unique_ptr<EventSamples> events_; // replays data_.events through network_'s inputs
    QThread thread_;
    QObject* worker_ = nullptr; // lives in thread_: commands run in its context
    QTimer* timer_ = nullptr;   // worker-side
    std::unique_ptr<Backend> backend_;
    std::string backendName_, notice_;

    // Worker-side state.
    std::int64_t sample_ = 0;
    std::int64_t sampleStart_ = 0;
    int pass_ = 1;
    std::int64_t stepBudget_ = -1;   // steps left before pausing; -1: unlimited while running
    bool nextSamplePending_ = false; // the presentation ended; the next starts with the next step
    double speed_ = 0.0;
    std::chrono::steady_clock::time_point paceOrigin_;
    std::int64_t paceOriginStep_ = 0;
    std::vector<std::uint64_t> readSeq_; // spikes taken from each population's recording
    int probePopulation_ = -1;
    std::vector<std::int64_t> probeNeurons_;
    std::uint64_t probeSeq_ = 0;
    std::int64_t probeWindow_ = 4096;
    FaultHook faultHook_;

    std::atomic<std::int64_t> stepsDone_{0};
    std::atomic<bool> running_{false};
    std::atomic<std::int64_t> framesDropped_{0};
    std::mutex framesMutex_;
    std::deque<SimulationFrame> frames_;
    std::mutex queueMutex_;
    std::deque<std::function<void()>> commands_; // for the worker, in order
    std::vector<QString> failures_;               // for the GUI, in order
    bool shutDown_ = false;
};

} // namespace spikelab::ui
