// tinyrt's version, for the preprocessor and for code.
//
//   #if TINYRT_VERSION >= 200            // 0.2.0 or later (major*10000 + minor*100 + patch)
//   static_assert(tinyrt::version() >= tinyrt::version_info{0, 2, 0});
//   std::printf("tinyrt %s\n", tinyrt::version().string.data());   // "0.2.0"
//
// The numbers must match project(tinyrt VERSION ...) in the top-level
// CMakeLists.txt: runtime/CMakeLists.txt reads them from this file and stops
// the configure if they differ. The CMake package (find_package(tinyrt 0.2))
// and tinyrt.pc carry the same version. Everything here is constexpr: it is
// the version of the headers the program was compiled with, which for a
// static library is the version it links.
#pragma once

#include <compare>
#include <string_view>

#define TINYRT_VERSION_MAJOR 0
#define TINYRT_VERSION_MINOR 2
#define TINYRT_VERSION_PATCH 0

#define TINYRT_VERSION \
    (TINYRT_VERSION_MAJOR * 10000 + TINYRT_VERSION_MINOR * 100 + TINYRT_VERSION_PATCH)

#define TINYRT_DETAIL_STRINGIFY2(x) #x
#define TINYRT_DETAIL_STRINGIFY(x) TINYRT_DETAIL_STRINGIFY2(x)
// "0.2.0"
// clang-format off
#define TINYRT_VERSION_STRING                         \
    TINYRT_DETAIL_STRINGIFY(TINYRT_VERSION_MAJOR) "." \
    TINYRT_DETAIL_STRINGIFY(TINYRT_VERSION_MINOR) "." \
    TINYRT_DETAIL_STRINGIFY(TINYRT_VERSION_PATCH)
// clang-format on

namespace tinyrt {

// Ordered by (major, minor, patch); `string` is "major.minor.patch" for the
// value version() returns, and is left out of comparisons.
struct version_info {
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string_view string{};  // null-terminated for version(): .data() is a C string

    friend constexpr bool operator==(const version_info& a, const version_info& b) noexcept {
        return a.major == b.major && a.minor == b.minor && a.patch == b.patch;
    }
    friend constexpr std::strong_ordering operator<=>(const version_info& a,
                                                      const version_info& b) noexcept {
        if (auto c = a.major <=> b.major; c != 0) return c;
        if (auto c = a.minor <=> b.minor; c != 0) return c;
        return a.patch <=> b.patch;
    }
};

constexpr version_info version() noexcept {
    return {TINYRT_VERSION_MAJOR, TINYRT_VERSION_MINOR, TINYRT_VERSION_PATCH,
            TINYRT_VERSION_STRING};
}

}  // namespace tinyrt
