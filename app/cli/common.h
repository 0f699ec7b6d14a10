#pragma once
// Helpers shared by the CLI's subcommands.
#include "commands.h"

#include "spikelab/network.h"

#include <optional>
#include <string>

namespace spikelab::cli {

// --data DIR, else the project's dataset path (relative to the project file), else none
// (the standard search path applies).
std::optional<std::string> datasetFolder(const Arguments& args, const NetworkSpec& spec);

// The project with every --set applied.
NetworkSpec loadWithSettings(const Arguments& args);

// Says on stderr why the last simulation ran on another backend than asked for (e.g. --backend
// cuda on a machine without a GPU); nothing when it ran where asked.
void reportBackendNotice();

} // namespace spikelab::cli
