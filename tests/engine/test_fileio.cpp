// readFile, gzip inflation and writeFileAtomic (never a half-written target, no temp files left).
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace spikelab;
using namespace spikelab::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> bytesOf(const std::string& s) {
    return {s.begin(), s.end()};
}

void writeRaw(const std::string& path, std::span<const std::uint8_t> bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<std::string> folderEntries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = std::uint8_t((i * 7 + i / 251) % 256);
    return v;
}

} // namespace

TEST(FileIo, ReadFileErrorsNameThePath) {
    TempDir dir;
    const auto missing = dir.file("absent.bin");
    EXPECT_NE(errorOf([&] { readFile(missing); }).find(quote(missing)), std::string::npos);
    const auto folderMsg = errorOf([&] { readFile(dir.path().string()); });
    EXPECT_NE(folderMsg.find("is a folder"), std::string::npos) << folderMsg;
}

TEST(FileIo, AtomicWriteRoundTripsBinaryAndText) {
    TempDir dir;
    const auto bin = pattern(100000);
    writeFileAtomic(dir.file("a.bin"), bin);
    EXPECT_EQ(readFile(dir.file("a.bin")), bin);
    writeFileAtomic(dir.file("b.txt"), std::string("hello\0world", 11));
    EXPECT_EQ(readFile(dir.file("b.txt")), bytesOf(std::string("hello\0world", 11)));
    writeFileAtomic(dir.file("empty"), std::string());
    EXPECT_TRUE(readFile(dir.file("empty")).empty());
    EXPECT_EQ(folderEntries(dir.path()), (std::vector<std::string>{"a.bin", "b.txt", "empty"}));
}

TEST(FileIo, AtomicWriteReplacesContentAndKeepsTheMode) {
    TempDir dir;
    const auto path = dir.file("p.json");
    writeFileAtomic(path, std::string("old content that is longer"));
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    writeFileAtomic(path, std::string("new"));
    EXPECT_EQ(readFile(path), bytesOf("new"));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
    EXPECT_EQ(folderEntries(dir.path()), std::vector<std::string>{"p.json"});
}

TEST(FileIo, AtomicWriteIntoAMissingFolderFailsCleanly) {
    TempDir dir;
    const auto path = (dir.path() / "no" / "such" / "x.json").string();
    const auto msg = errorOf([&] { writeFileAtomic(path, std::string("x")); });
    EXPECT_NE(msg.find(quote(path)), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(dir.path() / "no"));
    EXPECT_TRUE(folderEntries(dir.path()).empty());
}

TEST(FileIo, AtomicWriteOverAFolderFailsAndLeavesItAlone) {
    TempDir dir;
    fs::create_directory(dir.path() / "sub");
    writeFileAtomic(dir.file("sub/keep"), std::string("kept"));
    const auto msg = errorOf([&] { writeFileAtomic(dir.file("sub"), std::string("x")); });
    EXPECT_NE(msg.find("sub"), std::string::npos) << msg;
    EXPECT_EQ(readFile(dir.file("sub/keep")), bytesOf("kept"));
    EXPECT_EQ(folderEntries(dir.path()), std::vector<std::string>{"sub"});
}

TEST(FileIo, AtomicWriteThatFailsMidwayKeepsTheOldFile) {
    TempDir dir;
    const auto path = dir.file("w.npy");
    writeFileAtomic(path, std::string("previous"));
    // A file size limit makes write() fail with EFBIG after the temp file exists.
    rlimit old{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
    rlimit small = old;
    small.rlim_cur = 1000;
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    const auto msg = errorOf([&] { writeFileAtomic(path, pattern(5000)); });
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);
    EXPECT_NE(msg.find(quote(path)), std::string::npos) << msg;
    EXPECT_EQ(readFile(path), bytesOf("previous"));
    EXPECT_EQ(folderEntries(dir.path()), std::vector<std::string>{"w.npy"});
}

TEST(FileIo, GzipIsDetectedByContent) {
    TempDir dir;
    const auto data = pattern(300000);
    writeRaw(dir.file("plain.bin"), data);
    writeRaw(dir.file("packed.bin"), gzipBytes(data)); // no .gz suffix on purpose
    EXPECT_EQ(readFileMaybeGzip(dir.file("plain.bin")), data);
    EXPECT_EQ(readFileMaybeGzip(dir.file("packed.bin")), data);
    writeRaw(dir.file("empty"), {});
    EXPECT_TRUE(readFileMaybeGzip(dir.file("empty")).empty());
}

TEST(FileIo, GunzipHandlesConcatenatedMembersAndEmptyContent) {
    auto a = gzipBytes(bytesOf("first "));
    const auto b = gzipBytes(bytesOf("second"));
    a.insert(a.end(), b.begin(), b.end());
    EXPECT_EQ(gunzip(a, "mem"), bytesOf("first second"));
    EXPECT_TRUE(gunzip(gzipBytes({}), "mem").empty());
}

TEST(FileIo, GunzipRejectsTruncatedCorruptAndTrailingData) {
    const auto gz = gzipBytes(pattern(5000));
    const std::vector<std::uint8_t> cut(gz.begin(), gz.begin() + std::ptrdiff_t(gz.size() / 2));
    auto msg = errorOf([&] { gunzip(cut, "blob \"x\""); });
    EXPECT_EQ(msg.rfind("blob \"x\": truncated gzip data", 0), 0u) << msg;
    const std::vector<std::uint8_t> noTrailer(gz.begin(), gz.end() - 4);
    EXPECT_NE(errorOf([&] { gunzip(noTrailer, "t"); }).find("truncated"), std::string::npos);

    auto badCrc = gz;
    badCrc[badCrc.size() - 6] ^= 0xff; // inside the CRC32 of the trailer
    msg = errorOf([&] { gunzip(badCrc, "c"); });
    EXPECT_NE(msg.find("corrupt gzip data"), std::string::npos) << msg;

    auto junk = gz;
    junk.push_back('x');
    msg = errorOf([&] { gunzip(junk, "j"); });
    EXPECT_NE(msg.find("1 unexpected bytes after the end"), std::string::npos) << msg;

    EXPECT_NE(errorOf([&] { gunzip(std::vector<std::uint8_t>{}, "e"); }).find("empty"),
              std::string::npos);
    EXPECT_NE(errorOf([&] { gunzip(bytesOf("not gzip at all"), "n"); }).find("corrupt"),
              std::string::npos);
}

TEST(FileIo, TruncatedGzipFileNamesThePath) {
    TempDir dir;
    const auto gz = gzipBytes(pattern(20000));
    writeRaw(dir.file("d.gz"), std::vector<std::uint8_t>(gz.begin(), gz.begin() + 100));
    const auto msg = errorOf([&] { readFileMaybeGzip(dir.file("d.gz")); });
    EXPECT_EQ(msg.rfind("file " + quote(dir.file("d.gz")) + ": truncated gzip data", 0), 0u) << msg;
}
