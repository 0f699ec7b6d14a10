#pragma once
// The workbench's light theme: colours every view shares, so plots look like one program.
#include <QColor>
#include <QFont>

namespace spikelab::ui::theme {

inline const QColor background(255, 255, 255);
inline const QColor frame(190, 190, 196);
inline const QColor text(60, 60, 66);
inline const QColor error(190, 30, 30); // refusals and failures

// The views' text, sized in pixels so drawings look alike on every screen.
inline QFont font(int pixels, bool bold = false) {
    QFont f;
    f.setPixelSize(pixels);
    f.setBold(bold);
    return f;
}

} // namespace spikelab::ui::theme
