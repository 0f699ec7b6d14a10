#pragma once
// Self-contained exports: one project file that carries everything a trained network needs,
// for sharing it. An export is an ordinary project file (loadProject opens it as it is) in
// which
// - every .npy weight matrix is written inline, one value per synapse in the order inline
//   weights use (dense: pre-major; sparse: the listed synapses; fixed probability: the
//   generated synapses by pre, then post). Each float32 is written as the double it converts
//   to, so it reads back bit for bit;
// - a data set path relative to the project is dropped: the other machine finds the data set
//   by name (an absolute path stays);
// - the provenance, positions and every parameter stay as they are.
// An input that reads a file (an EventReplay blocklist) is refused with the input named: the
// project format has no inline form for it.
//
// importSelfContained turns an export back into a project for editing: dense and one-to-one
// inline weight lists longer than kSidecarWeightThreshold values go to float32 sidecar files
// named <projection>.npy beside the new project (or <projection>-2.npy, -3... when that name
// is taken: an import never replaces a file it did not make);
// shorter ones, and sparse and fixed-probability ones (whose .npy would be a dense pre x post
// matrix), stay inline. project -> export -> import compiles to bit-identical weights.
#include "spikelab/network.h"

#include <cstddef>
#include <string>

namespace spikelab {

inline constexpr std::size_t kSidecarWeightThreshold = 4096;

// The JSON text of the export of `spec`, whose relative files are resolved against the folder
// of projectPath. Throws spikelab::Error naming the projection or input that cannot be
// exported (a missing or misshapen weight file, a blocklist file).
std::string exportSelfContained(const NetworkSpec& spec, const std::string& projectPath);
// The same, written atomically to outPath.
void exportSelfContainedFile(const NetworkSpec& spec, const std::string& projectPath,
                             const std::string& outPath);

// Reads an export and writes it as a project at newProjectPath: the sidecar files and the
// project file together or not at all (FileSet), under the project's lock (ProjectLock). A
// file that still refers to other files (npy weights, a blocklist) is refused, naming it and
// the item.
void importSelfContained(const std::string& exportedPath, const std::string& newProjectPath);

} // namespace spikelab
