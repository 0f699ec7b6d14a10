// Inspector on a Document of in (SpikeSource 16) -> hidden (LIF 20) -> out (IF 10), the last
// projection holding trained inline weights: typed and dragged values are one undo step each,
// refused values stay in place with the engine's reason and change nothing, edits that would
// replace trained weights ask first (no: nothing changes; yes: Glorot weights, one step, undo
// restores them exactly), renames and undo elsewhere are followed, and the editor being used
// survives the change it causes.
#include "widget_input.h"
#include "inspector.h"

#include "document.h"
#include "projection_form.h"

#include "spikelab/dataset.h"
#include "spikelab/project.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QTest>
#include <QUndoStack>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

PopulationSpec population(const std::string& name, std::int64_t size, const std::string& model) {
    PopulationSpec p;
    p.name = name;
    p.size = size;
    p.model = model;
    return p;
}

std::vector<double> trainedWeights() {
    std::vector<double> w;
    for (int i = 0; i < 20 * 10; ++i) w.push_back(i * 0.01 - 1.0);
    return w;
}

// The network, built through the document and then made its unmodified starting state.
void build(Document& document) {
    PopulationSpec hidden = population("hidden", 20, "LIF");
    hidden.params["Vthresh"] = -52.0;
    PopulationSpec out = population("out", 10, "IF");
    out.record.spikes = true;
    for (const auto& p : {population("in", 16, "SpikeSource"), hidden, out})
        QVERIFY(!document.addPopulation(p).empty());
    InputSpec pixels;
    pixels.name = "pixels";
    pixels.type = "PoissonRate";
    pixels.target = "in";
    QVERIFY(!document.addInput(pixels).empty());
    ProjectionSpec inHidden;
    inHidden.name = "in_hidden";
    inHidden.source = "in";
    inHidden.target = "hidden";
    inHidden.weights.type = WeightInitType::Uniform;
    ProjectionSpec hiddenOut;
    hiddenOut.name = "hidden_out";
    hiddenOut.source = "hidden";
    hiddenOut.target = "out";
    hiddenOut.weights.type = WeightInitType::Inline;
    hiddenOut.weights.values = trainedWeights();
    hiddenOut.weights.seed = 7;
    QVERIFY(!document.addProjection(inHidden).empty());
    QVERIFY(!document.addProjection(hiddenOut).empty());
    QVERIFY(document.apply("Readout", [](NetworkSpec& s) { s.experiment.readout = "out"; }));
    document.undoStack()->clear();
}

std::string json(const Document& document) {
    return projectToJson(document.spec());
}

const ProjectionSpec& projection(const Document& document, const std::string& name) {
    for (const auto& j : document.spec().projections)
        if (j.name == name) return j;
    throw std::runtime_error("no projection " + name);
}

double shown(QWidget* spin) {
    if (auto* s = qobject_cast<QSpinBox*>(spin)) return s->value();
    return qobject_cast<QDoubleSpinBox*>(spin)->value();
}

QString choice(QWidget* combo) {
    return qobject_cast<QComboBox*>(combo)->currentData().toString();
}

// A document with the network and an inspector showing `item`, ready for key presses. The
// confirm hook records each question and answers `answer`.
struct Fixture {
    Document document;
    Inspector inspector{&document};
    QStringList questions;
    bool answer = false;

    explicit Fixture(const QString& item) {
        build(document);
        inspector.setConfirm([this](const QString& question) {
            questions << question;
            return answer;
        });
        inspector.setItem(item);
        inspector.resize(340, 700);
        inspector.show();
    }
    QUndoStack& stack() { return *document.undoStack(); }
};

} // namespace

class TestInspector : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void showsPopulationFromTables();
    void typedParameterIsOneUndoStep();
    void invalidValuesRefusedInPlace();
    void resizeAsksBeforeLosingTrainedWeights();
    void endpointChangeAsks();
    void connectivityChangeAsks();
    void formEditsGoToTheirDocumentMethod();
    void renameIsFollowed();
    void undoElsewhereUpdatesValues();
    void sliderDragIsOneUndoStep();
    void editorSurvivesItsOwnChange();
    void modelChangeRebuildsRows();
    void presetsSetTheirParametersInOneStep();
    void recordAndReadout();
    void inputEdits();
    void experimentWhenNothingSelected();
    void removedItemShowsExperiment();
};

void TestInspector::showsPopulationFromTables() {
    Fixture f("hidden");
    QCOMPARE(f.inspector.item(), QString("hidden"));
    QCOMPARE(qobject_cast<QLineEdit*>(f.inspector.field("name"))->text(), QString("hidden"));
    QCOMPARE(shown(f.inspector.field("size")), 20.0);
    QCOMPARE(choice(f.inspector.field("model")), QString("LIF"));
    QVERIFY(!qobject_cast<QCheckBox*>(f.inspector.field("record_spikes"))->isChecked());
    QVERIFY(!qobject_cast<QCheckBox*>(f.inspector.field("readout"))->isChecked());
    // Every LIF parameter, given or default, with unit and description.
    QCOMPARE(shown(f.inspector.field("Vthresh")), -52.0);
    QCOMPARE(shown(f.inspector.field("TauM")), 10.0);
    auto* tau = qobject_cast<QDoubleSpinBox*>(f.inspector.field("TauM"));
    QCOMPARE(tau->suffix(), QString(" ms"));
    QVERIFY(tau->toolTip().contains("membrane time constant"));
    QVERIFY(tau->toolTip().contains("Default: 10 ms"));
    QVERIFY(f.inspector.slider("TauM"));
    QVERIFY(!f.inspector.field("Vthr")); // IF's, not LIF's
    QVERIFY(!f.inspector.field("probability"));
    QCOMPARE(f.inspector.field("no such key"), nullptr);

    f.inspector.setItem("out");
    QCOMPARE(shown(f.inspector.field("Vthr")), 5.0);
    QVERIFY(qobject_cast<QCheckBox*>(f.inspector.field("record_spikes"))->isChecked());
    QVERIFY(qobject_cast<QCheckBox*>(f.inspector.field("readout"))->isChecked());
    QVERIFY(!f.inspector.field("TauM"));
}

void TestInspector::typedParameterIsOneUndoStep() {
    Fixture f("out");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    QSignalSpy reported(&f.document, &Document::parameterChanged);
    typeInto(f.inspector.field("Vthr"), "7.5");
    QCOMPARE(f.document.spec().findPopulation("out")->params.at("Vthr"), 7.5);
    QCOMPARE(f.stack().count(), 1);
    QCOMPARE(reported.count(), 1); // the running simulation hears of it
    QVERIFY(f.inspector.refusal("Vthr").isEmpty());
    f.stack().undo();
    QVERIFY(!f.document.spec().findPopulation("out")->params.count("Vthr"));
    QCOMPARE(shown(f.inspector.field("Vthr")), 5.0);
}

void TestInspector::invalidValuesRefusedInPlace() {
    Fixture f("hidden");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    const std::string before = json(f.document);

    typeInto(f.inspector.field("TauM"), "0");
    QVERIFY2(f.inspector.refusal("TauM").contains("TauM") &&
                 f.inspector.refusal("TauM").contains("must be > 0"),
             qPrintable(f.inspector.refusal("TauM")));
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 0);

    typeInto(f.inspector.field("size"), "0");
    QVERIFY2(f.inspector.refusal("size").contains("population \"hidden\": size 0 must be between"),
             qPrintable(f.inspector.refusal("size")));
    QCOMPARE(shown(f.inspector.field("size")), 0.0); // the refused value stays in view
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 0);
    QVERIFY(f.questions.isEmpty()); // nothing to lose for a size the engine refuses

    auto* name = qobject_cast<QLineEdit*>(f.inspector.field("name"));
    typeInto(name, "a.b");
    QVERIFY2(f.inspector.refusal("name").contains("names may not contain '.'"),
             qPrintable(f.inspector.refusal("name")));
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 0);

    // The reason is drawn in red under the field.
    QLabel* reason = nullptr;
    for (auto* label : f.inspector.findChildren<QLabel*>())
        if (label->text() == f.inspector.refusal("name")) reason = label;
    QVERIFY(reason && reason->isVisible());
    const QImage image = reason->grab().toImage();
    int red = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb c = image.pixel(x, y);
            red += qRed(c) > 150 && qGreen(c) < 100 && qBlue(c) < 100;
        }
    QVERIFY2(red > 20, qPrintable(QString::number(red)));

    // Refused text and reason stay through focus changes and edits elsewhere.
    f.inspector.field("Vreset")->setFocus();
    QVERIFY(f.document.setParameter({"out", "Vthr", 6.0}, 99));
    QCOMPARE(name->text(), QString("a.b"));
    QVERIFY(!f.inspector.refusal("name").isEmpty());
    QCOMPARE(shown(f.inspector.field("size")), 0.0);
    QVERIFY(!f.inspector.refusal("size").isEmpty());

    // Corrected values go through and clear their reasons.
    typeInto(f.inspector.field("size"), "20");
    QVERIFY(f.inspector.refusal("size").isEmpty());
    QCOMPARE(f.stack().count(), 1); // just the Vthr edit: 20 is the size it has
    typeInto(f.inspector.field("TauM"), "12");
    QVERIFY(f.inspector.refusal("TauM").isEmpty());
    QCOMPARE(f.document.spec().findPopulation("hidden")->params.at("TauM"), 12.0);
}

void TestInspector::resizeAsksBeforeLosingTrainedWeights() {
    Fixture f("hidden");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    const std::string before = json(f.document);

    f.answer = false;
    typeInto(f.inspector.field("size"), "30");
    QCOMPARE(f.questions.size(), 1);
    QVERIFY2(f.questions[0].contains("hidden_out") && f.questions[0].contains("Glorot"),
             qPrintable(f.questions[0]));
    QVERIFY(!f.questions[0].contains("in_hidden")); // its weights are drawn, not trained
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 0);
    QCOMPARE(shown(f.inspector.field("size")), 20.0);
    QVERIFY(f.inspector.refusal("size").isEmpty());

    f.answer = true;
    typeInto(f.inspector.field("size"), "30");
    QCOMPARE(f.questions.size(), 2);
    QCOMPARE(f.document.spec().findPopulation("hidden")->size, std::int64_t(30));
    const WeightSpec& weights = projection(f.document, "hidden_out").weights;
    QCOMPARE(weights.type, WeightInitType::Glorot);
    QCOMPARE(weights.seed, std::uint64_t(7));
    QCOMPARE(f.stack().count(), 1);
    QCOMPARE(shown(f.inspector.field("size")), 30.0);

    f.stack().undo();
    QCOMPARE(json(f.document), before);
    QVERIFY(projection(f.document, "hidden_out").weights.values == trainedWeights());
    QCOMPARE(shown(f.inspector.field("size")), 20.0);
}

void TestInspector::endpointChangeAsks() {
    Fixture f("hidden_out");
    const std::string before = json(f.document);
    QCOMPARE(choice(f.inspector.field("source")), QString("hidden"));
    QCOMPARE(choice(f.inspector.field("target")), QString("out"));

    f.answer = false;
    QVERIFY(choose(f.inspector.field("source"), "in"));
    QCOMPARE(f.questions.size(), 1);
    QVERIFY(f.questions[0].contains("hidden_out"));
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 0);
    QCOMPARE(choice(f.inspector.field("source")), QString("hidden"));

    f.answer = true;
    QVERIFY(choose(f.inspector.field("source"), "in"));
    const ProjectionSpec& j = projection(f.document, "hidden_out");
    QCOMPARE(j.source, std::string("in"));
    QCOMPARE(j.weights.type, WeightInitType::Glorot);
    QCOMPARE(f.stack().count(), 1);
    QCOMPARE(choice(f.inspector.field("source")), QString("in"));
    auto* weights = qobject_cast<QComboBox*>(f.inspector.field("weights"));
    QCOMPARE(weights->currentText(), QString("Glorot uniform"));

    f.stack().undo();
    QCOMPARE(json(f.document), before);
    QCOMPARE(choice(f.inspector.field("source")), QString("hidden"));
    QCOMPARE(weights->currentText(), QString("trained: 200 values"));

    // The target's list follows the populations.
    QVERIFY(f.document.renameItem("out", "digits"));
    auto* target = qobject_cast<QComboBox*>(f.inspector.field("target"));
    QCOMPARE(choice(target), QString("digits"));
    QCOMPARE(target->count(), 3);
}

void TestInspector::connectivityChangeAsks() {
    Fixture f("hidden_out");
    const std::string before = json(f.document);

    f.answer = false;
    QVERIFY(choose(f.inspector.field("connectivity"), int(ConnectivityType::FixedProbability)));
    QCOMPARE(f.questions.size(), 1);
    QVERIFY(f.questions[0].contains("hidden_out"));
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 0);
    QCOMPARE(qobject_cast<QComboBox*>(f.inspector.field("connectivity"))->currentData().toInt(),
             int(ConnectivityType::Dense));
    QCOMPARE(qobject_cast<QComboBox*>(f.inspector.field("weights"))->currentText(),
             QString("trained: 200 values"));

    f.answer = true;
    QVERIFY(choose(f.inspector.field("connectivity"), int(ConnectivityType::FixedProbability)));
    const ProjectionSpec& j = projection(f.document, "hidden_out");
    QCOMPARE(j.connectivity.type, ConnectivityType::FixedProbability);
    QCOMPARE(j.weights.type, WeightInitType::Glorot);
    QCOMPARE(j.weights.seed, std::uint64_t(7));
    QCOMPARE(f.stack().count(), 1);
    f.stack().undo();
    QCOMPARE(json(f.document), before);
}

void TestInspector::formEditsGoToTheirDocumentMethod() {
    Fixture f("in_hidden");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    QSignalSpy reported(&f.document, &Document::parameterChanged);

    typeInto(f.inspector.field("weight_high"), "0.5");
    QCOMPARE(projection(f.document, "in_hidden").weights.high, 0.5);
    QCOMPARE(f.stack().count(), 1);

    QVERIFY(choose(f.inspector.field("postsynaptic"), "ExpCurr"));
    QCOMPARE(projection(f.document, "in_hidden").postsynaptic.model, std::string("ExpCurr"));
    QTRY_VERIFY(f.inspector.field("tau") && f.inspector.field("tau")->isVisible());
    typeInto(f.inspector.field("tau"), "3");
    QCOMPARE(projection(f.document, "in_hidden").postsynaptic.params.at("tau"), 3.0);
    QCOMPARE(f.stack().count(), 3);

    typeInto(f.inspector.field("delay_steps"), "4");
    QCOMPARE(projection(f.document, "in_hidden").delaySteps, std::int64_t(4));
    QCOMPARE(f.stack().count(), 4);
    QCOMPARE(reported.count(), 1); // a delay is a parameter the running simulation takes
    QCOMPARE(reported.at(0).at(0).value<ParameterChange>().param, std::string("delay_steps"));

    // A refused value stays in the form and reaches nothing.
    const std::string before = json(f.document);
    typeInto(f.inspector.field("weight_low"), "2");
    QVERIFY2(f.inspector.refusal("weight_low").contains("exceeds high"),
             qPrintable(f.inspector.refusal("weight_low")));
    QCOMPARE(json(f.document), before);
    QCOMPARE(f.stack().count(), 4);
    QCOMPARE(shown(f.inspector.field("weight_low")), 2.0);

    f.stack().undo();
    QCOMPARE(projection(f.document, "in_hidden").delaySteps, std::int64_t(0));
    QCOMPARE(shown(f.inspector.field("delay_steps")), 0.0);
}

void TestInspector::renameIsFollowed() {
    Fixture f("hidden");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    QSignalSpy renamed(&f.inspector, &Inspector::itemRenamed);
    typeInto(f.inspector.field("name"), "middle");
    QVERIFY(f.document.spec().findPopulation("middle"));
    QCOMPARE(projection(f.document, "hidden_out").source, std::string("middle"));
    QCOMPARE(f.inspector.item(), QString("middle"));
    QCOMPARE(renamed.count(), 1);
    QCOMPARE(renamed.at(0).at(0).toString(), QString("hidden"));
    QCOMPARE(renamed.at(0).at(1).toString(), QString("middle"));
    // The rows now edit the renamed population.
    typeInto(f.inspector.field("TauM"), "15");
    QCOMPARE(f.document.spec().findPopulation("middle")->params.at("TauM"), 15.0);
    QCOMPARE(f.stack().count(), 2);

    f.stack().undo();
    f.stack().undo();
    QCOMPARE(f.inspector.item(), QString("hidden"));
    QCOMPARE(qobject_cast<QLineEdit*>(f.inspector.field("name"))->text(), QString("hidden"));
    QCOMPARE(renamed.count(), 2);
    QCOMPARE(renamed.at(1).at(1).toString(), QString("hidden"));

    // Renamed elsewhere (the canvas), it follows too; a projection as well.
    f.inspector.setItem("hidden_out");
    QVERIFY(f.document.renameItem("hidden_out", "readout_weights"));
    QCOMPARE(f.inspector.item(), QString("readout_weights"));
    QCOMPARE(qobject_cast<QLineEdit*>(f.inspector.field("name"))->text(),
             QString("readout_weights"));
}

void TestInspector::undoElsewhereUpdatesValues() {
    Fixture f("hidden");
    QVERIFY(f.document.setParameter({"hidden", "Vthresh", -45.0}, 1));
    QCOMPARE(shown(f.inspector.field("Vthresh")), -45.0);
    f.answer = true;
    QVERIFY(f.document.setPopulationSize("hidden", 25));
    QCOMPARE(shown(f.inspector.field("size")), 25.0);
    f.stack().undo();
    f.stack().undo();
    QCOMPARE(shown(f.inspector.field("Vthresh")), -52.0);
    QCOMPARE(shown(f.inspector.field("size")), 20.0);
    f.stack().redo();
    QCOMPARE(shown(f.inspector.field("Vthresh")), -45.0);
}

void TestInspector::sliderDragIsOneUndoStep() {
    Fixture f("hidden");
    QVERIFY(QTest::qWaitForWindowExposed(&f.inspector));
    QPointer<QSlider> slider = f.inspector.slider("Vthresh");
    QPointer<QWidget> spin = f.inspector.field("Vthresh");
    QVERIFY(slider && spin);
    const QPoint from = handleCentre(slider);
    QTest::mousePress(slider, Qt::LeftButton, {}, from);
    for (int dx = 5; dx <= 25; dx += 5) QTest::mouseMove(slider, from + QPoint(dx, 0));
    QTest::mouseRelease(slider, Qt::LeftButton, {}, from + QPoint(25, 0));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

    const double dragged = f.document.spec().findPopulation("hidden")->params.at("Vthresh");
    QVERIFY2(dragged > -52.0, qPrintable(QString::number(dragged)));
    QCOMPARE(f.stack().count(), 1);
    QVERIFY(slider && spin); // neither was rebuilt by the changes the drag made
    QCOMPARE(shown(spin), dragged);
    f.stack().undo();
    QCOMPARE(f.document.spec().findPopulation("hidden")->params.at("Vthresh"), -52.0);
    QCOMPARE(shown(spin), -52.0);
}

void TestInspector::editorSurvivesItsOwnChange() {
    Fixture f("hidden");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    f.answer = true;
    QPointer<QWidget> size = f.inspector.field("size");
    QPointer<QWidget> name = f.inspector.field("name");
    typeInto(size, "24");
    typeInto(name, "middle");
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(size && name);
    QCOMPARE(f.inspector.field("size"), size.data());
    QCOMPARE(f.inspector.field("name"), name.data());
    QCOMPARE(f.document.spec().findPopulation("middle")->size, std::int64_t(24));

    f.inspector.setItem("in_hidden");
    QPointer<QWidget> delay = f.inspector.field("delay_steps");
    QPointer<QWidget> connectivity = f.inspector.field("connectivity");
    typeInto(delay, "2");
    QVERIFY(choose(connectivity, int(ConnectivityType::FixedProbability)));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(delay && connectivity);
    QCOMPARE(f.inspector.field("delay_steps"), delay.data());
    QCOMPARE(projection(f.document, "in_hidden").delaySteps, std::int64_t(2));
    QCOMPARE(projection(f.document, "in_hidden").connectivity.type,
             ConnectivityType::FixedProbability);
    QCOMPARE(f.stack().count(), 4);
}

void TestInspector::modelChangeRebuildsRows() {
    Fixture f("out");
    QPointer<QWidget> model = f.inspector.field("model");
    QVERIFY(choose(model, "LIF"));
    QCOMPARE(f.document.spec().findPopulation("out")->model, std::string("LIF"));
    QCOMPARE(f.stack().count(), 1);
    QVERIFY(f.inspector.field("Vthresh"));
    QVERIFY(!f.inspector.field("Vthr"));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(model); // the rows were rebuilt, not the model's own combo box
    f.stack().undo();
    QCOMPARE(choice(model), QString("IF"));
    QVERIFY(f.inspector.field("Vthr"));

    // A model the inputs cannot drive is refused: the combo box shows the model it has.
    f.inspector.setItem("in");
    const std::string before = json(f.document);
    QVERIFY(choose(f.inspector.field("model"), "LIF"));
    QVERIFY2(f.inspector.refusal("model").contains("PoissonRate makes spikes"),
             qPrintable(f.inspector.refusal("model")));
    QCOMPARE(choice(f.inspector.field("model")), QString("SpikeSource"));
    QCOMPARE(json(f.document), before);
}

// Izhikevich's cell classes are offered for an Izhikevich population only; picking one sets
// its parameters in one undo step, and the row shows which preset the values match.
void TestInspector::presetsSetTheirParametersInOneStep() {
    Fixture f("out");
    QWidget* preset = f.inspector.field("preset");
    QVERIFY(preset);
    QVERIFY(!preset->isVisibleTo(&f.inspector)); // IF has no presets
    QVERIFY(choose(f.inspector.field("model"), "Izhikevich"));
    preset = f.inspector.field("preset");
    QVERIFY(preset->isVisibleTo(&f.inspector));
    QCOMPARE(choice(preset), QString("regular spiking")); // the defaults are RS
    QVERIFY(choose(preset, "fast spiking"));
    const auto& params = f.document.spec().findPopulation("out")->params;
    QCOMPARE(params.at("a"), 0.1);
    QCOMPARE(params.at("d"), 2.0);
    QCOMPARE(f.stack().count(), 2);
    QCOMPARE(qobject_cast<QDoubleSpinBox*>(f.inspector.field("a"))->value(), 0.1);
    QCOMPARE(choice(preset), QString("fast spiking"));
    // Another value makes the parameters the user's own.
    QVERIFY(f.document.apply("d", [](NetworkSpec& s) { s.populations[2].params["d"] = 3.0; }));
    QCOMPARE(choice(f.inspector.field("preset")), QString());
    f.stack().undo();
    f.stack().undo();
    QCOMPARE(choice(f.inspector.field("preset")), QString("regular spiking"));
    QVERIFY(!f.document.spec().findPopulation("out")->params.count("a"));
}

void TestInspector::recordAndReadout() {
    Fixture f("hidden");
    QVERIFY(QTest::qWaitForWindowExposed(&f.inspector));
    // Clicked on the box, as a person clicks it.
    const auto click = [&](const char* key) {
        QWidget* box = f.inspector.field(key);
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    };
    click("record_spikes");
    QVERIFY(f.document.spec().findPopulation("hidden")->record.spikes);
    click("readout");
    QCOMPARE(f.document.spec().experiment.readout, std::string("hidden"));
    QCOMPARE(f.stack().count(), 2);
    click("readout");
    QCOMPARE(f.document.spec().experiment.readout, std::string());
    f.stack().undo();
    QVERIFY(qobject_cast<QCheckBox*>(f.inspector.field("readout"))->isChecked());
}

void TestInspector::inputEdits() {
    Fixture f("pixels");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    QCOMPARE(choice(f.inspector.field("type")), QString("PoissonRate"));
    QCOMPARE(choice(f.inspector.field("target")), QString("in"));
    QCOMPARE(shown(f.inspector.field("max_rate")), 100.0);
    typeInto(f.inspector.field("max_rate"), "50");
    QCOMPARE(f.document.spec().inputs[0].params.at("max_rate"), 50.0);
    QCOMPARE(f.stack().count(), 1);

    // CurrentInjection into a SpikeSource population is refused with the engine's reason.
    const std::string before = json(f.document);
    QVERIFY(choose(f.inspector.field("type"), "CurrentInjection"));
    QVERIFY2(f.inspector.refusal("type").contains("SpikeSource"),
             qPrintable(f.inspector.refusal("type")));
    QCOMPARE(choice(f.inspector.field("type")), QString("PoissonRate"));
    QCOMPARE(json(f.document), before);

    QVERIFY(choose(f.inspector.field("type"), "LatencyCoding"));
    QCOMPARE(f.document.spec().inputs[0].type, std::string("LatencyCoding"));
    QVERIFY(!f.document.spec().inputs[0].params.count("max_rate")); // not LatencyCoding's
    QTRY_VERIFY(f.inspector.field("window") && f.inspector.field("window")->isVisible());
    QVERIFY(!f.inspector.field("max_rate"));
    QVERIFY(f.inspector.refusal("type").isEmpty());
}

void TestInspector::experimentWhenNothingSelected() {
    Fixture f("");
    QVERIFY(QTest::qWaitForWindowActive(&f.inspector));
    QCOMPARE(f.inspector.item(), QString());
    QCOMPARE(qobject_cast<QLabel*>(f.inspector.field("dt"))->text(), QString("1 ms"));
    // New documents start on a data set that is here (spikelab::defaultDataset).
    const std::string start = defaultDataset(), other = start == "mnist" ? "fashion-mnist" : "mnist";
    QCOMPARE(choice(f.inspector.field("dataset")), QString::fromStdString(start));
    QCOMPARE(choice(f.inspector.field("split")), QString("test"));
    QCOMPARE(choice(f.inspector.field("readout")), QString("out"));

    typeInto(f.inspector.field("steps_per_sample"), "250");
    QCOMPARE(f.document.spec().experiment.stepsPerSample, std::int64_t(250));
    QCOMPARE(f.stack().count(), 1);
    typeInto(f.inspector.field("steps_per_sample"), "0");
    QVERIFY2(f.inspector.refusal("steps_per_sample").contains("between 1 and 10000000"), qPrintable(f.inspector.refusal("steps_per_sample")));
    QCOMPARE(f.stack().count(), 1);

    QVERIFY(choose(f.inspector.field("dataset"), QString::fromStdString(other)));
    QVERIFY(choose(f.inspector.field("split"), "train"));
    QVERIFY(choose(f.inspector.field("readout"), ""));
    const ExperimentSpec& e = f.document.spec().experiment;
    QCOMPARE(e.dataset.name, other);
    QCOMPARE(e.dataset.split, std::string("train"));
    QCOMPARE(e.readout, std::string());
    QCOMPARE(f.stack().count(), 4);

    // The readout list follows the populations.
    QVERIFY(f.document.renameItem("hidden", "middle"));
    auto* readout = qobject_cast<QComboBox*>(f.inspector.field("readout"));
    QVERIFY(readout->findData("middle") >= 0);
    QCOMPARE(readout->findData("hidden"), -1);
}

void TestInspector::removedItemShowsExperiment() {
    Fixture f("hidden_out");
    QVERIFY(f.document.removeItems({"hidden_out"}));
    QCOMPARE(f.inspector.item(), QString());
    QVERIFY(f.inspector.field("steps_per_sample"));
    QVERIFY(!f.inspector.field("connectivity"));
    f.inspector.setItem("no such item");
    QCOMPARE(f.inspector.item(), QString());
}

QTEST_MAIN(TestInspector)
#include "test_inspector.moc"
