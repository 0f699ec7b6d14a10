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
    connect(dialog, &DatasetDialog::downloaded, this,
            [this] { session_->reloadData(document_->spec(), document_->path()); });
    connect(dialog, &DatasetDialog::folderChosen, this, [this](const QString& folder) {
        // An undoable edit of the project: the simulation follows it and reads the folder.
        QString error;
        if (!document_->setDatasetFolder(folder.toStdString(), &error))
            showError(error);
    });
    dialog->show();
}

} // namespace spikelab::ui
