// The gather demo: the notebook's asyncio lines in order, with a small tick,
// and the timing shape (sequential ~2 ticks vs create_task / gather ~1 tick).
#include <doctest/doctest.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "support/demo_output.hpp"
#include "support/run_program.hpp"

namespace {

// The "Tempo: X s" values, in order.
std::vector<double> times_of(const std::vector<std::string>& lines) {
    std::vector<double> t;
    for (const auto& l : lines) {
        if (l.rfind("Tempo: ", 0) == 0) t.push_back(std::strtod(l.c_str() + 7, nullptr));
    }
    return t;
}

// The lines of the cell titled `title`, up to its "Tempo:" line.
std::vector<std::string> section(const std::vector<std::string>& lines, const std::string& title) {
    std::vector<std::string> out;
    bool in = false;
    for (const auto& l : lines) {
        if (l == "# " + title) {
            in = true;
            continue;
        }
        if (!in) continue;
        if (l.empty() || l.rfind("Tempo:", 0) == 0) break;
        out.push_back(l);
    }
    return out;
}

}  // namespace

TEST_CASE("gather demo: the notebook's lines, in order") {
    auto r = test_support::run_program(test_support::demo_path("gather") + " --tick 30");
    REQUIRE(r.exit_status == 0);
    const auto lines = test_support::lines_of(r.out);
    using v = std::vector<std::string>;
    CHECK(section(lines, "asyncio.run(f())") == v{"inicio", "fim"});
    CHECK(section(lines, "await g(1); await g(2) (sequencial)") ==
          v{"inicio: 1", "fim: 1", "inicio: 2", "fim: 2", "resultado: (2, 3)"});
    const auto lazy = section(lines, "x = f() (sem await)");
    REQUIRE(lazy.size() == 2);
    CHECK(lazy[0].rfind("<tinyrt::task f em ", 0) == 0);
    CHECK(lazy[1] == "nada executou: 0 linhas impressas por f");
    CHECK(section(lines, "create_task(g(1)), create_task(g(2))") ==
          v{"inicio: 1", "inicio: 2", "fim: 1", "fim: 2", "resultado: (2, 3)"});
    CHECK(section(lines, "gather(g(1), g(2))") ==
          v{"inicio: 1", "inicio: 2", "fim: 1", "fim: 2", "[2, 3]"});
}

TEST_CASE("gather demo: each version takes at least the ticks it sleeps") {
    auto r = test_support::run_program(test_support::demo_path("gather") + " --tick 40");
    REQUIRE(r.exit_status == 0);
    const auto t = times_of(test_support::lines_of(r.out));
    REQUIRE(t.size() == 4);  // run, sequential, create_task, gather
    CHECK(t[0] >= 0.040);
    // Only lower bounds: a delay never ends early. How much faster the
    // concurrent version is depends on the machine's load, so it is what the
    // demo prints for the reader, not a pass/fail check.
    CHECK(t[1] >= 0.080);
    CHECK(t[2] >= 0.040);
    CHECK(t[3] >= 0.040);
}

TEST_CASE("gather demo: bad arguments get a message and exit status 2") {
    auto r = test_support::run_program(test_support::demo_path("gather") + " --tick -5");
    CHECK(r.exit_status == 2);
    CHECK(r.out.find("tick") != std::string::npos);
    auto h = test_support::run_program(test_support::demo_path("gather") + " --help");
    CHECK(h.exit_status == 0);
}

TEST_CASE("gather demo: --stats shows the loop's work (gather: 3 tasks, 2 timers fired)") {
    auto r = test_support::run_program(test_support::demo_path("gather") + " --tick 5 --stats");
    REQUIRE(r.exit_status == 0);
    const auto lines = test_support::lines_of(r.out);
    std::vector<std::string> stats;
    for (const auto& l : lines) {
        if (l.rfind("  [loop: ", 0) == 0) stats.push_back(l);
    }
    REQUIRE(stats.size() == 4);
    // The gather cell: f plus its two children; two sleeps, both fired.
    CHECK(stats[3].find("3 tarefas") != std::string::npos);
    CHECK(stats[3].find("2 timers, 2 disparados") != std::string::npos);
}
