#include "axis_ticks.h"

#include "theme.h"

#include <QValueAxis>

#include <cmath>

namespace spikelab::ui {

double niceStep(double span, int maxSteps) {
    if (!(span > 0) || maxSteps < 1) return 1.0;
    const double raw = span / maxSteps;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= raw) return m * magnitude;
    return 10.0 * magnitude;
}

void setAxisTicks(QValueAxis* axis, double min, double max, double step, double anchor) {
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(anchor);
    // A coarser step first, a finer one last: every state in between has few ticks.
    if (step >= axis->tickInterval()) {
        axis->setTickInterval(step);
        axis->setRange(min, max);
    } else {
        axis->setRange(min, max);
        axis->setTickInterval(step);
    }
}

void styleAxis(QValueAxis* axis, const QString& title) {
    axis->setTitleText(title);
    axis->setTitleFont(theme::font(11));
    axis->setLabelsFont(theme::font(11));
    axis->setTitleBrush(theme::text);
    axis->setLabelsBrush(theme::text);
    axis->setLinePenColor(theme::frame);
    axis->setGridLineColor(QColor(232, 232, 236));
    axis->setMinorGridLineVisible(false);
}

} // namespace spikelab::ui
