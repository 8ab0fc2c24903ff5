// --stats on every demo (demos/common/stats.hpp): after the run, one table
// per pool with a row per worker and one table of the event loops; without
// the flag the output is what it was (same lines, once numbers, which vary
// from run to run, are masked and the order of lines from concurrent
// workers is set aside).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "support/demo_output.hpp"
#include "support/run_program.hpp"

namespace {

// The demo's lines with every number replaced by N and every absolute
// path (the demos' temporary files) by P, sorted.
std::vector<std::string> masked_lines(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& line : test_support::lines_of(text)) {
        std::string m;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '/' && (i == 0 || line[i - 1] == ' ')) {
                while (i + 1 < line.size() && line[i + 1] != ' ') ++i;
                m += 'P';
            } else if (std::isdigit(static_cast<unsigned char>(line[i])) ||
                       (line[i] == '-' && i + 1 < line.size() &&
                        std::isdigit(static_cast<unsigned char>(line[i + 1])))) {
                // A number, signed, or a hexadecimal address (0x7ffd0f4e8a90).
                while (i + 1 < line.size() && std::isalnum(static_cast<unsigned char>(line[i + 1])))
                    ++i;
                m += 'N';
            } else {
                m += line[i];
            }
        }
        out.push_back(m);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// `with` minus its "# --stats" section and gather's per-cell loop lines.
std::string without_stats(const std::string& with) {
    std::string out;
    const auto cut = with.find("\n# --stats\n");
    for (const std::string& line : test_support::lines_of(with.substr(0, cut))) {
        if (line.rfind("  [loop: ", 0) == 0) continue;
        out += line + "\n";
    }
    return out;
}

struct demo_case {
    const char* name;
    const char* flags;
    // The same lines on every run, numbers aside. lista and soma print what
    // their unlocked races did, which differs from run to run: for them only
    // the cell headings are compared.
    bool same_lines;
};

// A run of each demo with its short settings.
const demo_case demos[] = {
    {"pool_map", " --tick 5 --cpu-items 4 --delay 1", true},
    {"tarefa", " --tick 5", true},
    {"gather", " --tick 5", true},
    {"lista", " --tick 1 --threads 20", false},
    {"soma", " --n 1000 --threads 2", false},
};

std::vector<std::string> headings(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& line : test_support::lines_of(text))
        if (line.rfind("# ", 0) == 0) out.push_back(line);
    return out;
}

test_support::program_result run(const demo_case& d, const char* extra) {
    return test_support::run_program(test_support::demo_path(d.name) + d.flags + extra);
}

std::size_t index_of_line(const std::vector<std::string>& lines, const std::string& prefix,
                          std::size_t from = 0) {
    for (std::size_t i = from; i < lines.size(); ++i)
        if (lines[i].rfind(prefix, 0) == 0) return i;
    return lines.size();
}

}  // namespace

TEST_CASE("every demo: no table without --stats, the same output plus the tables with it") {
    for (const demo_case& d : demos) {
        INFO(std::string(d.name));
        const auto plain = run(d, "");
        const auto with = run(d, " --stats");
        REQUIRE(plain.exit_status == 0);
        REQUIRE(with.exit_status == 0);
        CHECK(plain.out.find("# --stats") == std::string::npos);
        CHECK(plain.out.find("pool: ") == std::string::npos);
        CHECK(with.out.find("\n# --stats\n") != std::string::npos);
        if (d.same_lines)
            CHECK(masked_lines(without_stats(with.out)) == masked_lines(plain.out));
        else
            CHECK(headings(without_stats(with.out)) == headings(plain.out));
    }
}

TEST_CASE("pool_map --stats: a table per pool, a row per worker, 3 tasks run by Pool(3)") {
    const auto r = run(demos[0], " --stats");
    REQUIRE(r.exit_status == 0);
    const auto lines = test_support::lines_of(r.out);
    const std::size_t at = index_of_line(lines, "pool: Pool(3).map(inc, [1, 2, 3]) (3 workers)");
    REQUIRE(at + 6 < lines.size());
    CHECK(lines[at + 1].find("worker") != std::string::npos);
    CHECK(lines[at + 1].find("stolen") != std::string::npos);
    CHECK(lines[at + 1].find("parks") != std::string::npos);
    for (int w = 0; w < 3; ++w)
        CHECK(lines[at + 2 + w].rfind("  " + std::to_string(w) + " ", 0) == 0);
    // total: 3 tasks run (map's three items), whoever ran them.
    REQUIRE(lines[at + 5].rfind("  total", 0) == 0);
    unsigned long long run_total = 0;
    CHECK(std::sscanf(lines[at + 5].c_str(), "  total %llu", &run_total) == 1);
    CHECK(run_total >= 3);
    CHECK(lines[at + 6].rfind("  injected (spawned from outside the pool): ", 0) == 0);
    CHECK(index_of_line(lines, "pool: map CPU-bound (") < lines.size());
    CHECK(index_of_line(lines, "pool: Pool(4).map(download, l) (4 workers)") < lines.size());
}

TEST_CASE("gather and tarefa --stats: the loops' table names each loop") {
    const auto g = run(demos[2], " --stats");
    REQUIRE(g.exit_status == 0);
    const auto gl = test_support::lines_of(g.out);
    const std::size_t loops = index_of_line(gl, "event loops:");
    REQUIRE(loops < gl.size());
    CHECK(gl[loops + 1].find("resumed") != std::string::npos);
    CHECK(gl[loops + 1].find("fd waits") != std::string::npos);
    CHECK(index_of_line(gl, "  gather(g(1), g(2))", loops) < gl.size());
    CHECK(index_of_line(gl, "  asyncio.run(salvarAll(l))", loops) < gl.size());
    CHECK(index_of_line(gl, "pool: salvarAll: disk (aiofiles' pool) (2 workers)") < gl.size());

    const auto t = run(demos[1], " --stats");
    REQUIRE(t.exit_status == 0);
    const auto tl = test_support::lines_of(t.out);
    CHECK(index_of_line(tl, "pool: T1, T2 sem join (2 workers)") < tl.size());
    CHECK(index_of_line(tl, "pool: T1, T2 com join (2 workers)") < tl.size());
    CHECK(index_of_line(tl, "  corrotinas T1, T2") < tl.size());
}

TEST_CASE("soma --stats says it has no tinyrt pool or loop") {
    const auto r = run(demos[4], " --stats");
    REQUIRE(r.exit_status == 0);
    CHECK(r.out.find("(this demo runs no tinyrt::pool or event_loop") != std::string::npos);
}
