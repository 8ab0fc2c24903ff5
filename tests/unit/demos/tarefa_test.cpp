#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/demo_output.hpp"
#include "support/run_program.hpp"

namespace {

std::size_t index_of(const std::vector<std::string>& v, const std::string& s) {
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == s) return i;
    }
    return v.size();
}

}  // namespace

TEST_CASE("tarefa prints the notebook's sequential cell in order") {
    auto r = test_support::run_program(test_support::demo_path("tarefa") + " --tick 5");
    REQUIRE(r.exit_status == 0);
    auto seq = test_support::cell_lines(r.out, "In [1]");
    CHECK(seq == std::vector<std::string>{"De 1 a 3. Valor atual: 1", "De 1 a 3. Valor atual: 2",
                                          "De 4 a 6. Valor atual: 4", "De 4 a 6. Valor atual: 5"});
}

TEST_CASE("tarefa: without join, 'Depois de T1 e T2' comes before the tasks end") {
    auto r = test_support::run_program(test_support::demo_path("tarefa") + " --tick 20");
    REQUIRE(r.exit_status == 0);
    auto cell = test_support::cell_lines(r.out, "In [3]");
    REQUIRE(cell.size() == 10);
    CHECK(cell.front() == "Antes de iniciar");
    std::size_t after = index_of(cell, "Depois de T1 e T2");
    std::size_t last1 = index_of(cell, "De 1 a 5. Valor atual: 4");
    std::size_t last2 = index_of(cell, "De 6 a 10. Valor atual: 9");
    REQUIRE(after < cell.size());
    REQUIRE(last1 < cell.size());
    REQUIRE(last2 < cell.size());
    // Each task still has three ticks of work when main prints the line.
    CHECK(after < last1);
    CHECK(after < last2);
    // Each task's own lines stay in order.
    CHECK(index_of(cell, "De 1 a 5. Valor atual: 1") < index_of(cell, "De 1 a 5. Valor atual: 2"));
    CHECK(index_of(cell, "De 6 a 10. Valor atual: 8") < last2);
}

TEST_CASE("tarefa: with join, 'Depois de T1 e T2' is the last line") {
    auto r = test_support::run_program(test_support::demo_path("tarefa") + " --tick 5");
    REQUIRE(r.exit_status == 0);
    auto cell = test_support::cell_lines(r.out, "In [4]");
    REQUIRE(cell.size() == 9);
    CHECK(cell.back() == "Depois de T1 e T2");
    for (int i = 1; i <= 4; ++i)
        CHECK(index_of(cell, "De 1 a 5. Valor atual: " + std::to_string(i)) < 8);
    for (int i = 6; i <= 9; ++i)
        CHECK(index_of(cell, "De 6 a 10. Valor atual: " + std::to_string(i)) < 8);
}

TEST_CASE("tarefa rejects bad arguments with status 2 and a clear message") {
    auto r = test_support::run_program(test_support::demo_path("tarefa") + " --tick banana");
    CHECK(r.exit_status == 2);
    CHECK(r.out.find("--tick") != std::string::npos);
    auto r2 = test_support::run_program(test_support::demo_path("tarefa") + " --tick -5");
    CHECK(r2.exit_status == 2);
    auto h = test_support::run_program(test_support::demo_path("tarefa") + " --help");
    CHECK(h.exit_status == 0);
    CHECK(h.out.find("--tick") != std::string::npos);
}
