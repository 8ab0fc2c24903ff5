// The models' common driver: parses the command line, runs Relacy test
// suites and prints one verdict line per suite.
//
// Exit status: 0 when every suite passed, 1 when Relacy reported a failure
// (a failed assertion, a deadlock, a data race, ...), 2 on a bad command
// line. The verdict line is what the weakened variants' CTest cases match:
//   model NAME: VERDICT after N iterations
// with VERDICT "passed" or Relacy's own name for the failure.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "model/relacy_atomics.hpp"

namespace tinyrt::model {

struct options {
    bool weak = false;             // run the weakened variant, which must fail
    unsigned long long scale = 1;  // multiplies every suite's iterations
};

// --weak, --scale N, --help; anything else: a message and exit 2.
inline options parse(int argc, char** argv, const char* about) {
    options o;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--weak") == 0) {
            o.weak = true;
        } else if (std::strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            char* end = nullptr;
            o.scale = std::strtoull(argv[++i], &end, 10);
            if (*end != '\0' || o.scale == 0 || argv[i][0] == '-') {
                std::fprintf(stderr, "%s: --scale needs a positive number\n", argv[0]);
                std::exit(2);
            }
        } else if (std::strcmp(argv[i], "--help") == 0) {
            std::printf("usage: %s [--weak] [--scale N]\n%s\n", argv[0], about);
            std::exit(0);
        } else {
            std::fprintf(stderr, "%s: unknown argument '%s' (try --help)\n", argv[0], argv[i]);
            std::exit(2);
        }
    }
    return o;
}

// Runs Suite for `iterations` random schedules; true when it passed. A
// failure's report (Relacy's name for it and the failing schedule's
// history) goes to standard output before the verdict line. (Relacy
// replaces the global operator new, so its output goes straight to
// std::cout: a string stream would allocate inside its simulation.)
template <class Suite>
bool run(const std::string& name, unsigned long long iterations) {
    rl::test_params p;
    p.iteration_count = iterations;
    p.search_type = rl::random_scheduler_type;
    p.output_stream = &std::cout;
    static std::ostream discard(nullptr);  // progress lines: not wanted in test logs
    p.progress_stream = &discard;
    const bool ok = rl::simulate<Suite>(p);
    std::cout.flush();
    if (ok) {
        std::printf("model %s: passed after %llu iterations\n", name.c_str(), iterations);
    } else {
        std::printf("model %s: %s after %llu iterations\n", name.c_str(),
                    rl::test_result_str(p.test_result),
                    static_cast<unsigned long long>(p.stop_iteration));
    }
    std::fflush(stdout);
    return ok;
}

}  // namespace tinyrt::model
