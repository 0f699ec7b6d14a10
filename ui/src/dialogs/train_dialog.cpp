#include "train_dialog.h"

#include "spikelab/convert.h"
#include "spikelab/dataset.h"
#include "spikelab/error.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace spikelab::ui {

namespace {

const QColor kLoss(90, 90, 160);
const QColor kTrain(31, 119, 180);
const QColor kTest(214, 110, 20);
// The loss curve keeps at most about this many points however long the training: minibatch
// losses are averaged in groups.
constexpr std::int64_t kLossPoints = 1000;

void attach(QChart* c, QXYSeries* s, QValueAxis* x, QValueAxis* y) {
    c->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
}

} // namespace

TrainDialog::TrainDialog(QString projectPath, NetworkSpec spec, QWidget* parent)
    : JobDialog(parent), projectPath_(std::move(projectPath)), spec_(std::move(spec)) {
    setWindowTitle(QString("Train (ANN → SNN) — %1").arg(QString::fromStdString(spec_.name)));
    setModal(false);
    try {
        findFeedForwardChain(spec_);
    } catch (const Error& e) {
        untrainable_ = QString("This project cannot be trained: %1").arg(e.what());
    }
    build();
    if (untrainable_.isEmpty()) {
        setStatus("Not started.");
    } else {
        setIdle(false);
        setStatus(untrainable_, true);
    }
    resize(900, 560);
}

void TrainDialog::build() {
    epochs_ = new QSpinBox(this);
    epochs_->setRange(1, 10000);
    epochs_->setValue(int(std::clamp<std::int64_t>(spec_.experiment.training.epochs, 1, 10000)));
    images_ = new QSpinBox(this);
    images_->setRange(0, 1 << 30);
    images_->setSingleStep(1000);
    images_->setSpecialValueText("all");
    images_->setGroupSeparatorShown(true);
    images_->setToolTip("Train on the first N training images only (all: the whole split)");
    createJobControls();
    resultLabel_ = new QLabel(this);
    resultLabel_->setWordWrap(true);
    resultLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    lossChart_ = resultChart("Training loss", 4);
    loss_ = lineSeries("loss per minibatch", kLoss);
    lossEpochAxis_ = valueAxis("epoch", "%g");
    lossAxis_ = valueAxis("cross-entropy", "%.1f");
    lossChart_->addAxis(lossEpochAxis_, Qt::AlignBottom);
    lossChart_->addAxis(lossAxis_, Qt::AlignLeft);
    attach(lossChart_, loss_, lossEpochAxis_, lossAxis_);
    lossChart_->legend()->setVisible(false);

    accuracyChart_ = resultChart("Accuracy per epoch", 4);
    trainAccuracy_ = lineSeries("train", kTrain);
    testAccuracy_ = lineSeries("ANN test", kTest);
    trainDots_ = dotSeries(kTrain);
    testDots_ = dotSeries(kTest);
    accuracyEpochAxis_ = valueAxis("epoch", "%g");
    accuracyAxis_ = valueAxis("accuracy (%)", "%.0f");
    accuracyChart_->addAxis(accuracyEpochAxis_, Qt::AlignBottom);
    accuracyChart_->addAxis(accuracyAxis_, Qt::AlignLeft);
    for (QXYSeries* s :
         std::initializer_list<QXYSeries*>{trainAccuracy_, testAccuracy_, trainDots_, testDots_})
        attach(accuracyChart_, s, accuracyEpochAxis_, accuracyAxis_);
    accuracyChart_->legend()->markers(trainDots_).front()->setVisible(false);
    accuracyChart_->legend()->markers(testDots_).front()->setVisible(false);
    // Before the first run the axes already show what a run will fill.
    lossEpochAxis_->setRange(0, epochs_->value());
    accuracyEpochAxis_->setRange(0, epochs_->value());
    lossAxis_->setRange(0, 1);
    accuracyAxis_->setRange(0, 100);

    auto* form = new QHBoxLayout;
    form->addWidget(new QLabel("Epochs", this));
    form->addWidget(epochs_);
    form->addSpacing(12);
    form->addWidget(new QLabel("Training images", this));
    form->addWidget(images_);
    form->addSpacing(12);
    form->addWidget(startButton());
    form->addWidget(cancelButton());
    form->addStretch(1);

    auto* state = new QHBoxLayout;
    state->addWidget(statusLabel(), 1);
    state->addWidget(progressBar(), 1);

    auto* charts = new QHBoxLayout;
    charts->addWidget(chartView(lossChart_, QSize(360, 260)), 1);
    charts->addWidget(chartView(accuracyChart_, QSize(360, 260)), 1);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(createCloseButton());

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(state);
    layout->addLayout(charts, 1);
    layout->addWidget(resultLabel_);
    layout->addLayout(buttons);
}

void TrainDialog::startFromForm() {
    start(epochs_->value(), images_->value());
}

bool TrainDialog::start(int epochs, qint64 trainingImages) {
    if (isRunning()) {
        setStatus("Training is already running; cancel it first.", true);
        return false;
    }
    if (!untrainable_.isEmpty()) {
        setStatus(untrainable_, true);
        return false;
    }
    if (epochs < 1 || trainingImages < 0) {
        setStatus(QString("Epochs must be at least 1 and training images 0 (all) or more, not %1 "
                          "and %2.")
                      .arg(epochs)
                      .arg(trainingImages),
                  true);
        return false;
    }
    epochs_->setValue(epochs); // the form shows what runs, also when started from code
    images_->setValue(int(std::min<qint64>(trainingImages, images_->maximum())));
    result_.reset();
    resultLabel_->clear();
    for (QXYSeries* s : std::initializer_list<QXYSeries*>{loss_, trainAccuracy_, testAccuracy_,
                                                          trainDots_, testDots_})
        s->clear();
    maxLoss_ = 0.0;
    minAccuracy_ = 100.0;
    lossEpochAxis_->setRange(0, epochs);
    accuracyEpochAxis_->setRange(0, epochs);
    lossAxis_->setRange(0, 1);
    accuracyAxis_->setRange(0, 100);
    progressBar()->setRange(0, 0);
    setStatus("Loading the training and test images…");

    runJob([this, epochs, trainingImages, spec = spec_, path = projectPath_.toStdString()] {
        std::optional<TrainProjectResult> result;
        QString error;
        try {
            const auto folder = projectDatasetFolder(spec, path);
            const std::string& name = spec.experiment.dataset.name;
            const ImageDataset train = loadImageDataset(name, "train", folder, trainingImages);
            const ImageDataset test = loadImageDataset(name, "test", folder);

            TrainProjectOptions options = trainProjectOptions(spec);
            options.ann.epochs = epochs;
            options.command = "SpikeLab workbench, Train (ANN to SNN): " +
                              std::to_string(epochs) + (epochs == 1 ? " epoch" : " epochs") +
                              (trainingImages > 0
                                   ? ", first " + std::to_string(trainingImages) + " training images"
                                   : std::string());
            // Minibatch losses averaged over groups that never span two epochs.
            options.ann.onBatch = [this, epochs, group = std::int64_t(0), sum = 0.0,
                                   n = std::int64_t(0)](const AnnBatchReport& b) mutable {
                if (group == 0)
                    group = std::max<std::int64_t>(
                        1,
                        (std::int64_t(epochs) * b.batchesPerEpoch + kLossPoints - 1) / kLossPoints);
                sum += b.loss;
                if (++n < group && b.batch < b.batchesPerEpoch) return;
                const double x = double(b.epoch - 1) + double(b.batch) / double(b.batchesPerEpoch);
                const double mean = sum / double(n);
                sum = 0.0;
                n = 0;
                post([this, x, mean] { addLoss(x, mean); });
            };
            options.ann.onEpoch = [this](const AnnEpochReport& e) {
                post([this, e] { addEpoch(e); });
            };
            options.onStage = [this](const std::string& stage) {
                post([this, stage = QString::fromStdString(stage)] { showStage(stage); });
            };
            options.progress = progressReporter();
            options.cancelled = [this] { return cancelRequested(); };
            if (!cancelRequested()) { // else cancelled while loading
                TrainProjectResult r = trainProject(spec, path, train, test, options);
                if (r.saved) result = std::move(r);
            }
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        post([this, result, error] { runEnded(result, error); });
    });
    return true;
}

QString TrainDialog::resultText() const {
    return resultLabel_->text();
}

QList<QPointF> TrainDialog::lossPoints() const {
    return loss_->points();
}

QList<QPointF> TrainDialog::trainAccuracyPoints() const {
    return trainAccuracy_->points();
}

QList<QPointF> TrainDialog::testAccuracyPoints() const {
    return testAccuracy_->points();
}

void TrainDialog::showStage(const QString& stage) {
    // Converting reports no progress of its own: the bar shows that work goes on.
    const bool measured = stage == "training" || stage == "evaluating";
    progressBar()->setRange(0, measured ? 1000 : 0);
    progressBar()->setValue(0);
    QString text = stage;
    if (!text.isEmpty()) text[0] = text[0].toUpper();
    if (stage == "evaluating") text += " the SNN on the test images";
    setStatus(text + "…");
}

void TrainDialog::addLoss(double epoch, double loss) {
    loss_->append(epoch, loss);
    if (loss > maxLoss_) {
        maxLoss_ = loss;
        lossAxis_->setRange(0, maxLoss_ * 1.05);
        lossAxis_->applyNiceNumbers();
    }
}

void TrainDialog::addEpoch(const AnnEpochReport& report) {
    const double train = 100.0 * report.trainAccuracy, test = 100.0 * report.testAccuracy;
    trainAccuracy_->append(report.epoch, train);
    trainDots_->append(report.epoch, train);
    testAccuracy_->append(report.epoch, test);
    testDots_->append(report.epoch, test);
    // Room below the lowest accuracy so far, in steps of 10%.
    minAccuracy_ = std::min({minAccuracy_, train, test});
    accuracyAxis_->setRange(std::max(0.0, std::floor(minAccuracy_ / 10.0) * 10.0 - 10.0), 100.0);
}

void TrainDialog::runEnded(const std::optional<TrainProjectResult>& result, const QString& error) {
    setIdle(untrainable_.isEmpty());
    progressBar()->setRange(0, 1000);
    if (!error.isEmpty()) {
        progressBar()->setValue(0);
        setStatus("Training failed: " + error, true);
    } else if (!result) {
        progressBar()->setValue(0);
        setStatus("Cancelled: the project files are unchanged.");
    } else {
        result_ = result;
        const QLocale locale;
        const auto& snn = result->snn;
        const bool cancelled = snn.cancelled; // after saving, while evaluating
        progressBar()->setValue(progressBar()->maximum());
        setStatus(cancelled ? "Cancelled during the evaluation; the trained weights were saved."
                            : "Done: the trained weights and the project were saved.");
        resultLabel_->setText(
            QString("<b>SNN test accuracy %1%</b> on %2 images, %3 spikes per image "
                    "(ANN %4%, γ %5)%6. Saved to %7.")
                .arg(100.0 * snn.accuracy, 0, 'f', 2)
                .arg(locale.toString(qlonglong(snn.samples)))
                .arg(locale.toString(result->snnSpikesPerSample, 'f', 0))
                .arg(100.0 * result->annTestAccuracy, 0, 'f', 2)
                .arg(result->gamma)
                .arg(cancelled ? " — evaluation stopped early" : "")
                .arg(projectPath_.toHtmlEscaped()));
        emit trained(projectPath_);
    }
    emit finished();
}

} // namespace spikelab::ui
