#include "parameter_editor.h"

#include "document.h"
#include "parameter_panel.h"

#include "spikelab/models.h"

#include <algorithm>

namespace spikelab::ui {

namespace {

// Whether the panel shows the same sections (titles included) for both specs.
bool sameSections(const NetworkSpec& a, const NetworkSpec& b) {
    const auto samePopulation = [](const PopulationSpec& x, const PopulationSpec& y) {
        return x.name == y.name && x.model == y.model && x.size == y.size;
    };
    const auto sameInput = [](const InputSpec& x, const InputSpec& y) {
        return x.name == y.name && x.type == y.type && x.target == y.target;
    };
    return std::equal(a.populations.begin(), a.populations.end(), b.populations.begin(),
                      b.populations.end(), samePopulation) &&
           std::equal(a.inputs.begin(), a.inputs.end(), b.inputs.begin(), b.inputs.end(),
                      sameInput);
}

} // namespace

ParameterEditor::ParameterEditor(ParameterPanel* panel, Document* document, QObject* parent)
    : QObject(parent), panel_(panel), document_(document) {
    connect(panel, &ParameterPanel::parameterEdited, this, &ParameterEditor::edited);
    connect(document, &Document::changed, this, &ParameterEditor::follow);
    connect(document, &Document::parameterChanged, this, &ParameterEditor::parameterChanged);
    panel->setSpec(document->spec());
}

void ParameterEditor::edited(const ParameterChange& change, int interaction) {
    // The panel checked the value against the same spec, so a refusal here means the two
    // drifted apart: show the document's value again.
    if (document_ && !document_->setParameter(change, interaction) && panel_)
        panel_->setValue(change.item, change.param,
                         parameterValue(document_->spec(), change.item, change.param));
}

void ParameterEditor::follow() {
    if (!panel_ || !document_) return;
    const NetworkSpec& now = document_->spec();
    if (!sameSections(panel_->spec(), now)) {
        panel_->setSpec(now);
        return;
    }
    const auto update = [&](const std::string& item, const std::string& param) {
        const double value = parameterValue(now, item, param);
        if (parameterValue(panel_->spec(), item, param) != value)
            panel_->setValue(item, param, value);
    };
    for (const auto& p : now.populations)
        for (const auto& info : neuronModel(now, p.model, p.name).params) update(p.name, info.name);
    for (const auto& in : now.inputs)
        for (const auto& info : encoder(in.type, in.name).params) update(in.name, info.name);
    update("experiment", "steps_per_sample");
}

} // namespace spikelab::ui
