#include "model_code_edit.h"

#include "theme.h"

#include "spikelab/lang.h"

#include <QFontDatabase>
#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextBlock>

#include <algorithm>

namespace spikelab::ui {

namespace {

QTextCharFormat colouredFormat(const QColor& colour, bool bold = false, bool italic = false) {
    QTextCharFormat format;
    format.setForeground(colour);
    if (bold) format.setFontWeight(QFont::Bold);
    format.setFontItalic(italic);
    return format;
}

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c == u'_';
}

} // namespace

// Colours the model language's tokens line by line; a block state of 1 means the line ends
// inside a /* */ comment.
class ModelCodeHighlighter : public QSyntaxHighlighter {
public:
    explicit ModelCodeHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
        for (const auto& f : lang::functions()) functions_.insert(QString::fromLatin1(f.name));
        for (const auto& b : lang::Scope{}.builtins) builtins_.insert(QString::fromStdString(b));
    }

    void setNames(const QSet<QString>& names) {
        if (names == names_) return;
        names_ = names;
        rehighlight();
    }

protected:
    void highlightBlock(const QString& text) override {
        static const QSet<QString> keywords = {"if", "else", "const", "scalar", "float", "double"};
        const int n = int(text.size());
        int i = 0;
        setCurrentBlockState(0);
        if (previousBlockState() == kInComment) i = closeComment(text, 0, 0);
        while (i < n) {
            const QChar c = text[i];
            const QChar next = i + 1 < n ? text[i + 1] : QChar();
            if (c == u'/' && next == u'/') {
                setFormat(i, n - i, comment_);
                return;
            }
            if (c == u'/' && next == u'*') {
                i = closeComment(text, i, i + 2);
            } else if (c.isDigit() || (c == u'.' && next.isDigit())) {
                int j = i + 1;
                while (j < n && (isWordChar(text[j]) || text[j] == u'.' ||
                                 ((text[j] == u'+' || text[j] == u'-') && (text[j - 1] == u'e' || text[j - 1] == u'E'))))
                    ++j;
                setFormat(i, j - i, number_);
                i = j;
            } else if (isWordChar(c)) {
                int j = i + 1;
                while (j < n && isWordChar(text[j])) ++j;
                const QString word = text.mid(i, j - i);
                if (keywords.contains(word)) setFormat(i, j - i, keyword_);
                else if (names_.contains(word)) setFormat(i, j - i, name_);
                else if (builtins_.contains(word)) setFormat(i, j - i, builtin_);
                else if (functions_.contains(word)) setFormat(i, j - i, function_);
                i = j;
            } else {
                ++i;
            }
        }
    }

private:
    static constexpr int kInComment = 1;

    // Colours a comment from `from` to the first "*/" at or after `search`; returns where
    // highlighting goes on. A comment still open at the end of the line carries on.
    int closeComment(const QString& text, int from, int search) {
        const int end = int(text.indexOf(QStringLiteral("*/"), search));
        const int stop = end < 0 ? int(text.size()) : end + 2;
        setFormat(from, stop - from, comment_);
        if (end < 0) setCurrentBlockState(kInComment);
        return stop;
    }

    QSet<QString> names_, builtins_, functions_;
    const QTextCharFormat keyword_ = colouredFormat(QColor(20, 60, 160), true);
    const QTextCharFormat number_ = colouredFormat(QColor(160, 80, 0));
    const QTextCharFormat comment_ = colouredFormat(QColor(120, 120, 128), false, true);
    const QTextCharFormat name_ = colouredFormat(QColor(0, 110, 90), true);
    const QTextCharFormat builtin_ = colouredFormat(QColor(130, 40, 150), true);
    const QTextCharFormat function_ = colouredFormat(QColor(30, 110, 160));
};

ModelCodeEdit::ModelCodeEdit(int lines, QWidget* parent)
    : QPlainTextEdit(parent), lines_(lines), highlighter_(new ModelCodeHighlighter(document())) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 4);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void ModelCodeEdit::setModelNames(const QStringList& names) {
    highlighter_->setNames(QSet<QString>(names.begin(), names.end()));
}

void ModelCodeEdit::markError(int line, int column, const QString& message) {
    QTextBlock block = document()->findBlockByNumber(std::max(0, line - 1));
    if (!block.isValid()) block = document()->lastBlock();
    const QString text = block.text();
    // The checker counts columns in bytes of UTF-8; the field counts UTF-16 units.
    int start = int(QString::fromUtf8(text.toUtf8().left(std::max(0, column - 1))).size());
    int end = start;
    if (start >= text.size()) {  // past the end of the line: its last character
        start = std::max(0, int(text.size()) - 1);
        end = int(text.size());
    }
    while (end < text.size() && isWordChar(text[end])) ++end;
    if (end <= start) end = start + 1;
    const int last = document()->characterCount() - 1;  // the final paragraph separator
    QTextEdit::ExtraSelection selection;
    selection.cursor = QTextCursor(document());
    selection.cursor.setPosition(std::min(block.position() + start, std::max(0, last - 1)));
    selection.cursor.setPosition(std::clamp(block.position() + end, 0, std::max(0, last)), QTextCursor::KeepAnchor);
    selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    selection.format.setUnderlineColor(theme::error);
    setExtraSelections({selection});
    setToolTip(message);
}

void ModelCodeEdit::clearError() {
    setExtraSelections({});
    setToolTip(QString());
}

QSize ModelCodeEdit::sizeHint() const {
    const int margins = int(2 * document()->documentMargin()) + 2 * frameWidth();
    return {fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40 + margins,
            fontMetrics().lineSpacing() * lines_ + fontMetrics().descent() + margins};
}

QSize ModelCodeEdit::minimumSizeHint() const {
    return {fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12, sizeHint().height()};
}

} // namespace spikelab::ui
