// Command-line flags for the demos: `--name VALUE` or `--name=VALUE`, plus
// `--help`. A bad flag or value prints a clear message to stderr and exits
// with status 2 (the usual "usage error" status), never a crash.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace demo {

class args {
public:
    args(std::string program, std::string summary);

    // Registers an integer flag; values outside [min, max] are rejected.
    args& add(std::string name, long& out, std::string help, long min, long max);
    args& add(std::string name, std::string& out, std::string help);
    // A switch: present means true; takes no value.
    args& add_switch(std::string name, bool& out, std::string help);

    // Parses argv. `--help` prints the usage and exits 0; errors exit 2.
    void parse(int argc, char** argv);

    [[noreturn]] void fail(const std::string& message) const;

private:
    struct flag {
        std::string name;
        std::string help;
        std::string value_name;  // empty for switches
        std::string default_text;
        std::function<bool(const std::string&, std::string&)> set;  // returns false + error text
    };
    void print_usage() const;
    flag* find(const std::string& name);

    std::string program_;
    std::string summary_;
    std::vector<flag> flags_;
};

}  // namespace demo
