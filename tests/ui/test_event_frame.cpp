// EventFrame: each sensor pixel shows its latest event up to the step asked for, in its
// polarity's colour while recent, grey after, black without events; on real N-MNIST data the
// whole recording lights up the digit.
#include "event_frame.h"

#include "spikelab/events.h"

#include <QTest>

#include <filesystem>

using namespace spikelab;
using spikelab::ui::EventFrame;

namespace {

// A train of `steps` steps with the given sensor inputs in the given steps.
std::shared_ptr<const SpikeTrain> train(std::int64_t steps,
                                        std::vector<std::pair<std::int64_t, std::uint32_t>> spikes) {
    auto t = std::make_shared<SpikeTrain>();
    t->steps = steps;
    t->stepStart.assign(std::size_t(steps) + 1, 0);
    std::sort(spikes.begin(), spikes.end());
    for (const auto& [step, input] : spikes) {
        t->inputs.push_back(input);
        for (auto s = step + 1; s <= steps; ++s) ++t->stepStart[std::size_t(s)];
    }
    return t;
}

std::uint32_t on(int x, int y) { return std::uint32_t(1156 + y * 34 + x); }
std::uint32_t off(int x, int y) { return std::uint32_t(y * 34 + x); }

} // namespace

class TestEventFrame : public QObject {
    Q_OBJECT
private slots:
    void pixelsShowTheirLatestEvent() {
        // (2,3) ON at step 0 and OFF at step 6; (5,5) ON at step 8; (30,1) OFF at step 9.
        const EventFrame frame(train(10, {{0, on(2, 3)}, {6, off(2, 3)}, {8, on(5, 5)}, {9, off(30, 1)}}));
        QCOMPARE(frame.steps(), std::int64_t(10));

        // Nothing replayed yet: all black.
        QImage img = frame.render(0, 4);
        QCOMPARE(img.size(), QSize(34, 34));
        for (int y = 0; y < 34; ++y)
            for (int x = 0; x < 34; ++x) QCOMPARE(img.pixelColor(x, y), EventFrame::emptyColour);

        // After step 0: (2,3) in full ON colour, the rest black.
        img = frame.render(1, 4);
        QCOMPARE(img.pixelColor(2, 3), EventFrame::onColour);
        QCOMPARE(img.pixelColor(5, 5), EventFrame::emptyColour);

        // After 4 steps the ON event is 3 steps old: faded, between grey and amber.
        img = frame.render(4, 4);
        const QColor faded = img.pixelColor(2, 3);
        QCOMPARE(faded, EventFrame::eventColour(true, 3, 4));
        QVERIFY(faded != EventFrame::onColour && faded != EventFrame::pastColour);
        QVERIFY(faded.red() < EventFrame::onColour.red() && faded.red() > EventFrame::pastColour.red());

        // After 5 steps it is older than the fade: grey.
        QCOMPARE(frame.render(5, 4).pixelColor(2, 3), EventFrame::pastColour);

        // The OFF event at step 6 replaces it; the others follow.
        img = frame.render(10, 4);
        QCOMPARE(img.pixelColor(2, 3), EventFrame::eventColour(false, 3, 4));
        QCOMPARE(img.pixelColor(5, 5), EventFrame::eventColour(true, 1, 4));
        QCOMPARE(img.pixelColor(30, 1), EventFrame::offColour);
        int lit = 0;
        for (int y = 0; y < 34; ++y)
            for (int x = 0; x < 34; ++x) lit += img.pixelColor(x, y) != EventFrame::emptyColour;
        QCOMPARE(lit, 3);
        // Past the end: the same as the end.
        QCOMPARE(frame.render(500, 4), img);
    }

    void coloursFadeMonotonically() {
        int previous = 1000;
        for (int age = 0; age < 6; ++age) {
            const QColor c = EventFrame::eventColour(false, age, 5);
            QVERIFY(c.blue() < previous);
            previous = c.blue();
        }
        QCOMPARE(EventFrame::eventColour(false, 5, 5), EventFrame::pastColour);
        QCOMPARE(EventFrame::eventColour(true, 0, 0), EventFrame::onColour); // no fade: 1 step
        QCOMPARE(EventFrame::eventColour(true, 1, 0), EventFrame::pastColour);
    }

    void realRecordingDrawsTheDigit() {
        const std::string root = std::string(SPIKELAB_SHARED_DATA) + "/nmnist";
        if (!std::filesystem::exists(root)) QSKIP("no N-MNIST recordings in ../shared/data/nmnist");
        const EventDataset data = loadNmnist("test", root, 1);
        const auto& sample = data.samples[0];
        const TimeMapping mapping;
        const EventFrame frame(std::make_shared<const SpikeTrain>(toSpikeTrain(sample, mapping, allInputs())));
        const QImage all = frame.render(mapping.steps, 20);
        // Every pixel with an event is lit, every other is black.
        std::vector<bool> seen(34 * 34, false);
        for (const auto& e : sample.events) seen[std::size_t(e.y * 34 + e.x)] = true;
        int lit = 0;
        for (int y = 0; y < 34; ++y)
            for (int x = 0; x < 34; ++x) {
                const bool black = all.pixelColor(x, y) == EventFrame::emptyColour;
                QCOMPARE(black, !seen[std::size_t(y * 34 + x)]);
                lit += !black;
            }
        QVERIFY2(lit > 100, qPrintable(QString("%1 pixels lit").arg(lit)));
        // Halfway through, fewer pixels have had events than at the end.
        const QImage half = frame.render(mapping.steps / 2, 20);
        int litHalf = 0;
        for (int y = 0; y < 34; ++y)
            for (int x = 0; x < 34; ++x) litHalf += half.pixelColor(x, y) != EventFrame::emptyColour;
        QVERIFY(litHalf > 0 && litHalf <= lit);
    }
};

QTEST_MAIN(TestEventFrame)
#include "test_event_frame.moc"
