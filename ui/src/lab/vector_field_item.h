#pragma once
#include "neuron_lab.h"

#include <QChart>
#include <QGraphicsItem>

#include <vector>

namespace spikelab::ui {

// The phase plane's vector field, drawn over the plot area of its chart: a short arrow of one
// length at each grid point, pointing where the state moves, darker where it moves faster.
class VectorFieldItem : public QGraphicsItem {
public:
    explicit VectorFieldItem(QChart* chart) : QGraphicsItem(chart), chart_(chart) {}
    void setArrows(const std::vector<NeuronLab::Arrow>* arrows, double xRange, double yRange, bool thick) {
        arrows_ = arrows;
        xRange_ = xRange;
        yRange_ = yRange;
        thick_ = thick;
        areaChanged();
    }
    void areaChanged() {
        prepareGeometryChange();
        update();
    }
    QRectF boundingRect() const override { return chart_->plotArea(); }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    QChart* chart_;
    const std::vector<NeuronLab::Arrow>* arrows_ = nullptr;
    double xRange_ = 1, yRange_ = 1;
    bool thick_ = false;
};

} // namespace spikelab::ui
