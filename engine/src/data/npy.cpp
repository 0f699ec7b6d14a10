// NumPy .npy reader and writer. The header is a Python dict literal, parsed here by hand:
// {'descr': '<f4', 'fortran_order': False, 'shape': (784, 128), }
#include "spikelab/npy.h"

#include "spikelab/error.h"
#include "spikelab/fileio.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <string_view>

namespace spikelab {

namespace {

constexpr std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) text += ", ";
        text += std::to_string(shape[i]);
    }
    return text + (shape.size() == 1 ? ",)" : ")");
}

// A short, printable excerpt of a header for error messages.
std::string excerpt(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 80)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    return text.size() > 80 ? out + "..." : out;
}

// Recursive-descent parser for the header dict.
class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& what) : text_(text), what_(what) {}

    [[noreturn]] void fail(const std::string& problem) const {
        throw Error(what_ + ": bad .npy header: " + problem + " at character " +
                    std::to_string(pos_) + " of \"" + excerpt(text_) + "\"");
    }
    void skipSpace() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }
    bool peek(char c) {
        skipSpace();
        return pos_ < text_.size() && text_[pos_] == c;
    }
    bool accept(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }
    void expect(char c) {
        if (!accept(c)) fail(std::string("expected '") + c + "'");
    }
    bool atEnd() {
        skipSpace();
        return pos_ == text_.size();
    }
    std::string stringLiteral() {
        skipSpace();
        if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
            fail("expected a quoted string");
        const char quoteChar = text_[pos_++];
        std::string out;
        while (pos_ < text_.size() && text_[pos_] != quoteChar) {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
            out += text_[pos_++];
        }
        if (pos_ >= text_.size()) fail("unterminated string");
        ++pos_;
        return out;
    }
    bool boolean() {
        skipSpace();
        for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
            const std::string_view w(word);
            if (text_.substr(pos_, w.size()) == w) {
                pos_ += w.size();
                return value;
            }
        }
        fail("expected True or False");
    }
    std::int64_t integer() {
        skipSpace();
        const std::size_t start = pos_;
        std::int64_t value = 0;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
            const int digit = text_[pos_] - '0';
            if (value > (kInt64Max - digit) / 10) fail("dimension too large");
            value = value * 10 + digit;
            ++pos_;
        }
        if (pos_ == start) fail("expected a non-negative integer dimension");
        if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l')) ++pos_; // Python 2
        return value;
    }
    std::vector<std::int64_t> tuple() {
        expect('(');
        std::vector<std::int64_t> dims;
        while (!accept(')')) {
            if (dims.size() >= 64) fail("more than 64 dimensions");
            dims.push_back(integer());
            if (!accept(',')) {
                expect(')');
                break;
            }
        }
        return dims;
    }

private:
    std::string_view text_;
    const std::string& what_;
    std::size_t pos_ = 0;
};

struct Header {
    std::string descr;
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
};

Header parseHeader(std::string_view text, const std::string& what) {
    HeaderParser p(text, what);
    Header h;
    bool seenDescr = false, seenOrder = false, seenShape = false;
    p.expect('{');
    while (!p.accept('}')) {
        const std::string key = p.stringLiteral();
        p.expect(':');
        bool* seen = nullptr;
        if (key == "descr") {
            if (p.peek('[')) p.fail("structured dtypes (a list as 'descr') are not supported");
            h.descr = p.stringLiteral();
            seen = &seenDescr;
        } else if (key == "fortran_order") {
            h.fortranOrder = p.boolean();
            seen = &seenOrder;
        } else if (key == "shape") {
            h.shape = p.tuple();
            seen = &seenShape;
        } else {
            p.fail("unknown key '" + excerpt(key) + "'");
        }
        if (*seen) p.fail("key '" + key + "' given twice");
        *seen = true;
        if (!p.accept(',')) {
            p.expect('}');
            break;
        }
    }
    if (!p.atEnd()) p.fail("unexpected text after the dict");
    if (!seenDescr) p.fail("missing key 'descr'");
    if (!seenOrder) p.fail("missing key 'fortran_order'");
    if (!seenShape) p.fail("missing key 'shape'");
    return h;
}

enum class Kind { Float, Signed, Unsigned, Bool };

struct DType {
    Kind kind;
    std::size_t size;
    bool swap; // stored in the other byte order than this machine's
};

DType parseDtype(const std::string& descr, const std::string& what) {
    auto unsupported = [&]() -> Error {
        return Error(what + ": unsupported dtype " + quote(descr) +
                     " (supported: float32/64, int8/16/32/64, uint8/16/32/64, bool)");
    };
    if (descr.size() != 3) throw unsupported();
    const char order = descr[0], kindChar = descr[1], sizeChar = descr[2];
    DType t{};
    switch (kindChar) {
    case 'f':
        t.kind = Kind::Float;
        break;
    case 'i':
        t.kind = Kind::Signed;
        break;
    case 'u':
        t.kind = Kind::Unsigned;
        break;
    case 'b':
        t.kind = Kind::Bool;
        break;
    default:
        throw unsupported();
    }
    if (sizeChar != '1' && sizeChar != '2' && sizeChar != '4' && sizeChar != '8')
        throw unsupported();
    t.size = std::size_t(sizeChar - '0');
    if ((t.kind == Kind::Float && t.size < 4) || (t.kind == Kind::Bool && t.size != 1))
        throw unsupported();
    const bool hostLittle = std::endian::native == std::endian::little;
    if (order == '<')
        t.swap = !hostLittle;
    else if (order == '>')
        t.swap = hostLittle;
    else if (order == '=' || (order == '|' && t.size == 1))
        t.swap = false;
    else
        throw unsupported();
    if (t.size == 1) t.swap = false;
    return t;
}

template <typename T> double as(const std::uint8_t* b) {
    T v;
    std::memcpy(&v, b, sizeof v);
    return double(v);
}

double decodeOne(const std::uint8_t* p, const DType& t) {
    std::uint8_t b[8] = {};
    const std::size_t size = std::min<std::size_t>(t.size, sizeof b);
    for (std::size_t k = 0; k < size; ++k) b[k] = t.swap ? p[size - 1 - k] : p[k];
    switch (t.kind) {
    case Kind::Float:
        return t.size == 4 ? as<float>(b) : as<double>(b);
    case Kind::Bool:
        return b[0] != 0 ? 1.0 : 0.0;
    case Kind::Unsigned:
        return t.size == 1   ? as<std::uint8_t>(b)
               : t.size == 2 ? as<std::uint16_t>(b)
               : t.size == 4 ? as<std::uint32_t>(b)
                             : as<std::uint64_t>(b);
    case Kind::Signed:
        return t.size == 1   ? as<std::int8_t>(b)
               : t.size == 2 ? as<std::int16_t>(b)
               : t.size == 4 ? as<std::int32_t>(b)
                             : as<std::int64_t>(b);
    }
    return 0.0;
}

template <typename T>
std::vector<std::uint8_t> encode(const std::vector<std::int64_t>& shape, std::span<const T> values,
                                 const char* descr) {
    std::uint64_t count = 1;
    for (std::int64_t d : shape) {
        if (d < 0) throw InternalError("writeNpy: negative dimension in shape " + shapeText(shape));
        if (d != 0 && count > std::uint64_t(kInt64Max) / std::uint64_t(d))
            throw InternalError("writeNpy: shape " + shapeText(shape) + " overflows");
        count *= std::uint64_t(d);
    }
    if (count != values.size())
        throw InternalError("writeNpy: shape " + shapeText(shape) + " holds " +
                            std::to_string(count) + " values but " + std::to_string(values.size()) +
                            " were given");

    std::string dict = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
    // numpy's rule: magic + version + length + dict + padding + '\n' is a multiple of 64.
    const bool v1 = dict.size() + 64 <= 65535; // header length fits in 16 bits
    const std::size_t preamble = v1 ? 10 : 12;
    const std::size_t total = (preamble + dict.size() + 1 + 63) / 64 * 64;
    dict.append(total - preamble - dict.size() - 1, ' ');
    dict += '\n';

    std::vector<std::uint8_t> out(kMagic, kMagic + 6);
    out.push_back(v1 ? 1 : 2);
    out.push_back(0);
    const std::size_t headerLen = dict.size();
    for (std::size_t i = 0; i < (v1 ? 2u : 4u); ++i)
        out.push_back(std::uint8_t(headerLen >> (8 * i)));
    out.insert(out.end(), dict.begin(), dict.end());

    const std::size_t start = out.size();
    out.resize(start + values.size() * sizeof(T));
    std::uint8_t* dst = out.data() + start;
    for (const T& v : values) {
        std::memcpy(dst, &v, sizeof(T));
        if constexpr (std::endian::native == std::endian::big) std::reverse(dst, dst + sizeof(T));
        dst += sizeof(T);
    }
    return out;
}

} // namespace

NpyArray parseNpy(std::span<const std::uint8_t> bytes, const std::string& what) {
    if (bytes.size() < 10 || !std::equal(kMagic, kMagic + 6, bytes.begin()))
        throw Error(what + ": not a .npy file (it does not start with \"\\x93NUMPY\")");
    const unsigned major = bytes[6], minor = bytes[7];
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        throw Error(what + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
    const std::size_t preamble = major == 1 ? 10 : 12;
    if (bytes.size() < preamble)
        throw Error(what + ": truncated: " + std::to_string(bytes.size()) + " bytes");
    std::size_t headerLen = std::size_t(bytes[8]) | std::size_t(bytes[9]) << 8;
    if (major != 1) headerLen |= std::size_t(bytes[10]) << 16 | std::size_t(bytes[11]) << 24;
    if (headerLen > bytes.size() - preamble)
        throw Error(what + ": truncated: the header length is " + std::to_string(headerLen) +
                    " bytes but only " + std::to_string(bytes.size() - preamble) + " follow");

    const std::string_view headerText(reinterpret_cast<const char*>(bytes.data() + preamble),
                                      headerLen);
    const Header h = parseHeader(headerText, what);
    const DType t = parseDtype(h.descr, what);

    const std::size_t dataStart = preamble + headerLen;
    const std::uint64_t available = bytes.size() - dataStart;
    // product(shape) * itemsize, saturating so that a malicious header cannot wrap around.
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t count = 1;
    bool overflow = false;
    for (std::int64_t d : h.shape) {
        const auto u = std::uint64_t(d);
        if (u != 0 && count > kMax / u) overflow = true;
        count = overflow ? kMax : count * u;
    }
    if (std::find(h.shape.begin(), h.shape.end(), 0) != h.shape.end()) count = 0, overflow = false;
    if (!overflow && count > kMax / t.size) overflow = true;
    const std::uint64_t needed = overflow ? kMax : count * t.size;
    if (overflow || needed != available)
        throw Error(what + ": shape " + shapeText(h.shape) + " of " + quote(h.descr) + " needs " +
                    (overflow ? std::string("more than 2^64") : std::to_string(needed)) +
                    " bytes of data but " + std::to_string(available) + " follow" +
                    (needed > available
                         ? " (truncated)"
                         : " (" + std::to_string(available - needed) + " trailing bytes)"));

    NpyArray out;
    out.shape = h.shape;
    out.dtype = h.descr;
    out.fortranOrder = h.fortranOrder;
    out.data.resize(count);
    const std::uint8_t* src = bytes.data() + dataStart;
    if (!h.fortranOrder || h.shape.size() < 2) {
        for (std::uint64_t i = 0; i < count; ++i) out.data[i] = decodeOne(src + i * t.size, t);
        return out;
    }
    // Fortran order: the first index varies fastest. Walk the C order with an odometer and
    // keep the matching Fortran offset up to date.
    const std::size_t n = h.shape.size();
    std::vector<std::uint64_t> stride(n), index(n, 0);
    stride[0] = 1;
    for (std::size_t k = 1; k < n; ++k) stride[k] = stride[k - 1] * std::uint64_t(h.shape[k - 1]);
    std::uint64_t offset = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        out.data[i] = decodeOne(src + offset * t.size, t);
        for (std::size_t k = n; k-- > 0;) {
            if (++index[k] < std::uint64_t(h.shape[k])) {
                offset += stride[k];
                break;
            }
            offset -= (index[k] - 1) * stride[k];
            index[k] = 0;
        }
    }
    return out;
}

NpyArray readNpy(const std::string& path) {
    const std::vector<std::uint8_t> bytes = readFile(path);
    return parseNpy(bytes, "file " + quote(path));
}

std::vector<std::uint8_t> encodeNpy(const std::vector<std::int64_t>& shape,
                                    std::span<const float> values) {
    return encode(shape, values, "<f4");
}

void writeNpy(const std::string& path, const std::vector<std::int64_t>& shape,
              std::span<const float> values) {
    writeFileAtomic(path, encode(shape, values, "<f4"));
}

void writeNpy(const std::string& path, const std::vector<std::int64_t>& shape,
              std::span<const double> values) {
    writeFileAtomic(path, encode(shape, values, "<f8"));
}

} // namespace spikelab
