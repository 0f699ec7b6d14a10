#include "commands.h"

#include "spikelab/error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace spikelab::cli {

std::string usage() {
    return "usage:\n"
           "  spikelab-cli run PROJECT [--data DIR] [--samples N] [--batch B] [--threads T]\n"
           "                           [--backend cpu|cuda|auto] [--set ITEM.PARAM=VALUE ...] [--json]\n"
           "  spikelab-cli validate PROJECT [--data DIR] [--set ITEM.PARAM=VALUE ...]\n"
           "  spikelab-cli train PROJECT [--epochs N] [--seed S] [--data DIR] [--threads T]\n"
           "                             [--train-samples N] [--json]\n"
           "  spikelab-cli sweep PROJECT --param ITEM.PARAM --values START:STOP:STEP|V1,V2,...\n"
           "                             [--samples N] [--data DIR] [--batch B] [--threads T]\n"
           "                             [--backend cpu|cuda|auto] [--set ITEM.PARAM=VALUE ...] [--json]\n"
           "  spikelab-cli models [PROJECT] (the parameter table of every model, as Markdown; with\n"
           "                                a project, its own neuron models too)\n"
           "  spikelab-cli fi-curve MODEL --currents START:STOP:STEP|I1,I2,... [--set PARAM=VALUE ...]\n"
           "                             [--initial VAR=VALUE ...] [--dt MS] [--duration MS] [--lambda MV]\n"
           "                             [--json]\n"
           "                                (firing rate against constant current; LIF: with the analytic rate)\n"
           "  spikelab-cli stimulate MODEL --stimulus TEXT [--set PARAM=VALUE ...] [--initial VAR=VALUE ...]\n"
           "                             [--dt MS] [--duration MS] [--json]\n"
           "                                (one neuron's state at every step under a stimulus, e.g.\n"
           "                                \"step(amplitude=0.5, onset=10) + sine(amplitude=0.2, frequency=5)\")\n"
           "  spikelab-cli fetch mnist|fashion-mnist|nmnist [--dir DIR]   (download a data set)\n"
           "  spikelab-cli export PROJECT OUT.json      (one self-contained file, weights inline)\n"
           "  spikelab-cli import EXPORTED.json NEWPROJECT.json   (back to a project with .npy files)\n"
           "  spikelab-cli help\n";
}

namespace {
std::int64_t parseInteger(const std::string& option, const std::string& text, std::int64_t min,
                          std::int64_t max) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || v < min || v > max)
        throw Error(option + " needs a whole number between " + std::to_string(min) + " and " +
                    std::to_string(max) + ", not " + quote(text));
    return v;
}
// A finite number, the whole of `text`.
double parseNumber(const std::string& option, const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v))
        throw Error(option + " needs a number, not " + quote(text));
    return v;
}
} // namespace

Arguments parseArguments(int argc, char** argv) {
    Arguments a;
    if (argc < 2) throw Error("no command given\n" + usage());
    a.command = argv[1];
    if (a.command == "help" || a.command == "--help" || a.command == "-h") {
        a.command = "help";
        return a;
    }
    if (a.command == "models") {
        for (int i = 2; i < argc; ++i) {
            const std::string arg = argv[i];
            if ((!arg.empty() && arg[0] == '-') || !a.project.empty())
                throw Error("models takes at most one PROJECT, not " + quote(arg) + "\n" + usage());
            a.project = arg;
        }
        return a;
    }
    if (a.command == "fi-curve" || a.command == "stimulate") {
        const bool fi = a.command == "fi-curve";
        if (!fi) {
            a.dt = 0.1;
            a.duration = 200.0;
        }
        for (int i = 2; i < argc; ++i) {
            const std::string arg = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc) throw Error(arg + " needs a value\n" + usage());
                return argv[++i];
            };
            if (fi && arg == "--currents") a.currents = value();
            else if (!fi && arg == "--stimulus") a.stimulus = value();
            else if (arg == "--set") a.settings.push_back(value());
            else if (arg == "--initial") a.initial.push_back(value());
            else if (arg == "--dt") a.dt = parseNumber(arg, value());
            else if (arg == "--duration") a.duration = parseNumber(arg, value());
            else if (fi && arg == "--lambda") a.lambda = parseNumber(arg, value());
            else if (arg == "--json") a.json = true;
            else if (!arg.empty() && arg[0] == '-') throw Error("unknown option " + quote(arg) + "\n" + usage());
            else if (a.model.empty()) a.model = arg;
            else throw Error("unexpected argument " + quote(arg) + "\n" + usage());
        }
        if (fi && (a.model.empty() || a.currents.empty()))
            throw Error("fi-curve needs a MODEL and --currents, e.g. fi-curve LIF --currents 0:2:0.1\n" + usage());
        if (!fi && (a.model.empty() || a.stimulus.empty()))
            throw Error("stimulate needs a MODEL and --stimulus, e.g. stimulate LIF --stimulus "
                        "\"step(amplitude=1, onset=20, duration=100)\"\n" + usage());
        return a;
    }
    if (a.command == "fetch") {
        for (int i = 2; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--dir") {
                if (i + 1 >= argc) throw Error("--dir needs a value\n" + usage());
                a.dir = argv[++i];
            } else if (!arg.empty() && arg[0] == '-') throw Error("unknown option " + quote(arg) + "\n" + usage());
            else if (a.dataset.empty()) a.dataset = arg;
            else throw Error("unexpected argument " + quote(arg) + "\n" + usage());
        }
        if (a.dataset.empty()) throw Error("fetch needs a DATASET (mnist, fashion-mnist or nmnist)\n" + usage());
        return a;
    }
    if (a.command == "export" || a.command == "import") {
        std::vector<std::string> files;
        for (int i = 2; i < argc; ++i) {
            const std::string arg = argv[i];
            if (!arg.empty() && arg[0] == '-') throw Error("unknown option " + quote(arg) + "\n" + usage());
            files.push_back(arg);
        }
        if (files.size() != 2)
            throw Error(a.command + (a.command == "export" ? " needs PROJECT and OUT.json"
                                                           : " needs EXPORTED.json and NEWPROJECT.json") +
                        "\n" + usage());
        a.project = files[0];
        a.output = files[1];
        return a;
    }
    constexpr auto intMax = std::numeric_limits<int>::max();
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw Error(arg + " needs a value\n" + usage());
            return argv[++i];
        };
        if (arg == "--data") a.dataDir = value();
        else if (arg == "--samples") a.samples = parseInteger(arg, value(), 1, std::int64_t(1) << 40);
        else if (arg == "--batch") a.batch = int(parseInteger(arg, value(), 1, 1 << 20));
        else if (arg == "--threads") a.threads = int(parseInteger(arg, value(), 1, 1024));
        else if (arg == "--backend") a.backend = value();
        else if (arg == "--set") a.settings.push_back(value());
        else if (arg == "--json") a.json = true;
        else if (arg == "--epochs") a.epochs = int(parseInteger(arg, value(), 1, intMax));
        else if (arg == "--seed") a.seed = parseInteger(arg, value(), 0, std::numeric_limits<std::int64_t>::max());
        else if (arg == "--param") a.param = value();
        else if (arg == "--values") a.values = value();
        else if (arg == "--train-samples") a.trainLimit = parseInteger(arg, value(), 1, std::int64_t(1) << 40);
        else if (!arg.empty() && arg[0] == '-') throw Error("unknown option " + quote(arg) + "\n" + usage());
        else if (a.project.empty()) a.project = arg;
        else throw Error("unexpected argument " + quote(arg) + "\n" + usage());
    }
    if (a.project.empty()) throw Error(a.command + " needs a PROJECT file\n" + usage());
    if (a.command == "sweep" && (a.param.empty() || a.values.empty()))
        throw Error("sweep needs --param ITEM.PARAM and --values, e.g. --param hidden.Vthr "
                    "--values 3:7:0.5\n" + usage());
    return a;
}

} // namespace spikelab::cli
