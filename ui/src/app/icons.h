#pragma once
// The workbench's icons. The application icon and the palette's glyphs (one per neuron model
// and input type) are SpikeLab's own: no desktop theme has a picture of a LIF neuron. Actions
// take the desktop theme's icon where the desktop has one, so the toolbar matches the rest of
// the desktop, and SpikeLab's bundled SVG where it has none (openbox, the offscreen platform).
// The SVGs are in resources/icons and compiled into the ui library (resources/spikelab.qrc),
// so an install needs no icon files beside the binary.
#include <QIcon>
#include <QString>

#include <string>

namespace spikelab::ui {

// The window's and the desktop entry's icon.
QIcon appIcon();

// The theme's `themeName` when the desktop's icon theme has it, else
// resources/icons/actions/`bundled`.svg.
QIcon actionIcon(const QString& themeName, const QString& bundled);

// The resource path of a neuron model's or input type's glyph; empty when none is bundled
// (a model added later is drawn without one).
QString paletteGlyph(const std::string& name);

} // namespace spikelab::ui
