// tarefa's coroutine cell: the two tasks interleave strictly on one thread
// (the alternation is what shows they run concurrently), and the elapsed
// time it prints is never less than the 4 ticks each task sleeps. Only that
// lower bound is checked: an upper bound on a clock fails on a loaded
// machine, and the alternation already proves the overlap.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "support/demo_output.hpp"
#include "support/run_program.hpp"

TEST_CASE("tarefa coroutines: the two tasks alternate at each await, on one thread") {
    auto r = test_support::run_program(test_support::demo_path("tarefa") + " --tick 20");
    REQUIRE(r.exit_status == 0);
    auto cell = test_support::cell_lines(r.out, "Corrotinas");
    REQUIRE(cell.size() == 11);
    CHECK(cell[0] == "Antes de iniciar");
    const std::vector<std::string> expected = {
        "De 1 a 5. Valor atual: 1",  "De 6 a 10. Valor atual: 6", "De 1 a 5. Valor atual: 2",
        "De 6 a 10. Valor atual: 7", "De 1 a 5. Valor atual: 3",  "De 6 a 10. Valor atual: 8",
        "De 1 a 5. Valor atual: 4",  "De 6 a 10. Valor atual: 9"};
    CHECK(std::vector<std::string>(cell.begin() + 1, cell.begin() + 9) == expected);
    CHECK(cell[9] == "Depois de T1 e T2");
    CHECK(cell[10].find("uma só thread") != std::string::npos);
}

TEST_CASE("tarefa coroutines: the printed time is at least the 4 ticks each task sleeps") {
    const double tick = 0.030;
    auto r = test_support::run_program(test_support::demo_path("tarefa") + " --tick 30");
    REQUIRE(r.exit_status == 0);
    auto cell = test_support::cell_lines(r.out, "Corrotinas");
    REQUIRE(cell.size() == 11);
    REQUIRE(cell[10].rfind("Tempo: ", 0) == 0);
    const double seconds = std::strtod(cell[10].c_str() + 7, nullptr);
    CHECK(seconds >= 4 * tick);  // never early: each task sleeps 4 ticks
}
