#pragma once
// What the network diagram's nodes, arrows and layout share: sizes, inks and fonts (in scene
// units). Private to network_view*.cpp.
#include <QColor>
#include <QFont>
#include <QPointF>

#include <cmath>

namespace spikelab::ui::network_style {

constexpr double kPadX = 14.0, kPadY = 8.0;
constexpr double kRadius = 8.0;
constexpr double kSlant = 14.0;      // horizontal lean of an input's parallelogram
constexpr double kHeadLength = 11.0; // arrowheads
constexpr double kHeadHalfWidth = 5.5;
constexpr double kPairSpacing = 44.0; // between arrows joining the same two nodes
constexpr double kRowGap = 36.0;
constexpr double kMargin = 24.0;

inline const QColor kProjectionInk(58, 60, 70);
inline const QColor kInputInk(104, 114, 134);
inline const QColor kInputFill(232, 236, 243);
inline const QColor kUnknownModel(214, 214, 214);
inline const QColor kSelection(30, 110, 230);
// What keeps the network from running (a size that does not fit the data set).
inline const QColor kProblem(220, 30, 30);

inline QFont font(double px, bool bold = false, bool italic = false) {
    QFont f;
    f.setPixelSize(int(px));
    f.setBold(bold);
    f.setItalic(italic);
    return f;
}

// The arrows' labels: the smallest text, NetworkView::kSmallestTextPixels.
inline QFont labelFont() {
    return font(11);
}

// The unit vector along v (along x for a zero vector).
inline QPointF unit(QPointF v) {
    const double length = std::hypot(v.x(), v.y());
    return length > 1e-9 ? v / length : QPointF(1, 0);
}

} // namespace spikelab::ui::network_style
