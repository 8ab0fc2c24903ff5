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
