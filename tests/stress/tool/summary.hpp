// The end of a run: one row per scenario, the exactly-once totals, and the
// same as JSON (--json FILE).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tool/options.hpp"

namespace stress {

struct scenario_result {
    std::string name;
    double seconds = 0;
    std::uint64_t operations = 0;
    std::uint64_t checks = 0;
    std::uint64_t items = 0;  // deque items checked exactly once
    std::uint64_t tasks = 0;  // tasks checked exactly once
    bool pass = true;
    std::string failure;
};

// Prints the table to stdout.
void print_summary(const std::vector<scenario_result>& results);

// Writes the JSON summary; false (and a message on stderr) if the file cannot be written.
bool write_json(const std::string& path, const options& opt, const std::string& command,
                const std::vector<scenario_result>& results);

}  // namespace stress
