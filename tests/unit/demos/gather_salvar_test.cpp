// gather's salvar / salvarAll / salvarSeq cells against the demo's own
// loopback server: the five images land byte-identical in both versions, the
// concurrent one takes about one delay instead of five, and with --fail each
// kind of failure (refused, 404, truncated, malformed, too slow) prints its
// error while the five good images still complete.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "support/files.hpp"
#include "support/run_program.hpp"

namespace {

const char* const images[] = {"0002.jpg", "0003.jpg", "0004.jpg", "0006.jpg", "0007.jpg"};

double seconds_after(const std::string& out, const std::string& label) {
    std::size_t at = out.find(label);
    return at == std::string::npos ? -1.0 : std::strtod(out.c_str() + at + label.size(), nullptr);
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// A JPEG-framed file of the size the server generates, whole: its first
// and last markers are there.
bool whole_image(const std::string& bytes) {
    return bytes.size() >= 150000 && bytes.rfind("\xFF\xD8\xFF\xE0", 0) == 0 &&
           bytes.compare(bytes.size() - 2, 2, "\xFF\xD9") == 0;
}

}  // namespace

TEST_CASE("gather salvar: five images saved by both versions, identical") {
    test_support::temp_dir dir;
    auto r = test_support::run_program(test_support::demo_path("gather") +
                                       " --tick 1 --delay 60 --out " + dir.path);
    REQUIRE(r.exit_status == 0);
    for (const char* name : images) {
        CHECK(r.out.find(std::string("Imagem:  ") + name + "\n") !=
              std::string::npos);  // notebook spacing
        CHECK(r.out.find(std::string("seq-") + name + "\n") != std::string::npos);
        std::string async_bytes = test_support::read_file(dir.path + "/" + name);
        CHECK(whole_image(async_bytes));
        CHECK(async_bytes ==
              test_support::read_file(dir.path + "/seq-" + name));  // two clients, same bytes
    }
    const double seq = seconds_after(r.out, "Tempo seq: ");
    const double async = seconds_after(r.out, "Tempo async: ");
    REQUIRE(seq > 0);
    REQUIRE(async > 0);
    // Only lower bounds: a delay never ends early. How much faster the
    // concurrent version is depends on the machine's load, so it is what the
    // demo prints for the reader, not a pass/fail check.
    CHECK(seq >= 5 * 0.060);  // five delays, one after another
    CHECK(async >= 0.060);    // at least one delay
}

TEST_CASE("gather salvar: each failure prints its error and the other downloads still complete") {
    test_support::temp_dir dir;
    auto r =
        test_support::run_program(test_support::demo_path("gather") +
                                  " --tick 1 --delay 5 --timeout 150 --fail --out " + dir.path);
    REQUIRE(r.exit_status == 0);
    // Each error once per version (sequential, then concurrent).
    CHECK(count(r.out, "Connection refused") == 2);
    CHECK(count(r.out, "HTTP 404 Not Found") == 2);
    CHECK(count(r.out, "truncated response: got 75000 of 150000 body bytes") == 2);
    CHECK(count(r.out, "malformed response: no Content-Length header") == 2);
    CHECK(count(r.out, "timed out after 150 ms") == 2);
    // The concurrent version reports every URL, failed ones with no name.
    CHECK(count(r.out, "Imagem:  \n") == 5);
    for (const char* name : images) {
        CHECK(r.out.find(std::string("Imagem:  ") + name + "\n") != std::string::npos);
        CHECK(whole_image(test_support::read_file(dir.path + "/" + name)));
        CHECK(whole_image(test_support::read_file(dir.path + "/seq-" + name)));
    }
}

TEST_CASE("gather salvar: bad flags get a clear message and status 2") {
    auto r = test_support::run_program(test_support::demo_path("gather") + " --delay -5");
    CHECK(r.exit_status == 2);
    CHECK(r.out.find("--delay") != std::string::npos);
    auto r2 = test_support::run_program(test_support::demo_path("gather") +
                                        " --tick 1 --out /nonexistent-dir-for-test");
    CHECK(r2.exit_status == 2);
    CHECK(r2.out.find("/nonexistent-dir-for-test") != std::string::npos);
}
