// Run-time compilation of generated C into a shared object, with an on-disk cache
// (docs/architecture.md, "The model language", "Compiled at run time").
//
// The cache folder holds, per entry `<slot>` (the key, or `<key>-2`, `<key>-3`, ... when keys
// collide): `<slot>.c`, a first line naming a digest of the object and then the source, and
// `<slot>.so`, the object. `<key>.lock` is flock()ed by whoever reads or writes the key's
// entries. Objects are compiled under a temporary name and renamed into place before their .c
// is written, so an entry whose .c exists is complete unless damaged, and the digest tells a
// damaged object before it is loaded.
#include "lang/jit.h"

#include "spikelab/fileio.h"
#include "spikelab/lang.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

extern char** environ;

namespace spikelab::lang {

namespace {

namespace fs = std::filesystem;
using Kind = JitError::Kind;

// neuron_abi.h and prelude.h as they were when SpikeLab was built (engine/CMakeLists.txt).
constexpr char kNeuronAbiText[] =
#include "neuron_abi_text.inc"
    ;
constexpr char kPreludeText[] =
#include "prelude_text.inc"
    ;

constexpr int kCompileSeconds = 120;
constexpr int kVersionSeconds = 30;
constexpr std::size_t kQuotedLines = 20;
constexpr std::size_t kMaxOutputBytes = 1 << 20; // of a compiler's messages, kept
constexpr std::size_t kMaxObjectBytes = std::size_t(256) << 20;
// Changes when what the cache holds changes meaning, so that old entries are not used.
constexpr std::string_view kCacheFormat = "spikelab jit cache 1";
constexpr std::string_view kEntryHeader = "/* spikelab jit object ";
constexpr std::string_view kEntryHeaderEnd = " */\n";

std::string errnoText(int err) {
    return std::generic_category().message(err);
}

std::string pathText(const fs::path& path) {
    return quote(path.string());
}

// 64-bit FNV-1a. Each part ends with its length, so that parts cannot run into each other.
class Hash {
public:
    Hash& part(std::string_view bytes) {
        add(bytes);
        const std::uint64_t size = bytes.size();
        char length[8];
        for (int b = 0; b < 8; ++b) length[b] = char(size >> (8 * b));
        add(std::string_view(length, sizeof length));
        return *this;
    }
    std::string hex() const {
        static const char digits[] = "0123456789abcdef";
        std::string out(16, '0');
        for (int i = 0; i < 16; ++i) out[std::size_t(15 - i)] = digits[(value_ >> (4 * i)) & 15];
        return out;
    }

private:
    void add(std::string_view bytes) {
        for (const char c : bytes) {
            value_ ^= static_cast<unsigned char>(c);
            value_ *= 0x100000001b3ull;
        }
    }
    std::uint64_t value_ = 0xcbf29ce484222325ull;
};

std::string digestOf(std::string_view bytes) {
    return Hash().part(bytes).hex();
}

// A file descriptor, closed on destruction.
class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// A path unlinked on destruction unless released.
class TemporaryFile {
public:
    explicit TemporaryFile(fs::path path) : path_(std::move(path)) {}
    ~TemporaryFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TemporaryFile(TemporaryFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const fs::path& path() const { return path_; }
    void release() { path_.clear(); }

private:
    fs::path path_;
};

// A name no other process or call uses: the process id and a per-process counter.
std::string uniqueSuffix() {
    static std::atomic<std::uint64_t> counter{0};
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// The first `count` bytes of a file and one more (enough to tell a longer file), or nothing
// when it does not exist. Throws CacheUnusable when it exists but cannot be read.
std::optional<std::string> readIfExists(const fs::path& path, std::size_t count) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) return std::nullopt;
        throw JitError(Kind::CacheUnusable,
                       "cannot read " + pathText(path) + ": " + errnoText(err));
    }
    Descriptor guard(fd);
    std::string bytes;
    char buffer[1 << 16];
    while (bytes.size() <= count) {
        const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, count + 1 - bytes.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            throw JitError(Kind::CacheUnusable,
                           "cannot read " + pathText(path) + ": " + errnoText(err));
        }
        if (n == 0) break;
        bytes.append(buffer, std::size_t(n));
    }
    return bytes;
}

// Writes a new file (it must not exist). Throws CacheUnusable.
void writeNewFile(const fs::path& path, std::string_view text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    auto fail = [&](int err) {
        throw JitError(Kind::CacheUnusable,
                       "cannot write " + pathText(path) + ": " + errnoText(err));
    };
    if (fd < 0) fail(errno);
    Descriptor guard(fd);
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::unlink(path.c_str());
            fail(err);
        }
        written += std::size_t(n);
    }
}

// ---- Running programs ---------------------------------------------------------------------

struct ProgramResult {
    int spawnError = 0; // errno of a program that could not be started
    bool timedOut = false;
    int status = -1;    // waitpid's; -1 when the program could not be waited for
    std::string output; // stdout and stderr, in the order written
};

// Runs argv[0] (looked up on PATH when it has no '/') without a shell: stdin from /dev/null,
// stdout and stderr into one pipe. Past `seconds` it is killed with its process group (the
// compiler's own children).
ProgramResult runProgram(const std::vector<std::string>& argv, int seconds) {
    ProgramResult result;
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        result.spawnError = errno;
        return result;
    }
    Descriptor readEnd(pipeFds[0]);
    pid_t pid = 0;
    {
        Descriptor writeEnd(pipeFds[1]);
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        result.spawnError =
            ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
        if (result.spawnError != 0) return result;
    }
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    char buffer[4096];
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            result.timedOut = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        pollfd ready{readEnd.get(), POLLIN, 0};
        const int polled = ::poll(&ready, 1, int(left));
        if (polled < 0 && errno != EINTR) break;
        if (polled <= 0) continue;
        const ssize_t n = ::read(readEnd.get(), buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break; // end of output: the program and its children are done with it
        result.output.append(
            buffer, std::min(std::size_t(n),
                             kMaxOutputBytes - std::min(kMaxOutputBytes, result.output.size())));
    }
    while (::waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
    }
    return result;
}

std::string exitText(int status) {
    if (status == -1) return "no exit status (waitpid failed)";
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

bool exitedWith(int status, int code) {
    return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

std::string firstLines(const std::string& text, std::size_t count) {
    std::size_t end = 0;
    for (std::size_t line = 0; line < count && end < text.size(); ++line) {
        const std::size_t next = text.find('\n', end);
        end = next == std::string::npos ? text.size() : next + 1;
    }
    std::string out = text.substr(0, end);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    if (end < text.size()) out += "\n(...)";
    return out;
}

// ---- The compiler and the machine ---------------------------------------------------------

JitError compilerMissing(const std::string& name, const std::string& problem) {
    return JitError(
        Kind::CompilerMissing,
        "compiler " + quote(name) + " " + problem +
            ": to run user models at full speed, install gcc (Debian: apt install gcc) or set "
            "SPIKELAB_CC to a C compiler");
}

bool isExecutableFile(const fs::path& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// The compiler's absolute path: `name` itself when it has a '/', else the first executable
// of that name on PATH. Throws CompilerMissing.
fs::path resolveCompiler(const std::string& name) {
    if (name.empty()) throw compilerMissing(name, "is not set");
    std::error_code ec;
    if (name.find('/') != std::string::npos) {
        const fs::path path = fs::absolute(name, ec);
        if (ec || !isExecutableFile(path)) throw compilerMissing(name, "is not an executable file");
        return path;
    }
    const char* search = std::getenv("PATH");
    const std::string dirs = search ? search : "/usr/local/bin:/usr/bin:/bin";
    for (std::size_t at = 0; at <= dirs.size();) {
        const std::size_t end = std::min(dirs.find(':', at), dirs.size());
        const std::string dir = dirs.substr(at, end - at);
        const fs::path path = fs::absolute(fs::path(dir.empty() ? "." : dir) / name, ec);
        if (!ec && isExecutableFile(path)) return path;
        at = end + 1;
    }
    throw compilerMissing(name, "not found on PATH");
}

struct Compiler {
    fs::path path;
    std::string identity; // the path and what `--version` prints
};

// The compiler `name` stands for now; `--version` runs once per process per compiler.
// Throws CompilerMissing.
const Compiler& compilerFor(const std::string& name) {
    const fs::path path = resolveCompiler(name);
    static std::mutex mutex;
    static std::map<fs::path, Compiler> known;
    const std::lock_guard lock(mutex);
    if (const auto it = known.find(path); it != known.end()) return it->second;
    const ProgramResult version = runProgram({path.string(), "--version"}, kVersionSeconds);
    if (version.spawnError != 0)
        throw compilerMissing(name, "cannot be started (" + path.string() + ": " +
                                        errnoText(version.spawnError) + ")");
    if (version.timedOut || !exitedWith(version.status, 0))
        throw compilerMissing(
            name, "does not run (" + path.string() + " --version: " +
                      (version.timedOut ? "no answer in " + std::to_string(kVersionSeconds) + " s"
                                        : exitText(version.status)) +
                      (version.output.empty() ? "" : ": " + firstLines(version.output, 3)) + ")");
    return known.emplace(path, Compiler{path, path.string() + "\n" + version.output}).first->second;
}

// What -march=native compiles for: the first "model name" and "flags" (x86) or "Features"
// (ARM) lines of /proc/cpuinfo.
const std::string& cpuIdentity() {
    static const std::string identity = [] {
        std::ifstream cpuinfo("/proc/cpuinfo");
        std::string out, line;
        for (const std::string key : {"model name", "flags", "Features"}) {
            cpuinfo.clear();
            cpuinfo.seekg(0);
            while (std::getline(cpuinfo, line)) {
                std::string name = line.substr(0, line.find(':'));
                while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                    name.pop_back();
                if (name == key) {
                    out += line + "\n";
                    break;
                }
            }
        }
        return out;
    }();
    return identity;
}

// Compiles `source` into `<folder>/.<stem>.so`, a name unique to this call, and returns it;
// the temporary source beside it is removed. Throws JitError.
TemporaryFile compileInto(const Compiler& compiler, const CompilerSettings& settings,
                          const std::string& source, const fs::path& folder,
                          const std::string& stem) {
    const std::string name = "." + stem + ".tmp-" + uniqueSuffix();
    const TemporaryFile sourceFile(folder / (name + ".c"));
    TemporaryFile object(folder / (name + ".so"));
    writeNewFile(sourceFile.path(), source);
    std::vector<std::string> argv{compiler.path.string()};
    argv.insert(argv.end(), settings.flags.begin(), settings.flags.end());
    argv.insert(argv.end(), {"-o", object.path().string(), sourceFile.path().string(), "-lm"});
    const ProgramResult run = runProgram(argv, kCompileSeconds);
    if (run.spawnError != 0)
        throw compilerMissing(settings.compiler, "cannot be started (" + compiler.path.string() +
                                                     ": " + errnoText(run.spawnError) + ")");
    if (run.timedOut)
        throw JitError(Kind::CompileFailed,
                       "compiling model code failed: " + quote(settings.compiler) +
                           " took longer than " + std::to_string(kCompileSeconds) +
                           " s and was stopped (" + sourceFile.path().string() + ")");
    if (exitedWith(run.status, 127))
        throw compilerMissing(settings.compiler,
                              "could not start a program it needs (exit status 127: " +
                                  firstLines(run.output, 3) + ")");
    if (!exitedWith(run.status, 0))
        throw JitError(Kind::CompileFailed,
                       "compiling model code failed (" + quote(settings.compiler) + ", " +
                           exitText(run.status) + "):\n" + firstLines(run.output, kQuotedLines));
    return object;
}

// ---- Loading ------------------------------------------------------------------------------

// The object at `path` loaded, with `symbol` looked up; nothing, and `problem` saying why,
// when it does not load or lacks the symbol.
std::optional<CompiledCode> load(const fs::path& path, const std::string& symbol,
                                 std::string& problem) {
    std::shared_ptr<const SharedObject> object;
    try {
        object = std::make_shared<const SharedObject>(path);
    } catch (const JitError& e) {
        problem = e.what();
        return std::nullopt;
    }
    void* address = object->symbol(symbol);
    if (!address) {
        problem = pathText(path) + " has no symbol " + quote(symbol);
        return std::nullopt;
    }
    CompiledCode code;
    code.object = std::move(object);
    code.symbol = address;
    return code;
}

// The object of a cache entry, loaded only when its bytes have the digest its .c recorded (a
// truncated or overwritten object must never reach dlopen).
std::optional<CompiledCode> loadEntry(const fs::path& path, const std::string& digest,
                                      const std::string& symbol, std::string& problem) {
    const auto bytes = readIfExists(path, kMaxObjectBytes);
    if (!bytes) {
        problem = pathText(path) + " is missing";
        return std::nullopt;
    }
    if (digestOf(*bytes) != digest) {
        problem = pathText(path) + " is damaged (its bytes are not those compiled)";
        return std::nullopt;
    }
    return load(path, symbol, problem);
}

// ---- The cache ----------------------------------------------------------------------------

// Creates `folder` and its missing parents with mode 0700. True when it is then a folder of
// this user that no one else may write into (else another user could plant code in it).
bool makePrivateFolder(const fs::path& folder) {
    if (folder.empty()) return false;
    fs::path partial;
    for (const auto& part : folder) {
        partial /= part;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    struct stat info {};
    return ::stat(folder.c_str(), &info) == 0 && S_ISDIR(info.st_mode) &&
           info.st_uid == ::geteuid() && (info.st_mode & 022) == 0;
}

// `<folder>/<key>.lock`, opened and locked (flock, released when closed); -1 when the folder
// cannot be used.
int lockKey(const fs::path& folder, const std::string& key) {
    if (!makePrivateFolder(folder)) return -1;
    const fs::path path = folder / (key + ".lock");
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return -1;
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ::close(fd);
            return -1;
        }
    }
    return fd;
}

std::string entryText(const std::string& digest, const std::string& source) {
    return std::string(kEntryHeader) + digest + std::string(kEntryHeaderEnd) + source;
}

// The object digest an entry's .c records when it holds `source`; nothing when it holds
// other code (a key collision) or is not an entry.
std::optional<std::string> digestFor(const std::string& text, const std::string& source) {
    const std::size_t header = kEntryHeader.size() + 16 + kEntryHeaderEnd.size();
    if (text.size() != header + source.size() ||
        text.compare(0, kEntryHeader.size(), kEntryHeader) != 0 ||
        text.compare(header - kEntryHeaderEnd.size(), kEntryHeaderEnd.size(), kEntryHeaderEnd) !=
            0 ||
        text.compare(header, std::string::npos, source) != 0)
        return std::nullopt;
    return text.substr(kEntryHeader.size(), 16);
}

// Under the key's lock: the entry holding `source`, loaded; else a new entry in the first
// free slot (a damaged one is removed and rebuilt in place, once).
CompiledCode fromCache(const Compiler& compiler, const CompilerSettings& settings,
                       const std::string& source, const std::string& symbol, const fs::path& folder,
                       const std::string& key) {
    for (int n = 1;; ++n) {
        const std::string slot = n == 1 ? key : key + "-" + std::to_string(n);
        const fs::path entryPath = folder / (slot + ".c");
        const fs::path objectPath = folder / (slot + ".so");
        std::string problem;
        if (const auto text = readIfExists(entryPath, kEntryHeader.size() + 16 +
                                                          kEntryHeaderEnd.size() + source.size())) {
            const auto digest = digestFor(*text, source);
            if (!digest) continue;
            if (auto code = loadEntry(objectPath, *digest, symbol, problem)) {
                code->fromCache = true;
                return *code;
            }
            ::unlink(entryPath.c_str());
            ::unlink(objectPath.c_str());
        }
        TemporaryFile object = compileInto(compiler, settings, source, folder, slot);
        const auto bytes = readIfExists(object.path(), kMaxObjectBytes);
        if (!bytes)
            throw JitError(Kind::CompileFailed,
                           "compiling model code failed: " + quote(settings.compiler) +
                               " wrote no " + pathText(object.path()));
        if (::rename(object.path().c_str(), objectPath.c_str()) != 0) {
            const int err = errno;
            throw JitError(Kind::CacheUnusable,
                           "cannot write " + pathText(objectPath) + ": " + errnoText(err));
        }
        object.release();
        const std::string digest = digestOf(*bytes);
        try {
            writeFileAtomic(entryPath.string(), entryText(digest, source));
        } catch (const Error& e) {
            throw JitError(Kind::CacheUnusable, e.what());
        }
        if (auto code = loadEntry(objectPath, digest, symbol, problem)) return *code;
        throw JitError(Kind::LoadFailed, "loading compiled model code failed: " + problem);
    }
}

// A folder made with mkdtemp under $TMPDIR, removed with its contents on destruction.
class PrivateFolder {
public:
    PrivateFolder() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern =
            (fs::path(tmp && *tmp ? tmp : "/tmp") / "spikelab-jit-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) {
            const int err = errno;
            throw JitError(Kind::CacheUnusable,
                           "cannot compile model code: no folder to compile in (" + quote(pattern) +
                               ": " + errnoText(err) + ")");
        }
        path_ = pattern;
    }
    ~PrivateFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    PrivateFolder(const PrivateFolder&) = delete;
    PrivateFolder& operator=(const PrivateFolder&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Compiles and loads without the cache. The object stays loaded after its folder is removed;
// its name is unique within the process, so dlopen never mistakes it for one loaded before.
CompiledCode compilePrivately(const Compiler& compiler, const CompilerSettings& settings,
                              const std::string& source, const std::string& symbol,
                              const std::string& key) {
    const PrivateFolder folder;
    const TemporaryFile object = compileInto(compiler, settings, source, folder.path(), key);
    std::string problem;
    if (auto code = load(object.path(), symbol, problem)) return *code;
    throw JitError(Kind::LoadFailed, "loading compiled model code failed: " + problem);
}

} // namespace

CompilerSettings compilerSettingsFromEnvironment() {
    CompilerSettings settings;
    const char* cc = std::getenv("SPIKELAB_CC");
    settings.compiler = cc && *cc ? cc : "cc";
    settings.flags = {"-O3",
                      "-march=native",
                      "-ffp-contract=off",
                      "-fno-trapping-math",
                      "-std=c99",
                      "-shared",
                      "-fPIC",
                      "-w"};
    // XDG: a relative $XDG_CACHE_HOME is to be ignored.
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    if (xdg && fs::path(xdg).is_absolute())
        settings.cacheDir = fs::path(xdg) / "spikelab" / "jit";
    else if (home && *home)
        settings.cacheDir = fs::path(home) / ".cache" / "spikelab" / "jit";
    return settings;
}

SharedObject::SharedObject(const std::filesystem::path& path) : path_(path) {
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
        const char* error = ::dlerror();
        throw JitError(Kind::LoadFailed,
                       "cannot load " + pathText(path) + ": " + (error ? error : "dlopen failed"));
    }
}

SharedObject::~SharedObject() {
    ::dlclose(handle_);
}

void* SharedObject::symbol(const std::string& name) const {
    return ::dlsym(handle_, name.c_str());
}

CompiledCode compileC(const std::string& source, const std::string& symbol,
                      const CompilerSettings& settings) {
    const auto start = std::chrono::steady_clock::now();
    const Compiler& compiler = compilerFor(settings.compiler);
    Hash hash;
    hash.part(kCacheFormat).part(source).part(compiler.identity).part(cpuIdentity());
    for (const auto& flag : settings.flags) hash.part(flag);
    const std::string key = hash.hex();

    // A cache folder that cannot be used (or written, found out on the way) is bypassed.
    std::optional<CompiledCode> cached;
    if (const int lock = lockKey(settings.cacheDir, key); lock >= 0) {
        const Descriptor unlockOnClose(lock);
        try {
            cached = fromCache(compiler, settings, source, symbol, settings.cacheDir, key);
        } catch (const JitError& e) {
            if (e.kind() != Kind::CacheUnusable) throw;
        }
    }
    CompiledCode code =
        cached ? *cached : compilePrivately(compiler, settings, source, symbol, key);
    code.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return code;
}

std::string cpuNeuronModuleSource(const CheckedNeuronModel& model, const std::string& function) {
    std::string out = kNeuronAbiText;
    out += "\n";
    out += kPreludeText;
    out += "\n";
    out += printCpuNeuronKernel(model, function);
    const std::string entry = "void " + function + "_entry(const struct SpikelabNeuronUpdate* a)";
    out += "\n" + entry + ";\n";
    out += "#if defined(__GNUC__)\n__attribute__((visibility(\"default\")))\n#endif\n";
    out += entry + " {\n    " + function + "(a);\n}\n";
    return out;
}

} // namespace spikelab::lang
