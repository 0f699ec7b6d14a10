#include "spikelab/export.h"

#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/npy.h"
#include "spikelab/project.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <vector>

namespace spikelab {

namespace {

// The weights of a projection in the order WeightSpec::values lists them. Building the
// synapses reads and checks the .npy exactly as compiling the project does.
std::vector<double> inlineWeights(const NetworkSpec& spec, const ProjectionSpec& j,
                                  const std::string& baseDir) {
    const SynapseMatrix m = buildSynapses(j, spec.findPopulation(j.source)->size,
                                          spec.findPopulation(j.target)->size, baseDir);
    if (j.connectivity.type != ConnectivityType::Sparse)
        return std::vector<double>(m.weights.begin(), m.weights.end());
    // The matrix is sorted by (pre, post); inline sparse weights follow the listed synapses.
    const auto& c = j.connectivity;
    std::vector<double> values(c.pre.size());
    for (std::size_t i = 0; i < c.pre.size(); ++i) values[i] = m.weight(c.pre[i], c.post[i]);
    return values;
}

} // namespace

std::string exportSelfContained(const NetworkSpec& spec, const std::string& projectPath) {
    validate(spec);
    const std::string baseDir = projectDir(projectPath);
    for (const auto& in : spec.inputs)
        if (!in.file.empty())
            throw Error("input " + quote(in.name) + ": its file " + quote(in.file) +
                        " cannot travel inside a self-contained export; remove \"file\" from "
                        "the input and pass the file along separately");
    NetworkSpec out = spec;
    for (auto& j : out.projections) {
        if (j.weights.type != WeightInitType::Npy) continue;
        WeightSpec w;
        w.type = WeightInitType::Inline;
        w.values = inlineWeights(spec, j, baseDir);
        j.weights = std::move(w);
    }
    auto& datasetPath = out.experiment.dataset.path;
    if (!datasetPath.empty() && std::filesystem::path(datasetPath).is_relative())
        datasetPath.clear();
    return projectToJson(out);
}

void exportSelfContainedFile(const NetworkSpec& spec, const std::string& projectPath,
                             const std::string& outPath) {
    writeFileAtomic(outPath, exportSelfContained(spec, projectPath));
}

void importSelfContained(const std::string& exportedPath, const std::string& newProjectPath) {
    NetworkSpec spec = loadProject(exportedPath);
    const std::string what = "file " + quote(exportedPath);
    const std::string advice = "; import reads files written by export";
    for (const auto& j : spec.projections)
        if (j.weights.type == WeightInitType::Npy)
            throw Error(what + " is not self-contained: projection " + quote(j.name) +
                        " reads its weights from " + quote(j.weights.file) + advice);
    for (const auto& in : spec.inputs)
        if (!in.file.empty())
            throw Error(what + " is not self-contained: input " + quote(in.name) + " reads " +
                        quote(in.file) + advice);

    // Everything is converted and checked before the first file is written.
    struct Sidecar {
        ProjectionSpec* projection;
        std::vector<std::int64_t> shape;
        std::vector<float> values;
    };
    std::vector<Sidecar> sidecars;
    for (auto& j : spec.projections) {
        const auto type = j.connectivity.type;
        if (j.weights.type != WeightInitType::Inline ||
            j.weights.values.size() <= kSidecarWeightThreshold ||
            (type != ConnectivityType::Dense && type != ConnectivityType::OneToOne))
            continue;
        Sidecar s{&j, {spec.findPopulation(j.source)->size}, {}};
        if (type == ConnectivityType::Dense) s.shape.push_back(spec.findPopulation(j.target)->size);
        s.values.resize(j.weights.values.size());
        for (std::size_t k = 0; k < s.values.size(); ++k) {
            s.values[k] = float(j.weights.values[k]);
            if (!std::isfinite(s.values[k]))
                throw Error(what + ": projection " + quote(j.name) + ": inline weight " +
                            std::to_string(k) + " does not fit a float32");
        }
        sidecars.push_back(std::move(s));
    }
    // All files or none: the sidecars and the project are replaced together. A sidecar never
    // replaces a file the import did not make (another project's weights may have the same
    // projection name): it takes the first free name, "<projection>.npy", "<projection>-2.npy"...
    const ProjectLock lock(newProjectPath);
    const std::filesystem::path dir = projectDir(newProjectPath);
    FileSet files;
    std::set<std::string> taken;
    for (Sidecar& s : sidecars) {
        std::string file = s.projection->name + ".npy";
        for (int n = 2; std::filesystem::exists(dir / file) || std::filesystem::is_symlink(dir / file) ||
                        taken.count(file);
             ++n)
            file = s.projection->name + "-" + std::to_string(n) + ".npy";
        taken.insert(file);
        files.add((dir / file).string(), encodeNpy(s.shape, s.values));
        s.projection->weights = WeightSpec{};
        s.projection->weights.type = WeightInitType::Npy;
        s.projection->weights.file = file;
    }
    validate(spec);
    files.add(newProjectPath, projectToJson(spec));
    files.commit();
}

} // namespace spikelab
