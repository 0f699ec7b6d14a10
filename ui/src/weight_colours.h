#pragma once
// The weight views' diverging colour map: blue for negative, white for zero, red for positive
// weights, symmetric about zero, and how weights are written in labels and tooltips.
#include <QRgb>
#include <QString>

namespace spikelab::ui {

inline constexpr QRgb kNoSynapse = qRgb(176, 176, 176);  // a pair without a synapse
inline constexpr QRgb kNonFinite = qRgb(0, 0, 0);        // NaN and infinite weights

// The colour of weight w on a scale from -limit (deepest blue) to +limit (deepest red);
// weights beyond the limit take the end colours.
QRgb weightRgb(float w, float limit);

// Four significant digits.
QString formatWeight(double w);

} // namespace spikelab::ui
