#pragma once
// The model editor (docs/architecture.md, "The model language"): the neuron models a project
// can use, built-ins first (read-only; "Duplicate to edit" copies one), then the project's own,
// each shown as a draft in fields: name, description, tables of parameters, derived parameters
// and state variables, and the sim code, threshold condition and reset code.
//
// The draft is checked as one types (after a short pause): lang::checkNeuronModel, then
// spikelab::checkDeclaration, then the tables' values and the name against the other models.
// A CodeError is underlined in its code field (or marks its derived parameter's row); every
// error is also written under the fields. Apply is offered only for a valid draft that differs
// from the applied model; it emits applyRequested and changes nothing itself: the project
// changes elsewhere (an undoable document edit) and comes back through setProject.
#include "model_table.h"

#include "spikelab/model_declaration.h"

#include <QMetaType>
#include <QString>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace spikelab {
struct NetworkSpec;
}

namespace spikelab::ui {

class ModelCodeEdit;

class ModelEditor : public QWidget {
    Q_OBJECT
public:
    explicit ModelEditor(QWidget* parent = nullptr);

    // The models this project can use: built-ins first (read-only), then the project's own.
    // Keeps the selection when the selected model still exists; an unapplied draft of the
    // selected model is kept too (a project change elsewhere must not throw away typing). A
    // draft that was applied under a new name (a new model, a rename) follows that name.
    void setProject(const spikelab::NetworkSpec& spec);
    // Shows the model `name` (a built-in or the project's), dropping the draft shown; an
    // unknown name changes nothing.
    void selectModel(const QString& name);
    // The model shown; empty for a new model not yet applied.
    QString selectedModel() const { return current_; }
    // The draft shown (what Apply would send), and whether it differs from the applied model
    // (always true for a new model).
    spikelab::NeuronModelDeclaration draft() const;
    bool hasUnappliedChanges() const;

    // Checks the draft now instead of after the typing pause.
    void checkNow();
    // The typing pause before a check, in ms (150 by default).
    void setCheckDelay(int ms);

    // For tests and the integrator: the status under the fields ("" when nothing to say).
    QString status() const;

signals:
    // Apply on a valid draft: the project's model `previousName` (empty for a new model made
    // by "Duplicate to edit" or "New") becomes `model` (its name may differ: a rename).
    void applyRequested(const QString& previousName, const spikelab::NeuronModelDeclaration& model);
    // "Delete" on a project model (never offered for built-ins).
    void removeRequested(const QString& name);

private:
    ModelTable* addTable(QVBoxLayout* layout, const QString& title, ModelTable::Kind kind, const QString& what);
    void fillModelList();
    void load(const NeuronModelDeclaration& model);
    void startNewModel(NeuronModelDeclaration model);
    QString freeName(const QString& base) const;
    void rowRenamed(ModelTable* table, const QString& before, const QString& after);
    void refreshChoices();
    void setEditable(bool editable);
    void scheduleCheck();
    void showStatus(const QString& message, bool error);
    NeuronModelDeclaration buildDraft(QString* error) const;
    QString nameClash(const std::string& name) const;
    QString markCodeError(const lang::CodeError& error);
    void apply();
    const NeuronModelDeclaration* find(const QString& name, bool* builtin = nullptr) const;

    std::vector<NeuronModelDeclaration> builtins_, project_;
    QString current_;                 // the model shown; empty for a new one
    bool builtin_ = false;            // current_ is a built-in (read-only)
    bool shown_ = false;              // setProject has shown a model
    NeuronModelDeclaration applied_;  // the shown model as the project has it (a new one: as started)
    std::vector<ParameterPreset> presets_;  // kept, following renamed and removed parameters
    bool loading_ = false;

    QComboBox* models_;
    QPushButton *duplicate_, *new_, *delete_, *apply_;
    QLineEdit* name_;
    QPlainTextEdit* description_;
    ModelTable *parameters_, *derived_, *state_;
    std::vector<QToolButton*> rowButtons_;
    ModelCodeEdit *sim_, *threshold_, *reset_;
    QComboBox *voltage_, *thresholdParameter_;
    QLabel* status_;
    QTimer* checkTimer_;
};

} // namespace spikelab::ui

// For QSignalSpy and queued connections of applyRequested.
Q_DECLARE_METATYPE(spikelab::NeuronModelDeclaration)
