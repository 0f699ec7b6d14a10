// ProjectionForm and ProjectionDialog: the defaults of a new projection, every connectivity
// and weight type round-tripping through the form, invalid values refused with the engine's
// reason (and OK disabled), taken names refused, read-only synapse lists and trained weights
// kept exactly while untouched, the postsynaptic model's rows from its table, and the dialog
// working non-blocking through open().
#include "widget_input.h"
#include "projection_form.h"

#include "spikelab/models.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

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

// hidden (LIF 20), twin (LIF 20), out (IF 10); one projection hidden -> out.
NetworkSpec network() {
    NetworkSpec spec;
    spec.name = "form";
    spec.populations = {population("hidden", 20, "LIF"), population("twin", 20, "LIF"),
                        population("out", 10, "IF")};
    ProjectionSpec j;
    j.name = "hidden_out";
    j.source = "hidden";
    j.target = "out";
    spec.projections = {j};
    return spec;
}

ProjectionSpec between(const std::string& source, const std::string& target) {
    ProjectionSpec j;
    j.name = source + "_to_" + target;
    j.source = source;
    j.target = target;
    return j;
}

double shown(QWidget* spin) {
    if (auto* s = qobject_cast<QSpinBox*>(spin)) return s->value();
    return qobject_cast<QDoubleSpinBox*>(spin)->value();
}

int current(QWidget* combo) {
    return qobject_cast<QComboBox*>(combo)->currentData().toInt();
}

} // namespace

class TestProjectionForm : public QObject {
    Q_OBJECT
private slots:
    void newProjectionDefaults();
    void everyTypeRoundTrips();
    void editsReachTheProjection();
    void invalidValuesRefusedWithReason();
    void invalidNamesRefused();
    void okAcceptsThroughOpen();
    void trainedWeightsAndListsKept();
    void connectivityChangeReplacesTrainedWeights();
    void postsynapticRowsFromTable();
    void sameProjectionKeepsEditInProgress();
};

void TestProjectionForm::newProjectionDefaults() {
    const NetworkSpec spec = network();
    ProjectionDialog dialog(spec, "twin", "out", "twin_out");
    QCOMPARE(dialog.nameEdit()->text(), QString("twin_out"));
    const ProjectionSpec j = dialog.result();
    QCOMPARE(j.name, std::string("twin_out"));
    QCOMPARE(j.source, std::string("twin"));
    QCOMPARE(j.target, std::string("out"));
    QCOMPARE(j.connectivity, ConnectivitySpec{});
    QCOMPARE(j.connectivity.type, ConnectivityType::Dense);
    QCOMPARE(j.weights.type, WeightInitType::Constant);
    QCOMPARE(j.weights.value, 1.0);
    QCOMPARE(j.postsynaptic.model, std::string("DeltaCurr"));
    QVERIFY(j.postsynaptic.params.empty());
    QCOMPARE(j.delaySteps, std::int64_t(0));
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(dialog.okButton()->isEnabled());
    ProjectionForm* form = dialog.form();
    QCOMPARE(current(form->field("connectivity")), int(ConnectivityType::Dense));
    QCOMPARE(shown(form->field("weight_value")), 1.0);
    QCOMPARE(shown(form->field("delay_steps")), 0.0);
    QCOMPARE(qobject_cast<QSpinBox*>(form->field("delay_steps"))->suffix(), QString(" steps"));
    // The dialog's projection is one the engine takes.
    NetworkSpec with = spec;
    with.projections.push_back(j);
    validate(with);
}

void TestProjectionForm::everyTypeRoundTrips() {
    const NetworkSpec spec = network();
    std::vector<ConnectivitySpec> connectivities(4);
    connectivities[1].type = ConnectivityType::OneToOne;
    connectivities[2].type = ConnectivityType::FixedProbability;
    connectivities[2].probability = 0.25;
    connectivities[2].seed = 12345678901234567ull;
    connectivities[3].type = ConnectivityType::Sparse;
    connectivities[3].pre = {0, 3, 19};
    connectivities[3].post = {1, 1, 19};
    std::vector<WeightSpec> weights(5);
    weights[0].value = -0.75;
    weights[1].type = WeightInitType::Uniform;
    weights[1].low = -1.5;
    weights[1].high = 2.25;
    weights[1].seed = 3;
    weights[2].type = WeightInitType::Normal;
    weights[2].mean = 0.1;
    weights[2].sd = 0.05;
    weights[2].seed = 9;
    weights[3].type = WeightInitType::Glorot;
    weights[3].seed = 4;
    weights[4].type = WeightInitType::Npy;
    weights[4].file = "weights/w.npy";

    ProjectionForm form;
    for (const auto& c : connectivities) {
        for (const auto& w : weights) {
            ProjectionSpec j = between("hidden", "twin");
            j.connectivity = c;
            j.weights = w;
            j.delaySteps = 3;
            j.postsynaptic = {"ExpCurr", {{"tau", 8.0}}};
            form.setProjection(j, spec);
            QVERIFY(form.projection() == j);
            QVERIFY2(form.isValid(), qPrintable(form.problem()));
            QCOMPARE(current(form.field("connectivity")), int(c.type));
            QCOMPARE(current(form.field("weights")), int(w.type));
            QCOMPARE(shown(form.field("tau")), 8.0);
            QCOMPARE(shown(form.field("delay_steps")), 3.0);
            const bool fixed = c.type == ConnectivityType::FixedProbability;
            QCOMPARE(form.field("probability")->isVisibleTo(&form), fixed);
            if (fixed) {
                QCOMPARE(shown(form.field("probability")), 0.25);
                QCOMPARE(qobject_cast<QLineEdit*>(form.field("connectivity_seed"))->text(),
                         QString("12345678901234567"));
            }
            QCOMPARE(form.field("weight_low")->isVisibleTo(&form),
                     w.type == WeightInitType::Uniform);
            if (w.type == WeightInitType::Uniform) {
                QCOMPARE(shown(form.field("weight_low")), -1.5);
                QCOMPARE(shown(form.field("weight_high")), 2.25);
            }
            if (w.type == WeightInitType::Normal) QCOMPARE(shown(form.field("weight_sd")), 0.05);
        }
    }
    // A trained weight matrix of the dense shape.
    ProjectionSpec j = between("hidden", "out");
    j.weights.type = WeightInitType::Inline;
    for (int i = 0; i < 200; ++i) j.weights.values.push_back(i * 0.01 - 1.0);
    form.setProjection(j, spec);
    QVERIFY(form.projection() == j);
    QVERIFY(form.isValid());
    auto* combo = qobject_cast<QComboBox*>(form.field("weights"));
    QCOMPARE(combo->currentText(), QString("trained: 200 values"));
}

void TestProjectionForm::editsReachTheProjection() {
    const NetworkSpec spec = network();
    ProjectionForm form;
    form.setProjection(between("hidden", "out"), spec);
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QSignalSpy changed(&form, &ProjectionForm::changed);

    QVERIFY(choose(form.field("connectivity"), int(ConnectivityType::FixedProbability)));
    QVERIFY(form.field("probability")->isVisible());
    typeInto(form.field("probability"), "0.3");
    typeInto(form.field("connectivity_seed"), "77");
    QVERIFY(choose(form.field("weights"), int(WeightInitType::Normal)));
    typeInto(form.field("weight_mean"), "0.5");
    typeInto(form.field("weight_sd"), "0.125");
    typeInto(form.field("weight_seed"), "5");
    typeInto(form.field("delay_steps"), "4");

    const ProjectionSpec& j = form.projection();
    QCOMPARE(j.connectivity.type, ConnectivityType::FixedProbability);
    QCOMPARE(j.connectivity.probability, 0.3);
    QCOMPARE(j.connectivity.seed, std::uint64_t(77));
    QCOMPARE(j.weights.type, WeightInitType::Normal);
    QCOMPARE(j.weights.mean, 0.5);
    QCOMPARE(j.weights.sd, 0.125);
    QCOMPARE(j.weights.seed, std::uint64_t(5));
    QCOMPARE(j.delaySteps, std::int64_t(4));
    QCOMPARE(changed.count(), 8);
    QVERIFY(form.isValid());

    // Only the chosen type's fields are kept: back to dense drops probability and seed.
    QVERIFY(choose(form.field("connectivity"), int(ConnectivityType::Dense)));
    QCOMPARE(form.projection().connectivity, ConnectivitySpec{});
    QVERIFY(!form.field("probability")->isVisible());
    // A Return without a change is no edit.
    typeInto(form.field("delay_steps"), "4");
    QCOMPARE(changed.count(), 9);
}

void TestProjectionForm::invalidValuesRefusedWithReason() {
    const NetworkSpec spec = network();
    ProjectionDialog dialog(spec, "hidden", "out", "ff");
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    ProjectionForm* form = dialog.form();

    QVERIFY(choose(form->field("connectivity"), int(ConnectivityType::FixedProbability)));
    typeInto(form->field("probability"), "1.5");
    QVERIFY2(form->refusal("probability").contains("probability 1.5") &&
                 form->refusal("probability").contains("must be between 0 and 1"),
             qPrintable(form->refusal("probability")));
    QVERIFY(!form->refusal("probability").contains("projection")); // not its placeholder name
    QCOMPARE(form->refusal("weights"), QString());
    QCOMPARE(dialog.problem(), form->problem());
    QVERIFY(!dialog.okButton()->isEnabled());
    QCOMPARE(shown(form->field("probability")), 1.5); // the refused value stays in view
    // The reason is drawn in red under the section.
    QLabel* reason = nullptr;
    for (auto* label : form->findChildren<QLabel*>())
        if (label->text() == form->problem()) reason = label;
    QVERIFY(reason && reason->isVisible());
    const QImage image = reason->grab().toImage();
    int red = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb c = image.pixel(x, y);
            red += qRed(c) > 150 && qGreen(c) < 100 && qBlue(c) < 100;
        }
    QVERIFY2(red > 20, qPrintable(QString::number(red)));
    typeInto(form->field("probability"), "1");
    QVERIFY(form->isValid());
    QVERIFY(!reason->isVisible());
    QVERIFY(dialog.okButton()->isEnabled());

    QVERIFY(choose(form->field("connectivity"), int(ConnectivityType::OneToOne)));
    QVERIFY2(form->refusal("connectivity").contains("one_to_one needs equal sizes") &&
                 form->refusal("connectivity").contains("\"hidden\" has 20"),
             qPrintable(form->problem()));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(choose(form->field("connectivity"), int(ConnectivityType::Dense)));

    QVERIFY(choose(form->field("weights"), int(WeightInitType::Uniform)));
    typeInto(form->field("weight_low"), "2");
    QVERIFY2(form->refusal("weight_high").contains("uniform low 2") &&
                 form->refusal("weight_high").contains("exceeds high 1"),
             qPrintable(form->problem()));
    QCOMPARE(form->refusal("connectivity"), QString());
    QVERIFY(!dialog.okButton()->isEnabled());
    typeInto(form->field("weight_high"), "3");
    QVERIFY(dialog.okButton()->isEnabled());

    QVERIFY(choose(form->field("weights"), int(WeightInitType::Normal)));
    typeInto(form->field("weight_sd"), "-0.5");
    QVERIFY2(form->refusal("weight_sd").contains("normal sd -0.5") &&
                 form->refusal("weight_sd").contains("must be >= 0"),
             qPrintable(form->problem()));
    QVERIFY(!dialog.okButton()->isEnabled());
    typeInto(form->field("weight_sd"), "0.5");

    QVERIFY(choose(form->field("postsynaptic"), "ExpCurr"));
    typeInto(form->field("tau"), "0");
    QVERIFY2(form->refusal("tau").contains("tau") && form->refusal("tau").contains("> 0"),
             qPrintable(form->problem()));
    QVERIFY(!dialog.okButton()->isEnabled());
    typeInto(form->field("tau"), "2");

    typeInto(form->field("delay_steps"), "20000");
    QVERIFY2(form->refusal("delay_steps").contains("delay 20000 steps must be between 0 and"),
             qPrintable(form->problem()));
    QVERIFY(!dialog.okButton()->isEnabled());
    typeInto(form->field("delay_steps"), "2");
    QVERIFY(dialog.okButton()->isEnabled());
    QCOMPARE(dialog.result().postsynaptic.params.at("tau"), 2.0);
}

void TestProjectionForm::invalidNamesRefused() {
    ProjectionDialog dialog(network(), "hidden", "out", "hidden_out_2");
    QVERIFY(dialog.okButton()->isEnabled());
    const std::pair<const char*, const char*> refused[] = {
        {"hidden_out", "projection \"hidden_out\": the name is already used"},
        {"twin", "projection \"twin\": the name is already used"},
        {"", "projection with an empty name"},
        {"a.b", "names may not contain '.'"}};
    for (const auto& [name, reason] : refused) {
        typeInto(dialog.nameEdit(), name);
        QVERIFY2(dialog.problem().contains(reason), qPrintable(dialog.problem()));
        QVERIFY(!dialog.okButton()->isEnabled());
    }
    typeInto(dialog.nameEdit(), "feedback");
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(dialog.okButton()->isEnabled());
    QCOMPARE(dialog.result().name, std::string("feedback"));
}

void TestProjectionForm::okAcceptsThroughOpen() {
    QWidget window;
    window.resize(400, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* opened = new ProjectionDialog(network(), "hidden", "twin", "hidden_twin", &window);
    opened->setAttribute(Qt::WA_DeleteOnClose);
    opened->open(); // returns at once, as the canvas calls it

    auto* dialog = window.findChild<ProjectionDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    QSignalSpy accepted(dialog, &QDialog::accepted);
    ProjectionSpec added;
    connect(dialog, &QDialog::accepted, [&] { added = dialog->result(); });
    QTest::keyClicks(dialog->nameEdit(), "_x");
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(added.name, std::string("hidden_twin_x"));
    QCOMPARE(added.source, std::string("hidden"));
    QCOMPARE(added.target, std::string("twin"));

    // A disabled OK accepts nothing.
    ProjectionDialog refused(network(), "hidden", "out", "hidden_out");
    QSignalSpy refusedAccepted(&refused, &QDialog::accepted);
    refused.open();
    QVERIFY(!refused.okButton()->isEnabled());
    QTest::mouseClick(refused.okButton(), Qt::LeftButton);
    QCOMPARE(refusedAccepted.count(), 0);
    refused.reject();
}

void TestProjectionForm::trainedWeightsAndListsKept() {
    const NetworkSpec spec = network();
    ProjectionSpec j = between("hidden", "out");
    j.connectivity.type = ConnectivityType::Sparse;
    j.connectivity.pre = {0, 5, 19, 7};
    j.connectivity.post = {9, 0, 3, 3};
    j.weights.type = WeightInitType::Inline;
    j.weights.values = {0.1, -0.2, 0.30000000000000004, 4e-9};
    j.weights.seed = 42;
    ProjectionForm form;
    form.setProjection(j, spec);
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    auto* connectivity = qobject_cast<QComboBox*>(form.field("connectivity"));
    auto* weights = qobject_cast<QComboBox*>(form.field("weights"));
    QCOMPARE(connectivity->currentText(), QString("explicit list of 4 synapses"));
    QCOMPARE(weights->currentText(), QString("trained: 4 values"));
    QVERIFY(!form.field("weight_seed")->isVisible());

    // Edits elsewhere leave list and weights exactly as they were.
    typeInto(form.field("delay_steps"), "7");
    ProjectionSpec expected = j;
    expected.delaySteps = 7;
    QVERIFY(form.projection() == expected);

    // Another type replaces the weights; the trained entry brings them back exactly.
    QVERIFY(choose(weights, int(WeightInitType::Uniform)));
    QCOMPARE(form.projection().weights.type, WeightInitType::Uniform);
    QVERIFY(form.projection().weights.values.empty());
    QVERIFY(choose(weights, int(WeightInitType::Inline)));
    QVERIFY(form.projection() == expected);

    // Weights in a file are kept by name.
    ProjectionSpec file = between("hidden", "out");
    file.weights.type = WeightInitType::Npy;
    file.weights.file = "trained/hidden_out.npy";
    form.setProjection(file, spec);
    QCOMPARE(weights->currentText(), QString("file trained/hidden_out.npy"));
    typeInto(form.field("delay_steps"), "1");
    QCOMPARE(form.projection().weights, file.weights);
    QVERIFY(form.isValid());
}

void TestProjectionForm::connectivityChangeReplacesTrainedWeights() {
    const NetworkSpec spec = network();
    ProjectionSpec j = between("hidden", "out");
    j.weights.type = WeightInitType::Inline;
    j.weights.values.assign(200, 0.5);
    j.weights.seed = 42;
    ProjectionForm form;
    form.setProjection(j, spec);
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));

    // As Document does: trained weights of another shape become Glorot weights of their seed,
    // and the form shows it.
    QVERIFY(choose(form.field("connectivity"), int(ConnectivityType::FixedProbability)));
    QCOMPARE(form.projection().weights.type, WeightInitType::Glorot);
    QCOMPARE(form.projection().weights.seed, std::uint64_t(42));
    QCOMPARE(current(form.field("weights")), int(WeightInitType::Glorot));
    QCOMPARE(qobject_cast<QLineEdit*>(form.field("weight_seed"))->text(), QString("42"));
    QVERIFY(form.isValid());

    // revert() shows the projection given again.
    form.revert();
    QVERIFY(form.projection() == j);
    QCOMPARE(current(form.field("connectivity")), int(ConnectivityType::Dense));
    QCOMPARE(current(form.field("weights")), int(WeightInitType::Inline));
}

void TestProjectionForm::postsynapticRowsFromTable() {
    ProjectionForm form;
    form.setProjection(between("hidden", "out"), network());
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QVERIFY(!form.field("tau"));

    const PostsynapticModelInfo& expCurr = postsynapticModel("ExpCurr", "test");
    QVERIFY(choose(form.field("postsynaptic"), "ExpCurr"));
    QCOMPARE(qobject_cast<QComboBox*>(form.field("postsynaptic"))->currentText(),
             QString("ExpCurr"));
    auto* tau = qobject_cast<QDoubleSpinBox*>(form.field("tau"));
    QVERIFY(tau);
    QTRY_VERIFY(tau->isVisible());
    QCOMPARE(tau->value(), expCurr.params.front().defaultValue);
    QCOMPARE(tau->suffix(), QString(" ms"));
    QVERIFY(tau->toolTip().contains(QString::fromStdString(expCurr.params.front().description)));
    QVERIFY(tau->toolTip().contains("tau > 0 ms"));
    QVERIFY(tau->toolTip().contains("Default: 5 ms"));
    // Defaults are not written into the spec until changed.
    QCOMPARE(form.projection().postsynaptic, (SynapseModelRef{"ExpCurr", {}}));
    typeInto(tau, "12.5");
    QCOMPARE(form.projection().postsynaptic.params.at("tau"), 12.5);

    QVERIFY(choose(form.field("postsynaptic"), "DeltaCurr"));
    QVERIFY(!form.field("tau"));
    QCOMPARE(form.projection().postsynaptic, (SynapseModelRef{"DeltaCurr", {}}));
}

void TestProjectionForm::sameProjectionKeepsEditInProgress() {
    NetworkSpec spec = network();
    ProjectionSpec j = between("hidden", "twin");
    ProjectionForm form;
    form.setProjection(j, spec);
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QVERIFY(choose(form.field("connectivity"), int(ConnectivityType::FixedProbability)));
    typeInto(form.field("probability"), "2");
    const QString reason = form.refusal("probability");
    QVERIFY(!reason.isEmpty());

    // The same projection again (the document changed elsewhere) keeps the edit in view.
    form.setProjection(j, spec);
    QCOMPARE(form.refusal("probability"), reason);
    QCOMPARE(shown(form.field("probability")), 2.0);
    QCOMPARE(current(form.field("connectivity")), int(ConnectivityType::FixedProbability));

    // Another projection replaces it.
    j.connectivity.type = ConnectivityType::OneToOne;
    form.setProjection(j, spec);
    QVERIFY(form.isValid());
    QVERIFY(form.projection() == j);
    QCOMPARE(shown(form.field("probability")), 0.1);

    // So do other populations: one_to_one no longer fits a resized target.
    spec.populations[1].size = 12;
    form.setProjection(j, spec);
    QVERIFY2(form.refusal("connectivity").contains("\"twin\" has 12"), qPrintable(form.problem()));
}

QTEST_MAIN(TestProjectionForm)
#include "test_projection_form.moc"
