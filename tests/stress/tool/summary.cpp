#include "tool/summary.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace stress {

namespace {

double rate_of(const scenario_result& r) {
    return r.seconds > 0 ? static_cast<double>(r.operations) / r.seconds : 0;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace

void print_summary(const std::vector<scenario_result>& results) {
    std::printf("\n%-9s %8s %14s %12s %14s  %s\n", "scenario", "seconds", "operations", "ops/s",
                "checks", "result");
    std::uint64_t items = 0, tasks = 0;
    for (const scenario_result& r : results) {
        std::printf("%-9s %8.1f %14llu %12.0f %14llu  %s\n", r.name.c_str(), r.seconds,
                    static_cast<unsigned long long>(r.operations), rate_of(r),
                    static_cast<unsigned long long>(r.checks), r.pass ? "PASS" : "FAIL");
        items += r.items;
        tasks += r.tasks;
    }
    std::printf("checked exactly once: %llu deque items, %llu tasks\n",
                static_cast<unsigned long long>(items), static_cast<unsigned long long>(tasks));
}

bool write_json(const std::string& path, const options& opt, const std::string& command,
                const std::vector<scenario_result>& results) {
    std::ofstream f(path);
    if (!f) {
        std::fprintf(stderr, "tinyrt-stress: cannot write %s: %s\n", path.c_str(),
                     std::strerror(errno));
        return false;
    }
    std::uint64_t items = 0, tasks = 0;
    bool pass = true;
    f << "{\n  \"seed\": " << opt.seed << ",\n  \"command\": " << json_string(command)
      << ",\n  \"workers\": " << opt.workers << ",\n  \"threads\": " << opt.threads
      << ",\n  \"chaos\": " << (opt.chaos ? "true" : "false") << ",\n  \"scenarios\": [";
    for (std::size_t i = 0; i < results.size(); ++i) {
        const scenario_result& r = results[i];
        items += r.items;
        tasks += r.tasks;
        pass = pass && r.pass;
        f << (i ? "," : "") << "\n    {\"name\": " << json_string(r.name)
          << ", \"seconds\": " << r.seconds << ", \"operations\": " << r.operations
          << ", \"rate\": " << rate_of(r) << ", \"checks\": " << r.checks
          << ", \"exactly_once_items\": " << r.items << ", \"exactly_once_tasks\": " << r.tasks
          << ", \"pass\": " << (r.pass ? "true" : "false");
        if (!r.pass) f << ", \"failure\": " << json_string(r.failure);
        f << "}";
    }
    f << "\n  ],\n  \"exactly_once_items\": " << items << ",\n  \"exactly_once_tasks\": " << tasks
      << ",\n  \"pass\": " << (pass ? "true" : "false") << "\n}\n";
    f.close();
    if (!f) {
        std::fprintf(stderr, "tinyrt-stress: cannot write %s\n", path.c_str());
        return false;
    }
    return true;
}

}  // namespace stress
