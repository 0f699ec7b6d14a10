// spikelab-cli: the headless runner. Argument parsing and dispatch only.
#include "commands.h"

#include "spikelab/error.h"

#include <cstdio>
#include <exception>
#include <new>

int main(int argc, char** argv) {
    using namespace spikelab::cli;
    try {
        const Arguments args = parseArguments(argc, argv);
        if (args.command == "help") {
            std::fputs(usage().c_str(), stdout);
            return 0;
        }
        if (args.command == "models") return modelsCommand(args);
        if (args.command == "run") return runCommand(args);
        if (args.command == "validate") return validateCommand(args);
        if (args.command == "train") return trainCommand(args);
        if (args.command == "sweep") return sweepCommand(args);
        if (args.command == "fetch") return fetchCommand(args);
        if (args.command == "fi-curve") return fiCurveCommand(args);
        if (args.command == "stimulate") return stimulateCommand(args);
        if (args.command == "export") return exportCommand(args);
        if (args.command == "import") return importCommand(args);
        std::fprintf(stderr, "spikelab-cli: unknown command \"%s\"\n%s", args.command.c_str(),
                     usage().c_str());
        return 2;
    } catch (const spikelab::Error& e) {
        std::fprintf(stderr, "spikelab-cli: error: %s\n", e.what());
        return 1;
    } catch (const std::bad_alloc&) {
        // Networks and files are checked against the machine's memory before they are built
        // (docs/architecture.md, "Errors"); what still runs out is said plainly.
        std::fprintf(stderr, "spikelab-cli: out of memory while running \"%s\": the project or "
                     "its data need more memory than this machine can give (try fewer --batch "
                     "copies or --threads)\n", argc > 1 ? argv[1] : "");
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "spikelab-cli: %s\n", e.what());
        return 3;
    }
}
