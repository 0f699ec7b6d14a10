#pragma once
// The model registry: neuron models, postsynaptic models, weight-update models and input
// encoders, each declared as data (name, description, parameter table, state table).
// Backends look models up here by name; nothing else includes a model's own header.
#include "spikelab/model_declaration.h"
#include "spikelab/params.h"

#include <memory>

#include <string>
#include <vector>

namespace spikelab {

// A neuron model: its declaration (spikelab/model_declaration.h) with the checked code. The
// built-in ones are declared in engine/models/ and compiled into SpikeLab; `builtin` is their
// index in the generated kernel tables.
struct NeuronModelInfo {
    std::string name;
    std::string description;
    ParamTable params;
    ParamTable state;      // state variables; defaultValue is the initial value
    std::string voltage;   // name of the membrane variable ("V")
    std::string threshold; // name of the threshold parameter (drawn on traces)
    bool spikeSource = false;  // emits the spikes its inputs give it; no code
    int builtin = -1;
    std::shared_ptr<const NeuronModelDeclaration> declaration;
    std::shared_ptr<const lang::CheckedNeuronModel> code;  // null for a spike source
};

// A postsynaptic model: its declaration with the checked code. The built-in ones are declared
// in engine/models/postsynaptic/; `builtin` is their index in the generated tables. A model
// whose code is "delta" (lang::CheckedPostsynapticModel::delta) needs no buffer.
struct PostsynapticModelInfo {
    std::string name;
    std::string description;
    ParamTable params;
    int builtin = -1;
    std::shared_ptr<const PostsynapticModelDeclaration> declaration;
    std::shared_ptr<const lang::CheckedPostsynapticModel> code;
};

// A weight-update model: its declaration with the checked code. The built-in ones are declared
// in engine/models/weight_update/; `builtin` is their index there. A "pulse" model
// (lang::CheckedWeightUpdateModel::pulse, StaticPulse) delivers fixed weights and backends run
// it with their own loops; a "plastic" one changes its synapse variables as it runs.
struct WeightUpdateModelInfo {
    std::string name;
    std::string description;
    ParamTable params;
    int builtin = -1;
    std::shared_ptr<const WeightUpdateModelDeclaration> declaration;
    std::shared_ptr<const lang::CheckedWeightUpdateModel> code;
};

// CurrentInjection drives neurons with current; the others make spikes and need a SpikeSource
// population as their target.
enum class EncoderKind { CurrentInjection, PoissonRate, LatencyCoding, EventReplay };

bool encoderMakesSpikes(EncoderKind kind);

struct EncoderInfo {
    EncoderKind kind;
    std::string name;
    std::string description;
    ParamTable params;
};

struct NetworkSpec;

// The built-in neuron models.
const std::vector<NeuronModelInfo>& neuronModels();
// Every neuron model a project can use: the built-in ones, then the project's own.
std::vector<const NeuronModelInfo*> neuronModels(const NetworkSpec& spec);
// A model's registry entry from its declaration (checked); `builtin` -1 for a model that is
// not compiled into SpikeLab. Throws spikelab::Error.
NeuronModelInfo neuronModelInfo(NeuronModelDeclaration declaration, int builtin = -1);
const std::vector<PostsynapticModelInfo>& postsynapticModels();
const std::vector<WeightUpdateModelInfo>& weightUpdateModels();
const std::vector<EncoderInfo>& encoders();

// Lookups throw spikelab::Error naming `what` and the unknown model and listing known ones.
// A built-in neuron model.
const NeuronModelInfo& neuronModel(const std::string& name, const std::string& what);
// A neuron model as a project sees it: one of its own models, else a built-in one. The entry
// lives as long as the program (entries are shared by equal declarations), so pointers to it
// stay valid after the project changes.
const NeuronModelInfo& neuronModel(const NetworkSpec& spec, const std::string& name, const std::string& what);
const PostsynapticModelInfo& postsynapticModel(const std::string& name, const std::string& what);
const WeightUpdateModelInfo& weightUpdateModel(const std::string& name, const std::string& what);
const EncoderInfo& encoder(const std::string& name, const std::string& what);

} // namespace spikelab
