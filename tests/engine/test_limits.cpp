// Nothing a file can ask for crashes SpikeLab, fills the memory or never ends: deep nesting and
// duplicate keys in project JSON, devices and FIFOs given as files, files and gzip streams
// larger than their bound, networks larger than the memory, endless presentations, floats
// that no integer holds, control characters in file names. Each case gets a message that
// names the item. Memory-hungry cases run under a lowered address-space limit (except under
// AddressSanitizer, which reserves terabytes of address space), so that a regression fails
// with std::bad_alloc instead of swapping.
#include "spec_builders.h"
#include "test_support.h"

#include "spikelab/dataset.h"
#include "spikelab/error.h"
#include "spikelab/events.h"
#include "spikelab/experiment.h"
#include "spikelab/fileio.h"
#include "spikelab/idx.h"
#include "spikelab/overrides.h"
#include "spikelab/project.h"
#include "spikelab/sweep.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace spikelab;
using namespace spikelab::test;

namespace {

std::string project(const std::string& members) {
    return R"({"format": "spikelab-project", "version": 2, )" + members + "}";
}

std::string nested(int depth) {
    return std::string(std::size_t(depth), '[') + std::string(std::size_t(depth), ']');
}

TEST(Limits, DeeplyNestedJsonIsRefusedWithoutCrashing) {
    // Printing this value in a message (as a type error does) recursed once per level and
    // overflowed the stack.
    const auto msg = errorOf([&] { projectFromJson(project(R"("name": )" + nested(1'000'000)), "file \"deep.json\""); });
    EXPECT_CONTAINS(msg, "file \"deep.json\": name[0][0]");
    EXPECT_CONTAINS(msg, "nests arrays and objects more than 64 deep");
    EXPECT_LT(msg.size(), 200u);
    // 64 levels are allowed: the message is then about the value, not the depth.
    EXPECT_CONTAINS(errorOf([&] { projectFromJson(project(R"("name": )" + nested(63)), "f"); }),
                    "\"name\" must be a string");
}

TEST(Limits, DuplicateKeysAreRefusedWithTheirPlace) {
    EXPECT_CONTAINS(errorOf([&] { projectFromJson(project(R"("name": "a", "name": "b")"), "file \"d.json\""); }),
                    "file \"d.json\": the document has the key \"name\" twice");
    const auto inner = project(R"("populations": [{"name": "a"}, {"name": "b", "size": 3, "size": 4}])");
    EXPECT_CONTAINS(errorOf([&] { projectFromJson(inner, "f"); }), "f: populations[1] has the key \"size\" twice");
}

TEST(Limits, DevicesAndFifosAreNotReadAsFiles) {
    EXPECT_CONTAINS(errorOf([] { readFile("/dev/zero"); }), "file \"/dev/zero\": is not a regular file");
    TempDir dir;
    const auto fifo = dir.file("pipe");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    // Opening a FIFO without a writer would wait for ever; it must be refused at once.
    EXPECT_CONTAINS(errorOf([&] { readFile(fifo); }), "is not a regular file");
    // As a weight file and as a blocklist.
    auto spec = NetworkSpec{};
    spec.populations = {population("a", 2, "IF"), population("b", 2, "IF")};
    WeightSpec w;
    w.type = WeightInitType::Npy;
    w.file = "/dev/zero";
    spec.projections = {projection("a_b", "a", "b", w)};
    EXPECT_CONTAINS(errorOf([&] { compileNetwork(spec, "."); }), "\"/dev/zero\": is not a regular file");
    EXPECT_CONTAINS(errorOf([] { readBlocklist("/dev/urandom"); }), "\"/dev/urandom\": is not a regular file");
}

TEST(Limits, FilesLargerThanTheirBoundAreRefused) {
    TempDir dir;
    writeFileAtomic(dir.file("eleven"), std::string("0123456789a"));
    EXPECT_CONTAINS(errorOf([&] { readFile(dir.file("eleven"), 10, "a test file"); }),
                    "holds more than 10 bytes, the most a test file may hold");
    EXPECT_EQ(readFile(dir.file("eleven"), 11).size(), 11u);
}

// An IDX header for `count` images of 28x28, followed by `data` bytes of zeros.
std::vector<std::uint8_t> idxWithZeros(std::uint32_t count, std::size_t data) {
    std::vector<std::uint8_t> bytes = {0, 0, 8, 3};
    for (std::uint32_t d : {count, 28u, 28u})
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(std::uint8_t(d >> shift));
    bytes.resize(bytes.size() + data, 0);
    return bytes;
}

TEST(Limits, GzipBombIsStoppedAtTheSizeTheHeaderDeclares) {
    TempDir dir;
    // 10 images declared (7,840 bytes), 96 MB of zeros inflated: some 100 KB compressed.
    const auto path = dir.file("t10k-images-idx3-ubyte.gz");
    writeFileAtomic(path, gzipBytes(idxWithZeros(10, std::size_t(96) << 20)));
    std::string msg;
    {
        const AddressSpaceLimit limit(std::int64_t(64) << 20);
        try {
            readIdx(path);
            msg = "(no error)";
        } catch (const Error& e) {
            msg = e.what();
        } catch (const std::bad_alloc&) {
            msg = "std::bad_alloc: the whole stream was inflated";
        }
    }
    EXPECT_CONTAINS(msg, "file " + quote(path) + ": inflates to more than 7.7 KiB");
    // Concatenated members are bounded alike; an honest file of the same size reads.
    const auto honest = dir.file("ok.gz");
    writeFileAtomic(honest, gzipBytes(idxWithZeros(10, 7840)));
    EXPECT_EQ(readIdx(honest).data.size(), 7840u);
    EXPECT_CONTAINS(errorOf([&] { gunzip(gzipBytes(std::vector<std::uint8_t>(5000, 1)), "stream", 4999); }),
                    "stream: inflates to more than 4.9 KiB");
    EXPECT_EQ(gunzip(gzipBytes(std::vector<std::uint8_t>(5000, 1)), "stream", 5000).size(), 5000u);
    EXPECT_EQ(gunzipPrefix(gzipBytes(std::vector<std::uint8_t>(5000, 1)), 16, "stream").size(), 16u);
}

TEST(Limits, NetworksLargerThanTheMemoryAreRefusedNamingTheItem) {
    NetworkSpec spec;
    spec.populations = {population("a", 100000, "IF"), population("b", 100000, "IF")};
    auto p = projection("p", "a", "b", constantWeight(1.0), ConnectivityType::FixedProbability);
    p.connectivity.probability = 1.0;
    spec.projections = {p};
    const std::int64_t gib = std::int64_t(1) << 30;
    EXPECT_CONTAINS(errorOf([&] { checkNetworkFitsMemory(spec, 23 * gib); }),
                    "projection \"p\": 10,000,000,000 synapses need 75 GiB, more than this "
                    "machine's 23 GiB of memory");
    spec.projections.clear();
    spec.populations = {population("huge", std::int64_t(1) << 30, "IF")};
    EXPECT_CONTAINS(errorOf([&] { checkNetworkFitsMemory(spec, 23 * gib); }),
                    "population \"huge\": 1,073,741,824 neurons need 32 GiB");
    // Several items that fit one by one but not together.
    spec.populations = {population("a", 100'000'000, "IF"), population("b", 100'000'000, "IF")};
    EXPECT_CONTAINS(errorOf([&] { checkNetworkFitsMemory(spec, 4 * gib); }),
                    "the network's populations and projections together need 6.0 GiB");
    EXPECT_NO_THROW(checkNetworkFitsMemory(spec, 8 * gib));
    // validate() compares with this machine's memory: a million squared synapses fit nowhere.
    spec.populations = {population("a", 1'000'000, "IF"), population("b", 1'000'000, "IF")};
    p.connectivity.probability = 1.0;
    spec.projections = {p};
    EXPECT_CONTAINS(errorOf([&] { validate(spec); }), "projection \"p\": 1,000,000,000,000 synapses need");
}

TEST(Limits, EndlessPresentationsAreRefused) {
    NetworkSpec spec;
    spec.populations = {population("a", 2, "IF")};
    spec.experiment.stepsPerSample = 1'000'000'000'000'000;
    EXPECT_CONTAINS(errorOf([&] { validate(spec); }),
                    "steps_per_sample 1000000000000000 must be between 1 and 10000000");
    spec.experiment.stepsPerSample = 100;
    for (const char* setting : {"experiment.steps_per_sample=1e300", "experiment.steps_per_sample=1e15",
                                "experiment.steps_per_sample=2.5"})
        EXPECT_CONTAINS(errorOf([&] { applyParameterChange(spec, parseParameterChange(setting)); }),
                        "experiment: steps_per_sample must be a whole number between 1 and 10000000");
    spec.populations.push_back(population("b", 2, "IF"));
    spec.projections = {projection("p", "a", "b", constantWeight(1.0))};
    EXPECT_CONTAINS(errorOf([&] { applyParameterChange(spec, parseParameterChange("p.delay_steps=9e18")); }),
                    "projection \"p\": delay_steps must be a whole number between 0 and 10000, not 9e+18");
}

TEST(Limits, HugeAndTinyTimesGiveNoUndefinedConversions) {
    // LatencyCoding: a window of 1e20 ms puts every spike but the brightest pixel's far past
    // the presentation (the conversion to a step was undefined and gave wrong spike times).
    ImageDataset data;
    data.name = "tiny";
    data.count = 1;
    data.rows = 1;
    data.cols = 4;
    data.pixels = {255, 200, 9, 0};
    data.labels = {0};
    for (double window : {1e20, 9e18}) {
        NetworkSpec spec;
        spec.populations = {population("in", 4, "SpikeSource")};
        spec.populations[0].record.spikes = true;
        InputSpec in;
        in.name = "latency";
        in.type = "LatencyCoding";
        in.target = "in";
        in.params = {{"window", window}};
        spec.inputs = {in};
        spec.experiment.stepsPerSample = 50;
        auto b = createBackend("cpu", compileNetwork(spec, "."), {});
        encodeSample(*b, data, 0, 0);
        b->advance(50);
        EXPECT_EQ(b->spikes(0, 0).all(), (std::vector<SpikeEvent>{{0, 0}})) << "window " << window;
    }
    // EventReplay: a bin of 1e-20 ms would need more steps than any int64 holds.
    EventSample sample;
    sample.source = "s.bin";
    sample.events = {{0, 1, 1, true}, {300000, 2, 2, false}};
    TimeMapping mapping;
    mapping.mode = TimeMapping::Mode::Binned;
    mapping.binMs = 1e-20;
    EXPECT_CONTAINS(errorOf([&] { toSpikeTrain(sample, mapping, allInputs()); }), "ms are too many (at most 10000000)");
    // Sweeps: an exponent no long holds in a range's text.
    EXPECT_NO_THROW(parseSweepValues("0e-99999999999999999999:1:0.5"));
    EXPECT_EQ(parseSweepValues("0e-99999999999999999999:1:0.5").size(), 3u);
}

TEST(Limits, ControlCharactersInFileNamesAreRefused) {
    NetworkSpec spec;
    spec.populations = {population("a", 2, "IF"), population("b", 2, "IF")};
    WeightSpec w;
    w.type = WeightInitType::Npy;
    w.file = std::string("w.npy\0../../etc/passwd", 22);
    spec.projections = {projection("a_b", "a", "b", w)};
    const auto msg = errorOf([&] { validate(spec); });
    EXPECT_CONTAINS(msg, "projection \"a_b\": file name \"w.npy\\x00../../etc/passwd\" holds a control character (code 0)");
}

TEST(Limits, HugeNumbersAreShownShortInMessages) {
    // A float64 .npy weight of 1e300, which no float32 holds: written by hand.
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }";
    header.resize(128 - 10 - 1, ' ');
    header += '\n';
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header;
    const double huge = 1e300;
    bytes.append(reinterpret_cast<const char*>(&huge), sizeof huge);
    TempDir dir;
    writeFileAtomic(dir.file("w.npy"), bytes);
    NetworkSpec spec;
    spec.populations = {population("a", 1, "IF"), population("b", 1, "IF")};
    WeightSpec w;
    w.type = WeightInitType::Npy;
    w.file = "w.npy";
    spec.projections = {projection("a_b", "a", "b", w)};
    const auto msg = errorOf([&] { compileNetwork(spec, dir.path().string()); });
    EXPECT_CONTAINS(msg, "value 1e+300 at [0, 0] is not a finite float32 weight");
    EXPECT_LT(msg.size(), 200u) << msg;
}

} // namespace
