#include "document_commands.h"

#include "document.h"

namespace spikelab::ui {

SpecCommand::SpecCommand(Document* document, const QString& text, SpecState before, SpecState after)
    : QUndoCommand(text), document_(document), before_(std::move(before)),
      after_(std::move(after)) {}

void SpecCommand::redo() {
    document_->setState(after_);
}

void SpecCommand::undo() {
    document_->setState(before_);
}

void SpecCommand::rebase(const std::function<SpecState(const SpecState&)>& rebase) {
    before_ = rebase(before_);
    after_ = rebase(after_);
}

ParameterCommand::ParameterCommand(Document* document, ParameterChange change, double oldValue,
                                   int interaction, SpecState before, SpecState after)
    : SpecCommand(document, {}, std::move(before), std::move(after)), change_(std::move(change)),
      oldValue_(oldValue), interaction_(interaction) {
    updateText();
}

bool ParameterCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const ParameterCommand*>(other);
    if (next->change_.item != change_.item || next->change_.param != change_.param ||
        next->interaction_ != interaction_)
        return false;
    change_.value = next->change_.value;
    after_ = next->after_;
    setObsolete(*after_ == *before_);
    updateText();
    return true;
}

// The value is reported before the state changes, so that whoever follows changed() (the
// window deciding whether to rebuild the simulation) already knows it was patched.
void ParameterCommand::redo() {
    document_->reportParameter(change_);
    SpecCommand::redo();
}

void ParameterCommand::undo() {
    document_->reportParameter({change_.item, change_.param, oldValue_});
    SpecCommand::undo();
}

void ParameterCommand::updateText() {
    setText(QString::fromStdString(change_.item + "." + change_.param) + " " +
            QString::number(oldValue_, 'g', 12) + " → " + QString::number(change_.value, 'g', 12));
}

MoveNodesCommand::MoveNodesCommand(Document* document, int nodeCount, int interaction,
                                   SpecState before, SpecState after)
    : SpecCommand(document,
                  nodeCount == 1 ? QString("Move 1 node") : QString("Move %1 nodes").arg(nodeCount),
                  std::move(before), std::move(after)),
      interaction_(interaction) {}

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const MoveNodesCommand*>(other);
    if (next->interaction_ != interaction_) return false;
    after_ = next->after_;
    setObsolete(*after_ == *before_);
    return true;
}

} // namespace spikelab::ui
