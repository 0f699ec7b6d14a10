#pragma once
// Project files: one JSON document ("format": "spikelab-project", "version": N) holding a
// NetworkSpec; large weight matrices may live in sidecar .npy files named relative to it.
// Reading is strict: unknown keys, wrong types and bad values are errors naming the file and
// the item. Writing is deterministic (save, load, save gives the same bytes) and atomic.
//
// Format versions: 1, the first; 2 adds the optional canvas "position" of populations and
// inputs and the optional top-level "provenance". Older files are migrated on load (see
// migrateProjectJson in project_json.cpp); newer ones are refused with the version this build
// reads. Files are always written in the current version.
#include "spikelab/network.h"

#include <cstdint>
#include <string>

namespace spikelab {

inline constexpr int kProjectFormatVersion = 3;
inline constexpr const char* kProjectFormatName = "spikelab-project";

// The JSON text of a spec (2-space indented, trailing newline).
std::string projectToJson(const NetworkSpec& spec);
// The deepest nesting of arrays and objects a project file (or any JSON SpikeLab reads) may
// have; real projects nest 4 deep.
inline constexpr int kMaxJsonDepth = 64;
// The largest project file read (an exported network holds its weights inline as text).
inline constexpr std::int64_t kMaxProjectFileBytes = std::int64_t(1) << 30;

// Refuses, before any value is built, JSON nested deeper than kMaxJsonDepth and objects that
// hold a key twice (reading is strict: the last one would silently win), naming `what` and
// the place ("populations[1].params"). Syntax errors are left to the parse proper.
void checkJsonStructure(const std::string& text, const std::string& what);
// Parses and validates; `what` (usually the file name) prefixes every message.
NetworkSpec projectFromJson(const std::string& text, const std::string& what);

NetworkSpec loadProject(const std::string& path);
void saveProject(const std::string& path, const NetworkSpec& spec);

// The folder relative paths inside a project file are resolved against.
std::string projectDir(const std::string& projectPath);

// Where the project at `projectPath` may write `file` (a weight file as the project names
// it): the path inside the project's folder. A received project must not make SpikeLab
// overwrite files elsewhere, so an absolute path, a ".." step and a symbolic link that leads
// out of the folder are refused with an Error naming `what` and the file.
std::string projectWritePath(const std::string& projectPath, const std::string& file,
                             const std::string& what);

// Held while a command rewrites a project and its weight files (train, import): a second one
// on the same project, from this process or another, is refused at once with a message
// instead of tearing the first one's result. An advisory lock (flock) on the project's folder,
// so two such commands on projects in one folder also take turns; it goes with the process if
// the process dies.
class ProjectLock {
public:
    explicit ProjectLock(const std::string& projectPath);
    ~ProjectLock();
    ProjectLock(const ProjectLock&) = delete;
    ProjectLock& operator=(const ProjectLock&) = delete;

private:
    int fd_ = -1;
};

} // namespace spikelab
