#include "weight_colours.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace spikelab::ui {

namespace {

constexpr int kLutHalf = 512; // the colour table has 2 * kLutHalf + 1 entries, zero in the middle

// Blue through white to red, piecewise linear through a lighter tint on each side; the two
// sides have matching lightness so +w and -w look equally strong.
const std::array<QRgb, 2 * kLutHalf + 1>& colourTable() {
    static const auto table = [] {
        struct Stop {
            double t;
            int r, g, b;
        };
        constexpr Stop stops[] = {{-1.0, 33, 82, 158},
                                  {-0.5, 140, 180, 225},
                                  {0.0, 255, 255, 255},
                                  {0.5, 238, 148, 128},
                                  {1.0, 170, 32, 40}};
        std::array<QRgb, 2 * kLutHalf + 1> out{};
        for (int i = 0; i <= 2 * kLutHalf; ++i) {
            const double t = double(i - kLutHalf) / kLutHalf;
            std::size_t k = 0;
            while (k + 2 < std::size(stops) && t > stops[k + 1].t) ++k;
            const Stop& a = stops[k];
            const Stop& b = stops[k + 1];
            const double f = (t - a.t) / (b.t - a.t);
            auto mix = [f](int x, int y) { return int(std::lround(x + (y - x) * f)); };
            out[std::size_t(i)] = qRgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
        }
        return out;
    }();
    return table;
}

} // namespace

QRgb weightRgb(float w, float limit) {
    if (!std::isfinite(w)) return kNonFinite;
    const float scale = limit > 0.0f ? float(kLutHalf) / limit : 0.0f;
    const long i = std::lround(std::clamp(w * scale, -float(kLutHalf), float(kLutHalf)));
    return colourTable()[std::size_t(i + kLutHalf)];
}

QString formatWeight(double w) {
    return QString::number(w, 'g', 4);
}

float absPercentile(std::span<const float> weights, double fraction) {
    constexpr std::size_t kSample = std::size_t(1) << 20;
    const std::size_t stride = std::max<std::size_t>(1, weights.size() / kSample);
    std::vector<float> magnitudes;
    magnitudes.reserve(std::min(weights.size(), kSample + 1));
    for (std::size_t i = 0; i < weights.size(); i += stride)
        if (std::isfinite(weights[i])) magnitudes.push_back(std::abs(weights[i]));
    if (magnitudes.empty()) return 0.0f;
    const double rank = std::ceil(std::clamp(fraction, 0.0, 1.0) * double(magnitudes.size()));
    const auto k = std::size_t(std::clamp(rank, 1.0, double(magnitudes.size()))) - 1;
    std::nth_element(magnitudes.begin(), magnitudes.begin() + std::ptrdiff_t(k), magnitudes.end());
    return magnitudes[k];
}

} // namespace spikelab::ui
