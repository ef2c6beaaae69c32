#!/bin/sh
# Run the whole suite against the build in folder $1 (default build/release):
# unit tests (cmocka), the mustache spec, the end-to-end CLI tests, the
# independent WARC reader, the archiver against real servers, the old
# hosts' nginx and Apache configs against real servers, and the demo
# portal in headless Chromium.
# Ends with one line "N passed, M failed" and exits non-zero on any failure.
O=${1:-build/release}
cd "$(dirname "$0")/.." || exit 2
total_pass=0 total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

add() { total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2)); }

# A suite prints "NAME: N passed, M failed" last; a crash counts as a failure.
run_suite() { # NAME COMMAND...
	name=$1; shift
	"$@" >"$log" 2>&1
	status=$?
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	if [ -z "$p" ]; then
		if grep -q "^$name: skipped" "$log"; then grep "^$name: skipped" "$log"; return; fi
		p=0 f=1
	fi
	[ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$f" -ne 0 ] && grep -v "^$name: [0-9]* passed" "$log" | tail -40
	# checks a suite could not run yet say why
	[ "$f" -eq 0 ] && grep '^SKIP ' "$log"
	echo "$name: $p passed, $f failed"
	add "$p" "$f"
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] M test(s)"
for t in "$O"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	status=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0} f=${f:-0}
	[ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$f" -ne 0 ] && cat "$log"
	echo "$(basename "$t"): $p passed, $f failed"
	add "$p" "$f"
done

run_suite "mustache spec" "$O/tests/mustache_spec" ../shared/spec/mustache
run_suite "mustache errors" "$O/tests/mustache_errors"
run_suite e2e bash tests/e2e/run.sh "$O/jiyue"
run_suite warcio sh tests/warcio/run.sh "$O"
run_suite archive bash tests/archive/run.sh "$O/jiyue"
run_suite redirects bash tests/redirects/run.sh "$O/jiyue"
run_suite browser bash tests/browser/run.sh "$O"

echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
