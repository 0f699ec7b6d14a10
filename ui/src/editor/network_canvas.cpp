#include "network_canvas.h"

#include "document.h"

#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/project.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

namespace spikelab::ui {

namespace {

constexpr double kEdgeBand = 9.0;       // pixels of a node's rim that start connections
constexpr double kMinZoom = 0.1, kMaxZoom = 4.0;
constexpr double kPasteOffset = 40.0;   // scene units each paste moves from the copied nodes
constexpr double kSceneSlack = 2000.0;  // room around the network to pan and drop into

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

bool isUsed(const NetworkSpec& spec, const std::set<std::string>& taken, const std::string& name) {
    if (taken.count(name)) return true;
    const auto named = [&](const auto& items) {
        return std::any_of(items.begin(), items.end(),
                           [&](const auto& i) { return i.name == name; });
    };
    return named(spec.populations) || named(spec.projections) || named(spec.inputs);
}

// "<name>_copy", then "<name>_copy2", ... whichever names nothing yet.
std::string copyName(const NetworkSpec& spec, std::set<std::string>& taken,
                     const std::string& name) {
    std::string candidate = name + "_copy";
    for (int n = 2; isUsed(spec, taken, candidate); ++n)
        candidate = name + "_copy" + std::to_string(n);
    taken.insert(candidate);
    return candidate;
}

} // namespace

NetworkCanvas::NetworkCanvas(Document* document, QWidget* parent)
    : NetworkView(parent), document_(document) {
    autoFit_ = false;
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    // Room to pan all around (middle button, wheel): scroll bars would only take space.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    setToolTip(QString());
    connect(document, &Document::changed, this, &NetworkCanvas::follow);
    connect(document, &Document::pathChanged, this, [this] { fitPending_ = true; });
    connect(diagramScene(), &QGraphicsScene::selectionChanged, this,
            [this] { emit selectionNamesChanged(selectedNames()); });
    follow();
}

NetworkCanvas::~NetworkCanvas() {
    // The scene dies with the view's children and reports its items' deselection on the way.
    diagramScene()->disconnect(this);
}

QByteArray NetworkCanvas::encodeKind(const NodeKind& kind) {
    return QByteArray(kind.input ? "input:" : "population:") + QByteArray::fromStdString(kind.model);
}

std::optional<NodeKind> NetworkCanvas::decodeKind(const QByteArray& bytes) {
    const auto colon = bytes.indexOf(':');
    if (colon < 0) return std::nullopt;
    const QByteArray what = bytes.left(colon);
    if (what != "input" && what != "population") return std::nullopt;
    return NodeKind{what == "input", bytes.mid(colon + 1).toStdString()};
}

void NetworkCanvas::follow() {
    if (!document_) return;
    // Keep what the user sees: the same scene point in the middle, the same items selected.
    const QPointF centre = mapToScene(viewport()->rect().center());
    QStringList selected = pendingSelection_.isEmpty() ? selectedNames() : pendingSelection_;
    pendingSelection_.clear();
    // A rename (one name gone, one new) keeps the renamed item selected.
    std::set<std::string> names;
    const NetworkSpec& spec = document_->spec();
    for (const auto& p : spec.populations) names.insert(p.name);
    for (const auto& j : spec.projections) names.insert(j.name);
    for (const auto& in : spec.inputs) names.insert(in.name);
    std::vector<std::string> gone, added;
    std::set_difference(shownNames_.begin(), shownNames_.end(), names.begin(), names.end(),
                        std::back_inserter(gone));
    std::set_difference(names.begin(), names.end(), shownNames_.begin(), shownNames_.end(),
                        std::back_inserter(added));
    if (gone.size() == 1 && added.size() == 1 && selected.contains(qs(gone.front())))
        selected.replace(selected.indexOf(qs(gone.front())), qs(added.front()));
    shownNames_ = std::move(names);
    delete rubberLine_;
    rubberLine_ = nullptr;
    connectFrom_.clear();
    {
        const QSignalBlocker quiet(diagramScene());
        setNetwork(spec);
        markMismatches();
        for (NodeItem* node : nodes())
            node->setFlags(node->flags() | QGraphicsItem::ItemIsSelectable |
                           QGraphicsItem::ItemIsMovable);
        for (ConnectionItem* c : connections()) c->setFlag(QGraphicsItem::ItemIsSelectable);
        selectNames(selected);
    }
    setActivity(activity_);
    updateSceneRect();
    if (fitPending_ && !nodes().empty() && isVisible()) {
        fitAll();
    } else if (fitted_) {
        fitToView();
    } else {
        centerOn(centre);
    }
    emit selectionNamesChanged(selectedNames());
}

void NetworkCanvas::fitAll() {
    fitToView();
    fitPending_ = false;
    fitted_ = true;
}

void NetworkCanvas::showEvent(QShowEvent* event) {
    NetworkView::showEvent(event);
    if (fitPending_ && !nodes().empty()) fitAll();
}

void NetworkCanvas::resizeEvent(QResizeEvent* event) {
    NetworkView::resizeEvent(event);
    if (fitted_) fitToView();
}

void NetworkCanvas::updateSceneRect() {
    setSceneRect(diagramRect().adjusted(-kSceneSlack, -kSceneSlack, kSceneSlack, kSceneSlack));
}

void NetworkCanvas::report(const QString& text) {
    lastMessage_ = text;
    emit message(text);
}

void NetworkCanvas::armPlacement(std::optional<NodeKind> kind) {
    armed_ = std::move(kind);
    viewport()->setCursor(armed_ ? Qt::CrossCursor : Qt::ArrowCursor);
    if (armed_)
        report(tr("Click on the canvas to place the %1 (Esc cancels)")
                   .arg(armed_->input ? tr("%1 input").arg(qs(armed_->model))
                                      : tr("%1 population").arg(qs(armed_->model))));
}

std::string NetworkCanvas::placeNode(const NodeKind& kind, QPointF scenePos) {
    if (!document_) return {};
    fitPending_ = fitted_ = false; // the user is drawing here: keep the view where it is
    const CanvasPosition where{std::round(scenePos.x()), std::round(scenePos.y())};
    QString error;
    std::string name;
    if (!kind.input) {
        PopulationSpec p;
        p.size = kPopulationSize;
        p.model = kind.model;
        p.record.spikes = true;
        p.position = where;
        name = document_->addPopulation(p, &error);
    } else {
        name = placeInput(kind, scenePos);
        if (name.empty()) return {};
    }
    if (name.empty()) {
        report(error);
        return {};
    }
    selectNames({qs(name)});
    return name;
}

QStringList NetworkCanvas::selectedNames() const {
    QStringList names;
    for (NodeItem* node : nodes())
        if (node->isSelected()) names << node->name();
    for (ConnectionItem* c : connections())
        if (c->isSelected() && !names.contains(c->name())) names << c->name();
    return names;
}

void NetworkCanvas::selectNames(const QStringList& names) {
    const QSet<QString> wanted(names.begin(), names.end());
    for (NodeItem* node : nodes()) node->setSelected(wanted.contains(node->name()));
    for (ConnectionItem* c : connections())
        c->setSelected(c->kind() == ConnectionItem::Kind::Projection && wanted.contains(c->name()));
}

bool NetworkCanvas::deleteSelection() {
    if (!document_) return false;
    const NetworkSpec& spec = document_->spec();
    const QStringList selected = selectedNames();
    std::set<std::string> populations;
    for (const QString& name : selected)
        if (spec.findPopulation(name.toStdString())) populations.insert(name.toStdString());
    // A removed population takes its projections and inputs along: name them no more.
    std::vector<std::string> names;
    for (const QString& q : selected) {
        const std::string name = q.toStdString();
        bool goesAlong = false;
        for (const auto& j : spec.projections)
            if (j.name == name && !populations.count(name))
                goesAlong = populations.count(j.source) || populations.count(j.target);
        for (const auto& in : spec.inputs)
            if (in.name == name) goesAlong = populations.count(in.target) > 0;
        if (!goesAlong) names.push_back(name);
    }
    if (names.empty()) return false;
    QString error;
    if (!document_->removeItems(names, &error)) {
        report(error);
        return false;
    }
    return true;
}

bool NetworkCanvas::copySelection() {
    if (!document_) return false;
    const NetworkSpec& spec = document_->spec();
    const QStringList selected = selectedNames();
    NetworkSpec fragment;
    fragment.name = "clipboard";
    std::set<std::string> chosen;
    for (const auto& p : spec.populations) {
        if (!selected.contains(qs(p.name))) continue;
        PopulationSpec copy = p;
        const NodeItem* node = populationItem(qs(p.name));
        copy.position = CanvasPosition{node->pos().x(), node->pos().y()};
        fragment.populations.push_back(copy);
        chosen.insert(p.name);
    }
    if (chosen.empty()) {
        report(tr("Select populations to copy: they are copied with the projections among "
                  "them and the inputs feeding them"));
        return false;
    }
    for (const auto& j : spec.projections)
        if (chosen.count(j.source) && chosen.count(j.target)) fragment.projections.push_back(j);
    for (const auto& in : spec.inputs)
        if (chosen.count(in.target)) {
            InputSpec copy = in;
            const NodeItem* node = inputItem(qs(in.name));
            copy.position = CanvasPosition{node->pos().x(), node->pos().y()};
            fragment.inputs.push_back(copy);
        }
    auto* mime = new QMimeData;
    const QByteArray json = QByteArray::fromStdString(projectToJson(fragment));
    mime->setData(kFragmentMime, json);
    mime->setText(QString::fromUtf8(json));
    QApplication::clipboard()->setMimeData(mime);
    pasteCount_ = 0;
    report(tr("Copied %1 population(s)").arg(fragment.populations.size()));
    return true;
}

bool NetworkCanvas::paste() {
    if (!document_) return false;
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime || !mime->hasFormat(kFragmentMime)) {
        report(tr("The clipboard holds no SpikeLab populations"));
        return false;
    }
    NetworkSpec fragment;
    try {
        fragment = projectFromJson(mime->data(kFragmentMime).toStdString(), "the clipboard");
    } catch (const Error& e) {
        report(qs(e.what()));
        return false;
    }
    ++pasteCount_;
    const double offset = kPasteOffset * pasteCount_;
    std::set<std::string> taken;
    std::map<std::string, std::string> renamed;
    const NetworkSpec& spec = document_->spec();
    for (auto& p : fragment.populations) p.name = renamed[p.name] = copyName(spec, taken, p.name);
    for (auto& j : fragment.projections) {
        j.name = copyName(spec, taken, j.name);
        j.source = renamed.at(j.source);
        j.target = renamed.at(j.target);
    }
    for (auto& in : fragment.inputs) {
        in.name = copyName(spec, taken, in.name);
        in.target = renamed.at(in.target);
    }
    QStringList names;
    const auto shift = [&](std::optional<CanvasPosition>& position) {
        if (position) position = CanvasPosition{position->x + offset, position->y + offset};
    };
    for (auto& p : fragment.populations) shift(p.position), names << qs(p.name);
    for (auto& in : fragment.inputs) shift(in.position), names << qs(in.name);
    for (auto& j : fragment.projections) names << qs(j.name);
    QString error;
    const std::size_t count = fragment.populations.size() + fragment.inputs.size() +
                              fragment.projections.size();
    pendingSelection_ = names;
    const bool ok = document_->addItems(tr("Paste %1 item(s)").arg(count), fragment, {}, &error);
    pendingSelection_.clear();
    if (!ok) report(error);
    else selectNames(names);
    return ok;
}

bool NetworkCanvas::arrangeAutomatically() {
    if (!document_) return false;
    QString error;
    const bool ok = document_->clearPositions(tr("Arrange automatically"), &error);
    if (!ok) report(error);
    fitAll();
    return ok;
}

double NetworkCanvas::zoom() const {
    return transform().m11();
}

void NetworkCanvas::zoomBy(double factor) {
    fitted_ = false;
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    scale(target / zoom(), target / zoom());
}

void NetworkCanvas::setActivity(const std::map<std::string, double>& hertz) {
    activity_ = hertz;
    for (NodeItem* node : nodes())
        if (auto* p = dynamic_cast<PopulationItem*>(node)) {
            const auto it = activity_.find(p->name().toStdString());
            p->setActivity(it == activity_.end() ? std::nullopt : std::optional(it->second));
        }
}

void NetworkCanvas::clearActivity() {
    setActivity({});
}

NodeItem* NetworkCanvas::nodeAt(QPoint viewportPos) const {
    for (QGraphicsItem* item : items(viewportPos))
        if (auto* node = dynamic_cast<NodeItem*>(item)) return node;
    return nullptr;
}

bool NetworkCanvas::onEdge(const NodeItem* node, QPointF scenePos) const {
    const double band = kEdgeBand / std::max(zoom(), 1e-6);
    const QRectF outline = node->sceneOutline();
    if (!node->shape().contains(node->mapFromScene(scenePos))) return false;
    return !outline.adjusted(band, band, -band, -band).contains(scenePos);
}

void NetworkCanvas::mousePressEvent(QMouseEvent* event) {
    fitted_ = false; // from now on the view stays where the user works
    const QPointF at = mapToScene(event->position().toPoint());
    if (event->button() == Qt::MiddleButton) {
        panning_ = true;
        panFrom_ = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() != Qt::LeftButton) {
        NetworkView::mousePressEvent(event);
        return;
    }
    NodeItem* node = nodeAt(event->position().toPoint());
    if (armed_ && !node) {
        const NodeKind kind = *armed_;
        armPlacement(std::nullopt);
        placeNode(kind, at);
        event->accept();
        return;
    }
    if (node && onEdge(node, at) && !(event->modifiers() & Qt::ControlModifier)) {
        connectFrom_ = node->name();
        leftSource_ = false;
        rubberLine_ = diagramScene()->addPath(QPainterPath(), QPen(QColor(30, 110, 230), 1.6,
                                                                   Qt::DashLine));
        rubberLine_->setZValue(3);
        event->accept();
        return;
    }
    pressPositions_.clear();
    for (NodeItem* n : nodes()) pressPositions_[n->name()] = n->pos();
    NetworkView::mousePressEvent(event);
}

void NetworkCanvas::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (panning_) {
        const QPoint delta = pos - panFrom_;
        panFrom_ = pos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    const QPointF at = mapToScene(pos);
    if (rubberLine_) {
        NodeItem* source = nullptr;
        for (NodeItem* n : nodes())
            if (n->name() == connectFrom_) source = n;
        if (!source) return;
        NodeItem* under = nodeAt(pos);
        if (under != source) leftSource_ = true;
        QPainterPath path(source->boundaryPoint(at));
        path.lineTo(at);
        rubberLine_->setPath(path);
        event->accept();
        return;
    }
    if (!(event->buttons() & Qt::LeftButton) && !armed_) {
        NodeItem* node = nodeAt(pos);
        viewport()->setCursor(node && onEdge(node, at) ? Qt::CrossCursor : Qt::ArrowCursor);
    }
    NetworkView::mouseMoveEvent(event);
}

void NetworkCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (panning_ && event->button() == Qt::MiddleButton) {
        panning_ = false;
        viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    if (rubberLine_ && event->button() == Qt::LeftButton) {
        finishConnection(event->position().toPoint());
        event->accept();
        return;
    }
    NetworkView::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton) commitMoves();
}

void NetworkCanvas::finishConnection(QPoint viewportPos) {
    const QString from = connectFrom_;
    delete rubberLine_;
    rubberLine_ = nullptr;
    connectFrom_.clear();
    NodeItem* target = nodeAt(viewportPos);
    if (!document_ || !target) return;
    const NetworkSpec& spec = document_->spec();
    const std::string source = from.toStdString(), to = target->name().toStdString();
    const bool sourceIsPopulation = spec.findPopulation(source) != nullptr;
    if (!spec.findPopulation(to)) {
        report(tr("Connections end on populations; %1 is an input").arg(target->name()));
        return;
    }
    if (sourceIsPopulation) {
        // Back onto the node it started from: only after leaving it (a recurrent projection).
        if (source == to && !leftSource_) return;
        emit projectionRequested(from, target->name());
        return;
    }
    // From an input: feed another population.
    if (source == to) return;
    QString error;
    const bool ok = document_->setInputTarget(source, to, &error);
    if (!ok) report(error);
}

void NetworkCanvas::commitMoves() {
    if (!document_ || pressPositions_.empty()) return;
    const NetworkSpec& spec = document_->spec();
    std::map<std::string, CanvasPosition> moved;
    bool any = false;
    for (NodeItem* node : nodes()) {
        const auto before = pressPositions_.find(node->name());
        const bool changed = before != pressPositions_.end() && before->second != node->pos();
        any = any || changed;
        // Nodes still laid out automatically are pinned where they are drawn, so that the
        // first move does not rearrange everything else.
        const std::string name = node->name().toStdString();
        const auto* p = spec.findPopulation(name);
        bool placed = p && p->position;
        for (const auto& in : spec.inputs)
            if (in.name == name) placed = in.position.has_value();
        if (changed || !placed)
            moved[name] = CanvasPosition{std::round(node->pos().x()), std::round(node->pos().y())};
    }
    pressPositions_.clear();
    if (!any) return;
    QString error;
    if (!document_->moveNodes(moved, ++moveInteraction_, &error)) {
        report(error);
        follow(); // back to where the document has them
    }
}

void NetworkCanvas::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Delete) || event->key() == Qt::Key_Backspace) {
        deleteSelection();
    } else if (event->matches(QKeySequence::Copy)) {
        copySelection();
    } else if (event->matches(QKeySequence::Paste)) {
        paste();
    } else if (event->matches(QKeySequence::SelectAll)) {
        for (QGraphicsItem* item : diagramScene()->items()) item->setSelected(true);
    } else if (event->key() == Qt::Key_Escape) {
        armPlacement(std::nullopt);
        diagramScene()->clearSelection();
    } else if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
        zoomBy(1.25);
    } else if (event->key() == Qt::Key_Minus) {
        zoomBy(0.8);
    } else if (event->key() == Qt::Key_F && event->modifiers() == Qt::NoModifier) {
        // Asked for: the whole network, however small its text gets; a zoom like + and -,
        // so a resize keeps it.
        fitToView(1.0, 0.0);
        fitPending_ = false;
        fitted_ = false;
    } else {
        NetworkView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void NetworkCanvas::wheelEvent(QWheelEvent* event) {
    fitted_ = false;
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(std::pow(1.0015, event->angleDelta().y()));
        event->accept();
        return;
    }
    NetworkView::wheelEvent(event);
}

void NetworkCanvas::contextMenuEvent(QContextMenuEvent* event) {
    if (NodeItem* node = nodeAt(event->pos()); node && !node->isSelected()) {
        diagramScene()->clearSelection();
        node->setSelected(true);
    }
    const QPointF at = mapToScene(event->pos());
    QMenu menu(this);
    const bool any = !selectedNames().isEmpty();
    menu.addAction(tr("Delete"), this, &NetworkCanvas::deleteSelection)->setEnabled(any);
    menu.addAction(tr("Copy"), this, &NetworkCanvas::copySelection)->setEnabled(any);
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    menu.addAction(tr("Paste"), this, &NetworkCanvas::paste)
        ->setEnabled(mime && mime->hasFormat(kFragmentMime));
    menu.addSeparator();
    auto* add = menu.addMenu(tr("Add population"));
    for (const NeuronModelInfo* m : neuronModels(document_->spec()))
        add->addAction(qs(m->name), this, [this, name = m->name, at] {
            placeNode({false, name}, at);
        });
    auto* addInput = menu.addMenu(tr("Add input"));
    for (const auto& e : encoders())
        addInput->addAction(qs(e.name), this, [this, name = e.name, at] {
            placeNode({true, name}, at);
        });
    menu.addSeparator();
    menu.addAction(tr("Fit to view"), this, &NetworkCanvas::fitAll);
    menu.addAction(tr("Arrange automatically"), this, &NetworkCanvas::arrangeAutomatically);
    menu.exec(event->globalPos());
}

void NetworkCanvas::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasFormat(kNodeMime)) event->acceptProposedAction();
    else event->ignore();
}

void NetworkCanvas::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasFormat(kNodeMime)) event->acceptProposedAction();
    else event->ignore();
}

void NetworkCanvas::dropEvent(QDropEvent* event) {
    const auto kind = decodeKind(event->mimeData()->data(kNodeMime));
    if (!kind) {
        event->ignore();
        return;
    }
    placeNode(*kind, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
}

} // namespace spikelab::ui
