// Runs a demo program and captures what it printed, for the demo tests.
#pragma once

#include <cstdio>
#include <string>
#include <sys/wait.h>

#include "support/files.hpp"

namespace test_support {

struct program_result {
    int exit_status = -1;  // the program's exit status, or -1 if it died by a signal
    std::string out;       // stdout and stderr, interleaved as written
};

// `command` is passed to /bin/sh; stderr is merged into `out`. It runs with
// TMPDIR set to a scratch directory that is removed afterwards, so the
// demos' temporary files (mkstemp pages, image directories) never pile up.
inline program_result run_program(const std::string& command) {
    program_result r;
    temp_dir scratch("tinyrt-run");
    FILE* p = ::popen(("TMPDIR='" + scratch.path + "' " + command + " 2>&1").c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

#ifdef TINYRT_DEMO_DIR
// Path of a built demo.
inline std::string demo_path(const std::string& name) { return std::string(TINYRT_DEMO_DIR) + "/" + name; }
#endif

}  // namespace test_support
