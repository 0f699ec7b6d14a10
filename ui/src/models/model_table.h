#pragma once
// One table of the model editor (docs/architecture.md, "The model language"): a neuron
// model's parameters (name, unit, default, meaning), its state variables (name, unit, initial,
// meaning) or its derived parameters (name, expression). A row keeps the valid range of the
// ParamInfo it was loaded from whatever else is edited; a new row is unbounded. The table is
// as tall as its rows: the editor scrolls as a whole.
#include "spikelab/lang.h"
#include "spikelab/params.h"

#include <QTableWidget>

#include <vector>

namespace spikelab::ui {

class ModelTable : public QTableWidget {
    Q_OBJECT
public:
    enum class Kind { Parameters, State, Derived };
    explicit ModelTable(Kind kind, QWidget* parent = nullptr);

    // Shows these rows (Parameters, State) without emitting.
    void setParams(const ParamTable& params);
    // Shows these rows (Derived) without emitting.
    void setDerived(const std::vector<lang::DerivedParameter>& derived);
    // Appends an empty row and starts editing its name.
    void addRow();
    // Removes the selected rows (the current one when none is selected).
    void removeSelectedRows();
    void setEditable(bool editable);

    // The rows' names, in order.
    QStringList names() const;
    // The rows as the model's table; `error`, when given and empty, gets the first problem
    // (a name that is not an identifier, a value that is not a number or is out of range).
    ParamTable params(QString* error) const;
    std::vector<lang::DerivedParameter> derived(QString* error) const;

    // Marks the expression of the derived parameter `name` as wrong, with `message` as tip.
    void markRow(const QString& name, const QString& message);
    void clearMarks();

signals:
    // Any change by the user.
    void edited();
    // The user renamed a row or removed the row called `name`.
    void renamed(const QString& before, const QString& after);
    void removed(const QString& name);

private:
    void appendRow(const QStringList& cells, int range);
    void fitHeight();
    // What the rows are called in messages, and what their value column is.
    QString kind() const;
    QString valueWord() const;

    Kind kind_;
    std::vector<ParamInfo> ranges_;  // the loaded rows' ParamInfo
    bool filling_ = false;
};

} // namespace spikelab::ui
