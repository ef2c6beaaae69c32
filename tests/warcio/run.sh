#!/bin/sh
# Read the WARC written by the unit tests with an independent reader,
# webrecorder's warcio.js (npm), compare our CDXJ with its indexer, and
# read the WACZ as ReplayWeb.page does (see check.mjs).
#
# usage: sh tests/warcio/run.sh [BUILD_DIR]     (default build/release)
#
# Needs node (20 or later) and npm; installs warcio into tests/warcio/
# node_modules on first use.  Without node it says so and succeeds.
# Ends with one line "warcio: N passed, M failed".
O=${1:-build/release}
cd "$(dirname "$0")/../.." || exit 2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() {
	echo "warcio: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

if ! command -v node >/dev/null 2>&1; then
	echo "warcio: skipped (node is not installed)"
	exit 0
fi
if [ ! -f tests/warcio/node_modules/warcio/package.json ]; then
	(cd tests/warcio && npm install --no-audit --no-fund --loglevel=error >/dev/null) ||
		{ ko "npm install warcio"; finish; }
fi
if [ ! -x "$O/tests/test_warc" ]; then
	${MAKE:-make} --no-print-directory O="$O" "$O/tests/test_warc" >/dev/null ||
		{ ko "build $O/tests/test_warc"; finish; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The unit tests leave their fixture WARC (6 fetches: 5 responses and 1
# revisit, each with its request; 1 metadata record), its index and a WACZ here.
if JIYUE_WARC_KEEP="$tmp" "$O/tests/test_warc" >"$tmp/log" 2>&1 &&
   [ -f "$tmp/test.warc.gz" ] && [ -f "$tmp/test.cdxj" ] && [ -f "$tmp/test.wacz" ]; then
	ok
else
	cat "$tmp/log"
	ko "$O/tests/test_warc did not leave its WARC"
	finish
fi

# The fixture's URLs have the same SURT key in every flavour: --keys.
if node tests/warcio/check.mjs "$tmp/test.warc.gz" --cdxj "$tmp/test.cdxj" --keys \
	--wacz "$tmp/test.wacz" --expect warcinfo=1 --expect response=5 --expect revisit=1 \
	--expect request=6 --expect metadata=1 >"$tmp/log" 2>&1; then
	ok
else
	cat "$tmp/log"
	ko "warcio.js check of test.warc.gz"
fi

# The same file decompressed: the plain .warc form must read alike.
gzip -dc "$tmp/test.warc.gz" >"$tmp/test.warc"
if node tests/warcio/check.mjs "$tmp/test.warc" --expect response=5 --expect revisit=1 \
	>"$tmp/log" 2>&1; then
	ok
else
	cat "$tmp/log"
	ko "warcio.js check of test.warc"
fi
finish
