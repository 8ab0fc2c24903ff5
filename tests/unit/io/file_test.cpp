// tinyrt::io::write_file: the write runs on a pool worker, lands completely,
// and its errors reach the awaiting coroutine.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "io_test_support.hpp"
#include "support/files.hpp"

using tinyrt::task;

namespace {

task<void> write_one(tinyrt::pool& p, std::string where, std::string bytes) {
    co_await tinyrt::io::write_file(p, std::move(where), std::move(bytes));
}

task<void> write_many(tinyrt::pool& p, const std::vector<std::string>& where) {
    std::vector<task<void>> writes;
    for (std::size_t i = 0; i < where.size(); ++i)
        writes.push_back(tinyrt::io::write_file(
            p, where[i], io_test::pattern(100'000 + i, static_cast<unsigned>(i))));
    co_await io_test::join_all(std::move(writes));
}

task<std::string> write_where_impossible(tinyrt::pool& p) {
    std::string what = "written";
    try {
        co_await tinyrt::io::write_file(p, "/nonexistent-dir/x/y.bin", "data");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::no_such_file_or_directory);
        what = e.what();
    }
    co_return what;
}

}  // namespace

TEST_CASE("write_file: 8 MiB land completely, byte for byte") {
    test_support::temp_dir dir;
    std::string path = dir.file("big.bin");
    std::string data = io_test::pattern(8u << 20, 3);
    tinyrt::pool workers{{.workers = 2}};
    tinyrt::run(write_one(workers, path, data));
    CHECK(test_support::read_file(path) == data);
}

TEST_CASE("write_file: many concurrent writes from one loop all land") {
    test_support::temp_dir dir;
    tinyrt::pool workers{{.workers = 2}};
    constexpr int count = 16;
    std::vector<std::string> paths;
    for (int i = 0; i < count; ++i) paths.push_back(dir.file("f" + std::to_string(i)));
    tinyrt::run(write_many(workers, paths));
    for (int i = 0; i < count; ++i)
        CHECK(test_support::read_file(paths[static_cast<std::size_t>(i)]) ==
              io_test::pattern(100'000 + static_cast<std::size_t>(i), static_cast<unsigned>(i)));
}

TEST_CASE("write_file: a path that cannot be created raises the system error on the loop") {
    tinyrt::pool workers{{.workers = 1}};
    std::string what = tinyrt::run(write_where_impossible(workers));
    CHECK(what.find("/nonexistent-dir/x/y.bin") != std::string::npos);
    CHECK(what.find("No such file or directory") != std::string::npos);
}

TEST_CASE("write_file_blocking: reports the errno value instead of throwing") {
    CHECK(tinyrt::io::write_file_blocking("/nonexistent-dir/z", "x") == ENOENT);
    test_support::temp_dir dir;
    std::string path = dir.file("small.txt");
    CHECK(tinyrt::io::write_file_blocking(path, "hello") == 0);
    CHECK(test_support::read_file(path) == "hello");
}
