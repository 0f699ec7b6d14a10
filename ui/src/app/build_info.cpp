#include "build_info.h"

#include "spikelab_git.h"

#include "spikelab/backend.h"

#include <algorithm>

namespace spikelab::ui {

BuildInfo buildInfo() {
    BuildInfo info;
    info.version = SPIKELAB_VERSION;
    info.gitHash = SPIKELAB_GIT_HASH;
    info.buildType = SPIKELAB_BUILD_TYPE;
#if defined(__clang__)
    info.compiler = QString("Clang %1.%2.%3").arg(__clang_major__).arg(__clang_minor__)
                        .arg(__clang_patchlevel__);
#elif defined(__GNUC__)
    info.compiler = QString("GCC %1.%2.%3").arg(__GNUC__).arg(__GNUC_MINOR__).arg(__GNUC_PATCHLEVEL__);
#else
    info.compiler = "an unknown compiler";
#endif
#if defined(SPIKELAB_CUDA_EMULATION)
    info.cuda = "emulated device (a test build)";
    info.hasCuda = true;
#elif defined(SPIKELAB_HAVE_CUDA)
    info.cuda = QString("built (nvcc %1, GPU architectures %2)")
                    .arg(SPIKELAB_CUDA_VERSION, SPIKELAB_CUDA_ARCHITECTURES);
    info.hasCuda = true;
#else
    info.cuda = "not built";
#endif
    info.qtVersion = qVersion();
    return info;
}

QString aboutText(const BuildInfo& info) {
    // Whether the GPU entry of Simulation -> Backend can run here.
    QString gpu = "CPU only: this build has no CUDA backend";
    if (info.hasCuda) {
        const auto kinds = availableBackends();
        gpu = std::find(kinds.begin(), kinds.end(), "cuda") != kinds.end()
                  ? "a CUDA GPU is usable"
                  : "no usable CUDA GPU: networks run on the CPU";
    }
    return QString("<h3>SpikeLab %1</h3>"
                   "<p>A workbench for spiking neural networks.</p>"
                   "<table>"
                   "<tr><td>Version</td><td>%1</td></tr>"
                   "<tr><td>Commit</td><td>%2</td></tr>"
                   "<tr><td>Build</td><td>%3</td></tr>"
                   "<tr><td>Compiler</td><td>%4</td></tr>"
                   "<tr><td>CUDA backend</td><td>%5</td></tr>"
                   "<tr><td>On this machine</td><td>%6</td></tr>"
                   "<tr><td>Qt</td><td>%7</td></tr>"
                   "</table>")
        .arg(info.version.toHtmlEscaped(), info.gitHash.toHtmlEscaped(),
             info.buildType.toHtmlEscaped(), info.compiler.toHtmlEscaped(),
             info.cuda.toHtmlEscaped(), gpu.toHtmlEscaped(), info.qtVersion.toHtmlEscaped());
}

} // namespace spikelab::ui
