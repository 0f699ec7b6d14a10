// Data set downloads against the local test server (http_test_server.h): no network is used.
#include "http_test_server.h"
#include "test_support.h"

#include "spikelab/download.h"
#include "spikelab/error.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace spikelab {
namespace {

namespace fs = std::filesystem;
using test::HttpTestServer;
using test::TempDir;
using test::testBytes;
using Mode = HttpTestServer::Mode;
using Bytes = std::vector<std::uint8_t>;

std::string md5(const Bytes& b) {
    return md5Hex(b.data(), b.size());
}

Bytes readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const fs::path& p, const Bytes& b) {
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

class Download : public ::testing::Test {
protected:
    void SetUp() override {
        // A proxy from the environment must not see the requests to 127.0.0.1.
        ::setenv("no_proxy", "127.0.0.1", 1);
        ::setenv("NO_PROXY", "127.0.0.1", 1);
        small = testBytes(5000, 2);
        what.dataset = "testset";
        what.files = {{"big.bin", md5(big), big.size(), "", {}},
                      {"small.bin", md5(small), 0, "", {}}};
        options.dir = (dir.path() / "target").string();
        options.connectTimeoutSeconds = 5;
        options.progress = [this](const DownloadProgress& p) { progress[p.file].push_back(p); };
    }
    // Serves both files under /<prefix>/ in `mode`.
    void serveAll(const std::string& prefix, Mode mode = Mode::Normal) {
        server.serve("/" + prefix + "/big.bin", big, mode);
        server.serve("/" + prefix + "/small.bin", small, mode);
    }
    fs::path target(const std::string& name) const { return fs::path(options.dir) / name; }
    void expectMonotonicToEnd(const std::string& file, std::uint64_t size) {
        const auto& calls = progress[file];
        ASSERT_FALSE(calls.empty()) << file;
        for (std::size_t i = 1; i < calls.size(); ++i)
            EXPECT_GE(calls[i].done, calls[i - 1].done) << file << " call " << i;
        EXPECT_EQ(calls.back().done, size);
        EXPECT_EQ(calls.back().total, size);
    }

    TempDir dir;
    HttpTestServer server;
    Bytes big = testBytes(300000, 1), small;
    DatasetDownload what;
    DownloadOptions options;
    std::map<std::string, std::vector<DownloadProgress>> progress;
};

TEST(DownloadMd5, KnownVectors) {
    EXPECT_EQ(md5Hex("", 0), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5Hex("abc", 3), "900150983cd24fb0d6963f7d28e17f72");
    TempDir dir;
    writeAll(dir.path() / "abc", Bytes{'a', 'b', 'c'});
    EXPECT_EQ(md5OfFile(dir.file("abc")), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_THROW(md5OfFile(dir.file("missing")), Error);
}

TEST(DownloadKnown, DatasetsFilesAndDigests) {
    std::map<std::string, const DatasetDownload*> byName;
    for (const auto& d : knownDownloads()) byName[d.dataset] = &d;
    ASSERT_EQ(byName.size(), 3u);
    ASSERT_TRUE(byName.count("mnist") && byName.count("fashion-mnist") && byName.count("nmnist"));
    EXPECT_EQ(byName["mnist"]->files.size(), 4u);
    EXPECT_EQ(byName["fashion-mnist"]->files.size(), 4u);
    EXPECT_EQ(byName["nmnist"]->files.size(), 2u);
    std::map<std::string, std::string> mnist;
    for (const auto& f : byName["mnist"]->files) mnist[f.name] = f.md5;
    EXPECT_EQ(mnist["t10k-images-idx3-ubyte.gz"], "9fb629c4189551a2d022fa330f9573f3");
    EXPECT_EQ(mnist["t10k-labels-idx1-ubyte.gz"], "ec29112dd5afa0611ce80d1b7f02629c");
    for (const auto& d : knownDownloads()) {
        for (const auto& m : d.mirrors) EXPECT_EQ(m.back(), '/') << m;
        for (const auto& f : d.files) {
            EXPECT_FALSE(d.mirrors.empty() && f.urls.empty()) << f.name;
            for (const std::string* digest : {&f.md5, &f.contentMd5}) {
                if (digest == &f.contentMd5 && digest->empty()) continue;
                EXPECT_EQ(digest->size(), 32u) << f.name;
                EXPECT_EQ(digest->find_first_not_of("0123456789abcdef"), std::string::npos);
            }
        }
    }
    EXPECT_THROW(fetchDataset("cifar", {}), Error);
}

TEST_F(Download, FetchesEveryFileWithProgress) {
    serveAll("m");
    options.mirrors = {server.url("m")}; // no trailing '/': added
    const DownloadResult r = fetchFiles(what, options);
    EXPECT_EQ(r.dir, options.dir);
    EXPECT_FALSE(r.alreadyPresent);
    EXPECT_EQ(r.downloaded, (std::vector<std::string>{"big.bin", "small.bin"}));
    EXPECT_EQ(readAll(target("big.bin")), big);
    EXPECT_EQ(readAll(target("small.bin")), small);
    EXPECT_FALSE(fs::exists(target("big.bin.part")));
    expectMonotonicToEnd("big.bin", big.size());
    expectMonotonicToEnd("small.bin", small.size());
    for (const auto& request : server.requests()) EXPECT_EQ(request.range, "");
    EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(Download, ResumesAPartialFileWithARangeRequest) {
    serveAll("m");
    options.mirrors = {server.url("m/")};
    fs::create_directories(options.dir);
    writeAll(target("big.bin.part"), Bytes(big.begin(), big.begin() + 100000));
    fetchFiles(what, options);
    EXPECT_EQ(readAll(target("big.bin")), big);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].path, "/m/big.bin");
    EXPECT_EQ(requests[0].range, "bytes=100000-");
    ASSERT_FALSE(progress["big.bin"].empty());
    EXPECT_GE(progress["big.bin"].front().done, 100000u); // the resumed bytes count as done
    expectMonotonicToEnd("big.bin", big.size());
}

TEST_F(Download, ACompletePartIsPlacedWithoutDownloadingAgain) {
    serveAll("m");
    options.mirrors = {server.url("m/")};
    fs::create_directories(options.dir);
    writeAll(target("big.bin.part"), big);     // size known: checked without a request
    writeAll(target("small.bin.part"), small); // size unknown: the server answers 416
    const DownloadResult r = fetchFiles(what, options);
    EXPECT_EQ(r.downloaded, (std::vector<std::string>{"big.bin", "small.bin"}));
    EXPECT_EQ(readAll(target("big.bin")), big);
    EXPECT_EQ(readAll(target("small.bin")), small);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/m/small.bin");
    EXPECT_EQ(requests[0].range, "bytes=5000-");
    expectMonotonicToEnd("big.bin", big.size());
    expectMonotonicToEnd("small.bin", small.size());
}

TEST_F(Download, StartsAgainWhenTheServerIgnoresTheRange) {
    serveAll("m", Mode::IgnoreRange);
    options.mirrors = {server.url("m/")};
    fs::create_directories(options.dir);
    writeAll(target("big.bin.part"), Bytes(1000, 0xAA)); // not even the right bytes
    fetchFiles(what, options);
    EXPECT_EQ(readAll(target("big.bin")), big);
    EXPECT_EQ(server.requests()[0].range, "bytes=1000-");
    EXPECT_EQ(progress["big.bin"].back().done, big.size());
}

TEST_F(Download, ChecksumMismatchMovesOnToTheNextMirror) {
    serveAll("bad", Mode::Corrupt);
    serveAll("good");
    options.mirrors = {server.url("bad/"), server.url("good/")};
    fetchFiles(what, options);
    EXPECT_EQ(readAll(target("big.bin")), big);
    EXPECT_EQ(readAll(target("small.bin")), small);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[0].path, "/bad/big.bin");
    EXPECT_EQ(requests[1].path, "/good/big.bin");
    EXPECT_EQ(requests[1].range, ""); // the corrupt download was deleted, not resumed
}

TEST_F(Download, ChecksumMismatchEverywhereIsAnErrorAndLeavesNoFile) {
    serveAll("bad", Mode::Corrupt);
    options.mirrors = {server.url("bad/")};
    try {
        fetchFiles(what, options);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("\"testset\""), std::string::npos) << message;
        EXPECT_NE(message.find("\"big.bin\""), std::string::npos) << message;
        EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << message;
        EXPECT_NE(message.find(server.url("bad/big.bin")), std::string::npos) << message;
    }
    EXPECT_FALSE(fs::exists(target("big.bin")));
    EXPECT_FALSE(fs::exists(target("big.bin.part")));
}

TEST_F(Download, NotFoundOnTheFirstMirrorFallsBackToTheSecond) {
    serveAll("second");
    options.mirrors = {server.url("first/"), server.url("second/")};
    fetchFiles(what, options);
    EXPECT_EQ(readAll(target("small.bin")), small);
    EXPECT_EQ(server.requests().size(), 4u);

    // Nowhere to be found: the message names each mirror and what it answered.
    what.files = {{"none.bin", md5(small), 0, "", {}}};
    try {
        fetchFiles(what, options);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(server.url("first/none.bin") + ": HTTP 404"), std::string::npos)
            << message;
        EXPECT_NE(message.find(server.url("second/none.bin") + ": HTTP 404"), std::string::npos)
            << message;
    }
    EXPECT_FALSE(fs::exists(target("none.bin")));
}

TEST_F(Download, CutOffTransferIsResumedFromTheNextMirror) {
    serveAll("cut", Mode::Truncate);
    serveAll("good");
    options.mirrors = {server.url("cut/"), server.url("good/")};
    fetchFiles(what, options);
    EXPECT_EQ(readAll(target("big.bin")), big);
    const auto requests = server.requests();
    ASSERT_GE(requests.size(), 2u);
    EXPECT_EQ(requests[0].path, "/cut/big.bin");
    EXPECT_EQ(requests[1].path, "/good/big.bin");
    EXPECT_EQ(requests[1].range, "bytes=" + std::to_string(big.size() / 2) + "-");
    expectMonotonicToEnd("big.bin", big.size());
}

TEST_F(Download, CutOffEverywhereKeepsThePartForNextTime) {
    serveAll("cut", Mode::Truncate);
    options.mirrors = {server.url("cut/")};
    EXPECT_THROW(fetchFiles(what, options), Error);
    EXPECT_FALSE(fs::exists(target("big.bin")));
    EXPECT_EQ(fs::file_size(target("big.bin.part")), big.size() / 2);
}

TEST_F(Download, CancellationKeepsThePartAndLeavesNoFinalFile) {
    serveAll("slow", Mode::Stall);
    options.mirrors = {server.url("slow/")};
    bool sawBytes = false;
    options.progress = [&](const DownloadProgress& p) { sawBytes = sawBytes || p.done > 0; };
    options.cancelled = [&] { return sawBytes; };
    try {
        fetchFiles(what, options);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(target("big.bin")));
    ASSERT_TRUE(fs::exists(target("big.bin.part")));
    EXPECT_GT(fs::file_size(target("big.bin.part")), 0u);
    EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(Download, VerifiedFilesAreNotFetchedAgain) {
    serveAll("m");
    options.mirrors = {server.url("m/")};
    fs::create_directories(options.dir);
    writeAll(target("big.bin"), big);
    writeAll(target("small.bin"), small);
    DownloadResult r = fetchFiles(what, options);
    EXPECT_TRUE(r.alreadyPresent);
    EXPECT_TRUE(r.downloaded.empty());
    EXPECT_TRUE(server.requests().empty());

    // A damaged copy is replaced; the verified one stays.
    writeAll(target("small.bin"), Bytes(small.size(), 0));
    r = fetchFiles(what, options);
    EXPECT_FALSE(r.alreadyPresent);
    EXPECT_EQ(r.downloaded, std::vector<std::string>{"small.bin"});
    EXPECT_EQ(readAll(target("small.bin")), small);
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.requests()[0].path, "/m/small.bin");
}

TEST_F(Download, UnpackedFoldersCountAsPresent) {
    what.unpackedFolders = {"Train", "Test"};
    options.mirrors = {server.url("m/")};
    fs::create_directories(target("Train"));
    fs::create_directories(target("Test"));
    EXPECT_TRUE(fetchFiles(what, options).alreadyPresent);
    EXPECT_TRUE(server.requests().empty());
}

// A gzip member holding `content` in one stored deflate block, with or without a file name.
Bytes gzipStored(const Bytes& content, const std::string& name) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::uint8_t byte : content) {
        crc ^= byte;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc = ~crc;
    Bytes out = {0x1f, 0x8b, 8, std::uint8_t(name.empty() ? 0 : 8), 0, 0, 0, 0, 0, 3};
    for (char c : name) out.push_back(std::uint8_t(c));
    if (!name.empty()) out.push_back(0);
    const auto n = std::uint16_t(content.size());
    for (std::uint8_t b : {std::uint8_t(1), std::uint8_t(n), std::uint8_t(n >> 8), std::uint8_t(~n),
                           std::uint8_t(std::uint16_t(~n) >> 8)})
        out.push_back(b);
    out.insert(out.end(), content.begin(), content.end());
    for (std::uint32_t v : {crc, std::uint32_t(content.size())})
        for (int k = 0; k < 4; ++k) out.push_back(std::uint8_t(v >> (8 * k)));
    return out;
}

TEST_F(Download, RecompressedOrUnpackedCopiesCountAsPresent) {
    const Bytes content = testBytes(3000, 9);
    const Bytes canonical = gzipStored(content, "data");
    const Bytes recompressed = gzipStored(content, ""); // as Debian ships Fashion-MNIST
    ASSERT_NE(md5(canonical), md5(recompressed));
    what.files = {{"data.gz", md5(canonical), 0, md5(content), {}}};
    options.mirrors = {server.url("m/")};
    fs::create_directories(options.dir);
    writeAll(target("data.gz"), recompressed);
    EXPECT_TRUE(fetchFiles(what, options).alreadyPresent);
    fs::remove(target("data.gz"));
    writeAll(target("data"), content);
    EXPECT_TRUE(fetchFiles(what, options).alreadyPresent);
    EXPECT_TRUE(server.requests().empty());

    // Other content under the right name is fetched again, and checked against `md5`.
    writeAll(target("data"), Bytes(3000, 1));
    server.serve("/m/data.gz", canonical);
    EXPECT_EQ(fetchFiles(what, options).downloaded, std::vector<std::string>{"data.gz"});
    EXPECT_EQ(readAll(target("data.gz")), canonical);
}

} // namespace
} // namespace spikelab
