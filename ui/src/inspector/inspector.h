#pragma once
// The inspector: the properties of one item of a Document (a population, a projection or an
// input) or, with nothing selected, the experiment's settings. Neuron and encoder parameters
// are rows of an embedded ParameterPanel (slider and spin box from the model's table, a drag
// is one undo step); a projection's connectivity, weights and synapse are a ProjectionForm.
//
// Every edit goes through the Document's copy-check-commit methods. A refused value stays in
// its field with the reason in red under it and never reaches the Document; a choice (combo
// box, check box) that is refused shows the document's value again, with the reason. An edit
// that would replace trained weights by Glorot weights (a size, an endpoint or a connectivity
// change, see Document::weightsLostBy*) is confirmed first through the confirm hook; a "no"
// changes nothing and the field shows the document's value again.
//
// The inspector follows Document::changed (its own edits, undo, redo, edits elsewhere) by
// showing the new values in the editors it has, so the spin box or slider being edited is
// never destroyed by the change it caused. Its editors are rebuilt only when another item is
// shown or the shown one vanishes (then the experiment is shown); a changed model rebuilds
// just the parameter rows. A rename, here or elsewhere, keeps it on the renamed item.
#include <QString>
#include <QVariant>
#include <QWidget>

#include <functional>
#include <map>
#include <set>
#include <string>

class QComboBox;
class QFormLayout;
class QLabel;
class QScrollArea;
class QSlider;
class QVBoxLayout;

namespace spikelab {
struct NetworkSpec;
struct PopulationSpec;
struct ParameterChange;
} // namespace spikelab

namespace spikelab::ui {

class Document;
class ParameterPanel;
class ProjectionForm;

class Inspector : public QWidget {
    Q_OBJECT
public:
    // `document` outlives the inspector.
    explicit Inspector(Document* document, QWidget* parent = nullptr);

    // Shows the population, projection or input called `name`; an empty or unknown name
    // shows the experiment.
    void setItem(const QString& name);
    // The item shown; empty while the experiment is shown.
    QString item() const { return item_; }

    // The editor of `key` for the item shown, null when it has none:
    //   population: "name", "size", "model", "record_spikes", "readout", each neuron parameter;
    //   projection: "name", "source", "target" and ProjectionForm's keys;
    //   input: "name", "type", "target", each encoder parameter;
    //   experiment: "dt" (a label), "steps_per_sample", "dataset", "split", "readout".
    // A parameter's editor is its spin box; slider() gives its slider.
    QWidget* field(const QString& key) const;
    QSlider* slider(const QString& param) const;
    // Why the last edit of `key` was refused; empty when it was not.
    QString refusal(const QString& key) const;

    // Asked, with a question naming the projections, before an edit replaces trained weights;
    // false cancels the edit. The default asks with a QMessageBox.
    void setConfirm(std::function<bool(const QString& question)> confirm);

    QSize sizeHint() const override { return {340, 600}; }

signals:
    // The shown item was renamed, by this inspector or by an edit or undo elsewhere.
    void itemRenamed(const QString& from, const QString& to);

private:
    enum class Kind { Experiment, Population, Projection, Input };
    struct Field {
        QWidget* editor = nullptr;
        QLabel* refusal = nullptr;
        QVariant shown;                            // the document's value the editor last showed
        std::function<void(const QVariant&)> show; // sets the editor without signals
    };

    static Kind kindOf(const NetworkSpec& spec, const QString& name);
    void follow();
    // The name the shown item has after a rename, empty when the change was not one.
    QString renamedTo(const NetworkSpec& spec) const;
    void rebuild();
    void buildPopulation(QVBoxLayout* layout);
    void buildProjection(QVBoxLayout* layout);
    void buildInput(QVBoxLayout* layout);
    void buildExperiment(QVBoxLayout* layout);
    QFormLayout* addForm(QVBoxLayout* layout, const QString& title);
    // The section of the item's parameter rows (the embedded, filtered ParameterPanel).
    void addParameters(QVBoxLayout* layout);
    // The item the parameter rows belong to: the shown one, or "experiment".
    std::string panelItem() const;
    void addField(QFormLayout* form, const QString& label, const QString& key, QWidget* editor,
                  std::function<void(const QVariant&)> show);
    void addNameField(QFormLayout* form);
    QComboBox* addChoice(QFormLayout* form, const QString& label, const QString& key);
    // Shows the document's values in place.
    void showValues();
    void showParameters(const NetworkSpec& spec);
    // The model's presets for population p, with the one its parameters match selected; the
    // row is hidden for models without presets.
    void showModels(const NetworkSpec& spec);
    void showPresets(const PopulationSpec& p);
    // Shows `value` in `key` when the document's value changed since the field last showed
    // it, and clears the field's refusal; an unchanged value leaves a refused edit in view.
    void sync(const QString& key, const QVariant& value);
    // Shows why the edit of `key` was refused; an empty reason clears it.
    void refuse(const QString& key, const QString& reason);
    // Shows the document's value again (a cancelled or refused choice).
    void revert(const QString& key);
    // Whether an edit (`action`) may go ahead: it replaces no trained weights (`projections`,
    // from Document::weightsLostBy*), the Document would refuse it anyway (`accepted` false: it
    // then says why), or the confirm hook agrees.
    bool confirmLoss(const QStringList& projections, bool accepted, const QString& action);

    void rename(const QString& to);
    void resizePopulation(int size);
    void setEndpoints(const QString& source, const QString& target, const QString& key);
    void formEdited();
    void parameterEdited(const ParameterChange& change, int interaction);
    // Runs `commit`, a Document edit of the choice `key`; a refusal shows the document's value
    // again, with the reason.
    void commitChoice(const QString& key, const std::function<bool(QString*)>& commit);

    Document* document_;
    QString item_;
    Kind kind_ = Kind::Experiment;
    std::size_t index_ = 0;       // of the item in its list (populations, ...)
    std::set<std::string> names_; // every item's name when the inspector last looked
    QScrollArea* scroll_ = nullptr;
    std::map<QString, Field> fields_;
    ParameterPanel* parameters_ = nullptr;
    QLabel* parametersTitle_ = nullptr;
    QFormLayout* populationForm_ = nullptr;
    ProjectionForm* form_ = nullptr;
    QLabel* formRefusal_ = nullptr;
    std::function<bool(const QString&)> confirm_;
};

} // namespace spikelab::ui
