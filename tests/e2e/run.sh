#!/usr/bin/env bash
# Data-driven end-to-end tests of the jiyue command line.
#
# usage: tests/e2e/run.sh JIYUE [CASE...]
#
# Each folder in tests/e2e/cases/ is one case:
#   base      name of a fixture in tests/fixtures/sites/ copied to ./site (optional)
#   files/    copied over ./site afterwards (the case's own or broken files)
#   remove    paths below ./site to delete, one per line
#   setup     shell commands run first, in the work folder
#   cmd       the command (default: $JIYUE build -s site -d public --date 2026-11-23)
#   exit      the expected exit status (default 0)
#   stderr    lines that must each appear in stderr, as fixed strings
#   stdout    lines that must each appear in stdout
#   expect    assertions, one per line:
#               exists PATH | missing PATH | contains PATH TEXT | lacks PATH TEXT
#               same PATH1 PATH2 (byte-identical files or folders) | count N GLOB
#               empty PATH | lines PATH N
# A failing build must leave public/ exactly as it was: the runner puts a
# marker page there first and checks it survives, and that no temporary
# folder is left behind.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
JIYUE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
export JIYUE JIYUE_THEME_PATH="$top/themes" TOP="$top"
export GIT_CONFIG_NOSYSTEM=1 HOME="${TMPDIR:-/tmp}"
unset SOURCE_DATE_EPOCH

pass=0 fail=0
work_root=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work folder: $work_root"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work_root"' EXIT

failed() { echo "FAIL $name: $*"; ok=0; }

check_expect() {
	local op a b
	while read -r op a b; do
		case "$op" in
		''|'#'*) ;;
		exists) [ -e "$a" ] || failed "expected $a to exist" ;;
		missing) [ ! -e "$a" ] || failed "expected $a not to exist" ;;
		contains) grep -qF -- "$b" "$a" 2>/dev/null || failed "expected $a to contain '$b'" ;;
		lacks) [ -e "$a" ] && ! grep -qF -- "$b" "$a" || failed "expected $a (existing) to lack '$b'" ;;
		same) diff -r "$a" "$b" >/dev/null || failed "expected $a and $b to be identical" ;;
		empty) [ -e "$a" ] && [ ! -s "$a" ] || failed "expected $a to exist and be empty" ;;
		lines) n=$(wc -l < "$a" 2>/dev/null || echo -1); [ "$n" -eq "$b" ] || failed "expected $b lines in $a, got $n" ;;
		count) n=$(ls -d $b 2>/dev/null | wc -l); [ "$n" -eq "$a" ] || failed "expected $a matches of $b, got $n" ;;
		*) failed "unknown assertion '$op'" ;;
		esac
	done < "$1"
}

check_lines() { # file-with-lines output-file what
	local line
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		grep -qF -- "$line" "$2" || failed "expected $3 to contain '$line'"
	done < "$1"
}

run_case() {
	local dir=$1 work expected status
	name=$(basename "$dir")
	ok=1
	work="$work_root/$name"
	mkdir -p "$work"
	if [ -f "$dir/base" ]; then cp -R "$top/tests/fixtures/sites/$(cat "$dir/base")" "$work/site"; fi
	if [ -d "$dir/files" ]; then mkdir -p "$work/site" && cp -R "$dir/files/." "$work/site/"; fi
	if [ -f "$dir/remove" ]; then (cd "$work/site" && xargs rm -rf < "$dir/remove"); fi
	expected=$(cat "$dir/exit" 2>/dev/null || echo 0)
	if [ "$expected" != 0 ]; then mkdir -p "$work/public" && echo keep > "$work/public/marker.html"; fi
	(
		cd "$work" || exit 99
		if [ -f "$dir/setup" ]; then bash "$dir/setup" >setup.log 2>&1 || exit 98; fi
		if [ -f "$dir/cmd" ]; then . "$dir/cmd"; else "$JIYUE" build -s site -d public --date 2026-11-23; fi
	) >"$work/stdout" 2>"$work/stderr"
	status=$?
	[ "$status" = "$expected" ] || failed "exit status $status, expected $expected"
	[ -f "$dir/stderr" ] && check_lines "$dir/stderr" "$work/stderr" stderr
	[ -f "$dir/stdout" ] && check_lines "$dir/stdout" "$work/stdout" stdout
	if [ "$expected" != 0 ]; then
		grep -q keep "$work/public/marker.html" 2>/dev/null || failed "the previous public/ was not left intact"
		ls -a "$work" | grep -q '\.jiyue-' && failed "a temporary folder was left behind"
		grep -q 'AddressSanitizer\|runtime error' "$work/stderr" && failed "sanitizer report"
	fi
	[ -f "$dir/expect" ] && (cd "$work" && check_expect "$dir/expect") | grep . && ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "---- stderr of $name:"; head -20 "$work/stderr"
	fi
}

if [ $# -gt 0 ]; then cases=("$@"); else cases=("$here"/cases/*/); fi
for c in "${cases[@]}"; do
	case "$c" in /*) ;; *) c="$here/cases/$c" ;; esac
	run_case "${c%/}"
done
echo "e2e: $pass passed, $fail failed"
[ $fail = 0 ]
