#include "common/args.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace demo {

args::args(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

args& args::add(std::string name, long& out, std::string help, long min, long max) {
    auto set = [&out, min, max, name](const std::string& text, std::string& error) {
        errno = 0;
        char* end = nullptr;
        long v = std::strtol(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || errno == ERANGE) {
            error = "--" + name + " expects an integer, got '" + text + "'";
            return false;
        }
        if (v < min || v > max) {
            error = "--" + name + " must be between " + std::to_string(min) + " and " +
                    std::to_string(max) + ", got " + text;
            return false;
        }
        out = v;
        return true;
    };
    flags_.push_back({std::move(name), std::move(help), "N", std::to_string(out), set});
    return *this;
}

args& args::add(std::string name, std::string& out, std::string help) {
    auto set = [&out](const std::string& text, std::string&) {
        out = text;
        return true;
    };
    flags_.push_back({std::move(name), std::move(help), "TEXT", out, set});
    return *this;
}

args& args::add_switch(std::string name, bool& out, std::string help) {
    auto set = [&out](const std::string&, std::string&) {
        out = true;
        return true;
    };
    flags_.push_back({std::move(name), std::move(help), "", "", set});
    return *this;
}

args::flag* args::find(const std::string& name) {
    for (auto& f : flags_) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

void args::print_usage() const {
    std::printf("usage: %s [options]\n\n%s\n\noptions:\n", program_.c_str(), summary_.c_str());
    for (const auto& f : flags_) {
        std::string left = "--" + f.name + (f.value_name.empty() ? "" : " " + f.value_name);
        std::string def = f.default_text.empty() ? "" : " (default " + f.default_text + ")";
        std::printf("  %-22s %s%s\n", left.c_str(), f.help.c_str(), def.c_str());
    }
    std::printf("  %-22s %s\n", "--help", "show this message and exit");
}

void args::fail(const std::string& message) const {
    std::fprintf(stderr, "%s: %s\n(try --help)\n", program_.c_str(), message.c_str());
    std::exit(2);
}

void args::parse(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            print_usage();
            std::exit(0);
        }
        if (arg.rfind("--", 0) != 0) fail("unexpected argument '" + arg + "'");
        std::string name = arg.substr(2);
        std::string value;
        bool has_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        flag* f = find(name);
        if (f == nullptr) fail("unknown option '--" + name + "'");
        if (f->value_name.empty()) {
            if (has_value) fail("--" + name + " takes no value");
        } else if (!has_value) {
            if (i + 1 >= argc) fail("--" + name + " needs a value");
            value = argv[++i];
        }
        std::string error;
        if (!f->set(value, error)) fail(error);
    }
}

}  // namespace demo
