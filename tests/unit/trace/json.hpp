// A small JSON reader for the trace tests: parses a whole document into a
// tree and says where it stopped when the text is not JSON (RFC 8259; numbers
// as double, \u escapes kept as UTF-8, surrogate pairs joined).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace trace_test {

struct json {
    enum class type { null, boolean, number, string, array, object };
    type t = type::null;
    bool b = false;
    double num = 0;
    std::string str;
    std::vector<json> arr;
    std::map<std::string, json> obj;

    bool has(const std::string& k) const { return t == type::object && obj.count(k) != 0; }
    const json& operator[](const std::string& k) const {
        auto it = obj.find(k);
        if (t != type::object || it == obj.end()) throw std::runtime_error("no key " + k);
        return it->second;
    }
    const json& at(const std::string& k) const { return (*this)[k]; }
    const json& operator[](std::size_t i) const { return arr.at(i); }
    std::uint64_t u64() const { return static_cast<std::uint64_t>(num); }
};

class json_parser {
public:
    explicit json_parser(const std::string& text) : s_(text) {}

    // The document; throws std::runtime_error naming the offset on bad input.
    json parse() {
        json v = value();
        space();
        if (i_ != s_.size()) fail("text after the document");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(i_));
    }
    void space() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
            ++i_;
    }
    bool eat(char c) {
        space();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!eat(c)) fail(std::string("expected '") + c + "'");
    }
    void literal(const char* word) {
        for (const char* p = word; *p; ++p, ++i_) {
            if (i_ >= s_.size() || s_[i_] != *p) fail(std::string("expected ") + word);
        }
    }
    json value() {
        space();
        if (i_ >= s_.size()) fail("unexpected end");
        json v;
        const char c = s_[i_];
        if (c == '{') {
            ++i_;
            v.t = json::type::object;
            if (eat('}')) return v;
            do {
                space();
                std::string k = string();
                expect(':');
                if (v.obj.count(k)) fail("duplicate key " + k);
                v.obj.emplace(std::move(k), value());
            } while (eat(','));
            expect('}');
        } else if (c == '[') {
            ++i_;
            v.t = json::type::array;
            if (eat(']')) return v;
            do v.arr.push_back(value());
            while (eat(','));
            expect(']');
        } else if (c == '"') {
            v.t = json::type::string;
            v.str = string();
        } else if (c == 't') {
            literal("true");
            v.t = json::type::boolean;
            v.b = true;
        } else if (c == 'f') {
            literal("false");
            v.t = json::type::boolean;
        } else if (c == 'n') {
            literal("null");
        } else {
            v.t = json::type::number;
            v.num = number();
        }
        return v;
    }
    double number() {
        const std::size_t start = i_;
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        auto digits = [&] {
            const std::size_t from = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            if (i_ == from) fail("expected a digit");
        };
        if (i_ < s_.size() && s_[i_] == '0')
            ++i_;
        else
            digits();
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            digits();
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            digits();
        }
        return std::stod(s_.substr(start, i_ - start));
    }
    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("short \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = s_[i_++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= static_cast<unsigned>(h - 'A' + 10);
            else
                fail("bad hex digit");
        }
        return v;
    }
    void utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    std::string string() {
        if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string");
        ++i_;
        std::string out;
        while (true) {
            if (i_ >= s_.size()) fail("unterminated string");
            const char c = s_[i_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) fail("unterminated escape");
            const char e = s_[i_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' &&
                        s_[i_ + 1] == 'u') {
                        i_ += 2;
                        const unsigned lo = hex4();
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    utf8(out, cp);
                    break;
                }
                default:
                    fail("bad escape");
            }
        }
    }

    const std::string& s_;
    std::size_t i_ = 0;
};

inline json parse_json(const std::string& text) {
    return json_parser(text).parse();
}

}  // namespace trace_test
