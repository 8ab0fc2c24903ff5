#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "support/run_program.hpp"

namespace {

std::vector<double> fim_seconds(const std::string& out) {
    std::vector<double> v;
    std::size_t pos = 0;
    while ((pos = out.find("Fim: ", pos)) != std::string::npos) {
        pos += 5;
        v.push_back(std::strtod(out.c_str() + pos, nullptr));
    }
    return v;
}

}  // namespace

// Only lower bounds are checked here: a sleep never ends early, so they
// cannot fail on a slow or loaded machine. That Pool(3).map runs the three
// sleeps side by side is checked without a clock in
// tests/unit/sched/map_parallel_test.cpp; the elapsed times themselves are
// for the reader of the demo's output.
TEST_CASE("pool_map: the sequential map sleeps three ticks, Pool(3).map at least one") {
    auto r =
        test_support::run_program(test_support::demo_path("pool_map") + " --tick 40 --cpu-items 4");
    REQUIRE(r.exit_status == 0);
    CHECK(r.out.find("Ini\n[2, 3, 4]\nFim: ") != std::string::npos);
    auto fim = fim_seconds(r.out);
    REQUIRE(fim.size() >= 2);
    double sequential = fim[0], parallel = fim[1];
    CHECK(sequential >= 3 * 0.040);  // three sleeps of one tick, one after another
    CHECK(parallel >= 0.040);        // at least one tick
}

TEST_CASE("pool_map: the CPU-bound map gives the sequential results") {
    auto r =
        test_support::run_program(test_support::demo_path("pool_map") + " --tick 1 --cpu-items 6");
    REQUIRE(r.exit_status == 0);
    CHECK(r.out.find("Resultados iguais: sim") != std::string::npos);
}

TEST_CASE("pool_map rejects bad arguments with status 2") {
    auto r = test_support::run_program(test_support::demo_path("pool_map") + " --tick");
    CHECK(r.exit_status == 2);
    auto r2 = test_support::run_program(test_support::demo_path("pool_map") + " --cpu-items 0");
    CHECK(r2.exit_status == 2);
    CHECK(r2.out.find("--cpu-items") != std::string::npos);
}
