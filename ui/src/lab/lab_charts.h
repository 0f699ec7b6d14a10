#pragma once
// Chart helpers the neuron lab's tabs share (neuron_lab.cpp, neuron_lab_phase.cpp).
#include <QList>
#include <QString>

#include <cstddef>

class QAbstractSeries;
class QChart;

namespace spikelab::ui::lab {

// Points drawn per series at most: a long run is drawn as the low and high of each slice, so
// no spike disappears between two drawn points.
constexpr std::size_t kMaxDrawnPoints = 4000;

// A chart with its title and the legend above the plot.
QChart* newChart(const QString& title);

// Replaces the chart's series and fits its axes to them (x: 0 to `end` ms).
void fill(QChart* chart, const QList<QAbstractSeries*>& series, double end, const QString& yTitle);

} // namespace spikelab::ui::lab
