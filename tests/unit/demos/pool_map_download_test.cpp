// pool_map's download cell against its own loopback server: five pages saved
// to mkstemp files, sequentially and on Pool(4); the pool is faster; the
// files hold the whole pages; bad flags exit with status 2.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "support/demo_output.hpp"
#include "support/files.hpp"
#include "support/run_program.hpp"

namespace {

// The download cell's output: the names printed between "ini" and "Fim: "
// for each version, and each version's seconds.
struct cell_output {
    std::vector<std::vector<std::string>> names;
    std::vector<double> seconds;
};

cell_output parse_cell(const std::string& out) {
    cell_output c;
    std::size_t start = out.find("# download");
    if (start == std::string::npos) return c;
    bool in_version = false;
    for (const auto& line : test_support::lines_of(out.substr(start))) {
        if (line == "ini") {
            c.names.emplace_back();
            in_version = true;
        } else if (line.rfind("Fim: ", 0) == 0) {
            c.seconds.push_back(std::strtod(line.c_str() + 5, nullptr));
            in_version = false;
        } else if (in_version) {
            c.names.back().push_back(line);
        }
    }
    return c;
}

}  // namespace

TEST_CASE("pool_map download: five pages saved twice, the same pages by both versions") {
    test_support::temp_dir dir;
    auto r = test_support::run_program(test_support::demo_path("pool_map") +
                                       " --tick 1 --cpu-items 1 --delay 60 --out " + dir.path);
    REQUIRE(r.exit_status == 0);
    cell_output c = parse_cell(r.out);
    REQUIRE(c.names.size() == 2);
    REQUIRE(c.seconds.size() == 2);
    for (const auto& version : c.names) {
        REQUIRE(version.size() == 5);
        for (const auto& name : version) {
            CHECK(name.rfind(dir.path + "/tmp", 0) == 0);  // mkstemp's name, in --out
            std::string page = test_support::read_file(name);
            CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);  // the whole page: its start...
            CHECK(page.size() > 3000);
            CHECK(page.find("</html>\n") == page.size() - 8);  // ...and its end
        }
    }
    // Same URLs in the same order (map keeps the order): same pages.
    for (std::size_t i = 0; i < 5; ++i)
        CHECK(test_support::read_file(c.names[0][i]) == test_support::read_file(c.names[1][i]));
    // Only lower bounds: a delay never ends early. How much faster the
    // concurrent version is depends on the machine's load, so it is what the
    // demo prints for the reader, not a pass/fail check.
    const double sequential = c.seconds[0], pooled = c.seconds[1];
    CHECK(sequential >= 5 * 0.060);  // five delays one after another
    CHECK(pooled >= 0.060);          // at least one delay
}

TEST_CASE("pool_map download: a page that does not exist is reported and the others still land") {
    test_support::temp_dir dir;
    auto r =
        test_support::run_program(test_support::demo_path("pool_map") +
                                  " --tick 1 --cpu-items 1 --delay 5 --fail --out " + dir.path);
    REQUIRE(r.exit_status == 0);
    cell_output c = parse_cell(r.out);
    REQUIRE(c.names.size() == 2);
    for (const auto& version : c.names) {
        REQUIRE(version.size() == 6);
        int saved = 0, failed = 0;
        for (const auto& name : version) {
            if (name.find("HTTP 404") != std::string::npos)
                ++failed;
            else if (test_support::read_file(name).rfind("<!DOCTYPE html>", 0) == 0)
                ++saved;
        }
        CHECK(saved == 5);
        CHECK(failed == 1);
    }
}

TEST_CASE("pool_map download: bad flags get a clear message and status 2") {
    auto r = test_support::run_program(test_support::demo_path("pool_map") + " --delay soon");
    CHECK(r.exit_status == 2);
    CHECK(r.out.find("--delay") != std::string::npos);
    auto r2 = test_support::run_program(test_support::demo_path("pool_map") +
                                        " --tick 1 --cpu-items 1 --out /nonexistent-dir-for-test");
    CHECK(r2.exit_status == 2);
    CHECK(r2.out.find("/nonexistent-dir-for-test") != std::string::npos);
}
