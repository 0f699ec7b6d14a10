#include "test_support.h"

#include "spikelab/error.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <unistd.h>

namespace spikelab::test {

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("spikelab-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
             "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path sharedDataDir() {
    if (const char* env = std::getenv("SPIKELAB_SHARED_DATA"); env && *env) return env;
    return SPIKELAB_SHARED_DATA;
}

std::filesystem::path sourceDir() { return SPIKELAB_SOURCE_DIR; }

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::vector<std::uint8_t> gzipBytes(std::span<const std::uint8_t> bytes) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::vector<std::uint8_t> out(deflateBound(&zs, uLong(bytes.size())) + 64);
    zs.next_in = const_cast<Bytef*>(bytes.data());
    zs.avail_in = uInt(bytes.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

AddressSpaceLimit::AddressSpaceLimit(std::int64_t extra) {
    getrlimit(RLIMIT_AS, &saved_);
    if (!kAddressLimitWorks) return;
    std::ifstream status("/proc/self/status");
    std::string key;
    std::int64_t usedKb = 0;
    while (status >> key)
        if (key == "VmSize:") {
            status >> usedKb;
            break;
        }
    rlimit lowered = saved_;
    lowered.rlim_cur = rlim_t(usedKb * 1024 + extra);
    setrlimit(RLIMIT_AS, &lowered);
}

AddressSpaceLimit::~AddressSpaceLimit() {
    setrlimit(RLIMIT_AS, &saved_);
}

} // namespace spikelab::test
