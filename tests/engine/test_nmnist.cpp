// N-MNIST: decoding .bin recordings (every error with its byte offset), loading a split from
// folders, Train.zip / Test.zip and an outer archive (identical results), order, limits, the
// search path, and the real recordings in ../shared/data/nmnist when present.
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/fileio.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>

using namespace spikelab;
using namespace spikelab::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> encode(const std::vector<DvsEvent>& events) {
    std::vector<std::uint8_t> out;
    for (const DvsEvent& e : events) {
        out.push_back(e.x);
        out.push_back(e.y);
        out.push_back(std::uint8_t((e.on ? 0x80 : 0) | ((e.timeUs >> 16) & 0x7f)));
        out.push_back(std::uint8_t(e.timeUs >> 8));
        out.push_back(std::uint8_t(e.timeUs));
    }
    return out;
}

// A small generated data set: per split, files "<digit>/<stem>.bin" with recognisable events.
using Files = std::map<std::string, std::vector<std::uint8_t>>; // "Train/3/10.bin" -> bytes

Files makeFiles() {
    Files files;
    const std::vector<std::string> stems = {"00011", "2", "10", "7"};
    std::uint8_t seed = 1;
    for (const std::string split : {"Train", "Test"})
        for (int digit : {3, 0, 9}) {
            for (const std::string& stem : stems) {
                if (split == "Test" && stem == "7") continue;
                std::vector<DvsEvent> ev;
                for (int k = 0; k < 5 + seed % 7; ++k)
                    ev.push_back({std::uint32_t(k * 1000 + seed), std::uint8_t((seed + k) % 34),
                                  std::uint8_t((seed * 3 + k) % 34), (seed + k) % 2 == 0});
                files[split + "/" + std::to_string(digit) + "/" + stem + ".bin"] = encode(ev);
                ++seed;
            }
        }
    return files;
}

void writeFolders(const fs::path& root, const Files& files) {
    for (const auto& [name, bytes] : files) {
        fs::create_directories((root / name).parent_path());
        writeFileAtomic((root / name).string(), bytes);
    }
}

// Writes a zip with libzip; members are (name, bytes).
void writeZip(const std::string& path, const Files& members) {
    fs::create_directories(fs::path(path).parent_path());
    int code = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    ASSERT_NE(z, nullptr) << "zip_open " << code;
    for (const auto& [name, bytes] : members) {
        zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
        ASSERT_NE(src, nullptr);
        ASSERT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0) << zip_strerror(z);
    }
    ASSERT_EQ(zip_close(z), 0);
}

// Members of `files` whose name starts with `split` + "/", renamed with `prefix` in front of
// what follows the split folder ("Train/3/2.bin" -> prefix + "3/2.bin").
Files splitMembers(const Files& files, const std::string& split, const std::string& prefix) {
    Files out;
    for (const auto& [name, bytes] : files)
        if (name.rfind(split + "/", 0) == 0) out[prefix + name.substr(split.size() + 1)] = bytes;
    return out;
}

void expectSameSamples(const EventDataset& a, const EventDataset& b) {
    ASSERT_EQ(a.samples.size(), b.samples.size());
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
        EXPECT_EQ(a.samples[i].label, b.samples[i].label) << i;
        EXPECT_EQ(a.samples[i].events, b.samples[i].events) << i;
    }
}

} // namespace

TEST(NmnistParse, DecodesFields) {
    const std::vector<std::uint8_t> bytes = {5,  33, 0x80, 0x00, 0x01,  // ON, t = 1
                                             0,  0,  0x7f, 0xff, 0xff,  // OFF, t = 2^23-1
                                             33, 7,  0xff, 0xff, 0xff}; // ON, same time
    const auto events = parseNmnistEvents(bytes, "a.bin");
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0], (DvsEvent{1, 5, 33, true}));
    EXPECT_EQ(events[1], (DvsEvent{0x7fffff, 0, 0, false}));
    EXPECT_EQ(events[2], (DvsEvent{0x7fffff, 33, 7, true}));
    EXPECT_EQ(nmnistInputIndex(events[2]), 1156u + 7 * 34 + 33);
    EXPECT_TRUE(parseNmnistEvents({}, "empty.bin").empty());

    std::vector<DvsEvent> many;
    for (std::uint32_t i = 0; i < 1000; ++i)
        many.push_back({i * 300, std::uint8_t(i % 34), std::uint8_t(i / 34 % 34), i % 3 == 0});
    EXPECT_EQ(parseNmnistEvents(encode(many), "m.bin"), many);
}

TEST(NmnistParse, ErrorsNameFileAndOffset) {
    const std::vector<std::uint8_t> good = encode({{10, 1, 2, true}, {20, 3, 4, false}});
    auto err = [](std::vector<std::uint8_t> bytes) {
        return errorOf([&] { parseNmnistEvents(bytes, "dir/00042.bin"); });
    };
    std::vector<std::uint8_t> b = good;
    b.resize(7);
    EXPECT_EQ(err(b), "N-MNIST file \"dir/00042.bin\", byte offset 7: the length 7 is not a "
                      "multiple of 5 (5 bytes per event); the file is truncated");
    b = good;
    b[5] = 34;
    EXPECT_EQ(err(b), "N-MNIST file \"dir/00042.bin\", byte offset 5: x = 34 is outside the "
                      "34x34 sensor");
    b = good;
    b[6] = 200;
    EXPECT_EQ(err(b), "N-MNIST file \"dir/00042.bin\", byte offset 6: y = 200 is outside the "
                      "34x34 sensor");
    b = good;
    b[1] = 34;
    EXPECT_NE(err(b).find("byte offset 1: y = 34"), std::string::npos) << err(b);
    b = encode({{10, 1, 2, true}, {20, 3, 4, false}, {19, 0, 0, true}});
    EXPECT_EQ(err(b), "N-MNIST file \"dir/00042.bin\", byte offset 12: time 19 us is earlier "
                      "than the previous event's 20 us");
    // The polarity bit is not part of the time: OFF at 5 after ON at 6 goes backwards.
    b = encode({{6, 0, 0, true}, {5, 0, 0, false}});
    EXPECT_NE(err(b).find("byte offset 7: time 5 us"), std::string::npos) << err(b);
}

TEST(NmnistLoad, FoldersZipsAndNestedZipsGiveTheSameData) {
    TempDir tmp;
    const Files files = makeFiles();
    const fs::path folders = tmp.path() / "folders";
    writeFolders(folders, files);

    // The distributed layout: Train.zip holds Train/<digit>/<n>.bin.
    const fs::path zips = tmp.path() / "zips";
    fs::create_directories(zips);
    writeZip((zips / "Train.zip").string(), splitMembers(files, "Train", "Train/"));
    writeZip((zips / "Test.zip").string(), splitMembers(files, "Test", "Test/"));
    // Zips without the top-level folder.
    const fs::path flat = tmp.path() / "flat";
    fs::create_directories(flat);
    writeZip((flat / "Train.zip").string(), splitMembers(files, "Train", ""));
    writeZip((flat / "Test.zip").string(), splitMembers(files, "Test", ""));
    // The download: an outer archive holding both zips under a folder.
    const fs::path nested = tmp.path() / "nested";
    fs::create_directories(nested / "nmnist");
    writeZip((nested / "nmnist" / "468j46mzdv-1.zip").string(),
             {{"468j46mzdv-1/Train.zip", readFile((zips / "Train.zip").string())},
              {"468j46mzdv-1/Test.zip", readFile((zips / "Test.zip").string())},
              {"468j46mzdv-1/readme.txt", {'h', 'i'}}});
    // One archive holding the extracted folders, with macOS metadata that is ignored.
    const fs::path oneZip = tmp.path() / "all.zip";
    Files withMeta = files;
    withMeta["__MACOSX/Train/0/._2.bin"] = {0, 5, 0};
    withMeta["Test/3/._2.bin"] = {0, 5, 0};
    writeZip(oneZip.string(), withMeta);

    for (const std::string split : {"train", "test"}) {
        SCOPED_TRACE(split);
        const EventDataset ref = loadNmnist(split, folders.string());
        EXPECT_EQ(ref.split, split);
        EXPECT_EQ(ref.name, "nmnist");
        EXPECT_EQ(ref.root, folders.string());
        EXPECT_EQ(ref.samples.size(), split == "train" ? 12u : 9u);
        // Order: digit, then numeric stem.
        std::vector<std::string> order;
        for (const auto& s : ref.samples) order.push_back(fs::path(s.source).filename().string());
        if (split == "train") {
            EXPECT_EQ(order, (std::vector<std::string>{"2.bin", "7.bin", "10.bin", "00011.bin",
                                                       "2.bin", "7.bin", "10.bin", "00011.bin",
                                                       "2.bin", "7.bin", "10.bin", "00011.bin"}));
        } else {
            EXPECT_EQ(order,
                      (std::vector<std::string>{"2.bin", "10.bin", "00011.bin", "2.bin", "10.bin",
                                                "00011.bin", "2.bin", "10.bin", "00011.bin"}));
        }
        EXPECT_EQ(ref.samples.front().label, 0);
        EXPECT_EQ(ref.samples.back().label, 9);
        const std::string splitName = split == "train" ? "Train" : "Test";
        const Files::key_type firstName = splitName + "/0/2.bin";
        EXPECT_EQ(ref.samples.front().events, parseNmnistEvents(files.at(firstName), "x"));

        const EventDataset fromZips = loadNmnist(split, zips.string());
        expectSameSamples(ref, fromZips);
        EXPECT_EQ(fromZips.samples[0].source,
                  (zips / (splitName + ".zip")).string() + ":" + splitName + "/0/2.bin");
        expectSameSamples(ref, loadNmnist(split, flat.string()));
        expectSameSamples(ref, loadNmnist(split, (zips / (splitName + ".zip")).string()));
        const EventDataset fromNested = loadNmnist(split, nested.string()); // via nested/nmnist
        expectSameSamples(ref, fromNested);
        EXPECT_EQ(fromNested.samples[0].source, (nested / "nmnist" / "468j46mzdv-1.zip").string() +
                                                    ":468j46mzdv-1/" + splitName +
                                                    ".zip:" + splitName + "/0/2.bin");
        expectSameSamples(ref, loadNmnist(split, oneZip.string()));
    }
}

// The archive read from memory follows the file's rules: the name decides whether member
// names may lack the split folder, and an outer archive's inner Train.zip is found.
TEST(NmnistLoad, ArchiveBytesInMemoryGiveTheFileData) {
    TempDir tmp;
    const Files files = makeFiles();
    writeZip(tmp.file("Train.zip"), splitMembers(files, "Train", ""));
    writeZip(tmp.file("outer.zip"), {{"x/Train.zip", readFile(tmp.file("Train.zip"))}});
    const EventDataset fromFile = loadNmnist("train", tmp.file("Train.zip"));
    const EventDataset fromBytes =
        loadNmnistArchive(readFile(tmp.file("Train.zip")), "Train.zip", "train");
    expectSameSamples(fromFile, fromBytes);
    EXPECT_EQ(fromBytes.split, "train");
    EXPECT_EQ(fromBytes.root, "Train.zip");
    EXPECT_EQ(fromBytes.samples[0].source, "Train.zip:0/2.bin");
    expectSameSamples(fromFile,
                      loadNmnistArchive(readFile(tmp.file("outer.zip")), "o.zip", "train"));
    EXPECT_EQ(
        loadNmnistArchive(readFile(tmp.file("outer.zip")), "o.zip", "train", 3).samples.size(), 3u);
    // Under another name the flat members have no split folder, so nothing belongs to it.
    EXPECT_NE(errorOf([&] {
                  loadNmnistArchive(readFile(tmp.file("Train.zip")), "a.zip", "train");
              }).find("holds no .bin recordings"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  loadNmnistArchive({'P', 'K'}, "b.zip", "test");
              }).find("cannot be opened"),
              std::string::npos);
    EXPECT_NE(errorOf([&] { loadNmnistArchive({}, "b.zip", "valid"); }).find("unknown"),
              std::string::npos);
}

TEST(NmnistLoad, LimitKeepsTheFirstOfTheOrder) {
    TempDir tmp;
    const Files files = makeFiles();
    writeFolders(tmp.path(), files);
    writeZip(tmp.file("Test.zip"), splitMembers(files, "Test", "Test/"));
    fs::remove_all(tmp.path() / "Test");
    const EventDataset all = loadNmnist("train", tmp.path().string());
    const EventDataset five = loadNmnist("train", tmp.path().string(), 5);
    ASSERT_EQ(five.samples.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(five.samples[i].source, all.samples[i].source);
    EXPECT_EQ(five.samples[4].label, 3);
    EXPECT_EQ(loadNmnist("train", tmp.path().string(), 1000).samples.size(), 12u);
    const EventDataset test2 = loadNmnist("test", tmp.path().string(), 2);
    ASSERT_EQ(test2.samples.size(), 2u);
    EXPECT_EQ(test2.samples[1].source, tmp.file("Test.zip") + ":Test/0/10.bin");
    EXPECT_NE(errorOf([&] { loadNmnist("train", tmp.path().string(), -1); }).find("negative"),
              std::string::npos);
}

TEST(NmnistLoad, Errors) {
    TempDir tmp;
    Files files = makeFiles();
    EXPECT_EQ(errorOf([&] { loadNmnist("valid", tmp.path().string()); }),
              "N-MNIST split \"valid\" is unknown (expected \"train\" or \"test\")");

    const std::string missing = errorOf([&] { loadNmnist("train", tmp.path().string()); });
    EXPECT_NE(missing.find("not found"), std::string::npos) << missing;
    EXPECT_NE(missing.find(quote(tmp.path().string())), std::string::npos) << missing;
    EXPECT_NE(missing.find(quote((tmp.path() / "nmnist").string())), std::string::npos);
    EXPECT_NE(missing.find("spikelab-cli fetch nmnist"), std::string::npos) << missing;
    EXPECT_NE(missing.find("Train.zip"), std::string::npos) << missing;

    writeFolders(tmp.path() / "a", files);
    fs::create_directories(tmp.path() / "a" / "Train" / "ten");
    EXPECT_EQ(errorOf([&] { loadNmnist("train", (tmp.path() / "a").string()); }),
              "N-MNIST folder " + quote((tmp.path() / "a" / "Train" / "ten").string()) +
                  ": not a digit folder 0-9 (labels come from the folder names)");

    fs::remove_all(tmp.path() / "a" / "Train" / "ten");
    writeFileAtomic((tmp.path() / "a" / "Train" / "5.bin").string(), encode({{1, 1, 1, true}}));
    EXPECT_EQ(errorOf([&] { loadNmnist("train", (tmp.path() / "a").string()); }),
              "N-MNIST file " + quote((tmp.path() / "a" / "Train" / "5.bin").string()) +
                  " is not inside a digit folder 0-9, so it has no label");

    files["Train/x/1.bin"] = encode({{1, 1, 1, true}});
    writeZip(tmp.file("Train.zip"), files);
    EXPECT_EQ(errorOf([&] { loadNmnist("train", tmp.file("Train.zip")); }),
              "archive " + quote(tmp.file("Train.zip")) +
                  ": member \"Train/x/1.bin\" is not inside a digit folder 0-9 directly under "
                  "Train/, so it has no label");

    Files bad = {{"Test/4/1.bin", encode({{5, 1, 1, true}})},
                 {"Test/4/2.bin", {1, 2, 3, 4, 5, 1, 40, 0, 0, 9}}};
    writeZip(tmp.file("bad.zip"), bad);
    EXPECT_EQ(errorOf([&] { loadNmnist("test", tmp.file("bad.zip")); }),
              "N-MNIST file " + quote(tmp.file("bad.zip") + ":Test/4/2.bin") +
                  ", byte offset 6: y = 40 is outside the 34x34 sensor");
    EXPECT_NE(errorOf([&] { loadNmnist("train", tmp.file("bad.zip")); }).find("holds no .bin"),
              std::string::npos);

    writeFileAtomic(tmp.file("junk.zip"), std::string("not a zip"));
    EXPECT_NE(errorOf([&] {
                  loadNmnist("test", tmp.file("junk.zip"));
              }).find("archive " + quote(tmp.file("junk.zip")) + " cannot be opened"),
              std::string::npos);

    const fs::path two = tmp.path() / "two";
    fs::create_directories(two);
    writeZip((two / "a.zip").string(), bad);
    writeZip((two / "b.zip").string(), bad);
    EXPECT_NE(errorOf([&] { loadNmnist("test", two.string()); }).find("several archives"),
              std::string::npos);
}

// A zip member that inflates to more than any recording (a "zip bomb": 20 MiB of zeros
// compress to some 20 KB) is refused before it is inflated; so is an oversized .bin file.
TEST(NmnistLoad, OversizedRecordingsAreRefusedBeforeTheyAreRead) {
    TempDir tmp;
    const Files bomb = {{"Test/0/1.bin", std::vector<std::uint8_t>(std::size_t(20) << 20, 0)}};
    writeZip(tmp.file("Test.zip"), bomb);
    EXPECT_LT(fs::file_size(tmp.file("Test.zip")), std::uintmax_t(1) << 20);
    EXPECT_EQ(errorOf([&] { loadNmnist("test", tmp.file("Test.zip")); }),
              "archive " + quote(tmp.file("Test.zip")) + ": member \"Test/0/1.bin\" cannot be read: "
              "it inflates to 20 MiB, more than the 16 MiB a recording may hold");
    writeFolders(tmp.path() / "folder", bomb);
    EXPECT_EQ(errorOf([&] { loadNmnist("test", (tmp.path() / "folder").string()); }),
              "N-MNIST file " + quote((tmp.path() / "folder" / "Test" / "0" / "1.bin").string()) +
                  " holds 20 MiB, more than the 16 MiB a recording may hold");
}

// Seen with fuzz_nmnist_zip (a seed whose size field was changed by hand): an outer archive of
// 200 bytes whose inner Train.zip claims nearly 4 GiB (within the bound an inner archive may
// have) made the reader allocate and zero all of it before inflating a byte. Memory must follow
// the data that actually inflates, so this runs under a 256 MiB address-space limit and ends
// in the archive's own error.
TEST(NmnistLoad, AMemberThatClaimsGigabytesIsNotAllocatedBeforeItIsRead) {
    TempDir tmp;
    writeZip(tmp.file("Train.zip"), {{"Train/5/7.bin", std::vector<std::uint8_t>(10, 1)}});
    writeZip(tmp.file("outer.zip"), {{"x/Train.zip", readFile(tmp.file("Train.zip"))}});
    std::vector<std::uint8_t> bytes = readFile(tmp.file("outer.zip"));
    // The uncompressed size of the one member, in its local header (offset 22) and in the
    // central directory entry (offset 24).
    auto setSize = [&](const std::array<std::uint8_t, 4>& signature, std::size_t field) {
        const auto at = std::search(bytes.begin(), bytes.end(), signature.begin(), signature.end());
        ASSERT_NE(at, bytes.end());
        const std::size_t offset = std::size_t(at - bytes.begin()) + field;
        ASSERT_LE(offset + 4, bytes.size());
        for (int i = 0; i < 4; ++i)
            bytes[offset + std::size_t(i)] = std::uint8_t(0xFFFFFF00u >> (8 * i));
    };
    setSize({'P', 'K', 3, 4}, 22);
    setSize({'P', 'K', 1, 2}, 24);
    ASSERT_LT(bytes.size(), 400u);
    std::string message;
    {
        const AddressSpaceLimit limit(std::int64_t(256) << 20);
        message = errorOf([&] { loadNmnistArchive(bytes, "o.zip", "train"); });
    }
    EXPECT_EQ(message, "archive \"o.zip\": member \"x/Train.zip\" cannot be read: the member is "
                       "shorter than its size");
}

TEST(NmnistLoad, UsesTheSearchPath) {
    TempDir tmp;
    const Files files = makeFiles();
    writeZip((tmp.path() / "data" / "nmnist" / "Test.zip").string(),
             splitMembers(files, "Test", "Test/"));
    struct Env {
        std::string name;
        std::optional<std::string> old;
    };
    std::vector<Env> saved;
    for (const char* name : {"SPIKELAB_DATA", "XDG_DATA_HOME"}) {
        const char* v = std::getenv(name);
        saved.push_back({name, v ? std::optional<std::string>(v) : std::nullopt});
    }
    ::setenv("SPIKELAB_DATA", (tmp.path() / "data").c_str(), 1);
    ::setenv("XDG_DATA_HOME", (tmp.path() / "xdg").c_str(), 1);
    EventDataset ds;
    std::string missing;
    try {
        ds = loadNmnist("test", std::nullopt);
        missing = errorOf([] { loadNmnist("train", std::nullopt); });
    } catch (const Error& e) {
        missing = std::string("unexpected: ") + e.what();
    }
    for (const Env& e : saved) {
        if (e.old)
            ::setenv(e.name.c_str(), e.old->c_str(), 1);
        else
            ::unsetenv(e.name.c_str());
    }
    EXPECT_EQ(ds.samples.size(), 9u);
    EXPECT_EQ(ds.root, (tmp.path() / "data" / "nmnist").string());
    EXPECT_NE(
        missing.find(quote((tmp.path() / "xdg" / "spikelab" / "datasets" / "nmnist").string())),
        std::string::npos)
        << missing;
}

TEST(NmnistShared, RealRecordings) {
    SPIKELAB_REQUIRE_SHARED("nmnist/Train");
    SPIKELAB_REQUIRE_SHARED("nmnist/Test");
    const fs::path root = sharedDataDir() / "nmnist";
    for (const std::string split : {"train", "test"}) {
        const std::string splitName = split == "train" ? "Train" : "Test";
        const auto start = std::chrono::steady_clock::now();
        const EventDataset ds = loadNmnist(split, root.string());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ASSERT_EQ(ds.samples.size(), split == "train" ? 1000u : 100u);
        std::vector<std::size_t> perDigit(10, 0), onDisk(10, 0);
        for (int d = 0; d < 10; ++d)
            for (const auto& entry : fs::directory_iterator(root / splitName / std::to_string(d)))
                onDisk[std::size_t(d)] += entry.path().extension() == ".bin";
        std::int64_t events = 0, minEvents = INT64_MAX, maxEvents = 0;
        std::uint32_t maxTime = 0;
        int previousLabel = 0;
        for (const EventSample& s : ds.samples) {
            ASSERT_GE(s.label, previousLabel);
            previousLabel = s.label;
            ++perDigit[std::size_t(s.label)];
            const std::int64_t n = std::int64_t(s.events.size());
            events += n;
            minEvents = std::min(minEvents, n);
            maxEvents = std::max(maxEvents, n);
            for (const DvsEvent& e : s.events) {
                ASSERT_LT(e.x, 34);
                ASSERT_LT(e.y, 34);
            }
            ASSERT_FALSE(s.events.empty());
            maxTime = std::max(maxTime, s.events.back().timeUs);
        }
        EXPECT_EQ(perDigit, onDisk);
        EXPECT_GE(minEvents, 1000);
        EXPECT_LE(maxEvents, 20000);
        EXPECT_LE(maxTime, 336040u);
        EXPECT_GT(maxTime, 250000u);
        std::printf("[ nmnist ] %s: %zu samples, %lld events (%lld..%lld per sample), "
                    "latest %u us, read in %.3f s\n",
                    split.c_str(), ds.samples.size(), static_cast<long long>(events),
                    static_cast<long long>(minEvents), static_cast<long long>(maxEvents), maxTime,
                    seconds);
    }
    // Train/0 first: its files in numeric order.
    const EventDataset first = loadNmnist("train", root.string(), 2);
    EXPECT_EQ(fs::path(first.samples[0].source).filename(), "00002.bin");
    EXPECT_EQ(fs::path(first.samples[1].source).filename(), "00022.bin");
}
