#pragma once
// Encoders turn a data set sample into input for a population.
//
// CurrentInjection(scale [nA], default 0.01): every step of a presentation, each neuron of
//   the target population receives its pixel's value (0-255) times scale (the GeNN MNIST
//   tutorial's input).
#include "spikelab/models.h"

#include <vector>

namespace spikelab::encoding {
std::vector<EncoderInfo> imageEncoders();
} // namespace spikelab::encoding
