#pragma once
// The parameter sweep dialog: pick one ITEM.PARAM of the loaded project (a population's neuron
// parameter, an input's parameter, or experiment.steps_per_sample), a range of values and a
// number of test samples, and watch accuracy (left axis) and spikes per sample (right axis)
// against the value as each point finishes. The sweep (spikelab/sweep.h) runs on a worker
// thread; Cancel stops it within one batch, and closing the dialog cancels and waits for it.
// The plot exports as PNG or SVG and the numbers as CSV.
#include "sample_data.h"
#include "spikelab/network.h"
#include "spikelab/sweep.h"

#include "job_dialog.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QSpinBox;
class QTableWidget;
class QValueAxis;

namespace spikelab::ui {

class SweepDialog : public JobDialog {
    Q_OBJECT
public:
    // `baseDir` is the folder the project's weight files are named relative to. Without
    // test data the dialog says so and cannot start.
    SweepDialog(const spikelab::NetworkSpec& spec, QString baseDir,
                SampleData testData, QWidget* parent = nullptr);

    // Every ITEM.PARAM offered, in the order of the parameter combo box.
    QStringList parameters() const;

    // Starts a sweep in the background on the first `samples` test samples (what the Start
    // button does with the form's values). Returns false, with the reason shown in the
    // dialog, when a sweep is running, there is no data, or any value is invalid.
    bool start(const QString& item, const QString& param, const std::vector<double>& values,
               qint64 samples);

    // The points finished so far (of the current or last sweep), in value order of the list.
    const std::vector<spikelab::SweepPoint>& points() const { return points_; }
    using JobDialog::statusText;
    QChart* chart() const { return chart_; }

    // The plot as an image (twice the on-screen resolution) or a vector drawing, and the
    // numbers (one row per point, spikes per population included). False, with the reason
    // shown, when the file cannot be written.
    bool exportPng(const QString& path);
    bool exportSvg(const QString& path);
    bool exportCsv(const QString& path);

signals:
    // The sweep ended: all points done, cancelled, or failed.
    void finished();

private:
    void buildChart();
    void buildForm();
    void parameterChosen(int index);
    void startFromForm() override;
    void addPoint(const spikelab::SweepPoint& point);
    void sweepEnded(bool cancelled, const QString& error);
    void fitAxes();
    void setValueRange(double lowest, double highest);
    QString chooseFile(const QString& filter, const QString& suffix);

    // One entry of the parameter combo box, with what its range and spin boxes need.
    struct Choice {
        QString item, param, unit;
        double current = 0.0;
        double min = 0.0, max = 0.0; // the valid range (infinite when open)
        bool integer = false;
    };

    spikelab::NetworkSpec spec_;
    QString baseDir_;
    SampleData data_;
    std::vector<Choice> choices_;

    QComboBox* parameter_ = nullptr;
    QDoubleSpinBox* from_ = nullptr;
    QDoubleSpinBox* to_ = nullptr;
    QSpinBox* count_ = nullptr;
    QSpinBox* samples_ = nullptr;
    QPushButton* exportButtons_[3] = {};
    QTableWidget* table_ = nullptr;
    QChartView* view_ = nullptr;
    QChart* chart_ = nullptr;
    QLineSeries* accuracyLine_ = nullptr;
    QScatterSeries* accuracyDots_ = nullptr;
    QLineSeries* spikesLine_ = nullptr;
    QScatterSeries* spikesDots_ = nullptr;
    QValueAxis* valueAxis_ = nullptr;
    QValueAxis* accuracyAxis_ = nullptr;
    QValueAxis* spikesAxis_ = nullptr;

    // The running (or last) sweep.
    QString sweptName_;
    std::vector<double> values_;
    std::vector<std::string> populations_;
    bool hasReadout_ = false;
    std::vector<spikelab::SweepPoint> points_;
};

} // namespace spikelab::ui
