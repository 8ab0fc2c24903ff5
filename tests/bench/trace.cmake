# bench_trace: the trace recorder's costs (ns per event on and off, the
# clocks it could use, the writers' time and output size for 100,000 events).
add_executable(bench_trace ${TINYRT_BENCH_DIR}/trace_bench.cpp)
target_link_libraries(bench_trace PRIVATE tinyrt::tinyrt)
tinyrt_private_flags(bench_trace)

# bench_trace_overhead: fib(30) and create_task + await with the timeline off
# and on (and, built from an older tree, off only: see its top comment).
add_executable(bench_trace_overhead ${TINYRT_BENCH_DIR}/trace_overhead.cpp)
target_link_libraries(bench_trace_overhead PRIVATE tinyrt::tinyrt)
target_include_directories(bench_trace_overhead PRIVATE ${TINYRT_BENCH_DIR}/..)
tinyrt_private_flags(bench_trace_overhead)
