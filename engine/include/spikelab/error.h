#pragma once
// The two roots of SpikeLab's exceptions (see docs/architecture.md, "Errors").
//
// spikelab::Error is a user-facing problem: a bad file, a bad value, missing data. Its
// message names what and where ("file \"w.npy\": expected shape (784, 128), got (784, 100)").
// spikelab::InternalError is a bug in SpikeLab: an invariant that should never break.
#include <stdexcept>
#include <string>
#include <utility>

namespace spikelab {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A data set that is on none of the folders searched (docs/architecture.md, "Data sets"); the
// message lists them and what to put there. The workbench offers to download it.
class DatasetNotFound : public Error {
public:
    DatasetNotFound(std::string dataset, const std::string& message)
        : Error(message), dataset_(std::move(dataset)) {}
    const std::string& dataset() const { return dataset_; }

private:
    std::string dataset_;
};

class InternalError : public std::logic_error {
public:
    explicit InternalError(const std::string& message)
        : std::logic_error("internal error: " + message) {}
};

// Quotes a name or path for use inside an error message; control characters show as \xNN.
std::string quote(const std::string& text);

} // namespace spikelab
