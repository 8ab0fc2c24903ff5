# bench_locks: tinyrt's three locks against std::mutex (always) and oneTBB's
# spin_mutex, queuing_mutex (FIFO) and mutex when oneTBB is installed.
add_executable(bench_locks ${TINYRT_BENCH_DIR}/locks.cpp)
target_link_libraries(bench_locks PRIVATE tinyrt::tinyrt)
tinyrt_private_flags(bench_locks)
find_package(TBB QUIET)
if(TBB_FOUND)
  target_link_libraries(bench_locks PRIVATE TBB::tbb)
  target_compile_definitions(bench_locks PRIVATE TINYRT_BENCH_HAVE_TBB=1)
endif()
