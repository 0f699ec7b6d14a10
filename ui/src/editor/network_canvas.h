#pragma once
// The network editor: the network diagram made editable, following a Document.
//
// - Nodes come from the palette (NodePalette): dragged onto the canvas, or chosen with a click
//   and placed with a click on the canvas. An input feeds the population under it, else the
//   nearest population it can feed (spike encoders feed SpikeSource populations, current
//   inputs the others). It is drawn where it was let go, unless that covers a node: then
//   beside its population, to the left, where its inside can be grabbed and moved.
//   A spike encoder dropped on an IF or LIF population when no SpikeSource population can
//   take it offers to add one, sized for the data set, in between (one undo step); declined,
//   the status bar says why, as the palette entry's tooltip does.
// - Nodes whose sizes do not fit the project's data set (spikelab/dataset_fit.h) have a red
//   outline, and their tooltip says why first.
// - Dragging from a node's edge (the cursor turns into a cross there) to a population asks
//   for a projection (projectionRequested; the window shows the dialog); dragging out of a
//   population and back onto it asks for a recurrent one. From an input's edge it retargets
//   the input. Dragging a node's inside moves it (and every selected node): one undo step per
//   drag, and the first move also pins the automatically laid out nodes where they are drawn.
// - Click, Ctrl+click and rubber band select; Delete removes; Ctrl+C / Ctrl+V copy and paste
//   populations with the projections and inputs among them (renamed to free names, one undo
//   step); Ctrl+wheel, + and - zoom about the cursor; the middle button pans; F fits the
//   network into view; "Arrange automatically" forgets every position (layered layout).
// - Every edit goes through the Document and the canvas redraws from its changed() signal
//   alone, so undo, redo, the inspector and the canvas always agree. Refused edits leave the
//   document unchanged and report the engine's reason through message().
#include "network_view.h"

#include <QPointer>

#include <map>
#include <optional>
#include <set>
#include <string>

class QGraphicsPathItem;

namespace spikelab {
struct EncoderInfo;
}

namespace spikelab::ui {

class Document;

// What the palette makes: a population of a neuron model or an input of an encoder.
struct NodeKind {
    bool input = false;
    std::string model; // neuron model or encoder name
    bool operator==(const NodeKind&) const = default;
};

class NetworkCanvas : public NetworkView {
    Q_OBJECT
public:
    static constexpr const char* kNodeMime = "application/x-spikelab-node";
    static constexpr const char* kFragmentMime = "application/x-spikelab-fragment";
    static constexpr int kPopulationSize = 100; // a new population's size

    explicit NetworkCanvas(Document* document, QWidget* parent = nullptr);
    ~NetworkCanvas() override;

    static QByteArray encodeKind(const NodeKind& kind);
    static std::optional<NodeKind> decodeKind(const QByteArray& bytes);

    // The next click on the empty canvas places a node of this kind (nullopt: select instead).
    void armPlacement(std::optional<NodeKind> kind);
    std::optional<NodeKind> armedPlacement() const { return armed_; }
    // Adds a node centred at `scenePos` (an input beside the population it feeds); its name,
    // or empty (and message()) when refused or when an offer is shown instead.
    std::string placeNode(const NodeKind& kind, QPointF scenePos);
    // Adds, as one undo step, a SpikeSource population of `size` neurons feeding `population`
    // (one-to-one when the sizes match, else dense with Glorot weights) and an `encoder` input
    // feeding it, all drawn to the left of `population`. What the offer's Yes does.
    bool addSpikeSourceBetween(const std::string& encoder, const std::string& population,
                               std::int64_t size);
    // Why a spike encoder cannot feed IF or LIF neurons, and what a drop on one offers.
    static QString spikeInputHint(const std::string& encoder);

    // Names of the selected populations, inputs and projections (an input's arrow counts as
    // its input), in scene order.
    QStringList selectedNames() const;
    void selectNames(const QStringList& names);
    bool deleteSelection();
    // Copies the selected populations with the projections among them and the inputs feeding
    // them; false when no population is selected.
    bool copySelection();
    bool paste();
    // Forgets every stored position: the layered layout places all nodes (one undo step).
    bool arrangeAutomatically();
    void zoomBy(double factor);
    double zoom() const;

    // Live activity: spikes per neuron per second of each named population (others unlit).
    void setActivity(const std::map<std::string, double>& hertz);
    void clearActivity();

    QString lastMessage() const { return lastMessage_; }

signals:
    // A drag from `source`'s edge ended on population `target` (the same one: recurrent).
    void projectionRequested(const QString& source, const QString& target);
    void selectionNamesChanged(const QStringList& names);
    // A refused edit's reason or a hint, for the status bar.
    void message(const QString& text);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    // Redraws from the document, keeping the selection, the activity and the view's centre.
    void follow();
    void report(const QString& text);
    std::string placeInput(const NodeKind& kind, QPointF scenePos);
    // Where a new input feeding `population` is drawn: where it was dropped when that place
    // is free, else left of its population, below the population's other inputs.
    CanvasPosition placeFor(const std::string& population, const InputSpec& input,
                            QPointF dropped) const;
    // The question a spike encoder dropped on an IF or LIF population asks (not modal).
    void offerSpikeSource(const EncoderInfo& info, const std::string& population);
    // Marks the nodes the data set check blames (red outline, reason in the tooltip).
    void markMismatches();
    NodeItem* nodeAt(QPoint viewportPos) const;
    // Whether `scenePos` lies on the rim of `node`, where drags start connections.
    bool onEdge(const NodeItem* node, QPointF scenePos) const;
    void finishConnection(QPoint viewportPos);
    void commitMoves();
    void updateSceneRect();
    void fitAll();

    QPointer<Document> document_;
    std::set<std::string> shownNames_; // every item name of the spec drawn last
    std::optional<NodeKind> armed_;
    std::map<std::string, double> activity_;
    QString lastMessage_;
    bool fitPending_ = true;
    // Fitted and not zoomed, panned or drawn on since: a resize fits again.
    bool fitted_ = false;
    // A connection being dragged out.
    QString connectFrom_;
    bool leftSource_ = false;
    QGraphicsPathItem* rubberLine_ = nullptr;
    // Node positions when the left button went down, to find what a drag moved.
    std::map<QString, QPointF> pressPositions_;
    int moveInteraction_ = 0;
    // Middle-button panning.
    bool panning_ = false;
    QPoint panFrom_;
    // Pasting the same copy again moves it further.
    int pasteCount_ = 0;
    QStringList pendingSelection_;
};

} // namespace spikelab::ui
