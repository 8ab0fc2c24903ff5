// The notebook's download cell: five pages saved to temporary files, first
// one after the other, then with Pool(4).map. There is no internet here, so
// the pages come from the demo's own HTTP server on 127.0.0.1 (running its
// own tinyrt event loop on a thread), which waits --delay before each
// answer like a distant site. Downloads use blocking sockets, as requests
// does: sequentially they cost five delays; on four workers about one (the
// fifth page waits for a free worker, so closer to two delays than one).
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "common/args.hpp"
#include "common/clock.hpp"
#include "common/http_blocking_client.hpp"
#include "common/http_server.hpp"
#include "common/stats.hpp"
#include "pool_map/pool_map.hpp"
#include "tinyrt/io/file.hpp"
#include "tinyrt/sched.hpp"
#include "tinyrt/trace/span.hpp"

namespace pool_map_demo {
namespace {

struct download_flags {
    long delay_ms = -1;   // the server's wait before each answer; -1: 3/10 of the tick
    std::string out_dir;  // where mkstemp creates the files; empty: $TMPDIR or /tmp
    bool fail = false;    // add a URL the server answers with 404, to show the error path
};
download_flags flags;

std::string temp_dir() {
    if (!flags.out_dir.empty()) return flags.out_dir;
    const char* env = std::getenv("TMPDIR");
    return env != nullptr && *env != '\0' ? env : "/tmp";
}

// download(url) of the notebook: GET, and on 200 save the body into a new
// temporary file whose name is returned. Errors come back as text, so one
// bad URL does not stop the others (the notebook would raise instead).
std::string download(const std::string& url) {
    tinyrt::trace::span traced{"download"};  // a bar of its own with --trace/--html
    try {
        demo::http::response res = demo::http::get_blocking(url);
        if (res.status != 200)
            return "erro: " + url + ": HTTP " + std::to_string(res.status) + " " + res.reason;
        // Criar um arquivo temporal
        std::string name = temp_dir() + "/tmpXXXXXX";
        int fd = ::mkstemp(name.data());
        if (fd < 0) throw std::system_error(errno, std::generic_category(), "mkstemp " + name);
        ::close(fd);  // write_file_blocking reopens it by name and writes every byte
        // Salvar o conteúdo da página
        if (int err = tinyrt::io::write_file_blocking(name, res.body); err != 0)
            throw std::system_error(err, std::generic_category(), "write " + name);
        return name;
    } catch (const std::exception& e) {
        return std::string("erro: ") + url + ": " + e.what();
    }
}

}  // namespace

void add_download_flags(demo::args& a) {
    a.add("delay", flags.delay_ms,
          "download cell: the server's delay per request, in ms (-1: 3/10 of --tick)", -1, 60000);
    a.add("out", flags.out_dir,
          "download cell: directory for the temporary files (default $TMPDIR or /tmp)");
    a.add_switch("fail", flags.fail,
                 "download cell: also ask for a page that does not exist (HTTP 404)");
}

void cell_download(const options& o) {
    if (::access(temp_dir().c_str(), W_OK) != 0) {
        std::fprintf(stderr, "pool_map: --out %s: %s\n", temp_dir().c_str(), std::strerror(errno));
        std::exit(2);
    }
    // The notebook's pages took about 0.7 s each (3.6 s for five); a third of
    // the notebook's one-second tick keeps the demo's proportions by default.
    const auto delay =
        flags.delay_ms >= 0 ? std::chrono::milliseconds(flags.delay_ms) : o.tick * 3 / 10;
    demo::http::server server({.delay = delay});
    // A lista de URLs a serem salvas (the notebook's sites, served locally)
    std::vector<std::string> l;
    for (const auto& path : demo::http::page_paths()) l.push_back(server.url(path));
    if (flags.fail) l.push_back(server.url("/nao-existe.ufrn.br/"));

    // Versão sequencial
    std::printf("ini\n");
    demo::stopwatch t1;
    for (const auto& url : l) std::printf("%s\n", download(url).c_str());
    std::printf("Fim: %.15g\n", t1.seconds());
    std::fflush(stdout);

    // Versão Concorrente: with Pool(4) as p: p.map(download, l)
    std::printf("ini\n");
    demo::stopwatch t2;
    {
        tinyrt::pool p{demo::pool_options(4, "Pool(4)")};
        for (const auto& arquivo : p.map(download, l)) std::printf("%s\n", arquivo.c_str());
        demo::stats().report("Pool(4).map(download, l)", p);
    }
    std::printf("Fim: %.15g\n", t2.seconds());
    std::fflush(stdout);
}

}  // namespace pool_map_demo
