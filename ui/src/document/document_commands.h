#pragma once
// The undo commands of a Document. Every command stores the whole spec before and after its
// edit (shared, so consecutive commands hold one copy of the state between them): undo and
// redo are exact by construction, and Save As can rebase every stored state's relative paths.
// Two commands merge: a parameter set during one panel interaction (a slider drag) and nodes
// moved during one canvas interaction (a drag of several selected nodes). A merge that ends in
// the state it began with makes the command obsolete, so the stack drops it.
//
// Commands never touch views: they hand their state to the Document, which emits changed().
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QUndoCommand>

#include <functional>
#include <memory>

namespace spikelab::ui {

class Document;

using SpecState = std::shared_ptr<const NetworkSpec>;

class SpecCommand : public QUndoCommand {
public:
    SpecCommand(Document* document, const QString& text, SpecState before, SpecState after);

    void redo() override;
    void undo() override;

    const SpecState& before() const { return before_; }
    const SpecState& after() const { return after_; }
    // Replaces both states by `rebase(state)` (Save As into another folder).
    void rebase(const std::function<SpecState(const SpecState&)>& rebase);

protected:
    Document* document_;
    SpecState before_, after_;
};

// item.param from one value to another; merges within one interaction of the same parameter.
// Undo and redo also report the value through Document::parameterChanged.
class ParameterCommand : public SpecCommand {
public:
    ParameterCommand(Document* document, ParameterChange change, double oldValue, int interaction,
                     SpecState before, SpecState after);

    int id() const override { return 0x5041524d; } // "PARM"
    bool mergeWith(const QUndoCommand* other) override;
    void redo() override;
    void undo() override;

private:
    void updateText();

    ParameterChange change_; // its value is the new value
    double oldValue_;
    int interaction_;
};

// Canvas positions of one or more nodes; merges within one drag interaction.
class MoveNodesCommand : public SpecCommand {
public:
    MoveNodesCommand(Document* document, int nodeCount, int interaction, SpecState before,
                     SpecState after);

    int id() const override { return 0x4d4f5645; } // "MOVE"
    bool mergeWith(const QUndoCommand* other) override;

private:
    int interaction_;
};

} // namespace spikelab::ui
