#!/usr/bin/env bash
# The demo portal in headless Chromium (see check.mjs for the checks).
#
# usage: tests/browser/run.sh [BUILD_DIR]      (default build/release)
#
# Builds the demo as `make run` does (scripts/demo.sh: the old site in
# demo/oldsites/ archived through nginx, the portal, the audit) into a
# temporary folder with --date 2026-11-23, serves it with nginx on a free
# loopback port and runs check.mjs with playwright-core and axe-core (npm,
# versions pinned in package-lock.json, installed on first use) against
# Debian's /usr/bin/chromium (or $CHROMIUM).  Screenshots go to
# BUILD_DIR/browser/.  Without Chromium or node it says
# "browser: skipped (why)"; otherwise it ends with
# "browser: N passed, M failed".
O=${1:-build/release}
cd "$(dirname "$0")/../.." || exit 2
top=$(pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
fail() { echo "FAIL $*"; echo "browser: 0 passed, 1 failed"; exit 1; }

if [ ! -x "$chromium" ]; then
	echo "browser: skipped (no Chromium at $chromium; scripts/deps.sh test installs Debian's chromium)"
	exit 0
fi
if ! command -v node >/dev/null 2>&1; then
	echo "browser: skipped (node is not installed; scripts/deps.sh test installs it)"
	exit 0
fi
command -v nginx >/dev/null 2>&1 || fail "nginx is missing (scripts/deps.sh test installs nginx-light)"
command -v python3 >/dev/null 2>&1 || fail "python3 is missing (scripts/deps.sh test installs it)"
if [ ! -f tests/browser/node_modules/playwright-core/package.json ] ||
   [ ! -f tests/browser/node_modules/axe-core/package.json ]; then
	(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
		fail "npm ci in tests/browser (playwright-core, axe-core)"
fi

work=$(mktemp -d)
chmod 755 "$work"   # nginx's workers run as another user when we are root
trap 'scripts/serve.sh --stop "$work/nginx"; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
out="$O/browser"
rm -rf "$out" && mkdir -p "$out" || fail "unable to create '$out'"
out=$(cd "$out" && pwd)
echo "browser: screenshots in $out"

# The theme beside the binary is looked for first; build/asan has none.
export JIYUE_THEME_PATH="$top/themes"
bash scripts/demo.sh -s "$top" -d "$work/public" --archive-dir "$work/archive" \
	--date 2026-11-23 --jiyue "$O/jiyue" >"$work/demo.log" 2>&1 ||
	{ cat "$work/demo.log"; fail "the demo did not build"; }
grep -i 'warning' "$work/demo.log"

# The build writes the old hosts' redirect maps beside the output folder.
# They join the portal's nginx, on its port and with its root (the files name
# the production ones from site.yaml deploy:), so that a
# request with an old Host header reaches them.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
redirects=()
if [ -d "$work/redirects/nginx" ]; then
	mkdir -p "$work/nginx/conf.d"
	for f in "$work"/redirects/nginx/*.conf; do
		sed -E -e "s/^([[:space:]]*)listen[[:space:]][^;]*;/\1listen 127.0.0.1:$port;/" \
			-e "s#^([[:space:]]*)root[[:space:]][^;]*;#\1root $work/public;#" \
			"$f" > "$work/nginx/conf.d/$(basename "$f")"
	done
	redirects=(--redirects "http://127.0.0.1:$port/")
fi
url=$(PORT=$port scripts/serve.sh --start "$work/nginx" "$work/public") ||
	{ cat "$work/nginx/error.log" 2>/dev/null; fail "nginx did not serve the demo"; }

node tests/browser/check.mjs --base "$url" --public "$work/public" --out "$out" "${redirects[@]}"
