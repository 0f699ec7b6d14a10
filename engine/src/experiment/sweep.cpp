#include "spikelab/sweep.h"

#include "spikelab/compiled.h"
#include "spikelab/error.h"
#include "spikelab/experiment.h"
#include "spikelab/overrides.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace spikelab {

namespace {

// More values than anyone sweeps by hand: a typo in the step (0.0001 for 0.1) is caught
// before it queues hours of work.
constexpr std::size_t kMaxValues = 1000;

std::string trimmed(const std::string& text) {
    std::size_t first = 0, last = text.size();
    while (first < last && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
    while (last > first && std::isspace(static_cast<unsigned char>(text[last - 1]))) --last;
    return text.substr(first, last - first);
}

// A plain decimal number: [+-]digits[.digits][e[+-]digits] (no hex, inf or nan). Sets
// `decimals` to the decimal places it carries ("0.25" -> 2, "2.5e-3" -> 4, "5e2" -> 0).
bool parseDecimal(const std::string& text, double& value, int& decimals) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t from = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        return i - from;
    };
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t mantissaDigits = digits();
    std::size_t fraction = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        fraction = digits();
        mantissaDigits += fraction;
    }
    if (mantissaDigits == 0) return false;
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const std::size_t signAt = i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        if (digits() == 0) return false;
        // Clamped before the subtraction below: strtol gives LONG_MIN for "1e-99999999999999999999".
        exponent = std::clamp(std::strtol(text.c_str() + signAt, nullptr, 10), -100000L, 100000L);
    }
    if (i != text.size()) return false;
    errno = 0;
    value = std::strtod(text.c_str(), nullptr);
    if (errno == ERANGE || !std::isfinite(value)) return false;
    decimals = int(std::clamp<long>(long(fraction) - exponent, 0, 400));
    return true;
}

// `value` rounded to `decimals` decimal places, through its decimal text, so that the
// nearest double to the intended decimal comes out (0.30000000000000004 -> 0.3).
double roundToDecimals(double value, int decimals) {
    const int length = std::snprintf(nullptr, 0, "%.*f", decimals, value);
    std::string text(std::size_t(length) + 1, '\0');
    std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
    return std::strtod(text.c_str(), nullptr);
}


std::vector<double> parseRange(const std::string& text, const std::vector<std::string>& parts) {
    const char* names[] = {"START", "STOP", "STEP"};
    double v[3];
    int decimals[3];
    for (int k = 0; k < 3; ++k)
        if (!parseDecimal(parts[std::size_t(k)], v[k], decimals[k]))
            throw Error("value range " + quote(text) + ": " + names[k] + " " +
                        quote(parts[std::size_t(k)]) + " is not a finite number");
    const double start = v[0], stop = v[1], step = v[2];
    if (step == 0.0) throw Error("value range " + quote(text) + ": STEP must not be 0");
    const double steps = (stop - start) / step;
    if (steps < 0.0)
        throw Error("value range " + quote(text) + ": STEP " + formatNumber(step) + " leads away from " +
                    "STOP " + formatNumber(stop) + " (use a " + (step > 0 ? "negative" : "positive") +
                    " step)");
    // Tolerate rounding: 0.5:2:0.25 has (2 - 0.5) / 0.25 = 6 steps even when the division
    // comes out a hair below 6.
    const double count = std::floor(steps * (1.0 + 1e-12) + 1e-9) + 1.0;
    if (count > double(kMaxValues))
        throw Error("value range " + quote(text) + " gives " + formatNumber(count) + " values; at most " +
                    std::to_string(kMaxValues) + " are allowed");
    const int places = std::max(decimals[0], decimals[2]);
    std::vector<double> values;
    for (std::size_t i = 0; i < std::size_t(count); ++i)
        values.push_back(roundToDecimals(start + double(i) * step, places));
    return values;
}

std::string valueText(const ParameterSweep& sweep, double value) {
    return "sweep of " + sweep.item + "." + sweep.param + ", value " + formatNumber(value);
}

using SamplesFor = std::function<std::unique_ptr<SampleSource>(const CompiledNetwork&)>;

SweepResult sweepOver(const NetworkSpec& spec, const std::string& baseDir,
                      const ParameterSweep& sweep, std::int64_t available,
                      const SamplesFor& samplesFor, const SweepOptions& options) {
    checkSweep(spec, sweep);
    SweepResult result;
    for (const auto& p : spec.populations) result.populations.push_back(p.name);
    result.hasReadout = !spec.experiment.readout.empty();
    const std::int64_t perPoint =
        options.samples > 0 ? std::min(options.samples, available) : available;
    const std::int64_t total = perPoint * std::int64_t(sweep.values.size());

    EvaluationOptions eval;
    eval.samples = perPoint;
    eval.batch = options.batch;
    eval.threads = options.threads;
    eval.backend = options.backend;
    eval.cancelled = options.cancelled;
    for (std::size_t i = 0; i < sweep.values.size(); ++i) {
        if (options.cancelled && options.cancelled()) {
            result.cancelled = true;
            break;
        }
        const double value = sweep.values[i];
        const CompiledNetwork net = compileNetwork(sweptSpec(spec, sweep, value), baseDir);
        const auto samples = samplesFor(net);
        const std::int64_t before = perPoint * std::int64_t(i);
        if (options.progress)
            eval.progress = [&options, before, total](std::int64_t done, std::int64_t) {
                options.progress(before + done, total);
            };
        const EvaluationResult r = evaluate(net, *samples, eval);
        if (r.cancelled) {
            result.cancelled = true;
            break;
        }
        result.backend = r.backend;
        SweepPoint point;
        point.value = value;
        point.samples = r.samples;
        point.correct = r.correct;
        point.accuracy = r.hasReadout ? r.accuracy : 0.0;
        point.populationSpikes = r.spikesPerSample;
        for (double s : r.spikesPerSample) point.spikesPerSample += s;
        point.seconds = r.seconds;
        result.points.push_back(point);
        if (options.onPoint) options.onPoint(result.points.back());
    }
    return result;
}

} // namespace

std::pair<std::string, std::string> splitParameterName(const std::string& text) {
    const auto dot = text.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size())
        throw Error("parameter " + quote(text) +
                    " must look like ITEM.PARAM, e.g. hidden.Vthr or experiment.steps_per_sample");
    return {text.substr(0, dot), text.substr(dot + 1)};
}

std::vector<double> parseSweepValues(const std::string& text) {
    std::vector<std::string> parts;
    const bool range = text.find(':') != std::string::npos;
    const char separator = range ? ':' : ',';
    std::size_t from = 0;
    while (true) {
        const auto at = text.find(separator, from);
        parts.push_back(trimmed(text.substr(from, at == std::string::npos ? at : at - from)));
        if (at == std::string::npos) break;
        from = at + 1;
    }
    if (range) {
        if (parts.size() != 3)
            throw Error("value range " + quote(text) +
                        " must look like START:STOP:STEP, e.g. 0.5:2:0.25");
        return parseRange(text, parts);
    }
    if (parts.size() > kMaxValues)
        throw Error("value list " + quote(text) + " has " + std::to_string(parts.size()) +
                    " values; at most " + std::to_string(kMaxValues) + " are allowed");
    std::vector<double> values;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        double v = 0.0;
        int decimals = 0;
        if (!parseDecimal(parts[i], v, decimals))
            throw Error("value list " + quote(text) + ": item " + std::to_string(i + 1) + " " +
                        quote(parts[i]) + " is not a finite number (use 1,2,5 or START:STOP:STEP)");
        values.push_back(v);
    }
    return values;
}

NetworkSpec sweptSpec(const NetworkSpec& spec, const ParameterSweep& sweep, double value) {
    NetworkSpec changed = spec;
    try {
        applyParameterChange(changed, ParameterChange{sweep.item, sweep.param, value});
    } catch (const Error& e) {
        throw Error(valueText(sweep, value) + ": " + e.what());
    }
    return changed;
}

void checkSweep(const NetworkSpec& spec, const ParameterSweep& sweep) {
    if (sweep.values.empty())
        throw Error("sweep of " + sweep.item + "." + sweep.param + " has no values");
    for (double value : sweep.values) sweptSpec(spec, sweep, value);
}

SweepResult runSweep(const NetworkSpec& spec, const std::string& baseDir,
                     const ParameterSweep& sweep, const ImageDataset& data,
                     const SweepOptions& options) {
    return sweepOver(
        spec, baseDir, sweep, data.count,
        [&](const CompiledNetwork&) { return std::make_unique<ImageSamples>(data); }, options);
}

SweepResult runSweep(const NetworkSpec& spec, const std::string& baseDir,
                     const ParameterSweep& sweep, const EventDataset& data,
                     const SweepOptions& options) {
    return sweepOver(
        spec, baseDir, sweep, std::int64_t(data.samples.size()),
        [&](const CompiledNetwork& net) { return std::make_unique<EventSamples>(data, net); },
        options);
}

SweepResult runSweep(const NetworkSpec& spec, const std::string& baseDir, const ParameterSweep& sweep,
                     const Samples& samples, const SweepOptions& options) {
    if (!samples) throw InternalError("runSweep: no samples loaded");
    return sweepOver(
        spec, baseDir, sweep, samples.count(),
        [&](const CompiledNetwork& net) { return sampleSource(samples, net); }, options);
}

} // namespace spikelab
