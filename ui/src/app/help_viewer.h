#pragma once
// SpikeLab's README shown inside the workbench, opened at a section. A browser would show a
// README.md as plain text and ignore its #anchor, so F1 opens this viewer instead: the
// Markdown rendered (with its pictures), scrolled to the section the anchor names.
//
// Anchors are GitHub's: a heading's text in lower case, punctuation dropped, spaces turned into
// hyphens ("The workbench: `spikelab`" -> "the-workbench-spikelab"). A list entry that starts
// with a bold term ("- **Weights**: ...") answers to that term's anchor too ("weights"), so the
// README's list of views needs no heading per view. Links to other sections of the README
// scroll there; links elsewhere open in the desktop's browser.
#include <QDialog>
#include <QUrl>

class QTextBrowser;

namespace spikelab::ui {

class HelpViewer : public QDialog {
    Q_OBJECT
public:
    explicit HelpViewer(QWidget* parent = nullptr);

    // Loads the Markdown file `url` names (a local file) and scrolls to its fragment; false
    // (and the top of the file) when the file cannot be read or has no such section.
    bool open(const QUrl& url);
    // Scrolls to the section `anchor` names; false when there is none.
    bool showSection(const QString& anchor);
    // The anchors of every heading and bold-led list entry, in document order.
    QStringList sections() const;
    // The first block of the section shown last (its text), for tests.
    QString shownSectionText() const { return shownText_; }
    // GitHub's anchor for a heading's text.
    static QString anchorOf(const QString& text);

private:
    QTextBrowser* browser_ = nullptr;
    QUrl source_;
    QString shownText_;
};

} // namespace spikelab::ui
