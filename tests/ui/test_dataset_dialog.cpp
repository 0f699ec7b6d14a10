// The first minutes without the data: File -> New starts on a data set that is here, and a
// data set that is missing is offered in the window (download with progress and Cancel, or a
// folder to choose) instead of an error whose advice is the command line. Downloads come from
// the download tests' local HTTP server on 127.0.0.1, never the network; the user's folders
// are temporary ($SPIKELAB_DATA, $XDG_DATA_HOME).
#include "main_window.h"

#include "canvas_input.h"
#include "dataset_dialog.h"
#include "document.h"
#include "http_test_server.h"
#include "network_canvas.h"
#include "node_palette.h"
#include "wait_for.h"

#include "spikelab/download.h"
#include "spikelab/fileio.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <filesystem>

using namespace spikelab;
using namespace spikelab::ui;
using test::HttpTestServer;

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

Bytes idx(const std::vector<std::uint32_t>& dims, const Bytes& data) {
    Bytes out = {0, 0, 0x08, std::uint8_t(dims.size())};
    for (std::uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(d >> shift));
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

// `count` 28x28 test images (plain IDX files, as MNIST's are once unpacked).
std::pair<Bytes, Bytes> testSplit(std::uint32_t count) {
    Bytes pixels(std::size_t(count) * 784), labels;
    for (std::uint32_t s = 0; s < count; ++s) {
        for (std::size_t p = 0; p < 784; ++p)
            pixels[s * 784 + p] = std::uint8_t((p * 7 + s * 31) % 256);
        labels.push_back(std::uint8_t(s % 10));
    }
    return {idx({count, 28, 28}, pixels), idx({count}, labels)};
}

void writeSplit(const fs::path& folder, std::uint32_t count) {
    fs::create_directories(folder);
    const auto [images, labels] = testSplit(count);
    writeFileAtomic((folder / "t10k-images-idx3-ubyte").string(), images);
    writeFileAtomic((folder / "t10k-labels-idx1-ubyte").string(), labels);
}

QListWidgetItem* paletteEntry(MainWindow& w, const NodeKind& kind) {
    for (int i = 0; i < w.palette()->count(); ++i)
        if (NodePalette::kindOf(w.palette()->item(i)) == kind) return w.palette()->item(i);
    return nullptr;
}

// A population of 784 LIF neurons placed from the palette, then a CurrentInjection input
// dragged from the palette onto it: the first moment the data set is read.
void drawImageNetwork(MainWindow& w) {
    QWidget* vp = w.canvas()->viewport();
    QListWidgetItem* lif = paletteEntry(w, {false, "LIF"});
    QTest::mouseClick(w.palette()->viewport(), Qt::LeftButton, {},
                      w.palette()->visualItemRect(lif).center());
    QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(vp->width() * 2 / 3, vp->height() / 2));
    QVERIFY(w.document()->setPopulationSize("pop1", 784));
    QMimeData mime;
    mime.setData(NetworkCanvas::kNodeMime,
                 paletteEntry(w, {true, "CurrentInjection"})->data(Qt::UserRole).toByteArray());
    const QPoint at = w.canvas()->mapFromScene(node(*w.canvas(), "pop1")->pos());
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &enter);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &drop);
    QCOMPARE(w.spec().inputs.size(), std::size_t(1));
}

std::int64_t samplesRunning(const MainWindow& w) {
    return w.controller() && w.controller()->data() ? w.controller()->data().count() : 0;
}

DatasetDialog* offer(MainWindow& w) {
    DatasetDialog* dialog = nullptr;
    waitFor(
        [&] {
            dialog = w.findChild<DatasetDialog*>("datasetDialog");
            return dialog && dialog->isVisible();
        },
        5000);
    return dialog;
}

} // namespace

class TestDatasetDialog : public QObject {
    Q_OBJECT
    QTemporaryDir home_;
    fs::path root() const { return home_.path().toStdString(); }
    fs::path userFolder() const { return root() / "xdg" / "spikelab" / "datasets" / "mnist"; }

    // A new project on MNIST, which is on none of the folders searched.
    void startOnMissingMnist(MainWindow& w) {
        if (fs::exists("/usr/share/datasets/mnist")) QSKIP("MNIST is installed system-wide");
        fs::remove_all(root() / "xdg");
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newProject());
        QVERIFY(w.document()->apply("MNIST",
                                    [](NetworkSpec& s) { s.experiment.dataset.name = "mnist"; }));
    }
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabDatasetDialogTest");
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, home_.path());
        qputenv("SPIKELAB_DATA", (root() / "env").c_str());
        qputenv("XDG_DATA_HOME", (root() / "xdg").c_str());
        // The requests go to 127.0.0.1, never through a proxy from the environment.
        qputenv("no_proxy", "127.0.0.1");
        qputenv("NO_PROXY", "127.0.0.1");
    }
    void newProjectsStartOnADataSetThatIsHere();
    void aMissingDataSetIsDownloadedFromTheWindow();
    void aCancelledDownloadResumes();
    void aChosenFolderBecomesTheProjectsDataSetFolder();
};

void TestDatasetDialog::newProjectsStartOnADataSetThatIsHere() {
    if (fs::exists("/usr/share/datasets/mnist")) QSKIP("MNIST is installed system-wide");
    // Fashion-MNIST is here (as Debian's package puts it), MNIST is not.
    writeSplit(root() / "env" / "fashion-mnist", 3);
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier); // File -> New
    QCOMPARE(w.spec().experiment.dataset.name, std::string("fashion-mnist"));
    drawImageNetwork(w);
    QCOMPARE(samplesRunning(w), std::int64_t(3));
    QVERIFY(!w.findChild<DatasetDialog*>());
    fs::remove_all(root() / "env");
}

void TestDatasetDialog::aMissingDataSetIsDownloadedFromTheWindow() {
    HttpTestServer server;
    const auto [images, labels] = testSplit(5);
    server.serve("/mirror/t10k-images-idx3-ubyte", images);
    server.serve("/mirror/t10k-labels-idx1-ubyte", labels);
    MainWindow w;
    startOnMissingMnist(w);
    drawImageNetwork(w);
    QCOMPARE(samplesRunning(w), std::int64_t(0));
    DatasetDialog* dialog = offer(w);
    QVERIFY2(dialog, "no offer for the missing data set");
    QCOMPARE(dialog->dataset(), QString("mnist"));
    QVERIFY(dialog->downloadButton()->isEnabled());
    QVERIFY(dialog->chooseButton()->isEnabled());
    QVERIFY(!dialog->cancelButton()->isEnabled());
    // The real MNIST files' list, pointed at the local server with the test's own files.
    DatasetDownload what;
    what.dataset = "mnist";
    what.mirrors = {server.url("mirror/")};
    what.files = {
        {"t10k-images-idx3-ubyte", md5Hex(images.data(), images.size()), images.size(), "", {}},
        {"t10k-labels-idx1-ubyte", md5Hex(labels.data(), labels.size()), labels.size(), "", {}}};
    dialog->setDownload(what);
    QTest::mouseClick(dialog->downloadButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return samplesRunning(w) == 5; }, 20000));
    QVERIFY2(dialog->statusText().startsWith("Downloaded into"), qPrintable(dialog->statusText()));
    QCOMPARE(dialog->progressBar()->value(), 1000);
    QVERIFY(fs::exists(userFolder() / "t10k-images-idx3-ubyte"));
    QVERIFY(!fs::exists(userFolder() / "t10k-images-idx3-ubyte.part"));
    // Closed, it is gone; the network runs on the downloaded data.
    dialog->close();
    QVERIFY(waitFor([&] { return !w.findChild<DatasetDialog*>(); }, 3000));
    QCOMPARE(w.spec().experiment.dataset.path, std::string());
}

void TestDatasetDialog::aCancelledDownloadResumes() {
    HttpTestServer server;
    const auto [images, labels] = testSplit(400); // ~314 kB: half of it, then the server stalls
    server.serve("/mirror/t10k-images-idx3-ubyte", images, HttpTestServer::Mode::Stall);
    server.serve("/mirror/t10k-labels-idx1-ubyte", labels);
    MainWindow w;
    startOnMissingMnist(w);
    drawImageNetwork(w);
    DatasetDialog* dialog = offer(w);
    QVERIFY(dialog);
    DatasetDownload what;
    what.dataset = "mnist";
    what.mirrors = {server.url("mirror/")};
    what.files = {
        {"t10k-images-idx3-ubyte", md5Hex(images.data(), images.size()), images.size(), "", {}},
        {"t10k-labels-idx1-ubyte", md5Hex(labels.data(), labels.size()), labels.size(), "", {}}};
    dialog->setDownload(what);
    QTest::mouseClick(dialog->downloadButton(), Qt::LeftButton);
    // Progress shows while the transfer hangs; Cancel ends it and keeps what came.
    QVERIFY(waitFor(
        [&] { return dialog->progressBar()->value() > 0 && dialog->cancelButton()->isEnabled(); },
        10000));
    QVERIFY2(dialog->statusText().contains("t10k-images-idx3-ubyte"),
             qPrintable(dialog->statusText()));
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return dialog->statusText().startsWith("Cancelled"); }, 10000));
    QVERIFY(dialog->downloadButton()->isEnabled());
    QVERIFY(fs::exists(userFolder() / "t10k-images-idx3-ubyte.part"));
    QCOMPARE(samplesRunning(w), std::int64_t(0));
    // Download again: the rest of the file, asked for with a Range request.
    server.serve("/mirror/t10k-images-idx3-ubyte", images);
    QTest::mouseClick(dialog->downloadButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return samplesRunning(w) == 400; }, 20000));
    bool ranged = false;
    for (const auto& r : server.requests()) ranged = ranged || !r.range.empty();
    QVERIFY(ranged);
}

void TestDatasetDialog::aChosenFolderBecomesTheProjectsDataSetFolder() {
    const fs::path mine = root() / "my data";
    writeSplit(mine, 7);
    MainWindow w;
    startOnMissingMnist(w);
    drawImageNetwork(w);
    DatasetDialog* dialog = offer(w);
    QVERIFY(dialog);
    const int steps = w.undoStack()->count();
    QTest::mouseClick(dialog->chooseButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return dialog->folderChooser() && dialog->folderChooser()->isVisible(); },
                    3000));
    // Gone to the folder (as a double click in the list does), then its Choose button.
    QFileDialog* chooser = dialog->folderChooser();
    chooser->setDirectory(QString::fromStdString(mine.string()));
    auto* buttons = chooser->findChild<QDialogButtonBox*>("buttonBox");
    QVERIFY(buttons);
    QPushButton* choose = nullptr;
    for (QAbstractButton* b : buttons->buttons())
        if (buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            choose = qobject_cast<QPushButton*>(b);
    QVERIFY(choose && choose->isEnabled());
    QTest::mouseClick(choose, Qt::LeftButton);
    QVERIFY(waitFor([&] { return samplesRunning(w) == 7; }, 10000));
    QCOMPARE(w.spec().experiment.dataset.path, mine.string());
    QCOMPARE(w.undoStack()->count(), steps + 1);
    QVERIFY(waitFor([&] { return !w.findChild<DatasetDialog*>(); }, 3000));
}

QTEST_MAIN(TestDatasetDialog)
#include "test_dataset_dialog.moc"
