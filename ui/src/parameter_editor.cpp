#include "parameter_editor.h"

#include "parameter_panel.h"

#include <QUndoStack>

namespace spikelab::ui {

ParameterEditor::ParameterEditor(ParameterPanel* panel, QUndoStack* stack, QObject* parent)
    : QObject(parent), panel_(panel), stack_(stack) {
    connect(panel, &ParameterPanel::parameterEdited, this, &ParameterEditor::edited);
    spec_ = panel->spec();
}

void ParameterEditor::setSpec(const NetworkSpec& spec) {
    spec_ = spec;
    if (panel_) panel_->setSpec(spec_);
}

void ParameterEditor::edited(const ParameterChange& change, int interaction) {
    const double old = parameterValue(spec_, change.item, change.param);
    if (old == change.value || !stack_) return;
    stack_->push(new ParameterCommand(this, change, old, interaction));
}

void ParameterEditor::apply(const ParameterChange& change) {
    applyParameterChange(spec_, change);
    if (panel_) panel_->setValue(change.item, change.param, change.value);
    emit parameterChanged(change);
}

ParameterCommand::ParameterCommand(ParameterEditor* editor, ParameterChange change, double oldValue,
                                   int interaction)
    : editor_(editor), change_(std::move(change)), oldValue_(oldValue), interaction_(interaction) {
    updateText();
}

int ParameterCommand::id() const {
    return 0x5041524d; // "PARM": every ParameterCommand; mergeWith tells them apart
}

bool ParameterCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = static_cast<const ParameterCommand*>(other);
    if (next->change_.item != change_.item || next->change_.param != change_.param ||
        next->interaction_ != interaction_)
        return false;
    change_.value = next->change_.value;
    setObsolete(change_.value == oldValue_);
    updateText();
    return true;
}

void ParameterCommand::redo() {
    editor_->apply(change_);
}

void ParameterCommand::undo() {
    editor_->apply({change_.item, change_.param, oldValue_});
}

void ParameterCommand::updateText() {
    setText(QString::fromStdString(change_.item + "." + change_.param) + " " +
            QString::number(oldValue_, 'g', 12) + " → " + QString::number(change_.value, 'g', 12));
}

} // namespace spikelab::ui
