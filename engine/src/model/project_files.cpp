// Where a project may write, and who may write it at a time (see spikelab/project.h).
#include "spikelab/error.h"
#include "spikelab/project.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace spikelab {

namespace fs = std::filesystem;

std::string projectWritePath(const std::string& projectPath, const std::string& file,
                             const std::string& what) {
    const auto refuse = [&](const std::string& why) {
        return Error(what + ": the file " + quote(file) + " " + why +
                     "; SpikeLab writes a project's files only inside its folder (name one "
                     "there, such as a plain file name)");
    };
    const fs::path name(file);
    if (file.empty() || !name.has_filename()) throw refuse("names no file");
    if (name.is_absolute()) throw refuse("is an absolute path");
    for (const auto& part : name)
        if (part == "..") throw refuse("leads out of the project's folder with \"..\"");
    const fs::path dir = projectDir(projectPath);
    const fs::path target = dir / name;
    // Symbolic links along the way (or the file itself) may lead elsewhere: compare where
    // the path really ends with where the folder really is.
    std::error_code ec;
    const fs::path realDir = fs::weakly_canonical(dir, ec);
    const fs::path realTarget = ec ? fs::path() : fs::weakly_canonical(target, ec);
    if (ec) throw refuse("cannot be resolved (" + ec.message() + ")");
    const fs::path inside = realTarget.lexically_relative(realDir);
    if (inside.empty() || *inside.begin() == "..")
        throw refuse("leads, through a symbolic link, to " + quote(realTarget.string()));
    return target.string();
}

ProjectLock::ProjectLock(const std::string& projectPath) {
    // The folder, not a lock file beside the project: nothing is left behind, and the lock
    // does not follow a project file that a commit replaces by renaming.
    const std::string folder = projectDir(projectPath);
    fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) {
        const int err = errno;
        throw Error("project " + quote(projectPath) + ": cannot open its folder " + quote(folder) +
                    ": " + std::strerror(err));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK)
            throw Error("project " + quote(projectPath) + ": another SpikeLab command (train or "
                        "import) is rewriting a project in " + quote(folder) + " right now; try "
                        "again when it has finished");
        throw Error("project " + quote(projectPath) + ": cannot lock its folder " + quote(folder) +
                    ": " + std::strerror(err));
    }
}

ProjectLock::~ProjectLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

} // namespace spikelab
