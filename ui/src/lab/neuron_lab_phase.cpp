// The neuron lab's phase-plane tab (neuron_lab.h): nullclines, fixed points, the vector field
// and the trajectory, and the click that chooses where the run starts.
#include "lab_charts.h"
#include "neuron_lab.h"
#include "vector_field_item.h"

#include "spikelab/error.h"
#include "spikelab/models.h"

#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>
#include <QTabWidget>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

namespace spikelab::ui {

using lab::fill;
using lab::kMaxDrawnPoints;

void VectorFieldItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    if (!arrows_ || arrows_->empty() || chart_->series().isEmpty()) return;
    // Speed in units of the window per ms, on a log scale from the slowest to the fastest.
    std::vector<double> speeds;
    for (const auto& a : *arrows_) speeds.push_back(std::hypot(a.dx / xRange_, a.dy / yRange_));
    const auto [lo, hi] = std::minmax_element(speeds.begin(), speeds.end());
    const double low = std::log(std::max(*lo, 1e-12)), span = std::max(std::log(std::max(*hi, 1e-12)) - low, 1e-9);
    const double length = thick_ ? 22.0 : 14.0;
    painter->setClipRect(chart_->plotArea());
    QAbstractSeries* anchor = chart_->series().front();
    for (std::size_t k = 0; k < arrows_->size(); ++k) {
        const auto& a = (*arrows_)[k];
        const double step = 0.01 / std::max(speeds[k], 1e-12);
        const QPointF from = chart_->mapToPosition({a.x, a.y}, anchor);
        const QPointF ahead = chart_->mapToPosition({a.x + a.dx * step, a.y + a.dy * step}, anchor);
        QPointF d = ahead - from;
        const double norm = std::hypot(d.x(), d.y());
        if (!(norm > 1e-9)) continue;
        d *= length / norm;
        const QPointF tail = from - d / 2, head = from + d / 2;
        const double shade = (std::log(std::max(speeds[k], 1e-12)) - low) / span;
        QPen pen(QColor::fromRgbF(0.2, 0.2, 0.2, 0.25 + 0.6 * shade));
        pen.setWidthF(thick_ ? 2.0 : 1.2);
        painter->setPen(pen);
        painter->drawLine(tail, head);
        const QPointF back = d * (0.35), side(-back.y() * 0.6, back.x() * 0.6);
        painter->drawLine(head, head - back + side);
        painter->drawLine(head, head - back - side);
    }
}

void NeuronLab::plotPhasePlane() {
    if (tabs_->currentIndex() != 2 || response_.current.empty()) return;
    fixedPoints_.clear();
    arrows_.clear();
    const NeuronModelInfo& model = neuronModel(shown_.model, "neuron lab");
    const std::string y = phaseY_->currentText().toStdString();
    const auto index = [&](const std::string& name) {
        return std::size_t(std::find(response_.variables.begin(), response_.variables.end(), name) -
                           response_.variables.begin());
    };
    if (y.empty() || model.voltage.empty() || index(y) >= response_.variables.size()) {
        phaseChart_->setTitle("A phase plane needs a second state variable");
        fill(phaseChart_, {}, 1, "");
        return;
    }
    const auto& xs = response_.values[index(model.voltage)];
    const auto& ys = response_.values[index(y)];
    // Fixed points are looked for well around the trajectory (one that stays near rest may have
    // a saddle 20 mV away); the window is the trajectory and the fixed points, with a margin.
    const auto [xMin, xMax] = std::minmax_element(xs.begin(), xs.end());
    const auto [yMin, yMax] = std::minmax_element(ys.begin(), ys.end());
    const double xReach = std::max(20.0, 0.1 * double(*xMax - *xMin)), yReach = std::max(5.0, 0.5 * double(*yMax - *yMin));
    QList<QAbstractSeries*> series;
    std::optional<PhasePlane> field;
    double xLow = *xMin, xHigh = *xMax, yLow = *yMin, yHigh = *yMax;
    try {
        const PhasePlane& plane = field.emplace(shown_.model, shown_.params, model.voltage, y, phaseCurrent_->value());
        fixedPoints_ = plane.fixedPoints(*xMin - xReach, *xMax + xReach, *yMin - yReach, *yMax + yReach);
        for (const auto& p : fixedPoints_) {
            xLow = std::min(xLow, p.x);
            xHigh = std::max(xHigh, p.x);
            yLow = std::min(yLow, p.y);
            yHigh = std::max(yHigh, p.y);
        }
        // A margin of a fifth of the span (or of the values' size, for a trajectory at rest).
        const double xMargin = std::max(0.2 * (xHigh - xLow), 0.02 * std::max({std::fabs(xLow), std::fabs(xHigh), 1e-3}));
        const double yMargin = std::max(0.2 * (yHigh - yLow), 0.02 * std::max({std::fabs(yLow), std::fabs(yHigh), 1e-3}));
        xLow -= xMargin;
        xHigh += xMargin;
        yLow -= yMargin;
        yHigh += yMargin;
        std::vector<double> grid;
        for (int i = 0; i <= 300; ++i) grid.push_back(xLow + (xHigh - xLow) * i / 300);
        for (const bool ofX : {true, false}) {
            auto* nullcline = new QLineSeries;
            nullcline->setName(QString::fromStdString((ofX ? model.voltage : y) + " nullcline"));
            const std::vector<double> at = plane.nullcline(ofX, grid, yLow, yHigh);
            for (std::size_t i = 0; i < grid.size(); ++i)
                if (std::isfinite(at[i])) nullcline->append(grid[i], at[i]);
            series.append(nullcline);
        }
    } catch (const Error& e) {
        error_->setText(QString::fromStdString(e.what()));
        error_->show();
        return;
    }
    auto* trajectory = new QLineSeries;
    trajectory->setName("trajectory");
    for (std::size_t n = 0; n < xs.size(); n += std::max<std::size_t>(1, xs.size() / kMaxDrawnPoints))
        trajectory->append(double(xs[n]), double(ys[n]));
    series.append(trajectory);
    for (const auto& p : fixedPoints_) {
        auto* point = new QScatterSeries;
        point->setName(QString::fromStdString(p.kind));
        point->setMarkerSize(11);
        point->append(p.x, p.y);
        series.append(point);
    }
    phaseChart_->setTitle(QString("Phase plane at %1 nA").arg(phaseCurrent_->value()));
    fill(phaseChart_, series, xHigh, QString::fromStdString(y));
    auto* x = static_cast<QValueAxis*>(phaseChart_->axes(Qt::Horizontal).front());
    x->setRange(xLow, xHigh);
    x->applyNiceNumbers();
    x->setTitleText(QString::fromStdString(model.voltage));
    auto* yAxis = static_cast<QValueAxis*>(phaseChart_->axes(Qt::Vertical).front());
    yAxis->setRange(yLow, yHigh);
    yAxis->applyNiceNumbers();
    style(phaseChart_);
    // The vector field over the whole plot, as the axes ended up.
    constexpr int kColumns = 19, kRows = 13;
    for (int r = 0; r < kRows; ++r)
        for (int c = 0; c < kColumns; ++c) {
            Arrow a;
            a.x = x->min() + (x->max() - x->min()) * (c + 0.5) / kColumns;
            a.y = yAxis->min() + (yAxis->max() - yAxis->min()) * (r + 0.5) / kRows;
            std::tie(a.dx, a.dy) = field->derivative(a.x, a.y);
            if (std::isfinite(a.dx) && std::isfinite(a.dy)) arrows_.push_back(a);
        }
    field_->setArrows(&arrows_, x->max() - x->min(), yAxis->max() - yAxis->min(), classroom_);
}

bool NeuronLab::eventFilter(QObject* watched, QEvent* event) {
    if (phaseView_ && watched == phaseView_->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        const QPointF at = phaseChart_->mapFromScene(phaseView_->mapToScene(mouse->position().toPoint()));
        if (mouse->button() == Qt::LeftButton && phaseChart_->plotArea().contains(at) &&
            !phaseChart_->series().isEmpty()) {
            const NeuronModelInfo& model = neuronModel(shown_.model, "neuron lab");
            const QPointF value = phaseChart_->mapToValue(at, phaseChart_->series().front());
            initial_[model.voltage] = value.x();
            initial_[phaseY_->currentText().toStdString()] = value.y();
            run();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace spikelab::ui
