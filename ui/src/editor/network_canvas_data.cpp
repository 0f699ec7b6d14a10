// What the canvas knows of the project's data set: where a new input goes, the SpikeSource
// population offered between a spike input and an IF or LIF population, and the red marks on
// nodes whose sizes do not fit the data set (spikelab/dataset_fit.h).
#include "network_canvas.h"

#include "document.h"

#include "spikelab/dataset_fit.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/project.h"
#include "spikelab/train_project.h"

#include <QMessageBox>
#include <QPushButton>

#include <algorithm>
#include <cmath>

namespace spikelab::ui {

namespace {

constexpr double kBesideGap = 60.0; // scene units between an input and its population

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

bool named(const NetworkSpec& spec, const std::string& name) {
    const auto has = [&](const auto& items) {
        return std::any_of(items.begin(), items.end(),
                           [&](const auto& i) { return i.name == name; });
    };
    return has(spec.populations) || has(spec.projections) || has(spec.inputs);
}

// `stem`, else `stem2`, `stem3`, ...: whichever names nothing yet.
std::string freeName(const NetworkSpec& spec, const std::string& stem) {
    std::string name = stem;
    for (int n = 2; named(spec, name); ++n) name = stem + std::to_string(n);
    return name;
}

// `stem` followed by the first number from `first` on that names nothing yet ("input3"), as
// the Document names the inputs it adds.
std::string numberedName(const NetworkSpec& spec, const std::string& stem, std::size_t first) {
    for (std::size_t n = first;; ++n)
        if (!named(spec, stem + std::to_string(n))) return stem + std::to_string(n);
}

bool feeds(const NetworkSpec& spec, const EncoderInfo& input, const PopulationSpec& population) {
    const NeuronModelInfo& model = neuronModel(spec, population.model, "population " + quote(population.name));
    return encoderMakesSpikes(input.kind) == model.spikeSource;
}

} // namespace

QString NetworkCanvas::spikeInputHint(const std::string& encoder) {
    return tr("A %1 input makes spikes, and only a SpikeSource population takes spikes from an "
              "input: IF and LIF neurons integrate a current. Dropped on an IF or LIF population, "
              "it feeds the nearest SpikeSource population, or, when there is none, offers to "
              "add one in between, with a projection to the population.")
        .arg(qs(encoder));
}

std::string NetworkCanvas::placeInput(const NodeKind& kind, QPointF scenePos) {
    const NetworkSpec& spec = document_->spec();
    const EncoderInfo* info = nullptr;
    for (const auto& e : encoders())
        if (e.name == kind.model) info = &e;
    if (!info) {
        report(tr("There is no input type called %1").arg(qs(kind.model)));
        return {};
    }
    // The population under the drop point, else the nearest one this input can feed.
    const PopulationSpec* under = nullptr;
    if (NodeItem* node = nodeAt(mapFromScene(scenePos)))
        under = spec.findPopulation(node->name().toStdString());
    const PopulationSpec* target = under && feeds(spec, *info, *under) ? under : nullptr;
    if (!target) {
        double best = 0;
        for (NodeItem* node : nodes()) {
            const auto* p = spec.findPopulation(node->name().toStdString());
            if (!p || !dynamic_cast<PopulationItem*>(node) || !feeds(spec, *info, *p)) continue;
            const double d = QLineF(node->scenePos(), scenePos).length();
            if (!target || d < best) target = p, best = d;
        }
    }
    // Spikes dropped on integrating neurons with no SpikeSource population to take them.
    if (!target && under && encoderMakesSpikes(info->kind)) {
        offerSpikeSource(*info, under->name);
        return {};
    }
    if (!target) {
        // The status bar holds one line: the short reason here, the whole story in the
        // palette entry's tooltip (spikeInputHint).
        report(encoderMakesSpikes(info->kind)
                   ? tr("A %1 input makes spikes and feeds only a SpikeSource population: drop it "
                        "on one, or on IF/LIF neurons to add one in between")
                         .arg(qs(kind.model))
                   : tr("A %1 input injects current into a population of integrating neurons "
                        "(LIF, IF, ...): add one first")
                         .arg(qs(kind.model)));
        return {};
    }
    InputSpec in;
    in.type = kind.model;
    in.target = target->name;
    in.name = numberedName(spec, "input", spec.inputs.size() + 1);
    in.position = placeFor(target->name, in, scenePos);
    QString error;
    const std::string name = document_->addInput(in, &error);
    if (name.empty()) report(error);
    return name;
}

CanvasPosition NetworkCanvas::placeFor(const std::string& population, const InputSpec& input,
                                       QPointF dropped) const {
    // A node of the input's own size, to find a free place for its outline.
    const InputItem probe(input, document_->spec().experiment.dataset);
    const QSizeF size = probe.sceneOutline().size();
    const auto taken = [&](const QRectF& r) {
        return std::any_of(nodes().begin(), nodes().end(), [&](const NodeItem* n) {
            return n->sceneOutline().intersects(r.adjusted(-8, -8, 8, 8));
        });
    };
    QRectF place(dropped - QPointF(size.width() / 2, size.height() / 2), size);
    if (!taken(place)) return {std::round(dropped.x()), std::round(dropped.y())};
    // Dropped on a node, it would hide under it and its rim would start projections: it goes
    // to the left of its population, further inputs of that population below it.
    const QRectF target = nodeRect(qs(population));
    place.moveTopLeft(QPointF(target.left() - kBesideGap - size.width(),
                              target.center().y() - size.height() / 2));
    for (int k = 0; k < 50 && taken(place); ++k) place.translate(0, size.height() + 16);
    return {std::round(place.center().x()), std::round(place.center().y())};
}

void NetworkCanvas::offerSpikeSource(const EncoderInfo& info, const std::string& population) {
    const NetworkSpec& spec = document_->spec();
    const PopulationSpec* target = spec.findPopulation(population);
    // The data set's shape, known without its files, sizes the new population.
    std::int64_t size = 0;
    try {
        const auto folder = projectDatasetFolder(spec, document_->path().toStdString());
        const DatasetShape shape = datasetShape(spec.experiment.dataset, folder);
        if (shape.events != (info.kind == EncoderKind::EventReplay)) {
            report(tr("A %1 input cannot present %2: %3")
                       .arg(qs(info.name), qs(shape.name),
                            shape.events ? tr("it holds event recordings (use EventReplay)")
                                         : tr("it is an image data set")));
            return;
        }
        size = shape.inputs;
    } catch (const Error& e) {
        report(qs(e.what()));
        return;
    }
    const bool oneToOne = target->size == size;
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Add a SpikeSource population?"),
        tr("A %1 input makes spikes; %2 is a population of %3 neurons, "
           "which integrate a current. Add a SpikeSource population of %4 "
           "neurons (one per input of %5) fed by the %1 input, with a %6 "
           "projection to %2?")
            .arg(qs(info.name), qs(population), qs(target->model))
            .arg(size)
            .arg(qs(spec.experiment.dataset.name), oneToOne ? tr("one-to-one") : tr("dense")),
        QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName("spikeSourceOffer");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->button(QMessageBox::Yes)->setText(tr("Add SpikeSource"));
    box->button(QMessageBox::No)->setText(tr("Don't add"));
    connect(box, &QMessageBox::finished, this,
            [this, kind = info.name, population, size](int answer) {
                if (answer == QMessageBox::Yes)
                    addSpikeSourceBetween(kind, population, size);
                else
                    report(tr("No SpikeSource population added: a %1 input feeds only a "
                              "SpikeSource population")
                               .arg(qs(kind)));
            });
    box->open();
}

bool NetworkCanvas::addSpikeSourceBetween(const std::string& encoder, const std::string& population,
                                          std::int64_t size) {
    if (!document_) return false;
    const NetworkSpec& spec = document_->spec();
    const PopulationSpec* target = spec.findPopulation(population);
    if (!target) return false;
    PopulationSpec source;
    source.name = freeName(spec, population + "_spikes");
    source.size = size;
    source.model = "SpikeSource";
    source.record.spikes = true;
    ProjectionSpec projection;
    projection.name = freeName(spec, source.name + "_" + population);
    projection.source = source.name;
    projection.target = population;
    // A relay when the sizes match (input i drives neuron i, as a current input would);
    // otherwise all-to-all with the Glorot weights training starts from (docs: README,
    // "Drawing a network").
    if (target->size == size) {
        projection.connectivity.type = ConnectivityType::OneToOne;
        projection.weights.type = WeightInitType::Constant;
        projection.weights.value = 1.0;
    } else {
        projection.connectivity.type = ConnectivityType::Dense;
        projection.weights.type = WeightInitType::Glorot;
    }
    InputSpec input;
    input.type = encoder;
    input.target = source.name;
    input.name = numberedName(spec, "input", spec.inputs.size() + 1);
    // The SpikeSource takes the place beside the population, its input the place beside it.
    const QRectF at = nodeRect(qs(population));
    const PopulationItem probe(source, false);
    const double width = probe.sceneOutline().width();
    source.position =
        CanvasPosition{std::round(at.left() - kBesideGap - width / 2), std::round(at.center().y())};
    const InputItem inputProbe(input, spec.experiment.dataset);
    input.position = CanvasPosition{std::round(source.position->x - width / 2 - kBesideGap -
                                               inputProbe.sceneOutline().width() / 2),
                                    source.position->y};
    // The dropped-on population keeps its place, even when it was laid out automatically.
    const CanvasPosition pinned{std::round(at.center().x()), std::round(at.center().y())};
    QString error;
    pendingSelection_ = {qs(input.name)};
    NetworkSpec added;
    added.populations = {source};
    added.projections = {projection};
    added.inputs = {input};
    const bool ok = document_->addItems(
        tr("Add %1 input through SpikeSource %2").arg(qs(encoder), qs(source.name)), added,
        {{population, pinned}}, &error);
    pendingSelection_.clear();
    if (!ok) report(error);
    return ok;
}

void NetworkCanvas::markMismatches() {
    for (NodeItem* node : nodes()) node->setProblem({});
    const NetworkSpec& spec = document_->spec();
    if (spec.populations.empty()) return;
    try {
        const std::string path = document_->path().toStdString();
        const DatasetShape shape =
            datasetShape(spec.experiment.dataset, projectDatasetFolder(spec, path));
        for (const auto& m : datasetMismatches(spec, shape, projectDir(path))) {
            if (m.item.empty()) continue; // no input yet: nothing to point at
            for (NodeItem* node : nodes())
                if (node->name() == qs(m.item))
                    node->setProblem(node->problem().isEmpty()
                                         ? qs(m.message)
                                         : node->problem() + "\n" + qs(m.message));
        }
    } catch (const Error&) {
        // A data set SpikeLab does not know or an unreadable image header: the window's
        // status bar says so when the simulation is built; no node is to blame.
    }
}

} // namespace spikelab::ui
