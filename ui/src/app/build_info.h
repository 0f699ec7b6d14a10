#pragma once
// What was built: the version, the commit, the build options and the compiler, for
// Help -> About and for bug reports. The commit is looked up at every build
// (cmake/git_hash.cmake), so it names what is running, with "-dirty" when the tree had
// uncommitted changes and "unknown" outside a git checkout.
#include <QString>

namespace spikelab::ui {

struct BuildInfo {
    QString version;   // the project's version, from CMakeLists.txt
    QString gitHash;   // abbreviated commit, maybe with "-dirty"; "unknown" without git
    QString buildType; // Release, Debug, ...
    QString compiler;  // the C++ compiler and its version
    // The CUDA backend: "not built", "built (nvcc V, GPUs A)" or "emulated device (tests)".
    QString cuda;
    bool hasCuda = false;
    QString qtVersion; // the Qt the binary runs with
};

BuildInfo buildInfo();

// The About box's text (rich text): everything above plus whether this machine can run the
// CUDA backend now, and why not.
QString aboutText(const BuildInfo& info);

} // namespace spikelab::ui
