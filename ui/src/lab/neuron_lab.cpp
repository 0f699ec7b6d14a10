#include "neuron_lab.h"

#include "lab_charts.h"
#include "plot_export.h"
#include "vector_field_item.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace spikelab::ui {

using lab::fill;
using lab::kMaxDrawnPoints;
using lab::newChart;

namespace {

template <typename T>
QList<QPointF> envelope(const std::vector<T>& values, double dt) {
    QList<QPointF> points;
    const std::size_t n = values.size();
    const std::size_t slice = std::max<std::size_t>(1, (2 * n + kMaxDrawnPoints - 1) / kMaxDrawnPoints);
    for (std::size_t start = 0; start < n; start += slice) {
        const std::size_t end = std::min(n, start + slice);
        if (slice == 1) {
            points.append({double(start + 1) * dt, double(values[start])});
            continue;
        }
        const auto [lo, hi] = std::minmax_element(values.begin() + std::ptrdiff_t(start), values.begin() + std::ptrdiff_t(end));
        const auto first = std::min(lo, hi), second = std::max(lo, hi);
        points.append({double(first - values.begin() + 1) * dt, double(*first)});
        points.append({double(second - values.begin() + 1) * dt, double(*second)});
    }
    return points;
}

QDoubleSpinBox* spinBox(double lo, double hi, double step, int decimals, double value) {
    auto* box = new QDoubleSpinBox;
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setValue(value);
    box->setKeyboardTracking(false);  // a typed number runs once, when it is complete
    return box;
}

} // namespace

NeuronLab::NeuronLab(QWidget* parent) : QWidget(parent) {
    setWindowTitle("Neuron lab");
    auto* layout = new QHBoxLayout(this);

    auto* controls = new QWidget;
    controls_ = controls;
    controls->setMinimumWidth(340);
    controls->setMaximumWidth(400);
    auto* form = new QFormLayout(controls);
    model_ = new QComboBox;
    model_->setObjectName("labModel");
    for (const auto& m : neuronModels())
        if (!m.spikeSource) model_->addItem(QString::fromStdString(m.name), QString::fromStdString(m.name));
    form->addRow("Model", model_);
    preset_ = new QComboBox;
    preset_->setObjectName("labPreset");
    form->addRow("Preset", preset_);
    auto* parameters = new QWidget;
    parameters_ = new QFormLayout(parameters);
    parameters_->setContentsMargins(12, 0, 0, 0);
    form->addRow(parameters);

    kind_ = new QComboBox;
    kind_->setObjectName("labStimulusKind");
    kind_->addItems({"step", "ramp", "pulses", "sine", "noise"});
    form->addRow("Stimulus", kind_);
    // A labelled box on its own row, named for the tests.
    const auto row = [form](const char* label, const char* name, QDoubleSpinBox* box, const char* suffix) {
        box->setObjectName(name);
        box->setSuffix(suffix);
        form->addRow(label, box);
        return box;
    };
    amplitude_ = row("Amplitude", "labAmplitude", spinBox(-1000, 1000, 0.1, 3, 1.0), " nA");
    onset_ = row("Onset", "labOnset", spinBox(0, 100000, 5, 1, 20.0), " ms");
    length_ = row("Lasting", "labLength", spinBox(0, 100000, 10, 1, 100.0), " ms");
    length_->setSpecialValueText("to the end");  // 0: no end
    frequency_ = row("Frequency", "labFrequency", spinBox(0.1, 500, 1, 1, 20.0), " Hz");
    stimulus_ = new QLineEdit;
    stimulus_->setObjectName("labStimulus");
    stimulus_->setToolTip("The stimulus as text: parts added with +, e.g. step(amplitude=1, onset=20) + "
                          "sine(amplitude=0.2, frequency=5) + noise(amplitude=0.1, tau=5, seed=1). Enter runs it.");
    // On a row of its own: a stimulus of several parts is long.
    form->addRow(new QLabel("Stimulus as text (parts added with +):"));
    form->addRow(stimulus_);
    duration_ = row("Duration", "labDuration", spinBox(1, 10000, 50, 1, 200.0), " ms");
    dt_ = row("dt", "labDt", spinBox(0.001, 1.0, 0.01, 3, 0.1), " ms");
    error_ = new QLabel;
    error_->setObjectName("labError");
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #b00020;");
    error_->hide();
    form->addRow(error_);
    auto* exports = new QHBoxLayout;
    for (const char* suffix : {"png", "svg", "csv"}) {
        auto* button = new QPushButton(QString("Export %1...").arg(QString(suffix).toUpper()));
        button->setObjectName(QString("labExport_") + suffix);
        button->setToolTip("The tab on show: its plots as a picture, or its numbers as CSV");
        connect(button, &QPushButton::clicked, this, [this, suffix] { exportAs(suffix); });
        exports->addWidget(button);
    }
    form->addRow(exports);
    classroomButton_ = new QPushButton("Classroom (F9)");
    classroomButton_->setObjectName("labClassroom");
    classroomButton_->setCheckable(true);
    classroomButton_->setToolTip("Large fonts, thick lines and high contrast, for a projector");
    connect(classroomButton_, &QPushButton::toggled, this, &NeuronLab::setClassroom);
    form->addRow(classroomButton_);
    layout->addWidget(controls);
    normalFont_ = font();
    const auto shortcut = [this](const QKeySequence& keys, auto action) {
        auto* s = new QShortcut(keys, this);
        s->setContext(Qt::WindowShortcut);
        connect(s, &QShortcut::activated, this, action);
    };
    shortcut(QKeySequence(Qt::Key_F9), [this] { classroomButton_->toggle(); });
    shortcut(QKeySequence(Qt::Key_F11), [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    shortcut(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { amplitude_->stepUp(); });
    shortcut(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { amplitude_->stepDown(); });
    shortcut(QKeySequence(Qt::ALT | Qt::Key_Right), [this] { onset_->stepUp(); });
    shortcut(QKeySequence(Qt::ALT | Qt::Key_Left), [this] { onset_->stepDown(); });

    tabs_ = new QTabWidget;
    tabs_->setObjectName("labTabs");
    auto* traces = new QWidget;
    auto* plots = new QVBoxLayout(traces);
    plots->setContentsMargins(0, 0, 0, 0);
    plots->setSpacing(2);
    const char* titles[] = {"Membrane", "Other state variables", "Stimulus"};
    for (int i = 0; i < 3; ++i) {
        charts_[i] = newChart(titles[i]);
        auto* view = new QChartView(charts_[i]);
        view->setRenderHint(QPainter::Antialiasing);
        // Tall enough for a title, a legend, a plot and the time axis's numbers and title.
        view->setMinimumSize(480, i == 0 ? 230 : 180);
        plots->addWidget(view, i == 0 ? 3 : 2);
    }
    tabs_->addTab(traces, "Traces");
    auto* fi = new QWidget;
    auto* fiLayout = new QVBoxLayout(fi);
    auto* fiControls = new QHBoxLayout;
    fiMax_ = spinBox(0.001, 10000, 0.5, 3, 2.0);
    fiMax_->setObjectName("labFiMax");
    fiMax_->setSuffix(" nA");
    fiControls->addWidget(new QLabel("Constant currents from 0 to"));
    fiControls->addWidget(fiMax_);
    fiControls->addWidget(new QLabel("(1 s each, from the initial state)"));
    fiControls->addStretch();
    fiLayout->addLayout(fiControls);
    fiChart_ = newChart("Firing rate against constant current");
    auto* fiView = new QChartView(fiChart_);
    fiView->setRenderHint(QPainter::Antialiasing);
    fiLayout->addWidget(fiView, 1);
    tabs_->addTab(fi, "f-I curve");
    auto* phase = new QWidget;
    auto* phaseLayout = new QVBoxLayout(phase);
    auto* phaseControls = new QHBoxLayout;
    phaseY_ = new QComboBox;
    phaseY_->setObjectName("labPhaseY");
    phaseCurrent_ = spinBox(-10000, 10000, 0.1, 3, 1.0);
    phaseCurrent_->setObjectName("labPhaseCurrent");
    phaseCurrent_->setSuffix(" nA");
    phaseControls->addWidget(new QLabel("Against"));
    phaseControls->addWidget(phaseY_);
    phaseControls->addWidget(new QLabel("nullclines at a constant current of"));
    phaseControls->addWidget(phaseCurrent_);
    phaseControls->addStretch();
    start_ = new QLabel;
    start_->setObjectName("labStart");
    phaseControls->addWidget(start_);
    auto* atRest = new QPushButton("Start at rest");
    atRest->setObjectName("labStartAtRest");
    atRest->setToolTip("Forget the start a click on the plane chose: the neuron starts from its initial state");
    connect(atRest, &QPushButton::clicked, this, [this] {
        initial_.clear();
        run();
    });
    phaseControls->addWidget(atRest);
    phaseLayout->addLayout(phaseControls);
    phaseChart_ = newChart("Phase plane");
    phaseView_ = new QChartView(phaseChart_);
    phaseView_->setRenderHint(QPainter::Antialiasing);
    phaseView_->setToolTip("Click to start the neuron from that point");
    phaseView_->viewport()->installEventFilter(this);
    field_ = new VectorFieldItem(phaseChart_);
    connect(phaseChart_, &QChart::plotAreaChanged, this, [this] { field_->areaChanged(); });
    phaseLayout->addWidget(phaseView_, 1);
    tabs_->addTab(phase, "Phase plane");
    connect(tabs_, &QTabWidget::currentChanged, this, &NeuronLab::plotPhasePlane);
    connect(phaseY_, &QComboBox::currentIndexChanged, this, &NeuronLab::plotPhasePlane);
    connect(phaseCurrent_, &QDoubleSpinBox::valueChanged, this, &NeuronLab::plotPhasePlane);
    layout->addWidget(tabs_, 1);
    connect(tabs_, &QTabWidget::currentChanged, this, &NeuronLab::plotFiCurve);
    connect(fiMax_, &QDoubleSpinBox::valueChanged, this, &NeuronLab::plotFiCurve);

    connect(model_, &QComboBox::currentIndexChanged, this, &NeuronLab::modelChosen);
    connect(preset_, &QComboBox::activated, this, &NeuronLab::presetChosen);
    connect(kind_, &QComboBox::currentIndexChanged, this, &NeuronLab::designerChanged);
    for (auto* box : {amplitude_, onset_, length_, frequency_})
        connect(box, &QDoubleSpinBox::valueChanged, this, &NeuronLab::designerChanged);
    connect(stimulus_, &QLineEdit::editingFinished, this, &NeuronLab::run);
    for (auto* box : {duration_, dt_}) connect(box, &QDoubleSpinBox::valueChanged, this, &NeuronLab::run);

    const int lif = model_->findText("LIF");
    if (lif >= 0) model_->setCurrentIndex(lif);
    modelChosen();
    resize(1150, 820);
}

void NeuronLab::setClassroom(bool on) {
    if (on == classroom_) return;
    classroom_ = on;
    {
        const QSignalBlocker quiet(classroomButton_);
        classroomButton_->setChecked(on);
    }
    QFont f = normalFont_;
    if (on) f.setPointSizeF(normalFont_.pointSizeF() * 1.6);
    setFont(f);
    // The controls grow with their text.
    controls_->setMinimumWidth(on ? 540 : 340);
    controls_->setMaximumWidth(on ? 640 : 400);
    // The theme first: it restyles the series there are; the new ones keep their own pens.
    for (QChart* chart : {charts_[0], charts_[1], charts_[2], fiChart_, phaseChart_})
        chart->setTheme(on ? QChart::ChartThemeHighContrast : QChart::ChartThemeLight);
    plot();
    plotFiCurve();
    plotPhasePlane();
}

void NeuronLab::style(QChart* chart) const {
    QFont text = font();
    chart->setTitleFont(QFont(text.family(), int(std::lround(text.pointSizeF() * 1.1)), QFont::Bold));
    chart->legend()->setFont(text);
    for (auto* axis : chart->axes()) {
        axis->setLabelsFont(text);
        QFont title = text;
        title.setBold(true);
        axis->setTitleFont(title);
    }
    for (auto* s : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(s); line && line->metaObject() == &QLineSeries::staticMetaObject) {
            QPen pen = line->pen();
            pen.setWidthF(classroom_ ? 3.5 : 2.0);
            line->setPen(pen);
        }
}

void NeuronLab::showTab(int index) {
    tabs_->setCurrentIndex(index);
}

void NeuronLab::plotFiCurve() {
    if (tabs_->currentIndex() != 1 || response_.current.empty()) return;
    constexpr int kPoints = 41;
    FiCurveSettings settings;
    settings.model = shown_.model;
    settings.params = shown_.params;
    settings.dt = shown_.dt;
    settings.duration = 1000.0;
    for (int i = 0; i < kPoints; ++i) settings.currents.push_back(fiMax_->value() * i / (kPoints - 1));
    try {
        fiPoints_ = fiCurve(settings);
    } catch (const Error& e) {
        error_->setText(QString::fromStdString(e.what()));
        error_->show();
        return;
    }
    rheobase_ = std::numeric_limits<double>::quiet_NaN();
    for (const FiPoint& p : fiPoints_)
        if (p.spikes > 0) {
            rheobase_ = p.current;
            break;
        }
    QList<QAbstractSeries*> series;
    auto* simulated = new QLineSeries;
    simulated->setName("simulated");
    simulated->setPointsVisible(true);
    for (const FiPoint& p : fiPoints_) simulated->append(p.current, p.rate);
    series.append(simulated);
    if (settings.model == "LIF") {
        auto* analytic = new QLineSeries;
        analytic->setName("LIF formula");
        auto* soft = new QLineSeries;
        soft->setName("soft LIF (lambda 0.05)");
        QPen dashed(QColor("#d95f02"));
        dashed.setStyle(Qt::DashLine);
        soft->setPen(dashed);
        for (int i = 0; i <= 200; ++i) {
            const double current = fiMax_->value() * i / 200;
            analytic->append(current, lifRate(settings.params, current));
            soft->append(current, softLifRate(settings.params, current, 0.05));
        }
        series.append(analytic);
        series.append(soft);
    }
    double top = 1;
    for (const FiPoint& p : fiPoints_) top = std::max(top, p.rate);
    if (std::isfinite(rheobase_)) {
        auto* mark = new QLineSeries;
        mark->setName(QString("rheobase ~ %1 nA").arg(rheobase_, 0, 'g', 4));
        QPen pen(Qt::gray);
        pen.setStyle(Qt::DotLine);
        mark->setPen(pen);
        mark->append(rheobase_, 0);
        mark->append(rheobase_, top);
        series.append(mark);
    }
    fill(fiChart_, series, fiMax_->value(), "rate (Hz)");
    fiChart_->axes(Qt::Horizontal).front()->setTitleText("current (nA)");
    // Rates are never negative: the axis starts at 0.
    auto* rate = static_cast<QValueAxis*>(fiChart_->axes(Qt::Vertical).front());
    rate->setRange(0, top * 1.05);
    rate->applyNiceNumbers();
    style(fiChart_);
}

bool NeuronLab::exportPng(const QString& path, QString* error) const {
    return exportWidgetPng(tabs_->currentWidget(), path, error);
}

bool NeuronLab::exportSvg(const QString& path, QString* error) const {
    return exportWidgetSvg(tabs_->currentWidget(), path,
                           QString("%1 (%2)").arg(QString::fromStdString(shown_.model), tabs_->tabText(tabs_->currentIndex())),
                           error);
}

bool NeuronLab::exportCsv(const QString& path, QString* error) const {
    const auto number = [](double v) { return std::isfinite(v) ? QByteArray::number(v, 'g', 9) : QByteArray(); };
    QByteArray csv;
    switch (tabs_->currentIndex()) {
    case 0: {
        csv = "step,t_ms,current_nA";
        for (const auto& name : response_.variables) csv += "," + QByteArray::fromStdString(name);
        csv += ",spike\n";
        std::size_t nextSpike = 0;
        for (std::size_t n = 0; n < response_.current.size(); ++n) {
            csv += QByteArray::number(qulonglong(n)) + ',' + number(double(n + 1) * shown_.dt) + ',' +
                   number(response_.current[n]);
            for (const auto& values : response_.values) csv += ',' + number(double(values[n]));
            const bool spiked = nextSpike < response_.spikes.size() && response_.spikes[nextSpike] == std::int64_t(n);
            if (spiked) ++nextSpike;
            csv += spiked ? ",1\n" : ",0\n";
        }
        break;
    }
    case 1:
        csv = "current_nA,spikes,first_spike_ms,rate_Hz\n";
        for (const FiPoint& p : fiPoints_)
            csv += number(p.current) + ',' + QByteArray::number(qlonglong(p.spikes)) + ',' +
                   (p.firstSpikeMs < 0 ? QByteArray() : number(p.firstSpikeMs)) + ',' + number(p.rate) + '\n';
        break;
    default: {
        const auto series = phaseChart_->series();
        QLineSeries *ofX = nullptr, *ofY = nullptr;
        for (auto* s : series)
            if (s->name().endsWith(" nullcline")) (ofX ? ofY : ofX) = qobject_cast<QLineSeries*>(s);
        if (!ofX || !ofY) {
            if (error) *error = QString("nothing to export to \"%1\": the phase plane shows no nullclines").arg(path);
            return false;
        }
        const QString x = phaseChart_->axes(Qt::Horizontal).front()->titleText();
        csv = (x + "," + ofX->name().replace(' ', '_') + "," + ofY->name().replace(' ', '_') + "\n").toUtf8();
        std::map<double, std::pair<double, double>> rows;
        const double none = std::numeric_limits<double>::quiet_NaN();
        for (const QPointF& p : ofX->points()) rows.try_emplace(p.x(), none, none).first->second.first = p.y();
        for (const QPointF& p : ofY->points()) rows.try_emplace(p.x(), none, none).first->second.second = p.y();
        for (const auto& [at, ys] : rows) csv += number(at) + ',' + number(ys.first) + ',' + number(ys.second) + '\n';
    }
    }
    return writeTextFileAtomically(path, csv, error);
}

void NeuronLab::exportAs(const QString& suffix) {
    const QString stem = QString::fromStdString(shown_.model) + "-" +
                         QStringList{"traces", "f-I", "phase-plane"}[tabs_->currentIndex()];
    const QString path = QFileDialog::getSaveFileName(this, "Export " + suffix.toUpper(), stem + "." + suffix,
                                                      suffix.toUpper() + " (*." + suffix + ")");
    if (path.isEmpty()) return;
    QString error;
    const bool done = suffix == "png" ? exportPng(path, &error)
                      : suffix == "svg" ? exportSvg(path, &error)
                                        : exportCsv(path, &error);
    if (!done) {
        error_->setText(error);
        error_->show();
    }
}

QString NeuronLab::error() const {
    return error_->isHidden() ? QString() : error_->text();
}

void NeuronLab::modelChosen() {
    initial_.clear();  // another model has other state variables
    while (parameters_->rowCount() > 0) parameters_->removeRow(0);
    parameterBoxes_.clear();
    const NeuronModelInfo& model = neuronModel(model_->currentText().toStdString(), "neuron lab");
    {
        const QSignalBlocker quiet(preset_);
        preset_->clear();
        preset_->addItem("(defaults)", QString());
        if (model.declaration)
            for (const auto& preset : model.declaration->presets) {
                preset_->addItem(QString::fromStdString(preset.name), QString::fromStdString(preset.name));
                preset_->setItemData(preset_->count() - 1, QString::fromStdString(preset.description), Qt::ToolTipRole);
            }
        preset_->setEnabled(preset_->count() > 1);
    }
    {
        // The phase plane's other axis: any state variable but the membrane potential.
        const QSignalBlocker quiet(phaseY_);
        phaseY_->clear();
        for (const auto& v : model.state)
            if (v.name != model.voltage) phaseY_->addItem(QString::fromStdString(v.name));
    }
    for (const auto& p : model.params) {
        const double lo = std::isfinite(p.min) ? p.min : -1e6, hi = std::isfinite(p.max) ? p.max : 1e6;
        auto* box = spinBox(lo, hi, std::max(0.001, std::fabs(p.defaultValue) / 10), 3, p.defaultValue);
        box->setObjectName(QString::fromStdString("labParameter_" + p.name));
        if (!p.unit.empty()) box->setSuffix(QString::fromStdString(" " + p.unit));
        box->setToolTip(QString::fromStdString(p.description));
        connect(box, &QDoubleSpinBox::valueChanged, this, &NeuronLab::run);
        parameters_->addRow(QString::fromStdString(p.name), box);
        parameterBoxes_[p.name] = box;
    }
    designerChanged();
}

void NeuronLab::presetChosen() {
    const NeuronModelInfo& model = neuronModel(model_->currentText().toStdString(), "neuron lab");
    const std::string chosen = preset_->currentData().toString().toStdString();
    ParamValues values;
    for (const auto& p : model.params) values[p.name] = p.defaultValue;
    if (model.declaration)
        for (const auto& preset : model.declaration->presets)
            if (preset.name == chosen)
                for (const auto& [name, value] : preset.values) values[name] = value;
    for (const auto& [name, box] : parameterBoxes_) {
        const QSignalBlocker quiet(box);
        box->setValue(values.at(name));
    }
    run();
}

void NeuronLab::designerChanged() {
    {
        // The f-I curve reaches twice the designer's amplitude, and the phase plane's nullclines
        // are drawn at it; both are drawn once, after the run.
        const QSignalBlocker quietFi(fiMax_), quietPhase(phaseCurrent_);
        fiMax_->setValue(std::max(fiMax_->minimum(), 2.0 * std::fabs(amplitude_->value())));
        phaseCurrent_->setValue(amplitude_->value());
    }
    StimulusPart part;
    part.kind = StimulusPart::Kind(kind_->currentIndex());
    part.amplitude = amplitude_->value();
    part.onset = onset_->value();
    part.duration = length_->value() > 0 ? length_->value() : -1.0;
    part.frequency = frequency_->value();
    const bool periodic = part.kind == StimulusPart::Kind::Pulses || part.kind == StimulusPart::Kind::Sine;
    frequency_->setEnabled(periodic);
    if (part.kind == StimulusPart::Kind::Noise) part.amplitude = std::fabs(part.amplitude);
    stimulus_->setText(QString::fromStdString(formatStimulus(Stimulus{{part}})));
    run();
}

void NeuronLab::run() {
    NeuronResponseSettings settings;
    settings.model = model_->currentText().toStdString();
    for (const auto& [name, box] : parameterBoxes_) settings.params[name] = box->value();
    settings.dt = dt_->value();
    settings.duration = duration_->value();
    settings.initial = initial_;
    try {
        settings.stimulus = parseStimulus(stimulus_->text().toStdString());
        response_ = neuronResponse(settings);
    } catch (const Error& e) {
        error_->setText(QString::fromStdString(e.what()));
        error_->show();
        return;
    }
    error_->hide();
    shown_ = settings;
    QString start = "Starts from its initial state";
    if (!initial_.empty()) {
        QStringList values;
        for (const auto& [name, value] : initial_)
            values << QString("%1 = %2").arg(QString::fromStdString(name)).arg(value, 0, 'g', 4);
        start = "Starts at " + values.join(", ");
    }
    start_->setText(start);
    plot();
    plotFiCurve();
    plotPhasePlane();
    emit responseChanged();
}

void NeuronLab::plot() {
    const NeuronModelInfo& model = neuronModel(shown_.model, "neuron lab");
    const double dt = shown_.dt, end = double(response_.current.size()) * dt;
    QList<QAbstractSeries*> membrane, others;
    QString voltageUnit;
    for (std::size_t v = 0; v < response_.variables.size(); ++v) {
        auto* series = new QLineSeries;
        const std::string& name = response_.variables[v];
        series->setName(QString::fromStdString(name));
        series->append(envelope(response_.values[v], dt));
        if (name == model.voltage) {
            membrane.append(series);
            if (const ParamInfo* info = findParam(model.state, name)) voltageUnit = QString::fromStdString(info->unit);
        } else {
            others.append(series);
        }
    }
    // The threshold as a dashed line, and a mark at it for each spike.
    double markAt = 0;
    if (!model.threshold.empty()) {
        markAt = shown_.params.count(model.threshold) ? shown_.params.at(model.threshold) : 0.0;
        auto* threshold = new QLineSeries;
        threshold->setName(QString::fromStdString("threshold " + model.threshold));
        threshold->append(0, markAt);
        threshold->append(end, markAt);
        QPen pen(Qt::gray);
        pen.setStyle(Qt::DashLine);
        threshold->setPen(pen);
        membrane.append(threshold);
    } else if (!membrane.isEmpty()) {
        const auto& values = response_.values[0];
        markAt = values.empty() ? 0.0 : double(*std::max_element(values.begin(), values.end()));
    }
    auto* spikes = new QScatterSeries;
    spikes->setName(QString("spikes (%1)").arg(response_.spikes.size()));
    spikes->setMarkerSize(7);
    for (const std::int64_t step : response_.spikes) spikes->append(double(step + 1) * dt, markAt);
    membrane.append(spikes);
    fill(charts_[0], membrane,
         end, QString::fromStdString(model.voltage) + (voltageUnit.isEmpty() ? "" : " (" + voltageUnit + ")"));
    style(charts_[0]);
    charts_[1]->setTitle(others.isEmpty() ? "No other state variables" : "Other state variables");
    fill(charts_[1], others, end, "value");
    style(charts_[1]);
    auto* current = new QLineSeries;
    current->setName("current");
    current->append(envelope(response_.current, dt));
    fill(charts_[2], {current}, end, "I (nA)");
    style(charts_[2]);
}

} // namespace spikelab::ui
