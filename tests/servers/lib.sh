# Helpers for tests that need servers on loopback.  Source it, then:
#   start_nginx ROOT        -> sets NGINX_PORT; stop_servers stops everything
#   start_faulty            -> sets FAULTY_PORT
# Servers listen on 127.0.0.1 only and stop by themselves after 10 minutes.
SERVERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVER_TMP=${SERVER_TMP:-$(mktemp -d)}
SERVER_PIDS=""

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_nginx() { # ROOT
	local root=$1 conf
	NGINX_PORT=$(free_port)
	mkdir -p "$SERVER_TMP/nginx"
	conf="$SERVER_TMP/nginx/nginx.conf"
	sed -e "s#@TMP@#$SERVER_TMP/nginx#g" -e "s#@PORT@#$NGINX_PORT#g" -e "s#@ROOT@#$root#g" \
		"$SERVERS_DIR/nginx-oldsite.conf.in" > "$conf"
	nginx -t -q -c "$conf" -p "$SERVER_TMP/nginx" -e "$SERVER_TMP/nginx/error.log" || return 1
	nginx -c "$conf" -p "$SERVER_TMP/nginx" -e "$SERVER_TMP/nginx/error.log" || return 1
	for _ in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return 0
		sleep 0.1
	done
	return 1
}

start_faulty() {
	FAULTY_PORT=$(free_port)
	python3 "$SERVERS_DIR/faulty.py" "$FAULTY_PORT" > "$SERVER_TMP/faulty.out" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
	for _ in $(seq 50); do
		grep -q ready "$SERVER_TMP/faulty.out" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

stop_servers() {
	[ -f "$SERVER_TMP/nginx/nginx.pid" ] && kill "$(cat "$SERVER_TMP/nginx/nginx.pid")" 2>/dev/null
	for p in $SERVER_PIDS; do kill "$p" 2>/dev/null; done
	SERVER_PIDS=""
}
