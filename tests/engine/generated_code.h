#pragma once
// Checks the model tests share on generated code: golden files, and the build's generated
// loops vectorised with the CPU backend's flags.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "spikelab/fileio.h"

namespace spikelab::test {

// A small text file of the source tree or the build, whole.
inline std::string readText(const std::filesystem::path& path) {
    const auto bytes = readFile(path.string(), 1 << 20, "a test file");
    return {bytes.begin(), bytes.end()};
}

// Each (file name, text) equals tests/engine/golden/<file name>; SPIKELAB_UPDATE_GOLDEN=1
// rewrites the files after a deliberate change.
inline void expectGoldenFiles(const std::vector<std::pair<std::string, std::string>>& files) {
    for (const auto& [name, text] : files) {
        const auto path = sourceDir() / "tests/engine/golden" / name;
        if (std::getenv("SPIKELAB_UPDATE_GOLDEN")) {
            std::ofstream(path, std::ios::binary) << text;
            continue;
        }
        EXPECT_EQ(text, readText(path)) << name << " changed; if that is meant, rerun with SPIKELAB_UPDATE_GOLDEN=1";
    }
}

// Compiles `source` (which includes the generated `inc`, a file of `generatedDir`) with the
// CPU backend's flags (-O3 -ffp-contract=off -fno-trapping-math) and expects the compiler to
// report every loop of `inc` as vectorised; returns how many loops it has. The caller skips
// where there is no C++ compiler.
inline int expectVectorisedLoops(const std::string& source, const std::filesystem::path& generatedDir,
                                 const std::string& inc) {
    TempDir dir;
    std::ofstream(dir.file("kernels.cpp")) << source;
    const std::string command = "cd " + dir.path().string() +
                                " && c++ -std=c++20 -O3 -ffp-contract=off -fno-trapping-math -fopt-info-vec-optimized -I" +
                                (sourceDir() / "engine/src").string() + " -I" + generatedDir.string() +
                                " -c kernels.cpp -o kernels.o 2> report.txt";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    const std::string report = readText(dir.path() / "report.txt");
    const std::string kernels = readText(generatedDir / inc);
    int loops = 0;
    std::size_t line = 1;
    for (std::size_t at = 0; at < kernels.size(); ++at) {
        if (kernels[at] == '\n') ++line;
        if (kernels.compare(at, 9, "    for (") != 0) continue;
        ++loops;
        EXPECT_CONTAINS(report, inc + ":" + std::to_string(line) + ":") << "loop at line " << line;
    }
    return loops;
}

} // namespace spikelab::test
