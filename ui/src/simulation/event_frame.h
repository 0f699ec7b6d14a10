#pragma once
// An event-camera recording (N-MNIST) drawn as the sensor's picture at a point of its
// presentation: each of the 34x34 pixels shows its latest event so far. An event of the last
// `fadeSteps` steps shows its polarity (ON amber, OFF blue), fading with age; older events
// leave a grey trace, so the digit builds up as the saccades sweep over it; a pixel without
// events stays black.
#include "spikelab/events.h"

#include <QColor>
#include <QImage>

#include <cstdint>
#include <memory>
#include <vector>

namespace spikelab::ui {

class EventFrame {
public:
    static inline const QColor onColour{255, 176, 0};
    static inline const QColor offColour{40, 140, 255};
    static inline const QColor pastColour{88, 88, 92};
    static inline const QColor emptyColour{0, 0, 0};

    EventFrame() = default;
    // `sensor` holds the recording per step, numbered as nmnistInputIndex does (polarity * 1156
    // + y * 34 + x), e.g. toSpikeTrain(sample, mapping, allInputs()). Shared, not copied: at
    // full speed thousands of samples start between two repaints.
    explicit EventFrame(std::shared_ptr<const SpikeTrain> sensor);

    bool isEmpty() const { return steps_ == 0; }
    std::int64_t steps() const { return steps_; }
    // The picture after the first `stepsDone` steps (more than steps(): all of them).
    QImage render(std::int64_t stepsDone, std::int64_t fadeSteps) const;
    // The colour of an event `age` steps old (0: the newest step) of polarity `on`.
    static QColor eventColour(bool on, std::int64_t age, std::int64_t fadeSteps);

private:
    std::shared_ptr<const SpikeTrain> sensor_;
    std::int64_t steps_ = 0;
};

} // namespace spikelab::ui
