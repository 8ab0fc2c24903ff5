# bench_trace: the trace recorder's costs (ns per event on and off, the
# clocks it could use, the writers' time and output size for 100,000 events).
add_executable(bench_trace ${TINYRT_BENCH_DIR}/trace_bench.cpp)
target_link_libraries(bench_trace PRIVATE tinyrt::tinyrt)
tinyrt_private_flags(bench_trace)
