#pragma once
// The weight views' diverging colour map: blue for negative, white for zero, red for positive
// weights, symmetric about zero, and how weights are written in labels and tooltips.
#include <QRgb>
#include <QString>

#include <span>

namespace spikelab::ui {

inline constexpr QRgb kNoSynapse = qRgb(176, 176, 176);  // a pair without a synapse
inline constexpr QRgb kNonFinite = qRgb(0, 0, 0);        // NaN and infinite weights

// The colour of weight w on a scale from -limit (deepest blue) to +limit (deepest red);
// weights beyond the limit take the end colours.
QRgb weightRgb(float w, float limit);

// Four significant digits.
QString formatWeight(double w);

// The `fraction` quantile (0.99: the 99th percentile) of |w| over the finite weights, by
// nearest rank: the smallest |w| that at least that share of them do not exceed. 0 when there
// are none. Past 2^20 weights an even sample of 2^20 of them stands for the whole (a poll of
// millions of weights twice a second stays cheap).
float absPercentile(std::span<const float> weights, double fraction);

} // namespace spikelab::ui
