#pragma once
// The subcommands of spikelab-cli. Each returns the process exit code; user-facing errors are
// thrown as spikelab::Error and printed by main().
#include <cstdint>
#include <string>
#include <vector>

namespace spikelab::cli {

struct Arguments {
    std::string command;
    std::string project;
    std::string dataDir;
    std::int64_t samples = 0;
    int batch = 0;
    int threads = 0;
    std::string backend = "cpu";
    std::vector<std::string> settings;
    bool json = false;
    int epochs = 0;           // 0: the project's training settings
    std::int64_t seed = -1;   // -1: the project's training seed
    std::int64_t trainLimit = 0;
    std::string dataset;      // fetch: the data set to download
    std::string dir;          // fetch --dir: the folder to download into
    std::string param;        // sweep --param ITEM.PARAM
    std::string values;       // sweep --values START:STOP:STEP or V1,V2,...
    std::string output;       // export: OUT.json; import: NEWPROJECT.json
    std::string model;        // fi-curve: the neuron model
    std::string currents;     // fi-curve --currents START:STOP:STEP or I1,I2,...
    std::vector<std::string> initial;  // fi-curve --initial VAR=VALUE
    double dt = 0.01;         // fi-curve --dt (ms)
    double duration = 1000.0; // fi-curve --duration (ms)
    double lambda = 0.05;     // fi-curve --lambda (mV): the soft LIF's smoothing
    std::string stimulus;     // stimulate --stimulus (spikelab/stimulus.h)
};

// Parses argv; throws spikelab::Error with a usage hint on bad arguments.
Arguments parseArguments(int argc, char** argv);
std::string usage();

int runCommand(const Arguments& args);
int validateCommand(const Arguments& args);
int trainCommand(const Arguments& args);
// Evaluates the project at each value of one parameter (spikelab/sweep.h).
int sweepCommand(const Arguments& args);
// Prints every model's parameter table as Markdown.
int modelsCommand(const Arguments& args);
// The firing rate of a built-in neuron model against constant currents (spikelab/fi_curve.h).
int fiCurveCommand(const Arguments& args);
// One neuron of a built-in model under a stimulus, every state variable at every step
// (spikelab/stimulus.h).
int stimulateCommand(const Arguments& args);
// Downloads a data set (spikelab/download.h), with progress on standard error.
int fetchCommand(const Arguments& args);
// Writes the project as one self-contained file (spikelab/export.h).
int exportCommand(const Arguments& args);
// Turns an exported file back into a project with sidecar weight files.
int importCommand(const Arguments& args);

} // namespace spikelab::cli
