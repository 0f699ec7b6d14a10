// spikelab-cli export / import: a project as one self-contained file and back.
#include "commands.h"

#include "spikelab/export.h"
#include "spikelab/project.h"

#include <cstdio>
#include <filesystem>

namespace spikelab::cli {

int exportCommand(const Arguments& args) {
    exportSelfContainedFile(loadProject(args.project), args.project, args.output);
    std::printf("exported %s to %s (%.1f MB, weights inline)\n", args.project.c_str(),
                args.output.c_str(), double(std::filesystem::file_size(args.output)) / 1e6);
    return 0;
}

int importCommand(const Arguments& args) {
    importSelfContained(args.project, args.output);
    std::string sidecars;
    for (const auto& j : loadProject(args.output).projections)
        if (j.weights.type == WeightInitType::Npy) sidecars += " " + j.weights.file;
    std::printf("imported %s as %s (weight files:%s)\n", args.project.c_str(), args.output.c_str(),
                sidecars.empty() ? " none" : sidecars.c_str());
    return 0;
}

} // namespace spikelab::cli
