#pragma once
// Tuning by hand: a slider and a spin box for every parameter that may change while the
// network runs (each population's neuron parameters, each input's encoder parameters and the
// experiment's steps_per_sample), generated from the models' parameter tables (params.h).
// Every value is checked with applyParameterChange, exactly like the CLI's --set; a refused
// value stays in its row with the reason in red and is never emitted.
//
// Each user action is one interaction: a slider drag (press ... release) keeps one id however
// many values it passes through, every spin-box commit or arrow step gets a new one, so an
// undo stack can merge a drag into a single step (see ParameterEditor). Interaction ids are
// unique in the whole program, so edits in two panels (the parameter dock and the inspector)
// never merge.
//
// With an item filter the panel shows one item's rows only, without headers or a scroll area
// of its own, for a form that embeds it (the inspector).
#include "spikelab/network.h"
#include "spikelab/overrides.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <string>
#include <vector>

class QAbstractSpinBox;
class QGridLayout;
class QScrollArea;
class QSlider;
class QVBoxLayout;

namespace spikelab::ui {

// A new interaction id, never handed out before in this program.
int newParameterInteraction();

// The editor a row uses for `info`: a QSpinBox for whole numbers that fit an int, else a
// QDoubleSpinBox showing values in their shortest exact form; the unit as suffix; it commits
// on Return, focus loss or an arrow step only. Every valid value (and the excluded bound of
// an open range) can be typed, so invalid ones reach the check and are refused with a reason.
QAbstractSpinBox* makeParameterSpinBox(const ParamInfo& info);
double spinBoxValue(const QAbstractSpinBox* spin);
void setSpinBoxValue(QAbstractSpinBox* spin, double value);
// The description, the valid range and the default of `info`.
QString parameterToolTip(const ParamInfo& info);

class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);
    ~ParameterPanel() override;

    // Rebuilds every section from `spec` (a valid one, as loadProject gives): one per
    // population, one per input, then "experiment".
    void setSpec(const NetworkSpec& spec);
    // From the next setSpec on, shows only the rows of `item` (a population, an input or
    // "experiment"; none when the spec has no such item) without header or scroll area;
    // empty, the default, shows every section.
    void setItemFilter(const std::string& item) { filter_ = item; }
    // Shows `value` in the row without emitting (undo, redo, changes made elsewhere) and
    // clears the row's refusal. Throws spikelab::Error when the value is not valid.
    void setValue(const std::string& item, const std::string& param, double value);

    // The spec with every accepted edit applied.
    const NetworkSpec& spec() const { return spec_; }
    int rowCount() const { return int(rows_.size()); }
    // The row's widgets (a QSpinBox for integer parameters, else a QDoubleSpinBox) and the
    // reason its last edit was refused (empty when it was not); null/empty for unknown rows.
    QSlider* slider(const std::string& item, const std::string& param) const;
    QAbstractSpinBox* spinBox(const std::string& item, const std::string& param) const;
    QString refusal(const std::string& item, const std::string& param) const;

    QSize sizeHint() const override {
        return filter_.empty() ? QSize(360, 600) : QWidget::sizeHint();
    }
    // As wide as the rows need beside the scroll bar (the scroll area does not scroll
    // sideways, so a narrower dock would cut the spin boxes off).
    QSize minimumSizeHint() const override;

signals:
    void parameterEdited(const spikelab::ParameterChange& change, int interaction);

private:
    struct Row;
    Row* findRow(const std::string& item, const std::string& param) const;
    // Without a title: no foldable header and no indent (the filtered panel).
    void addSection(const QString& title, const std::string& item, const ParamTable& table);
    void addRow(QGridLayout* grid, const std::string& item, const ParamInfo& info);
    // Validates `value` against the panel's spec, then takes it and emits; false when refused.
    bool commit(Row& row, double value, int interaction);
    void showValue(Row& row);
    void showRefusal(Row& row, const QString& reason);

    NetworkSpec spec_;
    std::vector<std::unique_ptr<Row>> rows_;
    QScrollArea* scroll_ = nullptr;
    QVBoxLayout* sections_ = nullptr;
    std::string filter_;
    QWidget* embedded_ = nullptr; // the filtered panel's rows, in place of the scroll area
};

} // namespace spikelab::ui
