#pragma once
// The palette: under "Populations" one entry per neuron model (the built-in ones and the
// project's own), under "Inputs" one per encoder, drawn like the canvas draws them. Drag an entry onto the canvas, or click it and
// then click the canvas.
#include "network_canvas.h"

#include <QListWidget>

#include <optional>
#include <string>
#include <vector>

namespace spikelab::ui {

class NodePalette : public QListWidget {
    Q_OBJECT
public:
    explicit NodePalette(QWidget* parent = nullptr);
    // The kind an entry makes; nullopt for the two headings.
    static std::optional<NodeKind> kindOf(const QListWidgetItem* item);
    // Lists the models `spec` can use (rebuilt only when they changed).
    void setModels(const NetworkSpec& spec);

signals:
    void placementChosen(const spikelab::ui::NodeKind& kind);

protected:
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;

private:
    std::vector<std::string> models_;  // the models listed, with their descriptions
};

} // namespace spikelab::ui
