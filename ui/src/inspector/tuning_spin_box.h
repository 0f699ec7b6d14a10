#pragma once
// A spin box that leaves the window's keys to the window while it shows its committed value.
//
// Tuning is: type a value, press Return, watch, press Space to pause, Ctrl+Z to compare with
// the value before. A focused QLineEdit claims Space (as text) and Ctrl+Z / Ctrl+Shift+Z /
// Ctrl+Y (its own undo) through ShortcutOverride, so right after a commit Space blanked the
// field instead of pausing and Ctrl+Z undid nothing (README, "Parameters"). Here those keys
// reach the window's shortcuts (Run/Pause, the project's undo and redo) unless a value is
// being typed: then the undo keys still undo the typing, and Space, which no number contains,
// goes to the window all the same.
#include <QAbstractSpinBox>
#include <QEvent>
#include <QKeyEvent>
#include <QLineEdit>

namespace spikelab::ui {

// True for the keys of the window's undo and redo actions (MainWindow::buildActions).
inline bool isUndoOrRedoKey(const QKeyEvent& key) {
    const QKeyCombination combo = key.keyCombination();
    return combo == QKeyCombination(Qt::ControlModifier, Qt::Key_Z) ||
           combo == QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_Z) ||
           combo == QKeyCombination(Qt::ControlModifier, Qt::Key_Y);
}

// SpinBox is QSpinBox or QDoubleSpinBox (or a subclass with its own textFromValue).
template <class SpinBox> class TuningSpinBox : public SpinBox {
public:
    using SpinBox::SpinBox;

    // Whether the field shows something other than its committed value (a value being typed).
    bool isTyping() const {
        return this->lineEdit()->text() !=
               this->prefix() + this->textFromValue(this->value()) + this->suffix();
    }

protected:
    bool event(QEvent* event) override {
        if (event->type() == QEvent::ShortcutOverride) {
            const auto& key = static_cast<const QKeyEvent&>(*event);
            const bool space = key.key() == Qt::Key_Space && key.modifiers() == Qt::NoModifier;
            if (space || (isUndoOrRedoKey(key) && !isTyping())) {
                event->ignore(); // not overridden: the shortcut map gets the key
                return true;
            }
        }
        return SpinBox::event(event);
    }
};

} // namespace spikelab::ui
