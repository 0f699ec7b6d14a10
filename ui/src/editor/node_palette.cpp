#include "node_palette.h"

#include "icons.h"

#include "spikelab/models.h"

#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QSvgRenderer>

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
    setIconSize(QSize(30, 18));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTextElideMode(Qt::ElideRight);
    setToolTip(tr("Drag onto the canvas, or click and then click the canvas"));
    setModels({});
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (const auto kind = kindOf(item)) emit placementChosen(*kind);
    });
}

void NodePalette::setModels(const NetworkSpec& spec) {
    const std::vector<const NeuronModelInfo*> models = neuronModels(spec);
    std::vector<std::string> names;
    for (const NeuronModelInfo* m : models) names.push_back(m->name + "\n" + m->description);
    if (count() > 0 && names == models_) return;
    models_ = names;
    clear();
    // The node's shape in the canvas's colour (a population's model colour, the inputs' grey),
    // with the entry's glyph (resources/icons/palette) on it: the colour says where it will
    // appear, the glyph what it does.
    const auto icon = [this](const QColor& fill, bool slanted, const std::string& name) {
        const qreal ratio = devicePixelRatioF();
        QPixmap pixmap(QSize(30, 18) * ratio);
        pixmap.setDevicePixelRatio(ratio);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(fill.darker(170), 1.2));
        p.setBrush(fill);
        if (slanted)
            p.drawPolygon(QPolygonF({QPointF(6, 1), QPointF(29, 1), QPointF(24, 17), QPointF(1, 17)}));
        else
            p.drawRoundedRect(QRectF(1, 1, 28, 16), 4, 4);
        if (const QString glyph = paletteGlyph(name); !glyph.isEmpty())
            QSvgRenderer(glyph).render(&p, QRectF(0, 0, 30, 18));
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
    for (const NeuronModelInfo* m : models)
        entry(icon(PopulationItem::modelColour(m->name), false, m->name), m->name, {false, m->name},
              m->description);
    heading(tr("Inputs"));
    // A spike encoder's entry also says where it can go: a drop on IF or LIF neurons, which
    // cannot take spikes from an input, offers a SpikeSource population in between.
    for (const auto& e : encoders())
        entry(icon(QColor(232, 236, 243), true, e.name), e.name, {true, e.name},
              encoderMakesSpikes(e.kind)
                  ? e.description + "\n\n" + NetworkCanvas::spikeInputHint(e.name).toStdString()
                  : e.description);
    // As wide as its longest entry (CurrentInjection), with room for the scroll bar a low
    // dock needs: no name is cut.
    setFixedWidth(sizeHintForColumn(0) + 2 * frameWidth() +
                  verticalScrollBar()->sizeHint().width() + 4);
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
