#pragma once
// Strict reading of JSON objects for the project and model readers: every key read is typed
// and checked, and keys nobody read are reported (see Reader::finish).
#include "spikelab/error.h"
#include "spikelab/params.h"
#include "spikelab/network.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace spikelab {

using Json = nlohmann::ordered_json;

// A view of one JSON object that records which keys were read, so that leftovers (typos,
// keys from another program) are reported instead of silently ignored.
class Reader {
public:
    Reader(const Json& j, std::string where) : json_(j), where_(std::move(where)) {
        if (!json_.is_object()) fail("must be a JSON object");
    }

    [[noreturn]] void fail(const std::string& why) const { throw Error(where_ + ": " + why); }
    const std::string& where() const { return where_; }

    bool has(const std::string& key) const { return json_.contains(key); }

    const Json& get(const std::string& key) {
        seen_.insert(key);
        auto it = json_.find(key);
        if (it == json_.end()) fail("missing " + quote(key));
        return *it;
    }

    std::string string(const std::string& key) {
        const Json& v = get(key);
        if (!v.is_string()) typeError(key, "a string", v);
        return v.get<std::string>();
    }
    std::string string(const std::string& key, const std::string& def) {
        return has(key) ? string(key) : def;
    }
    double number(const std::string& key) {
        const Json& v = get(key);
        if (!v.is_number()) typeError(key, "a number", v);
        return v.get<double>();
    }
    double number(const std::string& key, double def) {
        return has(key) ? number(key) : def;
    }
    std::int64_t integer(const std::string& key) {
        const Json& v = get(key);
        if (v.is_number_unsigned() && v.get<std::uint64_t>() >
                                          std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            fail(quote(key) + " is too large");
        if (!v.is_number_integer()) typeError(key, "a whole number", v);
        return v.get<std::int64_t>();
    }
    std::int64_t integer(const std::string& key, std::int64_t def) {
        return has(key) ? integer(key) : def;
    }
    std::uint64_t seed(const std::string& key, std::uint64_t def) {
        if (!has(key)) return def;
        const Json& v = get(key);
        if (!v.is_number_unsigned()) typeError(key, "a non-negative whole number", v);
        return v.get<std::uint64_t>();
    }
    bool boolean(const std::string& key, bool def) {
        if (!has(key)) return def;
        const Json& v = get(key);
        if (!v.is_boolean()) typeError(key, "true or false", v);
        return v.get<bool>();
    }
    const Json& array(const std::string& key) {
        const Json& v = get(key);
        if (!v.is_array()) typeError(key, "an array", v);
        return v;
    }
    ParamValues params(const std::string& key) {
        ParamValues out;
        if (!has(key)) return out;
        const Json& v = get(key);
        if (!v.is_object()) typeError(key, "an object of numbers", v);
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!it.value().is_number())
                fail(quote(key) + "." + it.key() + " must be a number, not " +
                     it.value().dump());
            out[it.key()] = it.value().get<double>();
        }
        return out;
    }
    std::vector<std::int64_t> integers(const std::string& key) {
        std::vector<std::int64_t> out;
        if (!has(key)) return out;
        const Json& v = array(key);
        out.reserve(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_number_integer())
                fail(quote(key) + "[" + std::to_string(i) + "] must be a whole number, not " +
                     v[i].dump());
            out.push_back(v[i].get<std::int64_t>());
        }
        return out;
    }
    std::vector<double> numbers(const std::string& key) {
        const Json& v = array(key);
        std::vector<double> out;
        out.reserve(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_number())
                fail(quote(key) + "[" + std::to_string(i) + "] must be a number, not " +
                     v[i].dump());
            out.push_back(v[i].get<double>());
        }
        return out;
    }
    std::vector<std::string> strings(const std::string& key) {
        std::vector<std::string> out;
        if (!has(key)) return out;
        const Json& v = array(key);
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string())
                fail(quote(key) + "[" + std::to_string(i) + "] must be a string");
            out.push_back(v[i].get<std::string>());
        }
        return out;
    }

    CanvasPosition position(const std::string& key) {
        const Json& v = get(key);
        if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
            typeError(key, "[x, y] (two numbers)", v);
        return {v[0].get<double>(), v[1].get<double>()};
    }

    // Call after reading every known key.
    void finish() const {
        for (auto it = json_.begin(); it != json_.end(); ++it)
            if (!seen_.count(it.key())) fail("unknown key " + quote(it.key()));
    }

private:
    [[noreturn]] void typeError(const std::string& key, const char* expected, const Json& v) const {
        std::string shown = v.dump();
        if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
        fail(quote(key) + " must be " + expected + ", not " + shown);
    }

    const Json& json_;
    std::string where_;
    std::set<std::string> seen_;
};

} // namespace spikelab
