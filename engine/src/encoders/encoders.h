#pragma once
// Encoders turn a data set sample into input for a population.
//
// CurrentInjection(scale [nA], normalise): every step of a presentation, each neuron of the
//   target population receives its pixel's value (0-255) times scale (the GeNN MNIST
//   tutorial's input). With normalise = 1 the image is first divided by its pixel sum, so
//   its pixels sum to 1 (the PyGeNN mushroom body tutorial's input).
// PoissonRate(max_rate [Hz], seed): each step, input i spikes with probability
//   pixel_i / 255 * max_rate * dt / 1000, drawn with Philox4x32 from (seed, sample, step, i):
//   the same seed and sample give the same spikes on every backend and batch layout.
// LatencyCoding(window [ms], threshold): time-to-first-spike; input i spikes once, at step
//   floor(window * (1 - pixel_i / 255) / dt), so the brightest pixels fire first; pixels below
//   threshold never fire.
// EventReplay(bin_ms, max_time_us) replays an event recording (N-MNIST) into a SpikeSource
//   population whose size is the number of inputs kept (2,312 minus the blocklist given as the
//   input's "file"). bin_ms = 0: recording times are scaled onto the presentation
//   (steps_per_sample steps, max_time_us the last); bin_ms > 0: one step per bin_ms of
//   recording. Several events of one input in one step count once.
#include "spikelab/models.h"

#include <vector>

namespace spikelab::encoding {
std::vector<EncoderInfo> imageEncoders();
std::vector<EncoderInfo> eventEncoders();
} // namespace spikelab::encoding
