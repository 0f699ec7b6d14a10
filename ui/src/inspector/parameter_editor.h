#pragma once
// ParameterEditor ties a ParameterPanel to a Document: each edit of the panel becomes
// Document::setParameter (one undo step per slider drag, see ParameterPanel's interactions),
// and the panel follows every change of the document, its own edits, undo, redo and loads
// alike: values are updated in place while the panel's sections stay the same (so a slider
// being dragged is never rebuilt), the panel is rebuilt when populations or inputs change.
// parameterChanged reports each parameter value the document takes by an edit, an undo or a
// redo, for the window to forward to the running simulation.
#include "spikelab/overrides.h"

#include <QObject>
#include <QPointer>

namespace spikelab::ui {

class Document;
class ParameterPanel;

class ParameterEditor : public QObject {
    Q_OBJECT
public:
    ParameterEditor(ParameterPanel* panel, Document* document, QObject* parent = nullptr);

signals:
    void parameterChanged(const spikelab::ParameterChange& change);

private:
    void edited(const ParameterChange& change, int interaction);
    // Brings the panel up to the document's spec.
    void follow();

    QPointer<ParameterPanel> panel_;
    QPointer<Document> document_;
};

} // namespace spikelab::ui
