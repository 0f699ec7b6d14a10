#include "test_support.h"

#include <atomic>
#include <cstdlib>
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

} // namespace spikelab::test
