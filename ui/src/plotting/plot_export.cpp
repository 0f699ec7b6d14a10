#include "plot_export.h"

#include <QChartView>
#include <QCoreApplication>
#include <QEvent>
#include <QImage>
#include <QPainter>
#include <QRegion>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>


namespace spikelab::ui {

namespace {

void setError(QString* error, const QString& message) {
    if (error) *error = message;
}

QString cannotWrite(const QString& path, const QString& reason) {
    return QStringLiteral("cannot write \"%1\": %2").arg(path, reason);
}

// Charts lay themselves out later, from the event loop: finish that first, so an export right
// after a change shows the new axes and labels.
void finishPendingLayouts() {
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

bool checkWidget(QWidget* widget, const QString& path, QString* error) {
    if (!widget) {
        setError(error, cannotWrite(path, QStringLiteral("there is no view to export")));
        return false;
    }
    if (widget->width() <= 0 || widget->height() <= 0) {
        setError(error, cannotWrite(path, QStringLiteral("the view has no area (%1x%2 pixels)")
                                              .arg(widget->width())
                                              .arg(widget->height())));
        return false;
    }
    return true;
}

} // namespace

bool writeFileAtomically(const QString& path, QString* error,
                         const std::function<bool(QIODevice&)>& write) {
    if (path.isEmpty()) {
        setError(error, QStringLiteral("cannot write a file with an empty name"));
        return false;
    }
    QSaveFile file(path);
    QString reason;
    if (!file.open(QIODevice::WriteOnly)) {
        reason = file.errorString();
    } else if (!write(file)) {
        reason = file.error() != QFileDevice::NoError ? file.errorString()
                                                      : QStringLiteral("encoding failed");
        file.cancelWriting();
    } else if (!file.commit()) {
        reason = file.errorString();
    }
    if (reason.isEmpty()) return true;
    setError(error, cannotWrite(path, reason));
    return false;
}

bool writePng(const QString& path, const QImage& image, QString* error) {
    return writeFileAtomically(path, error,
                               [&](QIODevice& file) { return image.save(&file, "PNG"); });
}

bool writeSvg(const QString& path, QSizeF size, const QString& title,
              const std::function<void(QPainter&)>& draw, QString* error) {
    return writeFileAtomically(path, error, [&](QIODevice& file) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), size));
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("Exported from SpikeLab"));
        QPainter painter;
        if (!painter.begin(&svg)) return false;
        draw(painter);
        return painter.end();
    });
}

bool exportWidgetPng(QWidget* widget, const QString& path, QString* error) {
    if (!checkWidget(widget, path, error)) return false;
    finishPendingLayouts();
    return writePng(path, widget->grab().toImage(), error);
}

bool exportWidgetSvg(QWidget* widget, const QString& path, const QString& title, QString* error) {
    if (!checkWidget(widget, path, error)) return false;
    finishPendingLayouts();
    // Charts are drawn from their scenes; everything else through QWidget::render, which
    // skips the charts' areas so they are not painted twice.
    QList<QChartView*> charts = widget->findChildren<QChartView*>();
    if (auto* self = qobject_cast<QChartView*>(widget)) charts = {self};
    QRegion rest(widget->rect());
    QList<std::pair<QChartView*, QRect>> chartAreas;
    for (QChartView* chart : charts) {
        if (chart != widget && !chart->isVisibleTo(widget)) continue;
        const QWidget* viewport = chart->viewport();
        const QRect area(viewport->mapTo(widget, QPoint(0, 0)), viewport->size());
        chartAreas.append({chart, area});
        rest -= QRect(chart->mapTo(widget, QPoint(0, 0)), chart->size());
    }
    return writeSvg(path, widget->size(), title, [&](QPainter& painter) {
        // An empty region would make QWidget::render draw the whole widget.
        if (!rest.isEmpty())
            widget->render(&painter, QPoint(), rest,
                           QWidget::DrawWindowBackground | QWidget::DrawChildren);
        for (const auto& [chart, area] : chartAreas)
            chart->render(&painter, QRectF(area), chart->viewport()->rect());
    }, error);
}

bool writeTextFileAtomically(const QString& path, const QByteArray& contents, QString* error) {
    return writeFileAtomically(path, error, [&](QIODevice& file) {
        return file.write(contents) == contents.size();
    });
}

} // namespace spikelab::ui
