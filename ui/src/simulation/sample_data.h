#pragma once
// The samples the workbench presents: the engine's Samples (spikelab/samples.h), an image data
// set (MNIST, Fashion-MNIST) or event recordings (N-MNIST). Shared, read-only, by the window,
// the simulation thread and the dialogs.
#include "spikelab/samples.h"

namespace spikelab::ui {

using SampleData = Samples;

} // namespace spikelab::ui
