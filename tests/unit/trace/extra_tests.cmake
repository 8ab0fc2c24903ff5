# The trace area's CTest case beyond its doctest binary: the HTML view
# checked in headless Chromium (label `browser`; skipped, status 77, where
# no chromium is installed). The program also writes the synthetic run's
# page for toolchain/trace-screenshot (--write FILE).
add_executable(tinyrt_trace_browser_check ${CMAKE_CURRENT_LIST_DIR}/browser/browser_check.cpp)
target_link_libraries(tinyrt_trace_browser_check PRIVATE tinyrt::tinyrt)
target_include_directories(tinyrt_trace_browser_check PRIVATE
  ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
tinyrt_private_flags(tinyrt_trace_browser_check)
add_test(NAME "trace: the HTML view in headless chromium" COMMAND tinyrt_trace_browser_check)
set_tests_properties("trace: the HTML view in headless chromium" PROPERTIES
  LABELS browser SKIP_RETURN_CODE 77 TIMEOUT 180)

# Every demo run with --trace and --html, its files checked (needs the demos).
if(TINYRT_BUILD_DEMOS)
  add_executable(tinyrt_trace_demo_test ${CMAKE_CURRENT_LIST_DIR}/demos/demo_traces_test.cpp)
  target_link_libraries(tinyrt_trace_demo_test PRIVATE tinyrt_test_main)
  target_include_directories(tinyrt_trace_demo_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_compile_definitions(tinyrt_trace_demo_test PRIVATE
    TINYRT_DEMO_DIR="${CMAKE_BINARY_DIR}/demos")
  tinyrt_private_flags(tinyrt_trace_demo_test)
  add_dependencies(tinyrt_trace_demo_test ${TINYRT_DEMO_TARGETS})
  doctest_discover_tests(tinyrt_trace_demo_test TEST_PREFIX "trace demos: "
    PROPERTIES TIMEOUT 180)
endif()
