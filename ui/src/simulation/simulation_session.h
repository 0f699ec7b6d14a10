#pragma once
// The simulation behind the workbench, without widgets: the SimulationController, the spec it
// was built from (with the parameter changes patched into it since), the project path its
// relative files are found from, the data set (read once per name, split and folder), the
// backend, the live activity and the accuracy counts. For each change of the document it makes
// the one decision of what the engine does about it (docs/architecture.md, "The workbench"):
//   - nothing, when only what the simulation does not use changed (positions, names, a save
//     into the same folder);
//   - a parameter of a neuron, an input or the presentation is patched into the running engine
//     (applyParameter, before the document's changed() arrives);
//   - new neuron models are swapped in between two steps, everything else running on;
//   - any other change builds a new engine; a network that cannot be built keeps the last one
//     running, with the reason as a notice; a network without populations stops it.
// The window builds and wires the views: it follows started() and stopped(), shows notice()
// and failed(), and offers a missing data set (datasetMissing()).
#include "simulation_controller.h"

#include "spikelab/dataset.h"
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace spikelab::ui {

class SimulationSession : public QObject {
    Q_OBJECT
public:
    // What follow() and applyParameter() did about a change.
    enum class Outcome {
        Unchanged,     // the engine runs on as it was
        Patched,       // a parameter was sent to the running engine
        ModelsSwapped, // populations took new neuron models between two steps
        Rebuilt,       // a new engine replaced the old one
        Stopped,       // no populations: no engine
        Refused,       // the network cannot be built; the last one runs on
    };

    explicit SimulationSession(QObject* parent = nullptr);
    ~SimulationSession() override;

    SimulationController* controller() const { return controller_.get(); }
    // What the running engine was built from, with the parameters patched into it since.
    const NetworkSpec& runningSpec() const { return runningSpec_; }
    QString projectPath() const { return projectPath_; }
    // The data the running engine was given (empty without inputs or data).
    const SampleData& data() const { return data_; }
    const std::string& backendKind() const { return backendKind_; }

    // Builds `spec` (files relative to `path`), reads its data and starts a new engine in place
    // of the current one (paused); throws spikelab::Error and keeps the old one on failure.
    void start(const NetworkSpec& spec, const QString& path);
    // Shuts the engine down (a project without populations).
    void stop();
    // The decision for a document that now holds `now`, at `path` (see the top of this file).
    Outcome follow(const NetworkSpec& now, const QString& path);
    // A parameter edit or its undo, as the document reports it: Patched when the running engine
    // takes it (a neuron's, an input's or the presentation's, which also restarts the counts,
    // see countsRestarting), else Unchanged and the rebuild that follows the document takes it.
    Outcome applyParameter(const ParameterChange& change);
    // The backend the next engine runs on ("cpu", "cuda" or "auto"; see start).
    void setBackendKind(const std::string& kind) { backendKind_ = kind; }
    // The data set that could not be read is tried again (it was downloaded, or its folder set)
    // and the network restarts with it; a notice says why when it cannot.
    void reloadData(const NetworkSpec& spec, const QString& path);

    // The frames the engine made since the last call; each finished sample's `counted` says
    // whether it counts in the accuracy (see restartCounts), and `rates` holds the populations'
    // firing rates that are new (Hz; recorded populations four times a second, the others at
    // the end of each sample).
    struct Frames {
        std::vector<SimulationFrame> frames;
        std::map<std::string, double> rates;
    };
    Frames takeFrames();
    // The accuracy starts again from the next sample that starts; samples already finished
    // were counted before (the caller takes the frames first). A parameter change counts from
    // the step the engine says it took effect at.
    void restartCounts();
    std::int64_t correct() const { return correct_; }
    std::int64_t presented() const { return presented_; }
    // The sample on show: the last that started, or the one selected.
    std::int64_t currentSample() const { return currentSample_; }
    void selectSample(std::int64_t sample);

signals:
    // A new engine runs (paused) on `spec`: the views are built for `network`.
    void started(const NetworkSpec& spec, const CompiledNetwork& network);
    // No engine runs any more.
    void stopped();
    // A parameter or a model change reached the running engine: accuracy over two values
    // answers neither question. The window takes the frames so far, calls restartCounts and
    // says `reason` in the statistics.
    void countsRestarting(const QString& reason);
    // Something to read in passing (a fallback backend, a network that cannot run yet).
    void notice(const QString& message, int milliseconds);
    // Something that went wrong and deserves a dialog (data that cannot be read, the engine).
    void failed(const QString& message);
    // The data set is on none of the folders searched: offer to download or find it.
    void datasetMissing(const DatasetNotFound& missing);

private:
    SampleData dataFor(const NetworkSpec& spec, const QString& path);
    bool swapModels(const NetworkSpec& now);
    void account(SimulationFrame& frame);
    std::map<std::string, double> activity(const std::vector<SimulationFrame>& frames);

    std::unique_ptr<SimulationController> controller_;
    NetworkSpec runningSpec_;
    QString projectPath_;
    SampleData data_;
    // The last data set read (name, split and folder in loadedKey_), whether or not a running
    // network uses it, and the one that could not be read last.
    SampleData loaded_;
    QString loadedKey_, failedKey_;
    std::string backendKind_ = "cpu";
    // Live activity: spikes of each population since activityClock_ started, over steps.
    std::vector<std::uint64_t> activitySpikes_;
    std::int64_t activityFromStep_ = 0;
    QElapsedTimer activityClock_;
    std::int64_t correct_ = 0, presented_ = 0, currentSample_ = 0;
    // The step the counts were last restarted at (-1: never) and the step the sample in
    // progress started at: samples started before the restart are not counted. A parameter's
    // restart is final once the worker says at which step the value took effect; until then
    // (parameterRestartsPending_) finished samples ran under the old value.
    std::int64_t restartStep_ = -1, sampleStartStep_ = 0;
    int parameterRestartsPending_ = 0;
};

} // namespace spikelab::ui
