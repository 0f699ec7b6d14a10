#include "weight_init.h"

#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/npy.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

namespace spikelab {

double SeededRandom::normal() {
    if (haveSpare_) {
        haveSpare_ = false;
        return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniformOpenZero()));
    const double angle = 2.0 * M_PI * uniform();
    spare_ = radius * std::sin(angle);
    haveSpare_ = true;
    return radius * std::cos(angle);
}

namespace {

std::string describeShape(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

// Sorted CSR from a list of (pre, post) pairs; `order` receives, per CSR slot, the index of
// the pair it came from, so per-pair values can be permuted alongside.
void buildCsr(SynapseMatrix& m, const std::vector<std::int64_t>& pre,
              const std::vector<std::int64_t>& post, std::vector<std::size_t>& order,
              const std::string& what) {
    order.resize(pre.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pre[a] != pre[b] ? pre[a] < pre[b] : post[a] < post[b];
    });
    m.rowStart.assign(std::size_t(m.numPre) + 1, 0);
    m.targets.resize(pre.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        if (k > 0 && pre[order[k - 1]] == pre[i] && post[order[k - 1]] == post[i])
            throw Error(what + ": synapse " + std::to_string(i) + " (" + std::to_string(pre[i]) +
                        " -> " + std::to_string(post[i]) + ") is listed twice");
        m.rowStart[std::size_t(pre[i]) + 1]++;
        m.targets[k] = std::uint32_t(post[i]);
    }
    for (std::size_t r = 0; r < std::size_t(m.numPre); ++r) m.rowStart[r + 1] += m.rowStart[r];
}

void fixedProbability(SynapseMatrix& m, double p, std::uint64_t seed) {
    SeededRandom rng(seed);
    m.rowStart.assign(std::size_t(m.numPre) + 1, 0);
    m.targets.clear();
    if (p > 0.0) {
        // Geometric skipping: the gap to the next synapse is geometrically distributed, so the
        // cost is proportional to the synapses made, not to pre x post.
        const double logMiss = p < 1.0 ? std::log1p(-p) : 0.0;
        for (std::int64_t i = 0; i < m.numPre; ++i) {
            std::int64_t j = -1;
            while (true) {
                if (p >= 1.0) {
                    ++j;
                } else {
                    const double gap = std::floor(std::log(rng.uniformOpenZero()) / logMiss);
                    if (gap >= double(m.numPost)) break;
                    j += 1 + std::int64_t(gap);
                }
                if (j >= m.numPost) break;
                m.targets.push_back(std::uint32_t(j));
            }
            m.rowStart[std::size_t(i) + 1] = std::int64_t(m.targets.size());
        }
    }
}

// Weights for the synapses of m, in m's storage order (dense: pre x post).
void initialiseWeights(SynapseMatrix& m, const WeightSpec& w, const std::vector<std::size_t>& order,
                       const std::string& baseDir, const std::string& what) {
    const std::size_t count = m.type == ConnectivityType::Dense
                                  ? std::size_t(m.numPre * m.numPost)
                                  : (m.type == ConnectivityType::OneToOne ? std::size_t(m.numPre)
                                                                          : m.targets.size());
    m.weights.assign(count, 0.0f);
    SeededRandom rng(w.seed);
    switch (w.type) {
    case WeightInitType::Constant: std::fill(m.weights.begin(), m.weights.end(), float(w.value)); break;
    case WeightInitType::Uniform:
        for (auto& x : m.weights) x = float(rng.uniform(w.low, w.high));
        break;
    case WeightInitType::Normal:
        for (auto& x : m.weights) x = float(w.mean + w.sd * rng.normal());
        break;
    case WeightInitType::Glorot: {
        const double limit = std::sqrt(6.0 / double(m.numPre + m.numPost));
        for (auto& x : m.weights) x = float(rng.uniform(-limit, limit));
        break;
    }
    case WeightInitType::Inline:
        if (w.values.size() != count)
            throw Error(what + ": " + std::to_string(w.values.size()) +
                        " inline weights given but the connectivity made " +
                        std::to_string(count) + " synapses");
        for (std::size_t k = 0; k < count; ++k)
            m.weights[k] = float(w.values[order.empty() ? k : order[k]]);
        break;
    case WeightInitType::Npy: {
        std::filesystem::path file(w.file);
        if (file.is_relative()) file = std::filesystem::path(baseDir) / file;
        const NpyArray a = readNpy(file.string());
        const std::string where = what + ": weight file " + quote(file.string());
        const bool oneToOne = m.type == ConnectivityType::OneToOne;
        const std::vector<std::int64_t> expected =
            oneToOne ? std::vector<std::int64_t>{m.numPre}
                     : std::vector<std::int64_t>{m.numPre, m.numPost};
        if (a.shape != expected)
            throw Error(where + " has shape " + describeShape(a.shape) + " but the populations need " +
                        describeShape(expected) + " (pre x post)");
        for (std::size_t k = 0; k < a.data.size(); ++k) {
            const double v = a.data[k];
            if (!std::isfinite(v) || std::fabs(v) > double(std::numeric_limits<float>::max()))
                throw Error(where + ": value " + formatNumber(v) + " at " +
                            (oneToOne ? "index " + std::to_string(k)
                                      : "[" + std::to_string(std::int64_t(k) / m.numPost) + ", " +
                                            std::to_string(std::int64_t(k) % m.numPost) + "]") +
                            " is not a finite float32 weight");
        }
        if (m.type == ConnectivityType::Dense || oneToOne) {
            for (std::size_t k = 0; k < count; ++k) m.weights[k] = float(a.data[k]);
        } else {
            for (std::int64_t i = 0; i < m.numPre; ++i)
                for (auto s = m.rowStart[std::size_t(i)]; s < m.rowStart[std::size_t(i) + 1]; ++s)
                    m.weights[std::size_t(s)] =
                        float(a.data[std::size_t(i * m.numPost + m.targets[std::size_t(s)])]);
        }
        break;
    }
    }
    for (std::size_t k = 0; k < count; ++k)
        if (!std::isfinite(m.weights[k]))
            throw Error(what + ": weight " + std::to_string(k) + " is not finite after conversion "
                        "to float32");
}

} // namespace

SynapseMatrix buildSynapses(const ProjectionSpec& j, std::int64_t numPre, std::int64_t numPost,
                            const std::string& baseDir) {
    const std::string what = "projection " + quote(j.name);
    SynapseMatrix m;
    m.type = j.connectivity.type;
    m.numPre = numPre;
    m.numPost = numPost;
    std::vector<std::size_t> order;
    if (m.type == ConnectivityType::Dense &&
        numPre * numPost > (std::int64_t(1) << 31))
        throw Error(what + ": a dense " + std::to_string(numPre) + "x" + std::to_string(numPost) +
                    " matrix is too large; use sparse connectivity");
    if (m.type == ConnectivityType::FixedProbability)
        fixedProbability(m, j.connectivity.probability, j.connectivity.seed);
    if (m.type == ConnectivityType::Sparse)
        buildCsr(m, j.connectivity.pre, j.connectivity.post, order, what);
    initialiseWeights(m, j.weights, order, baseDir, what);
    return m;
}

} // namespace spikelab
