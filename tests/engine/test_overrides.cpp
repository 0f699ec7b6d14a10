#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/overrides.h"

#include <gtest/gtest.h>

using namespace spikelab;
using namespace spikelab::test;

namespace {
NetworkSpec small() {
    NetworkSpec s;
    s.populations = {population("in", 2, "IF"), population("hid", 2, "LIF")};
    s.projections = {projection("p", "in", "hid", constantWeight(1))};
    InputSpec in;
    in.name = "pixels";
    in.target = "in";
    s.inputs = {in};
    return s;
}
} // namespace

TEST(Overrides, ParsesAndAppliesToEachKindOfItem) {
    NetworkSpec s = small();
    applyParameterChange(s, parseParameterChange("hid.Vthresh=-52.5"));
    applyParameterChange(s, parseParameterChange("pixels.scale=2e-2"));
    applyParameterChange(s, parseParameterChange("p.delay_steps=3"));
    applyParameterChange(s, parseParameterChange("experiment.steps_per_sample=50"));
    EXPECT_EQ(s.populations[1].params.at("Vthresh"), -52.5);
    EXPECT_EQ(s.inputs[0].params.at("scale"), 0.02);
    EXPECT_EQ(s.projections[0].delaySteps, 3);
    EXPECT_EQ(s.experiment.stepsPerSample, 50);
}

TEST(Overrides, BadSettingsAreRefusedAndLeaveTheSpecUnchanged) {
    const NetworkSpec original = small();
    for (const char* text : {"hid.Vthresh", "Vthresh=1", "hid.=1", "hid.Vthresh=abc", "hid.Vthresh=nan",
                             "hid.Vthresh=1e999", "nobody.Vthr=1", "hid.TauM=-1", "hid.Bogus=1",
                             "experiment.steps_per_sample=2.5", "experiment.colour=1"}) {
        NetworkSpec s = original;
        EXPECT_THROW(applyParameterChange(s, parseParameterChange(text)), Error) << text;
        EXPECT_EQ(s, original) << text;
    }
}
