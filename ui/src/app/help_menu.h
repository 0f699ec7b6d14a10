#pragma once
// The Help menu of the workbench window:
// - About SpikeLab: the version, the commit, the build options (CUDA or not) and the compiler
//   (build_info.h), in a box that does not block the window;
// - Examples: one entry per example project shipped with SpikeLab (app_paths.h), and
//   "Open examples folder..." for a file dialog there;
// - Help on this view (F1): the README's section about the dock that has the keyboard focus
//   (docks' views take the focus when clicked), else the dock under the pointer, else the
//   workbench section; opened through the URL opener, which is SpikeLab's own README viewer
//   (help_viewer.h) unless a test sets another.
#include <QObject>
#include <QUrl>

#include <functional>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QMessageBox;

namespace spikelab::ui {

class HelpViewer;

class HelpMenu : public QObject {
    Q_OBJECT
public:
    // Builds the menu for `window`, whose docks must exist already.
    explicit HelpMenu(QMainWindow* window);

    QMenu* menu() const { return menu_; }
    QMenu* examplesMenu() const { return examples_; }
    QAction* aboutAction() const { return about_; }
    QAction* contextHelpAction() const { return contextHelp_; }

    // Replaces what opens help URLs (README.md#anchor); tests record them instead.
    using UrlOpener = std::function<bool(const QUrl&)>;
    void setUrlOpener(UrlOpener opener) { opener_ = std::move(opener); }

    // The README anchor for a dock (by its object name); the workbench section for others.
    static QString anchorForDock(const QString& dockName);
    // The dock F1 is about now (see above); null when there is none.
    QDockWidget* currentDock() const;
    // The URL F1 opens now: README.md#anchor; empty when no README is installed.
    QUrl contextHelpUrl() const;
    // The About box, once shown (it stays until closed).
    QMessageBox* aboutBox() const;

signals:
    // An example project was picked (from the menu or the folder's file dialog).
    void exampleChosen(const QString& path);

private:
    void showAbout();
    void showContextHelp();
    void fillExamples();
    bool openInViewer(const QUrl& url);

    QMainWindow* window_;
    QMenu* menu_ = nullptr;
    QMenu* examples_ = nullptr;
    QAction* about_ = nullptr;
    QAction* contextHelp_ = nullptr;
    HelpViewer* viewer_ = nullptr;
    UrlOpener opener_;
};

} // namespace spikelab::ui
