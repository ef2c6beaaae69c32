#!/usr/bin/env bash
# Serve a built portal (or any folder of static files) with nginx on loopback.
#
# usage: scripts/serve.sh [ROOT]               foreground; Ctrl-C stops it
#        scripts/serve.sh --start STATE ROOT   in the background; prints the URL
#        scripts/serve.sh --stop STATE
#
# ROOT defaults to public/.  PORT picks the port (default: the first free
# one from 8000); BIND the address (default 127.0.0.1); CHARSET the charset
# declared for text (default utf-8; off for an old site's GBK pages).
# nginx's configuration, pid, logs and temporary files go to STATE (default
# build/serve/), made from scripts/nginx-portal.conf.in.  Unknown paths get
# ROOT/404.html.
set -u
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "serve: $*" >&2; exit 1; }

port_is_free() { # PORT
	# nothing answers on it (bash's /dev/tcp: no python needed)
	! (exec 3<>"/dev/tcp/${BIND}/$1") 2>/dev/null
}

pick_port() {
	local p
	if [ -n "${PORT:-}" ]; then
		case "$PORT" in *[!0-9]*|'') die "PORT must be a number, not '$PORT'" ;; esac
		port_is_free "$PORT" || die "port $PORT is in use; choose another with PORT=..."
		echo "$PORT"; return
	fi
	for p in $(seq 8000 8099); do
		port_is_free "$p" && { echo "$p"; return; }
	done
	die "no free port between 8000 and 8099; choose one with PORT=..."
}

write_conf() { # STATE ROOT PORT
	mkdir -p "$1" || die "unable to create '$1'"
	sed -e "s#@TMP@#$1#g" -e "s#@LISTEN@#$BIND:$3#g" -e "s#@ROOT@#$2#g" \
		-e "s#@CHARSET@#$CHARSET#g" \
		"$here/nginx-portal.conf.in" > "$1/nginx.conf" || die "unable to write '$1/nginx.conf'"
	nginx -t -q -c "$1/nginx.conf" -p "$1" -e "$1/error.log" ||
		die "nginx refused the configuration '$1/nginx.conf'"
}

abs_dir() { # DIR: its absolute path, or fail
	[ -d "$1" ] || return 1
	(cd "$1" && pwd)
}

BIND=${BIND:-127.0.0.1}
CHARSET=${CHARSET:-utf-8}
case "$CHARSET" in *[!A-Za-z0-9_-]*) die "CHARSET must be a charset name or off, not '$CHARSET'" ;; esac
command -v nginx >/dev/null 2>&1 ||
	die "nginx is not installed (Debian: apt-get install nginx-light; scripts/deps.sh serve)"

case "${1:-}" in
--stop)
	[ $# -eq 2 ] || die "usage: scripts/serve.sh --stop STATE"
	[ -f "$2/nginx.pid" ] && kill "$(cat "$2/nginx.pid")" 2>/dev/null
	exit 0
	;;
--start)
	[ $# -eq 3 ] || die "usage: scripts/serve.sh --start STATE ROOT"
	state=$(mkdir -p "$2" && abs_dir "$2") || die "unable to create '$2'"
	root=$(abs_dir "$3") || die "no folder '$3' to serve"
	port=$(pick_port) || exit 1
	write_conf "$state" "$root" "$port"
	nginx -c "$state/nginx.conf" -p "$state" -e "$state/error.log" ||
		die "nginx did not start: see '$state/error.log'"
	for _ in $(seq 100); do
		port_is_free "$port" || { echo "http://$BIND:$port/"; exit 0; }
		sleep 0.1
	done
	die "nginx does not answer on $BIND:$port: see '$state/error.log'"
	;;
-h|--help)
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
-*)
	die "unknown option '$1'"
	;;
esac

root=${1:-public}
[ -f "$root/index.html" ] || die "'$root' holds no built portal: run 'make run' first"
root=$(abs_dir "$root")
state=$(mkdir -p build/serve && abs_dir build/serve) || die "unable to create 'build/serve'"
port=$(pick_port) || exit 1
write_conf "$state" "$root" "$port"
echo "serving $root"
echo "  http://$BIND:$port/"
echo "Ctrl-C stops it (logs in $state/)"
exec nginx -c "$state/nginx.conf" -p "$state" -e "$state/error.log" -g 'daemon off;'
