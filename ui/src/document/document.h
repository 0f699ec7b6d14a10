#pragma once
// Document: the project being edited. It owns the NetworkSpec, its undo stack, its file path
// and its modified state, and emits changed() after every edit, undo, redo, load and recovery;
// the canvas, the inspector and the running simulation follow that one signal (parameter
// commands also report their value through parameterChanged, for a running engine to patch).
//
// Every edit is copy, check, commit: the edited copy is checked with spikelab::validate and
// only a valid one becomes an undo command; a refused edit returns false (or an empty name)
// with the engine's message in `error` and leaves the spec and the stack untouched.
//
// Trained weights: a projection whose weights are inline values or an .npy file holds weights
// for one shape. An edit that changes that shape (either endpoint's size, the source or target
// population, the connectivity) without also setting new weights replaces them by Glorot
// weights with the projection's seed; the weightsLostBy* queries name those projections
// before the edit, so the user can confirm. Renames never lose weights.
//
// Files: Save As into another folder rewrites the relative paths in the spec (.npy weights,
// event blocklists, the data set folder) so they still name the same files from the new
// folder; the files are not copied. Autosave writes the spec, with the project's path, to
// AppLocalDataLocation/autosave/<hash of the project path>.json while there are unsaved
// edits; save and a clean close remove it, so a file left there means a crash.
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QTimer;
class QUndoStack;

namespace spikelab::ui {

class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    // A clean close: removes this document's autosave file.
    ~Document() override;

    const NetworkSpec& spec() const { return *state_; }
    QUndoStack* undoStack() const { return stack_; }
    // Absolute path of the project file; empty for a new document never saved.
    QString path() const { return path_; }
    // The file name, or "untitled".
    QString displayName() const;
    bool isModified() const;

    // An empty spec named "untitled" with the default experiment on a data set that is here
    // (spikelab::defaultDataset), no path, a clean stack.
    void newDocument();
    // Loads a project (loadProject); on failure the document is unchanged.
    bool load(const QString& path, QString* error = nullptr);
    // Writes the spec atomically (saveProject), marks the stack clean, removes the autosave.
    bool save(QString* error = nullptr);
    bool saveAs(const QString& path, QString* error = nullptr);

    // Autosave every `ms` milliseconds (60 s by default).
    void setAutosaveInterval(int ms);
    // Where this document autosaves.
    QString autosavePath() const;
    // Writes the autosave file when modified, removes it when not.
    bool autosaveNow(QString* error = nullptr);
    // A leftover autosave of `projectPath` newer than the project file, if there is one.
    static std::optional<QString> recoveryFile(const QString& projectPath);
    // Makes the autosaved spec the current, modified document with the project path it was
    // autosaved for; on failure the document is unchanged. An autosave that cannot be read
    // is set aside beside it ("<name>.unreadable-<time>.json", named in the error) so that the
    // next autosave does not overwrite the only copy of those edits.
    bool recover(const QString& autosaveFile, QString* error = nullptr);

    // Adds a node; an empty name becomes a free "popN" / "inputN" / "SOURCE_TARGET".
    // Returns the name given, empty when refused.
    std::string addPopulation(PopulationSpec population, QString* error = nullptr);
    std::string addInput(InputSpec input, QString* error = nullptr);
    std::string addProjection(ProjectionSpec projection, QString* error = nullptr);
    // Removes populations, projections and inputs in one step; a population takes its
    // projections, its inputs and the experiment's readout (when it is that one) with it.
    bool removeItems(const std::vector<std::string>& names, QString* error = nullptr);
    // Renames any item; projections, inputs and the readout follow a renamed population.
    bool renameItem(const std::string& from, const std::string& to, QString* error = nullptr);
    bool setPopulationSize(const std::string& population, std::int64_t size,
                           QString* error = nullptr);
    // Keeps the parameters, initial values and recorded variables the new model also has.
    bool setPopulationModel(const std::string& population, const std::string& model,
                            QString* error = nullptr);
    // The project's own neuron models (the model editor's Apply and Delete). setModel adds
    // `model` (`previous` empty) or replaces the model named `previous`; the populations of
    // that model follow a rename and keep the parameters, initial values and recorded variables
    // the new declaration also has. A model a population uses cannot be removed.
    bool setModel(const std::string& previous, const NeuronModelDeclaration& model, QString* error = nullptr);
    bool removeModel(const std::string& name, QString* error = nullptr);
    bool setProjectionEndpoints(const std::string& projection, const std::string& source,
                                const std::string& target, QString* error = nullptr);
    // An input feeds another population ("Connect <input> to <population>").
    bool setInputTarget(const std::string& input, const std::string& population, QString* error = nullptr);
    bool setConnectivity(const std::string& projection, const ConnectivitySpec& connectivity,
                         QString* error = nullptr);
    bool setWeights(const std::string& projection, const WeightSpec& weights,
                    QString* error = nullptr);
    bool setPostsynaptic(const std::string& projection, const SynapseModelRef& model,
                         QString* error = nullptr);
    // One value (applyParameterChange); changes of one parameter within one interaction
    // merge into one undo step. Setting the value it already has pushes nothing.
    bool setParameter(const ParameterChange& change, int interaction, QString* error = nullptr);
    // Positions of populations and inputs; moves within one interaction merge.
    bool moveNodes(const std::map<std::string, CanvasPosition>& positions, int interaction,
                   QString* error = nullptr);
    // The parameter values of the preset `preset` of the population's model, in one step.
    bool applyPreset(const std::string& population, const std::string& preset, QString* error = nullptr);
    bool setRecordSpikes(const std::string& population, bool on, QString* error = nullptr);
    // The experiment's readout population; empty for none.
    bool setReadout(const std::string& population, QString* error = nullptr);
    // Another encoder for an input; the parameters the new one also has keep their values.
    bool setInputType(const std::string& input, const std::string& type, QString* error = nullptr);
    // The experiment's data set: its name, its split and the folder it is read from.
    bool setDataset(const std::string& name, QString* error = nullptr);
    bool setDatasetSplit(const std::string& split, QString* error = nullptr);
    bool setDatasetFolder(const std::string& folder, QString* error = nullptr);
    // Adds the populations, projections and inputs of `fragment` in one step called `text`
    // (a paste, an input dropped with its SpikeSource). `pin` gives positions to existing
    // populations that are laid out automatically, so that they keep their place on the canvas.
    bool addItems(const QString& text, const NetworkSpec& fragment,
                  const std::map<std::string, CanvasPosition>& pin = {}, QString* error = nullptr);
    // Every node laid out automatically again (the canvas's "Arrange automatically").
    bool clearPositions(const QString& text, QString* error = nullptr);
    // Any edit, as one undo step called `text`: for tests and scripts. The workbench's own
    // edits are the named ones above, so that none is written twice.
    bool apply(const QString& text, const std::function<void(NetworkSpec&)>& edit,
               QString* error = nullptr);

    // The projections whose trained weights the edit of the same arguments would replace by
    // Glorot weights. `accepted`, when given, says whether the Document would take the edit at
    // all: when it would not, there is nothing to ask about (the edit's refusal says why).
    QStringList weightsLostBySize(const std::string& population, std::int64_t size,
                                  bool* accepted = nullptr) const;
    QStringList weightsLostByEndpoints(const std::string& projection, const std::string& source,
                                       const std::string& target, bool* accepted = nullptr) const;
    QStringList weightsLostByConnectivity(const std::string& projection,
                                          const ConnectivitySpec& connectivity,
                                          bool* accepted = nullptr) const;

signals:
    void changed();
    void modifiedChanged(bool modified);
    void pathChanged(const QString& path);
    void parameterChanged(const spikelab::ParameterChange& change);
    // The autosave timer could not write; the message names the file and the reason.
    void autosaveFailed(const QString& message);

private:
    friend class SpecCommand;
    friend class ParameterCommand;
    using Edit = std::function<void(NetworkSpec&)>;

    // Called by commands: the state to show now.
    void setState(const std::shared_ptr<const NetworkSpec>& state);
    void reportParameter(const ParameterChange& change) { emit parameterChanged(change); }
    QStringList weightsLostBy(const Edit& edit, bool* accepted) const;
    // The spec after `edit`, with the weights it reshapes rebuilt (unless `keepsShapes`; their
    // projections are added to `reshaped`), validated; nullopt with the reason when refused.
    std::optional<NetworkSpec> edited(const Edit& edit, bool keepsShapes, QString* error,
                                      QStringList* reshaped = nullptr) const;
    // Pushes edited(edit, keepsShapes) as one undo step; false with the reason when refused.
    bool commit(const QString& text, const Edit& edit, QString* error, bool keepsShapes = false);
    // Replaces spec and path without an undo step and clears the stack.
    void reset(NetworkSpec spec, const QString& path, bool modified);
    void setPath(const QString& path);
    void removeAutosave() const;
    static QString autosaveFileFor(const QString& projectPath);

    std::shared_ptr<const NetworkSpec> state_;
    QUndoStack* stack_ = nullptr;
    QTimer* autosave_ = nullptr;
    QString path_;
};

} // namespace spikelab::ui
