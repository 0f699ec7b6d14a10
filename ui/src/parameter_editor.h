#pragma once
// ParameterEditor ties a ParameterPanel to an undo stack: it owns the current NetworkSpec,
// turns each edit of the panel into a ParameterCommand, and when a command is done or undone
// applies its value to the spec and the panel and emits parameterChanged, which the window
// forwards to the running simulation. A slider drag merges into a single undo step.
//
// The editor does not clear the stack: its commands name items of the spec they were made
// for, so whoever loads a new project clears the stack before calling setSpec. The stack must
// not outlive the editor (its commands call back into it).
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QObject>
#include <QPointer>
#include <QUndoCommand>

class QUndoStack;

namespace spikelab::ui {

class ParameterPanel;

class ParameterEditor : public QObject {
    Q_OBJECT
public:
    ParameterEditor(ParameterPanel* panel, QUndoStack* stack, QObject* parent = nullptr);

    // Takes `spec` as the current one and rebuilds the panel from it.
    void setSpec(const NetworkSpec& spec);
    const NetworkSpec& spec() const { return spec_; }

signals:
    void parameterChanged(const spikelab::ParameterChange& change);

private:
    friend class ParameterCommand;
    void edited(const ParameterChange& change, int interaction);
    // Applies a value a command holds: spec, panel, then parameterChanged.
    void apply(const ParameterChange& change);

    QPointer<ParameterPanel> panel_;
    QPointer<QUndoStack> stack_;
    NetworkSpec spec_;
};

// Sets item.param from one value to another. Commands of the same parameter and the same
// panel interaction (one slider drag) merge; a merge that ends where it began removes itself.
class ParameterCommand : public QUndoCommand {
public:
    ParameterCommand(ParameterEditor* editor, ParameterChange change, double oldValue,
                     int interaction);

    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;
    void redo() override;
    void undo() override;

    const ParameterChange& change() const { return change_; }
    double oldValue() const { return oldValue_; }
    int interaction() const { return interaction_; }

private:
    void updateText();

    ParameterEditor* editor_;
    ParameterChange change_; // its value is the new value
    double oldValue_;
    int interaction_;
};

} // namespace spikelab::ui
