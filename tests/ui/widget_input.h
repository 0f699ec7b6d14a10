#pragma once
// Input as a person gives it, for the widget tests: typing into a field, picking a combo box
// entry, finding a slider's handle.
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QtTest>

// Types `text` into a spin box or line edit (replacing what it shows) and presses Return.
inline void typeInto(QWidget* editor, const QString& text) {
    editor->setFocus();
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(editor)) spin->selectAll();
    if (auto* line = qobject_cast<QLineEdit*>(editor)) line->selectAll();
    if (text.isEmpty()) QTest::keyClick(editor, Qt::Key_Delete);
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
}

// Picks the entry with `data` as a click in the combo box's list does; false when none has it.
[[nodiscard]] inline bool choose(QWidget* editor, const QVariant& data) {
    auto* combo = qobject_cast<QComboBox*>(editor);
    const int wanted = combo ? combo->findData(data) : -1;
    if (wanted < 0) return false;
    combo->setCurrentIndex(wanted);
    emit combo->activated(wanted);
    return true;
}

// The centre of a slider's handle, in the slider's coordinates.
inline QPoint handleCentre(QSlider* slider) {
    QStyleOptionSlider option;
    option.initFrom(slider);
    option.orientation = slider->orientation();
    option.minimum = slider->minimum();
    option.maximum = slider->maximum();
    option.sliderPosition = slider->sliderPosition();
    option.sliderValue = slider->value();
    option.upsideDown = slider->invertedAppearance();
    return slider->style()
        ->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, slider)
        .center();
}
