// lista's asyncio cell: coroutines on one thread lose updates at the await
// point; with async_mutex every update counts.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/demo_output.hpp"
#include "support/run_program.hpp"

namespace {

std::string python_list_plus(int n) {
    std::string out = "[";
    for (int i = 1; i <= 20; ++i) {
        if (i != 1) out += ", ";
        out += std::to_string(i + n);
    }
    return out + "]";
}

// The list printed just before the first line containing `marker`.
std::string list_before(const std::vector<std::string>& lines, const std::string& marker) {
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].find(marker) != std::string::npos) return lines[i - 1];
    }
    return "";
}

}  // namespace

TEST_CASE("lista async: a race with no threads at the await point, and the async_mutex fix") {
    auto r =
        test_support::run_program(test_support::demo_path("lista") + " --tick 2 --threads 200");
    REQUIRE(r.exit_status == 0);
    const auto lines = test_support::lines_of(r.out);
    const std::string lost = list_before(lines, "asyncio: 200 corrotinas");
    const std::string fixed = list_before(lines, "asyncio com async_mutex");
    REQUIRE_FALSE(lost.empty());
    CHECK(lost != "l = " + python_list_plus(200));  // updates were lost
    CHECK(fixed == "l = " + python_list_plus(200));
    CHECK(r.out.find("nenhuma atualização perdida") != std::string::npos);
}
