// TrainDialog: trains a copy of the Fashion-MNIST project for one epoch exactly as
// `spikelab-cli train` does, plots the loss and accuracy as they come and emits trained();
// cancelling or closing mid-training leaves every file byte for byte as it was; a project
// that is not a feed-forward IF chain cannot start.
#include "train_dialog.h"
#include "wait_for.h"

#include "spikelab/project.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

const QString kSource = QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if";
const char* kFashion = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

// Copies the project folder into `dir`; returns the copied project file.
QString copyProject(const QTemporaryDir& dir) {
    for (const QString& name : QDir(kSource).entryList(QDir::Files))
        QFile::copy(kSource + "/" + name, dir.filePath(name));
    return dir.filePath("fashion-mnist-if.json");
}

QMap<QString, QByteArray> snapshot(const QTemporaryDir& dir) {
    QMap<QString, QByteArray> files;
    for (const QString& name : QDir(dir.path()).entryList(QDir::Files)) {
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::ReadOnly)) files[name] = f.readAll();
    }
    return files;
}

} // namespace

class TestTrainDialog : public QObject {
    Q_OBJECT
private slots:
    void trainsOneEpochLikeTheCli();
    void cancelAndCloseLeaveTheFilesUntouched();
    void refusesAProjectThatIsNotAChain();
};

void TestTrainDialog::trainsOneEpochLikeTheCli() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    QTemporaryDir dir, cliDir;
    const QString path = copyProject(dir);
    const QString cliPath = copyProject(cliDir);
    const auto before = snapshot(dir);

    TrainDialog d(path, loadProject(path.toStdString()));
    d.show();
    QSignalSpy trained(&d, &TrainDialog::trained), finished(&d, &TrainDialog::finished);
    QVERIFY(d.start(1, 3000));
    QVERIFY(waitFor([&] { return finished.count() == 1; }, 30000));
    QCOMPARE(trained.count(), 1);
    QCOMPARE(trained.front().front().toString(), path);
    QVERIFY2(d.stageText().startsWith("Done"), qPrintable(d.stageText()));
    QVERIFY2(d.resultText().contains("SNN test accuracy"), qPrintable(d.resultText()));

    // 3,000 images in minibatches of 64: 47 loss points, the last at the end of epoch 1.
    const auto loss = d.lossPoints();
    QCOMPARE(loss.size(), 47);
    QCOMPARE(loss.back().x(), 1.0);
    QVERIFY(loss.front().y() > loss.back().y());
    QCOMPARE(d.trainAccuracyPoints().size(), 1);
    QCOMPARE(d.testAccuracyPoints().size(), 1);
    QVERIFY(d.testAccuracyPoints().front().y() > 50.0);

    // The weights changed on disk, and the project still loads.
    const auto after = snapshot(dir);
    QVERIFY(after["weights_0_1.npy"] != before["weights_0_1.npy"]);
    QVERIFY(after["weights_1_2.npy"] != before["weights_1_2.npy"]);
    QCOMPARE(after.keys(), before.keys());
    loadProject(path.toStdString());

    // The CLI on an identical copy gives the same ANN, gamma and SNN and the same files.
    QProcess cli;
    cli.start(SPIKELAB_CLI,
              {"train", cliPath, "--epochs", "1", "--train-samples", "3000", "--json"});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject j = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    QVERIFY(d.result().has_value());
    QCOMPARE(d.result()->annTestAccuracy, j["ann_test_accuracy"].toDouble());
    QCOMPARE(d.result()->gamma, j["gamma"].toDouble());
    QCOMPARE(d.result()->snn.accuracy, j["snn_test_accuracy"].toDouble());
    QCOMPARE(qint64(d.result()->snn.samples), qint64(10000));
    QCOMPARE(d.testAccuracyPoints().front().y(),
             100.0 * j["epochs"].toArray().at(0).toObject()["test_accuracy"].toDouble());
    // Same weight files; the projects differ only in how provenance names the command.
    const auto cliFiles = snapshot(cliDir);
    QCOMPARE(cliFiles.keys(), after.keys());
    for (const QString& name : after.keys())
        if (name.endsWith(".npy")) QCOMPARE(cliFiles[name], after[name]);
    auto fromDialog = loadProject(path.toStdString());
    auto fromCli = loadProject(cliPath.toStdString());
    QCOMPARE(QString::fromStdString(fromDialog.provenance.command),
             QString("SpikeLab workbench, Train (ANN to SNN): 1 epoch, first 3000 training images"));
    QVERIFY(fromCli.provenance.command.find("spikelab-cli train") != std::string::npos);
    fromDialog.provenance.command = fromCli.provenance.command;
    QVERIFY(fromDialog == fromCli);
}

void TestTrainDialog::cancelAndCloseLeaveTheFilesUntouched() {
    if (!std::filesystem::exists(kFashion))
        QSKIP("Fashion-MNIST is not installed (dataset-fashion-mnist)");
    QTemporaryDir dir;
    const QString path = copyProject(dir);
    const auto before = snapshot(dir);

    TrainDialog d(path, loadProject(path.toStdString()));
    QSignalSpy trained(&d, &TrainDialog::trained), finished(&d, &TrainDialog::finished);
    QVERIFY(d.start(20));
    QVERIFY(!d.start(20)); // one run at a time
    QVERIFY(waitFor([&] { return !d.lossPoints().isEmpty(); }, 20000));
    d.cancel();
    QVERIFY(waitFor([&] { return finished.count() == 1; }, 5000));
    QCOMPARE(trained.count(), 0);
    QVERIFY2(d.stageText().contains("unchanged"), qPrintable(d.stageText()));
    QVERIFY(!d.result().has_value());
    QVERIFY(d.trainAccuracyPoints().size() < 20);
    QCOMPARE(snapshot(dir), before);

    // Closing mid-training cancels and waits.
    d.show();
    QVERIFY(d.start(20));
    QVERIFY(waitFor([&] { return !d.lossPoints().isEmpty(); }, 20000));
    d.close();
    QVERIFY(!d.isRunning());
    QVERIFY(waitFor([&] { return finished.count() == 2; }, 5000));
    QCOMPARE(trained.count(), 0);
    QCOMPARE(snapshot(dir), before);
}

void TestTrainDialog::refusesAProjectThatIsNotAChain() {
    const QString path =
        QString(SPIKELAB_SOURCE_DIR) + "/projects/mushroom-body-pn/mushroom-body-pn.json";
    TrainDialog d(path, loadProject(path.toStdString()));
    QSignalSpy finished(&d, &TrainDialog::finished);
    QVERIFY(!d.start(1));
    QVERIFY2(d.stageText().contains("cannot be trained"), qPrintable(d.stageText()));
    QVERIFY(!d.isRunning());
    QCOMPARE(finished.count(), 0);

    // Event recordings drive no current input: nothing to convert an image ANN into.
    const QString events =
        QString(SPIKELAB_SOURCE_DIR) + "/projects/nmnist-replay/nmnist-replay.json";
    TrainDialog e(events, loadProject(events.toStdString()));
    QVERIFY(!e.start(1));
    QVERIFY2(e.stageText().contains("needs a CurrentInjection input"), qPrintable(e.stageText()));
}

QTEST_MAIN(TestTrainDialog)
#include "test_train_dialog.moc"
