#include "inspector.h"

#include "document.h"
#include "parameter_panel.h"
#include "projection_form.h"
#include "tuning_spin_box.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/models.h"
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace spikelab::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

QStringList populationNames(const NetworkSpec& spec) {
    QStringList names;
    for (const auto& p : spec.populations) names << qs(p.name);
    return names;
}

// Items of `combo`: each text with itself as data, after `none` (data "") when given. Keeps
// the selection; rebuilt only when the texts differ.
void setChoices(QComboBox* combo, const QStringList& texts, const QString& none = {}) {
    QStringList wanted = texts;
    if (!none.isEmpty()) wanted.prepend(none);
    QStringList have;
    for (int i = 0; i < combo->count(); ++i) have << combo->itemText(i);
    if (have == wanted) return;
    const QSignalBlocker blocker(combo);
    const QVariant current = combo->currentData();
    combo->clear();
    if (!none.isEmpty()) combo->addItem(none, QString());
    for (const QString& text : texts) combo->addItem(text, text);
    combo->setCurrentIndex(combo->findData(current));
}

template <typename Items> std::size_t indexOf(const Items& items, const std::string& name) {
    return std::size_t(
        std::find_if(items.begin(), items.end(), [&](const auto& i) { return i.name == name; }) -
        items.begin());
}

std::set<std::string> allNames(const NetworkSpec& spec) {
    std::set<std::string> names;
    for (const auto& p : spec.populations) names.insert(p.name);
    for (const auto& j : spec.projections) names.insert(j.name);
    for (const auto& in : spec.inputs) names.insert(in.name);
    return names;
}

// Which parameter table the panel shows for `item`: "" when the spec has no such item.
std::string tableOf(const NetworkSpec& spec, const std::string& item) {
    if (item == "experiment") return item;
    if (const auto* p = spec.findPopulation(item)) return "population " + p->model;
    for (const auto& in : spec.inputs)
        if (in.name == item) return "input " + in.type;
    return {};
}

} // namespace

Inspector::Inspector(Document* document, QWidget* parent) : QWidget(parent), document_(document) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    scroll_ = new QScrollArea;
    scroll_->setWidgetResizable(true);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll_);
    confirm_ = [this](const QString& question) {
        return QMessageBox::question(this, "Replace trained weights", question,
                                     QMessageBox::Yes | QMessageBox::No,
                                     QMessageBox::No) == QMessageBox::Yes;
    };
    connect(document, &Document::changed, this, &Inspector::follow);
    rebuild();
}

void Inspector::setConfirm(std::function<bool(const QString&)> confirm) {
    confirm_ = std::move(confirm);
}

Inspector::Kind Inspector::kindOf(const NetworkSpec& spec, const QString& name) {
    const std::string n = name.toStdString();
    const auto named = [&](const auto& items) { return indexOf(items, n) < items.size(); };
    if (name.isEmpty()) return Kind::Experiment;
    if (named(spec.populations)) return Kind::Population;
    if (named(spec.projections)) return Kind::Projection;
    if (named(spec.inputs)) return Kind::Input;
    return Kind::Experiment;
}

void Inspector::setItem(const QString& name) {
    if (name == item_ && kindOf(document_->spec(), name) == kind_) return;
    item_ = name;
    rebuild();
}

void Inspector::follow() {
    const NetworkSpec& spec = document_->spec();
    const Kind kind = kindOf(spec, item_);
    if (kind == kind_) {
        showValues();
    } else if (const QString renamed = renamedTo(spec); !renamed.isEmpty()) {
        const QString from = item_;
        item_ = renamed;
        showValues();
        emit itemRenamed(from, renamed);
    } else {
        rebuild();
    }
}

// A rename changes one name and nothing else: the shown one, which keeps its place.
QString Inspector::renamedTo(const NetworkSpec& spec) const {
    if (item_.isEmpty()) return {};
    const std::set<std::string> now = allNames(spec);
    std::vector<std::string> gone, added;
    std::set_difference(names_.begin(), names_.end(), now.begin(), now.end(),
                        std::back_inserter(gone));
    std::set_difference(now.begin(), now.end(), names_.begin(), names_.end(),
                        std::back_inserter(added));
    if (gone != std::vector{item_.toStdString()} || added.size() != 1) return {};
    const auto at = [&](const auto& items) {
        return index_ < items.size() && items[index_].name == added.front();
    };
    const bool inPlace = (kind_ == Kind::Population && at(spec.populations)) ||
                         (kind_ == Kind::Projection && at(spec.projections)) ||
                         (kind_ == Kind::Input && at(spec.inputs));
    return inPlace ? qs(added.front()) : QString();
}

void Inspector::rebuild() {
    const NetworkSpec& spec = document_->spec();
    kind_ = kindOf(spec, item_);
    if (kind_ == Kind::Experiment) item_.clear();
    // The old editors go later: this may run inside one of their signals. Focus leaves them
    // first, or hiding them would hand it along a focus chain that is being torn down.
    if (QWidget* focused = QApplication::focusWidget();
        focused && scroll_->widget() && scroll_->widget()->isAncestorOf(focused))
        focused->clearFocus();
    if (QWidget* old = scroll_->takeWidget()) {
        for (auto* child : old->findChildren<QObject*>()) child->blockSignals(true);
        old->deleteLater();
    }
    fields_.clear();
    parameters_ = nullptr;
    parametersTitle_ = nullptr;
    form_ = nullptr;
    formRefusal_ = nullptr;

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(8, 0, 8, 8);
    layout->setSpacing(2);
    switch (kind_) {
    case Kind::Population:
        buildPopulation(layout);
        break;
    case Kind::Projection:
        buildProjection(layout);
        break;
    case Kind::Input:
        buildInput(layout);
        break;
    case Kind::Experiment:
        buildExperiment(layout);
        break;
    }
    layout->addStretch(1);
    alignFormLabels(content);
    scroll_->setWidget(content);
    showValues();
}

QFormLayout* Inspector::addForm(QVBoxLayout* layout, const QString& title) {
    layout->addWidget(makeSectionTitle(title));
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setVerticalSpacing(4);
    layout->addLayout(form);
    return form;
}

// The field and its refusal under it, in one cell of the form.
void Inspector::addField(QFormLayout* form, const QString& label, const QString& key,
                         QWidget* editor, std::function<void(const QVariant&)> show) {
    auto* cell = new QWidget;
    auto* box = new QVBoxLayout(cell);
    box->setContentsMargins(0, 0, 0, 0);
    box->setSpacing(2);
    box->addWidget(editor);
    Field& field = fields_[key];
    field.editor = editor;
    field.refusal = makeRefusalLabel();
    field.show = [editor, show = std::move(show)](const QVariant& value) {
        const QSignalBlocker blocker(editor);
        show(value);
    };
    box->addWidget(field.refusal);
    auto* name = new QLabel(label);
    name->setToolTip(editor->toolTip());
    form->addRow(name, cell);
}

void Inspector::addNameField(QFormLayout* form) {
    auto* name = new QLineEdit;
    name->setToolTip("names may not contain '.' or '/'");
    addField(form, "Name", "name", name,
             [name](const QVariant& v) { name->setText(v.toString()); });
    connect(name, &QLineEdit::editingFinished, this, [this, name] { rename(name->text()); });
}

QComboBox* Inspector::addChoice(QFormLayout* form, const QString& label, const QString& key) {
    auto* combo = new QComboBox;
    addField(form, label, key, combo,
             [combo](const QVariant& v) { combo->setCurrentIndex(combo->findData(v)); });
    return combo;
}

void Inspector::addParameters(QVBoxLayout* layout) {
    parametersTitle_ = makeSectionTitle({});
    layout->addWidget(parametersTitle_);
    parameters_ = new ParameterPanel;
    layout->addWidget(parameters_);
    parameters_->setItemFilter(panelItem());
    parameters_->setSpec(document_->spec());
    connect(parameters_, &ParameterPanel::parameterEdited, this, &Inspector::parameterEdited);
}

std::string Inspector::panelItem() const {
    return kind_ == Kind::Experiment ? "experiment" : item_.toStdString();
}

void Inspector::buildPopulation(QVBoxLayout* layout) {
    QFormLayout* form = addForm(layout, "Population");
    addNameField(form);

    auto* size = new TuningSpinBox<QSpinBox>;
    size->setRange(0, INT_MAX);
    size->setSuffix(" neurons");
    size->setKeyboardTracking(false);
    size->setToolTip("number of neurons");
    addField(form, "Size", "size", size, [size](const QVariant& v) { size->setValue(v.toInt()); });
    connect(size, &QSpinBox::valueChanged, this, &Inspector::resizePopulation);

    QComboBox* model = addChoice(form, "Model", "model");  // filled by showModels
    connect(model, &QComboBox::activated, this, [this, model] {
        const std::string chosen = model->currentData().toString().toStdString();
        commitChoice("model", [&](QString* error) {
            return document_->setPopulationModel(item_.toStdString(), chosen, error);
        });
    });

    QComboBox* preset = addChoice(form, "Preset", "preset");
    preset->setToolTip("a named parameter set of the model, such as Izhikevich's cell classes; "
                       "it sets those parameters in one step (undo restores them)");
    connect(preset, &QComboBox::activated, this, [this, preset] {
        const std::string chosen = preset->currentData().toString().toStdString();
        const std::string item = item_.toStdString();
        if (chosen.empty()) return revert("preset");
        commitChoice("preset", [&](QString* error) { return document_->applyPreset(item, chosen, error); });
    });
    populationForm_ = form;

    auto* record = new QCheckBox("spikes");
    record->setToolTip("record every spike of the population (rasters, statistics)");
    addField(form, "Record", "record_spikes", record,
             [record](const QVariant& v) { record->setChecked(v.toBool()); });
    connect(record, &QCheckBox::clicked, this, [this](bool on) {
        const std::string item = item_.toStdString();
        commitChoice("record_spikes", [&](QString* error) { return document_->setRecordSpikes(item, on, error); });
    });

    auto* readout = new QCheckBox("the network's answer");
    readout->setToolTip("the experiment's readout: its most active neuron is the answer");
    addField(form, "Readout", "readout", readout,
             [readout](const QVariant& v) { readout->setChecked(v.toBool()); });
    connect(readout, &QCheckBox::clicked, this, [this](bool on) {
        const std::string item = on ? item_.toStdString() : std::string();
        commitChoice("readout", [&](QString* error) { return document_->setReadout(item, error); });
    });
    addParameters(layout);
}

void Inspector::buildProjection(QVBoxLayout* layout) {
    QFormLayout* form = addForm(layout, "Projection");
    addNameField(form);
    QComboBox* source = addChoice(form, "Source", "source");
    QComboBox* target = addChoice(form, "Target", "target");
    connect(source, &QComboBox::activated, this, [this, source] {
        setEndpoints(source->currentData().toString(), fields_["target"].shown.toString(),
                     "source");
    });
    connect(target, &QComboBox::activated, this, [this, target] {
        setEndpoints(fields_["source"].shown.toString(), target->currentData().toString(),
                     "target");
    });
    form_ = new ProjectionForm;
    layout->addWidget(form_);
    formRefusal_ = makeRefusalLabel();
    layout->addWidget(formRefusal_);
    connect(form_, &ProjectionForm::changed, this, &Inspector::formEdited);
}

void Inspector::buildInput(QVBoxLayout* layout) {
    QFormLayout* form = addForm(layout, "Input");
    addNameField(form);

    QComboBox* type = addChoice(form, "Type", "type");
    for (const auto& e : encoders()) {
        type->addItem(qs(e.name), qs(e.name));
        type->setItemData(type->count() - 1, qs(e.description), Qt::ToolTipRole);
    }
    connect(type, &QComboBox::activated, this, [this, type] {
        const std::string item = item_.toStdString();
        const std::string chosen = type->currentData().toString().toStdString();
        commitChoice("type", [&](QString* error) { return document_->setInputType(item, chosen, error); });
    });
    QComboBox* target = addChoice(form, "Target", "target");
    connect(target, &QComboBox::activated, this, [this, target] {
        const std::string item = item_.toStdString();
        const std::string to = target->currentData().toString().toStdString();
        commitChoice("target", [&](QString* error) { return document_->setInputTarget(item, to, error); });
    });
    addParameters(layout);
}

void Inspector::buildExperiment(QVBoxLayout* layout) {
    QFormLayout* form = addForm(layout, "Experiment");
    auto* dt = new QLabel;
    dt->setToolTip("simulation time step; set in the project file");
    addField(form, "dt", "dt", dt, [dt](const QVariant& v) {
        dt->setText(QString::number(v.toDouble(), 'g', 12) + " ms");
    });
    QComboBox* dataset = addChoice(form, "Data set", "dataset");
    QComboBox* split = addChoice(form, "Split", "split");
    QComboBox* readout = addChoice(form, "Readout", "readout");
    dataset->setToolTip("the data set the samples come from");
    split->setToolTip("which part of the data set is presented");
    readout->setToolTip("the population whose most active neuron is the answer");
    setChoices(split, {"train", "test"});
    connect(dataset, &QComboBox::activated, this, [this, dataset] {
        const std::string name = dataset->currentData().toString().toStdString();
        commitChoice("dataset", [&](QString* error) { return document_->setDataset(name, error); });
    });
    connect(split, &QComboBox::activated, this, [this, split] {
        const std::string name = split->currentData().toString().toStdString();
        commitChoice("split", [&](QString* error) { return document_->setDatasetSplit(name, error); });
    });
    connect(readout, &QComboBox::activated, this, [this, readout] {
        const std::string name = readout->currentData().toString().toStdString();
        commitChoice("readout", [&](QString* error) { return document_->setReadout(name, error); });
    });
    addParameters(layout);
    parametersTitle_->setText("Presentation");
}

void Inspector::showValues() {
    const NetworkSpec& spec = document_->spec();
    names_ = allNames(spec);
    const std::string name = item_.toStdString();
    switch (kind_) {
    case Kind::Population: {
        index_ = indexOf(spec.populations, name);
        const PopulationSpec& p = spec.populations[index_];
        sync("name", item_);
        sync("size", qlonglong(p.size));
        showModels(spec);
        sync("model", qs(p.model));
        sync("record_spikes", p.record.spikes);
        sync("readout", spec.experiment.readout == p.name);
        parametersTitle_->setText("Neuron parameters (" + qs(p.model) + ")");
        showPresets(p);
        break;
    }
    case Kind::Projection: {
        index_ = indexOf(spec.projections, name);
        const ProjectionSpec& j = spec.projections[index_];
        for (const char* key : {"source", "target"})
            setChoices(static_cast<QComboBox*>(fields_[key].editor), populationNames(spec));
        sync("name", item_);
        sync("source", qs(j.source));
        sync("target", qs(j.target));
        form_->setProjection(j, spec);
        break;
    }
    case Kind::Input: {
        index_ = indexOf(spec.inputs, name);
        const InputSpec& in = spec.inputs[index_];
        setChoices(static_cast<QComboBox*>(fields_["target"].editor), populationNames(spec));
        sync("name", item_);
        sync("type", qs(in.type));
        sync("target", qs(in.target));
        parametersTitle_->setText("Encoder parameters (" + qs(in.type) + ")");
        break;
    }
    case Kind::Experiment: {
        const ExperimentSpec& e = spec.experiment;
        QStringList datasets;
        for (const auto& d : knownImageDatasets()) datasets << qs(d);
        datasets << qs(EventDataset{}.name);
        if (!datasets.contains(qs(e.dataset.name))) datasets << qs(e.dataset.name);
        setChoices(static_cast<QComboBox*>(fields_["dataset"].editor), datasets);
        setChoices(static_cast<QComboBox*>(fields_["readout"].editor), populationNames(spec),
                   "none");
        sync("dt", e.dt);
        sync("dataset", qs(e.dataset.name));
        sync("split", qs(e.dataset.split));
        sync("readout", qs(e.readout));
        break;
    }
    }
    if (parameters_) showParameters(spec);
}

// The models a population can have: the built-in ones and the project's own.
void Inspector::showModels(const NetworkSpec& spec) {
    auto* combo = static_cast<QComboBox*>(fields_["model"].editor);
    const auto models = neuronModels(spec);
    bool same = combo->count() == int(models.size());
    for (int i = 0; same && i < combo->count(); ++i)
        same = combo->itemData(i).toString() == qs(models[std::size_t(i)]->name) &&
               combo->itemData(i, Qt::ToolTipRole).toString() == qs(models[std::size_t(i)]->description);
    if (same) return;
    const QSignalBlocker blocker(combo);
    combo->clear();
    for (const NeuronModelInfo* m : models) {
        combo->addItem(qs(m->name), qs(m->name));
        combo->setItemData(combo->count() - 1, qs(m->description), Qt::ToolTipRole);
    }
}

void Inspector::showPresets(const PopulationSpec& p) {
    auto* combo = static_cast<QComboBox*>(fields_["preset"].editor);
    const NeuronModelInfo* model = &neuronModel(document_->spec(), p.model, "population " + quote(p.name));
    const auto& presets = model->declaration->presets;
    populationForm_->setRowVisible(combo->parentWidget(), !presets.empty());
    QString matching;
    {
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem("custom", QString());
        combo->setItemData(0, "parameters of your own", Qt::ToolTipRole);
        for (const auto& set : presets) {
            combo->addItem(qs(set.name), qs(set.name));
            combo->setItemData(combo->count() - 1, qs(set.description), Qt::ToolTipRole);
            const bool matches = std::all_of(set.values.begin(), set.values.end(), [&](const auto& value) {
                const auto given = p.params.find(value.first);
                const ParamInfo* info = findParam(model->params, value.first);
                return (given != p.params.end() ? given->second : info ? info->defaultValue : 0.0) == value.second;
            });
            if (matches && matching.isEmpty()) matching = qs(set.name);
        }
    }
    fields_["preset"].shown = QVariant();
    sync("preset", matching);
}

// Rows are rebuilt when they would show another table (or item), else updated in place.
void Inspector::showParameters(const NetworkSpec& spec) {
    const std::string item = panelItem();
    if (tableOf(parameters_->spec(), item) != tableOf(spec, item)) {
        parameters_->setItemFilter(item);
        parameters_->setSpec(spec);
        return;
    }
    const auto showValue = [&](const std::string& param) {
        const double value = parameterValue(spec, item, param);
        if (parameterValue(parameters_->spec(), item, param) != value)
            parameters_->setValue(item, param, value);
    };
    if (kind_ == Kind::Population)
        for (const auto& info : neuronModel(spec, spec.populations[index_].model, item).params)
            showValue(info.name);
    else if (kind_ == Kind::Input)
        for (const auto& info : encoder(spec.inputs[index_].type, item).params)
            showValue(info.name);
    else
        showValue("steps_per_sample");
}

void Inspector::sync(const QString& key, const QVariant& value) {
    Field& field = fields_[key];
    if (field.shown == value && field.shown.isValid()) return;
    field.shown = value;
    field.show(value);
    showRefusal(field.refusal, {});
}

void Inspector::refuse(const QString& key, const QString& reason) {
    showRefusal(fields_[key].refusal, reason);
}

void Inspector::revert(const QString& key) {
    Field& field = fields_[key];
    field.show(field.shown);
}

bool Inspector::confirmLoss(const QStringList& projections, bool accepted, const QString& action) {
    // A refused edit loses nothing: the Document says why it is refused.
    if (projections.isEmpty() || !accepted) return true;
    const QString which = projections.size() == 1 ? "projection " + projections.front()
                                                  : "projections " + projections.join(", ");
    return confirm_(action + " changes the shape of the trained weights of " + which +
                    ". They will be replaced by Glorot weights (Undo brings them back).\n\n"
                    "Continue?");
}

void Inspector::rename(const QString& to) {
    QString error;
    const bool accepted = document_->renameItem(item_.toStdString(), to.toStdString(), &error);
    refuse("name", accepted ? QString() : error);
}

void Inspector::resizePopulation(int size) {
    const std::string name = item_.toStdString();
    bool takes = false;
    const QStringList lost = document_->weightsLostBySize(name, size, &takes);
    if (!confirmLoss(lost, takes, QString("Resizing %1 to %2 neurons").arg(item_).arg(size))) {
        revert("size");
        return;
    }
    QString error;
    const bool accepted = document_->setPopulationSize(name, size, &error);
    refuse("size", accepted ? QString() : error);
}

void Inspector::setEndpoints(const QString& source, const QString& target, const QString& key) {
    const std::string name = item_.toStdString();
    const std::string from = source.toStdString(), to = target.toStdString();
    bool takes = false;
    const QStringList lost = document_->weightsLostByEndpoints(name, from, to, &takes);
    if (!confirmLoss(lost, takes, "Connecting " + item_ + " " + source + " → " + target)) {
        revert(key);
        return;
    }
    commitChoice(key, [&](QString* error) {
        return document_->setProjectionEndpoints(name, from, to, error);
    });
}

// A form edit changes one part of the projection; that part goes to its Document method.
void Inspector::formEdited() {
    if (!form_->isValid()) return; // the form shows why
    const ProjectionSpec edited = form_->projection();
    const ProjectionSpec current = document_->spec().projections[index_];
    const std::string name = current.name;
    QString error;
    bool accepted = true;
    if (edited.connectivity != current.connectivity) {
        bool takes = false;
        const QStringList lost =
            document_->weightsLostByConnectivity(name, edited.connectivity, &takes);
        if (!confirmLoss(lost, takes, "Changing the connectivity of " + item_)) {
            form_->revert();
            return;
        }
        accepted = document_->setConnectivity(name, edited.connectivity, &error);
    } else if (edited.weights != current.weights) {
        accepted = document_->setWeights(name, edited.weights, &error);
    } else if (edited.postsynaptic != current.postsynaptic) {
        accepted = document_->setPostsynaptic(name, edited.postsynaptic, &error);
    } else if (edited.delaySteps != current.delaySteps) {
        accepted = document_->setParameter({name, "delay_steps", double(edited.delaySteps)},
                                           newParameterInteraction(), &error);
    }
    if (formRefusal_) showRefusal(formRefusal_, accepted ? QString() : error);
}

void Inspector::parameterEdited(const ParameterChange& change, int interaction) {
    // The panel checked the value against the same spec; a refusal here means the two
    // drifted apart, so show the document's value again.
    if (!document_->setParameter(change, interaction) && parameters_)
        parameters_->setValue(change.item, change.param,
                              parameterValue(document_->spec(), change.item, change.param));
}

void Inspector::commitChoice(const QString& key, const std::function<bool(QString*)>& commit) {
    QString error;
    const bool accepted = commit(&error);
    if (!accepted) revert(key);
    refuse(key, accepted ? QString() : error);
}

QWidget* Inspector::field(const QString& key) const {
    if (const auto it = fields_.find(key); it != fields_.end()) return it->second.editor;
    if (form_) return form_->field(key);
    return parameters_ ? parameters_->spinBox(panelItem(), key.toStdString()) : nullptr;
}

QSlider* Inspector::slider(const QString& param) const {
    return parameters_ ? parameters_->slider(panelItem(), param.toStdString()) : nullptr;
}

QString Inspector::refusal(const QString& key) const {
    if (const auto it = fields_.find(key); it != fields_.end()) return it->second.refusal->text();
    if (form_) {
        const QString reason = form_->refusal(key);
        return reason.isEmpty() && form_->field(key) ? formRefusal_->text() : reason;
    }
    return parameters_ ? parameters_->refusal(panelItem(), key.toStdString()) : QString();
}

} // namespace spikelab::ui
