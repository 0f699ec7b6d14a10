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

#include <functional>

namespace spikelab::ui {

namespace {

void setError(QString* error, const QString& message) {
    if (error) *error = message;
}

QString cannotWrite(const QString& path, const QString& reason) {
    return QStringLiteral("cannot write \"%1\": %2").arg(path, reason);
}

// Opens `path` through QSaveFile, lets `write` fill it and commits; the file appears only
// when everything succeeded.
bool saveAtomically(const QString& path, QString* error,
                    const std::function<bool(QSaveFile&, QString&)>& write) {
    if (path.isEmpty()) {
        setError(error, QStringLiteral("cannot write a file with an empty name"));
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, cannotWrite(path, file.errorString()));
        return false;
    }
    QString reason;
    if (!write(file, reason)) {
        file.cancelWriting();
        setError(error, cannotWrite(path, reason.isEmpty() ? file.errorString() : reason));
        return false;
    }
    if (!file.commit()) {
        setError(error, cannotWrite(path, file.errorString()));
        return false;
    }
    return true;
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

bool exportWidgetPng(QWidget* widget, const QString& path, QString* error) {
    if (!checkWidget(widget, path, error)) return false;
    finishPendingLayouts();
    const QImage image = widget->grab().toImage();
    return saveAtomically(path, error, [&](QSaveFile& file, QString& reason) {
        if (image.save(&file, "PNG")) return true;
        reason = QStringLiteral("PNG encoding failed");
        return false;
    });
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
    return saveAtomically(path, error, [&](QSaveFile& file, QString& reason) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(widget->size());
        svg.setViewBox(widget->rect());
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("Exported from SpikeLab"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            reason = QStringLiteral("the SVG writer could not start");
            return false;
        }
        // An empty region would make QWidget::render draw the whole widget.
        if (!rest.isEmpty())
            widget->render(&painter, QPoint(), rest,
                           QWidget::DrawWindowBackground | QWidget::DrawChildren);
        for (const auto& [chart, area] : chartAreas)
            chart->render(&painter, QRectF(area), chart->viewport()->rect());
        painter.end();
        return file.error() == QFileDevice::NoError;
    });
}

bool writeTextFileAtomically(const QString& path, const QByteArray& contents, QString* error) {
    return saveAtomically(path, error, [&](QSaveFile& file, QString&) {
        return file.write(contents) == contents.size();
    });
}

} // namespace spikelab::ui
