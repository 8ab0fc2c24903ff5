# bench_sched: tinyrt's work-stealing scheduler against oneTBB's task_group,
# OpenMP tasks / parallel for and the plain sequential code, in one run.
# Each peer is compiled in only where it is found.
add_executable(bench_sched ${TINYRT_BENCH_DIR}/sched_bench.cpp)
target_link_libraries(bench_sched PRIVATE tinyrt::tinyrt)
tinyrt_private_flags(bench_sched)
find_package(TBB QUIET)
if(TBB_FOUND)
  target_link_libraries(bench_sched PRIVATE TBB::tbb)
  target_compile_definitions(bench_sched PRIVATE TINYRT_BENCH_TBB=1)
endif()
find_package(OpenMP QUIET)
if(OpenMP_CXX_FOUND)
  target_link_libraries(bench_sched PRIVATE OpenMP::OpenMP_CXX)
  target_compile_definitions(bench_sched PRIVATE TINYRT_BENCH_OPENMP=1)
endif()
