#pragma once
// The "Train (ANN → SNN)" dialog: trains the project's feed-forward chain as a ReLU network,
// converts it to the IF network and saves the weights and the project, exactly as
// `spikelab-cli train` does (spikelab/train_project.h). Loading the data and training run on
// a worker thread; the dialog shows the stage, the progress, the training loss per minibatch
// (averaged into at most a thousand points) and the train and ANN test accuracy per epoch.
// When the project has been saved it shows the SNN's test accuracy and emits trained().
// Cancel (or closing the dialog) before the conversion has finished leaves every file of the
// project untouched.
#include "spikelab/network.h"
#include "spikelab/train_project.h"

#include "job_dialog.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <optional>

class QChart;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QSpinBox;
class QValueAxis;

namespace spikelab::ui {

class TrainDialog : public JobDialog {
    Q_OBJECT
public:
    // `spec` is what is trained and then saved to projectPath (its weight files beside it).
    TrainDialog(QString projectPath, spikelab::NetworkSpec spec, QWidget* parent = nullptr);

    // Loads the data set's train and test splits and trains for `epochs` on the first
    // `trainingImages` training images (0: all of them), in the background. Returns false,
    // with the reason shown, when training is running or the project cannot be trained.
    bool start(int epochs, qint64 trainingImages = 0);

    QString stageText() const { return statusText(); }
    QString resultText() const;
    // The curves as plotted: x is the epoch (fractional for the loss), y the loss or percent.
    QList<QPointF> lossPoints() const;
    QList<QPointF> trainAccuracyPoints() const;
    QList<QPointF> testAccuracyPoints() const;
    // The last run's result once it has ended with the project saved.
    const std::optional<spikelab::TrainProjectResult>& result() const { return result_; }

signals:
    // The weights and the project file were written: reload the project from projectPath.
    void trained(const QString& projectPath);
    // The run ended: trained, cancelled or failed.
    void finished();

private:
    void build();
    void startFromForm() override;
    void showStage(const QString& stage);
    void addLoss(double epoch, double loss);
    void addEpoch(const spikelab::AnnEpochReport& report);
    // `result` is set when the project was saved.
    void runEnded(const std::optional<spikelab::TrainProjectResult>& result, const QString& error);

    QString projectPath_;
    spikelab::NetworkSpec spec_;
    QString untrainable_; // why the project cannot be trained; empty when it can

    QSpinBox* epochs_ = nullptr;
    QSpinBox* images_ = nullptr;
    QLabel* resultLabel_ = nullptr;
    QChart* lossChart_ = nullptr;
    QChart* accuracyChart_ = nullptr;
    QLineSeries* loss_ = nullptr;
    QLineSeries* trainAccuracy_ = nullptr;
    QLineSeries* testAccuracy_ = nullptr;
    QScatterSeries* trainDots_ = nullptr;
    QScatterSeries* testDots_ = nullptr;
    QValueAxis* lossEpochAxis_ = nullptr;
    QValueAxis* lossAxis_ = nullptr;
    QValueAxis* accuracyEpochAxis_ = nullptr;
    QValueAxis* accuracyAxis_ = nullptr;
    double maxLoss_ = 0.0;
    double minAccuracy_ = 100.0;

    std::optional<spikelab::TrainProjectResult> result_;
};

} // namespace spikelab::ui
