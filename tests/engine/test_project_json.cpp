// Project files: exact round trips, strict reading, clear errors, atomic saves.
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/project.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace spikelab;
using namespace spikelab::test;

namespace {
NetworkSpec everything() {
    NetworkSpec s;
    s.name = "demo";
    s.description = "all features, \"quoted\" and unicode: µA";
    s.populations = {population("in", 4, "IF", {{"Vthr", 5.0}}),
                     population("hid", 3, "LIF", {{"TauM", 12.5}, {"C", 0.3}}, {{"V", -61.25}})};
    s.populations[1].record.spikes = true;
    s.populations[1].record.variables = {"V", "RefracTime"};
    s.populations[1].record.neurons = {0, 2};
    WeightSpec u;
    u.type = WeightInitType::Uniform;
    u.low = -0.1;
    u.high = 0.30000000000000004;
    u.seed = 18446744073709551615ull;
    s.projections.push_back(projection("a", "in", "hid", u, ConnectivityType::FixedProbability, 2));
    s.projections[0].connectivity.probability = 0.25;
    s.projections[0].postsynaptic = {"ExpCurr", {{"tau", 3.0}}};
    auto sparse = projection("b", "hid", "hid", inlineWeights({0.5, -1e-7}), ConnectivityType::Sparse);
    sparse.connectivity.pre = {0, 2};
    sparse.connectivity.post = {1, 1};
    s.projections.push_back(sparse);
    WeightSpec npy;
    npy.type = WeightInitType::Npy;
    npy.file = "w.npy";
    s.projections.push_back(projection("c", "in", "in", npy));
    InputSpec in;
    in.name = "pixels";
    in.target = "in";
    in.params = {{"scale", 0.01}};
    s.inputs.push_back(in);
    s.experiment.dt = 0.1;
    s.experiment.stepsPerSample = 200;
    s.experiment.dataset = {"fashion-mnist", "train", "../data"};
    s.experiment.readout = "hid";
    s.experiment.training.epochs = 3;
    return s;
}
} // namespace

TEST(ProjectJson, SaveLoadSaveIsByteIdentical) {
    const NetworkSpec spec = everything();
    const std::string first = projectToJson(spec);
    const NetworkSpec loaded = projectFromJson(first, "mem");
    EXPECT_EQ(loaded, spec);
    EXPECT_EQ(projectToJson(loaded), first);

    TempDir dir;
    saveProject(dir.file("p.json"), spec);
    const auto bytes = readFile(dir.file("p.json"));
    EXPECT_EQ(std::string(bytes.begin(), bytes.end()), first);
    saveProject(dir.file("q.json"), loadProject(dir.file("p.json")));
    EXPECT_EQ(readFile(dir.file("q.json")), bytes);
}

TEST(ProjectJson, ShippedProjectsRoundTripByteForByte) {
    for (const char* rel : {"projects/mnist-if/mnist-if.json",
                            "projects/fashion-mnist-if/fashion-mnist-if.json",
                            "projects/mushroom-body-pn/mushroom-body-pn.json"}) {
        const auto path = (sourceDir() / rel).string();
        const auto bytes = readFile(path);
        EXPECT_EQ(projectToJson(loadProject(path)), std::string(bytes.begin(), bytes.end())) << rel;
    }
}

namespace {
std::string errorOf(const std::string& text) {
    try {
        projectFromJson(text, "file \"t.json\"");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}
std::string withPopulation(const std::string& pop) {
    return R"({"format":"spikelab-project","version":1,"populations":[)" + pop +
           R"(],"experiment":{"dt":1.0,"steps_per_sample":10}})";
}
} // namespace

TEST(ProjectJson, BadFilesGiveErrorsThatNameTheItem) {
    EXPECT_NE(errorOf("{").find("file \"t.json\": not valid JSON"), std::string::npos);
    EXPECT_NE(errorOf(R"({"format":"other","version":1})").find("\"format\" is \"other\""),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"format":"spikelab-project","version":99,"experiment":{}})")
                  .find("format version 99 is newer than this SpikeLab understands"),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":-3,"model":"IF"})"))
                  .find("population \"h\": size -3 must be between 1"),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":3,"model":"IF","params":{"Vth":1}})"))
                  .find("population \"h\": unknown parameter \"Vth\" (known: Vthr)"),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":3,"model":"IF","colour":"red"})"))
                  .find("(population \"h\"): unknown key \"colour\""),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":"3","model":"IF"})"))
                  .find("\"size\" must be a whole number, not \"3\""),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":3,"model":"IF","params":{"Vthr":"x"}})"))
                  .find("must be a number"),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":3,"model":"LIF","params":{"TauM":-1}})"))
                  .find("parameter TauM = -1 must be > 0"),
              std::string::npos);
    EXPECT_NE(errorOf(withPopulation(R"({"name":"h","size":3,"model":"IF"},{"name":"h","size":1,"model":"IF"})"))
                  .find("population \"h\": the name is already used"),
              std::string::npos);
}

TEST(ProjectJson, ProjectionErrorsNameTheProjection) {
    NetworkSpec s = everything();
    s.projections[0].target = "nowhere";
    EXPECT_NE(errorOf(projectToJson(s)).find("projection \"a\": unknown target population \"nowhere\""),
              std::string::npos);
    s = everything();
    s.projections[1].weights.values = {1.0};
    EXPECT_NE(errorOf(projectToJson(s)).find("projection \"b\": 1 inline weights given but the "
                                             "connectivity has 2 synapses"),
              std::string::npos);
    s = everything();
    s.projections[0].delaySteps = -1;
    EXPECT_NE(errorOf(projectToJson(s)).find("projection \"a\": delay -1 steps"), std::string::npos);
}

TEST(ProjectJson, FailedSaveKeepsTheOldFile) {
    TempDir dir;
    const NetworkSpec spec = everything();
    saveProject(dir.file("p.json"), spec);
    const auto before = readFile(dir.file("p.json"));
    NetworkSpec bad = spec;
    bad.populations[0].size = 0;
    EXPECT_THROW(saveProject(dir.file("p.json"), bad), Error);
    EXPECT_EQ(readFile(dir.file("p.json")), before);
    EXPECT_THROW(saveProject(dir.file("missing/p.json"), spec), Error);
}
