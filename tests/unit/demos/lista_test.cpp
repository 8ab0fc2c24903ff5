// The lista demo: the parent's list stays empty after the processes, the
// threads share theirs, the unlocked updaters lose updates, and the locked
// ones produce exactly [threads + 1, ..., threads + 20].
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_program.hpp"

namespace {

// Every printed Python list ("[1, 2, 3]"), parsed, in output order.
std::vector<std::vector<int>> printed_lists(const std::string& out) {
    std::vector<std::vector<int>> lists;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() != '[' || line.back() != ']') continue;
        std::vector<int> values;
        std::istringstream items(line.substr(1, line.size() - 2));
        for (std::string item; std::getline(items, item, ',');) values.push_back(std::stoi(item));
        lists.push_back(values);
    }
    return lists;
}

}  // namespace

TEST_CASE("lista: processes copy, threads share, updates are lost without a lock and kept with one") {
    const int threads = 100;
    auto r = test_support::run_program(test_support::demo_path("lista") + " --tick 1 --threads " +
                                       std::to_string(threads));
    REQUIRE(r.exit_status == 0);
    const auto lists = printed_lists(r.out);
    REQUIRE(lists.size() == 4);

    CHECK(lists[0].empty());  // "[]": the children appended to their own copies

    // Two threads appended 0..2 and 0..4 to one list, in some interleaving.
    std::vector<int> shared = lists[1];
    std::sort(shared.begin(), shared.end());
    CHECK(shared == std::vector<int>{0, 0, 1, 1, 2, 2, 3, 4});

    // Without the lock: every element grew at least once and never beyond the
    // expected value, and (all threads released together, each sleeping 1 ms
    // between read and write) updates were lost.
    const auto& lost = lists[2];
    REQUIRE(lost.size() == 20);
    bool any_lost = false;
    for (int i = 0; i < 20; ++i) {
        const int start = i + 1, expected = i + 1 + threads;
        CHECK(lost[static_cast<std::size_t>(i)] > start);
        CHECK(lost[static_cast<std::size_t>(i)] <= expected);
        any_lost = any_lost || lost[static_cast<std::size_t>(i)] < expected;
    }
    CHECK(any_lost);

    std::vector<int> expected;
    for (int i = 1; i <= 20; ++i) expected.push_back(i + threads);
    CHECK(lists[3] == expected);
}

TEST_CASE("lista rejects bad arguments with a message and status 2") {
    const std::string lista = test_support::demo_path("lista");
    struct bad {
        const char* args;
        const char* says;
    };
    for (const bad& b : {bad{"--bogus", "--bogus"}, bad{"--tick -1", "--tick"}, bad{"--threads 0", "--threads"},
                         bad{"--threads many", "--threads"}}) {
        CAPTURE(b.args);
        auto r = test_support::run_program(lista + " " + b.args);
        CHECK(r.exit_status == 2);
        CHECK(r.out.find(b.says) != std::string::npos);
        CHECK(r.out.find('[') == std::string::npos);  // nothing ran
    }
}
