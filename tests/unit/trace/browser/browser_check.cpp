// The HTML view in a real browser: writes the synthetic run's page, loads it
// in headless Chromium (--dump-dom: the DOM after the page's script ran) and
// checks that the script drew one lane per track and indexed every task of
// the run by name; then that a run with no events still draws.
//
//   tinyrt_trace_browser_check                 the check; exit 0 pass, 1 fail,
//                                              77 no chromium (CTest: skipped)
//   tinyrt_trace_browser_check --write FILE [--extra N]
//                                              only write the page (N extra
//                                              leaf tasks per worker and job)
//   tinyrt_trace_browser_check --time [--extra N]
//                                              print the draw time the page
//                                              measured (data-draw-ms)
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "synthetic_run.hpp"
#include "tinyrt/trace/recorder.hpp"

namespace {

std::string find_chromium() {
    if (const char* env = std::getenv("TINYRT_CHROMIUM"); env != nullptr && *env != '\0')
        return env;
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    for (const char* name : {"chromium", "chromium-browser"}) {
        std::size_t from = 0;
        while (from <= dirs.size()) {
            std::size_t to = dirs.find(':', from);
            if (to == std::string::npos) to = dirs.size();
            const std::string candidate = dirs.substr(from, to - from) + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
            from = to + 1;
        }
    }
    return "";
}

// Runs chromium headless on `page` and returns the dumped DOM ("" on failure).
std::string dump_dom(const std::string& chromium, const std::string& page,
                     const std::string& profile) {
    const std::string cmd = "'" + chromium +
                            "' --headless --no-sandbox --disable-gpu "
                            "--disable-background-networking --disable-component-update "
                            "--disable-sync --no-first-run --user-data-dir='" +
                            profile + "' --dump-dom 'file://" + page + "' 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return "";
    std::string out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "chromium exited with status %d\n", status);
    }
    return out;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// The value of `attr="..."` on <body>, or "".
std::string body_attr(const std::string& dom, const std::string& attr) {
    const auto body = dom.find("<body");
    if (body == std::string::npos) return "";
    const auto end = dom.find('>', body);
    const std::string tag = dom.substr(body, end - body);
    const auto at = tag.find(attr + "=\"");
    if (at == std::string::npos) return "";
    const auto from = at + attr.size() + 2;
    return tag.substr(from, tag.find('"', from) - from);
}

void write_page(const std::string& path, int extra) {
    tinyrt::trace::recorder rec({.events_per_thread = 1u << 17});
    rec.start();
    trace_test::synthetic_run(rec, extra);
    rec.stop();
    if (!rec.write_html(path)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(2);
    }
}

int usage() {
    std::fprintf(stderr, "usage: tinyrt_trace_browser_check [--write FILE | --time] [--extra N]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string write_to;
    bool time_only = false;
    int extra = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--write" && i + 1 < argc) {
            write_to = argv[++i];
        } else if (a == "--time") {
            time_only = true;
        } else if (a == "--extra" && i + 1 < argc) {
            char* end = nullptr;
            const long v = std::strtol(argv[++i], &end, 10);
            if (*end != '\0' || v < 0 || v > 1000000) return usage();
            extra = static_cast<int>(v);
        } else {
            return usage();
        }
    }
    if (!write_to.empty()) {
        write_page(write_to, extra);
        return 0;
    }

    const std::string chromium = find_chromium();
    if (chromium.empty()) {
        std::printf("no chromium on PATH (apt-get install chromium): skipped\n");
        return 77;
    }
    test_support::temp_dir dir("tinyrt-browser");
    const std::string page = dir.file("run.html");
    write_page(page, extra);
    const std::string dom = dump_dom(chromium, page, dir.file("profile"));

    if (time_only) {
        std::printf("draw: %s ms (%s lanes)\n", body_attr(dom, "data-draw-ms").c_str(),
                    body_attr(dom, "data-lanes").c_str());
        return body_attr(dom, "data-drawn") == "1" ? 0 : 1;
    }

    int failures = 0;
    auto check = [&](bool ok, const std::string& what) {
        std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
        if (!ok) ++failures;
    };
    check(!dom.empty(), "chromium dumped the DOM");
    check(body_attr(dom, "data-drawn") == "1", "the script ran to the end (data-drawn=\"1\")");
    check(body_attr(dom, "data-lanes") == "5", "five lanes (data-lanes=\"5\")");
    check(count(dom, "class=\"lane\"") == 5, "five lane labels");
    for (const char* lane : {"worker 0", "worker 1", "worker 2", "loop 1", "main"})
        check(dom.find(std::string(">") + lane + "<small>") != std::string::npos,
              std::string("a lane labelled '") + lane + "'");
    for (const std::string& name : trace_test::expected_names())
        check(dom.find("data-name=\"" + name + "\"") != std::string::npos,
              "task '" + name + "' indexed");
    check(body_attr(dom, "data-steals") == "1", "one steal counted in the summary");
    check(body_attr(dom, "data-parks") == "1", "one park counted in the summary");
    check(body_attr(dom, "data-dropped") == "0", "no events dropped");
    std::printf("draw time in chromium: %s ms\n", body_attr(dom, "data-draw-ms").c_str());

    // A recorder that saw nothing still makes a page that draws (no lanes).
    {
        tinyrt::trace::recorder empty;
        const std::string empty_page = dir.file("empty.html");
        check(empty.write_html(empty_page), "an empty run's page written");
        const std::string empty_dom = dump_dom(chromium, empty_page, dir.file("profile"));
        check(body_attr(empty_dom, "data-drawn") == "1", "an empty run's page draws");
        check(body_attr(empty_dom, "data-lanes") == "0", "an empty run has no lanes");
    }
    if (failures != 0) {
        std::printf("--- DOM ---\n%s\n", dom.c_str());
        return 1;
    }
    return 0;
}
