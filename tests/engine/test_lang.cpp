// The model language (spikelab/lang.h): a table of bad inputs with their exact messages and
// positions; the GeNN MNIST tutorial's IF neuron and GeNN's LIF, typed as GeNN users write
// them, run by the interpreter, give exactly the spikes of the built-in models.
#include "spec_builders.h"
#include "test_support.h"

#include "spikelab/fileio.h"
#include "spikelab/lang.h"
#include "spikelab/philox.h"
#include "lang/prelude.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace spikelab;
using namespace spikelab::lang;
using namespace spikelab::test;

namespace {

Scope lifScope() {
    Scope s;
    s.parameters = {"C", "TauM", "Vrest", "Vreset", "Vthresh", "Ioffset", "TauRefrac"};
    s.derived = {"ExpTC", "OneMinusExpTC", "Rm"};
    s.state = {"V", "RefracTime"};
    return s;
}

std::string codeError(const std::string& text, bool expression = false) {
    try {
        if (expression)
            parseExpression(text, lifScope(), true);
        else
            parseCode(text, lifScope());
    } catch (const CodeError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Lang, BadCodeGivesTheLineColumnAndReason) {
    const std::pair<std::string, std::string> cases[] = {
        {"V += Isyn;\nV += Isyn_;", "line 2, col 6: unknown name \"Isyn_\" (did you mean \"Isyn\"?)"},
        {"Vthresh = 3;", "line 1, col 1: \"Vthresh\" is a parameter and cannot be assigned; only state variables and locals can"},
        {"Isyn = 0;", "line 1, col 1: \"Isyn\" is a built-in value and cannot be assigned; only state variables and locals can"},
        {"ExpTC *= 2;", "line 1, col 1: \"ExpTC\" is a derived parameter and cannot be assigned; only state variables and locals can"},
        {"V = V + 1", "line 1, col 10: expected \";\" at the end of the assignment, found the end of the code"},
        {"V = exq(V);", "line 1, col 5: unknown function \"exq\" (did you mean \"exp\"?); known: exp, log, log1p, expm1, sqrt, pow, fabs, fmin, fmax, tanh, sin, cos, floor, gennrand_uniform, gennrand_normal"},
        {"V = pow(V);", "line 1, col 5: pow takes 2 arguments, not 1"},
        {"V = V > 1;", "line 1, col 5: the value assigned must be a number, but this is a condition (a comparison or &&, ||, !); write c ? 1 : 0 to turn it into one"},
        {"for (;;) {}", "line 1, col 1: \"for\" is not part of the model language (no loops or jumps)"},
        {"V = V % 2;", "line 1, col 7: unexpected character \"%\" (the language has + - * /, comparisons and && || !)"},
        {"if (V > 0) {\n  V = 0;\n", "line 1, col 12: the block opened here is never closed with \"}\""},
        {"const scalar a = 1;\na = 2;", "line 2, col 1: \"a\" is a const local and cannot be assigned"},
        {"scalar V = 1;", "line 1, col 8: \"V\" is already a name here; choose another name for the local"},
        {"{ scalar a = 1; }\nV = a;", "line 2, col 5: unknown name \"a\""},
        {"V = 1e;", "line 1, col 5: the number 1e has no exponent digits"},
        {"V = 1e39;", "line 1, col 5: the number 1e39 does not fit a float"},
        {"/* open", "line 1, col 1: the comment is never closed with */"},
        {"V = (V + 1;", "line 1, col 11: expected \")\" to close the parenthesis opened at line 1, col 5, found \";\""},
        {"exp(V);", "line 1, col 1: a call is not a statement: its value would be lost"},
        {"V = V\n  * (1 + ;", "line 2, col 10: expected a number, a name or \"(\", found \";\""},
    };
    for (const auto& [code, message] : cases) EXPECT_EQ(codeError(code), message) << code;
    EXPECT_EQ(codeError("V >= Vthresh ||", true), "line 1, col 16: expected a number, a name or \"(\", found the end of the code");
    EXPECT_EQ(codeError("V >= Vthresh; V", true), "line 1, col 13: unexpected \";\" after the expression");
}

TEST(Lang, SizeAndNestingAreBounded) {
    EXPECT_EQ(codeError("V = " + std::string(100, '(') + "V" + std::string(100, ')') + ";").substr(0, 63),
              "line 1, col 68: the code nests more than 64 levels deep");
    EXPECT_CONTAINS(codeError(std::string(1000, '{') + std::string(1000, '}')), "nests more than 64 levels deep");
    EXPECT_CONTAINS(codeError("V = -" + std::string(1000, '-') + "V;"), "nests more than 64 levels deep");
    EXPECT_CONTAINS(codeError(std::string(kMaxCodeBytes + 1, ' ')), "at most 65536 are allowed");
    // Just inside the bounds, code is accepted.
    EXPECT_EQ(codeError("V = " + std::string(60, '(') + "V" + std::string(60, ')') + ";"), "(no error)");
}

// Found while writing fuzz/fuzz_lang (a 64 KB chain fed through the harness; ASan: stack
// overflow): a flat chain "V + V + ... + V" builds a tree as deep as the chain is long, which
// the parser let through (it counted one operator at a time) and the interpreter then
// overflowed the stack on. Each operator of a chain is a level now.
TEST(Lang, ALongChainOfOperatorsCountsAsNesting) {
    std::string chain = "V";
    for (int i = 0; i < 30000; ++i) chain += "+V";  // 60 KB, inside kMaxCodeBytes
    EXPECT_CONTAINS(codeError("V = " + chain + ";"), "nests more than 64 levels deep");
    EXPECT_CONTAINS(codeError(chain, true), "nests more than 64 levels deep");
    EXPECT_CONTAINS(codeError("V = 1 + (V * V * (" + chain + "));"), "nests more than 64 levels deep");
    // Inside the bound, the chain runs, in C's order.
    std::string sum = "1";
    for (int i = 0; i < 50; ++i) sum += " + V";
    const Code code = parseCode("V = " + sum + ";", lifScope());
    Frame frame;
    frame.state = {0.5f, 0.0f};
    run(code, frame);
    EXPECT_EQ(frame.state[0], 26.0f);
}

// Runs typed model code over neurons driven by constant currents for `steps` steps, as a
// backend would: sim code, then the threshold condition, then the reset code on a spike.
std::vector<SpikeEvent> interpret(const std::string& sim, const std::string& threshold, const std::string& reset,
                                  const Scope& scope, Frame frame, const std::vector<float>& currents,
                                  std::int64_t steps) {
    const Code simCode = parseCode(sim, scope), resetCode = parseCode(reset, scope);
    const auto condition = parseExpression(threshold, scope, true);
    std::vector<Frame> neurons(currents.size(), frame);
    std::vector<SpikeEvent> spikes;
    for (std::int64_t t = 0; t < steps; ++t)
        for (std::size_t i = 0; i < neurons.size(); ++i) {
            Frame& f = neurons[i];
            f.builtins = {currents[i], 1.0f, float(t)};
            run(simCode, f);
            if (evaluate(*condition, f) != 0.0f) {
                spikes.push_back({t, std::uint32_t(i)});
                run(resetCode, f);
            }
        }
    return spikes;
}

std::vector<SpikeEvent> builtIn(const PopulationSpec& pop, const std::vector<float>& currents, std::int64_t steps) {
    NetworkSpec spec;
    spec.populations = {pop};
    spec.populations[0].record.spikes = true;
    auto b = cpuBackend(spec);
    b->setInputCurrent(0, 0, currents);
    b->advance(steps);
    return b->spikes(0, 0).all();
}

std::vector<float> someCurrents() {
    std::vector<float> c;
    for (int i = 0; i < 40; ++i) c.push_back(float(i % 9) * 0.37f - 0.2f + float(i) * 0.011f);
    return c;
}

TEST(Lang, TheTutorialsIfTypedInGennSyntaxSpikesLikeTheBuiltIn) {
    Scope scope;
    scope.parameters = {"Vthr"};
    scope.state = {"V"};
    Frame frame;
    frame.parameters = {5.0f};
    frame.state = {0.0f};
    const auto currents = someCurrents();
    const auto typed = interpret("V += Isyn;", "V >= Vthr", "V = 0;", scope, frame, currents, 300);
    ASSERT_GT(typed.size(), 100u);
    EXPECT_EQ(typed, builtIn(population("if", 40, "IF", {{"Vthr", 5.0}}), currents, 300));
}

// GeNN's LIF as a declaration, with named derived parameters computed on the host in double.
NeuronModelCode typedLif() {
    NeuronModelCode m;
    m.parameters = lifScope().parameters;
    m.state = lifScope().state;
    m.derived = {{"ExpTC", "exp(-dt / TauM)"}, {"OneMinusExpTC", "1.0 - ExpTC"}, {"Rm", "TauM / C"}};
    m.sim = R"(// GeNN's LIF, with SpikeLab's named derived parameters
if (RefracTime <= 0.0) {
    const scalar drive = Vrest + Rm * (Isyn + Ioffset);
    V = ExpTC * V + OneMinusExpTC * drive;
}
else {
    RefracTime -= dt;
})";
    m.threshold = "RefracTime <= 0.0 && V >= Vthresh";
    m.reset = "V = Vreset;\nRefracTime = TauRefrac;";
    return m;
}

TEST(Lang, GennsLifTypedSpikesLikeTheBuiltIn) {
    const double tauM = 20.0, c = 0.25;
    const NeuronModelCode code = typedLif();
    const CheckedNeuronModel model = checkNeuronModel(code);
    const std::vector<double> parameters = {c, tauM, -65.0, -70.0, -50.0, 0.0, 2.0};
    const auto derived = derivedValues(model, parameters, 1.0);
    ASSERT_EQ(derived.size(), 3u);
    EXPECT_EQ(derived[0], std::exp(-1.0 / tauM));
    EXPECT_EQ(derived[1], 1.0 - std::exp(-1.0 / tauM)) << "in double, rounded once";
    EXPECT_EQ(derived[2], tauM / c);
    Frame frame;
    for (double p : parameters) frame.parameters.push_back(float(p));
    for (double d : derived) frame.derived.push_back(float(d));
    frame.state = {-65.0f, 0.0f};
    std::vector<float> currents = someCurrents();
    for (auto& x : currents) x *= 3.0f;
    const auto typed = interpret(code.sim, code.threshold, code.reset, model.scope, frame, currents, 300);
    ASSERT_GT(typed.size(), 50u);
    const auto reference = builtIn(population("lif", 40, "LIF", {{"C", c}, {"TauM", tauM}, {"Vreset", -70.0}, {"TauRefrac", 2.0}}),
                                   currents, 300);
    for (std::size_t k = 0; k < std::min(typed.size(), reference.size()); ++k)
        ASSERT_EQ(typed[k], reference[k]) << k << ": typed " << typed[k].step << "/" << typed[k].neuron << " built-in "
                                          << reference[k].step << "/" << reference[k].neuron;
    EXPECT_EQ(typed.size(), reference.size());
}

TEST(Lang, DeclarationErrorsNameTheirPart) {
    const auto errorIn = [](NeuronModelCode m) {
        try {
            checkNeuronModel(m);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    auto m = typedLif();
    m.derived[0].expression = "exp(-dt / TauM) * gennrand_uniform()";
    EXPECT_EQ(errorIn(m), "derived parameter \"ExpTC\": line 1, col 19: gennrand_uniform draws a random number, "
                          "which this code may not do");
    m = typedLif();
    m.derived[0].expression = "exp(-dt / TauM) + Rm";  // Rm comes later
    EXPECT_EQ(errorIn(m), "derived parameter \"ExpTC\": line 1, col 19: unknown name \"Rm\"");
    m = typedLif();
    m.derived[1].expression = "1 - V";  // a derived parameter sees no state
    EXPECT_CONTAINS(errorIn(m), "derived parameter \"OneMinusExpTC\": line 1, col 5: unknown name \"V\"");
    m = typedLif();
    m.sim = "V += Isyn;\nV += Ioffst;";
    EXPECT_EQ(errorIn(m), "sim code: line 2, col 6: unknown name \"Ioffst\" (did you mean \"Ioffset\"?)");
    m = typedLif();
    m.threshold = "V >= Vthres &&";
    EXPECT_CONTAINS(errorIn(m), "threshold condition: line 1, col 6: unknown name \"Vthres\" (did you mean \"Vthresh\"?)");
    m = typedLif();
    m.reset = "TauRefrac = 0;";
    EXPECT_CONTAINS(errorIn(m), "reset code: line 1, col 1: \"TauRefrac\" is a parameter and cannot be assigned");
    m = typedLif();
    m.derived.push_back({"V", "1"});
    EXPECT_EQ(errorIn(m), "derived parameter \"V\": the name is already used in this model");
    m = typedLif();
    m.state.push_back("Isyn");
    EXPECT_EQ(errorIn(m), "state variable \"Isyn\": the name is already used in this model");
}

// The LIF's names as a compiled kernel would spell them: parameters and derived parameters
// in structs, state and built-ins in registers.
std::string lifName(NameKind kind, int index, const void*) {
    const Scope scope = lifScope();
    switch (kind) {
    case NameKind::Parameter: return "p->" + scope.parameters[std::size_t(index)];
    case NameKind::Derived: return "d->" + scope.derived[std::size_t(index)];
    case NameKind::State: return scope.state[std::size_t(index)];
    case NameKind::Builtin: return scope.builtins[std::size_t(index)];
    case NameKind::Local: break;
    }
    return "?";
}

TEST(Lang, TheCPrinterWritesExactLiteralsAndTheTreesOrder) {
    const CheckedNeuronModel model = checkNeuronModel(typedLif());
    EXPECT_EQ(printC(model.sim, lifName, nullptr, 1),
              "    if ((RefracTime <= 0x0p+0f)) {\n"
              "        float l_drive = (p->Vrest + (d->Rm * (Isyn + p->Ioffset)));\n"
              "        V = ((d->ExpTC * V) + (d->OneMinusExpTC * l_drive));\n"
              "    } else {\n"
              "        RefracTime -= dt;\n"
              "    }\n");
    EXPECT_EQ(printC(*model.threshold, lifName, nullptr), "((RefracTime <= 0x0p+0f) && (V >= p->Vthresh))");
    EXPECT_EQ(printC(*parseExpression("0.1 + -2 * exp(V) / 3e-2f", lifScope(), false), lifName, nullptr),
              "(0x1.99999ap-4f + (((-0x1p+1f) * spikelab_exp(V)) / 0x1.eb851ep-6f))");
}

// The printed C, compiled by the system compiler without contraction with SpikeLab's maths
// functions (lang/prelude.h), computes exactly what the interpreter computes: GeNN's LIF with
// noise and a term that calls every function of the language, the membrane potential compared bit for bit
// after every step, and the spikes.
TEST(Lang, PrintedCCompiledByTheSystemCompilerEqualsTheInterpreter) {
    if (std::system("cc --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no C compiler (cc) on this machine";
    NeuronModelCode code = typedLif();
    code.sim += "\nV += 0.1 * gennrand_normal() + 0.05 * (gennrand_uniform() - 0.5);"
                "\nV += 0.5 * (tanh(V / 50.0) + sin(V) * cos(V) + log1p(fabs(V)) - expm1(-fabs(V) / 100.0)"
                " + pow(fabs(V), 0.5) * exp(-fabs(V) / 30.0) - log(fabs(V) + 1.0) + sqrt(fabs(V)) - floor(V)"
                " + fmin(V, -60.0) - fmax(V, -70.0));";
    const CheckedNeuronModel model = checkNeuronModel(code);
    const std::vector<double> parameters = {0.25, 20.0, -65.0, -70.0, -50.0, 0.0, 2.0};
    const auto derived = derivedValues(model, parameters, 1.0);
    std::vector<float> currents = someCurrents();
    for (auto& x : currents) x *= 3.0f;
    constexpr int steps = 300;
    std::string c = "#include \"lang/prelude.h\"\n#include <math.h>\n#include <stdio.h>\n#include <string.h>\n"
                    "struct P { float C, TauM, Vrest, Vreset, Vthresh, Ioffset, TauRefrac; };\n"
                    "struct D { float ExpTC, OneMinusExpTC, Rm; };\n"
                    "int main(void) {\n    const struct P params = {";
    const auto floats = [](const auto& values) {
        std::string out;
        for (double v : values) {
            char text[48];
            std::snprintf(text, sizeof text, "%af, ", double(float(v)));
            out += text;
        }
        return out;
    };
    c += floats(parameters) + "};\n    const struct D derived = {" + floats(derived);
    c += "};\n    const struct P* p = &params;\n    const struct D* d = &derived;\n    const float Isyns[] = {" +
         floats(currents) + "};\n    for (int i = 0; i < " + std::to_string(currents.size()) + "; ++i) {\n"
         "        float V = -65.0f, RefracTime = 0.0f;\n"
         "        for (int t = 0; t < " + std::to_string(steps) + "; ++t) {\n"
         "            const float Isyn = Isyns[i], dt = 1.0f;\n"
         "            const SpikelabRandom b_rng = spikelab_random(7u, 3u, i, (unsigned long long)t);\n" +
         printC(model.sim, lifName, nullptr, 3) +
         "            const int spike = " + printC(*model.threshold, lifName, nullptr) + ";\n"
         "            if (spike) {\n" +
         printC(model.reset, lifName, nullptr, 4) +
         "            }\n"
         "            unsigned bits;\n            memcpy(&bits, &V, 4);\n"
         "            printf(\"%d %d %d %08x\\n\", i, t, spike, bits);\n"
         "        }\n    }\n    return 0;\n}\n";
    TempDir dir;
    writeFileAtomic(dir.file("lif.c"), c);
    const std::string build = "cc -std=c99 -O2 -ffp-contract=off -I" + (sourceDir() / "engine/src").string() + " -o " +
                              dir.file("lif") + " " + dir.file("lif.c") + " -lm 2>" + dir.file("errors");
    ASSERT_EQ(std::system(build.c_str()), 0) << c;
    ASSERT_EQ(std::system((dir.file("lif") + " > " + dir.file("trace")).c_str()), 0);
    std::string want;
    int spikes = 0;
    for (std::size_t i = 0; i < currents.size(); ++i) {
        Frame frame;
        for (double p : parameters) frame.parameters.push_back(float(p));
        for (double d : derived) frame.derived.push_back(float(d));
        frame.state = {-65.0f, 0.0f};
        frame.random.key[0] = 7u;
        frame.random.key[1] = 3u;
        frame.random.neuron = std::uint32_t(i);
        for (int t = 0; t < steps; ++t) {
            frame.builtins = {currents[i], 1.0f, float(t)};
            frame.random.step = std::uint64_t(t);
            run(model.sim, frame);
            const bool spike = evaluate(*model.threshold, frame) != 0.0f;
            if (spike) run(model.reset, frame);
            spikes += spike;
            std::uint32_t bits;
            std::memcpy(&bits, &frame.state[0], 4);
            char line[64];
            std::snprintf(line, sizeof line, "%zu %d %d %08x\n", i, t, int(spike), unsigned(bits));
            want += line;
        }
    }
    const auto got = readFile(dir.file("trace"));
    ASSERT_GT(spikes, 50);
    EXPECT_EQ(std::string(got.begin(), got.end()), want);
}

TEST(Lang, ExpressionsFollowCsPrecedenceAndFloatRounding) {
    Scope scope;
    scope.state = {"x"};
    const auto value = [&](const std::string& text) {
        Frame f;
        f.state = {3.0f};
        f.builtins = {0.5f, 1.0f, 7.0f};
        return evaluate(*parseExpression(text, scope, false), f);
    };
    EXPECT_EQ(value("1 + 2 * 3 - 4 / 2"), 5.0f);
    EXPECT_EQ(value("-x * -2"), 6.0f);
    EXPECT_EQ(value("x > 2 && x < 4 ? 1 : 0"), 1.0f);
    EXPECT_EQ(value("!(x == 3) || t != 7 ? 1 : 2"), 2.0f);
    EXPECT_EQ(value("fmax(x, Isyn) + fmin(x, Isyn) + floor(2.5f) + pow(2, 3)"), 13.5f);
    EXPECT_EQ(value("0.1 + 0.2"), 0.1f + 0.2f) << "literals are floats, as in float code";
    EXPECT_EQ(value("exp(1)"), std::exp(1.0f));
}

// Random numbers (lang/prelude.h, "Random numbers"): each call site has its own number in the
// model, in source order across the sim code, the threshold and the reset; a draw is Philox
// 4x32-10 of (draw, neuron, step) under the key (population, copy), the engine's own Philox.
TEST(Lang, RandomNumbersArePhiloxOfTheStreamAndTheCallSite) {
    NeuronModelCode code;
    code.parameters = {"Vthr"};
    code.state = {"V", "U"};
    code.sim = "V = gennrand_uniform();\nif (V > 2) { V += gennrand_normal(); }\nU = gennrand_uniform();";
    code.threshold = "V + 0 * gennrand_uniform() >= Vthr";
    code.reset = "V = gennrand_normal();";
    const CheckedNeuronModel model = checkNeuronModel(code);
    EXPECT_EQ(model.randomDraws, 5);
    const Expr& third = *model.sim.statements[2].value;
    EXPECT_EQ(third.draw, 2) << "a branch's call site keeps its number whether or not it runs";
    EXPECT_EQ(model.reset.statements[0].value->draw, 4);

    const auto philox = [](std::uint32_t draw, std::uint32_t neuron, std::uint64_t step) {
        return philox4x32({draw, neuron, std::uint32_t(step), std::uint32_t(step >> 32)}, {0x1234u, 5u});
    };
    Frame f;
    f.parameters = {0.5f};
    f.state = {0.0f, 0.0f};
    f.builtins = {0.0f, 1.0f, 0.0f};
    f.random.key[0] = 0x1234u;
    f.random.key[1] = 5u;
    f.random.neuron = 17;
    f.random.step = (std::uint64_t(3) << 32) + 99;
    run(model.sim, f);
    EXPECT_EQ(f.state[0], uniformFromBits(philox(0, 17, f.random.step)[0]));
    EXPECT_EQ(f.state[1], uniformFromBits(philox(2, 17, f.random.step)[0]));
    run(model.reset, f);
    const auto bits = philox(4, 17, f.random.step);
    const float u1 = 1.0f - uniformFromBits(bits[0]), u2 = uniformFromBits(bits[1]);
    EXPECT_EQ(f.state[0], spikelab_sqrt(-2.0f * spikelab_log(u1)) * spikelab_cos(0x1.921fb6p+2f * u2));

    // Over many neurons and steps: uniform in [0, 1) with mean 1/2 and variance 1/12, normal with
    // mean 0 and variance 1; another neuron, step, key or copy draws another number.
    const auto u = parseExpression("gennrand_uniform()", Scope{}, false);
    const auto z = parseExpression("gennrand_normal()", Scope{}, false);
    double su = 0, suu = 0, sz = 0, szz = 0;
    constexpr int n = 200000;
    for (int i = 0; i < n; ++i) {
        Frame g;
        g.builtins = {0.0f, 1.0f, 0.0f};
        g.random.neuron = std::uint32_t(i % 1000);
        g.random.step = std::uint64_t(i / 1000);
        const double x = evaluate(*u, g), y = evaluate(*z, g);
        ASSERT_GE(x, 0.0);
        ASSERT_LT(x, 1.0);
        su += x, suu += x * x, sz += y, szz += y * y;
    }
    EXPECT_NEAR(su / n, 0.5, 0.003);
    EXPECT_NEAR(suu / n - (su / n) * (su / n), 1.0 / 12.0, 0.002);
    EXPECT_NEAR(sz / n, 0.0, 0.01);
    EXPECT_NEAR(szz / n, 1.0, 0.01);
    Frame a, b, c, d;
    a.builtins = b.builtins = c.builtins = d.builtins = {0.0f, 1.0f, 0.0f};
    b.random.neuron = 1;
    c.random.step = 1;
    d.random.key[1] = 1;
    const float first = evaluate(*u, a);
    EXPECT_NE(first, evaluate(*u, b));
    EXPECT_NE(first, evaluate(*u, c));
    EXPECT_NE(first, evaluate(*u, d));
    EXPECT_EQ(first, evaluate(*u, a)) << "the same stream and call site draw the same number";
    EXPECT_NE(randomKeyOf("hidden"), randomKeyOf("output"));
}

} // namespace

namespace {
// The model editor underlines an error in the field it is in: the error says which part.
TEST(Lang, CheckErrorsNameThePartTheLineAndTheColumn) {
    NeuronModelCode code = typedLif();
    code.reset = "V = Vreset;\nV = Vrest_;";
    try {
        checkNeuronModel(code);
        FAIL() << "accepted a misspelt name";
    } catch (const CodeError& e) {
        EXPECT_EQ(e.where(), "reset code");
        EXPECT_EQ(e.line(), 2);
        EXPECT_EQ(e.column(), 5);
        EXPECT_EQ(e.message(), "unknown name \"Vrest_\" (did you mean \"Vrest\"?)");
    }
    code = typedLif();
    code.derived[0].expression = "exp(-dt / TauM_)";
    try {
        checkNeuronModel(code);
        FAIL() << "accepted a misspelt name";
    } catch (const CodeError& e) {
        EXPECT_EQ(e.where(), "derived parameter \"" + code.derived[0].name + "\"");
        EXPECT_EQ(e.column(), 11);
    }
}
} // namespace
