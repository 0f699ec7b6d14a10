// loadSamples and sampleSource (spikelab/samples.h): one call loads whichever kind of data set
// a project names, and one gives the source that presents it to a network.
#include "spec_builders.h"
#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/samples.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace spikelab;
using namespace spikelab::test;

TEST(Samples, ImagesByNameFromTheProjectsFolder) {
    SPIKELAB_REQUIRE_SHARED("mnist");
    NetworkSpec spec;
    spec.experiment.dataset.name = "mnist";
    spec.experiment.dataset.split = "test";
    const Samples samples = loadSamples(spec, (sharedDataDir() / "mnist").string(), 12);
    ASSERT_TRUE(samples.images);
    EXPECT_FALSE(samples.events);
    EXPECT_EQ(samples.count(), 12);
    EXPECT_EQ(samples.numClasses(), 10);
    EXPECT_EQ(samples.label(0), 7) << "the first MNIST test image is a 7";
    EXPECT_CONTAINS(samples.location(), "t10k-images");
    EXPECT_EQ(samples.name(), "mnist");
}

TEST(Samples, RecordingsByNameWithTheirSource) {
    SPIKELAB_REQUIRE_SHARED("nmnist/Test");
    NetworkSpec spec;
    spec.experiment.dataset.name = "nmnist";
    spec.experiment.dataset.split = "test";
    const Samples samples = loadSamples(spec, (sharedDataDir() / "nmnist").string(), 3);
    ASSERT_TRUE(samples.events);
    EXPECT_FALSE(samples.images);
    EXPECT_EQ(samples.count(), 3);
    EXPECT_EQ(samples.numClasses(), 10);
    EXPECT_FALSE(samples.location().empty());
}

TEST(Samples, NothingLoadedHasNoSource) {
    const Samples none;
    EXPECT_FALSE(none);
    EXPECT_EQ(none.count(), 0);
    EXPECT_EQ(none.location(), "");
    NetworkSpec spec;
    spec.populations = {population("a", 2, "IF")};
    const CompiledNetwork net = compileNetwork(spec, ".");
    EXPECT_THROW(sampleSource(none, net), InternalError);
}
