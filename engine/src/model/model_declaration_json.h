#pragma once
// Neuron model declarations as JSON values, for readers that hold a declaration inside a larger
// document (a project's "models"). spikelab/model_declaration.h reads and writes them as text.
#include "model/json_reader.h"
#include "spikelab/model_declaration.h"

namespace spikelab {

// Reads and checks one declaration; errors name `where` and the item.
NeuronModelDeclaration neuronModelFromJson(const Json& j, const std::string& where);
Json neuronModelJson(const NeuronModelDeclaration& model);

} // namespace spikelab
