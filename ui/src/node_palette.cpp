#include "node_palette.h"

#include "spikelab/models.h"

#include <QMimeData>
#include <QPainter>

namespace spikelab::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

} // namespace

NodePalette::NodePalette(QWidget* parent) : QListWidget(parent) {
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setIconSize(QSize(22, 14));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextElideMode(Qt::ElideRight);
    setToolTip(tr("Drag onto the canvas, or click and then click the canvas"));
    const auto icon = [](const QColor& fill, bool slanted) {
        QPixmap pixmap(22, 14);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(fill.darker(170), 1.2));
        p.setBrush(fill);
        if (slanted)
            p.drawPolygon(QPolygonF({QPointF(5, 1), QPointF(21, 1), QPointF(17, 13), QPointF(1, 13)}));
        else
            p.drawRoundedRect(QRectF(1, 1, 20, 12), 3, 3);
        return QIcon(pixmap);
    };
    const auto heading = [this](const QString& text) {
        auto* item = new QListWidgetItem(text, this);
        item->setFlags(Qt::ItemIsEnabled); // neither selectable nor draggable
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
    };
    const auto entry = [this](const QIcon& picture, const std::string& name, const NodeKind& kind,
                              const std::string& description) {
        auto* item = new QListWidgetItem(picture, qs(name), this);
        item->setData(Qt::UserRole, NetworkCanvas::encodeKind(kind));
        item->setToolTip(qs(description));
    };
    heading(tr("Populations"));
    for (const auto& m : neuronModels())
        entry(icon(PopulationItem::modelColour(m.name), false), m.name, {false, m.name},
              m.description);
    heading(tr("Inputs"));
    // A spike encoder's entry also says where it can go: a drop on IF or LIF neurons, which
    // cannot take spikes from an input, offers a SpikeSource population in between.
    for (const auto& e : encoders())
        entry(icon(QColor(232, 236, 243), true), e.name, {true, e.name},
              encoderMakesSpikes(e.kind)
                  ? e.description + "\n\n" + NetworkCanvas::spikeInputHint(e.name).toStdString()
                  : e.description);
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (const auto kind = kindOf(item)) emit placementChosen(*kind);
    });
}

std::optional<NodeKind> NodePalette::kindOf(const QListWidgetItem* item) {
    return NetworkCanvas::decodeKind(item->data(Qt::UserRole).toByteArray());
}

QStringList NodePalette::mimeTypes() const {
    return {NetworkCanvas::kNodeMime};
}

QMimeData* NodePalette::mimeData(const QList<QListWidgetItem*>& items) const {
    if (items.isEmpty() || !kindOf(items.front())) return nullptr;
    auto* mime = new QMimeData;
    mime->setData(NetworkCanvas::kNodeMime, items.front()->data(Qt::UserRole).toByteArray());
    return mime;
}

} // namespace spikelab::ui
