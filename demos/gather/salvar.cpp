// The notebook's last asyncio cell: salvar / salvarAll download five images
// concurrently on one thread (aiohttp + aiofiles under asyncio.gather) and
// salvarSeq downloads them one after the other (requests). Here the images
// come from the demo's own HTTP server on 127.0.0.1, which waits --delay
// before each answer like a distant site; the concurrent version therefore
// takes about one delay, the sequential one five.
//
//   salvarSeq  demo::http::get_blocking, then a plain blocking file write
//   salvar     demo::http::get (tinyrt::io::tcp_stream on the loop), then
//              tinyrt::io::write_file: the write runs on a pool worker, so
//              the loop keeps the other downloads moving meanwhile
//
// With --fail, five bad URLs join the list — refused connection, 404,
// a body cut in half, a response without Content-Length, a server too slow
// for --timeout — and, as in the notebook, each prints its error while the
// others still complete.
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "common/args.hpp"
#include "common/clock.hpp"
#include "common/heading.hpp"
#include "common/http_blocking_client.hpp"
#include "common/http_client.hpp"
#include "common/http_server.hpp"
#include "common/stats.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/io.hpp"

namespace gather_demo {
namespace {

struct salvar_flags {
    long delay_ms = -1;      // the server's wait before each answer; -1: 3/10 of the tick
    long timeout_ms = 2000;  // per download
    std::string out_dir;     // empty: a new directory under $TMPDIR or /tmp
    bool fail = false;       // add the four failing URLs
};
salvar_flags flags;

std::chrono::milliseconds timeout() {
    return std::chrono::milliseconds(flags.timeout_ms);
}

// Salvar a imagem da url em disco.
tinyrt::task<std::string> salvar(tinyrt::pool& disk, std::string url, std::string dir) {
    std::string fname;  // Nome do arquivo
    try {
        // Named first, then awaited: g++ 12 mishandles temporaries inside a
        // co_await expression (GCC bug 99576).
        tinyrt::task<demo::http::response> request = demo::http::get(url);
        demo::http::response resp = co_await tinyrt::wait_for(std::move(request), timeout());
        if (resp.status == 200) {
            std::string name = demo::http::file_name_of(url);  // Nome da imagem
            co_await tinyrt::io::write_file(disk, dir + "/" + name, std::move(resp.body));
            fname = name;
        } else {
            std::printf("%s: HTTP %d %s\n", url.c_str(), resp.status, resp.reason.c_str());
        }
    } catch (const tinyrt::timeout_error&) {
        std::printf("%s: timed out after %ld ms\n", url.c_str(), flags.timeout_ms);
    } catch (const std::exception& e) {
        std::printf("%s: %s\n", url.c_str(), e.what());
    }
    std::printf("Imagem:  %s\n", fname.c_str());
    std::fflush(stdout);
    co_return fname;
}

// Salvar todas as imagens da lista.
tinyrt::task<void> salvar_all(std::vector<std::string> l, std::string dir) {
    tinyrt::pool disk{demo::pool_options(2, "disk")};  // aiofiles' thread pool
    std::vector<tinyrt::task<std::string>> tarefas;
    for (const auto& url : l) tarefas.push_back(salvar(disk, url, dir));
    demo::stopwatch t1;
    std::vector<std::string> r =
        co_await tinyrt::gather(std::move(tarefas));  // Executar todas (e esperar)
    std::printf("Tempo async: %.15g\n", t1.seconds());
    demo::stats().report("salvarAll: disk (aiofiles' pool)", disk);
}

// Versão sequencial.
void salvar_seq(const std::vector<std::string>& l, const std::string& dir) {
    demo::stopwatch t1;
    for (const auto& url : l) {
        try {
            demo::http::response res = demo::http::get_blocking(url, timeout());
            if (res.status == 200) {
                std::string fname = "seq-" + demo::http::file_name_of(url);
                if (int err = tinyrt::io::write_file_blocking(dir + "/" + fname, res.body);
                    err != 0)
                    throw std::system_error(err, std::generic_category(),
                                            "write " + dir + "/" + fname);
                std::printf("%s\n", fname.c_str());
            } else {
                std::printf("%s: HTTP %d %s\n", url.c_str(), res.status, res.reason.c_str());
            }
        } catch (const std::system_error& e) {
            if (e.code() == std::errc::timed_out)
                std::printf("%s: timed out after %ld ms\n", url.c_str(), flags.timeout_ms);
            else
                std::printf("%s: %s\n", url.c_str(), e.what());
        } catch (const std::exception& e) {
            std::printf("%s: %s\n", url.c_str(), e.what());
        }
        std::fflush(stdout);
    }
    std::printf("Tempo seq: %.15g\n", t1.seconds());
    std::fflush(stdout);
}

// A port nothing listens on: bound by the kernel, then released.
std::uint16_t closed_port() {
    tinyrt::io::tcp_listener l = tinyrt::io::tcp_listener::bind();
    return l.port();
}

std::string output_dir() {
    if (!flags.out_dir.empty()) return flags.out_dir;
    const char* env = std::getenv("TMPDIR");
    std::string tmpl =
        std::string(env != nullptr && *env != '\0' ? env : "/tmp") + "/tinyrt-salvar-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
        std::fprintf(stderr, "gather: mkdtemp %s: %s\n", tmpl.c_str(), std::strerror(errno));
        std::exit(2);
    }
    return tmpl;
}

}  // namespace

void add_salvar_flags(demo::args& a) {
    a.add("delay", flags.delay_ms,
          "salvar cells: the server's delay per request, in ms (-1: 3/10 of --tick)", -1, 60000);
    a.add("timeout", flags.timeout_ms, "salvar cells: time limit of each download, in ms", 1,
          600000);
    a.add("out", flags.out_dir,
          "salvar cells: directory for the images (default: a new one under $TMPDIR or /tmp)");
    a.add_switch("fail", flags.fail,
                 "salvar cells: add URLs that fail (refused, 404, truncated, malformed, too slow)");
}

void cell_salvar(std::chrono::milliseconds tick) {
    const std::string dir = output_dir();
    if (::access(dir.c_str(), W_OK) != 0) {
        std::fprintf(stderr, "gather: --out %s: %s\n", dir.c_str(), std::strerror(errno));
        std::exit(2);
    }
    // A third of the notebook's one-second tick by default: real downloads
    // of these images took a fraction of a second each.
    const auto delay =
        flags.delay_ms >= 0 ? std::chrono::milliseconds(flags.delay_ms) : tick * 3 / 10;
    demo::http::server server({.delay = delay});
    std::vector<std::string> l;
    for (const auto& path : demo::http::image_paths()) l.push_back(server.url(path));
    if (flags.fail) {
        const std::string street =
            "/people.csail.mit.edu/brussell/research/LabelMe/Images/boston_static_street/";
        l.push_back("http://127.0.0.1:" + std::to_string(closed_port()) + street +
                    "0008.jpg");                                      // refused
        l.push_back(server.url(street + "0009.jpg"));                 // 404
        l.push_back(server.url("/truncated" + street + "0002.jpg"));  // cut in half
        l.push_back(server.url("/malformed" + street + "0004.jpg"));  // no Content-Length
        l.push_back(server.url("/slow" + street + "0003.jpg"));       // times out
    }

    demo::print_heading("salvarSeq(l) (sequencial)");
    salvar_seq(l, dir);
    demo::print_heading("asyncio.run(salvarAll(l))");
    std::fflush(stdout);
    tinyrt::event_loop loop;
    demo::observe(loop);
    tinyrt::run_on(loop, salvar_all(l, dir));
    demo::stats().report("asyncio.run(salvarAll(l))", loop);
    std::printf("(imagens em %s)\n", dir.c_str());
}

}  // namespace gather_demo
