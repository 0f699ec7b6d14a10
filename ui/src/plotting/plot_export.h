#pragma once
// Saving what a view shows: PNG (pixels as on screen), SVG (vector paths and text, for papers
// and slides) and text files such as CSV. Every file is written through QSaveFile, so a failed
// export leaves no half-written file and keeps an older file of that name intact. On failure
// the functions return false and, when `error` is given, say which file and why.
#include <QByteArray>
#include <QSizeF>
#include <QString>

#include <functional>

class QIODevice;
class QImage;
class QPainter;
class QWidget;

namespace spikelab::ui {

// The widget and its children as they look now, at the widget's current size.
bool exportWidgetPng(QWidget* widget, const QString& path, QString* error);
// The widget as SVG with `title` as the document title. Qt Charts inside it (or the widget
// itself, when it is a QChartView) are drawn from their scenes, so curves stay vector paths.
bool exportWidgetSvg(QWidget* widget, const QString& path, const QString& title, QString* error);
bool writeTextFileAtomically(const QString& path, const QByteArray& contents, QString* error);

// The building blocks: `write` fills the file and returns false when encoding failed; the file
// appears only when everything succeeded.
bool writeFileAtomically(const QString& path, QString* error,
                         const std::function<bool(QIODevice&)>& write);
bool writePng(const QString& path, const QImage& image, QString* error);
// An SVG of `size` whose contents `draw` paints (vector paths and text).
bool writeSvg(const QString& path, QSizeF size, const QString& title,
              const std::function<void(QPainter&)>& draw, QString* error);

} // namespace spikelab::ui
