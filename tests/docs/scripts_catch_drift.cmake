# Shows that the docs checks can fail: builds a small tree with a drifted
# example and pointers that lead nowhere, expects both scripts to say so
# (exit 1 and the messages below), then repairs the tree and expects 0.
# Run by CTest: cmake -DPYTHON=... -DSOURCE_DIR=... -DWORK_DIR=... -P this file.
set(tree ${WORK_DIR}/drift)
file(REMOVE_RECURSE ${tree})
file(WRITE ${tree}/runtime/DESIGN.md [=[
# internals

## Parking

### What a waiting worker may run (the helping rule)

1. its own deque
2. fork-join children

**Guests** (`pool.cpp`, `guest_scope`).
]=])
file(WRITE ${tree}/README.md [=[
# r

See `runtime/gone.hpp` and [the guide](runtime/DESIGN.md).

<!-- example: hello -->
```cpp
int old_text;
```
]=])
file(WRITE ${tree}/runtime/src/pool.cpp [=[
// See DESIGN.md, "Nowhere", and DESIGN.md, rule 3.
void guest_scope() {}
]=])
file(WRITE ${tree}/tests/hello.cpp [=[
// [example: hello]
int main() { return 0; }
// [end example]
]=])

function(run_script expected_rc)
  execute_process(COMMAND ${PYTHON} ${ARGN} --root ${tree}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(out "${out}${err}" PARENT_SCOPE)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "${ARGN}: exit ${rc}, expected ${expected_rc}:\n${out}${err}")
  endif()
endfunction()
function(expect_in text)
  foreach(want IN LISTS ARGN)
    string(FIND "${text}" "${want}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "expected '${want}' in:\n${text}")
    endif()
  endforeach()
endfunction()

set(pointers ${SOURCE_DIR}/toolchain/check-doc-pointers)
set(examples ${SOURCE_DIR}/toolchain/examples)

run_script(1 ${pointers})
expect_in("${out}" [[DESIGN.md has no section "Nowhere"]] "helping rule has no rule 3"
          "no path runtime/gone.hpp")
run_script(1 ${examples} --check)
expect_in("${out}" "example 'hello' differs" "-int old_text;" "+int main() { return 0; }")

# Repaired: the examples rewritten, the pointers corrected.
run_script(0 ${examples} --write)
run_script(0 ${examples} --check)
file(READ ${tree}/README.md readme)
expect_in("${readme}" "int main() { return 0; }")
string(REPLACE "runtime/gone.hpp" "runtime/src/pool.cpp" readme "${readme}")
file(WRITE ${tree}/README.md "${readme}")
file(WRITE ${tree}/runtime/src/pool.cpp [=[
// See DESIGN.md, "What a waiting worker may run", rule 2, and DESIGN.md, "Guests".
void guest_scope() {}
]=])
run_script(0 ${pointers})
