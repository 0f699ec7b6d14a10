#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
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

// One place says what ITEM.PARAM names and what value it has, a project's own models included.
TEST(Overrides, AddressesAndValuesOfEveryKindOfItem) {
    NetworkSpec s = small();
    s.projections[0].postsynaptic = {"ExpCurr", {}};
    NeuronModelDeclaration own = *neuronModel("IF", "test").declaration;
    own.name = "MyIF";
    s.models = {own};
    s.populations[0].model = "MyIF";
    s.populations[0].params = {{"Vthr", 2.5}};
    const auto kindOf = [&](const std::string& item, const std::string& param) { return addressOf(s, item, param).kind; };
    EXPECT_EQ(kindOf("in", "Vthr"), ParameterKind::Neuron);
    EXPECT_EQ(addressOf(s, "hid", "TauM").index, 1u);
    EXPECT_EQ(addressOf(s, "hid", "TauM").info->unit, "ms");
    EXPECT_EQ(kindOf("pixels", "scale"), ParameterKind::Encoder);
    EXPECT_EQ(kindOf("p", "tau"), ParameterKind::Postsynaptic);
    EXPECT_EQ(kindOf("p", "delay_steps"), ParameterKind::Delay);
    EXPECT_EQ(kindOf("experiment", "dt"), ParameterKind::Experiment);

    EXPECT_EQ(parameterValue(s, "in", "Vthr"), 2.5) << "given";
    EXPECT_EQ(parameterValue(s, "hid", "TauM"), 10.0) << "the table's default";
    EXPECT_EQ(parameterValue(s, "p", "tau"), 5.0);
    EXPECT_EQ(parameterValue(s, "p", "delay_steps"), 0.0);
    EXPECT_EQ(parameterValue(s, "experiment", "steps_per_sample"), 100.0);

    const auto error = [&](const std::string& item, const std::string& param) {
        try {
            addressOf(s, item, param);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("in", "Vth"), "population \"in\": unknown parameter \"Vth\" (known: Vthr)");
    EXPECT_EQ(error("p", "tauu"), "projection \"p\": unknown parameter \"tauu\" (known: tau)");
    EXPECT_EQ(error("experiment", "colour"), "experiment has no setting \"colour\" (known: dt, steps_per_sample)");
    EXPECT_EQ(error("nobody", "x"), "setting \"nobody.x\": no population, input or projection is called \"nobody\"");
}
