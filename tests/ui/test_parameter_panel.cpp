// ParameterPanel and ParameterEditor on the example projects: a row for every tunable table
// parameter, typed and dragged edits, one undo step per drag, refusals shown in place,
// setValue without signals, the integer editor of steps_per_sample.
#include "document.h"
#include "parameter_editor.h"
#include "parameter_panel.h"
#include "widget_input.h"

#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/project.h"

#include <QDoubleSpinBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include <cmath>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

std::string examplePath(const char* name) {
    return std::string(SPIKELAB_SOURCE_DIR) + "/projects/" + name + "/" + name + ".json";
}

NetworkSpec loadExample(const char* name) {
    return loadProject(examplePath(name));
}

ParameterChange changeAt(const QSignalSpy& spy, qsizetype i) {
    return spy.at(i).at(0).value<ParameterChange>();
}

double shown(const QAbstractSpinBox* spin) {
    if (const auto* s = qobject_cast<const QSpinBox*>(spin)) return s->value();
    return qobject_cast<const QDoubleSpinBox*>(spin)->value();
}

bool reddish(QRgb c) {
    return qRed(c) > 150 && qGreen(c) < 100 && qBlue(c) < 100;
}

} // namespace

class TestParameterPanel : public QObject {
    Q_OBJECT
private slots:
    void rowForEveryTableParameter();
    void slidersOfferOnlyValidValues();
    void typedValueEmitsOneChange();
    void sliderDragIsOneUndoStep();
    void dragBackToStartLeavesNoStep();
    void invalidValueRefusedInPlace();
    void setValueDoesNotEmit();
    void stepsPerSampleIsInteger();
};

void TestParameterPanel::rowForEveryTableParameter() {
    for (const char* name : {"fashion-mnist-if", "mushroom-body-pn"}) {
        const NetworkSpec spec = loadExample(name);
        ParameterPanel panel;
        panel.setSpec(spec);
        int expected = 1; // steps_per_sample
        for (const auto& p : spec.populations) {
            for (const auto& info : neuronModel(p.model, p.name).params) {
                ++expected;
                auto* spin = panel.spinBox(p.name, info.name);
                QVERIFY2(spin && panel.slider(p.name, info.name), info.name.c_str());
                const auto given = p.params.find(info.name);
                QCOMPARE(shown(spin), given == p.params.end() ? info.defaultValue : given->second);
                QVERIFY(spin->toolTip().contains(QString::fromStdString(info.description)));
            }
        }
        for (const auto& in : spec.inputs) {
            for (const auto& info : encoder(in.type, in.name).params) {
                ++expected;
                auto* spin = panel.spinBox(in.name, info.name);
                QVERIFY2(spin, info.name.c_str());
                QCOMPARE(qobject_cast<QSpinBox*>(spin) != nullptr, info.integer);
                const auto given = in.params.find(info.name);
                QCOMPARE(shown(spin), given == in.params.end() ? info.defaultValue : given->second);
            }
        }
        QCOMPARE(panel.rowCount(), expected);
        QVERIFY(!panel.spinBox("experiment", "dt")); // cannot change while running
    }

    // Units become suffixes; the tooltip gives the valid range and the default.
    ParameterPanel panel;
    panel.setSpec(loadExample("mushroom-body-pn"));
    auto* tau = qobject_cast<QDoubleSpinBox*>(panel.spinBox("pn", "TauM"));
    QVERIFY(tau);
    QCOMPARE(tau->suffix(), QString(" ms"));
    QCOMPARE(tau->text(), QString("20 ms"));
    QVERIFY(tau->toolTip().contains("TauM > 0 ms"));
    QVERIFY(tau->toolTip().contains("Default: 10 ms"));
    QVERIFY(panel.spinBox("pixels", "scale")->toolTip().contains("any value"));

    // A section folds away under its header.
    QToolButton* header = nullptr;
    for (auto* button : panel.findChildren<QToolButton*>())
        if (button->text() == "pn — LIF, 784 neurons") header = button;
    QVERIFY(header);
    QVERIFY(tau->isVisibleTo(&panel));
    header->click();
    QVERIFY(!tau->isVisibleTo(&panel));
    QVERIFY(panel.spinBox("pixels", "scale")->isVisibleTo(&panel));
    header->click();
    QVERIFY(tau->isVisibleTo(&panel));
}

// Every slider's two ends are values the table accepts and the current value lies between
// them, for positive, zero and negative values alike.
void TestParameterPanel::slidersOfferOnlyValidValues() {
    for (const char* name : {"fashion-mnist-if", "mushroom-body-pn"}) {
        const NetworkSpec spec = loadExample(name);
        ParameterPanel reference;
        reference.setSpec(spec);
        std::vector<std::pair<std::string, ParamInfo>> rows;
        for (const auto& p : spec.populations)
            for (const auto& info : neuronModel(p.model, p.name).params)
                rows.push_back({p.name, info});
        for (const auto& in : spec.inputs)
            for (const auto& info : encoder(in.type, in.name).params)
                rows.push_back({in.name, info});
        for (const auto& [item, info] : rows) {
            const double current = parameterValue(spec, item, info.name);
            double ends[2];
            for (int end = 0; end < 2; ++end) {
                ParameterPanel panel;
                panel.setSpec(spec);
                QSignalSpy edited(&panel, &ParameterPanel::parameterEdited);
                QSlider* s = panel.slider(item, info.name);
                QVERIFY(s->maximum() > s->minimum());
                s->setValue(end == 0 ? s->minimum() : s->maximum());
                ends[end] = edited.isEmpty() ? current : changeAt(edited, 0).value;
                QVERIFY2(info.check(ends[end]).empty(), (item + "." + info.name).c_str());
                QVERIFY(panel.refusal(item, info.name).isEmpty());
            }
            QVERIFY2(ends[0] <= current && current <= ends[1], (item + "." + info.name).c_str());
            QVERIFY(ends[0] < ends[1]);
        }
    }
}

void TestParameterPanel::typedValueEmitsOneChange() {
    ParameterPanel panel;
    Document document;
    ParameterEditor editor(&panel, &document);
    QVERIFY(document.load(QString::fromStdString(examplePath("fashion-mnist-if"))));
    QUndoStack& stack = *document.undoStack();
    panel.resize(360, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    QSignalSpy edited(&panel, &ParameterPanel::parameterEdited);
    QSignalSpy changed(&editor, &ParameterEditor::parameterChanged);

    // 1000 mV lies far beyond the slider's span: the spin box takes it all the same.
    auto* spin = panel.spinBox("hidden", "Vthr");
    typeInto(spin, "1000");
    QCOMPARE(edited.count(), 1);
    QCOMPARE(changeAt(edited, 0).item, std::string("hidden"));
    QCOMPARE(changeAt(edited, 0).param, std::string("Vthr"));
    QCOMPARE(changeAt(edited, 0).value, 1000.0);
    QCOMPARE(document.spec().findPopulation("hidden")->params.at("Vthr"), 1000.0);
    QCOMPARE(document.spec().findPopulation("output")->params.at("Vthr"), 5.0);
    QCOMPARE(stack.count(), 1);
    QCOMPARE(stack.text(0), QString("hidden.Vthr 5 → 1000"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changeAt(changed, 0).value, 1000.0);
    // The slider follows: its span moved to take the new value in.
    QSlider* slider = panel.slider("hidden", "Vthr");
    QVERIFY(slider->value() > slider->minimum() && slider->value() < slider->maximum());

    // An arrow step is a commit of its own: a new interaction, a new undo step.
    QTest::keyClick(spin, Qt::Key_Up);
    QCOMPARE(edited.count(), 2);
    QVERIFY(edited.at(1).at(1).toInt() != edited.at(0).at(1).toInt());
    QVERIFY(changeAt(edited, 1).value > 1000.0);
    QCOMPARE(stack.count(), 2);

    // Typing into another row of the same model changes only that population.
    typeInto(panel.spinBox("pixels", "scale"), "0.02");
    QCOMPARE(document.spec().inputs[0].params.at("scale"), 0.02);
    QCOMPARE(stack.count(), 3);
}

void TestParameterPanel::sliderDragIsOneUndoStep() {
    ParameterPanel panel;
    Document document;
    ParameterEditor editor(&panel, &document);
    QVERIFY(document.load(QString::fromStdString(examplePath("mushroom-body-pn"))));
    QUndoStack& stack = *document.undoStack();
    panel.resize(360, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy edited(&panel, &ParameterPanel::parameterEdited);
    QSignalSpy changed(&editor, &ParameterEditor::parameterChanged);

    QSlider* slider = panel.slider("pn", "Vthresh");
    const int start = slider->value();
    const QPoint from = handleCentre(slider);
    QTest::mousePress(slider, Qt::LeftButton, {}, from);
    for (int dx = 6; dx <= 30; dx += 6) QTest::mouseMove(slider, from + QPoint(dx, 0));
    QTest::mouseRelease(slider, Qt::LeftButton, {}, from + QPoint(30, 0));

    QVERIFY(slider->value() > start);
    QVERIFY2(edited.count() >= 3, qPrintable(QString::number(edited.count())));
    for (const auto& args : edited) QCOMPARE(args.at(1).toInt(), edited.at(0).at(1).toInt());
    double previous = -50.0;
    for (qsizetype i = 0; i < edited.count(); ++i) {
        QVERIFY(changeAt(edited, i).value > previous); // dragged right: rising values
        previous = changeAt(edited, i).value;
    }
    const double dragged = previous;
    QCOMPARE(document.spec().populations[0].params.at("Vthresh"), dragged);
    QCOMPARE(changed.count(), edited.count()); // every value reaches the simulation
    QCOMPARE(stack.count(), 1);
    QCOMPARE(stack.text(0), "pn.Vthresh -50 → " + QString::number(dragged, 'g', 12));

    stack.undo();
    QCOMPARE(document.spec().populations[0].params.at("Vthresh"), -50.0);
    QCOMPARE(panel.spec().populations[0].params.at("Vthresh"), -50.0);
    QCOMPARE(shown(panel.spinBox("pn", "Vthresh")), -50.0);
    QCOMPARE(slider->value(), start);
    QCOMPARE(changeAt(changed, changed.count() - 1).value, -50.0);
    QCOMPARE(edited.count(), changed.count() - 1); // undo edits nothing by itself

    stack.redo();
    QCOMPARE(document.spec().populations[0].params.at("Vthresh"), dragged);
    QCOMPARE(shown(panel.spinBox("pn", "Vthresh")), dragged);
    QCOMPARE(changeAt(changed, changed.count() - 1).value, dragged);
}

void TestParameterPanel::dragBackToStartLeavesNoStep() {
    ParameterPanel panel;
    Document document;
    ParameterEditor editor(&panel, &document);
    QVERIFY(document.load(QString::fromStdString(examplePath("fashion-mnist-if"))));
    QUndoStack& stack = *document.undoStack();
    // One interaction that ends where it began, another parameter in the same interaction,
    // and a change to the value already set.
    emit panel.parameterEdited({"hidden", "Vthr", 6.0}, 7);
    emit panel.parameterEdited({"hidden", "Vthr", 5.0}, 7);
    QCOMPARE(stack.count(), 0);
    QCOMPARE(document.spec().findPopulation("hidden")->params.at("Vthr"), 5.0);
    emit panel.parameterEdited({"hidden", "Vthr", 5.0}, 8);
    QCOMPARE(stack.count(), 0);
    emit panel.parameterEdited({"hidden", "Vthr", 6.0}, 9);
    emit panel.parameterEdited({"output", "Vthr", 6.0}, 9);
    emit panel.parameterEdited({"hidden", "Vthr", 7.0}, 10);
    QCOMPARE(stack.count(), 3);
    stack.undo();
    stack.undo();
    QCOMPARE(document.spec().findPopulation("hidden")->params.at("Vthr"), 6.0);
    QCOMPARE(document.spec().findPopulation("output")->params.at("Vthr"), 5.0);
    QCOMPARE(shown(panel.spinBox("output", "Vthr")), 5.0);
}

void TestParameterPanel::invalidValueRefusedInPlace() {
    ParameterPanel panel;
    Document document;
    ParameterEditor editor(&panel, &document);
    QVERIFY(document.load(QString::fromStdString(examplePath("mushroom-body-pn"))));
    QUndoStack& stack = *document.undoStack();
    panel.resize(360, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    QSignalSpy edited(&panel, &ParameterPanel::parameterEdited);
    QSignalSpy changed(&editor, &ParameterEditor::parameterChanged);

    auto* tau = panel.spinBox("pn", "TauM");
    typeInto(tau, "0");
    QCOMPARE(edited.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(stack.count(), 0);
    QCOMPARE(document.spec().populations[0].params.at("TauM"), 20.0);
    QCOMPARE(panel.spec().populations[0].params.at("TauM"), 20.0);
    const QString reason = panel.refusal("pn", "TauM");
    QVERIFY2(reason.contains("TauM") && reason.contains("must be > 0"), qPrintable(reason));
    QCOMPARE(shown(tau), 0.0); // the refused value stays in view while the box has focus

    // The reason is drawn in red under the row.
    QLabel* shownReason = nullptr;
    for (auto* label : panel.findChildren<QLabel*>())
        if (label->text() == reason) shownReason = label;
    QVERIFY(shownReason && shownReason->isVisible());
    const QImage image = shownReason->grab().toImage();
    int red = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) red += reddish(image.pixel(x, y)) ? 1 : 0;
    QVERIFY2(red > 20, qPrintable(QString::number(red)));

    // Leaving the box restores the last good value; the reason stays until a good edit.
    panel.spinBox("pn", "C")->setFocus();
    QCOMPARE(shown(tau), 20.0);
    QCOMPARE(edited.count(), 0);
    typeInto(tau, "15");
    QCOMPARE(edited.count(), 1);
    QVERIFY(panel.refusal("pn", "TauM").isEmpty());
    QVERIFY(!shownReason->isVisible());
    QCOMPARE(document.spec().populations[0].params.at("TauM"), 15.0);
}

void TestParameterPanel::setValueDoesNotEmit() {
    ParameterPanel panel;
    panel.setSpec(loadExample("mushroom-body-pn"));
    QSignalSpy edited(&panel, &ParameterPanel::parameterEdited);
    QSlider* slider = panel.slider("pn", "Vrest");
    const int before = slider->value();

    panel.setValue("pn", "Vrest", -70.0);
    QCOMPARE(edited.count(), 0);
    QCOMPARE(shown(panel.spinBox("pn", "Vrest")), -70.0);
    QVERIFY(slider->value() < before);
    QCOMPARE(parameterValue(panel.spec(), "pn", "Vrest"), -70.0);

    // A value beyond the slider's span moves the span; the spin box shows it exactly.
    panel.setValue("pn", "Vrest", -2000.0);
    QCOMPARE(edited.count(), 0);
    QCOMPARE(shown(panel.spinBox("pn", "Vrest")), -2000.0);
    QVERIFY(slider->value() > slider->minimum() && slider->value() < slider->maximum());

    QVERIFY_THROWS_EXCEPTION(spikelab::Error, panel.setValue("pn", "TauRefrac", -1.0));
    QVERIFY_THROWS_EXCEPTION(spikelab::Error, panel.setValue("pn", "Vthr", 1.0));
    QCOMPARE(parameterValue(panel.spec(), "pn", "TauRefrac"), 100.0);
    QCOMPARE(edited.count(), 0);
}

void TestParameterPanel::stepsPerSampleIsInteger() {
    ParameterPanel panel;
    Document document;
    ParameterEditor editor(&panel, &document);
    QVERIFY(document.load(QString::fromStdString(examplePath("fashion-mnist-if"))));
    QUndoStack& stack = *document.undoStack();
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    QSignalSpy changed(&editor, &ParameterEditor::parameterChanged);

    auto* steps = qobject_cast<QSpinBox*>(panel.spinBox("experiment", "steps_per_sample"));
    QVERIFY(steps);
    QCOMPARE(steps->value(), 100);
    QCOMPARE(steps->suffix(), QString(" steps"));

    typeInto(steps, "0");
    QCOMPARE(changed.count(), 0);
    QVERIFY(panel.refusal("experiment", "steps_per_sample").contains("between 1 and 10000000"));
    QCOMPARE(document.spec().experiment.stepsPerSample, 100);
    QCOMPARE(stack.count(), 0);

    typeInto(steps, "250");
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changeAt(changed, 0).item, std::string("experiment"));
    QCOMPARE(changeAt(changed, 0).value, 250.0);
    QCOMPARE(document.spec().experiment.stepsPerSample, 250);
    stack.undo();
    QCOMPARE(document.spec().experiment.stepsPerSample, 100);
    QCOMPARE(steps->value(), 100);
}

QTEST_MAIN(TestParameterPanel)
#include "test_parameter_panel.moc"
