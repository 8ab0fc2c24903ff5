// tinyrt::io::write_file: the write runs on a pool worker, lands completely,
// and its errors reach the awaiting coroutine.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "io_test_support.hpp"

using tinyrt::task;

namespace {

std::string read_back(const std::string& path) {
    std::string out;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "(cannot open)";
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
}

// A fresh directory, removed with its files at the end of the test.
struct temp_dir {
    std::string path;
    std::vector<std::string> files;
    temp_dir() {
        char tmpl[] = "/tmp/tinyrt-io-test-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    std::string file(const std::string& name) { return files.emplace_back(path + "/" + name); }
    ~temp_dir() {
        for (const auto& f : files) ::unlink(f.c_str());
        ::rmdir(path.c_str());
    }
};

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
    temp_dir dir;
    std::string path = dir.file("big.bin");
    std::string data = io_test::pattern(8u << 20, 3);
    tinyrt::pool workers{{.workers = 2}};
    tinyrt::run(write_one(workers, path, data));
    CHECK(read_back(path) == data);
}

TEST_CASE("write_file: many concurrent writes from one loop all land") {
    temp_dir dir;
    tinyrt::pool workers{{.workers = 2}};
    constexpr int count = 16;
    std::vector<std::string> paths;
    for (int i = 0; i < count; ++i) paths.push_back(dir.file("f" + std::to_string(i)));
    tinyrt::run(write_many(workers, paths));
    for (int i = 0; i < count; ++i)
        CHECK(read_back(paths[static_cast<std::size_t>(i)]) ==
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
    temp_dir dir;
    std::string path = dir.file("small.txt");
    CHECK(tinyrt::io::write_file_blocking(path, "hello") == 0);
    CHECK(read_back(path) == "hello");
}
