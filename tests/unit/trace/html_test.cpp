// The HTML page's structure, without a browser: one file with the data, the
// style and the script inline, nothing fetched from anywhere, and data that
// describes the run (lanes, names, slices, flows). browser/browser_check.cpp
// checks what a real browser draws from it.
#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>

#include "html_data.hpp"
#include "json.hpp"
#include "synthetic_run.hpp"
#include "tinyrt/trace/recorder.hpp"
#include "trace_checks.hpp"

namespace tr = tinyrt::trace;
using trace_test::json;

namespace {

std::string html_of(const tr::recorder& rec) {
    std::ostringstream out;
    rec.write_html(out);
    return out.str();
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the HTML page is self-contained: inline data, style and script, no URL") {
    tr::recorder rec;
    rec.start();
    trace_test::synthetic_run(rec);
    const std::string html = html_of(rec);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(count(html, "<style>") == 1);
    CHECK(count(html, "<script") == 2);  // the data and the view's script
    CHECK(count(html, "<canvas id=\"lanes\">") == 1);
    CHECK(count(html, "id=\"tinyrt-index\"") == 1);
    // Nothing outside the file: no src or href attribute, no URL, no fetch.
    CHECK(count(html, " src=") == 0);
    CHECK(count(html, " href=") == 0);
    CHECK(count(html, "http://") == 0);
    CHECK(count(html, "https://") == 0);
    CHECK(count(html, "fetch(") == 0);
    CHECK(count(html, "XMLHttpRequest") == 0);
    // The script draws on the canvas and writes its index for headless checks.
    CHECK(count(html, "function draw()") == 1);
    CHECK(count(html, "function buildIndex(") == 1);
    CHECK(count(html, "dataset.drawn") == 1);
}

TEST_CASE("the embedded data holds one lane per track and every task of the run") {
    tr::recorder rec;
    rec.start();
    trace_test::synthetic_run(rec);
    const json data = trace_test::parse_json(trace_test::embedded_data(html_of(rec)));

    std::set<std::string> lanes;
    for (const json& t : data["tracks"].arr) lanes.insert(t["name"].str);
    CHECK(lanes == std::set<std::string>{"worker 0", "worker 1", "worker 2", "loop 1", "main"});

    std::set<std::string> named;
    std::size_t slices = 0;
    for (const json& t : data["tracks"].arr) {
        const auto& s = t["s"].arr;
        REQUIRE(s.size() % 6 == 0);
        for (std::size_t k = 0; k < s.size(); k += 6) {
            ++slices;
            const std::uint64_t name = s[k + 2].u64();
            REQUIRE(name < data["names"].arr.size());
            named.insert(data["names"][name].str);
            CHECK(s[k + 3].u64() <= 5);  // a kind the legend has
        }
        const auto& i = t["i"].arr;
        REQUIRE(i.size() % 3 == 0);
        for (std::size_t k = 0; k < i.size(); k += 3)
            CHECK(i[k + 1].u64() < data["event_kinds"].arr.size());
    }
    for (const std::string& name : trace_test::expected_names()) {
        INFO(name);
        CHECK(named.count(name) == 1);
    }
    // Slices: 6 jobs + 2 children + write_file + 4 resumptions + 1 helping.
    CHECK(slices == 14);
    const auto& flows = data["flows"].arr;
    REQUIRE(flows.size() % 5 == 0);
    CHECK(flows.size() / 5 == 11);
    for (std::size_t k = 0; k < flows.size(); k += 5) {
        CHECK(flows[k + 1].u64() < data["tracks"].arr.size());
        CHECK(flows[k + 3].u64() < data["tracks"].arr.size());
        CHECK(flows[k + 2].num <= flows[k + 4].num);
    }
    CHECK(data["dropped"].u64() == 0);
    CHECK(data["wall"].u64() > 0);
}

TEST_CASE("a 100,000-event run: both outputs parse, their sizes are reported") {
    tr::recorder rec({.events_per_thread = 1u << 16});
    rec.start();
    // 3 workers x 2 jobs x extra/2 leaves x 3 events (spawn, begin, end).
    trace_test::synthetic_run(rec, 13400);
    rec.stop();
    CHECK(rec.recorded() >= 100000);
    CHECK(rec.dropped() == 0);
    std::ostringstream json_text;
    rec.write_json(json_text);
    const std::string html = html_of(rec);
    const json doc = trace_test::parse_json(json_text.str());
    const auto t = trace_test::check_trace(doc);
    CHECK(t.slices.size() > 30000);
    const json data = trace_test::parse_json(trace_test::embedded_data(html));
    CHECK(data["events"].u64() == rec.recorded());
    MESSAGE("events ", rec.recorded(), ": JSON ", json_text.str().size(), " bytes, HTML ",
            html.size(), " bytes");
}
