// The model editor driven as a person does: typing code and table cells, clicking its buttons.
// Errors are underlined where the checker points and written under the fields; built-ins are
// read-only and copied by "Duplicate to edit"; Apply and Delete only ask (signals); a project
// change keeps an unapplied draft; everything reads at a dock's width.
#include "model_code_edit.h"
#include "model_editor.h"
#include "model_table.h"
#include "theme.h"
#include "wait_for.h"
#include "widget_input.h"

#include "spikelab/models.h"
#include "spikelab/network.h"

#include <QAbstractButton>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolButton>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

// A project model with a derived parameter and a bounded parameter.
NeuronModelDeclaration leaky() {
    NeuronModelDeclaration m;
    m.name = "Leaky";
    m.description = "leaks towards 0";
    m.parameters.push_back({.name = "Vthr", .unit = "mV", .defaultValue = 1.0, .description = "threshold"});
    m.parameters.push_back({.name = "TauM", .unit = "ms", .defaultValue = 10.0, .min = 0.0, .minInclusive = false,
                            .description = "membrane time constant"});
    m.derived.push_back({"Decay", "exp(-dt / TauM)"});
    m.state.push_back({.name = "V", .unit = "mV", .defaultValue = 0.0, .description = "potential"});
    m.sim = "V = Decay * V + Isyn;";
    m.threshold = "V >= Vthr";
    m.reset = "V = 0;";
    m.voltage = "V";
    m.thresholdParameter = "Vthr";
    return m;
}

NetworkSpec projectWith(std::vector<NeuronModelDeclaration> models) {
    NetworkSpec spec;
    spec.models = std::move(models);
    return spec;
}

const NeuronModelDeclaration& builtin(const std::string& name) {
    return *neuronModel(name, "test").declaration;
}

template <class T> T* part(const ModelEditor& editor, const char* name) {
    T* widget = editor.findChild<T*>(name);
    if (!widget) qFatal("no %s", name);
    return widget;
}

// Replaces the field's text by these lines, typed.
void typeCode(QPlainTextEdit* edit, const QStringList& lines) {
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0) QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, lines[i]);
    }
}

// Double-clicks the cell, types `text` over it and presses Return.
void typeCell(QTableWidget* table, int row, int column, const QString& text) {
    table->scrollToItem(table->item(row, column));
    const QPoint centre = table->visualItemRect(table->item(row, column)).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, centre);
    auto* editor = table->viewport()->findChild<QLineEdit*>();
    QVERIFY(editor);
    QTest::keyClick(editor, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);  // commits once events are processed
    QVERIFY(waitFor([&] { return table->item(row, column)->text() == text; }, 3000));
}

void click(QAbstractButton* button) {
    QTest::mouseClick(button, Qt::LeftButton);
}

bool underlined(const QPlainTextEdit* edit) {
    return !edit->extraSelections().isEmpty();
}

void showEditor(ModelEditor& editor) {
    editor.resize(420, 700);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
}

// The editor on the project model Leaky, checked at once after each change, on screen.
void showLeaky(ModelEditor& editor) {
    editor.setCheckDelay(0);
    editor.setProject(projectWith({leaky()}));
    editor.selectModel("Leaky");
    showEditor(editor);
}

} // namespace

class TestModelEditor : public QObject {
    Q_OBJECT
private slots:
    void typedErrorIsUnderlinedWhereItIs();
    void thresholdAndDerivedErrorsGoToTheirFields();
    void builtinsAreReadOnlyAndDuplicateToEdit();
    void newModelIsValid();
    void editedDefaultAndRenameAreApplied();
    void nameClashDisablesApply();
    void projectChangeKeepsDraft();
    void openedProjectShowsItsOwnModel();
    void deleteOnlyForProjectModels();
    void codeIsHighlighted();
    void readableAtDockWidth();
};

// The window builds the editor before a project is open; a project with models of its own then
// shows its first one rather than a built-in.
void TestModelEditor::openedProjectShowsItsOwnModel() {
    ModelEditor editor;
    editor.setProject(NetworkSpec{});
    QCOMPARE(editor.selectedModel(), QString("IF"));
    editor.setProject(projectWith({leaky()}));
    QCOMPARE(editor.selectedModel(), QString("Leaky"));
    QCOMPARE(editor.draft(), leaky());
    // A built-in picked by the user stays when the project changes otherwise.
    editor.selectModel("LIF");
    NeuronModelDeclaration other = leaky();
    other.description = "edited elsewhere";
    editor.setProject(projectWith({other}));
    QCOMPARE(editor.selectedModel(), QString("LIF"));
}

void TestModelEditor::typedErrorIsUnderlinedWhereItIs() {
    ModelEditor editor;
    editor.setProject(projectWith({leaky()}));
    editor.selectModel("Leaky");
    showEditor(editor);
    auto* sim = part<ModelCodeEdit>(editor, "sim");
    auto* apply = part<QPushButton>(editor, "apply");
    auto* status = part<QLabel>(editor, "status");
    QVERIFY(!apply->isEnabled());

    typeCode(sim, {"V = Decay * V;", "V += Isyn_;"});
    // Checked by itself after the typing pause.
    QVERIFY(waitFor([&] { return underlined(sim); }, 3000));
    const QTextCursor mark = sim->extraSelections().front().cursor;
    QCOMPARE(mark.document()->findBlock(mark.selectionStart()).blockNumber(), 1);
    QCOMPARE(mark.selectionStart() - mark.document()->findBlock(mark.selectionStart()).position(), 5);
    QCOMPARE(mark.selectedText(), QString("Isyn_"));
    QCOMPARE(sim->extraSelections().front().format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QCOMPARE(editor.status(), QString("sim code, line 2, col 6: unknown name \"Isyn_\" (did you mean \"Isyn\"?)"));
    QCOMPARE(status->palette().color(QPalette::WindowText), theme::error);
    QVERIFY(!apply->isEnabled());

    QTest::keyClick(sim, Qt::Key_Backspace);
    QTest::keyClick(sim, Qt::Key_Backspace);
    QTest::keyClicks(sim, ";");
    QVERIFY(waitFor([&] { return !underlined(sim); }, 3000));
    QVERIFY(!editor.status().contains("Isyn_"));
    QVERIFY(apply->isEnabled());
    QCOMPARE(editor.draft().sim, std::string("V = Decay * V;\nV += Isyn;"));
}

void TestModelEditor::thresholdAndDerivedErrorsGoToTheirFields() {
    ModelEditor editor;
    showLeaky(editor);
    auto* sim = part<ModelCodeEdit>(editor, "sim");
    auto* threshold = part<ModelCodeEdit>(editor, "threshold");
    auto* derived = part<ModelTable>(editor, "derived");

    typeCode(threshold, {"V >= Vthresh"});
    editor.checkNow();
    QVERIFY(underlined(threshold));
    QVERIFY(!underlined(sim));
    QVERIFY2(editor.status().startsWith("threshold condition, line 1, col 6: unknown name \"Vthresh\""),
             qPrintable(editor.status()));
    QCOMPARE(threshold->extraSelections().front().cursor.selectedText(), QString("Vthresh"));
    typeCode(threshold, {"V >= Vthr"});
    editor.checkNow();
    QVERIFY(!underlined(threshold));

    typeCell(derived, 0, 1, "exp(-dt / TauN)");
    editor.checkNow();
    QVERIFY2(editor.status().startsWith("derived parameter \"Decay\", line 1, col 11: unknown name \"TauN\""),
             qPrintable(editor.status()));
    QVERIFY(derived->item(0, 1)->background().color().isValid());
    QCOMPARE(derived->item(0, 1)->background().style(), Qt::SolidPattern);
    QVERIFY(!underlined(sim) && !underlined(threshold));
    QVERIFY(!part<QPushButton>(editor, "apply")->isEnabled());

    typeCell(derived, 0, 1, "exp(-dt / TauM)");
    editor.checkNow();
    QCOMPARE(derived->item(0, 1)->background().style(), Qt::NoBrush);
    QVERIFY(!editor.hasUnappliedChanges());
}

void TestModelEditor::builtinsAreReadOnlyAndDuplicateToEdit() {
    qRegisterMetaType<NeuronModelDeclaration>();
    ModelEditor editor;
    editor.setProject(NetworkSpec{});
    showEditor(editor);
    auto* models = part<QComboBox>(editor, "models");
    auto* sim = part<ModelCodeEdit>(editor, "sim");
    auto* name = part<QLineEdit>(editor, "name");
    auto* apply = part<QPushButton>(editor, "apply");
    QVERIFY(choose(models, "LIF"));
    QCOMPARE(models->currentText(), QString("LIF (built-in)"));
    QCOMPARE(editor.selectedModel(), QString("LIF"));

    QVERIFY(name->isReadOnly() && sim->isReadOnly());
    QCOMPARE(part<ModelTable>(editor, "parameters")->editTriggers(), QAbstractItemView::NoEditTriggers);
    QVERIFY(!part<QToolButton>(editor, "add_parameters")->isEnabled());
    QVERIFY(!part<QComboBox>(editor, "voltage")->isEnabled());
    const QString before = sim->toPlainText();
    QTest::keyClicks(sim, "x");
    QCOMPARE(sim->toPlainText(), before);
    editor.checkNow();
    QVERIFY(!apply->isEnabled());
    QVERIFY(editor.status().contains("read-only"));

    click(part<QPushButton>(editor, "duplicate"));
    NeuronModelDeclaration expected = builtin("LIF");
    expected.name = "LIF_copy";
    QCOMPARE(name->text(), QString("LIF_copy"));
    QVERIFY(!name->isReadOnly() && !sim->isReadOnly());
    QVERIFY(editor.selectedModel().isEmpty());
    QVERIFY(editor.draft() == expected);
    QVERIFY(apply->isEnabled());

    QSignalSpy applied(&editor, &ModelEditor::applyRequested);
    click(apply);
    QCOMPARE(applied.count(), 1);
    QCOMPARE(applied.at(0).at(0).toString(), QString());
    QVERIFY(applied.at(0).at(1).value<NeuronModelDeclaration>() == expected);

    // The project takes it: the editor follows it and has nothing left to apply.
    editor.setProject(projectWith({expected}));
    QCOMPARE(editor.selectedModel(), QString("LIF_copy"));
    QCOMPARE(models->currentText(), QString("LIF_copy"));
    QVERIFY(!editor.hasUnappliedChanges());
    QVERIFY(!apply->isEnabled());
    QVERIFY(choose(models, "LIF"));
    click(part<QPushButton>(editor, "duplicate"));
    QCOMPARE(name->text(), QString("LIF_copy2"));
}

void TestModelEditor::newModelIsValid() {
    ModelEditor editor;
    editor.setProject(NetworkSpec{});
    showEditor(editor);
    click(part<QPushButton>(editor, "new"));
    editor.checkNow();
    const NeuronModelDeclaration m = editor.draft();
    QCOMPARE(m.name, std::string("MyNeuron"));
    QCOMPARE(m.sim, std::string("V += Isyn;"));
    QCOMPARE(m.threshold, std::string("V >= Vthr"));
    QCOMPARE(m.reset, std::string("V = 0;"));
    QVERIFY(part<QPushButton>(editor, "apply")->isEnabled());
    QVERIFY(!part<QPushButton>(editor, "delete")->isEnabled());
}

void TestModelEditor::editedDefaultAndRenameAreApplied() {
    ModelEditor editor;
    showLeaky(editor);
    auto* apply = part<QPushButton>(editor, "apply");
    auto* parameters = part<ModelTable>(editor, "parameters");
    QSignalSpy applied(&editor, &ModelEditor::applyRequested);

    typeCell(parameters, 1, 2, "20");
    editor.checkNow();
    QVERIFY(apply->isEnabled());
    click(apply);
    QCOMPARE(applied.count(), 1);
    NeuronModelDeclaration expected = leaky();
    expected.parameters[1].defaultValue = 20.0;
    QCOMPARE(applied.at(0).at(0).toString(), QString("Leaky"));
    const auto sent = applied.at(0).at(1).value<NeuronModelDeclaration>();
    QVERIFY(sent == expected);
    QCOMPARE(sent.parameters[1].min, 0.0);  // the range stays
    QVERIFY(!sent.parameters[1].minInclusive);

    // Out of its range: refused with the reason.
    typeCell(parameters, 1, 2, "-1");
    editor.checkNow();
    QVERIFY(!apply->isEnabled());
    QCOMPARE(editor.status(), QString("parameter \"TauM\": default -1 must be > 0"));
    typeCell(parameters, 1, 2, "20");

    editor.setProject(projectWith({expected}));
    QVERIFY(!editor.hasUnappliedChanges());
    typeInto(part<QLineEdit>(editor, "name"), "Leaky2");
    editor.checkNow();
    click(apply);
    QCOMPARE(applied.count(), 2);
    QCOMPARE(applied.at(1).at(0).toString(), QString("Leaky"));
    QCOMPARE(applied.at(1).at(1).value<NeuronModelDeclaration>().name, std::string("Leaky2"));
    expected.name = "Leaky2";
    editor.setProject(projectWith({expected}));
    QCOMPARE(editor.selectedModel(), QString("Leaky2"));
    QVERIFY(!editor.hasUnappliedChanges());
}

void TestModelEditor::nameClashDisablesApply() {
    NeuronModelDeclaration other = leaky();
    other.name = "Other";
    ModelEditor editor;
    editor.setCheckDelay(0);
    editor.setProject(projectWith({leaky(), other}));
    editor.selectModel("Leaky");
    showEditor(editor);
    auto* apply = part<QPushButton>(editor, "apply");
    auto* name = part<QLineEdit>(editor, "name");

    typeInto(name, "LIF");
    editor.checkNow();
    QVERIFY(!apply->isEnabled());
    QCOMPARE(editor.status(), QString("\"LIF\" is a built-in model's name; give this model another"));
    QSignalSpy applied(&editor, &ModelEditor::applyRequested);
    click(apply);
    QCOMPARE(applied.count(), 0);

    typeInto(name, "Other");
    editor.checkNow();
    QVERIFY(!apply->isEnabled());
    QCOMPARE(editor.status(), QString("the project has another model named \"Other\""));
    typeInto(name, "Third");
    editor.checkNow();
    QVERIFY(apply->isEnabled());
}

void TestModelEditor::projectChangeKeepsDraft() {
    ModelEditor editor;
    showLeaky(editor);
    auto* sim = part<ModelCodeEdit>(editor, "sim");
    typeCode(sim, {"V = Decay * V + 2 * Isyn;"});
    editor.checkNow();

    // Another model is added and Leaky's description changes elsewhere: the typing stays.
    NeuronModelDeclaration changed = leaky(), other = leaky();
    changed.description = "changed elsewhere";
    other.name = "Other";
    editor.setProject(projectWith({changed, other}));
    QCOMPARE(editor.selectedModel(), QString("Leaky"));
    QCOMPARE(sim->toPlainText(), QString("V = Decay * V + 2 * Isyn;"));
    QVERIFY(editor.hasUnappliedChanges());
    QVERIFY(part<QPushButton>(editor, "apply")->isEnabled());

    // Without a draft, a change elsewhere is shown.
    editor.selectModel("Leaky");
    changed.sim = "V = Decay * V + Isyn * 3;";
    editor.setProject(projectWith({changed, other}));
    QCOMPARE(sim->toPlainText(), QString::fromStdString(changed.sim));
    QVERIFY(!editor.hasUnappliedChanges());
}

void TestModelEditor::deleteOnlyForProjectModels() {
    ModelEditor editor;
    editor.setProject(projectWith({leaky()}));
    showEditor(editor);
    auto* remove = part<QPushButton>(editor, "delete");
    QSignalSpy removed(&editor, &ModelEditor::removeRequested);
    QVERIFY(choose(part<QComboBox>(editor, "models"), "IF"));
    QVERIFY(!remove->isEnabled());
    click(remove);
    QCOMPARE(removed.count(), 0);

    QVERIFY(choose(part<QComboBox>(editor, "models"), "Leaky"));
    QVERIFY(remove->isEnabled());
    click(remove);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(0).toString(), QString("Leaky"));
}

void TestModelEditor::codeIsHighlighted() {
    ModelEditor editor;
    editor.setProject(projectWith({leaky()}));
    editor.selectModel("Leaky");
    showEditor(editor);
    auto* sim = part<ModelCodeEdit>(editor, "sim");
    typeCode(sim, {"if (V > 1.5) V = exp(Decay * Isyn); // note"});
    const QList<QTextLayout::FormatRange> formats = sim->document()->firstBlock().layout()->formats();
    const auto colourAt = [&](const QString& token) {
        const int at = int(sim->toPlainText().indexOf(token));
        for (const auto& range : formats)
            if (range.start <= at && at < range.start + range.length) return range.format.foreground().color();
        return QColor();
    };
    QVERIFY(colourAt("if").isValid());
    QVERIFY(colourAt("1.5").isValid());
    QVERIFY(colourAt("Decay").isValid());
    QVERIFY(colourAt("Isyn").isValid());
    QVERIFY(colourAt("exp").isValid());
    QVERIFY(colourAt("// note").isValid());
    QVERIFY(!colourAt("(V").isValid());
    QCOMPARE(colourAt("V >"), colourAt("Decay"));  // the model's own names alike
    QVERIFY(colourAt("if") != colourAt("Decay"));
}

void TestModelEditor::readableAtDockWidth() {
    for (const char* model : {"Leaky", "Izhikevich"}) {
        ModelEditor editor;
        editor.setProject(projectWith({leaky()}));
        editor.selectModel(model);
        showEditor(editor);
        QCOMPARE(editor.width(), 420);
        const auto* scroll = editor.findChild<QScrollArea*>();
        QVERIFY(scroll->widget()->minimumSizeHint().width() <= scroll->viewport()->width());
        QVERIFY(scroll->widget()->width() <= scroll->viewport()->width());
        for (const QLabel* label : editor.findChildren<QLabel*>()) {
            if (!label->isVisibleTo(&editor) || label->text().isEmpty()) continue;
            if (label->wordWrap())
                QVERIFY2(label->height() >= label->heightForWidth(label->width()), qPrintable(label->text()));
            else
                QVERIFY2(label->width() >= label->sizeHint().width(), qPrintable(label->text()));
        }
        for (const QAbstractButton* button : editor.findChildren<QAbstractButton*>())
            if (button->isVisibleTo(&editor))
                QVERIFY2(button->width() >= button->sizeHint().width(), qPrintable(button->text()));
    }
}

QTEST_MAIN(TestModelEditor)
#include "test_model_editor.moc"
