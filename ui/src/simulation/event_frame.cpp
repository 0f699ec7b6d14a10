#include "event_frame.h"

#include <algorithm>

namespace spikelab::ui {

namespace {
constexpr int kPixels = kNmnistSize * kNmnistSize;
} // namespace

EventFrame::EventFrame(std::shared_ptr<const SpikeTrain> sensor)
    : sensor_(std::move(sensor)), steps_(sensor_ ? sensor_->steps : 0) {}

QColor EventFrame::eventColour(bool on, std::int64_t age, std::int64_t fadeSteps) {
    if (age >= std::max<std::int64_t>(1, fadeSteps)) return pastColour;
    // From full colour at age 0 down to 40% of the way from the grey trace to it.
    const QColor& full = on ? onColour : offColour;
    const double keep = 1.0 - 0.6 * double(age) / double(std::max<std::int64_t>(1, fadeSteps));
    auto mix = [&](int a, int b) { return int(b + (a - b) * keep + 0.5); };
    return QColor(mix(full.red(), pastColour.red()), mix(full.green(), pastColour.green()),
                  mix(full.blue(), pastColour.blue()));
}

QImage EventFrame::render(std::int64_t stepsDone, std::int64_t fadeSteps) const {
    // The step of each pixel's latest event (-1: none yet) and that event's polarity.
    std::vector<std::int64_t> last(kPixels, -1);
    std::vector<bool> on(kPixels, false);
    const std::int64_t done = std::clamp<std::int64_t>(stepsDone, 0, steps_);
    for (std::int64_t s = 0; s < done; ++s)
        for (auto i = sensor_->stepStart[std::size_t(s)]; i < sensor_->stepStart[std::size_t(s) + 1];
             ++i) {
            const std::uint32_t input = sensor_->inputs[std::size_t(i)];
            const int pixel = int(input % kPixels);
            last[std::size_t(pixel)] = s;
            on[std::size_t(pixel)] = input >= std::uint32_t(kPixels);
        }
    QImage image(kNmnistSize, kNmnistSize, QImage::Format_RGB32);
    for (int y = 0; y < kNmnistSize; ++y) {
        auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < kNmnistSize; ++x) {
            const std::size_t p = std::size_t(y * kNmnistSize + x);
            row[x] = last[p] < 0 ? emptyColour.rgb()
                                 : eventColour(on[p], done - 1 - last[p], fadeSteps).rgb();
        }
    }
    return image;
}

} // namespace spikelab::ui
