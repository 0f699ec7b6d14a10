// The network diagram's arrows (network_view.h): projections and input links, their bends
// between nodes joined more than once, loops for recurrent projections, and arrowheads.
#include "network_view.h"
#include "network_view_style.h"
#include "theme.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

namespace spikelab::ui {

using namespace network_style;


ConnectionItem::ConnectionItem(Kind kind, QString name, NodeItem* source, NodeItem* target,
                               QString label, double bend)
    : kind_(kind), name_(std::move(name)), label_(std::move(label)), source_(source),
      target_(target), bend_(bend) {
    if (source == target) loopIndex_ = source->loopCount();
    source->addConnection(this);
    if (target != source) target->addConnection(this);
    adjust();
}

double ConnectionItem::loopHeight(int index) {
    return 34.0 + 26.0 * (index / 2);
}

void ConnectionItem::setBend(double bend) {
    bend_ = bend;
    adjust();
}

void ConnectionItem::adjust() {
    prepareGeometryChange();
    const QFontMetricsF fm(labelFont());
    const QSizeF labelSize(fm.horizontalAdvance(label_) + 8, fm.height() + 2);
    QPointF tip, towards, labelCentre;
    line_ = QPainterPath();
    if (isLoop()) {
        // Out of the right half of the node's top (or bottom) edge, round, and back into the
        // left half; loops alternate between top and bottom, then grow.
        const QRectF r = source_->sceneOutline();
        const bool below = loopIndex_ % 2 == 1;
        const double out = below ? 1.0 : -1.0;
        const double edge = below ? r.bottom() : r.top();
        const double h = loopHeight(loopIndex_);
        const double spread = 14.0 + 8.0 * (loopIndex_ / 2);
        const QPointF start(r.center().x() + spread, edge);
        tip = QPointF(r.center().x() - spread, edge);
        const QPointF c1 = start + QPointF(spread + 22, out * h * 4 / 3);
        towards = tip + QPointF(-spread - 22, out * h * 4 / 3);
        const QPointF end = tip - unit(tip - towards) * (kHeadLength - 1);
        line_.moveTo(start);
        line_.cubicTo(c1, towards, end);
        labelCentre = QPointF(r.center().x(), edge + out * (h + labelSize.height() / 2 + 2));
    } else {
        const QPointF from = source_->scenePos(), to = target_->scenePos();
        const QPointF direction = unit(to - from);
        const QPointF left(direction.y(), -direction.x()); // left of the direction on screen
        const QPointF control = (from + to) / 2 + left * (2 * bend_);
        const QPointF start = source_->boundaryPoint(bend_ == 0 ? to : control);
        tip = target_->boundaryPoint(bend_ == 0 ? from : control);
        towards = bend_ == 0 ? start : control;
        const QPointF end = tip - unit(tip - towards) * (kHeadLength - 1);
        line_.moveTo(start);
        if (bend_ == 0)
            line_.lineTo(end);
        else
            line_.quadTo(control, end);
        // The label sits beside the curve's middle, on the side the curve bends to.
        const QPointF middle = bend_ == 0 ? (start + tip) / 2 : (start + 2 * control + tip) / 4;
        const QPointF side = bend_ < 0 ? -left : left;
        const double clearance = std::abs(side.x()) * labelSize.width() / 2 +
                                 std::abs(side.y()) * labelSize.height() / 2 + 3;
        labelCentre = middle + side * clearance;
    }
    const QPointF u = unit(tip - towards);
    const QPointF across(-u.y(), u.x());
    const QPointF base = tip - u * kHeadLength;
    head_ = QPolygonF({tip, base + across * kHeadHalfWidth, base - across * kHeadHalfWidth});
    labelRect_ = label_.isEmpty()
                     ? QRectF()
                     : QRectF(labelCentre - QPointF(labelSize.width() / 2, labelSize.height() / 2),
                              labelSize);
}

QRectF ConnectionItem::boundingRect() const {
    return (line_.boundingRect() | head_.boundingRect() | labelRect_).adjusted(-3, -3, 3, 3);
}

QPainterPath ConnectionItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    QPainterPath path = stroker.createStroke(line_);
    path.addPolygon(head_);
    if (!labelRect_.isNull()) path.addRect(labelRect_);
    return path;
}

void ConnectionItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QColor ink =
        isSelected() ? kSelection : kind_ == Kind::Projection ? kProjectionInk : kInputInk;
    QPen pen(ink, (kind_ == Kind::Projection ? 1.6 : 1.4) + (isSelected() ? 1.0 : 0.0));
    if (kind_ == Kind::Input) pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(line_);
    painter->setPen(Qt::NoPen);
    painter->setBrush(ink);
    painter->drawPolygon(head_);
    if (!labelRect_.isNull()) {
        painter->setBrush(QColor(255, 255, 255, 225));
        painter->drawRoundedRect(labelRect_, 3, 3);
        painter->setFont(labelFont());
        painter->setPen(theme::text);
        painter->drawText(labelRect_, Qt::AlignCenter, label_);
    }
}

} // namespace spikelab::ui
