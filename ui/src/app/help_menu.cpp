#include "help_menu.h"

#include "app_paths.h"
#include "build_info.h"
#include "help_viewer.h"
#include "icons.h"

#include "spikelab/error.h"
#include "spikelab/project.h"

#include <QApplication>
#include <QCursor>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace spikelab::ui {

namespace {

// The README's words for each dock (README.md, "The workbench"); the network editor has a
// section of its own.
struct DockSection {
    const char* dock;
    const char* anchor;
};
constexpr DockSection kSections[] = {
    {"sampleDock", "sample"},           {"parametersDock", "parameters"},
    {"networkDock", "drawing-a-network"}, {"tracesDock", "membrane-traces"},
    {"statisticsDock", "statistics"},   {"weightsDock", "weights"},
    {"inspectorDock", "inspector"},
};
constexpr const char* kWorkbenchSection = "the-workbench-spikelab";

QDockWidget* dockOf(QWidget* widget) {
    for (; widget; widget = widget->parentWidget())
        if (auto* dock = qobject_cast<QDockWidget*>(widget)) return dock;
    return nullptr;
}

} // namespace

HelpMenu::HelpMenu(QMainWindow* window) : QObject(window), window_(window) {
    menu_ = new QMenu("&Help", window);
    menu_->setObjectName("helpMenu");
    contextHelp_ = menu_->addAction("Help on this &view", this, &HelpMenu::showContextHelp);
    // Set explicitly: the platform's HelpContents binding is empty on some desktops.
    contextHelp_->setShortcut(Qt::Key_F1);
    contextHelp_->setShortcutContext(Qt::WindowShortcut);
    contextHelp_->setIcon(QIcon::fromTheme("help-contents"));
    examples_ = menu_->addMenu("&Examples");
    examples_->setObjectName("examplesMenu");
    examples_->setToolTipsVisible(true);
    fillExamples();
    menu_->addSeparator();
    about_ = menu_->addAction("&About SpikeLab", this, &HelpMenu::showAbout);
    about_->setIcon(appIcon());
    about_->setMenuRole(QAction::AboutRole);

    // A click on a view moves the keyboard focus there, so that F1 knows which view is meant;
    // views that handle keys themselves already take it.
    for (auto* dock : window->findChildren<QDockWidget*>())
        if (QWidget* view = dock->widget(); view && view->focusPolicy() == Qt::NoFocus)
            view->setFocusPolicy(Qt::ClickFocus);
}

void HelpMenu::fillExamples() {
    const QString folder = examplesFolder();
    for (const QString& path : exampleProjects(folder)) {
        auto* action = examples_->addAction(QFileInfo(path).completeBaseName(), this,
                                            [this, path] { emit exampleChosen(path); });
        action->setData(path);
        try {
            action->setToolTip(QString::fromStdString(loadProject(path.toStdString()).description));
        } catch (const Error& e) {
            action->setToolTip(QString::fromStdString(e.what())); // opening it says the same
        }
    }
    if (!examples_->isEmpty()) examples_->addSeparator();
    auto* browse = examples_->addAction("Open examples &folder...", this, [this, folder] {
        const QString path = QFileDialog::getOpenFileName(window_, "Open an example project",
                                                          folder, "SpikeLab projects (*.json)");
        if (!path.isEmpty()) emit exampleChosen(path);
    });
    browse->setEnabled(!folder.isEmpty());
    if (folder.isEmpty()) browse->setToolTip("The example projects are not installed");
}

void HelpMenu::showAbout() {
    if (auto* box = aboutBox()) {
        box->raise();
        return;
    }
    auto* box = new QMessageBox(window_);
    box->setObjectName("aboutBox");
    box->setWindowTitle("About SpikeLab");
    box->setTextFormat(Qt::RichText);
    box->setText(aboutText(buildInfo()));
    box->setIconPixmap(appIcon().pixmap(96, 96));
    box->setStandardButtons(QMessageBox::Close);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal: the simulation keeps running behind it
}

QMessageBox* HelpMenu::aboutBox() const {
    return window_->findChild<QMessageBox*>("aboutBox", Qt::FindDirectChildrenOnly);
}

QString HelpMenu::anchorForDock(const QString& dockName) {
    for (const auto& s : kSections)
        if (dockName == s.dock) return s.anchor;
    return kWorkbenchSection;
}

QDockWidget* HelpMenu::currentDock() const {
    if (QDockWidget* dock = dockOf(QApplication::focusWidget()); dock && dock->window() == window_)
        return dock;
    // The window's own docks, not QApplication::widgetAt: that asks the window system, which
    // not every platform answers. Docks tabbed behind another are hidden and do not count.
    const QPoint pointer = QCursor::pos();
    for (QDockWidget* dock : window_->findChildren<QDockWidget*>())
        if (dock->isVisible() && dock->rect().contains(dock->mapFromGlobal(pointer))) return dock;
    return nullptr;
}

QUrl HelpMenu::contextHelpUrl() const {
    const QString readme = readmeFile();
    if (readme.isEmpty()) return {};
    QUrl url = QUrl::fromLocalFile(readme);
    const QDockWidget* dock = currentDock();
    url.setFragment(anchorForDock(dock ? dock->objectName() : QString()));
    return url;
}

void HelpMenu::showContextHelp() {
    const QUrl url = contextHelpUrl();
    if (url.isEmpty()) {
        window_->statusBar()->showMessage("The README is not installed: no help to show", 8000);
        return;
    }
    const bool shown = opener_ ? opener_(url) : openInViewer(url);
    if (!shown)
        window_->statusBar()->showMessage("Cannot show " + url.toDisplayString(), 8000);
}

bool HelpMenu::openInViewer(const QUrl& url) {
    if (!viewer_) viewer_ = new HelpViewer(window_);
    viewer_->show(); // laid out at its size before it scrolls
    const bool found = viewer_->open(url);
    viewer_->raise();
    viewer_->activateWindow();
    return found;
}

} // namespace spikelab::ui
