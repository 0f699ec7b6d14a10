#include "job_dialog.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QValueAxis>

#include "theme.h"

namespace spikelab::ui {

JobDialog::JobDialog(QWidget* parent) : QDialog(parent) {
    connect(this, &JobDialog::callsPosted, this, &JobDialog::runPosted, Qt::QueuedConnection);
}

void JobDialog::runPosted() {
    std::function<void()> call;
    while (takeNext(postedMutex_, posted_, call)) call();
}

JobDialog::~JobDialog() {
    cancelAndWait();
}

void JobDialog::createJobControls() {
    startButton_ = new QPushButton("Start", this);
    startButton_->setDefault(true);
    connect(startButton_, &QPushButton::clicked, this, [this] { startFromForm(); });
    cancelButton_ = new QPushButton("Cancel", this);
    cancelButton_->setEnabled(false);
    connect(cancelButton_, &QPushButton::clicked, this, &JobDialog::cancel);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
}

QPushButton* JobDialog::createCloseButton() {
    auto* close = new QPushButton("Close", this);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    return close;
}

void JobDialog::cancel() {
    if (!isRunning()) return;
    cancel_ = true;
    cancelButton_->setEnabled(false);
    setStatus("Cancelling…");
}

void JobDialog::done(int result) {
    cancelAndWait();
    QDialog::done(result);
}

void JobDialog::runJob(std::function<void()> job) {
    startButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    cancel_ = false;
    if (thread_.joinable()) thread_.join();  // the last job, finished
    running_ = true;
    thread_ = std::thread([this, job = std::move(job)] {
        job();
        running_ = false;
    });
}

void JobDialog::setIdle(bool startable) {
    startButton_->setEnabled(startable);
    cancelButton_->setEnabled(false);
}

std::function<void(std::int64_t, std::int64_t)> JobDialog::progressReporter() {
    return [this, shown = std::int64_t(-1)](std::int64_t done, std::int64_t total) mutable {
        if (total <= 0) return;
        const std::int64_t permille = done * 1000 / total;
        if (permille == shown) return;
        shown = permille;
        post([this, permille] {
            if (progress_->maximum() > 0) progress_->setValue(int(permille));
        });
    };
}

void JobDialog::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QString("color: %1;").arg(theme::error.name()) : QString());
}

QString JobDialog::statusText() const {
    return status_->text();
}

QLineSeries* JobDialog::lineSeries(const QString& name, const QColor& colour) {
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(2.0);
    s->setPen(pen);
    return s;
}

QScatterSeries* JobDialog::dotSeries(const QColor& colour) {
    auto* s = new QScatterSeries;
    s->setColor(colour);
    s->setBorderColor(colour);
    s->setMarkerSize(8.0);
    return s;
}

QValueAxis* JobDialog::valueAxis(const QString& title, const char* labelFormat) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(labelFormat);
    axis->setGridLineColor(QColor(228, 228, 232));
    return axis;
}

QChart* JobDialog::resultChart(const QString& title, int margin) {
    auto* c = new QChart;
    c->setTitle(title);
    c->setBackgroundBrush(theme::background);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(margin, margin, margin, margin));
    return c;
}

QChartView* JobDialog::chartView(QChart* chart, QSize minimumSize) {
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(minimumSize);
    return view;
}

void JobDialog::cancelAndWait() {
    cancel_ = true;
    if (thread_.joinable()) thread_.join();
}

} // namespace spikelab::ui
