#pragma once
// The network as a diagram: populations as rounded boxes coloured by neuron model, inputs as
// parallelograms naming their encoder and data set, projections as labelled arrows. Laid out
// in layers from left to right: inputs, then populations by their longest path from an input,
// the readout last; nodes the spec places ("position") are drawn there instead. The item
// classes know nothing of the view: the editable NetworkCanvas derives from this view and
// reuses them (arrows follow their nodes when these move; selected items are outlined).
#include <spikelab/network.h>

#include <QGraphicsItem>
#include <QGraphicsView>
#include <QString>

#include <functional>
#include <optional>
#include <string>
#include <vector>

class QGraphicsScene;

namespace spikelab::ui {

class ConnectionItem;

// A node that arrows attach to: a population or an input.
class NodeItem : public QGraphicsItem {
public:
    QString name() const { return name_; }
    QRectF boundingRect() const override { return rect_.adjusted(-1, -1, 1, 1); }
    // The outline's bounding rectangle in scene coordinates.
    QRectF sceneOutline() const { return mapRectToScene(rect_); }
    // Where the line from this node's centre towards `scenePoint` leaves its outline.
    virtual QPointF boundaryPoint(QPointF scenePoint) const = 0;
    void addConnection(ConnectionItem* connection) { connections_.push_back(connection); }
    // Connections from this node to itself.
    int loopCount() const;
    // Why the network cannot run because of this node (e.g. its size does not fit the data
    // set): drawn as a red outline, and said first in the tooltip. Empty: no problem.
    void setProblem(const QString& reason);
    QString problem() const { return problem_; }

protected:
    explicit NodeItem(QString name);
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    // Places the text lines (first one bold) in a box of at least `minWidth`, centred on 0.
    void setLines(QStringList lines, int minWidth, int extraWidth);
    void paintLines(QPainter* painter) const;
    // The node's own tooltip (what it is), shown after the problem when there is one.
    void setDescription(const QString& text);
    // The outline's pen: red when there is a problem (dashed with the selection's blue when
    // also selected), the selection's blue, else `normal`.
    void paintOutline(QPainter* painter, const QPen& normal, const std::function<void()>& draw) const;

    QString name_;
    QStringList lines_;
    QRectF rect_; // the outline, centred on the item's origin

private:
    std::vector<ConnectionItem*> connections_;
    QString description_, problem_;
};

class PopulationItem : public NodeItem {
public:
    // The readout population says so under its name.
    PopulationItem(const spikelab::PopulationSpec& population, bool readout);
    const spikelab::PopulationSpec& population() const { return population_; }
    bool isReadout() const { return readout_; }
    // A stable colour per neuron model (by its place in the model registry); grey when the
    // model is unknown.
    static QColor modelColour(const std::string& model);
    // The live activity dot in the node's corner: spikes per neuron per second over the last
    // frames; none drawn until set, removed with nullopt.
    void setActivity(std::optional<double> hertz);
    std::optional<double> activity() const { return activity_; }
    // How full the dot is drawn for a rate: 0 at silence, 1 from 100 Hz on, logarithmic.
    static double activityLevel(double hertz);
    QPointF boundaryPoint(QPointF scenePoint) const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    spikelab::PopulationSpec population_;
    bool readout_;
    std::optional<double> activity_;
};

class InputItem : public NodeItem {
public:
    InputItem(const spikelab::InputSpec& input, const spikelab::DatasetRef& dataset);
    const spikelab::InputSpec& input() const { return input_; }
    QPainterPath shape() const override;
    QPointF boundaryPoint(QPointF scenePoint) const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    QPolygonF outline() const;
    spikelab::InputSpec input_;
};

// An arrow between two nodes: a projection, labelled with its connectivity and postsynaptic
// model, or an input's link to its target. `bend` curves it sideways (to the left of its
// direction) by that many pixels at its middle, so arrows between the same two nodes do not
// overlap. A projection from a node to itself is a loop above the node, a second one below,
// further ones larger.
class ConnectionItem : public QGraphicsItem {
public:
    enum class Kind { Projection, Input };
    ConnectionItem(Kind kind, QString name, NodeItem* source, NodeItem* target, QString label,
                   double bend);

    Kind kind() const { return kind_; }
    QString name() const { return name_; }
    QString label() const { return label_; }
    NodeItem* source() const { return source_; }
    NodeItem* target() const { return target_; }
    bool isLoop() const { return source_ == target_; }
    double bend() const { return bend_; }
    void setBend(double bend);
    // The drawn line in scene coordinates, from the source's outline to the arrow's tip.
    QPainterPath line() const { return line_; }
    QPolygonF arrowHead() const { return head_; }
    QRectF labelRect() const { return labelRect_; }
    // Recomputes the geometry from the nodes' current places.
    void adjust();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

    // How far the n-th loop of a node reaches from its edge.
    static double loopHeight(int index);

private:
    Kind kind_;
    QString name_, label_;
    NodeItem* source_;
    NodeItem* target_;
    double bend_;
    int loopIndex_ = 0;
    QPainterPath line_;
    QPolygonF head_;
    QRectF labelRect_;
};

class NetworkView : public QGraphicsView {
    Q_OBJECT
public:
    // The smallest text the diagram draws (arrow labels, a node's second line) at scale 1, and
    // the least that fitting leaves of it on the screen, in pixels.
    static constexpr double kSmallestTextPixels = 11.0;
    static constexpr double kMinTextPixels = 9.0;

    explicit NetworkView(QWidget* parent = nullptr);

    // Rebuilds the diagram. Projections and inputs naming an unknown population get no arrow.
    // The diagram is fitted to the view then and at every resize, unless autoFit is off.
    void setNetwork(const spikelab::NetworkSpec& spec);
    // Shows the whole diagram: shrinks a large one to fit, never enlarges past `maxScale`, and
    // never shrinks the text below `minTextPixels` on the screen: a diagram too large for that
    // is centred and scrolls. The canvas's F key passes 0: everything, however small (a view
    // that fits itself on resize fits again with the default).
    void fitToView(double maxScale = 1.0, double minTextPixels = kMinTextPixels);
    // The smallest text's size on the screen now.
    double smallestTextPixels() const;
    void clear();

    PopulationItem* populationItem(const QString& name) const;
    InputItem* inputItem(const QString& name) const;
    // The scene rectangle of a population's or an input's node (populations looked up first);
    // null when there is none.
    QRectF nodeRect(const QString& name) const;
    const std::vector<NodeItem*>& nodes() const { return nodes_; }
    const std::vector<ConnectionItem*>& connections() const { return connections_; }
    int arrowCount() const { return int(connections_.size()); }

    // The whole diagram on white: PNG at twice the scene's size, SVG at its size.
    QImage renderImage() const;
    bool exportPng(const QString& path, QString* error = nullptr) const;
    bool exportSvg(const QString& path, QString* error = nullptr) const;

    QSize sizeHint() const override { return {720, 360}; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    // The rectangle around every item, with a margin.
    QRectF diagramRect() const;
    QGraphicsScene* diagramScene() const { return scene_; }

    bool autoFit_ = true;

private:
    void layout(const spikelab::NetworkSpec& spec);

    QGraphicsScene* scene_;
    std::vector<NodeItem*> nodes_; // inputs first, then populations, in spec order
    std::vector<ConnectionItem*> connections_;
    std::size_t inputCount_ = 0;
};

} // namespace spikelab::ui
