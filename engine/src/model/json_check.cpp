// The structural check every JSON text goes through before nlohmann builds a value from it
// (see checkJsonStructure in spikelab/project.h). It runs nlohmann's SAX parser, which keeps
// its own stack on the heap, so a hostile nesting depth cannot overflow ours; the value that
// is built afterwards is then known to be shallow, and printing or copying it (both
// recursive) is safe.
#include "spikelab/error.h"
#include "spikelab/project.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace spikelab {

namespace {

class StructureCheck final : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit StructureCheck(const std::string& what) : what_(what) {}

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }

    bool start_object(std::size_t) override { return open(true); }
    bool key(string_t& name) override {
        Frame& f = frames_.back();
        if (!f.keys.insert(name).second)
            throw Error(what_ + ": " + path(frames_.size() - 1) + " has the key " + quote(name) +
                        " twice");
        f.key = name;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) override {
        return false;  // the parse proper reports syntax errors with their position
    }

private:
    struct Frame {
        bool object = false;
        std::int64_t index = -1;  // arrays: the element being read
        std::string key;          // objects: the member being read
        std::set<std::string> keys;
    };

    // A value (or a container about to open) takes the next place in its parent.
    bool value() {
        if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
        return true;
    }
    bool open(bool object) {
        value();
        if (frames_.size() >= std::size_t(kMaxJsonDepth))
            throw Error(what_ + ": " + path(frames_.size()) + " nests arrays and objects more than " +
                        std::to_string(kMaxJsonDepth) + " deep");
        frames_.push_back({object, -1, {}, {}});
        return true;
    }
    bool close() {
        frames_.pop_back();
        return true;
    }
    // The place reached through the first `levels` containers, as "populations[2].params";
    // "the document" at the top.
    // A path through a hostile depth shows its first levels only.
    std::string path(std::size_t levels) const {
        constexpr std::size_t shown = 8;
        std::string out;
        for (std::size_t i = 0; i < std::min(levels, shown); ++i) {
            const Frame& f = frames_[i];
            if (f.object) {
                if (!out.empty()) out += '.';
                out += f.key;
            } else {
                out += '[';
                out += std::to_string(f.index);
                out += ']';
            }
        }
        if (levels > shown) out += "... (" + std::to_string(levels) + " levels down)";
        return out.empty() ? "the document" : out;
    }

    std::string what_;
    std::vector<Frame> frames_;
};

} // namespace

void checkJsonStructure(const std::string& text, const std::string& what) {
    StructureCheck check(what);
    nlohmann::json::sax_parse(text, &check);
}

} // namespace spikelab
