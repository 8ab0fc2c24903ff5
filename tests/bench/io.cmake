# bench_io: echo round trips on loopback with many concurrent connections,
# a tinyrt event-loop server against a Boost.Asio C++20-coroutine server
# (both single-threaded), driven by the same epoll load generator in the same
# run. The Asio side is built in only when Boost >= 1.81 is found.
add_executable(bench_io ${TINYRT_BENCH_DIR}/io_bench.cpp)
target_link_libraries(bench_io PRIVATE tinyrt::tinyrt)
tinyrt_private_flags(bench_io)
find_package(Boost 1.81 QUIET)
if(Boost_FOUND)
  target_sources(bench_io PRIVATE ${TINYRT_BENCH_DIR}/io_asio.cpp)
  # GCC 12 reports -Wnull-dereference inside Asio's own headers.
  set_source_files_properties(${TINYRT_BENCH_DIR}/io_asio.cpp PROPERTIES COMPILE_OPTIONS -Wno-null-dereference)
  target_link_libraries(bench_io PRIVATE Boost::headers)
  target_compile_definitions(bench_io PRIVATE TINYRT_BENCH_HAVE_ASIO=1)
endif()
