#include "tinyrt/io/errors.hpp"

#include <cstdio>

namespace tinyrt::io {
namespace {

class stream_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "tinyrt.stream"; }
    std::string message(int value) const override {
        return value == static_cast<int>(stream_errc::end_of_stream) ? "unexpected end of stream"
                                                                     : "unknown stream error";
    }
};

}  // namespace

const std::error_category& stream_category() noexcept {
    static const stream_category_impl category;
    return category;
}

void raise_system_error(int err, const std::string& operation) {
    TINYRT_THROW(make_system_error(err, operation));
}

void raise_end_of_stream(std::size_t got, std::size_t wanted) {
    char what[96];
    std::snprintf(what, sizeof what, "read_exact: peer closed after %zu of %zu bytes", got, wanted);
    TINYRT_THROW(std::system_error(make_error_code(stream_errc::end_of_stream), what));
}

}  // namespace tinyrt::io
