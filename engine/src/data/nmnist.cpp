// N-MNIST recordings: decoding .bin files, and loading a split from extracted folders, from the
// distributed Train.zip / Test.zip, or from an outer archive that holds them (read from memory).
#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/fileio.h"

#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

namespace spikelab {

namespace fs = std::filesystem;

namespace {
// The largest recording read: a real one is some 20 KB (4,000 events of 5 bytes); a member
// whose header claims more is refused before anything is inflated (a "zip bomb").
constexpr std::int64_t kMaxRecordingBytes = std::int64_t(16) << 20;
} // namespace

std::vector<DvsEvent> parseNmnistEvents(std::span<const std::uint8_t> bytes,
                                        const std::string& what) {
    const std::size_t n = bytes.size();
    auto fail = [&](std::size_t offset, const std::string& message) {
        throw Error("N-MNIST file " + quote(what) + ", byte offset " + std::to_string(offset) +
                    ": " + message);
    };
    if (n % 5 != 0)
        fail(n, "the length " + std::to_string(n) +
                    " is not a multiple of 5 (5 bytes per event); the file is truncated");
    std::vector<DvsEvent> events(n / 5);
    const std::uint8_t* b = bytes.data();
    std::uint32_t previous = 0;
    for (std::size_t i = 0, off = 0; off < n; ++i, off += 5) {
        const std::uint8_t x = b[off], y = b[off + 1], hi = b[off + 2];
        const std::uint32_t t =
            (std::uint32_t(hi & 0x7f) << 16) | (std::uint32_t(b[off + 3]) << 8) | b[off + 4];
        if (x >= kNmnistSize || y >= kNmnistSize || t < previous) [[unlikely]] {
            if (x >= kNmnistSize)
                fail(off, "x = " + std::to_string(x) + " is outside the 34x34 sensor");
            if (y >= kNmnistSize)
                fail(off + 1, "y = " + std::to_string(y) + " is outside the 34x34 sensor");
            fail(off + 2, "time " + std::to_string(t) +
                              " us is earlier than the previous event's " +
                              std::to_string(previous) + " us");
        }
        previous = t;
        events[i] = DvsEvent{t, x, y, (hi & 0x80) != 0};
    }
    return events;
}

namespace {

// One .bin recording found in a folder or archive, before it is read.
struct Member {
    int label = 0;
    std::string stem;        // file name without ".bin"
    std::string locator;     // file path, or member name inside the archive
    std::uint64_t index = 0; // archive member's index
};

// Numeric stems first, by value (leading zeros ignored), then by name; other stems by name.
bool stemLess(const std::string& a, const std::string& b) {
    auto numeric = [](const std::string& s) {
        return !s.empty() &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool na = numeric(a), nb = numeric(b);
    if (na != nb) return na;
    if (na) {
        const std::string_view va =
            std::string_view(a).substr(std::min(a.find_first_not_of('0'), a.size()));
        const std::string_view vb =
            std::string_view(b).substr(std::min(b.find_first_not_of('0'), b.size()));
        if (va.size() != vb.size()) return va.size() < vb.size();
        if (va != vb) return va < vb;
    }
    return a < b;
}

void sortAndLimit(std::vector<Member>& members, std::int64_t limit) {
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
        if (a.label != b.label) return a.label < b.label;
        return stemLess(a.stem, b.stem);
    });
    if (limit > 0 && std::size_t(limit) < members.size()) members.resize(std::size_t(limit));
}

bool isDigitName(const std::string& name) {
    return name.size() == 1 && name[0] >= '0' && name[0] <= '9';
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> splitPath(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t slash = name.find('/', start);
        const std::size_t end = slash == std::string::npos ? name.size() : slash;
        if (end > start) parts.push_back(name.substr(start, end - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return parts;
}

bool isMacMetadata(const std::vector<std::string>& parts) {
    for (const auto& p : parts)
        if (p == "__MACOSX" || p.rfind("._", 0) == 0) return true;
    return false;
}

// ---- folders ----------------------------------------------------------------------------------

struct DirEntry {
    fs::path path;
    bool directory = false, file = false;
};

// The entries of `dir`; an Error naming it when it cannot be read.
std::vector<DirEntry> listDir(const fs::path& dir) {
    std::vector<DirEntry> entries;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeEc;
        entries.push_back({it->path(), it->is_directory(typeEc), it->is_regular_file(typeEc)});
    }
    if (ec)
        throw Error("N-MNIST folder " + quote(dir.string()) + " cannot be read: " + ec.message());
    return entries;
}

std::vector<Member> listFolder(const fs::path& splitDir) {
    std::vector<Member> members;
    std::vector<fs::path> labelDirs;
    for (const DirEntry& entry : listDir(splitDir)) {
        const std::string name = entry.path.filename().string();
        if (name.rfind('.', 0) == 0 || name == "__MACOSX") continue;
        if (entry.directory) {
            if (!isDigitName(name))
                throw Error("N-MNIST folder " + quote(entry.path.string()) +
                            ": not a digit folder 0-9 (labels come from the folder names)");
            labelDirs.push_back(entry.path);
        } else if (endsWith(name, ".bin")) {
            throw Error("N-MNIST file " + quote(entry.path.string()) +
                        " is not inside a digit folder 0-9, so it has no label");
        }
    }
    for (const fs::path& dir : labelDirs) {
        const int label = dir.filename().string()[0] - '0';
        for (const DirEntry& entry : listDir(dir)) {
            const std::string name = entry.path.filename().string();
            if (!endsWith(name, ".bin") || name.rfind("._", 0) == 0 || !entry.file) continue;
            members.push_back({label, name.substr(0, name.size() - 4), entry.path.string()});
        }
    }
    return members;
}

// Reads a whole file into `buffer` (reused between files to save allocations).
void readInto(const std::string& path, std::vector<std::uint8_t>& buffer) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw Error("cannot open N-MNIST file " + quote(path));
    // Read straight into the buffer, sized from the file (grown if the file is longer, up to
    // kMaxRecordingBytes).
    std::error_code ec;
    const std::uintmax_t expected = fs::file_size(path, ec);
    if (!ec && expected > std::uintmax_t(kMaxRecordingBytes))
        throw Error("N-MNIST file " + quote(path) + " holds " + byteSize(std::int64_t(expected)) +
                    ", more than the " + byteSize(kMaxRecordingBytes) + " a recording may hold");
    std::size_t size = 0;
    buffer.resize(ec ? std::size_t(1) << 16 : std::size_t(expected) + 1);
    for (;;) {
        size += std::fread(buffer.data() + size, 1, buffer.size() - size, f.get());
        if (size < buffer.size() || std::ferror(f.get())) break;
        if (buffer.size() > std::size_t(kMaxRecordingBytes))
            throw Error("N-MNIST file " + quote(path) + " holds more than " +
                        byteSize(kMaxRecordingBytes) + ", the most a recording may hold");
        buffer.resize(buffer.size() * 2);
    }
    if (std::ferror(f.get())) throw Error("cannot read N-MNIST file " + quote(path));
    buffer.resize(size);
}

// ---- archives ---------------------------------------------------------------------------------

// A zip archive opened from a file or from bytes in memory (which it keeps alive).
class ZipArchive {
public:
    ZipArchive(const std::string& path, std::string name) : name_(std::move(name)) {
        int code = 0;
        zip_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
        if (!zip_) failOpen(code);
    }
    ZipArchive(std::vector<std::uint8_t> bytes, std::string name)
        : name_(std::move(name)), bytes_(std::move(bytes)) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
        if (source) {
            zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
            if (!zip_) zip_source_free(source);
        }
        const std::string message = zip_error_strerror(&error);
        zip_error_fini(&error);
        if (!zip_) throw Error("archive " + quote(name_) + " cannot be opened: " + message);
    }
    ~ZipArchive() {
        if (zip_) zip_discard(zip_);
    }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    const std::string& name() const { return name_; }

    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        const zip_int64_t count = zip_get_num_entries(zip_, 0);
        names.reserve(std::size_t(std::max<zip_int64_t>(count, 0)));
        for (zip_int64_t i = 0; i < count; ++i) {
            const char* entry = zip_get_name(zip_, zip_uint64_t(i), ZIP_FL_ENC_RAW);
            names.emplace_back(entry ? entry : "");
        }
        return names;
    }

    // Reads member `index` (named `member` in errors) into `buffer`; a member larger than
    // `maxBytes` is refused before it is inflated (libzip checks that the inflated data
    // matches the size it declares, so the declared size bounds the memory). The buffer grows
    // with the data that actually inflates, never to the declared size at once: that size is
    // only a claim, and a 200-byte archive may claim a 4 GiB member (seen with fuzz_nmnist_zip).
    void read(std::uint64_t index, const std::string& member, std::vector<std::uint8_t>& buffer,
              std::int64_t maxBytes, const char* kind) const {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
            fail(member, zip_strerror(zip_));
        if (st.size > zip_uint64_t(maxBytes))
            fail(member, "it inflates to " + byteSize(std::int64_t(std::min<zip_uint64_t>(st.size, INT64_MAX))) +
                             ", more than the " + byteSize(maxBytes) + " " + kind + " may hold");
        zip_file_t* file = zip_fopen_index(zip_, index, 0);
        if (!file) fail(member, zip_strerror(zip_));
        constexpr zip_uint64_t kChunk = 1 << 20;
        buffer.clear();
        std::string message;
        while (buffer.size() < st.size) {
            const std::size_t done = buffer.size();
            const zip_uint64_t want = std::min<zip_uint64_t>(kChunk, st.size - done);
            buffer.resize(done + std::size_t(want));
            const zip_int64_t got = zip_fread(file, buffer.data() + done, want);
            if (got < 0) message = zip_file_strerror(file);
            buffer.resize(done + std::size_t(std::max<zip_int64_t>(got, 0)));
            if (got <= 0) break;
        }
        zip_fclose(file);
        if (!message.empty()) fail(member, message);
        if (buffer.size() != st.size) fail(member, "the member is shorter than its size");
    }

private:
    [[noreturn]] void failOpen(int code) const {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const std::string message = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw Error("archive " + quote(name_) + " cannot be opened: " + message);
    }
    [[noreturn]] void fail(const std::string& member, const std::string& message) const {
        throw Error("archive " + quote(name_) + ": member " + quote(member) +
                    " cannot be read: " + message);
    }

    std::string name_;
    std::vector<std::uint8_t> bytes_;
    zip_t* zip_ = nullptr;
};

// The .bin members of `zip` that belong to the split folder `splitName` ("Train"): either
// ".../Train/<digit>/<stem>.bin", or, when `anyPrefix` (the archive is Train.zip itself),
// ".../<digit>/<stem>.bin". Throws when a .bin member of the split sits in a non-digit folder.
std::vector<Member> listArchive(const ZipArchive& zip, const std::string& splitName,
                                bool anyPrefix) {
    std::vector<Member> members;
    const std::vector<std::string> entries = zip.entries();
    for (std::size_t index = 0; index < entries.size(); ++index) {
        const std::string& entry = entries[index];
        if (!endsWith(entry, ".bin")) continue;
        const std::vector<std::string> parts = splitPath(entry);
        if (parts.empty() || isMacMetadata(parts)) continue;
        const std::size_t n = parts.size();
        if (!anyPrefix && std::find(parts.begin(), parts.end() - 1, splitName) == parts.end() - 1)
            continue; // not under a folder named like the split
        const bool labelled = n >= 2 && isDigitName(parts[n - 2]) &&
                              (anyPrefix || (n >= 3 && parts[n - 3] == splitName));
        if (!labelled)
            throw Error("archive " + quote(zip.name()) + ": member " + quote(entry) +
                        " is not inside a digit folder 0-9 directly under " +
                        (anyPrefix ? "the split" : splitName + "/") + ", so it has no label");
        const std::string& file = parts.back();
        members.push_back(
            {parts[parts.size() - 2][0] - '0', file.substr(0, file.size() - 4), entry, index});
    }
    return members;
}

// The members named "<splitName>.zip" at any depth (not macOS metadata), with their indices.
std::vector<std::pair<std::uint64_t, std::string>> nestedZips(const ZipArchive& zip,
                                                              const std::string& splitName) {
    std::vector<std::pair<std::uint64_t, std::string>> found;
    const std::vector<std::string> entries = zip.entries();
    for (std::size_t index = 0; index < entries.size(); ++index) {
        const std::vector<std::string> parts = splitPath(entries[index]);
        if (!parts.empty() && !isMacMetadata(parts) && parts.back() == splitName + ".zip")
            found.emplace_back(index, entries[index]);
    }
    return found;
}

EventDataset readMembers(std::vector<Member> members, std::int64_t limit, const std::string& where,
                         const std::function<void(const Member&, std::vector<std::uint8_t>&)>& read,
                         const std::function<std::string(const Member&)>& source) {
    if (members.empty()) throw Error("N-MNIST: " + where + " holds no .bin recordings");
    sortAndLimit(members, limit);
    EventDataset ds;
    ds.samples.resize(members.size());
    std::vector<std::uint8_t> buffer;
    buffer.reserve(1 << 16);
    for (std::size_t i = 0; i < members.size(); ++i) {
        read(members[i], buffer);
        EventSample& s = ds.samples[i];
        s.source = source(members[i]);
        s.events = parseNmnistEvents(buffer, s.source);
        s.label = members[i].label;
    }
    return ds;
}

EventDataset loadArchiveSplit(const ZipArchive& zip, const std::string& splitName,
                              std::int64_t limit, int depth) {
    const std::size_t cut = zip.name().find_last_of("/:");
    const bool isSplitZip =
        zip.name().substr(cut == std::string::npos ? 0 : cut + 1) == splitName + ".zip";
    std::vector<Member> members = listArchive(zip, splitName, false);
    if (members.empty() && isSplitZip) members = listArchive(zip, splitName, true);
    if (members.empty() && depth == 0) {
        const auto inner = nestedZips(zip, splitName);
        if (inner.size() > 1)
            throw Error("archive " + quote(zip.name()) + " holds several " + splitName +
                        ".zip members (" + quote(inner[0].second) + ", " + quote(inner[1].second) +
                        "); keep one");
        if (inner.size() == 1) {
            std::vector<std::uint8_t> bytes;
            zip.read(inner[0].first, inner[0].second, bytes, kMaxReadBytes, "an inner archive");
            const ZipArchive nested(std::move(bytes), zip.name() + ":" + inner[0].second);
            return loadArchiveSplit(nested, splitName, limit, depth + 1);
        }
    }
    const std::string where = "archive " + quote(zip.name()) + " (no " + splitName + "/<digit>/" +
                              "*.bin and no " + splitName + ".zip inside)";
    return readMembers(
        std::move(members), limit, where,
        [&](const Member& m, std::vector<std::uint8_t>& buffer) {
            zip.read(m.index, m.locator, buffer, kMaxRecordingBytes, "a recording");
        },
        [&](const Member& m) { return zip.name() + ":" + m.locator; });
}

EventDataset loadFolderSplit(const fs::path& splitDir, std::int64_t limit) {
    return readMembers(
        listFolder(splitDir), limit, "folder " + quote(splitDir.string()),
        [](const Member& m, std::vector<std::uint8_t>& buffer) { readInto(m.locator, buffer); },
        [](const Member& m) { return m.locator; });
}

bool isDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}
bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Loads the split from `folder` when it holds it in one of the accepted forms.
std::optional<EventDataset> loadFromFolder(const fs::path& folder, const std::string& splitName,
                                           std::int64_t limit) {
    if (isDir(folder / splitName)) return loadFolderSplit(folder / splitName, limit);
    if (isFile(folder / (splitName + ".zip"))) {
        const std::string path = (folder / (splitName + ".zip")).string();
        return loadArchiveSplit(ZipArchive(path, path), splitName, limit, 0);
    }
    std::vector<std::string> outer;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (endsWith(name, ".zip") && name != "Train.zip" && name != "Test.zip" &&
            name.rfind('.', 0) != 0 && isFile(it->path()))
            outer.push_back(it->path().string());
    }
    if (outer.empty()) return std::nullopt;
    std::sort(outer.begin(), outer.end());
    if (outer.size() > 1)
        throw Error("N-MNIST: folder " + quote(folder.string()) + " holds several archives (" +
                    quote(outer[0]) + ", " + quote(outer[1]) + (outer.size() > 2 ? ", ..." : "") +
                    "); keep only the N-MNIST one");
    return loadArchiveSplit(ZipArchive(outer[0], outer[0]), splitName, limit, 0);
}

// "Train" or "Test", the folder and archive name of `split`; checks `limit` too.
std::string splitFolderName(const std::string& split, std::int64_t limit) {
    std::string name;
    if (split == "train")
        name = "Train";
    else if (split == "test")
        name = "Test";
    else
        throw Error("N-MNIST split " + quote(split) +
                    " is unknown (expected \"train\" or \"test\")");
    if (limit < 0) throw Error("N-MNIST: sample limit " + std::to_string(limit) + " is negative");
    return name;
}

} // namespace

EventDataset loadNmnistArchive(std::vector<std::uint8_t> bytes, const std::string& name,
                               const std::string& split, std::int64_t limit) {
    const std::string splitName = splitFolderName(split, limit);
    const ZipArchive zip(std::move(bytes), name);
    EventDataset ds = loadArchiveSplit(zip, splitName, limit, 0);
    ds.split = split;
    ds.root = name;
    return ds;
}

EventDataset loadNmnist(const std::string& split, const std::optional<std::string>& path,
                        std::int64_t limit) {
    const std::string splitName = splitFolderName(split, limit);

    auto finish = [&](EventDataset ds, const std::string& root) {
        ds.split = split;
        ds.root = root;
        return ds;
    };
    std::vector<std::string> folders;
    if (path && !path->empty()) {
        if (isFile(*path)) {
            const ZipArchive zip(*path, *path);
            return finish(loadArchiveSplit(zip, splitName, limit, 0), *path);
        }
        folders = {fs::path(*path).lexically_normal().string(),
                   (fs::path(*path) / "nmnist").lexically_normal().string()};
    } else {
        folders = datasetSearchPath("nmnist", std::nullopt);
    }
    for (const std::string& folder : folders) {
        if (!isDir(folder)) continue;
        if (auto ds = loadFromFolder(folder, splitName, limit))
            return finish(std::move(*ds), folder);
    }
    std::string searched;
    for (const auto& f : folders) searched += (searched.empty() ? "" : ", ") + quote(f);
    throw DatasetNotFound("nmnist", "data set \"nmnist\" (" + split + " split) not found: no " + splitName +
                "/ folder, " + splitName + ".zip or N-MNIST archive in " + searched +
                "; put the extracted Train/ and Test/ folders, or Train.zip and Test.zip, or the "
                "downloaded archive that holds them into one of these folders, run "
                "`spikelab-cli fetch nmnist`, or pass --data DIR");
}

} // namespace spikelab
