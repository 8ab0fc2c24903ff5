// gather: the notebook's asyncio cells, in order, on tinyrt's event loop.
//
//   1. asyncio.run(f()): "inicio", one tick, "fim"
//   2. f awaits g(1) then g(2): sequential, 2 ticks, "resultado: (2, 3)"
//   3. x = f() without awaiting: nothing runs
//   4. create_task(g(1)), create_task(g(2)): concurrent, 1 tick
//   5. gather(g(1), g(2)): concurrent, 1 tick, "[2, 3]"
//   6. salvar / salvarAll vs salvarSeq (salvar.cpp, when present)
// Each timed cell prints its elapsed time, as the notebook's perf_counter
// differences do.
#include <chrono>
#include <cstdio>

#include "common/args.hpp"
#include "common/clock.hpp"
#include "common/heading.hpp"
#include "common/stats.hpp"
#include "tinyrt/coro.hpp"

namespace {

std::chrono::milliseconds tick{1000};  // the notebook's asyncio.sleep(1)
int lines_printed = 0;

void say(const char* fmt, int n) {
    std::printf(fmt, n);
    std::fflush(stdout);
    ++lines_printed;
}

void elapsed(const demo::stopwatch& sw) {
    std::printf("Tempo: %.3f s\n", sw.seconds());
    std::fflush(stdout);
}

// Cell 1.
tinyrt::task<void> f_simples() {
    say("inicio\n", 0);
    co_await tinyrt::sleep_for(tick);  // the async version of time.sleep
    say("fim\n", 0);
}

// g: before returning n+1, waits one tick.
tinyrt::task<int> g(int n) {
    say("inicio: %d\n", n);
    co_await tinyrt::sleep_for(tick);
    say("fim: %d\n", n);
    co_return n + 1;
}

// Cell 2: await waits for g to finish, so the two run one after the other.
tinyrt::task<void> f_sequencial() {
    int x1 = co_await g(1);
    int x2 = co_await g(2);
    std::printf("resultado: (%d, %d)\n", x1, x2);
}

// Cell 4: both tasks start now and run concurrently.
tinyrt::task<void> f_create_task() {
    auto t1 = tinyrt::create_task(g(1));
    auto t2 = tinyrt::create_task(g(2));
    // The tasks have started; their results are not known yet: wait for them.
    int r1 = co_await t1;
    int r2 = co_await t2;
    std::printf("resultado: (%d, %d)\n", r1, r2);
}

// Cell 5: the simpler way to wait for several.
tinyrt::task<void> f_gather() {
    auto [a, b] = co_await tinyrt::gather(g(1), g(2));
    std::printf("[%d, %d]\n", a, b);
}

template <typename Make>
void cell(const char* title, Make make) {
    demo::print_heading(title);
    demo::stopwatch sw;
    tinyrt::event_loop loop;
    demo::observe(loop);
    tinyrt::run_on(loop, make());
    elapsed(sw);
    if (demo::stats().enabled()) {
        // What the loop did: how many tasks it ran, timers it set and fired,
        // and how often it slept in epoll_wait and woke up.
        std::printf("%s\n", demo::loop_summary_line(loop.stats()).c_str());
    }
    demo::stats().report(title, loop);
}

}  // namespace

// The notebook's last asyncio cell (salvar / salvarAll against the demo's
// loopback HTTP server) lives in salvar.cpp, built on tinyrt::io.
namespace gather_demo {
void add_salvar_flags(demo::args& a);
void cell_salvar(std::chrono::milliseconds tick);
}  // namespace gather_demo

int main(int argc, char** argv) {
    long tick_ms = 1000;
    demo::args a{"gather",
                 "asyncio: run, await sequencial, tarefa preguiçosa, create_task e gather "
                 "(notebook: Asynchronous I/O)."};
    a.add("tick", tick_ms, "the notebook's one-second asyncio.sleep, in ms", 0, 60000);
    demo::stats().add_flag(a);  // also a one-line summary after each cell
    gather_demo::add_salvar_flags(a);
    a.parse(argc, argv);
    tick = std::chrono::milliseconds(tick_ms);

    cell("asyncio.run(f())", f_simples);
    cell("await g(1); await g(2) (sequencial)", f_sequencial);

    demo::print_heading("x = f() (sem await)");
    {
        const int before = lines_printed;
        auto x = f_sequencial();  // like the notebook: f() does not run the function
        std::printf("<tinyrt::task f em %p>\n", static_cast<void*>(&x));
        std::printf("nada executou: %d linhas impressas por f\n", lines_printed - before);
    }  // x is destroyed without ever running

    cell("create_task(g(1)), create_task(g(2))", f_create_task);
    cell("gather(g(1), g(2))", f_gather);
    gather_demo::cell_salvar(tick);
    demo::stats().print();
    return 0;
}
