#pragma once
// A field for model-language code (docs/architecture.md, "The model language"): monospaced,
// highlighted as one types (keywords, numbers, comments, the model's own names, the built-in
// names Isyn/dt/t and the functions), and able to underline the token a CodeError points at
// with a red wavy line. Long lines wrap at the field's width (the editor sits in a narrow dock).
#include <QPlainTextEdit>
#include <QStringList>

namespace spikelab::ui {

class ModelCodeHighlighter;

class ModelCodeEdit : public QPlainTextEdit {
    Q_OBJECT
public:
    // `lines`: how many lines the field is tall when laid out.
    explicit ModelCodeEdit(int lines, QWidget* parent = nullptr);

    // The model's parameters, derived parameters and state variables, highlighted as names.
    void setModelNames(const QStringList& names);
    // Underlines from `line`, `column` (1-based, columns in UTF-8 bytes as the checker counts
    // them) to the end of the token there, at least one character; the message becomes the
    // field's tool tip.
    void markError(int line, int column, const QString& message);
    void clearError();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    int lines_;
    ModelCodeHighlighter* highlighter_;
};

} // namespace spikelab::ui
