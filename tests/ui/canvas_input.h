#pragma once
// Mouse input on the network canvas, for the editor tests: finding nodes and the rim where
// drags start connections, dragging as a hand does, and clicking a palette entry.
#include "network_canvas.h"
#include "node_palette.h"

#include <QtTest>

#include <vector>

inline spikelab::ui::NodeItem* node(const spikelab::ui::NetworkCanvas& c, const QString& name) {
    for (spikelab::ui::NodeItem* n : c.nodes())
        if (n->name() == name) return n;
    return nullptr;
}

// A scene point on the node's top rim, where drags start connections.
inline QPointF rim(const spikelab::ui::NetworkCanvas& c, const QString& name) {
    const QRectF r = node(c, name)->sceneOutline();
    return {r.center().x(), r.top() + 3.0 / c.zoom()};
}

// Presses the left button at `from`, moves through `through` to `to` and releases there
// (viewport coordinates).
inline void drag(QWidget* viewport, QPoint from, const std::vector<QPoint>& through, QPoint to,
                 Qt::KeyboardModifiers modifiers = {}) {
    QTest::mousePress(viewport, Qt::LeftButton, modifiers, from);
    for (QPoint p : through) QTest::mouseMove(viewport, p);
    QTest::mouseMove(viewport, to);
    QTest::mouseRelease(viewport, Qt::LeftButton, modifiers, to);
}

// Clicks the palette entry that makes `kind` (then a click on the canvas places it); false
// when the palette has none.
[[nodiscard]] inline bool clickPalette(spikelab::ui::NodePalette* palette,
                                       const spikelab::ui::NodeKind& kind) {
    for (int i = 0; i < palette->count(); ++i)
        if (spikelab::ui::NodePalette::kindOf(palette->item(i)) == kind) {
            QTest::mouseClick(palette->viewport(), Qt::LeftButton, {},
                              palette->visualItemRect(palette->item(i)).center());
            return true;
        }
    return false;
}
