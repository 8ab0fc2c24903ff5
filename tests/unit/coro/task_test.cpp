// task<T>, run, create_task: smoke -> values and errors -> laziness -> deep
// chains -> nothing left alive.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/child_process.hpp"
#include "tinyrt/coro.hpp"

using namespace std::chrono_literals;

namespace {

tinyrt::task<int> add_one(int n) {
    co_return n + 1;
}

tinyrt::task<int> twice_plus_two(int n) {
    int a = co_await add_one(n);
    int b = co_await add_one(a);
    co_return b * 2;
}

tinyrt::task<int> fails() {
    throw std::runtime_error("boom");
    co_return 0;
}

tinyrt::task<std::string> catches() {
    try {
        co_await fails();
    } catch (const std::runtime_error& e) {
        co_return std::string("caught ") + e.what();
    }
    co_return "not thrown";
}

}  // namespace

TEST_CASE("task: run returns the value of a chain of awaits") {
    CHECK(tinyrt::run(add_one(41)) == 42);
    CHECK(tinyrt::run(twice_plus_two(3)) == 10);
}

TEST_CASE("task: an exception reaches the awaiter and run's caller") {
    CHECK(tinyrt::run(catches()) == "caught boom");
    CHECK_THROWS_WITH_AS(tinyrt::run(fails()), "boom", std::runtime_error);
}

TEST_CASE("task: calling a coroutine runs nothing until it is awaited") {
    int steps = 0;
    auto body = [&steps]() -> tinyrt::task<int> {
        ++steps;
        co_return steps;
    };
    auto t = body();
    CHECK(steps == 0);
    {
        auto never = body();  // destroyed without running
    }
    CHECK(steps == 0);
    CHECK(tinyrt::run(std::move(t)) == 1);
    CHECK(steps == 1);
}

TEST_CASE("task: a million sequential awaits do not grow the stack") {
    // Run on a thread with a small stack: without symmetric transfer each
    // await would nest a resume() frame and overflow it.
    long total = 0;
    auto chain = []() -> tinyrt::task<long> {
        long sum = 0;
        for (int i = 0; i < 1'000'000; ++i) sum += co_await add_one(0);
        co_return sum;
    };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    struct ctx_t {
        long* out;
        decltype(chain)* fn;
    } ctx{&total, &chain};
    pthread_t th;
    auto entry = [](void* p) -> void* {
        auto* c = static_cast<ctx_t*>(p);
        *c->out = tinyrt::run((*c->fn)());
        return nullptr;
    };
    REQUIRE(pthread_create(&th, &attr, entry, &ctx) == 0);
    pthread_join(th, nullptr);
    pthread_attr_destroy(&attr);
    CHECK(total == 1'000'000);
}

TEST_CASE("task: deeply nested awaits do not grow the stack") {
    struct rec {
        static tinyrt::task<int> depth(int n) {
            if (n == 0) co_return 0;
            co_return 1 + co_await depth(n - 1);
        }
    };
    int got = 0;
    std::thread t([&] { got = tinyrt::run(rec::depth(100'000)); });
    t.join();
    CHECK(got == 100'000);
}

TEST_CASE("task: every frame is freed at the end") {
    const auto before = tinyrt::detail::frame_live_blocks();
    {
        auto main = []() -> tinyrt::task<int> {
            auto h = tinyrt::create_task(twice_plus_two(1));
            auto detached = tinyrt::create_task([]() -> tinyrt::task<void> {
                co_await tinyrt::sleep_for(1h);  // cancelled by run's shutdown
            }());
            detached.detach();
            int v = co_await h;
            co_return v;
        };
        CHECK(tinyrt::run(main()) == 6);
    }
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}

TEST_CASE("task: a detached task's failure is reported, not dropped") {
    // Capture stderr while the loop runs: the report must name the error.
    std::FILE* capture = std::tmpfile();
    REQUIRE(capture != nullptr);
    std::fflush(stderr);
    const int saved = ::dup(2);
    ::dup2(::fileno(capture), 2);
    const auto before = tinyrt::detail::frame_live_blocks();
    auto main = []() -> tinyrt::task<int> {
        tinyrt::create_task(fails()).detach();
        co_await tinyrt::sleep_for(std::chrono::milliseconds(1));
        co_return co_await add_one(1);
    };
    const int result = tinyrt::run(main());
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::string text(256, '\0');
    std::rewind(capture);
    text.resize(std::fread(text.data(), 1, text.size(), capture));
    std::fclose(capture);
    CHECK(result == 2);
    CHECK(text.find("nobody awaited it: boom") != std::string::npos);
    CHECK(tinyrt::detail::frame_live_blocks() == before);
}

TEST_CASE("create_task: the task's exception reaches whoever awaits its handle") {
    auto main = []() -> tinyrt::task<std::string> {
        auto h = tinyrt::create_task(fails());
        auto ok = tinyrt::create_task(add_one(1));
        std::string what = "not thrown";
        try {
            co_await h;
        } catch (const std::runtime_error& e) {
            what = e.what();
        }
        CHECK(h.done());
        CHECK_FALSE(h.cancelled());
        CHECK(co_await ok == 2);  // the other task is unaffected
        co_return what;
    };
    CHECK(tinyrt::run(main()) == "boom");
}

TEST_CASE("run: a deadlock is reported with a message, not a hang") {
    // In a child process: the program ends through detail::fatal.
    auto r = test_support::run_in_child([] {
        auto main = []() -> tinyrt::task<void> {
            tinyrt::async_mutex m;
            co_await m.lock();
            co_await m.lock();  // waits for itself: nothing can ever wake it
            m.unlock();
        };
        tinyrt::run(main());
    });
    CHECK_FALSE(r.exited_ok());
    CHECK_FALSE(r.hung);
    CHECK(r.err.find("tinyrt: deadlock") != std::string::npos);
}
