#include "help_viewer.h"

#include <QAbstractTextDocumentLayout>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace spikelab::ui {

namespace {

// The anchor a block answers to: its heading's, or the bold term it starts with; empty for
// any other block.
QString blockAnchor(const QTextBlock& block) {
    if (block.blockFormat().headingLevel() > 0) return HelpViewer::anchorOf(block.text());
    if (!block.textList()) return {};
    const auto first = block.begin();
    if (first.atEnd()) return {};
    const QTextFragment fragment = first.fragment();
    if (fragment.charFormat().fontWeight() < QFont::Bold) return {};
    return HelpViewer::anchorOf(fragment.text());
}

} // namespace

HelpViewer::HelpViewer(QWidget* parent) : QDialog(parent) {
    setWindowTitle("SpikeLab help");
    setObjectName("helpViewer");
    resize(760, 640);
    browser_ = new QTextBrowser(this);
    // Links are followed here: the README's own sections scroll, other pages go to a browser.
    browser_->setOpenLinks(false);
    connect(browser_, &QTextBrowser::anchorClicked, this, [this](const QUrl& link) {
        const QUrl target = source_.resolved(link);
        if (target.adjusted(QUrl::RemoveFragment) == source_.adjusted(QUrl::RemoveFragment))
            showSection(target.fragment());
        else
            QDesktopServices::openUrl(target);
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser_);
    layout->addWidget(buttons);
}

QString HelpViewer::anchorOf(const QString& text) {
    QString anchor = text.trimmed().toLower();
    // GitHub keeps letters, digits, '-', '_' and spaces, then turns each space into '-'.
    static const QRegularExpression dropped("[^\\w\\- ]", QRegularExpression::UseUnicodePropertiesOption);
    anchor.remove(dropped);
    anchor.replace(' ', '-');
    return anchor;
}

bool HelpViewer::open(const QUrl& url) {
    const QString file = url.toLocalFile();
    if (!QFileInfo(file).isReadable()) return false;
    source_ = url;
    // Pictures (docs/*.png) are found relative to the file, as on GitHub.
    browser_->setSource(url.adjusted(QUrl::RemoveFragment), QTextDocument::MarkdownResource);
    setWindowTitle(QString("SpikeLab help - %1").arg(QFileInfo(file).fileName()));
    return url.fragment().isEmpty() || showSection(url.fragment());
}

bool HelpViewer::showSection(const QString& anchor) {
    QTextDocument* doc = browser_->document();
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        if (blockAnchor(block) != anchor) continue;
        // Layout first: positions are known only once the document has been laid out at the
        // viewer's width.
        doc->setTextWidth(browser_->viewport()->width());
        // The cursor first: placing it scrolls only as far as it needs to be visible.
        browser_->setTextCursor(QTextCursor(block));
        const QRectF box = doc->documentLayout()->blockBoundingRect(block);
        browser_->verticalScrollBar()->setValue(int(box.top()));
        shownText_ = block.text();
        return true;
    }
    return false;
}

QStringList HelpViewer::sections() const {
    QStringList anchors;
    for (QTextBlock block = browser_->document()->begin(); block.isValid(); block = block.next())
        if (const QString anchor = blockAnchor(block); !anchor.isEmpty()) anchors << anchor;
    return anchors;
}

} // namespace spikelab::ui
