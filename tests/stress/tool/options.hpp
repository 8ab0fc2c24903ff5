// The command line of tinyrt-stress: parsing, the usage text, and the
// command that replays a run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stress {

struct options {
    std::string program = "tinyrt-stress";  // argv[0], for the replay command
    std::vector<std::string> scenarios;     // in the order given; "all" expanded
    bool list = false;
    bool help = false;
    double seconds = 5;            // per scenario, unless iterations is set
    std::uint64_t iterations = 0;  // rounds per scenario; 0: run for `seconds`
    unsigned workers = 0;          // pool workers; 0: hardware threads
    unsigned threads = 0;          // outside threads (oversubscription); 0: 2 x workers
    std::uint64_t seed = 0;
    bool seed_given = false;
    bool chaos = false;
    std::string json;                 // --json FILE, or empty
    double stall = 10;                // --stall S: seconds without progress that count as a hang
    std::vector<std::string> faults;  // --fault NAME (fault build only)
    double fault_rate = 0;            // --fault-rate P; 0: each fault's default
};

// Parses argv. On a bad argument returns nullopt and sets `error` to a
// one-line message.
std::optional<options> parse_options(int argc, char** argv, std::string& error);

// The usage text (--help).
std::string usage(const std::string& program);

// The command line that replays `scenario` with the same choices.
std::string replay_command(const options& o, const std::string& scenario);

}  // namespace stress
