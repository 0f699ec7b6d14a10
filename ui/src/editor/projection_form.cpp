#include "projection_form.h"

#include "parameter_panel.h"
#include "theme.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace spikelab::ui {

namespace {

constexpr int kSeedWidth = 112; // as wide as the parameter spin boxes

bool trained(const WeightSpec& weights) {
    return weights.type == WeightInitType::Inline || weights.type == WeightInitType::Npy;
}

// A spin box for a number the engine checks, any value accepted so the check can refuse it;
// the arrows step by `step`.
QAbstractSpinBox* numberBox(const QString& toolTip, double step) {
    auto* spin = static_cast<QDoubleSpinBox*>(makeParameterSpinBox(ParamInfo{}));
    spin->setSingleStep(step);
    spin->setToolTip(toolTip);
    return spin;
}

// Seeds are 64-bit: 19 digits always fit.
QLineEdit* seedEdit(const QString& toolTip) {
    auto* edit = new QLineEdit;
    edit->setValidator(new QRegularExpressionValidator(QRegularExpression("\\d{1,19}"), edit));
    edit->setFixedWidth(kSeedWidth);
    edit->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    edit->setToolTip(toolTip);
    return edit;
}

std::uint64_t seedOf(const QLineEdit* edit, std::uint64_t fallback) {
    bool ok = false;
    const qulonglong seed = edit->text().toULongLong(&ok);
    return ok ? seed : fallback;
}

void onValue(QAbstractSpinBox* spin, QObject* context, const std::function<void(double)>& f) {
    if (auto* s = qobject_cast<QSpinBox*>(spin))
        QObject::connect(s, &QSpinBox::valueChanged, context, [f](int v) { f(v); });
    else
        QObject::connect(static_cast<QDoubleSpinBox*>(spin), &QDoubleSpinBox::valueChanged, context,
                         f);
}

void selectData(QComboBox* combo, int data) {
    combo->setCurrentIndex(combo->findData(data));
}

using Choices = std::vector<std::pair<QString, int>>;

// Replaces the items only when they differ, so a combo box is not cleared while it reports
// its own change.
void setItems(QComboBox* combo, const Choices& choices) {
    Choices have;
    for (int i = 0; i < combo->count(); ++i)
        have.emplace_back(combo->itemText(i), combo->itemData(i).toInt());
    if (have == choices) return;
    const QSignalBlocker blocker(combo);
    combo->clear();
    for (const auto& [text, data] : choices) combo->addItem(text, data);
}

} // namespace

QLabel* makeSectionTitle(const QString& text) {
    auto* title = new QLabel(text);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    title->setContentsMargins(0, 8, 0, 2);
    return title;
}

QLabel* makeRefusalLabel() {
    auto* label = new QLabel;
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, theme::error);
    label->setPalette(palette);
    label->hide();
    return label;
}

void showRefusal(QLabel* label, const QString& reason) {
    label->setText(reason);
    label->setVisible(!reason.isEmpty());
}

void alignFormLabels(QWidget* root) {
    std::vector<QWidget*> labels;
    for (auto* form : root->findChildren<QFormLayout*>())
        for (int row = 0; row < form->rowCount(); ++row)
            if (auto* item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
                labels.push_back(item->widget());
    int width = 0;
    for (auto* label : labels)
        width = std::max({width, label->sizeHint().width(), label->minimumWidth()});
    for (auto* label : labels) label->setMinimumWidth(width);
}

ProjectionForm::ProjectionForm(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (Section s : {Connectivity, Weights, Synapse}) {
        static const char* const titles[] = {"Connectivity", "Weights", "Synapse"};
        layout->addWidget(makeSectionTitle(titles[s]));
        forms_[s] = new QFormLayout;
        forms_[s]->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        forms_[s]->setVerticalSpacing(4);
        layout->addLayout(forms_[s]);
        problems_[s] = makeRefusalLabel();
        layout->addWidget(problems_[s]);
    }

    connectivity_ = new QComboBox;
    connectivity_->setToolTip("which source neurons connect to which target neurons");
    probability_ = numberBox("chance that each source–target pair is connected", 0.05);
    connectivitySeed_ = seedEdit("random stream that draws the connections");
    addRow(Connectivity, "Type", "connectivity", connectivity_);
    addRow(Connectivity, "Probability", "probability", probability_);
    addRow(Connectivity, "Seed", "connectivity_seed", connectivitySeed_);

    weights_ = new QComboBox;
    weights_->setToolTip("how the weights are initialised when the network is built");
    value_ = numberBox("the weight of every synapse", 0.1);
    low_ = numberBox("weights are drawn uniformly between low and high", 0.1);
    high_ = numberBox("weights are drawn uniformly between low and high", 0.1);
    mean_ = numberBox("mean of the normally distributed weights", 0.1);
    sd_ = numberBox("standard deviation of the normally distributed weights", 0.01);
    weightSeed_ = seedEdit("random stream that draws the weights");
    addRow(Weights, "Type", "weights", weights_);
    addRow(Weights, "Value", "weight_value", value_);
    addRow(Weights, "Low", "weight_low", low_);
    addRow(Weights, "High", "weight_high", high_);
    addRow(Weights, "Mean", "weight_mean", mean_);
    addRow(Weights, "SD", "weight_sd", sd_);
    addRow(Weights, "Seed", "weight_seed", weightSeed_);

    postsynaptic_ = new QComboBox;
    for (const auto& model : postsynapticModels()) {
        postsynaptic_->addItem(QString::fromStdString(model.name),
                               QString::fromStdString(model.name));
        postsynaptic_->setItemData(postsynaptic_->count() - 1,
                                   QString::fromStdString(model.description), Qt::ToolTipRole);
    }
    postsynaptic_->setToolTip("how arriving weights become the target's input current");
    ParamInfo delay;
    delay.unit = "steps";
    delay.min = 0.0;
    delay.integer = true;
    delay_ = makeParameterSpinBox(delay);
    delay_->setToolTip("steps a spike waits beyond the one-step transmission: a spike of step t "
                       "arrives at step t + 1 + delay");
    addRow(Synapse, "Postsynaptic", "postsynaptic", postsynaptic_);
    addRow(Synapse, "Delay", "delay_steps", delay_);

    const auto connectivityEdit = [this] {
        edit([this](ProjectionSpec& j) {
            j.connectivity = connectivityShown();
            if (trained(original_.weights) && j.weights == original_.weights &&
                j.connectivity != original_.connectivity) {
                WeightSpec glorot;
                glorot.type = WeightInitType::Glorot;
                glorot.seed = original_.weights.seed;
                j.weights = glorot;
            }
        });
    };
    const auto weightsEdit = [this] {
        edit([this](ProjectionSpec& j) { j.weights = weightsShown(); });
    };
    connect(connectivity_, &QComboBox::currentIndexChanged, this, connectivityEdit);
    onValue(probability_, this, [connectivityEdit](double) { connectivityEdit(); });
    connect(connectivitySeed_, &QLineEdit::editingFinished, this, connectivityEdit);
    connect(weights_, &QComboBox::currentIndexChanged, this, weightsEdit);
    for (auto* spin : {value_, low_, high_, mean_, sd_})
        onValue(spin, this, [weightsEdit](double) { weightsEdit(); });
    connect(weightSeed_, &QLineEdit::editingFinished, this, weightsEdit);
    connect(postsynaptic_, &QComboBox::currentIndexChanged, this, [this] {
        edit([this](ProjectionSpec& j) {
            j.postsynaptic = {postsynaptic_->currentText().toStdString(), {}};
        });
    });
    onValue(delay_, this, [this](double steps) {
        edit([steps](ProjectionSpec& j) { j.delaySteps = std::int64_t(steps); });
    });
    alignFormLabels(this);
}

void ProjectionForm::addRow(Section section, const QString& label, const QString& key,
                            QWidget* editor, int row) {
    auto* name = new QLabel(label);
    name->setToolTip(editor->toolTip());
    forms_[section]->insertRow(row, name, editor);
    fields_[key] = {section, editor};
}

void ProjectionForm::setProjection(const ProjectionSpec& projection, const NetworkSpec& network) {
    std::vector<PopulationSpec> endpoints;
    for (const auto& name : {projection.source, projection.target})
        if (const auto* p = network.findPopulation(name);
            p && (endpoints.empty() || endpoints.front().name != name))
            endpoints.push_back(*p);
    if (projection == original_ && endpoints == endpoints_.populations) return;
    original_ = projection;
    endpoints_.populations = std::move(endpoints);
    revert();
}

void ProjectionForm::revert() {
    edited_ = original_;
    Choices connectivities = {{"all to all (dense)", int(ConnectivityType::Dense)},
                              {"one to one", int(ConnectivityType::OneToOne)},
                              {"fixed probability", int(ConnectivityType::FixedProbability)}};
    if (original_.connectivity.type == ConnectivityType::Sparse)
        connectivities.emplace_back(
            QString("explicit list of %1 synapses").arg(original_.connectivity.pre.size()),
            int(ConnectivityType::Sparse));
    setItems(connectivity_, connectivities);

    Choices inits = {{"constant", int(WeightInitType::Constant)},
                     {"uniform", int(WeightInitType::Uniform)},
                     {"normal", int(WeightInitType::Normal)},
                     {"Glorot uniform", int(WeightInitType::Glorot)}};
    const WeightSpec& w = original_.weights;
    if (w.type == WeightInitType::Inline)
        inits.emplace_back(QString("trained: %1 values").arg(w.values.size()), int(w.type));
    if (w.type == WeightInitType::Npy)
        inits.emplace_back("file " + QString::fromStdString(w.file), int(w.type));
    setItems(weights_, inits);
    weights_->setItemData(3, "uniform within ±sqrt(6 / (source size + target size))",
                          Qt::ToolTipRole);
    showProjection();
    check();
}

ConnectivitySpec ProjectionForm::connectivityShown() const {
    const auto type = ConnectivityType(connectivity_->currentData().toInt());
    if (type == ConnectivityType::Sparse) return original_.connectivity;
    ConnectivitySpec c;
    c.type = type;
    if (type == ConnectivityType::FixedProbability) {
        c.probability = spinBoxValue(probability_);
        c.seed = seedOf(connectivitySeed_, edited_.connectivity.seed);
    }
    return c;
}

WeightSpec ProjectionForm::weightsShown() const {
    const auto type = WeightInitType(weights_->currentData().toInt());
    if (type == WeightInitType::Inline || type == WeightInitType::Npy) return original_.weights;
    WeightSpec w;
    w.type = type;
    switch (type) {
    case WeightInitType::Constant:
        w.value = spinBoxValue(value_);
        break;
    case WeightInitType::Uniform:
        w.low = spinBoxValue(low_);
        w.high = spinBoxValue(high_);
        break;
    case WeightInitType::Normal:
        w.mean = spinBoxValue(mean_);
        w.sd = spinBoxValue(sd_);
        break;
    default:
        break;
    }
    if (type != WeightInitType::Constant) w.seed = seedOf(weightSeed_, edited_.weights.seed);
    return w;
}

void ProjectionForm::showProjection() {
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QObject* editor : std::initializer_list<QObject*>{
             connectivity_, probability_, connectivitySeed_, weights_, value_, low_, high_, mean_,
             sd_, weightSeed_, postsynaptic_, delay_})
        blockers.push_back(std::make_unique<QSignalBlocker>(editor));
    const ConnectivitySpec& c = edited_.connectivity;
    selectData(connectivity_, int(c.type));
    setSpinBoxValue(probability_, c.probability);
    connectivitySeed_->setText(QString::number(c.seed));
    const WeightSpec& w = edited_.weights;
    selectData(weights_, int(w.type));
    setSpinBoxValue(value_, w.value);
    setSpinBoxValue(low_, w.low);
    setSpinBoxValue(high_, w.high);
    setSpinBoxValue(mean_, w.mean);
    setSpinBoxValue(sd_, w.sd);
    weightSeed_->setText(QString::number(w.seed));
    postsynaptic_->setCurrentText(QString::fromStdString(edited_.postsynaptic.model));
    setSpinBoxValue(delay_, double(edited_.delaySteps));
    showPostsynaptic();
    showRows();
}

// The parameter rows of the postsynaptic model, between its combo box and the delay; rebuilt
// only when the model changes, so an edited spin box is never replaced by its own edit.
void ProjectionForm::showPostsynaptic() {
    const SynapseModelRef& model = edited_.postsynaptic;
    const auto* info = [&]() -> const PostsynapticModelInfo* {
        for (const auto& m : postsynapticModels())
            if (m.name == model.model) return &m;
        return nullptr;
    }();
    if (model.model != shownModel_) {
        for (const auto& [name, spin] : parameterSpins_) {
            fields_.erase(QString::fromStdString(name));
            forms_[Synapse]->removeRow(spin);
        }
        parameterSpins_.clear();
        shownModel_ = model.model;
        for (int i = 0; info && i < int(info->params.size()); ++i) {
            const ParamInfo& param = info->params[std::size_t(i)];
            auto* spin = makeParameterSpinBox(param);
            spin->setToolTip(parameterToolTip(param));
            const QString key = QString::fromStdString(param.name);
            addRow(Synapse, key, key, spin, 1 + i); // after the model's combo box
            parameterSpins_[param.name] = spin;
            onValue(spin, this, [this, name = param.name](double value) {
                edit([&](ProjectionSpec& j) { j.postsynaptic.params[name] = value; });
            });
        }
        alignFormLabels(this);
    }
    for (const auto& [name, spin] : parameterSpins_) {
        const QSignalBlocker blocker(spin);
        const auto given = model.params.find(name);
        setSpinBoxValue(spin, given != model.params.end()
                                  ? given->second
                                  : findParam(info->params, name)->defaultValue);
    }
}

void ProjectionForm::showRows() {
    const auto c = edited_.connectivity.type;
    const auto w = edited_.weights.type;
    const bool random =
        w == WeightInitType::Uniform || w == WeightInitType::Normal || w == WeightInitType::Glorot;
    forms_[Connectivity]->setRowVisible(probability_, c == ConnectivityType::FixedProbability);
    forms_[Connectivity]->setRowVisible(connectivitySeed_, c == ConnectivityType::FixedProbability);
    forms_[Weights]->setRowVisible(value_, w == WeightInitType::Constant);
    forms_[Weights]->setRowVisible(low_, w == WeightInitType::Uniform);
    forms_[Weights]->setRowVisible(high_, w == WeightInitType::Uniform);
    forms_[Weights]->setRowVisible(mean_, w == WeightInitType::Normal);
    forms_[Weights]->setRowVisible(sd_, w == WeightInitType::Normal);
    forms_[Weights]->setRowVisible(weightSeed_, random);
}

void ProjectionForm::edit(const std::function<void(ProjectionSpec&)>& change) {
    const ProjectionSpec before = edited_;
    change(edited_);
    if (edited_ == before) return;
    showProjection();
    check();
    emit changed();
}

// Checks the sections in order, each on top of the ones before, against a network of just the
// two populations; the first refusal is the problem, shown under its section.
void ProjectionForm::check() {
    NetworkSpec trial = endpoints_;
    std::string name = "projection";
    while (trial.findPopulation(name)) name += "_";
    ProjectionSpec& j = trial.projections.emplace_back();
    j.name = name;
    j.source = edited_.source;
    j.target = edited_.target;
    const std::string prefix = "projection " + quote(name) + ": ";
    const std::function<void()> steps[] = {[&] { j.connectivity = edited_.connectivity; },
                                           [&] { j.weights = edited_.weights; },
                                           [&] {
                                               j.postsynaptic = edited_.postsynaptic;
                                               j.delaySteps = edited_.delaySteps;
                                           }};
    problem_.clear();
    for (Section s : {Connectivity, Weights, Synapse}) {
        steps[s]();
        try {
            validate(trial);
        } catch (const Error& e) {
            std::string message = e.what();
            if (message.starts_with(prefix)) message.erase(0, prefix.size());
            problem_ = QString::fromStdString(message);
            problemSection_ = s;
            break;
        }
    }
    for (Section s : {Connectivity, Weights, Synapse})
        showRefusal(problems_[s], s == problemSection_ ? problem_ : QString());
}

QWidget* ProjectionForm::field(const QString& key) const {
    const auto it = fields_.find(key);
    return it == fields_.end() ? nullptr : it->second.second;
}

QString ProjectionForm::refusal(const QString& key) const {
    const auto it = fields_.find(key);
    return it != fields_.end() && it->second.first == problemSection_ ? problem_ : QString();
}

ProjectionDialog::ProjectionDialog(const NetworkSpec& network, const QString& source,
                                   const QString& target, const QString& suggestedName,
                                   QWidget* parent)
    : QDialog(parent) {
    setWindowTitle("New projection");
    names_.populations = network.populations;
    names_.inputs = network.inputs;
    names_.experiment = network.experiment;
    for (const auto& j : network.projections) {
        ProjectionSpec& stub = names_.projections.emplace_back();
        stub.name = j.name;
        stub.source = j.source;
        stub.target = j.target;
    }

    auto* layout = new QVBoxLayout(this);
    auto* heading = makeSectionTitle(source + " → " + target);
    heading->setContentsMargins(0, 0, 0, 4);
    layout->addWidget(heading);
    auto* nameForm = new QFormLayout;
    auto* nameBox = new QWidget;
    auto* nameLayout = new QVBoxLayout(nameBox);
    nameLayout->setContentsMargins(0, 0, 0, 0);
    name_ = new QLineEdit(suggestedName);
    nameProblem_ = makeRefusalLabel();
    nameLayout->addWidget(name_);
    nameLayout->addWidget(nameProblem_);
    nameForm->addRow("Name", nameBox);
    layout->addLayout(nameForm);

    ProjectionSpec projection;
    projection.name = suggestedName.toStdString();
    projection.source = source.toStdString();
    projection.target = target.toStdString();
    projection.weights.type = WeightInitType::Constant;
    projection.weights.value = 1.0;
    form_ = new ProjectionForm;
    form_->setProjection(projection, names_);
    layout->addWidget(form_);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    layout->addWidget(buttons);
    alignFormLabels(this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(name_, &QLineEdit::textChanged, this, &ProjectionDialog::check);
    connect(form_, &ProjectionForm::changed, this, &ProjectionDialog::check);
    setMinimumWidth(360);
    check();
}

ProjectionSpec ProjectionDialog::result() const {
    ProjectionSpec projection = form_->projection();
    projection.name = name_->text().toStdString();
    return projection;
}

QString ProjectionDialog::problem() const {
    return nameProblem_->text().isEmpty() ? form_->problem() : nameProblem_->text();
}

// The name against every other item's, as the engine checks names.
void ProjectionDialog::check() {
    NetworkSpec trial = names_;
    ProjectionSpec& stub = trial.projections.emplace_back();
    stub.name = name_->text().toStdString();
    stub.source = form_->projection().source;
    stub.target = form_->projection().target;
    QString problem;
    try {
        validate(trial);
    } catch (const Error& e) {
        problem = QString::fromStdString(e.what());
    }
    showRefusal(nameProblem_, problem);
    ok_->setEnabled(problem.isEmpty() && form_->isValid());
}

} // namespace spikelab::ui
