#include "lab_charts.h"

#include <QChart>
#include <QLegend>
#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <cmath>
#include <limits>

namespace spikelab::ui::lab {

QChart* newChart(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    // Above the plot: the three plots keep the same width, so their time axes line up.
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

void fill(QChart* chart, const QList<QAbstractSeries*>& series, double end, const QString& yTitle) {
    chart->removeAllSeries();
    for (auto* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    auto* x = new QValueAxis;
    x->setTitleText("time (ms)");
    x->setRange(0, end);
    auto* y = new QValueAxis;
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (auto* s : series) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
        for (const QPointF& p : static_cast<QXYSeries*>(s)->points()) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    }
    if (!(lo <= hi)) lo = 0, hi = 1;
    const double margin = hi > lo ? 0.05 * (hi - lo) : std::max(1.0, std::fabs(hi) * 0.1);
    y->setRange(lo - margin, hi + margin);
    y->applyNiceNumbers();
}

} // namespace spikelab::ui::lab
