// A project's own neuron models ("models" in the project file): read, written, checked and
// looked up by the populations that name them (docs/architecture.md, "The model language").
#include "spec_builders.h"
#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/project.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace spikelab;
using namespace spikelab::test;

namespace {

// The MNIST tutorial's IF neuron as GeNN users type it.
NeuronModelDeclaration typedIf(const std::string& name = "GennIF") {
    NeuronModelDeclaration m;
    m.name = name;
    m.description = "GeNN's tutorial IF neuron, typed";
    ParamInfo vthr, v;
    vthr.name = "Vthr";
    vthr.unit = v.unit = "mV";
    vthr.defaultValue = 5.0;
    v.name = "V";
    m.parameters = {vthr};
    m.state = {v};
    m.sim = "V += Isyn;";
    m.threshold = "V >= Vthr";
    m.reset = "V = 0;";
    m.voltage = "V";
    m.thresholdParameter = "Vthr";
    return m;
}

NetworkSpec projectWith(std::vector<NeuronModelDeclaration> models, const std::string& populationModel) {
    NetworkSpec spec;
    spec.name = "typed";
    spec.models = std::move(models);
    spec.populations = {population("hidden", 10, populationModel, {{"Vthr", 2.0}})};
    return spec;
}

std::string errorOf(const NetworkSpec& spec) {
    try {
        validate(spec);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

std::string readError(const std::string& text) {
    try {
        projectFromJson(text, "file \"t.json\"");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(ProjectModels, TypedModelsRoundTripAndPopulationsUseThem) {
    const NetworkSpec spec = projectWith({typedIf()}, "GennIF");
    const std::string text = projectToJson(spec);
    EXPECT_CONTAINS(text, "\"models\": [");
    EXPECT_CONTAINS(text, "\"sim\": \"V += Isyn;\"");
    const NetworkSpec back = projectFromJson(text, "mem");
    EXPECT_EQ(back, spec);
    EXPECT_EQ(projectToJson(back), text);

    const CompiledNetwork net = compileNetwork(spec, ".");
    ASSERT_EQ(net.populations.size(), 1u);
    EXPECT_EQ(net.populations[0].model->name, "GennIF");
    EXPECT_EQ(net.populations[0].model->builtin, -1) << "not compiled into SpikeLab";
    EXPECT_EQ(net.populations[0].params, std::vector<double>{2.0});
    EXPECT_EQ(net.populations[0].initial, std::vector<double>{0.0});

    std::vector<std::string> names;
    for (const auto* m : neuronModels(spec)) names.push_back(m->name);
    EXPECT_EQ(names.back(), "GennIF");
    EXPECT_EQ(names.size(), neuronModels().size() + 1);
}

// Equal declarations share one registry entry (and so one compiled kernel); an edited model is
// another entry, and the old one stays valid for a backend still built from it.
TEST(ProjectModels, EntriesAreSharedByEqualDeclarationsAndOutliveEdits) {
    NetworkSpec spec = projectWith({typedIf("Shared")}, "Shared");
    const NeuronModelInfo& first = neuronModel(spec, "Shared", "test");
    EXPECT_EQ(&first, &neuronModel(projectWith({typedIf("Shared")}, "Shared"), "Shared", "test"));
    spec.models[0].reset = "V = -1;";
    const NeuronModelInfo& edited = neuronModel(spec, "Shared", "test");
    EXPECT_NE(&first, &edited);
    EXPECT_EQ(first.declaration->reset, "V = 0;");
    EXPECT_EQ(edited.declaration->reset, "V = -1;");
    EXPECT_EQ(&neuronModel(spec, "LIF", "test"), &neuronModel("LIF", "test")) << "built-ins as before";
}

TEST(ProjectModels, BadModelsAreRefusedWithTheItemNamed) {
    EXPECT_EQ(errorOf(projectWith({typedIf("LIF")}, "LIF")),
              "neuron model \"LIF\": a built-in model has this name; give the project's model another");
    EXPECT_EQ(errorOf(projectWith({typedIf("A"), typedIf("A")}, "A")),
              "neuron model \"A\": the project declares two models of this name");
    NeuronModelDeclaration typo = typedIf("Typo");
    typo.sim = "V += Isyn_;";
    EXPECT_EQ(errorOf(projectWith({typo}, "Typo")),
              "neuron model \"Typo\": sim code: line 1, col 6: unknown name \"Isyn_\" (did you mean \"Isyn\"?)");
    EXPECT_CONTAINS(errorOf(projectWith({typedIf()}, "GenIF")),
                    "population \"hidden\": unknown neuron model \"GenIF\" (known: IF, LIF, SpikeSource, Izhikevich, GennIF)");
    std::vector<NeuronModelDeclaration> many;
    for (std::size_t i = 0; i <= kMaxProjectModels; ++i) many.push_back(typedIf("M" + std::to_string(i)));
    EXPECT_EQ(errorOf(projectWith(many, "M0")), "the project declares 65 neuron models; at most 64");

    // In a file, the error names the file and the entry.
    std::string text = projectToJson(projectWith({typedIf()}, "GennIF"));
    text.replace(text.find("V += Isyn;"), 10, "V += Isyn_;");
    EXPECT_EQ(readError(text), "file \"t.json\": models[0]: neuron model \"GennIF\": sim code: "
                               "line 1, col 6: unknown name \"Isyn_\" (did you mean \"Isyn\"?)");
}
