// Document: undo and redo are byte-exact, refused edits change nothing, drags merge into one
// step, each named edit is one undo step (or a refusal that says why), removals take their dependents along, trained weights are flagged before they are
// lost, Save As keeps weight files reachable, autosave and recovery restore the last edit.
#include "document.h"

#include "wait_for.h"

#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/project.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <cmath>
#include <limits>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

PopulationSpec lif(const std::string& name, std::int64_t size) {
    PopulationSpec p;
    p.name = name;
    p.size = size;
    return p;
}

ProjectionSpec projectionFrom(const std::string& source, const std::string& target,
                              const std::string& name = {}) {
    ProjectionSpec j;
    j.name = name;
    j.source = source;
    j.target = target;
    j.weights.value = 0.5;
    return j;
}

InputSpec current(const std::string& target) {
    InputSpec in;
    in.target = target;
    return in;
}

std::string json(const Document& document) {
    return projectToJson(document.spec());
}

QByteArray bytesOf(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Copies the fashion-mnist-if example (JSON and .npy files) into `folder`; its JSON path.
QString copyExample(const QString& folder) {
    const QString from = QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/";
    QDir().mkpath(folder);
    for (const QString& name : QDir(from).entryList(QDir::Files))
        QFile::copy(from + name, folder + "/" + name);
    return folder + "/fashion-mnist-if.json";
}

} // namespace

class TestDocument : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void undoAndRedoAllAreByteExact();
    void saveLoadSaveGivesSameBytes();
    void invalidEditsChangeNothing();
    void dragsAreOneUndoStep();
    void removingPopulationTakesDependents();
    void trainedWeightsFlaggedBeforeLoss();
    void saveAsElsewhereKeepsWeightFiles();
    void autosaveIsRecovered();
    void namedEditsAreOneStepEach();
};

void TestDocument::undoAndRedoAllAreByteExact() {
    Document doc;
    QSignalSpy changed(&doc, &Document::changed);
    const std::string empty = json(doc);
    const NetworkSpec emptySpec = doc.spec();
    QCOMPARE(emptySpec.name, std::string("untitled"));
    QVERIFY(!doc.isModified());

    QCOMPARE(doc.addPopulation(lif("", 10)), std::string("pop1"));
    QCOMPARE(doc.addPopulation(lif("", 5)), std::string("pop2"));
    QCOMPARE(doc.addProjection(projectionFrom("pop1", "pop2")), std::string("pop1_pop2"));
    QCOMPARE(doc.addProjection(projectionFrom("pop2", "pop2")),
             std::string("pop2_pop2")); // recurrent
    QCOMPARE(doc.addInput(current("pop1")), std::string("input1"));
    QVERIFY(doc.renameItem("pop1", "sensory"));
    QVERIFY(doc.moveNodes({{"sensory", {10, 20}}, {"input1", {-30, 20}}}, 1));
    QVERIFY(doc.setParameter({"sensory", "Vthresh", -45.0}, 2));
    QCOMPARE(doc.undoStack()->count(), 8);
    QCOMPARE(changed.count(), 8);
    QVERIFY(doc.isModified());

    const NetworkSpec& s = doc.spec();
    QCOMPARE(s.projections[0].source, std::string("sensory"));
    QCOMPARE(s.inputs[0].target, std::string("sensory"));
    QCOMPARE(s.populations[0].params.at("Vthresh"), -45.0);
    QCOMPARE(*s.inputs[0].position, (CanvasPosition{-30, 20}));
    const NetworkSpec full = s;
    const std::string fullJson = json(doc);

    while (doc.undoStack()->canUndo()) doc.undoStack()->undo();
    QCOMPARE(json(doc), empty);
    QVERIFY(doc.spec() == emptySpec);
    QVERIFY(!doc.isModified());
    QCOMPARE(changed.count(), 16);
    while (doc.undoStack()->canRedo()) doc.undoStack()->redo();
    QCOMPARE(json(doc), fullJson);
    QVERIFY(doc.spec() == full);
}

void TestDocument::saveLoadSaveGivesSameBytes() {
    QTemporaryDir tmp;
    const QString path = copyExample(tmp.path() + "/p");
    Document doc;
    QSignalSpy modified(&doc, &Document::modifiedChanged);
    QVERIFY(doc.load(path));
    QCOMPARE(doc.path(), path);
    QCOMPARE(doc.displayName(), QString("fashion-mnist-if.json"));
    QVERIFY(doc.setParameter({"hidden", "Vthr", 4.25}, 1));
    QVERIFY(doc.isModified());
    QString error;
    QVERIFY2(doc.save(&error), qPrintable(error));
    QVERIFY(!doc.isModified());
    QCOMPARE(modified.count(), 2);
    const QByteArray first = bytesOf(path);
    QVERIFY(first.contains("4.25"));

    Document again;
    QVERIFY(again.load(path));
    QVERIFY(again.spec() == doc.spec());
    const QString second = tmp.path() + "/p/second.json";
    QVERIFY(again.saveAs(second));
    QCOMPARE(bytesOf(second), first);
    QCOMPARE(again.path(), second);

    // Failures name the file and leave the document as it was.
    QVERIFY(!again.load(tmp.path() + "/missing.json", &error));
    QVERIFY2(error.contains("missing.json"), qPrintable(error));
    QVERIFY(!again.saveAs(tmp.path() + "/no/such/folder/x.json", &error));
    QVERIFY2(error.contains("folder"), qPrintable(error));
    QCOMPARE(again.path(), second);
    QVERIFY(again.spec() == doc.spec());
    Document untitled;
    QVERIFY(!untitled.save(&error));
    QVERIFY2(error.contains("Save As"), qPrintable(error));
}

void TestDocument::invalidEditsChangeNothing() {
    Document doc;
    QVERIFY(!doc.addPopulation(lif("a", 4)).empty());
    QVERIFY(!doc.addPopulation(lif("b", 4)).empty());
    const std::string before = json(doc);
    const int steps = doc.undoStack()->count();
    QSignalSpy changed(&doc, &Document::changed);
    const double nan = std::numeric_limits<double>::quiet_NaN();

    const auto refused = [&](const char* what, bool ok, const QString& error,
                             const QString& expected) {
        QVERIFY2(!ok, what);
        QVERIFY2(error.contains(expected), qPrintable(QString(what) + ": " + error));
        QCOMPARE(json(doc), before);
        QCOMPARE(doc.undoStack()->count(), steps);
        QCOMPARE(changed.count(), 0);
    };
    QString e;
    refused("negative size", !doc.addPopulation(lif("c", -3), &e).empty(), e, "size -3");
    PopulationSpec unknown = lif("c", 3);
    unknown.model = "Nope";
    refused("unknown model", !doc.addPopulation(unknown, &e).empty(), e, "Nope");
    refused("missing target", !doc.addProjection(projectionFrom("a", "ghost"), &e).empty(), e,
            "ghost");
    refused("duplicate name", !doc.addPopulation(lif("b", 2), &e).empty(), e, "already used");
    refused("rename onto b", doc.renameItem("a", "b", &e), e, "already used");
    refused("NaN parameter", doc.setParameter({"a", "Vthresh", nan}, 1, &e), e, "Vthresh");
    refused("unknown parameter", doc.setParameter({"a", "Vthr", 1.0}, 1, &e), e, "Vthr");
    refused("size zero", doc.setPopulationSize("a", 0, &e), e, "size 0");
    refused("unknown model", doc.setPopulationModel("a", "Nope", &e), e, "Nope");
    refused("remove ghost", doc.removeItems({"ghost"}, &e), e, "ghost");
    refused("move ghost", doc.moveNodes({{"ghost", {0, 0}}}, 1, &e), e, "ghost");
    refused("move to NaN", doc.moveNodes({{"a", {nan, 0}}}, 1, &e), e, "finite");
    refused("bad name",
            doc.apply(
                "Rename", [](NetworkSpec& s) { s.populations[0].name = "a.b"; }, &e),
            e, "a.b");
    // Setting what is already there is accepted and pushes nothing.
    QVERIFY(doc.setPopulationSize("a", 4));
    QVERIFY(doc.setParameter({"a", "Vthresh", -50.0}, 2));
    QCOMPARE(doc.undoStack()->count(), steps);
}

void TestDocument::dragsAreOneUndoStep() {
    Document doc;
    QVERIFY(!doc.addPopulation(lif("a", 4)).empty());
    QVERIFY(!doc.addPopulation(lif("b", 4)).empty());
    const NetworkSpec start = doc.spec();
    QSignalSpy reported(&doc, &Document::parameterChanged);

    for (double v : {-49.0, -48.0, -47.5}) QVERIFY(doc.setParameter({"a", "Vthresh", v}, 7));
    QCOMPARE(doc.undoStack()->count(), 3);
    QCOMPARE(doc.undoStack()->text(2), QString("a.Vthresh -50 → -47.5"));
    QCOMPARE(reported.count(), 3);

    for (int dx = 1; dx <= 5; ++dx)
        QVERIFY(doc.moveNodes({{"a", {10.0 + dx, 0}}, {"b", {50.0 + dx, 8}}}, 8));
    QCOMPARE(doc.undoStack()->count(), 4);
    QCOMPARE(doc.undoStack()->text(3), QString("Move 2 nodes"));
    QCOMPARE(*doc.spec().populations[1].position, (CanvasPosition{55, 8}));

    // Another interaction is another step; a drag back to where it began leaves none.
    QVERIFY(doc.moveNodes({{"a", {0, 0}}}, 9));
    QVERIFY(doc.moveNodes({{"a", {15, 0}}}, 9));
    QCOMPARE(doc.undoStack()->count(), 4);

    doc.undoStack()->undo();
    QVERIFY(!doc.spec().populations[0].position && !doc.spec().populations[1].position);
    doc.undoStack()->undo();
    QVERIFY(doc.spec() == start);
    QCOMPARE(reported.last().at(0).value<ParameterChange>().value, -50.0);
}

void TestDocument::removingPopulationTakesDependents() {
    Document doc;
    for (const char* name : {"a", "b", "c"}) QVERIFY(!doc.addPopulation(lif(name, 3)).empty());
    for (const auto& [s, t] : {std::pair{"a", "b"}, {"b", "c"}, {"b", "b"}, {"c", "a"}})
        QVERIFY(!doc.addProjection(projectionFrom(s, t)).empty());
    QVERIFY(!doc.addInput(current("b")).empty());
    QVERIFY(!doc.addInput(current("a")).empty());
    QVERIFY(doc.apply("Read out b",
                      [](NetworkSpec& s) { s.experiment.readout = s.populations[1].name; }));
    const std::string before = json(doc);
    const int steps = doc.undoStack()->count();

    QVERIFY(doc.removeItems({"b"}));
    QCOMPARE(doc.undoStack()->count(), steps + 1);
    const NetworkSpec& s = doc.spec();
    QCOMPARE(s.populations.size(), std::size_t(2));
    QCOMPARE(s.projections.size(), std::size_t(1));
    QCOMPARE(s.projections[0].name, std::string("c_a"));
    QCOMPARE(s.inputs.size(), std::size_t(1));
    QCOMPARE(s.inputs[0].target, std::string("a"));
    QVERIFY(s.experiment.readout.empty());

    doc.undoStack()->undo();
    QCOMPARE(json(doc), before);

    QVERIFY(doc.removeItems({"c_a", "input2"}));
    QCOMPARE(doc.spec().projections.size(), std::size_t(3));
    QCOMPARE(doc.spec().inputs.size(), std::size_t(1));
}

void TestDocument::trainedWeightsFlaggedBeforeLoss() {
    Document doc;
    QVERIFY(doc.load(QString(SPIKELAB_SOURCE_DIR) +
                     "/projects/fashion-mnist-if/fashion-mnist-if.json"));
    QCOMPARE(doc.weightsLostBySize("hidden", 100), QStringList({"input_hidden", "hidden_output"}));
    QCOMPARE(doc.weightsLostBySize("hidden", 128), QStringList());
    QCOMPARE(doc.weightsLostByEndpoints("input_hidden", "input", "output"),
             QStringList({"input_hidden"}));
    ConnectivitySpec oneToOne;
    oneToOne.type = ConnectivityType::OneToOne;
    QCOMPARE(doc.weightsLostByConnectivity("hidden_output", oneToOne),
             QStringList({"hidden_output"}));

    WeightSpec constant;
    constant.value = 0.25;
    QVERIFY(doc.setWeights("hidden_output", constant));
    QCOMPARE(doc.weightsLostBySize("output", 20), QStringList());
    QCOMPARE(doc.weightsLostBySize("hidden", 100), QStringList({"input_hidden"}));
    QVERIFY(doc.renameItem("hidden", "middle"));
    QCOMPARE(doc.spec().projections[0].target, std::string("middle"));
    QCOMPARE(doc.spec().projections[0].weights.type, WeightInitType::Npy); // renames keep them
    doc.undoStack()->undo();

    const NetworkSpec trained = doc.spec();
    QVERIFY(doc.setPopulationSize("hidden", 100));
    const auto& j = doc.spec().projections;
    QCOMPARE(j[0].weights.type, WeightInitType::Glorot);
    QCOMPARE(j[0].weights.seed, trained.projections[0].weights.seed);
    QVERIFY(j[0].weights.file.empty());
    QVERIFY(j[1].weights == constant);
    QCOMPARE(doc.spec().findPopulation("hidden")->size, std::int64_t(100));
    doc.undoStack()->undo();
    QVERIFY(doc.spec() == trained);
}

void TestDocument::saveAsElsewhereKeepsWeightFiles() {
    QTemporaryDir tmp;
    const QString original = copyExample(tmp.path() + "/a");
    Document doc;
    QVERIFY(doc.load(original));
    QVERIFY(doc.setParameter({"output", "Vthr", 6.0}, 1));
    const QString moved = tmp.path() + "/b/sub/net.json";
    QVERIFY(QDir().mkpath(tmp.path() + "/b/sub"));
    QString error;
    QVERIFY2(doc.saveAs(moved, &error), qPrintable(error));
    QCOMPARE(doc.path(), moved);
    QCOMPARE(doc.spec().projections[0].weights.file, std::string("../../a/weights_0_1.npy"));
    QVERIFY(bytesOf(moved).contains("\"../../a/weights_1_2.npy\""));

    const NetworkSpec reloaded = loadProject(moved.toStdString());
    try {
        const CompiledNetwork net = compileNetwork(reloaded, projectDir(moved.toStdString()));
        QCOMPARE(net.populations.size(), std::size_t(3));
    } catch (const Error& e) {
        QFAIL(e.what());
    }
    // States the stack returns to name the files from the new folder too.
    doc.undoStack()->undo();
    QCOMPARE(doc.spec().projections[1].weights.file, std::string("../../a/weights_1_2.npy"));
    QCOMPARE(doc.spec().findPopulation("output")->params.at("Vthr"), 5.0);
    try {
        compileNetwork(doc.spec(), projectDir(moved.toStdString()));
    } catch (const Error& e) {
        QFAIL(e.what());
    }
}

void TestDocument::autosaveIsRecovered() {
    QTemporaryDir tmp;
    const QString path = copyExample(tmp.path() + "/p");
    QVERIFY(!Document::recoveryFile(path));
    Document doc;
    QVERIFY(doc.load(path));
    doc.setAutosaveInterval(50);
    const QString autosave = doc.autosavePath();
    QVERIFY(autosave.startsWith(
        QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)));
    QTest::qWait(120);
    QVERIFY(!QFile::exists(autosave)); // nothing to keep while unmodified

    QVERIFY(doc.setPopulationSize("output", 12) && doc.setParameter({"hidden", "Vthr", 3.5}, 1));
    QVERIFY(waitFor([&] { return QFile::exists(autosave); }, 3000));
    QVERIFY(waitFor([&] { return bytesOf(autosave).contains("3.5"); }, 3000));
    doc.setAutosaveInterval(3600 * 1000); // the program "crashes": no more autosaves
    QCOMPARE(Document::recoveryFile(path).value_or(""), autosave);

    Document recovered;
    QString error;
    QVERIFY2(recovered.recover(autosave, &error), qPrintable(error));
    QVERIFY(recovered.spec() == doc.spec());
    QVERIFY(recovered.isModified());
    QCOMPARE(recovered.path(), path);
    QCOMPARE(recovered.undoStack()->count(), 0);
    QVERIFY(recovered.save(&error));
    QVERIFY(!QFile::exists(autosave));
    QVERIFY(!Document::recoveryFile(path));
    QCOMPARE(loadProject(path.toStdString()).findPopulation("output")->size, std::int64_t(12));

    // An autosave older than the project is no recovery; neither is a file of another kind.
    QVERIFY(doc.autosaveNow());
    QFile file(autosave);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(-3600),
                             QFileDevice::FileModificationTime));
    file.close();
    QVERIFY(!Document::recoveryFile(path));
    QVERIFY(!recovered.recover(path, &error)); // a project, not an autosave
    QVERIFY2(error.contains("not a SpikeLab autosave"), qPrintable(error));
    QVERIFY(!recovered.recover(tmp.path() + "/p/weights_0_1.npy", &error));
    QVERIFY2(error.contains("weights_0_1.npy"), qPrintable(error));
    QVERIFY(!recovered.isModified());

    // A clean close removes the document's autosave.
    {
        Document closing;
        QVERIFY(closing.load(path) && closing.setParameter({"hidden", "Vthr", 2.0}, 1));
        QVERIFY(closing.autosaveNow());
        QVERIFY(QFile::exists(closing.autosavePath()));
    }
    QVERIFY(!QFile::exists(autosave));
}


void TestDocument::namedEditsAreOneStepEach() {
    Document doc;
    PopulationSpec iz = lif("iz", 4);
    iz.model = "Izhikevich";
    QCOMPARE(doc.addPopulation(iz), std::string("iz"));
    const auto steps = [&] { return doc.undoStack()->count(); };
    const auto iz0 = [&] { return *doc.spec().findPopulation("iz"); };

    QVERIFY(doc.applyPreset("iz", "chattering"));
    QCOMPARE(iz0().params.at("c"), -50.0);
    QCOMPARE(iz0().params.at("d"), 2.0);
    QCOMPARE(doc.undoStack()->undoText(), QString("Preset chattering for iz"));
    QString error;
    QVERIFY(!doc.applyPreset("iz", "sleepy", &error));
    QVERIFY2(error.contains("model \"Izhikevich\" has no preset \"sleepy\""), qPrintable(error));
    QCOMPARE(steps(), 2);

    const bool recorded = iz0().record.spikes;
    QVERIFY(doc.setRecordSpikes("iz", !recorded));
    QCOMPARE(iz0().record.spikes, !recorded);
    QVERIFY(doc.setReadout("iz"));
    QCOMPARE(doc.spec().experiment.readout, std::string("iz"));
    QVERIFY(!doc.setReadout("nobody", &error));
    QVERIFY2(error.contains("nobody"), qPrintable(error));
    QVERIFY(doc.setReadout(""));
    QCOMPARE(doc.undoStack()->undoText(), QString("No readout"));
    QCOMPARE(doc.spec().experiment.dataset.name, std::string("fashion-mnist")); // a new project's
    QVERIFY(doc.setDataset("mnist"));
    QVERIFY(doc.setDatasetSplit("train"));
    QVERIFY(doc.setDatasetFolder("data/fashion"));
    QCOMPARE(doc.spec().experiment.dataset,
             (DatasetRef{"mnist", "train", "data/fashion"}));
    QCOMPARE(steps(), 8);

    // An input's encoder: the parameters the new one has too keep their values; an encoder
    // its target cannot take is refused.
    InputSpec in = current("iz");
    in.params["scale"] = 0.5;
    QCOMPARE(doc.addInput(in), std::string("input1"));
    QVERIFY(doc.setInputType("input1", "CurrentInjection"));
    QCOMPARE(doc.spec().inputs[0].params.at("scale"), 0.5);
    const int before = steps();
    QVERIFY(!doc.setInputType("input1", "PoissonRate", &error));
    QVERIFY2(!error.isEmpty(), "a refusal says why");
    QCOMPARE(doc.spec().inputs[0].type, std::string("CurrentInjection"));
    QCOMPARE(steps(), before);

    // Items added together (a paste, an input with its SpikeSource) are one step; a population
    // laid out automatically is pinned where it was shown, and the undo takes it all back.
    NetworkSpec fragment;
    fragment.populations = {lif("added", 2)};
    fragment.projections = {projectionFrom("iz", "added", "iz_added")};
    const NetworkSpec unpasted = doc.spec();
    QVERIFY(doc.addItems("Paste 2 item(s)", fragment, {{"iz", {5, 6}}}));
    QCOMPARE(steps(), before + 1);
    QCOMPARE(*iz0().position, (CanvasPosition{5, 6}));
    QVERIFY(doc.spec().findPopulation("added"));
    QCOMPARE(doc.spec().projections.size(), std::size_t(1));
    // A fragment whose names are taken is refused whole.
    NetworkSpec taken;
    taken.populations = {lif("added", 3)};
    QVERIFY(!doc.addItems("Paste 1 item(s)", taken, {}, &error));
    QVERIFY2(error.contains("added"), qPrintable(error));
    doc.undoStack()->undo();
    QVERIFY(doc.spec() == unpasted);
    doc.undoStack()->redo();

    QVERIFY(doc.moveNodes({{"added", {50, 60}}, {"input1", {-10, 0}}}, 1));
    QVERIFY(doc.clearPositions("Arrange automatically"));
    for (const auto& p : doc.spec().populations) QVERIFY(!p.position);
    for (const auto& i : doc.spec().inputs) QVERIFY(!i.position);
    QCOMPARE(steps(), before + 3);
}

QTEST_MAIN(TestDocument)
#include "test_document.moc"
