// pool.map over the ranges it accepts (map.hpp, map_range): every sized
// random-access range, found by begin()/end() as a range-for finds them, and
// f applied as std::invoke applies it (member pointers included).
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tinyrt/sched.hpp"

namespace {

// A range known only through free begin()/end(), found by ADL.
struct numbers {
    int items[3] = {4, 5, 6};
};
const int* begin(const numbers& n) {
    return n.items;
}
const int* end(const numbers& n) {
    return n.items + 3;
}

// A range computed on the fly, as std::views::iota is (which this test does
// not use: libstdc++ 12's <ranges> does not compile with clang 14). map
// needs no more of it than it[k] and end - begin.
struct counting_iterator {
    int value;
    int operator*() const { return value; }
    int operator[](std::ptrdiff_t k) const { return value + static_cast<int>(k); }
    counting_iterator& operator++() {
        ++value;
        return *this;
    }
    friend std::ptrdiff_t operator-(counting_iterator a, counting_iterator b) {
        return a.value - b.value;
    }
};
struct counting {
    int first, last;
    counting_iterator begin() const { return {first}; }
    counting_iterator end() const { return {last}; }
};

struct point {
    int x;
    int twice() const { return 2 * x; }
};

}  // namespace

TEST_CASE("map: arrays, spans, deques, views and ADL ranges, in input order") {
    for (unsigned workers : {1U, 2U, 4U}) {
        CAPTURE(workers);
        tinyrt::pool pool{{.workers = workers}};
        auto inc = [](int x) { return x + 1; };

        const std::array<int, 4> a{1, 2, 3, 4};
        CHECK(pool.map(inc, a) == std::vector<int>{2, 3, 4, 5});

        const int c[3] = {7, 8, 9};
        CHECK(pool.map(inc, c) == std::vector<int>{8, 9, 10});

        std::vector<int> v{10, 20, 30};
        CHECK(pool.map(inc, std::span<const int>(v)) == std::vector<int>{11, 21, 31});

        const std::deque<int> d{3, 2, 1};
        CHECK(pool.map(inc, d) == std::vector<int>{4, 3, 2});

        auto squares = pool.map([](int i) { return i * i; }, counting{0, 1000});
        REQUIRE(squares.size() == 1000);
        for (int i = 0; i < 1000; ++i) CHECK(squares[static_cast<std::size_t>(i)] == i * i);

        CHECK(pool.map(inc, numbers{}) == std::vector<int>{5, 6, 7});
        CHECK(pool.map(inc, std::array<int, 0>{}).empty());
    }
}

TEST_CASE("map: member pointers apply to the item or to what it points to") {
    tinyrt::pool pool{{.workers = 2}};
    const std::vector<point> points{{1}, {2}, {3}};
    CHECK(pool.map(&point::x, points) == std::vector<int>{1, 2, 3});
    CHECK(pool.map(&point::twice, points) == std::vector<int>{2, 4, 6});

    std::vector<std::unique_ptr<point>> owned;
    for (int i = 5; i < 8; ++i) owned.push_back(std::make_unique<point>(point{i}));
    CHECK(pool.map(&point::twice, owned) == std::vector<int>{10, 12, 14});
    std::vector<const point*> raw{&points[2], &points[0]};
    CHECK(pool.map(&point::x, raw) == std::vector<int>{3, 1});
}

TEST_CASE("map: results that are not default-constructible, strings moved out") {
    tinyrt::pool pool{{.workers = 2}};
    struct only_from_int {
        explicit only_from_int(int v) : value(v) {}
        int value;
    };
    auto r = pool.map([](int x) { return only_from_int(x * 3); }, std::array<int, 3>{1, 2, 3});
    REQUIRE(r.size() == 3);
    CHECK(r[2].value == 9);
    auto s = pool.map([](int x) { return std::string(static_cast<std::size_t>(x), 'a'); },
                      std::vector<int>{1, 3});
    CHECK(s == std::vector<std::string>{"a", "aaa"});
}
