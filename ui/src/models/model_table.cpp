#include "model_table.h"

#include "parameter_panel.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QRegularExpression>

#include <limits>
#include <set>
#include <utility>

namespace spikelab::ui {

namespace {

constexpr int kRangeRole = Qt::UserRole;     // column 0: index into ranges_, -1 for a new row
constexpr int kNameRole = Qt::UserRole + 1;  // column 0: the name the row had last
const QColor kMarkedCell(250, 215, 215);

QString number(double value) {
    return QLocale::c().toString(value, 'g', QLocale::FloatingPointShortest);
}

QString quoted(const QString& text) {
    return '"' + text + '"';
}

// A name as the model language and the project file's reader accept it.
QString nameProblem(const QString& name) {
    static const QRegularExpression identifier("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    if (identifier.match(name).hasMatch()) return {};
    return "the name " + quoted(name) + " must be a letter or _ followed by letters, digits or _ (at most 64)";
}

QStringList headers(ModelTable::Kind kind) {
    switch (kind) {
    case ModelTable::Kind::Parameters: return {"name", "unit", "default", "meaning"};
    case ModelTable::Kind::State: return {"name", "unit", "initial", "meaning"};
    case ModelTable::Kind::Derived: return {"name", "expression"};
    }
    return {};
}

} // namespace

ModelTable::ModelTable(Kind kind, QWidget* parent)
    : QTableWidget(0, int(headers(kind).size()), parent), kind_(kind) {
    setHorizontalHeaderLabels(headers(kind));
    verticalHeader()->hide();
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    if (kind == Kind::Derived) {
        setColumnWidth(0, 110);
    } else {
        setColumnWidth(0, 90);
        setColumnWidth(1, 48);
        setColumnWidth(2, 64);
    }
    horizontalHeader()->setStretchLastSection(true);
    setEditable(true);
    fitHeight();
    connect(this, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (filling_) return;
        if (item->column() == 0) {
            const QString before = item->data(kNameRole).toString(), after = item->text();
            if (before != after) {
                const bool wasFilling = std::exchange(filling_, true);
                item->setData(kNameRole, after);
                filling_ = wasFilling;
                emit renamed(before, after);
            }
        }
        emit edited();
    });
}

void ModelTable::setParams(const ParamTable& params) {
    setRowCount(0);
    ranges_ = params;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const ParamInfo& p = params[i];
        appendRow({QString::fromStdString(p.name), QString::fromStdString(p.unit), number(p.defaultValue),
                   QString::fromStdString(p.description)},
                  int(i));
        item(rowCount() - 1, 2)->setToolTip(parameterToolTip(p));
    }
    fitHeight();
}

void ModelTable::setDerived(const std::vector<lang::DerivedParameter>& derived) {
    setRowCount(0);
    for (const auto& d : derived) appendRow({QString::fromStdString(d.name), QString::fromStdString(d.expression)}, -1);
    fitHeight();
}

void ModelTable::appendRow(const QStringList& cells, int range) {
    const bool wasFilling = std::exchange(filling_, true);
    const int row = rowCount();
    insertRow(row);
    for (int c = 0; c < columnCount(); ++c) {
        auto* cell = new QTableWidgetItem(cells.value(c));
        if (kind_ == Kind::Derived && c == 1) cell->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        setItem(row, c, cell);
    }
    item(row, 0)->setData(kRangeRole, range);
    item(row, 0)->setData(kNameRole, cells.value(0));
    filling_ = wasFilling;
}

void ModelTable::addRow() {
    appendRow(kind_ == Kind::Derived ? QStringList{"", ""} : QStringList{"", "", "0", ""}, -1);
    fitHeight();
    setCurrentCell(rowCount() - 1, 0);
    editItem(item(rowCount() - 1, 0));
    emit edited();
}

void ModelTable::removeSelectedRows() {
    std::set<int> rows;
    for (const auto* selected : selectedItems()) rows.insert(selected->row());
    if (rows.empty() && currentRow() >= 0) rows.insert(currentRow());
    if (rows.empty()) return;
    for (auto r = rows.rbegin(); r != rows.rend(); ++r) {
        const QString name = item(*r, 0)->text();
        removeRow(*r);
        emit removed(name);
    }
    fitHeight();
    emit edited();
}

void ModelTable::setEditable(bool editable) {
    setEditTriggers(editable ? DoubleClicked | EditKeyPressed | AnyKeyPressed : NoEditTriggers);
}

QStringList ModelTable::names() const {
    QStringList names;
    for (int r = 0; r < rowCount(); ++r) names << item(r, 0)->text();
    return names;
}

ParamTable ModelTable::params(QString* error) const {
    ParamTable params;
    const auto fail = [&](const QString& problem) {
        if (error && error->isEmpty()) *error = problem;
    };
    for (int r = 0; r < rowCount(); ++r) {
        const int range = item(r, 0)->data(kRangeRole).toInt();
        ParamInfo info = range >= 0 ? ranges_[std::size_t(range)] : ParamInfo{};
        const QString name = item(r, 0)->text(), value = item(r, 2)->text().trimmed();
        info.name = name.toStdString();
        info.unit = item(r, 1)->text().toStdString();
        info.description = item(r, 3)->text().toStdString();
        bool ok = false;
        info.defaultValue = QLocale::c().toDouble(value, &ok);
        if (!ok) info.defaultValue = std::numeric_limits<double>::quiet_NaN();
        const QString what = kind() + " " + quoted(name) + ": " + valueWord() + " ";
        if (const QString problem = nameProblem(name); !problem.isEmpty())
            fail(kind() + " row " + QString::number(r + 1) + ": " + problem);
        else if (!ok)
            fail(what + quoted(value) + " is not a number");
        else if (const std::string why = info.check(info.defaultValue); !why.empty())
            fail(what + value + " " + QString::fromStdString(why));
        params.push_back(std::move(info));
    }
    return params;
}

std::vector<lang::DerivedParameter> ModelTable::derived(QString* error) const {
    std::vector<lang::DerivedParameter> derived;
    for (int r = 0; r < rowCount(); ++r) {
        const QString name = item(r, 0)->text();
        const QString problem = nameProblem(name);
        if (error && error->isEmpty() && !problem.isEmpty())
            *error = kind() + " row " + QString::number(r + 1) + ": " + problem;
        derived.push_back({name.toStdString(), item(r, 1)->text().toStdString()});
    }
    return derived;
}

void ModelTable::markRow(const QString& name, const QString& message) {
    const bool wasFilling = std::exchange(filling_, true);
    for (int r = 0; r < rowCount(); ++r)
        if (item(r, 0)->text() == name) {
            item(r, columnCount() - 1)->setBackground(kMarkedCell);
            item(r, columnCount() - 1)->setToolTip(message);
            break;
        }
    filling_ = wasFilling;
}

void ModelTable::clearMarks() {
    const bool wasFilling = std::exchange(filling_, true);
    for (int r = 0; r < rowCount(); ++r) {
        item(r, columnCount() - 1)->setData(Qt::BackgroundRole, QVariant());
        if (kind_ == Kind::Derived) item(r, 1)->setToolTip(QString());
    }
    filling_ = wasFilling;
}

void ModelTable::fitHeight() {
    int height = horizontalHeader()->sizeHint().height() + 2 * frameWidth();
    for (int r = 0; r < rowCount(); ++r) height += rowHeight(r);
    setFixedHeight(height + 2);
}

QString ModelTable::kind() const {
    switch (kind_) {
    case Kind::Parameters: return "parameter";
    case Kind::State: return "state variable";
    case Kind::Derived: return "derived parameter";
    }
    return {};
}

QString ModelTable::valueWord() const {
    return kind_ == Kind::State ? "initial" : "default";
}

} // namespace spikelab::ui
