# bench_coro: the coroutine event loop against Boost.Asio coroutines
# (co_spawn + steady_timer, single thread; built in when Boost >= 1.81 is
# found) and Python's asyncio (tests/bench/coro_asyncio.py, run through
# python3 when it exists), in one run, one table.
add_executable(bench_coro ${TINYRT_BENCH_DIR}/coro.cpp)
target_link_libraries(bench_coro PRIVATE tinyrt::tinyrt)
tinyrt_private_flags(bench_coro)
target_compile_definitions(bench_coro PRIVATE
  TINYRT_BENCH_ASYNCIO_SCRIPT="${TINYRT_BENCH_DIR}/coro_asyncio.py")
find_package(Boost 1.81 QUIET)
if(Boost_FOUND)
  target_sources(bench_coro PRIVATE ${TINYRT_BENCH_DIR}/coro_asio.cpp)
  # GCC 12 reports -Wnull-dereference inside Asio's own io_context.hpp.
  set_source_files_properties(${TINYRT_BENCH_DIR}/coro_asio.cpp PROPERTIES COMPILE_OPTIONS -Wno-null-dereference)
  target_link_libraries(bench_coro PRIVATE Boost::headers)
  target_compile_definitions(bench_coro PRIVATE TINYRT_BENCH_HAVE_ASIO=1)
endif()
find_program(TINYRT_PYTHON3 python3)
if(TINYRT_PYTHON3)
  target_compile_definitions(bench_coro PRIVATE TINYRT_BENCH_PYTHON="${TINYRT_PYTHON3}")
endif()
