#include "parameter_panel.h"

#include "axis_ticks.h"
#include "tuning_spin_box.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <limits>
#include <cmath>

namespace spikelab::ui {

namespace {

const QColor kRefused(200, 40, 40);
const QColor kMuted(120, 120, 128);
// About this many slider positions across a span; values land on a 1-2-5 grid.
constexpr int kSliderPositions = 200;
constexpr int kSpinBoxWidth = 112;
constexpr int kSpinBoxDecimals = 10;

// steps_per_sample has no model table; this row describes it (the rule itself, 1 to
// kMaxStepsPerSample, is checked by the engine's validate like every other).
ParamInfo stepsPerSampleInfo() {
    ParamInfo info;
    info.name = "steps_per_sample";
    info.unit = "steps";
    info.defaultValue = double(ExperimentSpec{}.stepsPerSample);
    info.min = 0.0;
    info.minInclusive = false;
    info.max = double(kMaxStepsPerSample);
    info.integer = true;
    info.description = "steps each sample is presented for";
    return info;
}

QString number(double value) {
    return QString::number(value, 'g', 12);
}

QString unitSuffix(const ParamInfo& info) {
    return info.unit.empty() ? QString() : " " + QString::fromStdString(info.unit);
}

QString validRange(const ParamInfo& info) {
    const QString name = QString::fromStdString(info.name);
    const bool hasMin = std::isfinite(info.min), hasMax = std::isfinite(info.max);
    QString range;
    if (hasMin && hasMax)
        range = number(info.min) + (info.minInclusive ? " ≤ " : " < ") + name +
                (info.maxInclusive ? " ≤ " : " < ") + number(info.max);
    else if (hasMin)
        range = name + (info.minInclusive ? " ≥ " : " > ") + number(info.min);
    else if (hasMax)
        range = name + (info.maxInclusive ? " ≤ " : " < ") + number(info.max);
    else
        return info.integer ? "any whole number" : "any value";
    return range + unitSuffix(info) + (info.integer ? ", a whole number" : "");
}

// Shows a value in its shortest exact form ("0.01", "20") yet accepts many decimals, so a
// typed value is never rounded to what a fixed number of decimals can show.
class ValueSpinBox : public TuningSpinBox<QDoubleSpinBox> {
public:
    using TuningSpinBox::TuningSpinBox;
    QString textFromValue(double value) const override {
        QString text = locale().toString(value, 'f', QLocale::FloatingPointShortest);
        return text.remove(locale().groupSeparator());
    }
};

// A slider position p stands for the value (base + p) * step: multiples of a 1-2-5 step read
// cleanly, and dividing by 1/step instead of multiplying by step keeps 0.1 * 3 from showing
// as 0.30000000000000004.
struct SliderScale {
    double step = 1.0;
    double base = 0.0;
    int positions = 0;

    double valueAt(int position) const {
        const double k = base + position;
        return step >= 1.0 ? k * step : k / std::round(1.0 / step);
    }
    int positionOf(double value) const {
        return int(std::clamp(std::round(value / step) - base, 0.0, double(positions)));
    }
    bool covers(double value) const { return value >= valueAt(0) && value <= valueAt(positions); }
};

} // namespace

struct ParameterPanel::Row {
    std::string item;
    ParamInfo info;
    double value = 0.0; // the last accepted value
    SliderScale scale;
    QLabel* name = nullptr;
    QSlider* slider = nullptr;
    QAbstractSpinBox* spin = nullptr;
    QLabel* refusal = nullptr;
    int dragInteraction = 0;
};

namespace {

bool fixedSpan(const ParamInfo& info) {
    return std::isfinite(info.min) && std::isfinite(info.max);
}

// The table's range when both ends are finite. With one finite bound: from it to twice the
// distance of the value (or the default, if further) from it. With none: the value plus or
// minus the larger magnitude of value and default. A distance of 0 becomes 1.
SliderScale sliderScale(const ParamInfo& info, double value) {
    const bool hasMin = std::isfinite(info.min), hasMax = std::isfinite(info.max);
    const double def = info.defaultValue;
    double low = info.min, high = info.max;
    if (hasMin && !hasMax) {
        const double reach = std::max({value - info.min, def - info.min, 0.0});
        high = info.min + 2.0 * (reach > 0.0 ? reach : 1.0);
    } else if (hasMax && !hasMin) {
        const double reach = std::max({info.max - value, info.max - def, 0.0});
        low = info.max - 2.0 * (reach > 0.0 ? reach : 1.0);
    } else if (!hasMin && !hasMax) {
        const double reach = std::max(std::abs(value), std::abs(def));
        low = value - (reach > 0.0 ? reach : 1.0);
        high = value + (reach > 0.0 ? reach : 1.0);
    }
    SliderScale s;
    s.step = niceStep(high - low, kSliderPositions);
    if (info.integer) s.step = std::max(1.0, s.step);
    s.base = std::ceil(low / s.step);
    s.positions = int(std::floor(high / s.step) - s.base);
    // Exclusive bounds are never offered.
    if (hasMin && !info.minInclusive && s.valueAt(0) <= info.min) {
        s.base += 1;
        s.positions -= 1;
    }
    if (hasMax && !info.maxInclusive && s.valueAt(s.positions) >= info.max) s.positions -= 1;
    s.positions = std::max(s.positions, 0);
    return s;
}

QString populationTitle(const PopulationSpec& p) {
    return QString::fromStdString(p.name) + " — " + QString::fromStdString(p.model) + ", " +
           QString::number(p.size) + (p.size == 1 ? " neuron" : " neurons");
}

QString inputTitle(const InputSpec& in) {
    return QString::fromStdString(in.name) + " — " + QString::fromStdString(in.type) + " → " +
           QString::fromStdString(in.target);
}

} // namespace

int newParameterInteraction() {
    static int last = 0;
    return ++last;
}

// An unbounded side of a QSpinBox stops at the int's limit.
QAbstractSpinBox* makeParameterSpinBox(const ParamInfo& info) {
    const double lowest = std::isfinite(info.min) ? info.min : -std::numeric_limits<double>::max();
    const double highest = std::isfinite(info.max) ? info.max : std::numeric_limits<double>::max();
    QAbstractSpinBox* spin = nullptr;
    if (info.integer && (!std::isfinite(info.min) || info.min >= INT_MIN) &&
        (!std::isfinite(info.max) || info.max <= INT_MAX)) {
        auto* s = new TuningSpinBox<QSpinBox>;
        s->setRange(std::isfinite(info.min) ? int(std::ceil(info.min)) : INT_MIN,
                    std::isfinite(info.max) ? int(std::floor(info.max)) : INT_MAX);
        s->setSuffix(unitSuffix(info));
        spin = s;
    } else {
        auto* s = new ValueSpinBox;
        s->setDecimals(info.integer ? 0 : kSpinBoxDecimals);
        s->setRange(lowest, highest);
        s->setSuffix(unitSuffix(info));
        spin = s;
    }
    spin->setKeyboardTracking(false); // commit on Return, focus out or an arrow step only
    spin->setFixedWidth(kSpinBoxWidth);
    spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return spin;
}

double spinBoxValue(const QAbstractSpinBox* spin) {
    if (const auto* s = qobject_cast<const QSpinBox*>(spin)) return s->value();
    return static_cast<const QDoubleSpinBox*>(spin)->value();
}

void setSpinBoxValue(QAbstractSpinBox* spin, double value) {
    if (auto* s = qobject_cast<QSpinBox*>(spin))
        s->setValue(int(value));
    else
        static_cast<QDoubleSpinBox*>(spin)->setValue(value);
}

QString parameterToolTip(const ParamInfo& info) {
    return QString::fromStdString(info.description) + "\nValid: " + validRange(info) +
           "\nDefault: " + number(info.defaultValue) + unitSuffix(info);
}

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    scroll_ = new QScrollArea;
    scroll_->setWidgetResizable(true);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll_);
    setSpec(NetworkSpec{});
}

ParameterPanel::~ParameterPanel() = default;

QSize ParameterPanel::minimumSizeHint() const {
    if (!filter_.empty() || !scroll_->widget()) return QWidget::minimumSizeHint();
    const int rows = scroll_->widget()->minimumSizeHint().width();
    return {rows + scroll_->verticalScrollBar()->sizeHint().width() + 2 * scroll_->frameWidth(),
            QWidget::minimumSizeHint().height()};
}

void ParameterPanel::setSpec(const NetworkSpec& spec) {
    spec_ = spec;
    delete scroll_->takeWidget();
    delete embedded_;
    embedded_ = nullptr;
    rows_.clear();
    auto* content = new QWidget;
    sections_ = new QVBoxLayout(content);
    const bool all = filter_.empty();
    sections_->setContentsMargins(all ? QMargins(6, 6, 6, 6) : QMargins());
    sections_->setSpacing(4);
    const auto shown = [&](const std::string& item) { return all || item == filter_; };
    for (const auto& p : spec_.populations)
        if (shown(p.name))
            addSection(all ? populationTitle(p) : QString(), p.name,
                       neuronModel(spec_, p.model, "population " + quote(p.name)).params);
    for (const auto& in : spec_.inputs)
        if (shown(in.name))
            addSection(all ? inputTitle(in) : QString(), in.name,
                       encoder(in.type, "input " + quote(in.name)).params);
    if (shown("experiment"))
        addSection(all ? "experiment" : QString(), "experiment", {stepsPerSampleInfo()});
    sections_->addStretch(1);
    // One name column width for all sections, so every slider starts at the same x.
    int nameWidth = 0;
    for (const auto& row : rows_) nameWidth = std::max(nameWidth, row->name->sizeHint().width());
    for (auto* grid : content->findChildren<QGridLayout*>())
        grid->setColumnMinimumWidth(0, nameWidth);
    scroll_->setVisible(all);
    if (all) {
        scroll_->setWidget(content);
    } else {
        layout()->addWidget(content);
        embedded_ = content;
    }
}

void ParameterPanel::addSection(const QString& title, const std::string& item,
                                const ParamTable& table) {
    QToolButton* header = nullptr;
    if (!title.isEmpty()) {
        header = new QToolButton;
        header->setText(title);
        header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        header->setArrowType(Qt::DownArrow);
        header->setCheckable(true);
        header->setChecked(true);
        header->setAutoRaise(true);
        header->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        QFont bold = header->font();
        bold.setBold(true);
        header->setFont(bold);
        sections_->addWidget(header);
    }

    auto* body = new QWidget;
    auto* grid = new QGridLayout(body);
    grid->setContentsMargins(header ? QMargins(18, 0, 0, 6) : QMargins());
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    grid->setColumnStretch(1, 1);
    for (const auto& info : table) addRow(grid, item, info);
    if (table.empty()) {
        auto* none = new QLabel("no parameters to tune");
        QPalette palette = none->palette();
        palette.setColor(QPalette::WindowText, kMuted);
        none->setPalette(palette);
        grid->addWidget(none, 0, 0);
    }
    sections_->addWidget(body);
    if (header)
        connect(header, &QToolButton::toggled, body, [header, body](bool open) {
            header->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
            body->setVisible(open);
        });
}

void ParameterPanel::addRow(QGridLayout* grid, const std::string& item, const ParamInfo& info) {
    auto owned = std::make_unique<Row>();
    Row& row = *owned;
    row.item = item;
    row.info = info;
    row.value = parameterValue(spec_, item, info.name);
    row.scale = sliderScale(info, row.value);

    const QString tip = parameterToolTip(info);
    row.name = new QLabel(QString::fromStdString(info.name));
    row.name->setToolTip(tip);
    row.slider = new QSlider(Qt::Horizontal);
    row.slider->setMinimumWidth(60);
    row.slider->setToolTip(tip);
    row.spin = makeParameterSpinBox(info);
    row.spin->setToolTip(tip);
    row.refusal = new QLabel;
    row.refusal->setTextFormat(Qt::PlainText);
    row.refusal->setWordWrap(true);
    QPalette palette = row.refusal->palette();
    palette.setColor(QPalette::WindowText, kRefused);
    row.refusal->setPalette(palette);
    row.refusal->hide();

    const int r = grid->rowCount();
    grid->addWidget(row.name, r, 0);
    grid->addWidget(row.slider, r, 1);
    grid->addWidget(row.spin, r, 2);
    grid->addWidget(row.refusal, r + 1, 0, 1, 3);
    showValue(row);

    connect(row.slider, &QSlider::sliderPressed, this,
            [this, &row] { row.dragInteraction = newParameterInteraction(); });
    connect(row.slider, &QSlider::valueChanged, this, [this, &row](int position) {
        // A drag is one interaction; a click on the groove or a key press is one each.
        const int interaction =
            row.slider->isSliderDown() ? row.dragInteraction : newParameterInteraction();
        if (!commit(row, row.scale.valueAt(position), interaction)) showValue(row);
    });
    const auto typed = [this, &row] {
        commit(row, spinBoxValue(row.spin), newParameterInteraction());
    };
    if (auto* s = qobject_cast<QSpinBox*>(row.spin))
        connect(s, &QSpinBox::valueChanged, this, typed);
    else
        connect(static_cast<QDoubleSpinBox*>(row.spin), &QDoubleSpinBox::valueChanged, this, typed);
    // Return keeps a refused value in view next to its reason; leaving the box restores the
    // last accepted one.
    connect(row.spin, &QAbstractSpinBox::editingFinished, this, [this, &row] {
        if (!row.spin->hasFocus() && spinBoxValue(row.spin) != row.value) showValue(row);
    });
    rows_.push_back(std::move(owned));
}

ParameterPanel::Row* ParameterPanel::findRow(const std::string& item,
                                             const std::string& param) const {
    for (const auto& row : rows_)
        if (row->item == item && row->info.name == param) return row.get();
    return nullptr;
}

bool ParameterPanel::commit(Row& row, double value, int interaction) {
    if (value == row.value) {
        showRefusal(row, {});
        return true;
    }
    const ParameterChange change{row.item, row.info.name, value};
    try {
        applyParameterChange(spec_, change);
    } catch (const Error& e) {
        showRefusal(row, QString::fromStdString(e.what()));
        return false;
    }
    row.value = value;
    showRefusal(row, {});
    showValue(row);
    emit parameterEdited(change, interaction);
    return true;
}

void ParameterPanel::showValue(Row& row) {
    if (!fixedSpan(row.info) && !row.scale.covers(row.value))
        row.scale = sliderScale(row.info, row.value);
    const QSignalBlocker sliderBlocker(row.slider);
    const QSignalBlocker spinBlocker(row.spin);
    row.slider->setRange(0, row.scale.positions);
    row.slider->setValue(row.scale.positionOf(row.value));
    row.slider->setPageStep(std::max(1, row.scale.positions / 10));
    if (auto* s = qobject_cast<QDoubleSpinBox*>(row.spin))
        s->setSingleStep(row.info.integer ? 1.0 : row.scale.step);
    setSpinBoxValue(row.spin, row.value);
}

void ParameterPanel::showRefusal(Row& row, const QString& reason) {
    row.refusal->setText(reason);
    row.refusal->setVisible(!reason.isEmpty());
}

void ParameterPanel::setValue(const std::string& item, const std::string& param, double value) {
    applyParameterChange(spec_, {item, param, value});
    if (Row* row = findRow(item, param)) {
        row->value = value;
        showRefusal(*row, {});
        showValue(*row);
    }
}

QSlider* ParameterPanel::slider(const std::string& item, const std::string& param) const {
    const Row* row = findRow(item, param);
    return row ? row->slider : nullptr;
}

QAbstractSpinBox* ParameterPanel::spinBox(const std::string& item, const std::string& param) const {
    const Row* row = findRow(item, param);
    return row ? row->spin : nullptr;
}

QString ParameterPanel::refusal(const std::string& item, const std::string& param) const {
    const Row* row = findRow(item, param);
    return row ? row->refusal->text() : QString();
}

} // namespace spikelab::ui
