#!/bin/sh
# Run the whole suite against the build in folder $1 (default build/release):
# unit tests (cmocka), the mustache spec, the end-to-end CLI tests.
# Ends with one line "N passed, M failed" and exits non-zero on any failure.
O=${1:-build/release}
cd "$(dirname "$0")/.." || exit 2
total_pass=0 total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

add() { total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2)); }

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

for t in mustache_spec mustache_errors; do
	if [ ! -x "$O/tests/$t" ]; then echo "$t: missing"; add 0 1; continue; fi
	"$O/tests/$t" ../shared/spec/mustache >"$log" 2>&1
	status=$?
	line=$(grep -E '^mustache [a-z]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	[ "$status" -ne 0 ] && cat "$log"
	echo "$line"
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	[ -z "$p" ] && { p=0; f=1; }
	[ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
	add "$p" "${f:-0}"
done

bash tests/e2e/run.sh "$O/jiyue" >"$log" 2>&1
status=$?
grep -v '^e2e:' "$log"
line=$(grep '^e2e:' "$log" | tail -1)
echo "$line"
p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
[ -z "$p" ] && { p=0; f=1; }
[ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
add "$p" "${f:-0}"

echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
