#pragma once
// The phase plane of a two-variable neuron model (Izhikevich's V-U, AdEx's V-w), computed from
// the model's own code (docs/architecture.md, "Phase planes"), for the neuron lab: the vector
// field, the nullclines, the fixed points and their stability at a given constant input. The
// derivative at a point comes from steps of the model's sim code from there (the threshold and
// reset are not run) in the model language's interpreter in double (lang::runOnHost): the change
// over a small dt and over dt / 2, extrapolated to no step (Richardson), so that what is left of
// the integration scheme's error is of order dt^2.
// The other state variables stay at their initial values.
#include "spikelab/params.h"

#include <string>
#include <utility>
#include <vector>

namespace spikelab {

struct NeuronModelInfo;

class PhasePlane {
public:
    // Throws spikelab::Error for an unknown model, a spike source, parameters the model does
    // not take, x or y not a state variable of it (or the same one), or dt not > 0.
    PhasePlane(const std::string& model, const ParamValues& params, const std::string& x, const std::string& y,
               double current, double dt = 1e-4);

    // (dx/dt, dy/dt) at (x, y).
    std::pair<double, double> derivative(double x, double y) const;

    // Where dx/dt = 0 (`ofX`) or dy/dt = 0: for each of `xs` the y in [yLow, yHigh] at which the
    // derivative changes sign, to within (yHigh - yLow) 1e-7; NaN where it does not change sign
    // over the range.
    std::vector<double> nullcline(bool ofX, const std::vector<double>& xs, double yLow, double yHigh) const;

    struct FixedPoint {
        double x = 0, y = 0;
        double trace = 0, determinant = 0;  // of the Jacobian there (finite differences)
        std::string kind;  // "stable node", "stable focus", "unstable node", "unstable focus", "saddle"
    };
    // The crossings of the two nullclines over x in [xLow, xHigh] (sampled at `samples` points,
    // then refined), each with its stability.
    std::vector<FixedPoint> fixedPoints(double xLow, double xHigh, double yLow, double yHigh,
                                        int samples = 2000) const;

private:
    // (change of x, change of y) / dt over one step of the sim code.
    std::pair<double, double> difference(double x, double y, double dt, const std::vector<double>& derived) const;

    const NeuronModelInfo* model_;
    std::vector<double> params_, derived_, derivedHalf_;
    std::vector<double> initial_;
    int x_ = 0, y_ = 1;
    double current_, dt_;
};

} // namespace spikelab
