#pragma once
// Helpers shared by the engine tests: temporary folders and the optional shared data.
#include <filesystem>
#include <string>

namespace spikelab::test {

// A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// ../shared/data beside the checkout, or $SPIKELAB_SHARED_DATA when set.
std::filesystem::path sharedDataDir();
// The repository root (for projects/).
std::filesystem::path sourceDir();

} // namespace spikelab::test

// Skips the current test with a message naming the missing path.
#define SPIKELAB_REQUIRE_SHARED(relative)                                                        \
    do {                                                                                         \
        const auto spikelab_path_ = ::spikelab::test::sharedDataDir() / (relative);             \
        if (!std::filesystem::exists(spikelab_path_))                                            \
            GTEST_SKIP() << "shared data not available: " << spikelab_path_.string();            \
    } while (0)
