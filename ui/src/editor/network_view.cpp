#include "network_view.h"

#include <spikelab/models.h>

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPathStroker>

#include "graph_layout.h"
#include "network_view_style.h"
#include "plot_export.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace spikelab::ui {

namespace {

using namespace network_style;

QString number(double value) {
    return QString::number(value, 'g', 6);
}

QString paramList(const spikelab::ParamValues& params) {
    QStringList parts;
    for (const auto& [name, value] : params)
        parts << QStringLiteral("%1 = %2").arg(QString::fromStdString(name), number(value));
    return parts.join(QStringLiteral(", "));
}

QString connectivityText(const spikelab::ConnectivitySpec& c) {
    switch (c.type) {
    case ConnectivityType::Dense:
        return QStringLiteral("dense");
    case ConnectivityType::OneToOne:
        return QStringLiteral("one-to-one");
    case ConnectivityType::FixedProbability:
        return QStringLiteral("p=%1").arg(number(c.probability));
    case ConnectivityType::Sparse:
        return QStringLiteral("sparse (%1)").arg(c.pre.size());
    }
    return {};
}

QString weightText(const spikelab::WeightSpec& w) {
    switch (w.type) {
    case WeightInitType::Constant:
        return QStringLiteral("constant %1").arg(number(w.value));
    case WeightInitType::Uniform:
        return QStringLiteral("uniform [%1, %2]").arg(number(w.low), number(w.high));
    case WeightInitType::Normal:
        return QStringLiteral("normal (mean %1, sd %2)").arg(number(w.mean), number(w.sd));
    case WeightInitType::Glorot:
        return QStringLiteral("Glorot");
    case WeightInitType::Inline:
        return QStringLiteral("%1 inline values").arg(w.values.size());
    case WeightInitType::Npy:
        return QStringLiteral("file %1").arg(QString::fromStdString(w.file));
    }
    return {};
}

QString projectionLabel(const spikelab::ProjectionSpec& p) {
    QString text = connectivityText(p.connectivity) + QStringLiteral(" \u00b7 ") +
                   QString::fromStdString(p.postsynaptic.model);
    if (p.delaySteps > 0) text += QStringLiteral(" \u00b7 delay %1").arg(p.delaySteps);
    return text;
}

QString projectionTip(const spikelab::ProjectionSpec& p) {
    auto model = [](const spikelab::SynapseModelRef& m) {
        const QString name = QString::fromStdString(m.model);
        return m.params.empty() ? name : QStringLiteral("%1 (%2)").arg(name, paramList(m.params));
    };
    return QStringLiteral("projection %1: %2 \u2192 %3\n%4, %5, %6, delay %7 steps\nweights: %8")
        .arg(QString::fromStdString(p.name), QString::fromStdString(p.source),
             QString::fromStdString(p.target), connectivityText(p.connectivity),
             model(p.postsynaptic), model(p.weightUpdate))
        .arg(p.delaySteps)
        .arg(weightText(p.weights));
}

} // namespace

// ---- nodes ----

NodeItem::NodeItem(QString name) : name_(std::move(name)) {
    setFlag(ItemSendsGeometryChanges);
    setZValue(1); // above the arrows
}

int NodeItem::loopCount() const {
    return int(std::count_if(connections_.begin(), connections_.end(),
                             [](const ConnectionItem* c) { return c->isLoop(); }));
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionHasChanged)
        for (ConnectionItem* c : connections_) c->adjust();
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::setDescription(const QString& text) {
    description_ = text;
    setToolTip(problem_.isEmpty() ? description_ : problem_ + QStringLiteral("\n\n") + description_);
}

void NodeItem::setProblem(const QString& reason) {
    if (reason == problem_) return;
    problem_ = reason;
    setDescription(description_);
    update();
}

void NodeItem::paintOutline(QPainter* painter, const QPen& normal,
                            const std::function<void()>& draw) const {
    if (problem_.isEmpty()) {
        painter->setPen(isSelected() ? QPen(kSelection, 2.6) : normal);
        draw();
        return;
    }
    painter->setPen(QPen(kProblem, 2.6));
    draw();
    if (!isSelected()) return;
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(kSelection, 2.6, Qt::DashLine));
    draw();
}

void NodeItem::setLines(QStringList lines, int minWidth, int extraWidth) {
    lines_ = std::move(lines);
    double width = 0, height = 0;
    for (qsizetype i = 0; i < lines_.size(); ++i) {
        const QFontMetricsF fm(font(i == 0 ? 13 : NetworkView::kSmallestTextPixels, i == 0));
        width = std::max(width, fm.horizontalAdvance(lines_[i]));
        height += fm.height();
    }
    const double w = std::max(double(minWidth), width + 2 * kPadX + extraWidth);
    const double h = height + 2 * kPadY;
    prepareGeometryChange();
    rect_ = QRectF(-w / 2, -h / 2, w, h);
}

void NodeItem::paintLines(QPainter* painter) const {
    double y = rect_.top() + kPadY;
    for (qsizetype i = 0; i < lines_.size(); ++i) {
        // The first line is the name; a "readout" tag is set in italics.
        const QFont f = font(i == 0 ? 13 : NetworkView::kSmallestTextPixels, i == 0,
                             lines_[i] == QStringLiteral("readout"));
        const QFontMetricsF fm(f);
        painter->setFont(f);
        painter->setPen(theme::text);
        painter->drawText(QRectF(rect_.left(), y, rect_.width(), fm.height()), Qt::AlignCenter,
                          lines_[i]);
        y += fm.height();
    }
}

PopulationItem::PopulationItem(const spikelab::PopulationSpec& population, bool readout)
    : NodeItem(QString::fromStdString(population.name)), population_(population),
      readout_(readout) {
    const QString model = QString::fromStdString(population.model);
    QStringList lines{name_, QStringLiteral("%1 %2 neuron%3")
                                 .arg(population.size)
                                 .arg(model)
                                 .arg(population.size == 1 ? "" : "s")};
    if (readout) lines << QStringLiteral("readout");
    setLines(lines, 110, 0);
    QString tip = QStringLiteral("population %1: %2").arg(name_, lines[1]);
    if (!population.params.empty()) tip += QStringLiteral("\n") + paramList(population.params);
    QStringList recorded;
    if (population.record.spikes) recorded << QStringLiteral("spikes");
    for (const std::string& v : population.record.variables) recorded << QString::fromStdString(v);
    if (!recorded.isEmpty()) tip += QStringLiteral("\nrecords ") + recorded.join(", ");
    setDescription(tip);
}

QColor PopulationItem::modelColour(const std::string& model) {
    // Light fills that keep dark text legible and stay apart from one another on white.
    static const QColor palette[] = {{163, 201, 236}, {176, 222, 160}, {250, 200, 140},
                                     {208, 188, 234}, {246, 176, 188}, {160, 216, 210}};
    const auto& models = spikelab::neuronModels();
    for (std::size_t i = 0; i < models.size(); ++i)
        if (models[i].name == model) return palette[i % std::size(palette)];
    // A project's own model: a colour from its name, the same in every view and session.
    if (!model.empty()) return palette[spikelab::lang::randomKeyOf(model) % std::size(palette)];
    return kUnknownModel;
}

QPointF PopulationItem::boundaryPoint(QPointF scenePoint) const {
    const QPointF centre = scenePos();
    const QPointF d = scenePoint - centre;
    if (std::abs(d.x()) < 1e-9 && std::abs(d.y()) < 1e-9) return centre;
    const double tx = std::abs(d.x()) > 1e-9 ? rect_.width() / 2 / std::abs(d.x()) : 1e9;
    const double ty = std::abs(d.y()) > 1e-9 ? rect_.height() / 2 / std::abs(d.y()) : 1e9;
    return centre + d * std::min(tx, ty);
}

void PopulationItem::setActivity(std::optional<double> hertz) {
    if (hertz == activity_) return;
    activity_ = hertz;
    update();
}

double PopulationItem::activityLevel(double hertz) {
    if (!(hertz > 0)) return 0.0;
    // 1 Hz is a faint glow, 100 Hz and more fully lit.
    return std::clamp(std::log10(1.0 + hertz) / 2.0, 0.0, 1.0);
}

void PopulationItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QColor fill = modelColour(population_.model);
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setBrush(fill);
    paintOutline(painter, QPen(fill.darker(170), readout_ ? 2.4 : 1.4),
                 [&] { painter->drawRoundedRect(rect_, kRadius, kRadius); });
    paintLines(painter);
    if (activity_) {
        // A dot in the top right corner lit from dark grey (silent) to bright orange.
        const double level = activityLevel(*activity_);
        const QColor silent(120, 120, 128), busy(255, 120, 0);
        const QColor dot = QColor::fromRgbF(
            float(silent.redF() + (busy.redF() - silent.redF()) * level),
            float(silent.greenF() + (busy.greenF() - silent.greenF()) * level),
            float(silent.blueF() + (busy.blueF() - silent.blueF()) * level));
        const double r = 4.0 + 2.0 * level;
        painter->setPen(QPen(dot.darker(140), 1.0));
        painter->setBrush(dot);
        painter->drawEllipse(QPointF(rect_.right() - 9, rect_.top() + 9), r, r);
    }
}

InputItem::InputItem(const spikelab::InputSpec& input, const spikelab::DatasetRef& dataset)
    : NodeItem(QString::fromStdString(input.name)), input_(input) {
    const QString data = QStringLiteral("%1 (%2)").arg(QString::fromStdString(dataset.name),
                                                       QString::fromStdString(dataset.split));
    setLines({name_, QString::fromStdString(input.type), data}, 110, int(2 * kSlant));
    QString tip =
        QStringLiteral("input %1: %2 into %3")
            .arg(name_, QString::fromStdString(input.type), QString::fromStdString(input.target));
    if (!input.params.empty()) tip += QStringLiteral("\n") + paramList(input.params);
    tip += QStringLiteral("\ndata set ") + data;
    setDescription(tip);
}

QPolygonF InputItem::outline() const {
    return QPolygonF({QPointF(rect_.left() + kSlant, rect_.top()), rect_.topRight(),
                      QPointF(rect_.right() - kSlant, rect_.bottom()), rect_.bottomLeft()});
}

QPainterPath InputItem::shape() const {
    QPainterPath path;
    path.addPolygon(outline());
    path.closeSubpath();
    return path;
}

QPointF InputItem::boundaryPoint(QPointF scenePoint) const {
    const QPointF centre = scenePos();
    const QPointF far = centre + unit(scenePoint - centre) * (rect_.width() + rect_.height());
    const QLineF ray(centre, far);
    const QPolygonF poly = mapToScene(outline());
    QPointF best = centre;
    double bestDistance = 1e18;
    for (qsizetype i = 0; i < poly.size(); ++i) {
        QPointF hit;
        const QLineF edge(poly[i], poly[(i + 1) % poly.size()]);
        if (ray.intersects(edge, &hit) == QLineF::BoundedIntersection &&
            QLineF(centre, hit).length() < bestDistance) {
            bestDistance = QLineF(centre, hit).length();
            best = hit;
        }
    }
    return best;
}

void InputItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setBrush(kInputFill);
    paintOutline(painter, QPen(kInputInk, 1.4), [&] { painter->drawPolygon(outline()); });
    paintLines(painter);
}

// ---- the view ----

NetworkView::NetworkView(QWidget* parent)
    : QGraphicsView(parent), scene_(new QGraphicsScene(this)) {
    setScene(scene_);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setBackgroundBrush(theme::background);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

void NetworkView::clear() {
    connections_.clear();
    nodes_.clear();
    inputCount_ = 0;
    scene_->clear();
}

void NetworkView::setNetwork(const spikelab::NetworkSpec& spec) {
    clear();
    for (const spikelab::InputSpec& input : spec.inputs) {
        nodes_.push_back(new InputItem(input, spec.experiment.dataset));
        scene_->addItem(nodes_.back());
    }
    inputCount_ = spec.inputs.size();
    for (const spikelab::PopulationSpec& population : spec.populations) {
        nodes_.push_back(
            new PopulationItem(population, population.name == spec.experiment.readout));
        scene_->addItem(nodes_.back());
    }
    layout(spec);
    if (autoFit_) fitToView();
}

void NetworkView::layout(const spikelab::NetworkSpec& spec) {
    const std::size_t n = nodes_.size();
    auto nodeOf = [&](const std::string& population) -> int {
        const auto i = spec.populationIndex(population);
        return i ? int(inputCount_ + *i) : -1;
    };
    struct Edge {
        int from, to;
        ConnectionItem::Kind kind;
        QString name, label, tip;
    };
    std::vector<Edge> edges;
    for (const spikelab::InputSpec& input : spec.inputs) {
        const int to = nodeOf(input.target);
        if (to >= 0)
            edges.push_back({int(&input - spec.inputs.data()), to, ConnectionItem::Kind::Input,
                             QString::fromStdString(input.name), QString(),
                             QStringLiteral("input %1 \u2192 %2")
                                 .arg(QString::fromStdString(input.name),
                                      QString::fromStdString(input.target))});
    }
    for (const spikelab::ProjectionSpec& p : spec.projections) {
        const int from = nodeOf(p.source), to = nodeOf(p.target);
        if (from >= 0 && to >= 0)
            edges.push_back({from, to, ConnectionItem::Kind::Projection,
                             QString::fromStdString(p.name), projectionLabel(p), projectionTip(p)});
    }

    // Layers, order and place (graph_layout.h); the columns far enough apart for the widest
    // arrow label, room beside a node for its loops.
    LayoutGraph graph;
    graph.nodes = n;
    graph.inputs = inputCount_;
    for (const Edge& e : edges) graph.edges.emplace_back(e.from, e.to);
    graph.readout = nodeOf(spec.experiment.readout);
    const QFontMetricsF fm(labelFont());
    double labelWidth = 0;
    for (const Edge& e : edges)
        if (e.from != e.to) labelWidth = std::max(labelWidth, fm.horizontalAdvance(e.label));
    std::vector<NodeBox> boxes;
    for (const NodeItem* node : nodes_) boxes.push_back({node->boundingRect().width(), node->boundingRect().height()});
    const auto centres = placeNodes(graph, layerGraph(graph), boxes, std::max(90.0, labelWidth + 50.0), kRowGap,
                                    [&](int loops) { return ConnectionItem::loopHeight(2 * (loops - 1)) + fm.height() + 6; });
    for (std::size_t v = 0; v < n; ++v) {
        // Nodes the spec places go there.
        const auto& position = v < inputCount_ ? spec.inputs[v].position : spec.populations[v - inputCount_].position;
        if (position)
            nodes_[v]->setPos(position->x, position->y);
        else
            nodes_[v]->setPos(centres[v].first, centres[v].second);
    }

    // Arrows joining the same two nodes fan out symmetrically; those in opposite directions
    // bend to opposite sides. A lone arrow that would cross another node bends around it.
    auto pairs = edgePairs(graph);
    const std::vector<double> bends = pairBends(graph, kPairSpacing);
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const Edge& e = edges[i];
        auto* item = new ConnectionItem(e.kind, e.name, nodes_[std::size_t(e.from)],
                                        nodes_[std::size_t(e.to)], e.label, bends[i]);
        item->setToolTip(e.tip);
        scene_->addItem(item);
        connections_.push_back(item);
        if (e.from == e.to || pairs[std::minmax(e.from, e.to)].size() > 1) continue;
        auto crosses = [&] {
            // The stroke, not the path: an open path's "area" spans its chord.
            QPainterPathStroker stroker;
            stroker.setWidth(2);
            const QPainterPath stroke = stroker.createStroke(item->line());
            for (std::size_t v = 0; v < n; ++v)
                if (int(v) != e.from && int(v) != e.to &&
                    stroke.intersects(nodes_[v]->sceneOutline().adjusted(-6, -6, 6, 6)))
                    return true;
            return false;
        };
        for (double bend : {60.0, -60.0, 120.0, -120.0, 180.0, -180.0}) {
            if (!crosses()) break;
            item->setBend(bend);
        }
    }
}

PopulationItem* NetworkView::populationItem(const QString& name) const {
    for (std::size_t i = inputCount_; i < nodes_.size(); ++i)
        if (nodes_[i]->name() == name) return static_cast<PopulationItem*>(nodes_[i]);
    return nullptr;
}

InputItem* NetworkView::inputItem(const QString& name) const {
    for (std::size_t i = 0; i < inputCount_; ++i)
        if (nodes_[i]->name() == name) return static_cast<InputItem*>(nodes_[i]);
    return nullptr;
}

QRectF NetworkView::nodeRect(const QString& name) const {
    if (const PopulationItem* p = populationItem(name)) return p->sceneOutline();
    if (const InputItem* i = inputItem(name)) return i->sceneOutline();
    return {};
}

QRectF NetworkView::diagramRect() const {
    return scene_->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin);
}

void NetworkView::fitToView(double maxScale, double minTextPixels) {
    const QRectF r = diagramRect();
    if (autoFit_) setSceneRect(r);
    resetTransform();
    // Shrink a large diagram to fit; never enlarge a small one past `maxScale`, never shrink
    // its text below kMinTextPixels (a diagram that then does not fit scrolls).
    const double fit =
        std::min({viewport()->width() / r.width(), viewport()->height() / r.height(), maxScale});
    const double s = std::max(fit, minTextPixels / kSmallestTextPixels);
    if (s > 0) scale(s, s);
    // Scroll bars say that there is more, only then.
    const auto policy = [](bool more) {
        return more ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff;
    };
    const bool wider = r.width() * s > viewport()->width() + 1;
    setHorizontalScrollBarPolicy(policy(wider));
    setVerticalScrollBarPolicy(policy(r.height() * s > viewport()->height() + 1));
    // A diagram wider than the view starts where the network starts: at its inputs, on the left.
    centerOn(wider ? QPointF(r.left() + viewport()->width() / (2 * s), r.center().y()) : r.center());
}

double NetworkView::smallestTextPixels() const {
    return kSmallestTextPixels * transform().m11();
}

void NetworkView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    if (autoFit_) fitToView();
}

QImage NetworkView::renderImage() const {
    if (nodes_.empty()) return {};
    const QRectF r = diagramRect();
    QImage image((r.size() * 2).toSize(), QImage::Format_RGB32);
    image.fill(theme::background);
    QPainter p(&image);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    scene_->render(&p, QRectF(QPointF(0, 0), image.size()), r);
    return image;
}

bool NetworkView::exportPng(const QString& path, QString* error) const {
    if (nodes_.empty()) {
        if (error) *error = tr("no network to export to \"%1\"").arg(path);
        return false;
    }
    return writePng(path, renderImage(), error);
}

bool NetworkView::exportSvg(const QString& path, QString* error) const {
    if (nodes_.empty()) {
        if (error) *error = tr("no network to export to \"%1\"").arg(path);
        return false;
    }
    const QRectF r = diagramRect();
    return writeSvg(path, r.size(), tr("Network"), [&](QPainter& p) {
        p.fillRect(QRectF(QPointF(0, 0), r.size()), theme::background);
        scene_->render(&p, QRectF(QPointF(0, 0), r.size()), r);
    }, error);
}

} // namespace spikelab::ui
