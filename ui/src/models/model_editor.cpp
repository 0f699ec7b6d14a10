#include "model_editor.h"

#include "model_code_edit.h"
#include "projection_form.h"
#include "theme.h"

#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/network.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace spikelab::ui {

namespace {

constexpr std::size_t kMaxModelName = 64;  // as the project file's reader allows

QString quoted(const QString& text) {
    return '"' + text + '"';
}

} // namespace

ModelEditor::ModelEditor(QWidget* parent) : QWidget(parent), checkTimer_(new QTimer(this)) {
    checkTimer_->setSingleShot(true);
    checkTimer_->setInterval(150);
    connect(checkTimer_, &QTimer::timeout, this, &ModelEditor::checkNow);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea;
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(scroll);
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(8, 8, 8, 8);

    models_ = new QComboBox;
    models_->setObjectName("models");
    models_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    models_->setMinimumContentsLength(16);
    layout->addWidget(models_);
    connect(models_, &QComboBox::activated, this,
            [this](int index) { selectModel(models_->itemData(index).toString()); });
    auto* buttons = new QHBoxLayout;
    duplicate_ = new QPushButton("Duplicate to edit");
    new_ = new QPushButton("New");
    delete_ = new QPushButton("Delete");
    duplicate_->setObjectName("duplicate");
    new_->setObjectName("new");
    delete_->setObjectName("delete");
    new_->setToolTip("A new, minimal integrate-and-fire model to start from");
    delete_->setToolTip("Removes this model from the project");
    for (auto* button : {duplicate_, new_, delete_}) buttons->addWidget(button);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(duplicate_, &QPushButton::clicked, this, [this] {
        NeuronModelDeclaration copy = draft();
        copy.name = freeName(QString::fromStdString(copy.name) + "_copy").toStdString();
        startNewModel(copy);
    });
    connect(new_, &QPushButton::clicked, this, [this] {
        NeuronModelDeclaration m;
        m.name = freeName("MyNeuron").toStdString();
        m.description = "Integrate-and-fire: adds its input to V and spikes at Vthr";
        m.parameters.push_back({.name = "Vthr", .unit = "mV", .defaultValue = 1.0, .description = "spike threshold"});
        m.state.push_back({.name = "V", .unit = "mV", .defaultValue = 0.0, .description = "membrane potential"});
        m.sim = "V += Isyn;";
        m.threshold = "V >= Vthr";
        m.reset = "V = 0;";
        m.voltage = "V";
        m.thresholdParameter = "Vthr";
        startNewModel(m);
    });
    connect(delete_, &QPushButton::clicked, this, [this] { emit removeRequested(current_); });

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    name_ = new QLineEdit;
    name_->setObjectName("name");
    description_ = new QPlainTextEdit;
    description_->setObjectName("description");
    description_->setFixedHeight(description_->fontMetrics().lineSpacing() * 3 +
                                 2 * description_->frameWidth() + 8);
    form->addRow("Name", name_);
    form->addRow("Description", description_);
    layout->addLayout(form);
    connect(name_, &QLineEdit::textChanged, this, &ModelEditor::scheduleCheck);
    connect(description_, &QPlainTextEdit::textChanged, this, &ModelEditor::scheduleCheck);

    parameters_ = addTable(layout, "Parameters", ModelTable::Kind::Parameters, "parameters");
    derived_ = addTable(layout, "Derived parameters", ModelTable::Kind::Derived, "derived");
    state_ = addTable(layout, "State variables", ModelTable::Kind::State, "state");

    const auto addCode = [&](const QString& title, const QString& key, int lines) {
        layout->addWidget(makeSectionTitle(title));
        auto* edit = new ModelCodeEdit(lines);
        edit->setObjectName(key);
        layout->addWidget(edit);
        connect(edit, &QPlainTextEdit::textChanged, this, &ModelEditor::scheduleCheck);
        return edit;
    };
    sim_ = addCode("Sim code", "sim", 7);
    threshold_ = addCode("Threshold condition", "threshold", 2);
    reset_ = addCode("Reset code", "reset", 3);

    auto* choices = new QFormLayout;
    choices->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    voltage_ = new QComboBox;
    voltage_->setObjectName("voltage");
    voltage_->setToolTip("The membrane variable traces show");
    thresholdParameter_ = new QComboBox;
    thresholdParameter_->setObjectName("thresholdParameter");
    thresholdParameter_->setToolTip("The parameter drawn as a line on traces");
    choices->addRow("Voltage", voltage_);
    choices->addRow("Threshold parameter", thresholdParameter_);
    layout->addLayout(choices);
    for (auto* combo : {voltage_, thresholdParameter_})
        connect(combo, &QComboBox::activated, this, &ModelEditor::scheduleCheck);

    status_ = new QLabel;
    status_->setObjectName("status");
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);
    auto* applyRow = new QHBoxLayout;
    applyRow->addStretch(1);
    apply_ = new QPushButton("Apply");
    apply_->setObjectName("apply");
    apply_->setToolTip("Puts this model into the project (one undo step)");
    applyRow->addWidget(apply_);
    layout->addLayout(applyRow);
    layout->addStretch(1);
    connect(apply_, &QPushButton::clicked, this, &ModelEditor::apply);

    scroll->setWidget(content);
    setProject(NetworkSpec{});
}

// A titled table with buttons to add and remove rows; `key` names it and its buttons.
ModelTable* ModelEditor::addTable(QVBoxLayout* layout, const QString& title, ModelTable::Kind kind,
                                  const QString& key) {
    auto* heading = new QHBoxLayout;
    heading->addWidget(makeSectionTitle(title), 1);
    auto* add = new QToolButton;
    add->setText("+");
    add->setToolTip("Adds a row");
    auto* remove = new QToolButton;
    remove->setText("−");
    remove->setToolTip("Removes the selected rows");
    heading->addWidget(add);
    heading->addWidget(remove);
    layout->addLayout(heading);
    auto* table = new ModelTable(kind);
    table->setObjectName(key);
    add->setObjectName("add_" + key);
    remove->setObjectName("remove_" + key);
    layout->addWidget(table);
    rowButtons_.push_back(add);
    rowButtons_.push_back(remove);
    connect(add, &QToolButton::clicked, table, &ModelTable::addRow);
    connect(remove, &QToolButton::clicked, table, &ModelTable::removeSelectedRows);
    connect(table, &ModelTable::edited, this, &ModelEditor::scheduleCheck);
    connect(table, &ModelTable::renamed, this,
            [this, table](const QString& before, const QString& after) { rowRenamed(table, before, after); });
    connect(table, &ModelTable::removed, this, [this, table](const QString& name) {
        if (table == parameters_)
            for (auto& preset : presets_) preset.values.erase(name.toStdString());
        refreshChoices();
    });
    return table;
}

void ModelEditor::setProject(const NetworkSpec& spec) {
    const bool keepDraft = shown_ && hasUnappliedChanges();
    const NeuronModelDeclaration shownDraft = draft();
    builtins_.clear();
    for (const auto& info : neuronModels())
        if (info.declaration) builtins_.push_back(*info.declaration);
    // A model the project did not have before (a project with models of its own was opened):
    // shown in place of an unedited built-in.
    const NeuronModelDeclaration* arrived = nullptr;
    for (const auto& m : spec.models)
        if (!arrived && std::none_of(project_.begin(), project_.end(), [&](const auto& old) { return old.name == m.name; }))
            arrived = &m;
    const QString arrivedName = arrived ? QString::fromStdString(arrived->name) : QString();
    project_ = spec.models;

    bool builtin = false;
    const NeuronModelDeclaration* selected = find(current_, &builtin);
    const NeuronModelDeclaration* applied = find(QString::fromStdString(shownDraft.name), &builtin);
    const bool followsApply = shown_ && applied && *applied == shownDraft &&
                              (!selected || current_.isEmpty() || current_ == QString::fromStdString(shownDraft.name));
    if (!arrivedName.isEmpty() && builtin_ && !keepDraft && selected) {
        current_ = arrivedName;
        builtin_ = false;
        applied_ = *find(current_, &builtin);
        load(applied_);
    } else if (followsApply) {
        // The draft was applied (a new model, a rename, an edit): show it as the project has it.
        current_ = QString::fromStdString(applied->name);
        builtin_ = builtin;
        applied_ = *applied;
        if (shownDraft != *applied) load(*applied);
    } else if (selected && !current_.isEmpty()) {
        find(current_, &builtin_);
        applied_ = *selected;
        if (!keepDraft && shownDraft != *selected) load(*selected);
    } else if (!keepDraft) {
        // Nothing shown yet, or the shown model went away unchanged: the first model.
        const NeuronModelDeclaration& first = project_.empty() ? builtins_.front() : project_.front();
        current_ = QString::fromStdString(first.name);
        builtin_ = project_.empty();
        applied_ = first;
        load(first);
    } else {
        current_.clear();  // a draft whose model went away stays, as a new model
    }
    shown_ = true;
    fillModelList();
    checkNow();
}

void ModelEditor::selectModel(const QString& name) {
    bool builtin = false;
    const NeuronModelDeclaration* model = find(name, &builtin);
    if (!model) return;
    current_ = name;
    builtin_ = builtin;
    applied_ = *model;
    load(*model);
    fillModelList();
    checkNow();
}

void ModelEditor::startNewModel(NeuronModelDeclaration model) {
    current_.clear();
    builtin_ = false;
    model.spikeSource = false;
    applied_ = model;
    load(model);
    fillModelList();
    checkNow();
    name_->setFocus();
    name_->selectAll();
}

const NeuronModelDeclaration* ModelEditor::find(const QString& name, bool* builtin) const {
    const std::string wanted = name.toStdString();
    for (const auto* list : {&builtins_, &project_})
        for (const auto& m : *list)
            if (m.name == wanted) {
                if (builtin) *builtin = list == &builtins_;
                return &m;
            }
    return nullptr;
}

QString ModelEditor::freeName(const QString& base) const {
    QString name = base;
    for (int n = 2; find(name); ++n) name = base + QString::number(n);
    return name;
}

void ModelEditor::fillModelList() {
    models_->clear();
    for (const auto& m : builtins_) {
        const QString name = QString::fromStdString(m.name);
        models_->addItem(name + " (built-in)", name);
    }
    for (const auto& m : project_) models_->addItem(QString::fromStdString(m.name), QString::fromStdString(m.name));
    if (current_.isEmpty()) models_->addItem("New model (not applied)", QString());
    models_->setCurrentIndex(models_->findData(current_));
    delete_->setEnabled(!builtin_ && !current_.isEmpty());
    duplicate_->setEnabled(!applied_.spikeSource);
    duplicate_->setToolTip(applied_.spikeSource ? "A spike source has no code to edit"
                                                : "A new model with this one's tables and code, to change and apply");
}

void ModelEditor::load(const NeuronModelDeclaration& model) {
    loading_ = true;
    name_->setText(QString::fromStdString(model.name));
    description_->setPlainText(QString::fromStdString(model.description));
    parameters_->setParams(model.parameters);
    state_->setParams(model.state);
    derived_->setDerived(model.derived);
    presets_ = model.presets;
    sim_->setPlainText(QString::fromStdString(model.sim));
    threshold_->setPlainText(QString::fromStdString(model.threshold));
    reset_->setPlainText(QString::fromStdString(model.reset));
    refreshChoices();
    voltage_->setCurrentIndex(voltage_->findData(QString::fromStdString(model.voltage)));
    thresholdParameter_->setCurrentIndex(thresholdParameter_->findData(QString::fromStdString(model.thresholdParameter)));
    setEditable(!builtin_ && !model.spikeSource);
    loading_ = false;
}

// A renamed parameter keeps its preset values; a renamed row keeps its choice as voltage or
// threshold parameter.
void ModelEditor::rowRenamed(ModelTable* table, const QString& before, const QString& after) {
    if (table == parameters_)
        for (auto& preset : presets_)
            if (const auto node = preset.values.extract(before.toStdString())) {
                preset.values[after.toStdString()] = node.mapped();
            }
    QComboBox* combo = table == state_ ? voltage_ : table == parameters_ ? thresholdParameter_ : nullptr;
    const bool follow = combo && !before.isEmpty() && combo->currentData().toString() == before;
    refreshChoices();
    if (follow) combo->setCurrentIndex(std::max(0, combo->findData(after)));
}

// The voltage and threshold parameter choices from the tables (a choice whose row went away
// becomes "(none)"), and the names the code fields highlight.
void ModelEditor::refreshChoices() {
    const auto fill = [](QComboBox* combo, const QStringList& names) {
        const QString chosen = combo->currentData().toString();
        combo->clear();
        combo->addItem("(none)", QString());
        for (const QString& name : names)
            if (!name.isEmpty() && combo->findData(name) < 0) combo->addItem(name, name);
        combo->setCurrentIndex(std::max(0, combo->findData(chosen)));
    };
    fill(voltage_, state_->names());
    fill(thresholdParameter_, parameters_->names());
    const QStringList names = parameters_->names() + derived_->names() + state_->names();
    for (auto* edit : {sim_, threshold_, reset_}) edit->setModelNames(names);
}

void ModelEditor::setEditable(bool editable) {
    name_->setReadOnly(!editable);
    description_->setReadOnly(!editable);
    for (auto* table : {parameters_, derived_, state_}) table->setEditable(editable);
    for (auto* button : rowButtons_) button->setEnabled(editable);
    for (auto* edit : {sim_, threshold_, reset_}) edit->setReadOnly(!editable);
    voltage_->setEnabled(editable);
    thresholdParameter_->setEnabled(editable);
}

void ModelEditor::scheduleCheck() {
    if (loading_) return;
    apply_->setEnabled(false);  // until the check says the draft is valid
    checkTimer_->start();
}

void ModelEditor::setCheckDelay(int ms) {
    checkTimer_->setInterval(ms);
}

QString ModelEditor::status() const {
    return status_->text();
}

void ModelEditor::showStatus(const QString& message, bool error) {
    status_->setText(message);
    QPalette palette = status_->palette();
    palette.setColor(QPalette::WindowText, error ? theme::error : theme::text);
    status_->setPalette(palette);
}

NeuronModelDeclaration ModelEditor::buildDraft(QString* error) const {
    NeuronModelDeclaration m;
    m.name = name_->text().toStdString();
    m.description = description_->toPlainText().toStdString();
    m.parameters = parameters_->params(error);
    m.derived = derived_->derived(error);
    m.state = state_->params(error);
    m.sim = sim_->toPlainText().toStdString();
    m.threshold = threshold_->toPlainText().toStdString();
    m.reset = reset_->toPlainText().toStdString();
    m.voltage = voltage_->currentData().toString().toStdString();
    m.thresholdParameter = thresholdParameter_->currentData().toString().toStdString();
    m.spikeSource = applied_.spikeSource;
    m.presets = presets_;
    return m;
}

NeuronModelDeclaration ModelEditor::draft() const {
    return buildDraft(nullptr);
}

bool ModelEditor::hasUnappliedChanges() const {
    return current_.isEmpty() || draft() != applied_;
}

// Refuses the name of a built-in and of the project's other models.
QString ModelEditor::nameClash(const std::string& name) const {
    if (name.empty() || name.size() > kMaxModelName)
        return "the model needs a name of 1 to " + QString::number(int(kMaxModelName)) + " characters";
    for (const auto& b : builtins_)
        if (b.name == name && !builtin_)
            return quoted(QString::fromStdString(name)) + " is a built-in model's name; give this model another";
    for (const auto& p : project_)
        if (p.name == name && QString::fromStdString(name) != current_)
            return "the project has another model named " + quoted(QString::fromStdString(name));
    return {};
}

void ModelEditor::checkNow() {
    checkTimer_->stop();
    for (auto* edit : {sim_, threshold_, reset_}) edit->clearError();
    derived_->clearMarks();
    QString tableError;
    const NeuronModelDeclaration m = buildDraft(&tableError);
    QString error;
    try {
        if (!m.spikeSource) lang::checkNeuronModel(m.code());
        checkDeclaration(m);
    } catch (const lang::CodeError& e) {
        error = markCodeError(e);
    } catch (const Error& e) {
        error = QString::fromStdString(e.what());
    }
    if (error.isEmpty()) error = tableError;
    if (error.isEmpty()) error = nameClash(m.name);
    const bool changed = hasUnappliedChanges();
    apply_->setEnabled(error.isEmpty() && !builtin_ && changed);
    if (!error.isEmpty()) showStatus(error, true);
    else if (builtin_) showStatus("A built-in model is read-only: Duplicate to edit makes a copy to change.", false);
    else if (changed) showStatus("No errors: Apply puts the model into the project.", false);
    else showStatus("No errors.", false);
}

// Underlines a code error in its field (or marks its derived parameter's expression) and
// returns the message for the status line.
QString ModelEditor::markCodeError(const lang::CodeError& e) {
    const QString where = QString::fromStdString(e.where());
    const QString message = (where.isEmpty() ? QString() : where + ", ") + "line " + QString::number(e.line()) +
                            ", col " + QString::number(e.column()) + ": " + QString::fromStdString(e.message());
    if (where == "sim code") sim_->markError(e.line(), e.column(), message);
    else if (where == "threshold condition") threshold_->markError(e.line(), e.column(), message);
    else if (where == "reset code") reset_->markError(e.line(), e.column(), message);
    const QString derivedPrefix = "derived parameter \"";
    if (where.startsWith(derivedPrefix)) derived_->markRow(where.mid(derivedPrefix.size()).chopped(1), message);
    return message;
}

void ModelEditor::apply() {
    checkNow();
    if (!apply_->isEnabled()) return;
    emit applyRequested(current_, draft());
}

} // namespace spikelab::ui
