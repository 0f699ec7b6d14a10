// Weight-update models in the model language (docs/architecture.md, "Weight-update models"):
// the built-in declarations read and check, the checker gives each block only the names it
// may see, and the rules run by the interpreter in the documented order of a step give the
// pair-based STDP weights computed by hand.
#include "test_support.h"

#include "spikelab/lang.h"
#include "spikelab/model_declaration.h"
#include "spikelab/models.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace spikelab;
using spikelab::test::sourceDir;

namespace {

std::string declarationText(const std::string& file) {
    std::ifstream in(sourceDir() / "engine/models/weight_update" / file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

WeightUpdateModelDeclaration builtin(const std::string& file) {
    return weightUpdateModelFromJson(declarationText(file), file);
}

// The error a declaration with `pairs` (more JSON members after "name") gives.
std::string errorOf(const std::string& members) {
    try {
        weightUpdateModelFromJson("{\"name\": \"W\", " + members + "}", "w.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

const std::string kSynapse = "\"synapse\": [{\"name\": \"g\", \"initial\": 0}], \"weight\": \"g\", ";
const std::string kTraces = "\"pre\": [{\"name\": \"x\", \"initial\": 0}], \"post\": [{\"name\": \"y\", \"initial\": 0}], ";

// One synapse between one presynaptic and one postsynaptic neuron whose spike steps are given,
// run by the interpreter in the order of a step (docs/architecture.md, "Weight-update models"):
// at step t the synapse code runs for the spikes of step t - 1, pre-spike code first, with t
// the time of step t; after the neurons' update at step t, spike times are set, then each
// side's dynamics code runs and, for a neuron that spiked, its spike code.
struct PairRun {
    lang::CheckedWeightUpdateModel model;
    std::vector<float> k;  // parameters, then derived parameters
    std::vector<float> synapse, pre, post;
    float stPre = -FLT_MAX, stPost = -FLT_MAX;
    float delivered = 0.0f;  // what addToPost gave the target, summed

    PairRun(const WeightUpdateModelDeclaration& d, const ParamValues& given, float weight) {
        model = checkDeclaration(d);
        const auto values = resolveParams(d.parameters, given, "test");
        std::vector<double> params;
        for (const auto& p : d.parameters) params.push_back(values.at(p.name));
        for (const double v : params) k.push_back(float(v));
        for (const double v : lang::derivedValues(model, params, kDt)) k.push_back(float(v));
        for (const auto& v : d.synapse) synapse.push_back(float(v.defaultValue));
        for (const auto& v : d.pre) pre.push_back(float(v.defaultValue));
        for (const auto& v : d.post) post.push_back(float(v.defaultValue));
        synapse[std::size_t(model.weight)] = weight;
    }

    static constexpr double kDt = 1.0;

    lang::Frame frame(std::vector<float>& state, std::vector<float> builtins) {
        lang::Frame f;
        f.parameters.assign(k.begin(), k.begin() + std::ptrdiff_t(model.preSynapse.parameters.size()));
        f.derived.assign(k.begin() + std::ptrdiff_t(model.preSynapse.parameters.size()), k.end());
        f.state = state;
        f.builtins = std::move(builtins);
        return f;
    }
    // Synapse code (pre or post) for the step at time t.
    void synapseCode(const lang::Code& code, float t, bool deliver) {
        std::vector<float> builtins = {float(kDt), t, stPre, stPost};
        builtins.insert(builtins.end(), pre.begin(), pre.end());
        builtins.insert(builtins.end(), post.begin(), post.end());
        lang::Frame f = frame(synapse, builtins);
        if (deliver) f.addToPost = &delivered;
        lang::run(code, f);
        synapse = f.state;
    }
    void neuronCode(const lang::Code& code, std::vector<float>& state, float t) {
        lang::Frame f = frame(state, {float(kDt), t});
        lang::run(code, f);
        state = f.state;
    }

    // Runs steps 0 .. steps-1; returns the weight after each step.
    std::vector<float> run(const std::vector<int>& preSpikes, const std::vector<int>& postSpikes, int steps) {
        const auto spikesAt = [](const std::vector<int>& spikes, int step) {
            return std::find(spikes.begin(), spikes.end(), step) != spikes.end();
        };
        std::vector<float> weights;
        for (int step = 0; step < steps; ++step) {
            const float t = float(step * kDt);
            if (spikesAt(preSpikes, step - 1)) synapseCode(model.preSpikeSyn, t, true);
            if (spikesAt(postSpikes, step - 1)) synapseCode(model.postSpikeSyn, t, false);
            const bool preSpiked = spikesAt(preSpikes, step), postSpiked = spikesAt(postSpikes, step);
            if (preSpiked) stPre = t;
            if (postSpiked) stPost = t;
            neuronCode(model.preDynamics, pre, t);
            if (preSpiked) neuronCode(model.preSpike, pre, t);
            neuronCode(model.postDynamics, post, t);
            if (postSpiked) neuronCode(model.postSpike, post, t);
            weights.push_back(synapse[std::size_t(model.weight)]);
        }
        return weights;
    }
};

ParamValues stdpParams() {
    return {{"tauPlus", 20.0}, {"tauMinus", 20.0}, {"aPlus", 0.01}, {"aMinus", 0.012}, {"wMin", 0.0}, {"wMax", 1.0}};
}

// A trace of 1 after `steps` decays of exp(-1/20), in float as the code computes it.
float decayed(int steps) {
    const float d = float(std::exp(-1.0 / 20.0));
    float x = 1.0f;
    for (int i = 0; i < steps; ++i) x *= d;
    return x;
}

} // namespace

TEST(WeightUpdate, TheBuiltInDeclarationsReadCheckAndRoundTrip) {
    for (const char* file : {"static_pulse.json", "stdp_additive.json", "stdp_symmetric.json"}) {
        const auto d = builtin(file);
        EXPECT_EQ(weightUpdateModelFromJson(weightUpdateModelToJson(d), "again"), d) << file;
    }
    const auto pulse = checkDeclaration(builtin("static_pulse.json"));
    EXPECT_TRUE(pulse.pulse);
    EXPECT_FALSE(pulse.plastic);
    for (const char* file : {"stdp_additive.json", "stdp_symmetric.json"}) {
        const auto rule = checkDeclaration(builtin(file));
        EXPECT_TRUE(rule.plastic) << file;
        EXPECT_FALSE(rule.pulse) << file;
    }
    // The registry holds the built-in declarations, in their order.
    ASSERT_EQ(weightUpdateModels().size(), 3u);
    EXPECT_EQ(*weightUpdateModel("StaticPulse", "test").declaration, builtin("static_pulse.json"));
    EXPECT_TRUE(weightUpdateModel("StaticPulse", "test").code->pulse);
    EXPECT_TRUE(weightUpdateModel("STDPAdditive", "test").code->plastic);
    EXPECT_EQ(weightUpdateModel("STDPSymmetric", "test").builtin, 2);
    // A fixed weight delivered through an expression is neither a pulse nor plastic.
    const auto scaled = lang::checkWeightUpdateModel({{"s"}, {}, {"g"}, {}, {}, "g", "addToPost(s * g);", "", "", "", "", ""});
    EXPECT_FALSE(scaled.pulse);
    EXPECT_FALSE(scaled.plastic);
}

TEST(WeightUpdate, EachBlockSeesOnlyItsNames) {
    const auto expectError = [](const std::string& members, const std::string& part) {
        const std::string error = errorOf(members);
        EXPECT_NE(error.find(part), std::string::npos) << "wanted: " << part << "\ngot: " << error;
    };
    expectError(kSynapse + "\"pre_spike_syn\": \"addToPost(g);\", \"post_spike_syn\": \"addToPost(g);\"",
                "w.json: weight-update model \"W\": post_spike_syn code: line 1, col 1: addToPost(...) delivers "
                "to the target neuron, which only a weight-update model's pre-spike synapse code");
    expectError(kSynapse + kTraces + "\"pre_spike_syn\": \"addToPost(g); y = 0;\"",
                "pre_spike_syn code: line 1, col 15: \"y\" is a postsynaptic variable, which only post_spike and "
                "post_dynamics code changes and cannot be assigned here");
    expectError(kSynapse + kTraces + "\"pre_spike_syn\": \"addToPost(g); st_pre = 0;\"",
                "\"st_pre\" is the time of the last presynaptic spike, which the simulation sets");
    expectError(kSynapse + kTraces + "\"pre_spike_syn\": \"addToPost(g);\", \"pre_spike\": \"x += g;\"",
                "pre_spike code: line 1, col 6: \"g\" is a synapse variable, and this code runs once per "
                "presynaptic neuron");
    expectError(kSynapse + kTraces + "\"pre_spike_syn\": \"addToPost(g);\", \"post_dynamics\": \"y = x;\"",
                "post_dynamics code: line 1, col 5: \"x\" is a presynaptic variable, and this code runs once per "
                "postsynaptic neuron");
    expectError(kSynapse + kTraces + "\"pre_spike_syn\": \"addToPost(g);\", \"post_dynamics\": \"y = t - st_post;\"",
                "\"st_post\" is a spike time, which only synapse code sees");
    expectError(kSynapse + "\"pre_spike_syn\": \"addToPost(g); g += gennrand_uniform();\"",
                "gennrand_uniform draws a random number, which this code may not do");
    expectError("\"synapse\": [{\"name\": \"g\", \"initial\": 0}], \"pre_spike_syn\": \"addToPost(g);\"",
                "names no weight");
    expectError("\"synapse\": [{\"name\": \"g\", \"initial\": 0}], \"weight\": \"w\", \"pre_spike_syn\": \"addToPost(g);\"",
                "the weight \"w\" is not one of its synapse variables");
    expectError(kSynapse + "\"pre_spike_syn\": \"\"", "has no \"pre_spike_syn\" code");
    for (const char* taken : {"t", "st_pre", "addToPost"})
        expectError(kSynapse + "\"parameters\": [{\"name\": \"" + std::string(taken) +
                        "\", \"default\": 1}], \"pre_spike_syn\": \"addToPost(g);\"",
                    "parameter \"" + std::string(taken) + "\": the name is already used in this model");
    expectError(kSynapse + "\"pre_spike_syn\": \"addToPost(g);\", \"synapse_dynamics\": \"g *= 0.9;\"",
                "\"synapse_dynamics\" (code run every step for every synapse) is not supported yet");
    expectError(kSynapse + "\"pre_spike_syn\": \"float addToPost = g; addToPost(g);\"",
                "\"addToPost\" is already a name here");
    expectError(kSynapse + "\"pre_spike_syn\": \"addToPost(g > 0);\"",
                "what addToPost delivers must be a number, but this is a condition");
}

TEST(WeightUpdate, NeuronCodeCannotDeliver) {
    lang::Scope scope;
    scope.state = {"V"};
    try {
        lang::parseCode("V += 1;\naddToPost(V);", scope);
        FAIL() << "addToPost was accepted in neuron code";
    } catch (const lang::CodeError& e) {
        EXPECT_EQ(e.line(), 2);
        EXPECT_NE(e.message().find("only a weight-update model's pre-spike synapse code"), std::string::npos)
            << e.what();
    }
}

TEST(WeightUpdate, AddToPostDeliversBeforeTheCodeChangesTheWeight) {
    const auto stdp = checkDeclaration(builtin("stdp_additive.json"));
    // pre_spike_syn with a postsynaptic trace of 1: delivers 0.5, then g = 0.5 - 0.012.
    lang::Frame f;
    f.parameters = {20, 20, 0.01f, 0.012f, 0, 1};
    f.derived = {0.95f, 0.95f};
    f.state = {0.5f};
    f.builtins = {1, 11, 10, -FLT_MAX, 0, 1};  // dt, t, st_pre, st_post, preTrace, postTrace
    float out = 0.25f;
    f.addToPost = &out;
    lang::run(stdp.preSpikeSyn, f);
    EXPECT_EQ(out, 0.75f);
    EXPECT_EQ(f.state[0], 0.5f - 0.012f * 1.0f);
    // Without a target to deliver to, the interpreter refuses rather than dropping the value.
    f.addToPost = nullptr;
    EXPECT_THROW(lang::run(stdp.preSpikeSyn, f), InternalError);
    // The C printer leaves delivery to the kernel around the code.
    const std::string c = lang::printC(
        stdp.preSpikeSyn,
        [](lang::NameKind kind, int index, const void*) { return std::string(kind == lang::NameKind::State ? "g" : "b") + std::to_string(index); },
        nullptr);
    EXPECT_EQ(c.rfind("SPIKELAB_ADD_TO_POST(g0);\n", 0), 0u) << c;
}

TEST(WeightUpdate, AdditiveStdpGivesTheWeightsComputedByHand) {
    const auto d = builtin("stdp_additive.json");
    const float w0 = 0.5f;
    // Potentiation: pre at 10, post at 15. The post code runs at step 16 and sees the pre trace
    // after five decays (steps 11 to 15): g = 0.5 + 0.01 e^(-5/20).
    {
        PairRun run(d, stdpParams(), w0);
        const auto w = run.run({10}, {15}, 30);
        EXPECT_EQ(w[15], w0);  // not yet
        EXPECT_EQ(w[16], w0 + 0.01f * decayed(5));
        EXPECT_NEAR(w[29], 0.5 + 0.01 * std::exp(-0.25), 1e-6);
        EXPECT_NEAR(w[29], 0.50778800, 1e-7);
        EXPECT_EQ(run.delivered, w0);  // the pre spike delivered the weight it found
    }
    // Depression: post at 10, pre at 15: g = 0.5 - 0.012 e^(-5/20).
    {
        PairRun run(d, stdpParams(), w0);
        const auto w = run.run({15}, {10}, 30);
        EXPECT_EQ(w[29], w0 - 0.012f * decayed(5));
        EXPECT_NEAR(w[29], 0.49065438, 1e-7);
    }
    // Both in the same step: each side's code sees the other's fresh trace of 1.
    {
        PairRun run(d, stdpParams(), w0);
        const auto w = run.run({10}, {10}, 30);
        EXPECT_EQ(w[29], (w0 - 0.012f) + 0.01f);
        EXPECT_NEAR(w[29], 0.498, 1e-7);
    }
    // All to all: pre at 10 and 20, post at 15; the pre spike at 10 finds no post trace.
    {
        PairRun run(d, stdpParams(), w0);
        const auto w = run.run({10, 20}, {15}, 30);
        EXPECT_EQ(w[29], (w0 + 0.01f * decayed(5)) - 0.012f * decayed(5));
        EXPECT_NEAR(w[29], 0.49844238, 1e-7);
    }
    // Clipped at wMax: 0.995 + 0.01 e^(-1/20) = 1.0045 becomes 1.
    {
        PairRun run(d, stdpParams(), 0.995f);
        const auto w = run.run({10}, {11}, 30);
        EXPECT_EQ(w[29], 1.0f);
    }
}

TEST(WeightUpdate, TheMushroomBodysSymmetricRule) {
    const auto d = builtin("stdp_symmetric.json");
    const ParamValues p = {{"tau", 15.0}, {"rho", 0.01}, {"eta", 2e-5}, {"wMin", 0.0}, {"wMax", 0.0233}};
    // Pre at 10, post at 15. Step 11: the pre code finds no post spike yet: exp(-huge) = 0, so
    // g += eta * (0 - rho). Step 16: the post code sees t - st_pre = 16 - 10 = 6 ms.
    PairRun run(d, p, 0.01f);
    const auto w = run.run({10}, {15}, 30);
    const double afterPre = 0.01 + 2e-5 * (0.0 - 0.01);
    EXPECT_NEAR(w[11], afterPre, 1e-8);
    EXPECT_NEAR(w[29], afterPre + 2e-5 * (std::exp(-6.0 / 15.0) - 0.01), 1e-8);
    // Clipped to [wMin, wMax] both ways.
    PairRun low(d, p, 0.0f);
    EXPECT_EQ(low.run({10}, {}, 20)[19], 0.0f);
    PairRun high(d, p, 0.0233f);
    EXPECT_EQ(high.run({10}, {10}, 20)[19], 0.0233f);
}
