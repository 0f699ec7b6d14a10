#include "spikelab/stimulus.h"

#include "spikelab/backend.h"
#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/models.h"
#include "spikelab/network.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <numbers>

namespace spikelab {

namespace {

constexpr std::size_t kMaxParts = 16;
constexpr double kMaxAmplitude = 1e9;           // nA: far beyond any neuron, well inside float
constexpr std::int64_t kMaxSteps = 1000000;
constexpr std::uint64_t kMaxSeed = 1ull << 53;  // exact as a double

const char* kindName(StimulusPart::Kind kind) {
    switch (kind) {
    case StimulusPart::Kind::Step: return "step";
    case StimulusPart::Kind::Ramp: return "ramp";
    case StimulusPart::Kind::Pulses: return "pulses";
    case StimulusPart::Kind::Sine: return "sine";
    case StimulusPart::Kind::Noise: return "noise";
    }
    return "";
}

// The settings each kind takes, after amplitude, onset and duration.
std::vector<std::string> extraSettings(StimulusPart::Kind kind) {
    switch (kind) {
    case StimulusPart::Kind::Pulses: return {"frequency", "width"};
    case StimulusPart::Kind::Sine: return {"frequency", "phase"};
    case StimulusPart::Kind::Noise: return {"tau", "seed"};
    default: return {};
    }
}

double* settingOf(StimulusPart& p, const std::string& name) {
    if (name == "amplitude") return &p.amplitude;
    if (name == "onset") return &p.onset;
    if (name == "duration") return &p.duration;
    if (name == "frequency") return &p.frequency;
    if (name == "width") return &p.width;
    if (name == "phase") return &p.phase;
    if (name == "tau") return &p.tau;
    return nullptr;
}

// The part as its text names it, for messages: "step 2 (pulses)".
std::string partName(std::size_t index, StimulusPart::Kind kind) {
    return "stimulus part " + std::to_string(index + 1) + " (" + kindName(kind) + ")";
}

void checkPart(const StimulusPart& p, std::size_t index) {
    const std::string what = partName(index, p.kind);
    const auto fail = [&](const std::string& setting, double value, const std::string& why) {
        throw Error(what + ": " + setting + " " + formatNumber(value) + " " + why);
    };
    for (const auto& [name, value] : {std::pair{"amplitude", p.amplitude}, {"onset", p.onset}, {"duration", p.duration},
                                      {"frequency", p.frequency}, {"width", p.width}, {"phase", p.phase}, {"tau", p.tau}})
        if (!std::isfinite(value)) fail(name, value, "is not a finite number");
    if (std::fabs(p.amplitude) > kMaxAmplitude) fail("amplitude", p.amplitude, "nA is beyond +-1e9 nA");
    if (p.onset < 0) fail("onset", p.onset, "ms must be >= 0");
    if (p.duration < 0 && p.duration != -1.0) fail("duration", p.duration, "ms must be >= 0");
    switch (p.kind) {
    case StimulusPart::Kind::Ramp:
        if (!(p.duration > 0)) throw Error(what + ": a ramp needs a duration > 0 (the time it takes to rise)");
        break;
    case StimulusPart::Kind::Pulses:
        if (!(p.frequency > 0)) fail("frequency", p.frequency, "Hz must be > 0");
        if (!(p.width > 0)) fail("width", p.width, "ms must be > 0");
        if (p.width > 1000.0 / p.frequency)
            fail("width", p.width, "ms is longer than the period of " + formatNumber(1000.0 / p.frequency) + " ms");
        break;
    case StimulusPart::Kind::Sine:
        if (p.frequency < 0) fail("frequency", p.frequency, "Hz must be >= 0");
        break;
    case StimulusPart::Kind::Noise:
        if (p.amplitude < 0) fail("amplitude", p.amplitude, "nA (the noise's standard deviation) must be >= 0");
        if (!(p.tau > 0)) fail("tau", p.tau, "ms must be > 0");
        if (p.seed > kMaxSeed) throw Error(what + ": seed " + std::to_string(p.seed) + " is above 2^53");
        break;
    case StimulusPart::Kind::Step: break;
    }
}

class StimulusParser {
public:
    explicit StimulusParser(const std::string& text) : text_(text) {}

    Stimulus parse() {
        Stimulus out;
        skipSpaces();
        if (pos_ == text_.size()) throw Error("stimulus " + quote(text_) + " is empty");
        for (;;) {
            if (out.parts.size() == kMaxParts)
                throw Error("stimulus " + quote(text_) + " has more than " + std::to_string(kMaxParts) + " parts");
            out.parts.push_back(part(out.parts.size()));
            skipSpaces();
            if (pos_ == text_.size()) return out;
            if (text_[pos_] != '+') fail("expected \"+\" between parts");
            ++pos_;
            skipSpaces();
        }
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error("stimulus " + quote(text_) + ", at character " + std::to_string(pos_ + 1) + ": " + why);
    }
    void skipSpaces() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    std::string word() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
            ++pos_;
        return text_.substr(start, pos_ - start);
    }
    double number() {
        const char* begin = text_.c_str() + pos_;
        char* end = nullptr;
        const double v = std::strtod(begin, &end);
        if (end == begin) fail("expected a number");
        pos_ += std::size_t(end - begin);
        return v;
    }

    StimulusPart part(std::size_t index) {
        StimulusPart p;
        const char c = text_[pos_];
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.') {
            p.amplitude = number();  // a constant current
            checkPart(p, index);
            return p;
        }
        const std::string kind = word();
        if (kind == "step") p.kind = StimulusPart::Kind::Step;
        else if (kind == "ramp") p.kind = StimulusPart::Kind::Ramp;
        else if (kind == "pulses") p.kind = StimulusPart::Kind::Pulses;
        else if (kind == "sine") p.kind = StimulusPart::Kind::Sine;
        else if (kind == "noise") p.kind = StimulusPart::Kind::Noise;
        else fail("unknown part " + quote(kind) + " (known: step, ramp, pulses, sine, noise, or a number)");
        skipSpaces();
        if (pos_ == text_.size() || text_[pos_] != '(') fail("expected \"(\" after " + quote(kind));
        ++pos_;
        std::vector<std::string> allowed = {"amplitude", "onset", "duration"};
        for (auto& extra : extraSettings(p.kind)) allowed.push_back(extra);
        std::vector<std::string> given;
        skipSpaces();
        while (pos_ < text_.size() && text_[pos_] != ')') {
            const std::string name = word();
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                std::string known;
                for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
                fail(kind + " has no setting " + quote(name) + " (known: " + known + ")");
            }
            if (std::find(given.begin(), given.end(), name) != given.end()) fail(quote(name) + " is given twice");
            given.push_back(name);
            skipSpaces();
            if (pos_ == text_.size() || text_[pos_] != '=') fail("expected \"=\" after " + quote(name));
            ++pos_;
            skipSpaces();
            const double value = number();
            if (name == "seed") {
                if (!(value >= 0) || value != std::floor(value) || value > double(kMaxSeed))
                    throw Error(partName(index, p.kind) + ": seed " + formatNumber(value) +
                                " must be a whole number from 0 to 2^53");
                p.seed = std::uint64_t(value);
            } else {
                if (name == "duration" && value < 0)
                    throw Error(partName(index, p.kind) + ": duration " + formatNumber(value) + " ms must be >= 0");
                *settingOf(p, name) = value;
            }
            skipSpaces();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                skipSpaces();
            } else if (pos_ < text_.size() && text_[pos_] != ')') {
                fail("expected \",\" or \")\"");
            }
        }
        if (pos_ == text_.size()) fail("the part " + quote(kind) + " is not closed with \")\"");
        ++pos_;
        checkPart(p, index);
        return p;
    }

    const std::string& text_;
    std::size_t pos_ = 0;
};

// SplitMix64 and Box-Muller: the same normal numbers for a seed on every machine.
struct Normals {
    std::uint64_t state;
    bool spare = false;
    double saved = 0.0;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform() { return (double(next() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
    double normal() {
        if (spare) {
            spare = false;
            return saved;
        }
        const double r = std::sqrt(-2.0 * std::log(uniform())), angle = 2.0 * std::numbers::pi * uniform();
        saved = r * std::sin(angle);
        spare = true;
        return r * std::cos(angle);
    }
};

bool active(const StimulusPart& p, double t) {
    return t >= p.onset && (p.duration < 0 || t < p.onset + p.duration);
}

} // namespace

Stimulus parseStimulus(const std::string& text) {
    return StimulusParser(text).parse();
}

void checkStimulus(const Stimulus& stimulus) {
    if (stimulus.parts.size() > kMaxParts)
        throw Error("a stimulus has at most " + std::to_string(kMaxParts) + " parts, not " +
                    std::to_string(stimulus.parts.size()));
    for (std::size_t i = 0; i < stimulus.parts.size(); ++i) checkPart(stimulus.parts[i], i);
}

std::string formatStimulus(const Stimulus& stimulus) {
    std::string out;
    for (const auto& p : stimulus.parts) {
        if (!out.empty()) out += " + ";
        out += std::string(kindName(p.kind)) + "(amplitude=" + formatNumber(p.amplitude);
        if (p.onset != 0) out += ", onset=" + formatNumber(p.onset);
        if (p.duration >= 0) out += ", duration=" + formatNumber(p.duration);
        for (const auto& name : extraSettings(p.kind)) {
            if (name == "seed") {
                out += ", seed=" + std::to_string(p.seed);
                continue;
            }
            StimulusPart copy = p;
            out += ", " + name + "=" + formatNumber(*settingOf(copy, name));
        }
        out += ")";
    }
    return out;
}

std::vector<double> stimulusCurrents(const Stimulus& stimulus, double dt, std::int64_t steps) {
    checkStimulus(stimulus);
    if (!(dt > 0) || !std::isfinite(dt)) throw Error("stimulus: dt " + formatNumber(dt) + " ms must be > 0");
    if (steps < 0 || steps > kMaxSteps)
        throw Error("stimulus: " + std::to_string(steps) + " steps; at most " + std::to_string(kMaxSteps));
    std::vector<double> out(std::size_t(steps), 0.0);
    for (const auto& p : stimulus.parts) {
        Normals normals{p.seed};
        const double decay = std::exp(-dt / p.tau), kick = p.amplitude * std::sqrt(1.0 - decay * decay);
        double noise = 0.0;  // the process starts at 0 at its onset
        for (std::int64_t n = 0; n < steps; ++n) {
            const double t = double(n) * dt;
            if (!active(p, t)) continue;
            const double since = t - p.onset;
            double value = 0.0;
            switch (p.kind) {
            case StimulusPart::Kind::Step: value = p.amplitude; break;
            case StimulusPart::Kind::Ramp: value = p.amplitude * since / p.duration; break;
            case StimulusPart::Kind::Pulses:
                value = std::fmod(since, 1000.0 / p.frequency) < p.width ? p.amplitude : 0.0;
                break;
            case StimulusPart::Kind::Sine:
                value = p.amplitude * std::sin(2.0 * std::numbers::pi * p.frequency * since / 1000.0 +
                                               p.phase * std::numbers::pi / 180.0);
                break;
            case StimulusPart::Kind::Noise:
                value = noise;
                noise = noise * decay + kick * normals.normal();
                break;
            }
            out[std::size_t(n)] += value;
        }
        // A ramp stays at its amplitude after it has risen.
        if (p.kind == StimulusPart::Kind::Ramp)
            for (std::int64_t n = 0; n < steps; ++n)
                if (double(n) * dt >= p.onset + p.duration) out[std::size_t(n)] += p.amplitude;
    }
    return out;
}

NeuronResponse neuronResponse(const NeuronResponseSettings& settings) {
    const NeuronModelInfo& model = neuronModel(settings.model, "neuron response");
    if (model.spikeSource)
        throw Error("neuron response: model " + quote(model.name) + " is a spike source; it has no current to respond to");
    if (!(settings.dt > 0) || !std::isfinite(settings.dt))
        throw Error("neuron response: dt " + formatNumber(settings.dt) + " ms must be > 0");
    if (!(settings.duration > 0) || !std::isfinite(settings.duration))
        throw Error("neuron response: duration " + formatNumber(settings.duration) + " ms must be > 0");
    const double stepsExact = std::ceil(settings.duration / settings.dt - 1e-9);
    if (stepsExact > double(kMaxSteps))
        throw Error("neuron response: " + formatNumber(settings.duration) + " ms at dt " + formatNumber(settings.dt) +
                    " ms is more than " + std::to_string(kMaxSteps) + " steps");
    const std::int64_t steps = std::int64_t(stepsExact);

    NeuronResponse out;
    out.current = stimulusCurrents(settings.stimulus, settings.dt, steps);
    NetworkSpec spec;
    spec.name = "neuron response";
    spec.experiment.dt = settings.dt;
    PopulationSpec population;
    population.name = model.name;
    population.model = model.name;
    population.params = settings.params;
    population.initial = settings.initial;
    population.record.spikes = true;
    for (const auto& v : model.state) {
        population.record.variables.push_back(v.name);
        out.variables.push_back(v.name);
    }
    spec.populations = {population};
    BackendOptions options;
    options.threads = 1;
    options.spikeCapacity = std::size_t(steps) + 1;
    options.stateCapacity = std::size_t(steps) + 1;
    const auto backend = createBackend("cpu", compileNetwork(spec, "."), options);
    for (std::int64_t n = 0; n < steps; ++n) {
        const float current = float(out.current[std::size_t(n)]);
        backend->setInputCurrent(0, 0, std::span<const float>(&current, 1));
        backend->advance(1);
    }
    for (const auto& name : out.variables) {
        std::vector<float> values;
        values.reserve(std::size_t(steps));
        for (const StateSample& s : backend->states(0, name, 0).all()) values.push_back(s.values.at(0));
        out.values.push_back(std::move(values));
    }
    for (const SpikeEvent& e : backend->spikes(0, 0).all()) out.spikes.push_back(e.step);
    return out;
}

} // namespace spikelab
