#pragma once
// The workbench's light theme: colours every view shares, so plots look like one program.
#include <QColor>

namespace spikelab::ui::theme {

inline const QColor background(255, 255, 255);
inline const QColor frame(190, 190, 196);
inline const QColor text(60, 60, 66);

} // namespace spikelab::ui::theme
