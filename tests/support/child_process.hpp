// Runs a piece of a test in a forked child process, for outcomes that end a
// program: a detail::fatal message, an abort, a sanitizer report at exit, or
// a hang. The child's stderr is captured; a watchdog alarm kills a child that
// has not finished in time, and the result says so instead of hanging CTest.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <type_traits>

namespace test_support {

struct child_result {
    int exit_status = -1;  // the child's exit status, or -1 if a signal ended it
    int signal = 0;        // the signal that ended it, if any
    bool hung = false;     // killed by the watchdog (SIGALRM)
    std::string err;       // what it wrote to stderr

    bool exited_ok() const noexcept { return exit_status == 0; }
};

// How the child ends after body() returns: _exit skips static destructors
// (the parent's doctest state is not torn down twice); exit runs them, for
// tests about what happens at exit.
enum class child_end { quick_exit, run_static_destructors };

// body() runs in the child; it may return an int exit status. The child is
// killed after `limit_s` seconds (the hang watchdog).
template <typename F>
child_result run_in_child(F body, child_end end = child_end::quick_exit, unsigned limit_s = 20) {
    std::fflush(stdout);
    std::fflush(stderr);
    child_result r;
    int fds[2];
    if (::pipe(fds) != 0) return r;
    const pid_t pid = ::fork();
    if (pid < 0) return r;
    if (pid == 0) {
        ::close(fds[0]);
        ::dup2(fds[1], 2);
        // The test runner's crash handlers would report (and summarise) in
        // the child too: let a fatal signal end it plainly.
        for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, SIG_DFL);
        ::alarm(limit_s);
        int status = 0;
        // Nothing may leave body(): an exception would unwind into the test
        // runner's copy in the child, which would go on running other tests.
        try {
            if constexpr (std::is_void_v<decltype(body())>) {
                body();
            } else {
                status = body();
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child: uncaught exception: %s\n", e.what());
            status = 120;
        } catch (...) {
            std::fprintf(stderr, "child: uncaught exception\n");
            status = 120;
        }
        std::fflush(stderr);
        if (end == child_end::run_static_destructors) std::exit(status);
        ::_exit(status);
    }
    ::close(fds[1]);
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        r.err.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
        r.hung = r.signal == SIGALRM;
    }
    if (r.hung) std::fprintf(stderr, "HANG: the child process did not finish in %u s\n", limit_s);
    return r;
}

}  // namespace test_support
