// The neuron lab, driven as a person does: Ctrl+L opens it from the window; the traces it
// draws are the engine's response (spikelab::neuronResponse) to the stimulus the designer
// writes; typing an amplitude, a parameter or another model redraws them at once; a stimulus
// that cannot run says why and keeps the traces.
#include "main_window.h"
#include "neuron_lab.h"
#include "widget_input.h"

#include "spikelab/fi_curve.h"
#include "spikelab/stimulus.h"

#include <QChart>
#include <QChartView>
#include <QFile>
#include <QImage>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace spikelab;
using namespace spikelab::ui;

namespace {

QLineSeries* seriesNamed(QChart* chart, const QString& name) {
    for (auto* s : chart->series())
        if (s->name() == name) return qobject_cast<QLineSeries*>(s);
    return nullptr;
}

template <typename T> T* child(QWidget* lab, const char* name) {
    auto* w = lab->findChild<T*>(name);
    if (!w) qWarning("no widget %s", name);
    return w;
}

} // namespace

class TestNeuronLab : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("SpikeLabTest");
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    }

    void ctrlLOpensTheLabOnTheEnginesResponse() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.neuronLab());
        QTest::keyClick(&w, Qt::Key_L, Qt::ControlModifier);
        NeuronLab* lab = w.neuronLab();
        QVERIFY(lab);
        QVERIFY(lab->isVisible());
        QVERIFY(lab->error().isEmpty());
        QCOMPARE(child<QLineEdit>(lab, "labStimulus")->text(), QString("step(amplitude=1, onset=20, duration=100)"));
        const NeuronResponse expected = neuronResponse(lab->settings());
        QCOMPARE(lab->settings().model, std::string("LIF"));
        QCOMPARE(lab->response().values, expected.values);
        QCOMPARE(lab->response().spikes, expected.spikes);
        QVERIFY(!expected.spikes.empty());
        // The membrane trace is the response, point for point (2,000 steps are drawn whole).
        auto* v = seriesNamed(lab->voltageChart(), "V");
        QVERIFY(v);
        QCOMPARE(v->count(), 2000);
        for (int n = 0; n < 2000; n += 97) {
            QCOMPARE(v->at(n).y(), double(expected.values[0][std::size_t(n)]));
            QCOMPARE(v->at(n).x(), double(n + 1) * 0.1);
        }
        QScatterSeries* spikes = nullptr;
        for (auto* s : lab->voltageChart()->series())
            if (auto* scatter = qobject_cast<QScatterSeries*>(s)) spikes = scatter;
        QVERIFY(spikes);
        QCOMPARE(spikes->count(), int(expected.spikes.size()));
        QVERIFY(seriesNamed(lab->voltageChart(), "threshold Vthresh"));
        QVERIFY(seriesNamed(lab->currentChart(), "current"));
        // Ctrl+L again brings the same window forward.
        QTest::keyClick(&w, Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(w.neuronLab(), lab);
    }

    void theControlsRedrawTheTracesAtOnce() {
        NeuronLab lab;
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        QSignalSpy redrawn(&lab, &NeuronLab::responseChanged);
        const auto spikesBefore = lab.response().spikes.size();

        typeInto(child<QDoubleSpinBox>(&lab, "labAmplitude"), "2");
        QCOMPARE(child<QLineEdit>(&lab, "labStimulus")->text(), QString("step(amplitude=2, onset=20, duration=100)"));
        QCOMPARE(lab.response().current[300], 2.0);  // t = 30 ms
        QCOMPARE(lab.response().current[100], 0.0);  // before the onset
        QVERIFY(lab.response().spikes.size() > spikesBefore);
        QVERIFY(redrawn.count() >= 1);

        // A parameter: the threshold line moves with it.
        typeInto(child<QDoubleSpinBox>(&lab, "labParameter_Vthresh"), "-55");
        QCOMPARE(lab.settings().params.at("Vthresh"), -55.0);
        QCOMPARE(seriesNamed(lab.voltageChart(), "threshold Vthresh")->at(0).y(), -55.0);
        QCOMPARE(lab.response().values, neuronResponse(lab.settings()).values);

        // The designer's other kinds.
        child<QComboBox>(&lab, "labStimulusKind")->setCurrentText("pulses");
        QVERIFY(child<QDoubleSpinBox>(&lab, "labFrequency")->isEnabled());
        QCOMPARE(child<QLineEdit>(&lab, "labStimulus")->text(),
                 QString("pulses(amplitude=2, onset=20, duration=100, frequency=20, width=1)"));
        QCOMPARE(lab.response().current[200], 2.0);  // the first pulse, at 20 ms
        QCOMPARE(lab.response().current[215], 0.0);

        // Another model: its parameters and its other state variables.
        child<QComboBox>(&lab, "labModel")->setCurrentText("Izhikevich");
        QVERIFY(child<QDoubleSpinBox>(&lab, "labParameter_d"));
        QVERIFY(!lab.findChild<QDoubleSpinBox*>("labParameter_Vthresh"));
        QCOMPARE(lab.settings().model, std::string("Izhikevich"));
        QVERIFY(seriesNamed(lab.stateChart(), "U"));
        QVERIFY(lab.error().isEmpty());
        // Its presets set the parameters in one go; "(defaults)" puts them back.
        QVERIFY(choose(child<QComboBox>(&lab, "labPreset"), "chattering"));
        QCOMPARE(lab.settings().params.at("c"), -50.0);
        QCOMPARE(lab.settings().params.at("d"), 2.0);
        QCOMPARE(child<QDoubleSpinBox>(&lab, "labParameter_c")->value(), -50.0);
        QVERIFY(choose(child<QComboBox>(&lab, "labPreset"), QString()));
        QCOMPARE(lab.settings().params.at("c"), -65.0);
        // LIF has none.
        child<QComboBox>(&lab, "labModel")->setCurrentText("LIF");
        QVERIFY(!child<QComboBox>(&lab, "labPreset")->isEnabled());
    }

    void theFiCurveIsTheEnginesWithTheLifFormulaAndTheRheobase() {
        NeuronLab lab;
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        QVERIFY(lab.fiPoints().empty());  // computed only while shown
        lab.showTab(1);
        // LIF with its defaults, 0 to 2 nA (twice the designer's 1 nA), 41 currents.
        QCOMPARE(lab.fiPoints().size(), std::size_t(41));
        FiCurveSettings settings;
        settings.dt = 0.1;
        for (int i = 0; i <= 40; ++i) settings.currents.push_back(2.0 * i / 40);
        const auto expected = fiCurve(settings);
        for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(lab.fiPoints()[i].rate, expected[i].rate);
        // The analytic rheobase is (Vthresh - Vrest) / Rm = 15 mV / 40 MOhm = 0.375 nA: the first
        // current of the grid above it spikes.
        QCOMPARE(lab.rheobase(), 0.4);
        for (const FiPoint& p : lab.fiPoints())
            if (p.rate > 0) QVERIFY2(std::fabs(p.rate - lifRate({}, p.current)) < 0.03 * lifRate({}, p.current),
                                     qPrintable(QString::number(p.current)));
        QVERIFY(seriesNamed(lab.fiChart(), "LIF formula"));
        QVERIFY(seriesNamed(lab.fiChart(), "soft LIF (lambda 0.05)"));
        QVERIFY(seriesNamed(lab.fiChart(), "rheobase ~ 0.4 nA"));
        // A parameter redraws it: a higher threshold, a higher rheobase.
        typeInto(child<QDoubleSpinBox>(&lab, "labParameter_Vthresh"), "-45");
        QCOMPARE(lab.rheobase(), 0.55);  // 20 mV / 40 MOhm = 0.5 nA, and the next current
        // Other models have no formula, but their simulated curve.
        child<QComboBox>(&lab, "labModel")->setCurrentText("Izhikevich");
        typeInto(child<QDoubleSpinBox>(&lab, "labFiMax"), "20");
        QVERIFY(!seriesNamed(lab.fiChart(), "LIF formula"));
        QVERIFY(seriesNamed(lab.fiChart(), "simulated"));
        QCOMPARE(lab.fiPoints().back().current, 20.0);
        QVERIFY(lab.fiPoints().back().rate > 0);
    }

    void thePhasePlaneHasTheClosedFormsNullclinesAndFixedPoints() {
        NeuronLab lab;
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        child<QComboBox>(&lab, "labModel")->setCurrentText("Izhikevich");
        lab.showTab(2);
        QCOMPARE(child<QComboBox>(&lab, "labPhaseY")->currentText(), QString("U"));
        // At no input the regular-spiking cell (a 0.02, b 0.2) rests where 0.04 V^2 + 5 V + 140
        // = b V: V = -70 (stable) and V = -50 (a saddle), U = b V.
        typeInto(child<QDoubleSpinBox>(&lab, "labPhaseCurrent"), "0");
        const auto& points = lab.fixedPoints();
        QCOMPARE(points.size(), std::size_t(2));
        QVERIFY(std::fabs(points[0].x + 70) < 1e-3 && std::fabs(points[0].y + 14) < 1e-3);
        QVERIFY(points[0].kind.rfind("stable", 0) == 0);
        QVERIFY(std::fabs(points[1].x + 50) < 1e-3 && std::fabs(points[1].y + 10) < 1e-3);
        QCOMPARE(points[1].kind, std::string("saddle"));
        // The V nullcline is U = 0.04 V^2 + 5 V + 140 + I, the U nullcline U = b V.
        auto* vNull = seriesNamed(lab.phaseChart(), "V nullcline");
        auto* uNull = seriesNamed(lab.phaseChart(), "U nullcline");
        QVERIFY(vNull && vNull->count() > 10 && uNull && uNull->count() > 10);
        for (const QPointF& p : vNull->points())
            QVERIFY(std::fabs(p.y() - (0.04 * p.x() * p.x() + 5 * p.x() + 140)) < 1e-3);
        for (const QPointF& p : uNull->points()) QVERIFY(std::fabs(p.y() - 0.2 * p.x()) < 1e-3);
        // The trajectory is the run's V and U.
        auto* trajectory = seriesNamed(lab.phaseChart(), "trajectory");
        QVERIFY(trajectory);
        QCOMPARE(trajectory->count(), int(lab.response().values[0].size()));
        QCOMPARE(trajectory->at(500).x(), double(lab.response().values[0][500]));
        QCOMPARE(trajectory->at(500).y(), double(lab.response().values[1][500]));
        // Enough input and the fixed points are gone: the cell fires.
        typeInto(child<QDoubleSpinBox>(&lab, "labPhaseCurrent"), "10");
        QVERIFY(lab.fixedPoints().empty());
        // IF has one state variable: no plane.
        child<QComboBox>(&lab, "labModel")->setCurrentText("IF");
        QCOMPARE(lab.phaseChart()->title(), QString("A phase plane needs a second state variable"));
    }

    void theVectorFieldFollowsTheModelAndAClickChoosesTheStart() {
        NeuronLab lab;
        lab.resize(1150, 820);
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        child<QComboBox>(&lab, "labModel")->setCurrentText("Izhikevich");
        lab.showTab(2);
        typeInto(child<QDoubleSpinBox>(&lab, "labPhaseCurrent"), "0");
        // An arrow per grid point, along Izhikevich's equations at no input (a 0.02, b 0.2):
        // dV/dt = 0.04 V^2 + 5 V + 140 - U, dU/dt = a (b V - U).
        QCOMPARE(lab.vectorField().size(), std::size_t(19 * 13));
        for (const auto& a : lab.vectorField()) {
            const double dv = 0.04 * a.x * a.x + 5 * a.x + 140 - a.y, du = 0.02 * (0.2 * a.x - a.y);
            QVERIFY2(std::fabs(a.dx - dv) < 1e-3 * std::max(1.0, std::fabs(dv)), qPrintable(QString::number(a.dx - dv)));
            QVERIFY2(std::fabs(a.dy - du) < 1e-3 * std::max(0.01, std::fabs(du)), qPrintable(QString::number(a.dy - du)));
        }
        QCOMPARE(child<QLabel>(&lab, "labStart")->text(), QString("Starts from its initial state"));
        // A click beside the plot area changes nothing.
        QChart* chart = lab.phaseChart();
        QTest::mouseClick(lab.phaseView()->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QVERIFY(lab.initialState().empty());
        // A click on the plane at (V, U) = (-60, -12) starts the neuron there.
        const QPointF at = chart->mapToPosition({-60, -12}, chart->series().front());
        const QPoint click = lab.phaseView()->mapFromScene(chart->mapToScene(at));
        QVERIFY(lab.phaseView()->viewport()->rect().contains(click));
        QTest::mouseClick(lab.phaseView()->viewport(), Qt::LeftButton, {}, click);
        const ParamValues start = lab.initialState();
        QCOMPARE(start.size(), std::size_t(2));
        // Within a pixel of the point clicked.
        QVERIFY2(std::fabs(start.at("V") + 60) < 0.5, qPrintable(QString::number(start.at("V"))));
        QVERIFY2(std::fabs(start.at("U") + 12) < 0.1, qPrintable(QString::number(start.at("U"))));
        QCOMPARE(lab.settings().initial, start);
        QVERIFY(child<QLabel>(&lab, "labStart")->text().startsWith("Starts at U = "));
        // The run and its trajectory start there: the first step moves V by about dV/dt dt.
        const double v0 = start.at("V"), u0 = start.at("U");
        const double firstV = v0 + lab.settings().dt * (0.04 * v0 * v0 + 5 * v0 + 140 - u0);
        QVERIFY2(std::fabs(lab.response().values[0][0] - firstV) < 0.05, qPrintable(QString::number(lab.response().values[0][0])));
        // "Start at rest" forgets it.
        QTest::mouseClick(child<QPushButton>(&lab, "labStartAtRest"), Qt::LeftButton);
        QVERIFY(lab.initialState().empty());
        QVERIFY(lab.settings().initial.empty());
        QCOMPARE(child<QLabel>(&lab, "labStart")->text(), QString("Starts from its initial state"));
    }

    void eachTabExportsItsPlotsAndNumbers() {
        QTemporaryDir dir;
        NeuronLab lab;
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        QString error;
        // Traces: the rows spikelab-cli stimulate prints.
        QVERIFY2(lab.exportCsv(dir.filePath("traces.csv"), &error), qPrintable(error));
        QFile traces(dir.filePath("traces.csv"));
        QVERIFY(traces.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = traces.readAll().split('\n');
        QCOMPARE(rows[0], QByteArray("step,t_ms,current_nA,V,RefracTime,spike"));
        QCOMPARE(rows.size(), 2000 + 2);  // header, rows, the empty line after the last newline
        const QList<QByteArray> row = rows[301].split(',');
        QCOMPARE(row[0], QByteArray("300"));
        QCOMPARE(row[2].toDouble(), 1.0);
        QCOMPARE(row[3].toFloat(), lab.response().values[0][300]);
        int spikes = 0;
        for (int i = 1; i < rows.size() - 1; ++i) spikes += rows[i].endsWith(",1");
        QCOMPARE(std::size_t(spikes), lab.response().spikes.size());
        QVERIFY2(lab.exportPng(dir.filePath("traces.png"), &error), qPrintable(error));
        QVERIFY(QImage(dir.filePath("traces.png")).width() > 400);
        QVERIFY2(lab.exportSvg(dir.filePath("traces.svg"), &error), qPrintable(error));
        QFile svg(dir.filePath("traces.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        // The f-I curve: one row per current.
        lab.showTab(1);
        QVERIFY2(lab.exportCsv(dir.filePath("fi.csv"), &error), qPrintable(error));
        QFile fi(dir.filePath("fi.csv"));
        QVERIFY(fi.open(QIODevice::ReadOnly));
        const QList<QByteArray> fiRows = fi.readAll().split('\n');
        QCOMPARE(fiRows[0], QByteArray("current_nA,spikes,first_spike_ms,rate_Hz"));
        QCOMPARE(fiRows.size(), 41 + 2);
        QCOMPARE(fiRows[1], QByteArray("0,0,,0"));
        // The phase plane: the nullclines by V.
        child<QComboBox>(&lab, "labModel")->setCurrentText("Izhikevich");
        lab.showTab(2);
        QVERIFY2(lab.exportCsv(dir.filePath("phase.csv"), &error), qPrintable(error));
        QFile phase(dir.filePath("phase.csv"));
        QVERIFY(phase.open(QIODevice::ReadOnly));
        QVERIFY(phase.readAll().startsWith("V,V_nullcline,U_nullcline\n"));
        // A file that cannot be written says which and why, and leaves nothing.
        QVERIFY(!lab.exportCsv(dir.filePath("missing/phase.csv"), &error));
        QVERIFY2(error.contains("missing/phase.csv"), qPrintable(error));
    }

    void classroomModeIsLargeThickAndHighContrastAndKeysMoveTheStimulus() {
        NeuronLab lab;
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        auto* amplitude = child<QDoubleSpinBox>(&lab, "labAmplitude");
        const double normal = amplitude->font().pointSizeF();
        const double normalLabels = lab.voltageChart()->axes(Qt::Horizontal).front()->labelsFont().pointSizeF();
        QTest::keyClick(&lab, Qt::Key_F9);
        QVERIFY(lab.classroom());
        QVERIFY(child<QPushButton>(&lab, "labClassroom")->isChecked());
        QVERIFY(amplitude->font().pointSizeF() >= 1.5 * normal);
        QCOMPARE(lab.voltageChart()->theme(), QChart::ChartThemeHighContrast);
        QVERIFY(lab.voltageChart()->axes(Qt::Horizontal).front()->labelsFont().pointSizeF() >= 1.5 * normalLabels);
        QVERIFY(seriesNamed(lab.voltageChart(), "V")->pen().widthF() >= 3.0);
        QCOMPARE(seriesNamed(lab.voltageChart(), "threshold Vthresh")->pen().style(), Qt::DashLine);
        // The keys work wherever the focus is.
        child<QLineEdit>(&lab, "labStimulus")->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(amplitude->value(), 1.1);
        QCOMPARE(lab.response().current[300], double(1.1));
        child<QDoubleSpinBox>(&lab, "labDuration")->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(child<QDoubleSpinBox>(&lab, "labOnset")->value(), 25.0);
        QCOMPARE(lab.settings().stimulus.parts.front().onset, 25.0);
        // And back.
        child<QPushButton>(&lab, "labClassroom")->click();
        QVERIFY(!lab.classroom());
        QCOMPARE(amplitude->font().pointSizeF(), normal);
        QCOMPARE(lab.voltageChart()->theme(), QChart::ChartThemeLight);
    }

    void aStimulusThatCannotRunSaysWhyAndKeepsTheTraces() {
        NeuronLab lab;
        lab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lab));
        const NeuronResponse before = lab.response();
        typeInto(child<QLineEdit>(&lab, "labStimulus"), "pulses(frequency=100, width=20)");
        QCOMPARE(lab.error(), QString("stimulus part 1 (pulses): width 20 ms is longer than the period of 10 ms"));
        QVERIFY(child<QLabel>(&lab, "labError")->isVisible());
        QCOMPARE(lab.response().values, before.values);
        // Text with several parts runs as typed, and the message goes.
        typeInto(child<QLineEdit>(&lab, "labStimulus"), "0.5 + sine(amplitude=0.5, frequency=10)");
        QVERIFY(lab.error().isEmpty());
        QVERIFY(!child<QLabel>(&lab, "labError")->isVisible());
        QCOMPARE(lab.settings().stimulus.parts.size(), std::size_t(2));
        QCOMPARE(lab.response().current[0], 0.5);
        // A ramp with no end cannot run: the designer says so too.
        child<QComboBox>(&lab, "labStimulusKind")->setCurrentText("ramp");
        typeInto(child<QDoubleSpinBox>(&lab, "labLength"), "0");
        QVERIFY(lab.error().contains("a ramp needs a duration > 0"));
    }
};

QTEST_MAIN(TestNeuronLab)
#include "test_neuron_lab.moc"
