#include "sweep_dialog.h"

#include "axis_ticks.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QValueAxis>

#include "theme.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace spikelab::ui {

namespace {

const QColor kAccuracy(31, 119, 180);
const QColor kSpikes(214, 110, 20);
constexpr double kOpen = 1e9; // spin box limit where a parameter's range is open

QString number(double v) {
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// Decimal places that show a value of this size to about four significant digits.
int decimalsFor(double v, bool integer) {
    if (integer) return 0;
    const double magnitude = std::abs(v) > 0.0 ? std::floor(std::log10(std::abs(v))) : 0.0;
    return std::clamp(3 - int(magnitude), 1, 8);
}

// `count` evenly spaced values from `from` to `to` (both included), with the rounding noise
// of the division removed; whole numbers only (without repeats) for integer parameters.
std::vector<double> evenlySpaced(double from, double to, int count, bool integer) {
    std::vector<double> values;
    for (int i = 0; i < count; ++i) {
        double v = count == 1 ? from : from + (to - from) * double(i) / double(count - 1);
        v = integer ? std::round(v) : QString::number(v, 'g', 12).toDouble();
        if (!integer || std::find(values.begin(), values.end(), v) == values.end())
            values.push_back(v);
    }
    return values;
}

// [low, high] around the data with some room, never outside [floor, ceiling].
std::pair<double, double> paddedRange(double low, double high, double minimumPad, double floor,
                                      double ceiling) {
    const double pad = std::max((high - low) * 0.15, minimumPad);
    return {std::max(floor, low - pad), std::min(ceiling, high + pad)};
}

} // namespace

SweepDialog::SweepDialog(const NetworkSpec& spec, QString baseDir,
                         SampleData testData, QWidget* parent)
    : JobDialog(parent), spec_(spec), baseDir_(std::move(baseDir)), data_(std::move(testData)) {
    setWindowTitle("Parameter sweep");
    setModal(false);
    for (const auto& p : spec_.populations) {
        const auto& model = neuronModel(spec_, p.model, "population " + quote(p.name));
        for (const ParamInfo& info : model.params) {
            const auto given = p.params.find(info.name);
            choices_.push_back({QString::fromStdString(p.name), QString::fromStdString(info.name),
                                QString::fromStdString(info.unit),
                                given == p.params.end() ? info.defaultValue : given->second,
                                info.min, info.max, info.integer});
        }
    }
    for (const auto& in : spec_.inputs) {
        const auto& kind = encoder(in.type, "input " + quote(in.name));
        for (const ParamInfo& info : kind.params) {
            const auto given = in.params.find(info.name);
            choices_.push_back({QString::fromStdString(in.name), QString::fromStdString(info.name),
                                QString::fromStdString(info.unit),
                                given == in.params.end() ? info.defaultValue : given->second,
                                info.min, info.max, info.integer});
        }
    }
    choices_.push_back({"experiment", "steps_per_sample", "steps",
                        double(spec_.experiment.stepsPerSample), 1.0,
                        std::numeric_limits<double>::infinity(), true});

    buildChart();
    buildForm();
    parameterChosen(0);
    if (!data_) {
        setIdle(false);
        setStatus("No test data is loaded, so there is nothing to evaluate.", true);
    } else {
        setStatus("Choose a parameter and its range, then Start.");
    }
    resize(1060, 660);
}

QStringList SweepDialog::parameters() const {
    QStringList names;
    for (const auto& c : choices_) names << c.item + "." + c.param;
    return names;
}

void SweepDialog::buildForm() {
    parameter_ = new QComboBox(this);
    parameter_->addItems(parameters());
    connect(parameter_, &QComboBox::currentIndexChanged, this, &SweepDialog::parameterChosen);
    from_ = new QDoubleSpinBox(this);
    to_ = new QDoubleSpinBox(this);
    count_ = new QSpinBox(this);
    count_->setRange(1, 100);
    count_->setValue(5);
    samples_ = new QSpinBox(this);
    const int available = data_ ? int(std::min<std::int64_t>(data_.count(), 1 << 30)) : 1;
    samples_->setRange(1, available);
    samples_->setValue(std::min(1000, available));
    samples_->setGroupSeparatorShown(true);
    samples_->setToolTip(
        QString("Test samples evaluated at each value (at most %1)").arg(available));
    createJobControls();

    auto* form = new QGridLayout;
    form->addWidget(new QLabel("Parameter", this), 0, 0);
    form->addWidget(parameter_, 0, 1, 1, 3);
    form->addWidget(new QLabel("Samples per value", this), 0, 4);
    form->addWidget(samples_, 0, 5);
    form->addWidget(new QLabel("From", this), 1, 0);
    form->addWidget(from_, 1, 1);
    form->addWidget(new QLabel("To", this), 1, 2);
    form->addWidget(to_, 1, 3);
    form->addWidget(new QLabel("Points", this), 1, 4);
    form->addWidget(count_, 1, 5);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);

    auto* run = new QHBoxLayout;
    run->addWidget(startButton());
    run->addWidget(cancelButton());
    run->addWidget(progressBar(), 1);

    table_ = new QTableWidget(0, 4, this);
    table_->setHorizontalHeaderLabels({"value", "accuracy (%)", "spikes / sample", "s"});
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setMinimumWidth(330);
    table_->setMaximumWidth(380);

    view_ = chartView(chart_, QSize(480, 320));
    auto* results = new QHBoxLayout;
    results->addWidget(view_, 1);
    results->addWidget(table_);

    auto* exports = new QHBoxLayout;
    const char* labels[] = {"Export PNG…", "Export SVG…", "Export CSV…"};
    for (int i = 0; i < 3; ++i) {
        exportButtons_[i] = new QPushButton(labels[i], this);
        exportButtons_[i]->setEnabled(false);
        exports->addWidget(exportButtons_[i]);
    }
    connect(exportButtons_[0], &QPushButton::clicked, this, [this] {
        if (const QString f = chooseFile("PNG image (*.png)", "png"); !f.isEmpty()) exportPng(f);
    });
    connect(exportButtons_[1], &QPushButton::clicked, this, [this] {
        if (const QString f = chooseFile("SVG drawing (*.svg)", "svg"); !f.isEmpty()) exportSvg(f);
    });
    connect(exportButtons_[2], &QPushButton::clicked, this, [this] {
        if (const QString f = chooseFile("CSV table (*.csv)", "csv"); !f.isEmpty()) exportCsv(f);
    });
    exports->addStretch(1);
    exports->addWidget(createCloseButton());

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(run);
    layout->addWidget(statusLabel());
    layout->addLayout(results, 1);
    layout->addLayout(exports);
}

void SweepDialog::buildChart() {
    // Each value axis in the colour of its curves.
    const auto colouredAxis = [](const QString& title, const QColor& colour, const char* format) {
        QValueAxis* axis = valueAxis(title, format);
        axis->setTitleBrush(colour);
        axis->setLabelsColor(colour);
        return axis;
    };
    chart_ = resultChart(QString(), 6);
    accuracyLine_ = lineSeries("accuracy (%)", kAccuracy);
    accuracyDots_ = dotSeries(kAccuracy);
    spikesLine_ = lineSeries("spikes per sample", kSpikes);
    spikesDots_ = dotSeries(kSpikes);
    valueAxis_ = colouredAxis("", theme::text, "%g");
    accuracyAxis_ = colouredAxis("accuracy (%)", kAccuracy, "%.1f");
    spikesAxis_ = colouredAxis("spikes per sample", kSpikes, "%.0f");
    spikesAxis_->setGridLineVisible(false); // one grid (the accuracy axis's) is enough
    chart_->addAxis(valueAxis_, Qt::AlignBottom);
    chart_->addAxis(accuracyAxis_, Qt::AlignLeft);
    chart_->addAxis(spikesAxis_, Qt::AlignRight);
    for (QXYSeries* s : std::initializer_list<QXYSeries*>{accuracyLine_, accuracyDots_, spikesLine_,
                                                          spikesDots_}) {
        chart_->addSeries(s);
        s->attachAxis(valueAxis_);
        s->attachAxis(s == accuracyLine_ || s == accuracyDots_ ? accuracyAxis_ : spikesAxis_);
    }
    // The dots mark the finished points; the legend needs only the lines.
    chart_->legend()->markers(accuracyDots_).front()->setVisible(false);
    chart_->legend()->markers(spikesDots_).front()->setVisible(false);
    accuracyAxis_->setRange(0, 100);
    spikesAxis_->setRange(0, 1000);
}

void SweepDialog::parameterChosen(int index) {
    if (index < 0 || index >= int(choices_.size())) return;
    const Choice& c = choices_[std::size_t(index)];
    const int decimals = decimalsFor(c.current, c.integer);
    const double low = std::isfinite(c.min) ? c.min : -kOpen;
    const double high = std::isfinite(c.max) ? c.max : kOpen;
    for (QDoubleSpinBox* box : {from_, to_}) {
        box->setDecimals(decimals);
        box->setRange(low, high);
    }
    // Half to one and a half times the current value (or -1 to 1 around zero).
    double a = c.current * 0.5, b = c.current * 1.5;
    if (c.current == 0.0) a = -1.0, b = 1.0;
    if (a > b) std::swap(a, b);
    if (c.integer) a = std::floor(a), b = std::ceil(b);
    from_->setValue(std::clamp(a, low, high));
    to_->setValue(std::clamp(b, low, high));
    const double step = (to_->value() - from_->value()) / 10.0;
    for (QDoubleSpinBox* box : {from_, to_})
        box->setSingleStep(c.integer ? 1.0 : step > 0.0 ? step : 0.1);
    const QString unit = c.unit.isEmpty() ? QString() : QString(" [%1]").arg(c.unit);
    parameter_->setToolTip(QString("Currently %1%2").arg(number(c.current), unit));
    if (points_.empty() && !isRunning()) { // an empty plot shows the range to be swept
        valueAxis_->setTitleText(parameter_->currentText() + unit);
        setValueRange(from_->value(), to_->value());
    }
}

void SweepDialog::setValueRange(double lowest, double highest) {
    const double span = highest - lowest;
    const double pad = span > 0.0 ? span * 0.05 : std::max(std::abs(lowest) * 0.1, 0.5);
    // Ticks at multiples of a round step, so the padding does not push the labels to odd
    // numbers and the points do not sit on the plot's edges.
    const double step = niceStep(span + 2.0 * pad, 6);
    setAxisTicks(valueAxis_, lowest - pad, highest + pad, step,
                 std::ceil((lowest - pad) / step) * step);
}

void SweepDialog::startFromForm() {
    const int index = parameter_->currentIndex();
    if (index < 0) return;
    const Choice& c = choices_[std::size_t(index)];
    start(c.item, c.param, evenlySpaced(from_->value(), to_->value(), count_->value(), c.integer),
          samples_->value());
}

bool SweepDialog::start(const QString& item, const QString& param,
                        const std::vector<double>& values, qint64 samples) {
    if (isRunning()) {
        setStatus("A sweep is already running; cancel it first.", true);
        return false;
    }
    if (!data_) {
        setStatus("No test data is loaded, so there is nothing to evaluate.", true);
        return false;
    }
    if (samples < 1 || samples > data_.count()) {
        setStatus(QString("Samples must be between 1 and %1 (the test set), not %2.")
                      .arg(data_.count())
                      .arg(samples),
                  true);
        return false;
    }
    ParameterSweep sweep{item.toStdString(), param.toStdString(), values};
    try {
        checkSweep(spec_, sweep);
    } catch (const Error& e) {
        setStatus(QString::fromStdString(e.what()), true);
        return false;
    }

    // The form shows what runs, also when a sweep is started from code.
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    for (std::size_t i = 0; i < choices_.size(); ++i)
        if (choices_[i].item == item && choices_[i].param == param)
            parameter_->setCurrentIndex(int(i));
    from_->setValue(*lowest);
    to_->setValue(*highest);
    count_->setValue(int(values.size()));
    samples_->setValue(int(samples));

    sweptName_ = item + "." + param;
    values_ = values;
    populations_.clear();
    for (const auto& p : spec_.populations) populations_.push_back(p.name);
    hasReadout_ = !spec_.experiment.readout.empty();
    points_.clear();
    table_->setRowCount(0);
    table_->horizontalHeaderItem(0)->setText(sweptName_);
    for (QXYSeries* s :
         std::initializer_list<QXYSeries*>{accuracyLine_, accuracyDots_, spikesLine_, spikesDots_})
        s->clear();
    accuracyAxis_->setVisible(hasReadout_);
    accuracyLine_->setVisible(hasReadout_);
    accuracyDots_->setVisible(hasReadout_);
    QString unit;
    for (const auto& c : choices_)
        if (c.item == item && c.param == param && !c.unit.isEmpty()) unit = " [" + c.unit + "]";
    valueAxis_->setTitleText(sweptName_ + unit);
    chart_->setTitle(QString("%1 on %2 test %3 per value")
                         .arg(sweptName_)
                         .arg(samples)
                         .arg(data_.events ? "recordings" : "images"));
    setValueRange(*lowest, *highest);
    progressBar()->setValue(0);
    for (auto* b : exportButtons_) b->setEnabled(false);
    setStatus(QString("Sweeping %1 over %2 values…").arg(sweptName_).arg(values.size()));

    runJob([this, sweep, samples, spec = spec_, baseDir = baseDir_.toStdString(), data = data_] {
        SweepOptions options;
        options.samples = samples;
        options.onPoint = [this](const SweepPoint& point) {
            post([this, point] { addPoint(point); });
        };
        options.progress = progressReporter();
        options.cancelled = [this] { return cancelRequested(); };
        bool cancelled = false;
        QString error;
        try {
            cancelled = runSweep(spec, baseDir, sweep, data, options).cancelled;
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        post([this, cancelled, error] { sweepEnded(cancelled, error); });
    });
    return true;
}

void SweepDialog::addPoint(const SweepPoint& point) {
    points_.push_back(point);
    const int row = table_->rowCount();
    table_->insertRow(row);
    const QString cells[] = {
        number(point.value), hasReadout_ ? QString::number(100.0 * point.accuracy, 'f', 2) : "-",
        QString::number(point.spikesPerSample, 'f', 1), QString::number(point.seconds, 'f', 2)};
    for (int column = 0; column < 4; ++column) {
        auto* cell = new QTableWidgetItem(cells[column]);
        cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(row, column, cell);
    }
    table_->scrollToBottom();
    if (hasReadout_) {
        accuracyLine_->append(point.value, 100.0 * point.accuracy);
        accuracyDots_->append(point.value, 100.0 * point.accuracy);
    }
    spikesLine_->append(point.value, point.spikesPerSample);
    spikesDots_->append(point.value, point.spikesPerSample);
    fitAxes();
}

void SweepDialog::fitAxes() {
    if (points_.empty()) return;
    double accLow = 100.0, accHigh = 0.0;
    double spikesLow = std::numeric_limits<double>::infinity(), spikesHigh = 0.0;
    for (const auto& p : points_) {
        accLow = std::min(accLow, 100.0 * p.accuracy);
        accHigh = std::max(accHigh, 100.0 * p.accuracy);
        spikesLow = std::min(spikesLow, p.spikesPerSample);
        spikesHigh = std::max(spikesHigh, p.spikesPerSample);
    }
    const auto [a, b] = paddedRange(accLow, accHigh, 1.0, 0.0, 100.0);
    accuracyAxis_->setRange(a, b);
    accuracyAxis_->applyNiceNumbers();
    const auto [s, t] = paddedRange(spikesLow, spikesHigh, std::max(1.0, 0.02 * spikesHigh), 0.0,
                                    std::numeric_limits<double>::infinity());
    spikesAxis_->setRange(s, t);
    spikesAxis_->applyNiceNumbers();
}

void SweepDialog::sweepEnded(bool cancelled, const QString& error) {
    setIdle(bool(data_));
    for (auto* b : exportButtons_) b->setEnabled(!points_.empty());
    if (!error.isEmpty()) {
        setStatus(error, true);
    } else if (cancelled) {
        setStatus(
            QString("Cancelled: %1 of %2 values done.").arg(points_.size()).arg(values_.size()));
    } else {
        double seconds = 0.0;
        for (const auto& p : points_) seconds += p.seconds;
        progressBar()->setValue(progressBar()->maximum());
        setStatus(QString("Done: %1 values in %2 s.").arg(points_.size()).arg(seconds, 0, 'f', 1));
    }
    emit finished();
}

QString SweepDialog::chooseFile(const QString& filter, const QString& suffix) {
    QString name = sweptName_.isEmpty() ? QString("sweep") : "sweep-" + sweptName_;
    QString path = QFileDialog::getSaveFileName(this, "Export", name + "." + suffix, filter);
    if (!path.isEmpty() && !path.endsWith("." + suffix, Qt::CaseInsensitive)) path += "." + suffix;
    return path;
}

bool SweepDialog::exportPng(const QString& path) {
    // The scene is drawn again at twice the size (not scaled up), so lines and text stay sharp.
    QImage image(view_->viewport()->size() * 2, QImage::Format_ARGB32_Premultiplied);
    image.fill(theme::background);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    view_->render(&painter, QRectF(image.rect()), view_->viewport()->rect());
    painter.end();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        setStatus(QString("Cannot write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    setStatus("Plot saved as " + path);
    return true;
}

bool SweepDialog::exportSvg(const QString& path) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setStatus(QString("Cannot write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    const QRect area = view_->viewport()->rect();
    svg.setSize(area.size());
    svg.setViewBox(area);
    svg.setTitle(chart_->title());
    QPainter painter(&svg);
    view_->render(&painter, QRectF(area), area);
    painter.end();
    if (!file.commit()) {
        setStatus(QString("Cannot write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    setStatus("Plot saved as " + path);
    return true;
}

bool SweepDialog::exportCsv(const QString& path) {
    QString text =
        sweptName_ + (hasReadout_ ? ",accuracy,correct" : "") + ",samples,spikes_per_sample";
    for (const auto& name : populations_)
        text += "," + QString::fromStdString(name) + "_spikes_per_sample";
    text += ",seconds\n";
    for (const auto& p : points_) {
        text += number(p.value);
        if (hasReadout_) text += "," + number(p.accuracy) + "," + QString::number(p.correct);
        text += "," + QString::number(p.samples) + "," + number(p.spikesPerSample);
        for (double s : p.populationSpikes) text += "," + number(s);
        text += "," + number(p.seconds) + "\n";
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        setStatus(QString("Cannot write %1: %2").arg(path, file.errorString()), true);
        return false;
    }
    setStatus("Table saved as " + path);
    return true;
}

} // namespace spikelab::ui
