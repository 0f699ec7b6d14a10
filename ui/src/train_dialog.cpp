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
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include "theme.h"

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

QLineSeries* line(const QString& name, const QColor& colour) {
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(2.0);
    s->setPen(pen);
    return s;
}

QScatterSeries* dots(const QColor& colour) {
    auto* s = new QScatterSeries;
    s->setColor(colour);
    s->setBorderColor(colour);
    s->setMarkerSize(8.0);
    return s;
}

QValueAxis* axis(const QString& title, const char* format) {
    auto* a = new QValueAxis;
    a->setTitleText(title);
    a->setLabelFormat(format);
    a->setGridLineColor(QColor(228, 228, 232));
    return a;
}

QChart* chart(const QString& title) {
    auto* c = new QChart;
    c->setTitle(title);
    c->setBackgroundBrush(theme::background);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    return c;
}

void attach(QChart* c, QXYSeries* s, QValueAxis* x, QValueAxis* y) {
    c->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
}

QChartView* viewOf(QChart* c, QWidget* parent) {
    auto* v = new QChartView(c, parent);
    v->setRenderHint(QPainter::Antialiasing);
    v->setMinimumSize(360, 260);
    return v;
}

} // namespace

TrainDialog::TrainDialog(QString projectPath, NetworkSpec spec, QWidget* parent)
    : QDialog(parent), projectPath_(std::move(projectPath)), spec_(std::move(spec)) {
    setWindowTitle(QString("Train (ANN → SNN) — %1").arg(QString::fromStdString(spec_.name)));
    setModal(false);
    try {
        findFeedForwardChain(spec_);
    } catch (const Error& e) {
        untrainable_ = QString("This project cannot be trained: %1").arg(e.what());
    }
    build();
    if (!untrainable_.isEmpty()) {
        startButton_->setEnabled(false);
        setStage(untrainable_, true);
    }
    resize(900, 560);
}

TrainDialog::~TrainDialog() {
    cancelAndWait();
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
    startButton_ = new QPushButton("Start", this);
    startButton_->setDefault(true);
    connect(startButton_, &QPushButton::clicked, this, &TrainDialog::startFromForm);
    cancelButton_ = new QPushButton("Cancel", this);
    cancelButton_->setEnabled(false);
    connect(cancelButton_, &QPushButton::clicked, this, &TrainDialog::cancel);
    stage_ = new QLabel("Not started.", this);
    stage_->setWordWrap(true);
    stage_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    resultLabel_ = new QLabel(this);
    resultLabel_->setWordWrap(true);
    resultLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    lossChart_ = chart("Training loss");
    loss_ = line("loss per minibatch", kLoss);
    lossEpochAxis_ = axis("epoch", "%g");
    lossAxis_ = axis("cross-entropy", "%.1f");
    lossChart_->addAxis(lossEpochAxis_, Qt::AlignBottom);
    lossChart_->addAxis(lossAxis_, Qt::AlignLeft);
    attach(lossChart_, loss_, lossEpochAxis_, lossAxis_);
    lossChart_->legend()->setVisible(false);

    accuracyChart_ = chart("Accuracy per epoch");
    trainAccuracy_ = line("train", kTrain);
    testAccuracy_ = line("ANN test", kTest);
    trainDots_ = dots(kTrain);
    testDots_ = dots(kTest);
    accuracyEpochAxis_ = axis("epoch", "%g");
    accuracyAxis_ = axis("accuracy (%)", "%.0f");
    accuracyChart_->addAxis(accuracyEpochAxis_, Qt::AlignBottom);
    accuracyChart_->addAxis(accuracyAxis_, Qt::AlignLeft);
    for (QXYSeries* s :
         std::initializer_list<QXYSeries*>{trainAccuracy_, testAccuracy_, trainDots_, testDots_})
        attach(accuracyChart_, s, accuracyEpochAxis_, accuracyAxis_);
    accuracyChart_->legend()->markers(trainDots_).front()->setVisible(false);
    accuracyChart_->legend()->markers(testDots_).front()->setVisible(false);

    auto* form = new QHBoxLayout;
    form->addWidget(new QLabel("Epochs", this));
    form->addWidget(epochs_);
    form->addSpacing(12);
    form->addWidget(new QLabel("Training images", this));
    form->addWidget(images_);
    form->addSpacing(12);
    form->addWidget(startButton_);
    form->addWidget(cancelButton_);
    form->addStretch(1);

    auto* state = new QHBoxLayout;
    state->addWidget(stage_, 1);
    state->addWidget(progress_, 1);

    auto* charts = new QHBoxLayout;
    charts->addWidget(viewOf(lossChart_, this), 1);
    charts->addWidget(viewOf(accuracyChart_, this), 1);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto* close = new QPushButton("Close", this);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    buttons->addWidget(close);

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
        setStage("Training is already running; cancel it first.", true);
        return false;
    }
    if (!untrainable_.isEmpty()) {
        setStage(untrainable_, true);
        return false;
    }
    if (epochs < 1 || trainingImages < 0) {
        setStage(QString("Epochs must be at least 1 and training images 0 (all) or more, not %1 "
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
    startButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setRange(0, 0);
    setStage("Loading the training and test images…");

    cancel_ = false;
    future_ = QtConcurrent::run([this, epochs, trainingImages, spec = spec_,
                                 path = projectPath_.toStdString()] {
        auto post = [this](auto call) {
            QMetaObject::invokeMethod(this, std::move(call), Qt::QueuedConnection);
        };
        std::optional<TrainProjectResult> result;
        QString error;
        try {
            const auto folder = projectDatasetFolder(spec, path);
            const std::string& name = spec.experiment.dataset.name;
            const ImageDataset train = loadImageDataset(name, "train", folder, trainingImages);
            const ImageDataset test = loadImageDataset(name, "test", folder);

            TrainProjectOptions options = trainProjectOptions(spec);
            options.ann.epochs = epochs;
            // Minibatch losses averaged over groups that never span two epochs.
            options.ann.onBatch = [post, this, epochs, group = std::int64_t(0), sum = 0.0,
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
            options.ann.onEpoch = [post, this](const AnnEpochReport& e) {
                post([this, e] { addEpoch(e); });
            };
            options.onStage = [post, this](const std::string& stage) {
                post([this, stage = QString::fromStdString(stage)] { showStage(stage); });
            };
            options.progress = [post, this, shown = std::int64_t(-1)](std::int64_t done,
                                                                      std::int64_t total) mutable {
                const std::int64_t permille = total > 0 ? done * 1000 / total : 0;
                if (permille == shown) return;
                shown = permille;
                post([this, done, total] { showProgress(done, total); });
            };
            options.cancelled = [this] { return cancel_.load(); };
            if (!cancel_) { // else cancelled while loading
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

void TrainDialog::cancel() {
    if (!isRunning()) return;
    cancel_ = true;
    cancelButton_->setEnabled(false);
    setStage("Cancelling…");
}

QString TrainDialog::stageText() const {
    return stage_->text();
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
    progress_->setRange(0, measured ? 1000 : 0);
    progress_->setValue(0);
    QString text = stage;
    if (!text.isEmpty()) text[0] = text[0].toUpper();
    if (stage == "evaluating") text += " the SNN on the test images";
    setStage(text + "…");
}

void TrainDialog::showProgress(qint64 done, qint64 total) {
    if (total > 0 && progress_->maximum() > 0) progress_->setValue(int(done * 1000 / total));
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
    startButton_->setEnabled(untrainable_.isEmpty());
    cancelButton_->setEnabled(false);
    progress_->setRange(0, 1000);
    if (!error.isEmpty()) {
        progress_->setValue(0);
        setStage("Training failed: " + error, true);
    } else if (!result) {
        progress_->setValue(0);
        setStage("Cancelled: the project files are unchanged.");
    } else {
        result_ = result;
        const QLocale locale;
        const auto& snn = result->snn;
        const bool cancelled = snn.cancelled; // after saving, while evaluating
        progress_->setValue(progress_->maximum());
        setStage(cancelled ? "Cancelled during the evaluation; the trained weights were saved."
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

void TrainDialog::setStage(const QString& text, bool error) {
    stage_->setText(text);
    stage_->setStyleSheet(error ? QString("color: %1;").arg(theme::error.name()) : QString());
}

void TrainDialog::cancelAndWait() {
    cancel_ = true;
    future_.waitForFinished();
}

void TrainDialog::done(int result) {
    cancelAndWait();
    QDialog::done(result);
}

} // namespace spikelab::ui
