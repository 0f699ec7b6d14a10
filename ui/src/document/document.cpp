#include "document.h"

#include "document_commands.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/overrides.h"
#include "spikelab/project.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

namespace spikelab::ui {

namespace {

constexpr int kUndoLimit = 500;
constexpr int kAutosaveMs = 60 * 1000;
constexpr const char* kAutosaveFormat = "spikelab-autosave";

void fail(QString* error, const std::string& message) {
    if (error) *error = QString::fromStdString(message);
}

bool isUsed(const NetworkSpec& spec, const std::string& name) {
    const auto named = [&](const auto& items) {
        return std::any_of(items.begin(), items.end(),
                           [&](const auto& i) { return i.name == name; });
    };
    return named(spec.populations) || named(spec.projections) || named(spec.inputs);
}

// `stem` followed by the first number from `first` on that names nothing yet.
std::string freeName(const NetworkSpec& spec, const std::string& stem, std::size_t first) {
    for (std::size_t n = first;; ++n)
        if (!isUsed(spec, stem + std::to_string(n))) return stem + std::to_string(n);
}

// An empty spec on a data set that is here (Debian's Fashion-MNIST when MNIST is not), so
// that the first input dropped runs at once (docs/architecture.md, "Data sets").
NetworkSpec untitled() {
    NetworkSpec empty;
    empty.name = "untitled";
    empty.experiment.dataset.name = defaultDataset();
    return empty;
}

PopulationSpec& population(NetworkSpec& spec, const std::string& name) {
    if (auto* p = spec.findPopulation(name)) return *p;
    throw Error("no population is called " + quote(name));
}

InputSpec& input(NetworkSpec& spec, const std::string& name) {
    for (auto& in : spec.inputs)
        if (in.name == name) return in;
    throw Error("no input is called " + quote(name));
}

ProjectionSpec& projection(NetworkSpec& spec, const std::string& name) {
    for (auto& j : spec.projections)
        if (j.name == name) return j;
    throw Error("no projection is called " + quote(name));
}

const ProjectionSpec* findProjection(const NetworkSpec& spec, const std::string& name) {
    for (const auto& j : spec.projections)
        if (j.name == name) return &j;
    return nullptr;
}

InputSpec* findInput(NetworkSpec& spec, const std::string& name) {
    for (auto& in : spec.inputs)
        if (in.name == name) return &in;
    return nullptr;
}

bool holdsTrainedWeights(const ProjectionSpec& j) {
    return j.weights.type == WeightInitType::Inline || j.weights.type == WeightInitType::Npy;
}

// Projections of `before` holding trained weights whose shape `after` changes while keeping
// the weights themselves.
std::vector<std::string> reshapedTrained(const NetworkSpec& before, const NetworkSpec& after) {
    const auto size = [](const NetworkSpec& spec, const std::string& name) -> std::int64_t {
        const auto* p = spec.findPopulation(name);
        return p ? p->size : -1;
    };
    std::vector<std::string> names;
    for (const auto& j : after.projections) {
        const auto* old = findProjection(before, j.name);
        if (!old || !holdsTrainedWeights(*old) || old->weights != j.weights) continue;
        if (old->source != j.source || old->target != j.target ||
            old->connectivity != j.connectivity ||
            size(before, old->source) != size(after, j.source) ||
            size(before, old->target) != size(after, j.target))
            names.push_back(j.name);
    }
    return names;
}

// `file`, relative to `from`, as a path relative to `to` (absolute when none exists).
std::string rebasePath(const std::string& file, const std::filesystem::path& from,
                       const std::filesystem::path& to) {
    namespace fs = std::filesystem;
    if (file.empty() || fs::path(file).is_absolute()) return file;
    const fs::path target = (from / file).lexically_normal();
    const fs::path relative = target.lexically_relative(to);
    return relative.empty() ? target.string() : relative.string();
}

NetworkSpec rebaseSpec(NetworkSpec spec, const std::filesystem::path& from,
                       const std::filesystem::path& to) {
    for (auto& j : spec.projections) j.weights.file = rebasePath(j.weights.file, from, to);
    for (auto& in : spec.inputs) in.file = rebasePath(in.file, from, to);
    spec.experiment.dataset.path = rebasePath(spec.experiment.dataset.path, from, to);
    return spec;
}

std::filesystem::path folderOf(const QString& projectPath) {
    return std::filesystem::path(projectDir(projectPath.toStdString())).lexically_normal();
}

// The edit of a population's size, shared by the setter and its weightsLostBy query.
auto resizeEdit(const std::string& name, std::int64_t size) {
    return [=](NetworkSpec& spec) { population(spec, name).size = size; };
}

auto endpointsEdit(const std::string& name, const std::string& source, const std::string& target) {
    return [=](NetworkSpec& spec) {
        auto& j = projection(spec, name);
        j.source = source;
        j.target = target;
    };
}

auto connectivityEdit(const std::string& name, const ConnectivitySpec& connectivity) {
    return [=](NetworkSpec& spec) { projection(spec, name).connectivity = connectivity; };
}

} // namespace

Document::Document(QObject* parent) : QObject(parent) {
    stack_ = new QUndoStack(this);
    stack_->setUndoLimit(kUndoLimit);
    connect(stack_, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    autosave_ = new QTimer(this);
    autosave_->setInterval(kAutosaveMs);
    connect(autosave_, &QTimer::timeout, this, [this] {
        QString error;
        if (!autosaveNow(&error)) emit autosaveFailed(error);
    });
    autosave_->start();
    NetworkSpec empty = untitled();
    state_ = std::make_shared<const NetworkSpec>(std::move(empty));
}

Document::~Document() {
    removeAutosave();
}

QString Document::displayName() const {
    return path_.isEmpty() ? QString("untitled") : QFileInfo(path_).fileName();
}

bool Document::isModified() const {
    return !stack_->isClean();
}

void Document::newDocument() {
    NetworkSpec empty = untitled();
    removeAutosave();
    reset(std::move(empty), {}, false);
}

bool Document::load(const QString& path, QString* error) {
    const QString file = QFileInfo(path).absoluteFilePath();
    try {
        NetworkSpec spec = loadProject(file.toStdString());
        removeAutosave();
        reset(std::move(spec), file, false);
        return true;
    } catch (const Error& e) {
        fail(error, e.what());
        return false;
    }
}

bool Document::save(QString* error) {
    if (path_.isEmpty()) {
        fail(error, "the document " + displayName().toStdString() +
                        " has no file yet: choose one with Save As");
        return false;
    }
    try {
        saveProject(path_.toStdString(), spec());
    } catch (const Error& e) {
        fail(error, e.what());
        return false;
    }
    stack_->setClean();
    removeAutosave();
    return true;
}

bool Document::saveAs(const QString& path, QString* error) {
    const QString file = QFileInfo(path).absoluteFilePath();
    const bool moves = !path_.isEmpty() && folderOf(path_) != folderOf(file);
    const auto from = moves ? folderOf(path_) : std::filesystem::path();
    const auto to = folderOf(file);
    const NetworkSpec written = moves ? rebaseSpec(spec(), from, to) : spec();
    try {
        saveProject(file.toStdString(), written);
    } catch (const Error& e) {
        fail(error, e.what());
        return false;
    }
    if (moves) {
        // Every state the stack can return to names its files from the new folder too; states
        // shared by neighbouring commands stay shared.
        std::map<const NetworkSpec*, SpecState> rebased;
        const auto rebase = [&](const SpecState& state) {
            auto& done = rebased[state.get()];
            if (!done) done = std::make_shared<const NetworkSpec>(rebaseSpec(*state, from, to));
            return done;
        };
        for (int i = 0; i < stack_->count(); ++i)
            // The stack hands out const commands; they are ours and only their states change.
            if (auto* command =
                    dynamic_cast<SpecCommand*>(const_cast<QUndoCommand*>(stack_->command(i))))
                command->rebase(rebase);
        state_ = rebase(state_);
    }
    removeAutosave();
    setPath(file);
    stack_->setClean();
    if (moves) emit changed();
    return true;
}

void Document::setAutosaveInterval(int ms) {
    autosave_->setInterval(ms);
}

QString Document::autosavePath() const {
    return autosaveFileFor(path_);
}

bool Document::autosaveNow(QString* error) {
    if (!isModified()) {
        removeAutosave();
        return true;
    }
    const QString file = autosavePath();
    const nlohmann::json autosave = {{"format", kAutosaveFormat},
                                     {"project_path", path_.toStdString()},
                                     {"project", nlohmann::json::parse(projectToJson(spec()))}};
    const std::string text = autosave.dump(2) + "\n";
    QSaveFile out(file);
    if (!QDir().mkpath(QFileInfo(file).path()) || !out.open(QIODevice::WriteOnly) ||
        out.write(text.data(), qint64(text.size())) != qint64(text.size()) || !out.commit()) {
        fail(error, "cannot write the autosave file " + quote(file.toStdString()) + ": " +
                        out.errorString().toStdString());
        return false;
    }
    return true;
}

std::optional<QString> Document::recoveryFile(const QString& projectPath) {
    if (projectPath.isEmpty()) return std::nullopt;
    const QFileInfo autosave(autosaveFileFor(projectPath));
    const QFileInfo project(projectPath);
    if (!autosave.exists()) return std::nullopt;
    if (project.exists() && autosave.lastModified() <= project.lastModified()) return std::nullopt;
    return autosave.filePath();
}

bool Document::recover(const QString& autosaveFile, QString* error) {
    const std::string what = "autosave file " + quote(autosaveFile.toStdString());
    QFile in(autosaveFile);
    if (!in.open(QIODevice::ReadOnly)) {
        fail(error, "cannot read the " + what + ": " + in.errorString().toStdString());
        return false;
    }
    const QByteArray bytes = in.readAll();
    in.close();
    // Only SpikeLab's own autosaves are set aside, never a file the caller named elsewhere.
    const auto setAside = [&](const std::string& message) {
        const QFileInfo info(autosaveFile);
        if (info.absolutePath() != QFileInfo(autosaveFileFor({})).absolutePath()) {
            fail(error, message);
            return;
        }
        const QString kept = info.absolutePath() + "/" + info.completeBaseName() + ".unreadable-" +
                             QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss") + ".json";
        if (QFile::rename(autosaveFile, kept))
            fail(error, message + "; the autosave is kept as " + quote(kept.toStdString()));
        else
            fail(error, message);
    };
    try {
        const auto autosave = nlohmann::json::parse(bytes.begin(), bytes.end());
        if (!autosave.is_object() || autosave.value("format", "") != kAutosaveFormat ||
            !autosave.contains("project") ||
            !autosave.value("project_path", nlohmann::json()).is_string())
            throw Error(what + ": not a SpikeLab autosave (format, project_path and project "
                               "are required)");
        NetworkSpec spec = projectFromJson(autosave["project"].dump(), what);
        reset(std::move(spec), QString::fromStdString(autosave["project_path"].get<std::string>()),
              true);
        return true;
    } catch (const nlohmann::json::exception& e) {
        setAside(what + ": " + e.what());
    } catch (const Error& e) {
        setAside(e.what());
    }
    return false;
}

std::string Document::addPopulation(PopulationSpec population, QString* error) {
    if (population.name.empty())
        population.name = freeName(spec(), "pop", spec().populations.size() + 1);
    const std::string name = population.name;
    const bool ok = commit(
        "Add population " + QString::fromStdString(name),
        [&](NetworkSpec& s) { s.populations.push_back(population); }, error);
    return ok ? name : std::string();
}

std::string Document::addInput(InputSpec input, QString* error) {
    if (input.name.empty()) input.name = freeName(spec(), "input", spec().inputs.size() + 1);
    const std::string name = input.name;
    const bool ok = commit(
        "Add input " + QString::fromStdString(name),
        [&](NetworkSpec& s) { s.inputs.push_back(input); }, error);
    return ok ? name : std::string();
}

std::string Document::addProjection(ProjectionSpec projection, QString* error) {
    if (projection.name.empty()) {
        const std::string stem = projection.source + "_" + projection.target;
        projection.name = isUsed(spec(), stem) ? freeName(spec(), stem + "_", 2) : stem;
    }
    const std::string name = projection.name;
    const bool ok = commit(
        "Add projection " + QString::fromStdString(name),
        [&](NetworkSpec& s) { s.projections.push_back(projection); }, error);
    return ok ? name : std::string();
}

bool Document::removeItems(const std::vector<std::string>& names, QString* error) {
    const QString text = names.size() == 1 ? "Remove " + QString::fromStdString(names.front())
                                           : QString("Remove %1 items").arg(names.size());
    return commit(
        text,
        [&](NetworkSpec& s) {
            for (const auto& name : names) {
                const auto erase = [&](auto& items, const auto& pred) {
                    const auto before = items.size();
                    std::erase_if(items, pred);
                    return items.size() != before;
                };
                const auto named = [&](const auto& item) { return item.name == name; };
                if (erase(s.populations, named)) {
                    erase(s.projections, [&](const ProjectionSpec& j) {
                        return j.source == name || j.target == name;
                    });
                    erase(s.inputs, [&](const InputSpec& in) { return in.target == name; });
                    if (s.experiment.readout == name) s.experiment.readout.clear();
                } else if (!erase(s.projections, named) && !erase(s.inputs, named)) {
                    throw Error("cannot remove " + quote(name) +
                                ": no population, projection or input has that name");
                }
            }
        },
        error);
}

bool Document::renameItem(const std::string& from, const std::string& to, QString* error) {
    if (from == to) return true;
    const QString text =
        "Rename " + QString::fromStdString(from) + " to " + QString::fromStdString(to);
    const auto edit = [&](NetworkSpec& s) {
        if (auto* p = s.findPopulation(from)) {
            p->name = to;
            for (auto& j : s.projections) {
                if (j.source == from) j.source = to;
                if (j.target == from) j.target = to;
            }
            for (auto& in : s.inputs)
                if (in.target == from) in.target = to;
            if (s.experiment.readout == from) s.experiment.readout = to;
        } else if (auto* in = findInput(s, from)) {
            in->name = to;
        } else {
            projection(s, from).name = to;
        }
    };
    return commit(text, edit, error, true);
}

bool Document::setPopulationSize(const std::string& population, std::int64_t size, QString* error) {
    return commit(QString("Resize %1 to %2").arg(QString::fromStdString(population)).arg(size),
                  resizeEdit(population, size), error);
}

namespace {
// Gives `p` the model `model` (as `s` knows it), keeping the parameters, initial values and
// recorded variables the model also has.
void changeModel(const NetworkSpec& s, PopulationSpec& p, const std::string& model) {
    const auto& info = neuronModel(s, model, "population " + quote(p.name));
    std::erase_if(p.params, [&](const auto& kv) { return !findParam(info.params, kv.first); });
    std::erase_if(p.initial, [&](const auto& kv) { return !findParam(info.state, kv.first); });
    std::erase_if(p.record.variables, [&](const std::string& v) { return !findParam(info.state, v); });
    p.model = model;
}
} // namespace

bool Document::setPopulationModel(const std::string& name, const std::string& model,
                                  QString* error) {
    const QString text =
        "Make " + QString::fromStdString(name) + " " + QString::fromStdString(model);
    return commit(text, [&](NetworkSpec& s) { changeModel(s, population(s, name), model); }, error);
}

bool Document::setModel(const std::string& previous, const NeuronModelDeclaration& model, QString* error) {
    const QString name = QString::fromStdString(model.name);
    const QString text = previous.empty()           ? "Add model " + name
                         : previous == model.name ? "Edit model " + name
                                                  : "Rename model " + QString::fromStdString(previous) + " to " + name;
    return commit(
        text,
        [&](NetworkSpec& s) {
            if (previous.empty()) {
                for (const auto& m : s.models)
                    if (m.name == model.name)
                        throw Error("neuron model " + quote(model.name) + ": the project has a model of this name");
                s.models.push_back(model);
                return;
            }
            const auto it = std::find_if(s.models.begin(), s.models.end(),
                                         [&](const NeuronModelDeclaration& m) { return m.name == previous; });
            if (it == s.models.end()) throw Error("the project has no neuron model " + quote(previous));
            *it = model;
            for (auto& p : s.populations)
                if (p.model == previous) changeModel(s, p, model.name);
        },
        error);
}

bool Document::removeModel(const std::string& name, QString* error) {
    return commit(
        "Delete model " + QString::fromStdString(name),
        [&](NetworkSpec& s) {
            for (const auto& p : s.populations)
                if (p.model == name)
                    throw Error("neuron model " + quote(name) + " is the model of population " + quote(p.name) +
                                "; give it another model first");
            if (std::erase_if(s.models, [&](const NeuronModelDeclaration& m) { return m.name == name; }) == 0)
                throw Error("the project has no neuron model " + quote(name));
        },
        error);
}

bool Document::setProjectionEndpoints(const std::string& projection, const std::string& source,
                                      const std::string& target, QString* error) {
    const QString text = "Connect " + QString::fromStdString(projection) + " " +
                         QString::fromStdString(source) + " → " + QString::fromStdString(target);
    return commit(text, endpointsEdit(projection, source, target), error);
}

bool Document::setInputTarget(const std::string& input, const std::string& population, QString* error) {
    return commit("Connect " + QString::fromStdString(input) + " to " + QString::fromStdString(population),
                  [&](NetworkSpec& s) {
                      for (auto& in : s.inputs)
                          if (in.name == input) in.target = population;
                  },
                  error);
}

bool Document::setConnectivity(const std::string& name, const ConnectivitySpec& connectivity,
                               QString* error) {
    return commit("Connectivity of " + QString::fromStdString(name),
                  connectivityEdit(name, connectivity), error);
}

bool Document::setWeights(const std::string& name, const WeightSpec& weights, QString* error) {
    return commit(
        "Weights of " + QString::fromStdString(name),
        [&](NetworkSpec& s) { projection(s, name).weights = weights; }, error);
}

bool Document::setPostsynaptic(const std::string& name, const SynapseModelRef& model,
                               QString* error) {
    return commit(
        "Postsynaptic model of " + QString::fromStdString(name),
        [&](NetworkSpec& s) { projection(s, name).postsynaptic = model; }, error);
}

bool Document::setParameter(const ParameterChange& change, int interaction, QString* error) {
    NetworkSpec after = spec();
    double old = 0.0;
    try {
        old = parameterValue(spec(), change.item, change.param);
        if (old == change.value) return true;
        applyParameterChange(after, change);
    } catch (const Error& e) {
        fail(error, e.what());
        return false;
    }
    stack_->push(new ParameterCommand(this, change, old, interaction, state_,
                                      std::make_shared<const NetworkSpec>(std::move(after))));
    return true;
}

bool Document::moveNodes(const std::map<std::string, CanvasPosition>& positions, int interaction,
                         QString* error) {
    NetworkSpec after = spec();
    for (const auto& [name, position] : positions) {
        if (!std::isfinite(position.x) || !std::isfinite(position.y)) {
            fail(error, "cannot move " + quote(name) + ": the position is not finite");
            return false;
        }
        if (auto* p = after.findPopulation(name)) {
            p->position = position;
        } else if (auto* in = findInput(after, name)) {
            in->position = position;
        } else {
            fail(error, "cannot move " + quote(name) + ": no population or input has that name");
            return false;
        }
    }
    if (after == spec()) return true;
    stack_->push(new MoveNodesCommand(this, int(positions.size()), interaction, state_,
                                      std::make_shared<const NetworkSpec>(std::move(after))));
    return true;
}

bool Document::apply(const QString& text, const std::function<void(NetworkSpec&)>& edit,
                     QString* error) {
    return commit(text, edit, error);
}

bool Document::applyPreset(const std::string& name, const std::string& preset, QString* error) {
    return commit(
        QString("Preset %1 for %2").arg(QString::fromStdString(preset), QString::fromStdString(name)),
        [&](NetworkSpec& s) {
            PopulationSpec& p = population(s, name);
            const auto& presets = neuronModel(s, p.model, "population " + quote(name)).declaration->presets;
            const auto set = std::find_if(presets.begin(), presets.end(),
                                          [&](const auto& candidate) { return candidate.name == preset; });
            if (set == presets.end())
                throw Error("model " + quote(p.model) + " has no preset " + quote(preset));
            for (const auto& [param, value] : set->values) p.params[param] = value;
        },
        error);
}

bool Document::setRecordSpikes(const std::string& name, bool on, QString* error) {
    return commit((on ? "Record spikes of " : "Stop recording ") + QString::fromStdString(name),
                  [&](NetworkSpec& s) { population(s, name).record.spikes = on; }, error);
}

bool Document::setReadout(const std::string& name, QString* error) {
    return commit(name.empty() ? QString("No readout") : "Read out " + QString::fromStdString(name),
                  [&](NetworkSpec& s) { s.experiment.readout = name; }, error);
}

bool Document::setInputType(const std::string& name, const std::string& type, QString* error) {
    return commit(
        QString("Make %1 %2").arg(QString::fromStdString(name), QString::fromStdString(type)),
        [&](NetworkSpec& s) {
            InputSpec& in = input(s, name);
            // The parameters the new encoder also has keep their values.
            const ParamTable& table = encoder(type, "input " + quote(name)).params;
            std::erase_if(in.params, [&](const auto& kv) { return !findParam(table, kv.first); });
            in.type = type;
        },
        error);
}

bool Document::setDataset(const std::string& name, QString* error) {
    return commit("Data set " + QString::fromStdString(name),
                  [&](NetworkSpec& s) { s.experiment.dataset.name = name; }, error);
}

bool Document::setDatasetSplit(const std::string& split, QString* error) {
    return commit("Split " + QString::fromStdString(split),
                  [&](NetworkSpec& s) { s.experiment.dataset.split = split; }, error);
}

bool Document::setDatasetFolder(const std::string& folder, QString* error) {
    return commit("Use the data set in " + QString::fromStdString(folder),
                  [&](NetworkSpec& s) { s.experiment.dataset.path = folder; }, error);
}

bool Document::addItems(const QString& text, const NetworkSpec& fragment,
                        const std::map<std::string, CanvasPosition>& pin, QString* error) {
    return commit(
        text,
        [&](NetworkSpec& s) {
            for (const auto& [name, at] : pin)
                if (auto* p = s.findPopulation(name); p && !p->position) p->position = at;
            s.populations.insert(s.populations.end(), fragment.populations.begin(), fragment.populations.end());
            s.projections.insert(s.projections.end(), fragment.projections.begin(), fragment.projections.end());
            s.inputs.insert(s.inputs.end(), fragment.inputs.begin(), fragment.inputs.end());
        },
        error);
}

bool Document::clearPositions(const QString& text, QString* error) {
    return commit(
        text,
        [](NetworkSpec& s) {
            for (auto& p : s.populations) p.position.reset();
            for (auto& in : s.inputs) in.position.reset();
        },
        error);
}

QStringList Document::weightsLostBySize(const std::string& population, std::int64_t size,
                                        bool* accepted) const {
    return weightsLostBy(resizeEdit(population, size), accepted);
}

QStringList Document::weightsLostByEndpoints(const std::string& projection,
                                             const std::string& source,
                                             const std::string& target, bool* accepted) const {
    return weightsLostBy(endpointsEdit(projection, source, target), accepted);
}

QStringList Document::weightsLostByConnectivity(const std::string& projection,
                                                const ConnectivitySpec& connectivity,
                                                bool* accepted) const {
    return weightsLostBy(connectivityEdit(projection, connectivity), accepted);
}

QStringList Document::weightsLostBy(const Edit& edit, bool* accepted) const {
    // The names are collected before the edited spec is validated: an edit that is refused
    // still names what it would replace.
    QStringList names;
    const bool taken = edited(edit, false, nullptr, &names).has_value();
    if (accepted) *accepted = taken;
    return names;
}

void Document::setState(const SpecState& state) {
    state_ = state;
    emit changed();
}

std::optional<NetworkSpec> Document::edited(const Edit& edit, bool keepsShapes, QString* error,
                                            QStringList* reshaped) const {
    NetworkSpec after = spec();
    try {
        edit(after);
        if (!keepsShapes) {
            for (const auto& name : reshapedTrained(spec(), after)) {
                auto& weights = projection(after, name).weights;
                WeightSpec glorot;
                glorot.type = WeightInitType::Glorot;
                glorot.seed = weights.seed;
                weights = glorot;
                if (reshaped) *reshaped << QString::fromStdString(name);
            }
        }
        validate(after);
    } catch (const Error& e) {
        fail(error, e.what());
        return std::nullopt;
    }
    return after;
}

bool Document::commit(const QString& text, const Edit& edit, QString* error, bool keepsShapes) {
    std::optional<NetworkSpec> after = edited(edit, keepsShapes, error);
    if (!after) return false;
    if (*after == spec()) return true;
    stack_->push(
        new SpecCommand(this, text, state_, std::make_shared<const NetworkSpec>(std::move(*after))));
    return true;
}

void Document::reset(NetworkSpec spec, const QString& path, bool modified) {
    state_ = std::make_shared<const NetworkSpec>(std::move(spec));
    stack_->clear();
    if (modified) stack_->resetClean();
    setPath(path);
    emit changed();
}

void Document::setPath(const QString& path) {
    if (path == path_) return;
    path_ = path;
    emit pathChanged(path_);
}

void Document::removeAutosave() const {
    QFile::remove(autosavePath());
}

QString Document::autosaveFileFor(const QString& projectPath) {
    const QString folder =
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/autosave/";
    if (projectPath.isEmpty())
        return folder + QString("untitled-%1.json").arg(QCoreApplication::applicationPid());
    const QByteArray key = QCryptographicHash::hash(
        QFileInfo(projectPath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1);
    return folder + QString::fromLatin1(key.toHex().left(16)) + ".json";
}

} // namespace spikelab::ui
