#pragma once
// Axes shared by the views: round steps, Qt Charts value axes set without ever passing
// through a state with thousands of ticks, and the theme's look for them.
class QString;
class QValueAxis;

namespace spikelab::ui {

// 1, 2 or 5 times a power of ten: the smallest such step giving at most `maxSteps` steps over
// `span`; 1 when span is not positive.
double niceStep(double span, int maxSteps);

// Shows [min, max] with a tick every `step` counted from `anchor`. Qt Charts builds one item
// per tick as soon as the range or the interval changes, so the order of the two calls
// matters: a range grown to 20,000 under the old interval of 1 would build 20,000 items
// (seconds of work) before the new interval arrives.
void setAxisTicks(QValueAxis* axis, double min, double max, double step, double anchor = 0.0);

// Title, fonts and colours of the theme; grid lines light, no minor grid.
void styleAxis(QValueAxis* axis, const QString& title);

} // namespace spikelab::ui
