#pragma once
// The two roots of SpikeLab's exceptions (see docs/architecture.md, "Errors").
//
// spikelab::Error is a user-facing problem: a bad file, a bad value, missing data. Its
// message names what and where ("file \"w.npy\": expected shape (784, 128), got (784, 100)").
// spikelab::InternalError is a bug in SpikeLab: an invariant that should never break.
#include <stdexcept>
#include <string>

namespace spikelab {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

class InternalError : public std::logic_error {
public:
    explicit InternalError(const std::string& message)
        : std::logic_error("internal error: " + message) {}
};

// Quotes a name or path for use inside an error message; control characters show as \xNN.
std::string quote(const std::string& text);

} // namespace spikelab
