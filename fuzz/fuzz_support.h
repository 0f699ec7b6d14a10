#pragma once
// What every harness shares. A harness feeds libFuzzer's bytes to one reader and catches
// spikelab::Error, the expected answer to a bad file (docs/architecture.md, "Errors"). Anything
// else ends the process and is a finding: a crash, a sanitizer report, an escaping
// InternalError or std::bad_alloc (an uncaught exception aborts), a leak, an allocation over
// -rss_limit_mb, an input that takes longer than -timeout.
//
// Readers that take a path get the bytes through one file in a private temporary folder,
// which is overwritten for each input and removed when the harness exits normally.
#include "spikelab/error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace spikelab::fuzz {

class ScratchDir {
public:
    ScratchDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "spikelab-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            std::perror("spikelab fuzz: mkdtemp");
            std::abort();
        }
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

    // Writes `bytes` to `name` in the folder, replacing what was there; the harness's own
    // failure (a full disk) aborts, since it would hide the reader's behaviour.
    std::string write(const std::string& name, std::span<const std::uint8_t> bytes) const {
        const std::string target = file(name);
        std::FILE* f = std::fopen(target.c_str(), "wb");
        if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() ||
            std::fclose(f) != 0) {
            std::perror("spikelab fuzz: writing the input file");
            std::abort();
        }
        return target;
    }

private:
    std::string path_;
};

// The scratch folder of this process, made on first use.
inline const ScratchDir& scratch() {
    static const ScratchDir dir;
    return dir;
}

inline std::span<const std::uint8_t> bytesOf(const std::uint8_t* data, std::size_t size) {
    return {data, size};
}

} // namespace spikelab::fuzz
