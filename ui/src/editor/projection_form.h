#pragma once
// ProjectionForm edits everything of a projection but its name and endpoints: connectivity,
// weight initialisation, postsynaptic model (its parameters generated from the model's table)
// and delay. Each edit updates projection() and emits changed(); the result is checked with
// the engine's validate() against the two populations it connects, and the first problem is
// shown in red under the section at fault (problem() gives it, without the projection's name,
// which the form does not edit).
//
// What the form cannot re-enter (an explicit synapse list, trained inline or .npy weights) is
// one read-only entry of its combo box, kept as it is unless another entry is picked. Trained
// weights fit one connectivity: changing the connectivity switches them to Glorot weights with
// their seed, as Document does, so the form shows what the edit will make.
//
// ProjectionDialog asks for a new projection SOURCE → TARGET: a name, then the form.
#include "spikelab/network.h"

#include <QDialog>
#include <QString>
#include <QWidget>

#include <functional>
#include <map>
#include <string>

class QAbstractSpinBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace spikelab::ui {

// The look the editor's forms share (this one's and the inspector's): a bold section title,
// a red, word-wrapped reason that hides while empty, and one label column width for every
// QFormLayout under `root` (it only grows, so an embedded form keeps its host's width).
QLabel* makeSectionTitle(const QString& text);
QLabel* makeRefusalLabel();
void showRefusal(QLabel* label, const QString& reason);
void alignFormLabels(QWidget* root);

class ProjectionForm : public QWidget {
    Q_OBJECT
public:
    explicit ProjectionForm(QWidget* parent = nullptr);

    // Shows `projection`, whose source and target populations `network` holds (their sizes
    // decide what fits). Given the projection and populations it already shows, it changes
    // nothing, so an edit in progress and its refusal stay in view.
    void setProjection(const ProjectionSpec& projection, const NetworkSpec& network);
    // Shows the projection last given to setProjection again, dropping every edit.
    void revert();

    // The edited projection; valid between its populations when problem() is empty.
    const ProjectionSpec& projection() const { return edited_; }
    QString problem() const { return problem_; }
    bool isValid() const { return problem_.isEmpty(); }

    // The editor of `key`: "connectivity", "probability", "connectivity_seed", "weights",
    // "weight_value", "weight_low", "weight_high", "weight_mean", "weight_sd", "weight_seed",
    // "postsynaptic", a postsynaptic parameter (e.g. "tau") or "delay_steps"; null if unknown.
    QWidget* field(const QString& key) const;
    // The problem shown under `key`'s section; empty when that section has none.
    QString refusal(const QString& key) const;

signals:
    void changed();

private:
    enum Section { Connectivity, Weights, Synapse, SectionCount };

    QFormLayout* addSection(const QString& title);
    // A row `label`: `editor`, found by field(key); at the end, or at `row`.
    void addRow(Section section, const QString& label, const QString& key, QWidget* editor,
                int row = -1);
    // The connectivity / weights the form's editors describe.
    ConnectivitySpec connectivityShown() const;
    WeightSpec weightsShown() const;
    // Editors from edited_, without signals.
    void showProjection();
    void showPostsynaptic();
    void showRows();
    // Applies a user's edit to edited_, shows and checks the result, emits changed().
    void edit(const std::function<void(ProjectionSpec&)>& change);
    void check();

    ProjectionSpec original_, edited_;
    NetworkSpec endpoints_; // just the source and target populations, for the checks
    QString problem_;
    Section problemSection_ = Connectivity;

    QComboBox* connectivity_ = nullptr;
    QAbstractSpinBox* probability_ = nullptr;
    QLineEdit* connectivitySeed_ = nullptr;
    QComboBox* weights_ = nullptr;
    QAbstractSpinBox *value_ = nullptr, *low_ = nullptr, *high_ = nullptr, *mean_ = nullptr,
                     *sd_ = nullptr;
    QLineEdit* weightSeed_ = nullptr;
    QComboBox* postsynaptic_ = nullptr;
    std::string shownModel_; // the postsynaptic model whose parameter rows are shown
    std::map<std::string, QAbstractSpinBox*> parameterSpins_;
    QAbstractSpinBox* delay_ = nullptr;
    QFormLayout* forms_[SectionCount] = {};
    QLabel* problems_[SectionCount] = {};
    std::map<QString, std::pair<Section, QWidget*>> fields_;
};

class ProjectionDialog : public QDialog {
    Q_OBJECT
public:
    // A new projection from `source` to `target`, populations of `network`, named
    // `suggestedName` unless the user types another. It starts as NEST's default connection:
    // all to all, every weight 1, DeltaCurr, no delay beyond the one-step transmission.
    ProjectionDialog(const NetworkSpec& network, const QString& source, const QString& target,
                     const QString& suggestedName, QWidget* parent = nullptr);

    // The projection to add: the name typed and the form's projection. (QDialog's int
    // result() is QDialog::result().)
    ProjectionSpec result() const;
    // Why OK is disabled: the name's problem, else the form's; empty when OK is enabled.
    QString problem() const;

    QLineEdit* nameEdit() const { return name_; }
    ProjectionForm* form() const { return form_; }
    QPushButton* okButton() const { return ok_; }

private:
    void check();

    NetworkSpec names_; // the network's items with their names and endpoints, for name checks
    QLineEdit* name_ = nullptr;
    QLabel* nameProblem_ = nullptr;
    ProjectionForm* form_ = nullptr;
    QPushButton* ok_ = nullptr;
};

} // namespace spikelab::ui
