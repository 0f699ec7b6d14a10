#pragma once
// Where the workbench finds the files it ships with: the example projects and the README.
//
// An installed binary (PREFIX/bin/spikelab) finds them where `cmake --install` puts them,
// relative to itself: PREFIX/share/spikelab/projects and PREFIX/share/doc/spikelab/README.md,
// so a prefix can be moved or unpacked anywhere. A binary run from the build tree has no such
// folders beside it and uses the source tree it was built from. Empty strings when neither
// exists (a binary copied away alone): callers say so instead of guessing.
#include <QString>
#include <QStringList>

namespace spikelab::ui {

// The folder holding one sub-folder per example project.
QString examplesFolder();
// The project the workbench opens without an argument: Fashion-MNIST, whose data Debian
// packages (docs/architecture.md, "Data sets").
QString defaultProject();
// The example projects under `folder`: each sub-folder's .json files, sorted by path.
QStringList exampleProjects(const QString& folder);
// README.md, the user's manual (F1 opens its sections).
QString readmeFile();

} // namespace spikelab::ui
