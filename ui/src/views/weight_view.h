#pragma once
// The weights of one projection as a heat map: pre neurons down, post neurons across, a
// diverging colour scale centred on zero (blue negative, white zero, red positive), and a grey
// of its own where no synapse exists. The scale ends at the 99th percentile of |w| by default,
// so a few large weights do not wash the rest out (those beyond saturate at the end colours),
// or at the largest |w|; the colour bar labels both ends with their values and names the
// scale. A second mode shows each post neuron's incoming weights as an image ("receptive
// fields") when the pre population is an image, never smaller than one screen pixel per weight
// (the grid scrolls instead). Weights change while a network learns: updateWeights() recolours the
// same structure without touching zoom, scroll or mode, so it can be polled a few times a second.
// Drawing goes through a QImage of one pixel per weight (no Qt Charts).
#include <spikelab/compiled.h>

#include <QImage>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

class QComboBox;
class QLabel;
class QPainter;

namespace spikelab::ui {

class WeightMapArea;

class WeightView : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Matrix, ReceptiveFields };
    // Where the colour scale ends: the 99th percentile of |w| or the largest |w|.
    enum class Scale { Percentile99, Max };
    // Larger matrices are not drawn cell by cell (the view says so); CSV export still works.
    static constexpr std::int64_t kMaxDrawnCells = std::int64_t(1) << 24;

    explicit WeightView(QWidget* parent = nullptr);

    // Fills the projection chooser; picking an entry emits projectionSelected(index).
    void setProjectionNames(const QStringList& names);
    // Shows a projection's synapses. The same projection again (same name and shape) keeps
    // zoom and scroll; another one is fitted to the view. A matrix whose arrays do not agree
    // with its type and sizes is refused (false) and the view shows why.
    bool setMatrix(const QString& projection, const QString& preName, const QString& postName,
                   const spikelab::SynapseMatrix& synapses);
    // New values for the structure last given to setMatrix (one per synapse, in its order).
    // False, and nothing changes, when the count differs.
    bool updateWeights(std::span<const float> weights);
    // The image shape of the pre population for receptive fields; (0, 0) means square when
    // the pre size is a perfect square.
    void setImageShape(int rows, int cols);
    // False, and the mode stays, when receptive fields are not available.
    bool setMode(Mode mode);
    void clear();

    Mode mode() const { return mode_; }
    bool hasMatrix() const { return hasMatrix_; }
    bool receptiveFieldsAvailable() const;
    // Why nothing is drawn (refused or oversized matrix); empty otherwise.
    QString message() const { return message_; }
    QString projectionName() const { return projection_; }
    const spikelab::SynapseMatrix& synapses() const { return synapses_; }
    // The colour scale runs from -limit() to +limit(): per scale(), the 99th percentile of the
    // finite |w| (the largest |w| when that is 0) or the largest finite |w|.
    float limit() const { return limit_; }
    float maxAbs() const { return maxAbs_; }
    Scale scale() const { return scale_; }
    // Kept for every projection shown after (the window remembers it between sessions).
    void setScale(Scale scale);
    // What the colour bar writes: its top and bottom ends ("+0.1234", "-0.1234"; with >= and
    // <= when weights lie beyond them) and the scale's name.
    struct ScaleLabels {
        QString top, bottom, scale;
    };
    ScaleLabels scaleLabels() const;

    // Screen pixels per weight: whole numbers from 1 to 64 (larger values are rounded down),
    // fractions down to 1/16 when a map larger than the view is fitted (averaged colours).
    double zoom() const { return zoom_; }
    void setZoom(double pixelsPerCell);
    void zoomIn();
    void zoomOut();
    // Shows the whole map (receptive fields: as much as one pixel per weight allows), and keeps
    // doing so on resize until the zoom is changed by hand.
    void fitToView();
    QPoint scrollOffset() const;
    // Where the map is drawn, in this widget's coordinates (rulers and colour bar outside).
    // In matrix mode cell (pre, post) starts at mapArea().topLeft() - scrollOffset() +
    // zoom() * (post, pre).
    QRect mapArea() const;
    // Receptive fields: where the tile of `post` is drawn, in this widget's coordinates
    // (its title above it); empty in matrix mode.
    QRect tileArea(std::int64_t post) const;

    // The (pre, post) synapse position under a point of this widget, in either mode.
    std::optional<std::pair<std::int64_t, std::int64_t>> cellAt(QPoint widgetPos) const;
    QString toolTipAt(QPoint widgetPos) const;

    // The diverging colour of a weight on a scale of +-limit (clamped; black when not finite).
    static QColor colourFor(float weight, float limit);
    static QColor noSynapseColour();

    // The whole map in the current mode, with title, axes and colour bar, at the current zoom
    // or larger (long side about 1024 pixels, at most 4096); null when nothing is drawn.
    QImage renderImage() const;
    bool exportPng(const QString& path, QString* error = nullptr) const;
    bool exportSvg(const QString& path, QString* error = nullptr) const;
    // "pre,post,weight" for every existing synapse, pre-major.
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    QSize sizeHint() const override { return {640, 480}; }

signals:
    void projectionSelected(int index);
    void scaleChanged(Scale scale);

private:
    // Layout, shared by the geometry (weight_view.cpp) and the drawing (weight_view_paint.cpp).
    static constexpr int kPad = 6;
    static constexpr int kBarWidth = 14;

    friend class WeightMapArea;
    struct Margins {
        int left, top, right;
    };
    // Receptive fields: tile size, title strip and spacing at one zoom, in content pixels.
    struct TileGrid {
        int width, height, title, gap, pitchX, pitchY, columns;
        QRect tile(std::int64_t post) const; // the tile's weight pixels
    };

    int imageRows() const;
    int imageCols() const;
    bool drawable() const;
    void refreshMode();
    void rebuildImage();
    void updateRangeLabel();
    void afterGeometryChange();
    void zoomAround(double pixelsPerCell, QPoint viewportPos);
    void showMessage(const QString& text);

    // Geometry of the content (the map without rulers) at a zoom, in content pixels.
    QSize contentSize(double z) const;
    TileGrid tileGrid(double z, int columns) const;
    int bestTileColumns(QSize area) const;
    double fitZoom(QSize area, int tileColumns) const;
    Margins margins() const;
    std::optional<std::pair<std::int64_t, std::int64_t>> cellAtContent(QPoint content) const;

    // Draws the viewport (or, with a title, an export) of `size`: the map scrolled by
    // `scroll` at zoom `z`, its rulers and the colour bar.
    void paintView(QPainter& p, QSize size, QPoint scroll, double z, bool withTitle) const;
    void paintContent(QPainter& p, const QRect& map, QPoint scroll, double z) const;
    void paintRulers(QPainter& p, const QRect& map, QPoint scroll, double z) const;
    void paintColourBar(QPainter& p, const QRect& area) const;
    QString exportTitle() const;
    double exportZoom() const;

    QComboBox* projectionBox_ = nullptr;
    QComboBox* modeBox_ = nullptr;
    QComboBox* scaleBox_ = nullptr;
    QLabel* range_ = nullptr;
    WeightMapArea* area_ = nullptr;

    QString projection_, preName_, postName_, message_;
    spikelab::SynapseMatrix synapses_;
    bool hasMatrix_ = false;
    Mode mode_ = Mode::Matrix;
    int shapeRows_ = 0, shapeCols_ = 0; // explicit image shape, 0 = automatic
    Scale scale_ = Scale::Percentile99;
    float limit_ = 0.0f, maxAbs_ = 0.0f;
    std::int64_t nonFinite_ = 0;
    // Matrix: numPost x numPre pixels. Receptive fields: tiles stacked vertically, one
    // imageCols x imageRows tile per post neuron.
    QImage image_;
    double zoom_ = 1.0;
    bool fitted_ = true;
    int tileColumns_ = 1;
    int titleWidth_ = 0, titleHeight_ = 0; // a tile title's space, set by refreshMode()
};

} // namespace spikelab::ui
