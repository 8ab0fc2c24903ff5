// Misuse a user can plausibly make ends with a clear "tinyrt: ..." message
// (or a documented exception), never undefined behaviour: awaiting a task or
// a handle twice, awaiting another loop's handle, a posted function that
// throws, a loop created with no descriptors left.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "support/child_process.hpp"
#include "tinyrt/coro.hpp"
#include "tinyrt/detail/system_error.hpp"

using namespace std::chrono_literals;
using tinyrt::task;

namespace {

bool mentions(const test_support::child_result& r, const char* text) {
    return r.err.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("misuse: awaiting a named task twice ends with a message") {
    auto r = test_support::run_in_child([] {
        auto main = []() -> task<int> {
            auto t = []() -> task<int> { co_return 1; }();
            int a = co_await t;
            int b = co_await t;  // the task already ran
            co_return a + b;
        };
        tinyrt::run(main());
    });
    CHECK_FALSE(r.exited_ok());
    CHECK(r.signal != SIGSEGV);
    CHECK(mentions(r, "tinyrt: co_await on a task that was already awaited"));
}

TEST_CASE("misuse: awaiting a task_handle twice ends with a message, for void too") {
    auto r = test_support::run_in_child([] {
        auto main = []() -> task<void> {
            auto h = tinyrt::create_task([]() -> task<void> { co_return; }());
            co_await h;
            co_await h;  // the result was taken by the first await
        };
        tinyrt::run(main());
    });
    CHECK_FALSE(r.exited_ok());
    CHECK(mentions(r, "tinyrt: a task_handle's result was already taken"));
}

TEST_CASE("misuse: awaiting a handle of another loop ends with a message") {
    auto r = test_support::run_in_child([] {
        tinyrt::task_handle<int> foreign;
        auto first = [](tinyrt::task_handle<int>& out) -> task<void> {
            out = tinyrt::create_task([]() -> task<int> { co_return 1; }());
            co_await tinyrt::sleep_for(0ms);
        };
        tinyrt::run(first(foreign));  // loop A: the handle's task ran there
        auto second = [](tinyrt::task_handle<int>& h) -> task<int> { co_return co_await h; };
        tinyrt::run(second(foreign));  // loop B awaits A's handle
    });
    CHECK_FALSE(r.exited_ok());
    CHECK(mentions(r, "tinyrt: co_await on a task_handle of another event loop"));
}

TEST_CASE("post: a posted function that throws is reported and the loop goes on") {
    auto r = test_support::run_in_child([] {
        auto main = []() -> task<int> {
            tinyrt::event_loop::current()->post([] { throw std::runtime_error("boom"); });
            int ran = 0;
            tinyrt::event_loop::current()->post([&ran] { ran = 1; });
            co_await tinyrt::sleep_for(1ms);
            co_return ran == 1 ? 42 : 1;
        };
        return tinyrt::run(main()) == 42 ? 0 : 1;
    });
    CHECK(r.exited_ok());
    CHECK(mentions(r, "tinyrt: a function posted to the loop failed: boom"));
}

TEST_CASE("event_loop: no descriptors left raises system_error (EMFILE), not an abort") {
    auto r = test_support::run_in_child([] {
        // UBSan's vptr check opens a pipe the first time it meets an object
        // of a new dynamic type; meet the error category and the runtime's
        // own exception type while descriptors remain (a no-op in other
        // builds).
        try {
            tinyrt::detail::throw_system_error(EMFILE, "warm-up");
        } catch (const std::system_error& e) {
            if (e.code().message().empty() || e.what()[0] == '\0') return 9;
        }
        rlimit lim{};
        ::getrlimit(RLIMIT_NOFILE, &lim);
        lim.rlim_cur = 64;
        if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return 10;
        std::vector<int> held;
        for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) held.push_back(fd);
        int outcome = 11;
        try {
            tinyrt::event_loop loop;
            outcome = 12;  // created although no descriptor was left
        } catch (const std::system_error& e) {
            outcome = e.code().value() == EMFILE ? 0 : 13;
        }
        // One descriptor free: epoll succeeds, eventfd fails, epoll is closed again.
        ::close(held.back());
        held.pop_back();
        try {
            tinyrt::event_loop loop;
            outcome = 14;
        } catch (const std::system_error&) {
        }
        const int reopened = ::open("/dev/null", O_RDONLY);  // the epoll fd was given back
        if (outcome == 0 && reopened < 0) outcome = 15;
        return outcome;
    });
    INFO(r.err);
    CHECK(r.exit_status == 0);
}
