#include "app_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace spikelab::ui {

namespace {

// `installed` relative to the binary's folder when it exists there, else `inSource` in the
// source tree when that exists.
QString locate(const QString& installed, const QString& inSource) {
    const QDir bin(QCoreApplication::applicationDirPath());
    const QString beside = QDir::cleanPath(bin.filePath(installed));
    if (QFileInfo::exists(beside)) return beside;
    const QString source = QDir::cleanPath(QString(SPIKELAB_SOURCE_DIR) + "/" + inSource);
    return QFileInfo::exists(source) ? source : QString();
}

} // namespace

QString examplesFolder() {
    return locate(SPIKELAB_BIN_TO_DATA "/spikelab/projects", "projects");
}

QString defaultProject() {
    const QString folder = examplesFolder();
    return folder.isEmpty() ? QString() : folder + "/fashion-mnist-if/fashion-mnist-if.json";
}

QStringList exampleProjects(const QString& folder) {
    QStringList projects;
    if (folder.isEmpty()) return projects;
    const QDir root(folder);
    for (const QString& sub : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir dir(root.filePath(sub));
        for (const QString& file : dir.entryList({"*.json"}, QDir::Files, QDir::Name))
            projects << dir.filePath(file);
    }
    return projects;
}

QString readmeFile() {
    return locate(SPIKELAB_BIN_TO_DOC "/README.md", "README.md");
}

} // namespace spikelab::ui
