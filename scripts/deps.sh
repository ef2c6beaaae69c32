#!/bin/sh
# Install the Debian packages jiyue needs, if any is missing.
# As root: runs apt-get (apt-get update first when the package lists are
# empty).  Otherwise: prints the exact command to run and fails.
#
# usage: scripts/deps.sh [build|test|bench|bench-archive|browser|demo|serve] ...
set -eu

build="make gcc pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libgit2-dev
       libcurl4-openssl-dev libxml2-dev libyaml-dev libjansson-dev libzip-dev
       zlib1g-dev libdeflate-dev libssl-dev"
test="libcmocka-dev python3 nginx-light apache2-bin curl chromium fonts-noto-cjk"
bench="hugo hyperfine time python3"
bench_archive="nginx-light libnginx-mod-http-echo wget wget2 time python3"
browser="chromium fonts-noto-cjk nginx-light"
serve="nginx-light"

want=""
[ $# -eq 0 ] && set -- build
for set in "$@"; do
	case "$set" in
	build) want="$want $build" ;;
	test) want="$want $build $test"; NEED_NODE=1 ;;
	bench) want="$want $build $bench" ;;
	bench-archive) want="$want $build $bench_archive" ;;
	browser) want="$want $browser" ;;
	demo|serve) want="$want $serve" ;;
	*) echo "deps.sh: unknown package set '$set'" >&2; exit 2 ;;
	esac
done

missing=""
# node and npm may come from Debian or from elsewhere: look for the commands
if [ "${NEED_NODE:-}" = 1 ]; then
	command -v node >/dev/null 2>&1 || want="$want nodejs"
	command -v npm >/dev/null 2>&1 || want="$want npm"
fi
for p in $want; do
	if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q '^installed$'; then
		case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "jiyue needs these Debian packages:$missing" >&2
	echo "install them with:  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get update -q
fi
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing ||
	{ DEBIAN_FRONTEND=noninteractive apt-get update -q &&
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; }
