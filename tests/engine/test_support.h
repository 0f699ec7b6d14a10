#pragma once
// Helpers shared by the engine tests: temporary folders, the optional shared data, a memory
// limit.
#include <sys/resource.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

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

// The message of the spikelab::Error that f throws, or "(no error)".
std::string errorOf(const std::function<void()>& f);

// A gzip stream of the bytes (zlib, level 6).
std::vector<std::uint8_t> gzipBytes(std::span<const std::uint8_t> bytes);

// Lowers the soft address-space limit to what the process uses now plus `extra` bytes, and
// puts it back when it goes away (a soft limit may be raised again up to the hard one), so
// that a memory regression fails with std::bad_alloc instead of swapping. Does nothing under
// AddressSanitizer, which reserves terabytes of address space (kAddressLimitWorks is false).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressLimitWorks = false;
#else
inline constexpr bool kAddressLimitWorks = true;
#endif
class AddressSpaceLimit {
public:
    explicit AddressSpaceLimit(std::int64_t extra);
    ~AddressSpaceLimit();
    AddressSpaceLimit(const AddressSpaceLimit&) = delete;
    AddressSpaceLimit& operator=(const AddressSpaceLimit&) = delete;

private:
    rlimit saved_{};
};

} // namespace spikelab::test

#define EXPECT_CONTAINS(text, part)                                                            \
    EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

// Skips the current test with a message naming the missing path.
#define SPIKELAB_REQUIRE_SHARED(relative)                                                        \
    do {                                                                                         \
        const auto spikelab_path_ = ::spikelab::test::sharedDataDir() / (relative);             \
        if (!std::filesystem::exists(spikelab_path_))                                            \
            GTEST_SKIP() << "shared data not available: " << spikelab_path_.string();            \
    } while (0)
