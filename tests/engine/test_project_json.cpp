// Project files: exact round trips, strict reading, clear errors, atomic saves.
#include "spec_builders.h"
#include "spikelab/error.h"
#include "spikelab/fileio.h"
#include "spikelab/project.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
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
    s.populations[1].position = CanvasPosition{12.5, -3.25};
    s.inputs[0].position = CanvasPosition{-0.1, 1e6};
    s.provenance = {"fashion-mnist (60000 training images)",
                    "spikelab-cli train 'my project.json' --epochs 15", 0.8875, 1.0 / 3.0};
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

TEST(ProjectJson, WritesPositionsAndProvenanceOnlyWhenPresent) {
    NetworkSpec spec = everything();
    const auto j = nlohmann::ordered_json::parse(projectToJson(spec));
    EXPECT_EQ(j["version"], 3);
    EXPECT_EQ(j["populations"][1]["position"], nlohmann::json::parse("[12.5, -3.25]"));
    EXPECT_EQ(j["inputs"][0]["position"], nlohmann::json::parse("[-0.1, 1000000.0]"));
    EXPECT_FALSE(j["populations"][0].contains("position"));
    const std::string provenance =
        R"x({"dataset":"fashion-mnist (60000 training images)","command":"spikelab-cli )x"
        R"(train 'my project.json' --epochs 15","ann_accuracy":0.8875,)"
        R"("snn_accuracy":0.3333333333333333})";
    EXPECT_EQ(j["provenance"].dump(), provenance);

    spec.provenance = {};
    spec.provenance.snnAccuracy = 0.0;
    EXPECT_EQ(nlohmann::ordered_json::parse(projectToJson(spec))["provenance"].dump(),
              R"({"snn_accuracy":0.0})");
    spec.provenance = {};
    spec.populations[1].position.reset();
    spec.inputs[0].position.reset();
    const std::string text = projectToJson(spec);
    EXPECT_EQ(text.find("provenance"), std::string::npos);
    EXPECT_EQ(text.find("position"), std::string::npos);
    EXPECT_EQ(projectFromJson(text, "mem"), spec);
}

TEST(ProjectJson, ShippedProjectsRoundTripByteForByte) {
    for (const char* rel : {"projects/mnist-if/mnist-if.json",
                            "projects/fashion-mnist-if/fashion-mnist-if.json",
                            "projects/mushroom-body-pn/mushroom-body-pn.json",
                            "projects/nmnist-replay/nmnist-replay.json"}) {
        const auto path = (sourceDir() / rel).string();
        const auto bytes = readFile(path);
        EXPECT_EQ(projectToJson(loadProject(path)), std::string(bytes.begin(), bytes.end())) << rel;
        EXPECT_NE(std::string(bytes.begin(), bytes.end()).find("\"version\": 3,"), std::string::npos)
            << rel << " is not saved in the current format version";
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

TEST(ProjectJson, VersionOneIsMigratedAndNewerVersionsAreRefused) {
    // A version 1 file is a version 3 file without positions, provenance and models; a version
    // 2 file is one without models.
    NetworkSpec spec = everything();
    spec.provenance = {};
    spec.populations[1].position.reset();
    spec.inputs[0].position.reset();
    const std::string v3 = projectToJson(spec);
    const std::string versionLine = "\"version\": 3,";
    ASSERT_NE(v3.find(versionLine), std::string::npos);
    for (const char* older : {"\"version\": 1,", "\"version\": 2,"}) {
        std::string text = v3;
        text.replace(text.find(versionLine), versionLine.size(), older);
        const NetworkSpec migrated = projectFromJson(text, "mem");
        EXPECT_EQ(migrated, spec) << older;
        EXPECT_EQ(projectToJson(migrated), v3) << older;
    }

    const auto withVersion = [](const std::string& version) {
        return errorOf(R"({"format":"spikelab-project","version":)" + version +
                       R"(,"experiment":{"dt":1.0,"steps_per_sample":10}})");
    };
    EXPECT_EQ(withVersion("1"), "no error");
    EXPECT_EQ(withVersion("2"), "no error");
    EXPECT_EQ(withVersion("3"), "no error");
    EXPECT_EQ(withVersion("4"),
              "file \"t.json\" is format version 4, this SpikeLab reads up to 3; update SpikeLab");
    EXPECT_CONTAINS(withVersion("99"), "is format version 99, this SpikeLab reads up to 3");
    EXPECT_CONTAINS(withVersion("0"), "file \"t.json\": format version 0 is not valid");
    EXPECT_CONTAINS(withVersion("-2"), "file \"t.json\": format version -2 is not valid");
    EXPECT_CONTAINS(withVersion("1.5"), "\"version\" must be a whole number, not 1.5");
    EXPECT_CONTAINS(withVersion("2.0"), "\"version\" must be a whole number, not 2.0");
    EXPECT_CONTAINS(withVersion("\"2\""), "\"version\" must be a whole number, not \"2\"");
}

TEST(ProjectJson, BadPositionsAndProvenanceAreRefusedNamingTheItem) {
    struct Case {
        std::string text, message;
    };
    const auto pop = [](const std::string& position) {
        return withPopulation(R"({"name":"h","size":3,"model":"IF","position":)" + position + "}");
    };
    const auto input = [](const std::string& position) {
        return R"({"format":"spikelab-project","version":2,"populations":[{"name":"h","size":3,)"
               R"("model":"IF"}],"inputs":[{"name":"px","type":"CurrentInjection","target":"h",)"
               R"("position":)" +
               position + R"(}],"experiment":{"dt":1.0,"steps_per_sample":10}})";
    };
    const auto provenance = [](const std::string& p) {
        return R"({"format":"spikelab-project","version":2,"provenance":)" + p +
               R"(,"experiment":{"dt":1.0,"steps_per_sample":10}})";
    };
    const std::string mustBe = "\"position\" must be [x, y] (two numbers), not ";
    const std::vector<Case> cases = {
        {pop("[1]"), "populations[0] (population \"h\"): " + mustBe + "[1]"},
        {pop("[1,2,3]"), "(population \"h\"): " + mustBe + "[1,2,3]"},
        {pop("[1,\"2\"]"), "(population \"h\"): " + mustBe + "[1,\"2\"]"},
        {pop("{\"x\":1,\"y\":2}"), "(population \"h\"): " + mustBe},
        {pop("null"), "(population \"h\"): " + mustBe + "null"},
        {pop("[1e999,0]"), "number overflow"},
        {input("[0]"), "inputs[0] (input \"px\"): " + mustBe + "[0]"},
        {input("\"left\""), "inputs[0] (input \"px\"): " + mustBe + "\"left\""},
        {provenance("[]"), "file \"t.json\": provenance: must be a JSON object"},
        {provenance(R"({"dataset":3})"), "provenance: \"dataset\" must be a string, not 3"},
        {provenance(R"({"command":["a"]})"), "provenance: \"command\" must be a string"},
        {provenance(R"({"ann_accuracy":"0.9"})"),
         "provenance: \"ann_accuracy\" must be a number, not \"0.9\""},
        {provenance(R"({"ann_accuracy":1.5})"),
         "file \"t.json\": provenance: ann_accuracy 1.5 must be between 0 and 1"},
        {provenance(R"({"snn_accuracy":-0.01})"),
         "provenance: snn_accuracy -0.01 must be between 0 and 1"},
        {provenance(R"({"snn_accuracy":null})"), "\"snn_accuracy\" must be a number, not null"},
        {provenance(R"({"accuracy":0.5})"), "provenance: unknown key \"accuracy\""},
    };
    for (const auto& c : cases) EXPECT_CONTAINS(errorOf(c.text), c.message) << c.text;
    EXPECT_EQ(errorOf(provenance(R"({"ann_accuracy":0,"snn_accuracy":1})")), "no error");

    // Values that JSON cannot hold are refused when saving, and nothing is written.
    TempDir dir;
    const auto saveError = [&](const NetworkSpec& spec) {
        return spikelab::test::errorOf([&] { saveProject(dir.file("p.json"), spec); });
    };
    NetworkSpec s = everything();
    s.populations[0].position = CanvasPosition{std::nan(""), 0.0};
    EXPECT_EQ(saveError(s), "population \"in\": position (nan, 0) must be two finite numbers");
    s = everything();
    s.inputs[0].position = CanvasPosition{1.0, -HUGE_VAL};
    EXPECT_EQ(saveError(s), "input \"pixels\": position (1, -inf) must be two finite numbers");
    s = everything();
    s.provenance.snnAccuracy = std::nan("");
    EXPECT_EQ(saveError(s), "provenance: snn_accuracy nan must be between 0 and 1");
    EXPECT_FALSE(std::filesystem::exists(dir.file("p.json")));
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
