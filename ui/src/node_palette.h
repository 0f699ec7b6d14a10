#pragma once
// The palette: under "Populations" one entry per neuron model, under "Inputs" one per
// encoder, drawn like the canvas draws them. Drag an entry onto the canvas, or click it and
// then click the canvas.
#include "network_canvas.h"

#include <QListWidget>

#include <optional>

namespace spikelab::ui {

class NodePalette : public QListWidget {
    Q_OBJECT
public:
    explicit NodePalette(QWidget* parent = nullptr);
    // The kind an entry makes; nullopt for the two headings.
    static std::optional<NodeKind> kindOf(const QListWidgetItem* item);

signals:
    void placementChosen(const spikelab::ui::NodeKind& kind);

protected:
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
};

} // namespace spikelab::ui
