// The window and missing data sets: instead of an error whose advice is command-line only, the
// offer to download the data set or to choose the folder that holds it (DatasetDialog), and
// the data loaded as soon as it is there.
#include "main_window.h"

#include "dataset_dialog.h"
#include "document.h"

#include <QStatusBar>

namespace spikelab::ui {

void MainWindow::offerDataset(const DatasetNotFound& missing) {
    const QString dataset = QString::fromStdString(missing.dataset());
    // One offer at a time: edits that keep failing on the same data set raise it again.
    if (datasetDialog_ && datasetDialog_->isVisible() && datasetDialog_->dataset() == dataset) {
        datasetDialog_->raise();
        return;
    }
    if (datasetDialog_ && !datasetDialog_->isRunning()) datasetDialog_->close();
    auto* dialog = new DatasetDialog(dataset, QString::fromStdString(missing.what()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    datasetDialog_ = dialog;
    connect(dialog, &DatasetDialog::downloaded, this, &MainWindow::reloadData);
    connect(dialog, &DatasetDialog::folderChosen, this, [this](const QString& folder) {
        // An undoable edit of the project: the simulation follows it and reads the folder.
        QString error;
        if (!document_->apply(
                QString("Use the data set in %1").arg(folder),
                [&](NetworkSpec& s) { s.experiment.dataset.path = folder.toStdString(); }, &error))
            showError(error);
    });
    dialog->show();
}

void MainWindow::reloadData() {
    // The failed attempt is remembered so that it is reported once; the data is there now.
    failedKey_.clear();
    if (document_->spec().populations.empty()) return;
    try {
        startSimulation(document_->spec(), document_->path());
    } catch (const Error& e) {
        statusBar()->showMessage(QString("The network as edited cannot run yet: %1").arg(e.what()),
                                 15000);
    }
}

} // namespace spikelab::ui
