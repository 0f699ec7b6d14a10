#include "dataset_dialog.h"

#include "spikelab/error.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace spikelab::ui {

namespace {

QString megabytes(std::uint64_t bytes) {
    return QString::number(double(bytes) / 1e6, 'f', 1);
}

} // namespace

DatasetDialog::DatasetDialog(const QString& dataset, const QString& reason, QWidget* parent)
    : JobDialog(parent), dataset_(dataset) {
    setWindowTitle(tr("Data set %1 is missing").arg(dataset));
    setObjectName("datasetDialog");
    for (const auto& known : knownDownloads())
        if (known.dataset == dataset.toStdString()) what_ = known;

    auto* layout = new QVBoxLayout(this);
    auto* why =
        new QLabel(tr("<b>%1 is not on this computer.</b>").arg(dataset.toHtmlEscaped()), this);
    layout->addWidget(why);
    auto* detail = new QLabel(reason, this);
    detail->setWordWrap(true);
    detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(detail);
    const bool downloadable = !what_.files.empty();
    auto* how = new QLabel(
        downloadable ? tr("Download it into your data folder (%1), or choose a folder that "
                          "already holds it.")
                           .arg(QString::fromStdString(userDatasetRoot()).toHtmlEscaped())
                     : tr("SpikeLab cannot download it; choose a folder that holds it."),
        this);
    how->setWordWrap(true);
    layout->addWidget(how);
    createJobControls();
    startButton()->setText(tr("Download"));
    startButton()->setEnabled(downloadable);
    choose_ = new QPushButton(tr("Choose folder…"), this);
    connect(choose_, &QPushButton::clicked, this, &DatasetDialog::chooseFolder);
    layout->addWidget(progressBar());
    layout->addWidget(statusLabel());
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(startButton(), QDialogButtonBox::ActionRole);
    buttons->addButton(cancelButton(), QDialogButtonBox::ActionRole);
    buttons->addButton(choose_, QDialogButtonBox::ActionRole);
    buttons->addButton(createCloseButton(), QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

void DatasetDialog::startFromForm() {
    progressBar()->setRange(0, 1000);
    progressBar()->setValue(0);
    setStatus(tr("Connecting…"));
    choose_->setEnabled(false);
    runJob([this, what = what_] {
        DownloadOptions options;
        options.cancelled = [this] { return cancelRequested(); };
        // curl reports many times a second: the window hears of each thousandth only.
        options.progress = [this, shown = std::pair<std::string, std::int64_t>{"", -1}](
                               const DownloadProgress& p) mutable {
            const std::int64_t permille =
                p.total > 0 ? std::int64_t(std::min(p.done, p.total) * 1000 / p.total) : -1;
            if (p.file == shown.first && permille == shown.second) return;
            shown = {p.file, permille};
            const QString text = p.total > 0
                                     ? tr("Downloading %1: %2 of %3 MB")
                                           .arg(QString::fromStdString(p.file), megabytes(p.done),
                                                megabytes(p.total))
                                     : tr("Downloading %1: %2 MB")
                                           .arg(QString::fromStdString(p.file), megabytes(p.done));
            post([this, text, permille] {
                if (permille >= 0) progressBar()->setValue(int(permille));
                setStatus(text);
            });
        };
        try {
            const DownloadResult r = fetchFiles(what, options);
            const QString folder = QString::fromStdString(r.dir);
            post([this, folder, present = r.alreadyPresent] {
                setIdle(false);
                choose_->setEnabled(true);
                progressBar()->setValue(1000);
                setStatus(present ? tr("Already in %1").arg(folder)
                                  : tr("Downloaded into %1").arg(folder));
                emit downloaded(folder);
            });
        } catch (const Error& e) {
            const bool cancelled = cancelRequested();
            const QString why = QString::fromStdString(e.what());
            post([this, why, cancelled] {
                setIdle(true);
                choose_->setEnabled(true);
                setStatus(cancelled ? tr("Cancelled; what was fetched is kept, and Download "
                                         "resumes from there.")
                                    : why,
                          !cancelled);
            });
        }
    });
}

void DatasetDialog::chooseFolder() {
    if (chooser_) return;
    chooser_ = new QFileDialog(this, tr("Folder that holds %1").arg(dataset_));
    chooser_->setFileMode(QFileDialog::Directory);
    chooser_->setOption(QFileDialog::ShowDirsOnly);
    // Qt's own dialog: the same on every desktop, and reachable by the tests.
    chooser_->setOption(QFileDialog::DontUseNativeDialog);
    chooser_->setAttribute(Qt::WA_DeleteOnClose);
    connect(chooser_, &QFileDialog::fileSelected, this, [this](const QString& folder) {
        emit folderChosen(folder);
        accept();
    });
    connect(chooser_, &QObject::destroyed, this, [this] { chooser_ = nullptr; });
    chooser_->open();
}

} // namespace spikelab::ui
