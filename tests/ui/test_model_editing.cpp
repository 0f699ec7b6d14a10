// A project's own neuron model edited while the network runs, in the whole window: Ctrl+M
// opens the model editor; code typed there and applied changes the spikes of the population
// that uses the model from the next step only, the other populations run on, and Ctrl+Z puts
// the old model back, again from the next step.
#include "default_project.h"
#include "document.h"
#include "main_window.h"
#include "model_code_edit.h"
#include "inspector.h"
#include "model_editor.h"
#include "node_palette.h"
#include "raster_view.h"
#include "wait_for.h"
#include "window_steps.h"

#include "spikelab/experiment.h"
#include "spikelab/project.h"

#include <QComboBox>
#include <QDockWidget>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

// The MNIST tutorial's IF neuron typed in GeNN's syntax; `drive` scales the input.
NeuronModelDeclaration typedIf(const std::string& sim = "V += Isyn;") {
    NeuronModelDeclaration m;
    m.name = "GennIF";
    m.description = "GeNN's tutorial IF neuron, typed";
    ParamInfo vthr, v;
    vthr.name = "Vthr";
    vthr.defaultValue = 5.0;
    v.name = "V";
    m.parameters = {vthr};
    m.state = {v};
    m.sim = sim;
    m.threshold = "V >= Vthr";
    m.reset = "V = 0;";
    m.voltage = "V";
    m.thresholdParameter = "Vthr";
    return m;
}

// The default project with its hidden layer made of `model`, as the engine runs it.
CompiledNetwork network(const NeuronModelDeclaration& model) {
    const std::string file = kDefaultProject.toStdString();
    NetworkSpec spec = loadProject(file);
    spec.models = {model};
    spec.populations[1].model = model.name;
    return compileNetwork(spec, projectDir(file));
}

// The engine alone (window_steps.h): the spikes of `population`.
std::vector<SpikeEvent> referenceSpikes(int population, std::int64_t steps,
                                        const std::function<void(Backend&, std::int64_t)>& atStep) {
    static const auto data = loadImageDataset("fashion-mnist", "test", std::nullopt, 5);
    return runAlone(network(typedIf()), data, steps, atStep)->spikes(population, 0).all();
}

std::vector<SpikeEvent> between(const std::vector<SpikeEvent>& v, std::int64_t a, std::int64_t b) {
    std::vector<SpikeEvent> out;
    for (const auto& e : v)
        if (e.step >= a && e.step < b) out.push_back(e);
    return out;
}

} // namespace

class TestModelEditing : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_, cacheDir_;
private slots:
    void initTestCase() {
        if (!std::filesystem::exists(kFashionImages))
            QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        QCoreApplication::setOrganizationName("SpikeLabTest");
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        QSettings().setValue("simulation/speed", 0.0);
        // Models compiled at run time go to this test's own cache, not the user's.
        qputenv("XDG_CACHE_HOME", cacheDir_.path().toUtf8());
    }

    void applyMidRunChangesThatPopulationFromTheNextStepAndUndoRestoresIt() {
        MainWindow w;
        QVERIFY(w.openProject(kDefaultProject));
        w.resize(1280, 820);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // The hidden layer made of the typed IF, as a project that declares it opens.
        QString error;
        QVERIFY2(w.document()->setModel("", typedIf(), &error), qPrintable(error));
        QVERIFY2(w.document()->setPopulationModel("hidden", "GennIF", &error), qPrintable(error));
        // The palette and the inspector's model list offer it like a built-in model.
        QVERIFY(!w.palette()->findItems("GennIF", Qt::MatchExactly).isEmpty());
        w.inspector()->setItem("hidden");
        bool listed = false;
        for (auto* combo : w.inspector()->findChildren<QComboBox*>())
            listed = listed || combo->findData("GennIF") >= 0;
        QVERIFY(listed);
        auto* controller = w.controller();
        stepAndWait(w, 40);
        QCOMPARE(controller->network().populations[1].model->name, std::string("GennIF"));

        // Ctrl+M opens the editor; the user doubles the drive in the sim code and applies.
        auto* dock = w.findChild<QDockWidget*>("modelEditorDock");
        QVERIFY(dock && !dock->isVisible());
        QTest::keyClick(&w, Qt::Key_M, Qt::ControlModifier);
        QVERIFY(waitFor([&] { return dock->isVisible(); }));
        auto* editor = w.findChild<ModelEditor*>();
        editor->selectModel("GennIF");
        auto* sim = editor->findChild<ModelCodeEdit*>("sim");
        QVERIFY(sim);
        sim->setFocus();
        QTest::keyClick(sim, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(sim, "V += 2 * Isyn;");
        editor->checkNow();
        auto* apply = editor->findChild<QPushButton*>("apply");
        QVERIFY(apply && apply->isEnabled());
        const int edits = w.undoStack()->count();
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(w.undoStack()->count(), edits + 1);
        QCOMPARE(w.document()->spec().models.at(0).sim, std::string("V += 2 * Isyn;"));
        QVERIFY2(w.controller() == controller, "the running network was not rebuilt");
        stepAndWait(w, 40);
        QCOMPARE(controller->network().populations[1].model->declaration->sim, std::string("V += 2 * Isyn;"));

        // Ctrl+Z: the old model from the next step on.
        QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(w.document()->spec().models.at(0).sim, std::string("V += Isyn;"));
        stepAndWait(w, 40);
        QVERIFY(w.controller() == controller);
        QCOMPARE(controller->stepsDone(), std::int64_t(120));

        const auto doubled = network(typedIf("V += 2 * Isyn;")).populations[1];
        const auto plain = network(typedIf()).populations[1];
        const auto edited = [&](int population) {
            return referenceSpikes(population, 120, [&](Backend& b, std::int64_t t) {
                if (t == 40) b.setNeuronModel(1, *doubled.model, doubled.params, doubled.initial);
                if (t == 80) b.setNeuronModel(1, *plain.model, plain.params, plain.initial);
            });
        };
        const auto want = edited(1);
        QVERIFY(w.raster(1)->spikesInWindow() == want);
        const auto untouched = referenceSpikes(1, 120, {});
        QVERIFY(between(want, 0, 40) == between(untouched, 0, 40));
        QVERIFY(between(want, 40, 80).size() > between(untouched, 40, 80).size());
        // Sample 1 starts at step 100 from the initial state under the old model again.
        QVERIFY(between(want, 100, 120) == between(untouched, 100, 120));
        // The input layer runs on as if nothing had happened; the output follows the hidden layer.
        QVERIFY(w.raster(0)->spikesInWindow() == referenceSpikes(0, 120, {}));
        QVERIFY(w.raster(2)->spikesInWindow() == edited(2));
    }
};

QTEST_MAIN(TestModelEditing)
#include "test_model_editing.moc"
