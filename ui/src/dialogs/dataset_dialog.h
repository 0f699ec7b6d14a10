#pragma once
// The window's offer when a project's data set is on none of the folders searched
// (spikelab::DatasetNotFound): it says why (the engine's message, naming every folder
// searched) and offers two ways out, without the command line.
//
// - Download runs spikelab::fetchDataset, the code behind `spikelab-cli fetch`, on a worker
//   thread (JobDialog): mirrors tried in turn, MD5 checked, a partial file resumed, files
//   renamed into place only once verified, into the user's data folder, which is on the search
//   path. The bar follows the file being fetched and the status line names it; Cancel stops at
//   the next poll and keeps the partial file for next time. Success emits downloaded().
// - Choose folder opens a folder chooser; a choice emits folderChosen(), and the window makes
//   it the project's data set folder (an undoable edit).
//
// The dialog is not modal: the window stays usable, and tests answer it with real clicks.
#include "job_dialog.h"

#include "spikelab/download.h"

#include <QString>

class QFileDialog;
class QPushButton;

namespace spikelab::ui {

class DatasetDialog : public JobDialog {
    Q_OBJECT
public:
    // `reason` is the engine's message (what was searched, what to put where).
    DatasetDialog(const QString& dataset, const QString& reason, QWidget* parent);

    QString dataset() const { return dataset_; }
    // What Download fetches: the data set's entry of spikelab::knownDownloads() unless
    // replaced here (the tests' files on a local server).
    void setDownload(DatasetDownload what) { what_ = std::move(what); }
    QPushButton* downloadButton() const { return startButton(); }
    QPushButton* chooseButton() const { return choose_; }
    using JobDialog::cancelButton;
    using JobDialog::progressBar;
    using JobDialog::statusText;
    // The folder chooser Choose folder opened, while it is open.
    QFileDialog* folderChooser() const { return chooser_; }

signals:
    void downloaded(const QString& folder);
    void folderChosen(const QString& folder);

protected:
    void startFromForm() override;

private:
    void chooseFolder();

    QString dataset_;
    DatasetDownload what_;
    QPushButton* choose_ = nullptr;
    QFileDialog* chooser_ = nullptr;
};

} // namespace spikelab::ui
