#include "spikelab/phase_plane.h"

#include "spikelab/error.h"
#include "spikelab/lang.h"
#include "spikelab/models.h"

#include <cmath>
#include <limits>

namespace spikelab {

namespace {
int stateIndex(const NeuronModelInfo& model, const std::string& name) {
    for (std::size_t v = 0; v < model.state.size(); ++v)
        if (model.state[v].name == name) return int(v);
    throw Error("phase plane: " + quote(name) + " is not a state variable of " + quote(model.name));
}
} // namespace

PhasePlane::PhasePlane(const std::string& model, const ParamValues& params, const std::string& x,
                       const std::string& y, double current, double dt)
    : model_(&neuronModel(model, "phase plane")), current_(current), dt_(dt) {
    if (model_->spikeSource || !model_->code)
        throw Error("phase plane: model " + quote(model_->name) + " is a spike source; it has no dynamics");
    if (!(dt > 0) || !std::isfinite(dt)) throw Error("phase plane: dt " + formatNumber(dt) + " ms must be > 0");
    if (!std::isfinite(current)) throw Error("phase plane: current " + formatNumber(current) + " is not a number");
    x_ = stateIndex(*model_, x);
    y_ = stateIndex(*model_, y);
    if (x_ == y_) throw Error("phase plane: x and y are both " + quote(x));
    const ParamValues resolved = resolveParams(model_->params, params, "phase plane of " + quote(model_->name));
    for (const auto& p : model_->params) params_.push_back(resolved.at(p.name));
    derived_ = lang::derivedValues(*model_->code, params_, dt_);
    derivedHalf_ = lang::derivedValues(*model_->code, params_, dt_ / 2);
    for (const auto& s : model_->state) initial_.push_back(s.defaultValue);
}

std::pair<double, double> PhasePlane::difference(double x, double y, double dt, const std::vector<double>& derived) const {
    lang::HostFrame f;
    f.parameters = params_;
    f.derived = derived;
    f.state = initial_;
    f.state[std::size_t(x_)] = x;
    f.state[std::size_t(y_)] = y;
    f.builtins = {current_, dt, 0.0};
    lang::runOnHost(model_->code->sim, f);
    return {(f.state[std::size_t(x_)] - x) / dt, (f.state[std::size_t(y_)] - y) / dt};
}

std::pair<double, double> PhasePlane::derivative(double x, double y) const {
    // A step's difference quotient is the derivative plus a term in dt (the model's own
    // integration scheme); two steps, dt and dt / 2, cancel it (Richardson).
    const auto [fx, fy] = difference(x, y, dt_, derived_);
    const auto [hx, hy] = difference(x, y, dt_ / 2, derivedHalf_);
    return {2 * hx - fx, 2 * hy - fy};
}

std::vector<double> PhasePlane::nullcline(bool ofX, const std::vector<double>& xs, double yLow, double yHigh) const {
    const auto g = [&](double x, double y) {
        const auto [dx, dy] = derivative(x, y);
        return ofX ? dx : dy;
    };
    std::vector<double> out;
    for (const double x : xs) {
        double lo = yLow, hi = yHigh;
        double glo = g(x, lo);
        const double ghi = g(x, hi);
        if (!(glo * ghi <= 0) || !std::isfinite(glo) || !std::isfinite(ghi)) {
            out.push_back(std::numeric_limits<double>::quiet_NaN());
            continue;
        }
        while (hi - lo > (yHigh - yLow) * 1e-7) {
            const double mid = 0.5 * (lo + hi);
            const double gm = g(x, mid);
            if ((gm <= 0) == (glo <= 0)) {
                lo = mid;
                glo = gm;
            } else {
                hi = mid;
            }
        }
        out.push_back(0.5 * (lo + hi));
    }
    return out;
}

std::vector<PhasePlane::FixedPoint> PhasePlane::fixedPoints(double xLow, double xHigh, double yLow, double yHigh,
                                                           int samples) const {
    // Along x, the gap between the two nullclines changes sign where they cross.
    const auto gap = [&](double x) {
        const double a = nullcline(true, {x}, yLow, yHigh)[0], b = nullcline(false, {x}, yLow, yHigh)[0];
        return a - b;
    };
    std::vector<FixedPoint> points;
    const int n = std::max(samples, 2);
    double previousX = xLow, previous = gap(xLow);
    for (int i = 1; i < n; ++i) {
        const double x = xLow + (xHigh - xLow) * double(i) / double(n - 1);
        const double here = gap(x);
        if (std::isfinite(previous) && std::isfinite(here) && (previous <= 0) != (here <= 0)) {
            double lo = previousX, hi = x, glo = previous;
            for (int k = 0; k < 60 && hi - lo > (xHigh - xLow) * 1e-9; ++k) {
                const double mid = 0.5 * (lo + hi);
                const double gm = gap(mid);
                if (!std::isfinite(gm)) break;
                if ((gm <= 0) == (glo <= 0)) {
                    lo = mid;
                    glo = gm;
                } else {
                    hi = mid;
                }
            }
            FixedPoint p;
            p.x = 0.5 * (lo + hi);
            p.y = nullcline(true, {p.x}, yLow, yHigh)[0];
            // The Jacobian by central differences, a step of 1e-3 of each range.
            const double hx = (xHigh - xLow) * 1e-3, hy = (yHigh - yLow) * 1e-3;
            const auto [fxp, gxp] = derivative(p.x + hx, p.y);
            const auto [fxm, gxm] = derivative(p.x - hx, p.y);
            const auto [fyp, gyp] = derivative(p.x, p.y + hy);
            const auto [fym, gym] = derivative(p.x, p.y - hy);
            const double a = (fxp - fxm) / (2 * hx), b = (fyp - fym) / (2 * hy);
            const double c = (gxp - gxm) / (2 * hx), d = (gyp - gym) / (2 * hy);
            p.trace = a + d;
            p.determinant = a * d - b * c;
            const double discriminant = p.trace * p.trace - 4 * p.determinant;
            if (p.determinant < 0)
                p.kind = "saddle";
            else
                p.kind = std::string(p.trace < 0 ? "stable " : "unstable ") + (discriminant < 0 ? "focus" : "node");
            points.push_back(p);
        }
        previousX = x;
        previous = here;
    }
    return points;
}

} // namespace spikelab
