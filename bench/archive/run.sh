#!/bin/sh
# Archiver benchmark: `jiyue archive` against wget2 and wget, mirroring a
# generated old government site from nginx on loopback (docs/bench-archive.md).
#
# usage: sh bench/archive/run.sh [PAGES]        (default: 10000)
#
# 1. bench/archive/mksite.py writes bench/out/archive-site-PAGES (kept and
#    reused while the generator version, size and seed are the same).
# 2. One nginx (bench/archive/nginx.conf.in) serves it on two loopback
#    ports: "plain", as fast as it can, and "delay", which waits DELAY
#    seconds before every response, as a distant government server does.
#    nginx runs under `timeout`: it stops by itself after NGINX_LIFETIME
#    seconds even if this script is killed.
# 3. For each server: WARMUP unmeasured rounds (plain server only), then
#    RUNS rounds of measured runs, every tool once a round, under GNU
#    time -v, each into a fresh folder that is deleted afterwards:
#      jiyue  ./jiyue archive bench-SERVER -s SRC --archive-dir OUT --date 2026-11-23 -q --no-commit -c CONC
#      wget2  wget2 --mirror --convert-links --page-requisites --max-threads=CONC --no-robots -q -P OUT URL
#      wget   wget --mirror --warc-file=OUT/x -e robots=off -q -P OUT URL   (one connection)
#    wget against the delay server is run WGET_DELAY_RUNS times (default 1):
#    one connection at 20 ms a request is about four minutes a run.
# 4. Prints a Markdown table and writes it, with the machine, the versions
#    and the load, to bench/out/archive-results.md: median wall time, median
#    time from the first response to the last (nginx's access log), largest
#    peak RSS, median CPU time of the tool, of nginx and of every other
#    process, hypervisor steal, requests nginx served, files written.
#    Every run's time report, output and counts are in bench/out/archive-log/.
#
# The outputs go to a new folder under /dev/shm (tmpfs): on this project's
# ext4 disk, creating ten thousand files right after deleting the previous
# run's ten thousand costs seconds of kernel time (ext4 skips recently
# deleted inodes when it allocates), which would time the disk, not the
# tools.  DEST_DIR=folder writes them there instead.
#
# Environment: RUNS (3), WARMUP (0), WGET_DELAY_RUNS (1), CONC (8),
# DELAY (0.02), TOOLS ("jiyue wget2 wget"), SERVERS ("plain delay"),
# SEED (1), JIYUE (./jiyue), DEST_DIR, NGINX_LIFETIME (1800).
set -eu
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
N=${1:-10000}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-0}
WGET_DELAY_RUNS=${WGET_DELAY_RUNS:-1}
CONC=${CONC:-8}
DELAY=${DELAY:-0.02}
TOOLS=${TOOLS:-jiyue wget2 wget}
SERVERS=${SERVERS:-plain delay}
SEED=${SEED:-1}
JIYUE=${JIYUE:-./jiyue}
NGINX_LIFETIME=${NGINX_LIFETIME:-1800}
DATE=2026-11-23
TIME=/usr/bin/time

die() { echo "bench-archive: $*" >&2; exit 1; }

case "$N" in ''|*[!0-9]*) die "not a page count: '$N'" ;; esac
case "$CONC" in ''|*[!0-9]*|0) die "CONC must be a positive number" ;; esac
for t in $TOOLS; do
	case "$t" in
	jiyue) [ -x "$JIYUE" ] || die "$JIYUE not found: run 'make' first" ;;
	wget|wget2) command -v "$t" >/dev/null 2>&1 || die "$t not found: run 'sh scripts/deps.sh bench-archive'" ;;
	*) die "unknown tool '$t' (jiyue, wget2, wget)" ;;
	esac
done
for s in $SERVERS; do
	case "$s" in plain|delay) ;; *) die "unknown server '$s' (plain, delay)" ;; esac
done
command -v nginx >/dev/null 2>&1 || die "nginx not found: run 'sh scripts/deps.sh bench-archive'"
$TIME -v true >/dev/null 2>&1 || die "GNU time ($TIME) not found: run 'sh scripts/deps.sh bench-archive'"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
ECHO_SO=$(dpkg -L libnginx-mod-http-echo 2>/dev/null | grep '/ngx_http_echo_module\.so$' | head -1 || true)
[ -n "$ECHO_SO" ] || ECHO_SO=/usr/lib/nginx/modules/ngx_http_echo_module.so
[ -f "$ECHO_SO" ] || die "the nginx echo module is missing: run 'sh scripts/deps.sh bench-archive'"

mkdir -p "$OUT"
LOG=$OUT/archive-log
rm -rf "$LOG"
mkdir -p "$LOG"

# ---- the site ----
SITE=$OUT/archive-site-$N
echo "bench-archive: generating $SITE" >&2
site_counts=$(python3 bench/archive/mksite.py --seed "$SEED" "$N" "$SITE") || die "mksite.py failed"
echo "bench-archive: site: $site_counts" >&2
# into the page cache: every run reads it from memory
find "$SITE" -type f -exec cat {} + > /dev/null

# ---- work folder: nginx's files, the tools' outputs, a private jiyue ----
if [ -n "${DEST_DIR:-}" ]; then
	mkdir -p "$DEST_DIR"
	WORK=$(mktemp -d "$(cd "$DEST_DIR" && pwd)/jiyue-bench-archive.XXXXXX")
else
	WORK=$(mktemp -d /dev/shm/jiyue-bench-archive.XXXXXX 2>/dev/null || mktemp -d "$OUT/archive-work.XXXXXX")
fi
chmod 755 "$WORK"
NGINX_PID=""
cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The binary is copied: a rebuild of ./jiyue during the run must not mix
# two versions (nor confuse perf).  The archiver needs no theme files.
if case " $TOOLS " in *" jiyue "*) true ;; *) false ;; esac; then
	cp "$JIYUE" "$WORK/jiyue"
	JIYUE_BIN=$WORK/jiyue
fi

# ---- nginx ----
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
DPORT=$(free_port)
while [ "$DPORT" = "$PORT" ]; do DPORT=$(free_port); done
NG=$WORK/nginx
mkdir -p "$NG"
sed -e "s#@TMP@#$NG#g" -e "s#@PORT@#$PORT#g" -e "s#@DPORT@#$DPORT#g" -e "s#@ROOT@#$SITE#g" \
	-e "s#@DELAY@#$DELAY#g" -e "s#@ECHO_SO@#$ECHO_SO#g" bench/archive/nginx.conf.in > "$NG/nginx.conf"
nginx -t -q -c "$NG/nginx.conf" -p "$NG" -e "$NG/error.log" || die "bad nginx configuration: $(cat "$NG/error.log")"
timeout "$NGINX_LIFETIME" nginx -c "$NG/nginx.conf" -p "$NG" -e "$NG/error.log" &
NGINX_PID=$!
up=""
for _ in $(seq 100); do
	if curl -s -o /dev/null "http://127.0.0.1:$PORT/" && curl -s -o /dev/null "http://127.0.0.1:$DPORT/"; then
		up=1; break
	fi
	sleep 0.1
done
[ -n "$up" ] || die "nginx did not start: $(cat "$NG/error.log")"
# the delay server really waits and serves the same bytes
python3 - "$PORT" "$DPORT" "$DELAY" <<'PY' || die "the delay server does not behave"
import sys, time, urllib.request
p, d, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
for path in ("/index.html", "/css/style.css", "/images/logo.png", "/missing.html"):
    got = []
    for port in (p, d):
        t = time.monotonic()
        try:
            r = urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, path))
            got.append((r.status, r.headers["Content-Type"], r.read(), time.monotonic() - t))
        except urllib.error.HTTPError as e:
            got.append((e.code, None, b"", time.monotonic() - t))
    (s1, c1, b1, t1), (s2, c2, b2, t2) = got
    if (s1, c1, b1) != (s2, c2, b2):
        sys.exit("%s: plain %s %s, delay %s %s" % (path, s1, c1, s2, c2))
    if t2 < delay:
        sys.exit("%s: the delay server answered in %.3f s" % (path, t2))
PY
NGINX_MASTER=$(cat "$NG/nginx.pid")
nginx_workers() { ps -o pid= --ppid "$NGINX_MASTER" 2>/dev/null | tr -d ' '; }
TICK=$(getconf CLK_TCK)
NCPU=$(nproc)
steal_ticks() { awk '$1 == "cpu" { print $9; exit }' /proc/stat; }
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
nginx_cpu() { # seconds of CPU used by the workers so far
	for w in $(nginx_workers); do cat "/proc/$w/stat" 2>/dev/null; done |
		awk -v t="$TICK" '{ s += $14 + $15 } END { printf "%.2f", s / t }'
}

# ---- the tools ----
SRC=$WORK/src
mkdir -p "$SRC/content/sites"
for s in plain delay; do
	[ "$s" = plain ] && p=$PORT || p=$DPORT
	cat > "$SRC/content/sites/bench-$s.yaml" <<YAML
name: 示例市发展和改革委员会网站
department: fgw
hosts: [127.0.0.1:$p]
limits: {pages: 1000000, depth: 1000, concurrency: $CONC, timeout: 120}
YAML
done

# "0:03.41" or "1:02:03" -> seconds
to_seconds() {
	echo "$1" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3;
			      else if (NF == 2) print $1 * 60 + $2; else print $1 }'
}
field() { # FILE LABEL -> value after ": "
	sed -n "s/^[[:space:]]*$2: //p" "$1" | head -1
}

# run TOOL SERVER LABEL: one run; appends "wall rss cpu requests ok files pages status" to LOG/TOOL-SERVER.runs
run_one() {
	tool=$1 server=$2 label=$3
	[ "$server" = plain ] && port=$PORT || port=$DPORT
	url="http://127.0.0.1:$port/"
	dest=$WORK/out
	rm -rf "$dest"
	mkdir -p "$dest"
	base=$LOG/$tool-$server-$label
	access=$NG/access-$server.log
	before=$(wc -l < "$access")
	cpu0=$(nginx_cpu)
	steal0=$(steal_ticks)
	busy0=$(busy_ticks)
	set +e
	case "$tool" in
	jiyue)
		$TIME -v -o "$base.time" "$JIYUE_BIN" archive "bench-$server" -s "$SRC" --archive-dir "$dest" \
			--date "$DATE" -q --no-commit -c "$CONC" > "$base.out" 2> "$base.err" ;;
	wget2)
		$TIME -v -o "$base.time" wget2 --mirror --convert-links --page-requisites --max-threads="$CONC" \
			--no-robots -q -P "$dest" "$url" > "$base.out" 2> "$base.err" ;;
	wget)
		$TIME -v -o "$base.time" wget --mirror --warc-file="$dest/x" -e robots=off -q -P "$dest" "$url" \
			> "$base.out" 2> "$base.err" ;;
	esac
	status=$?
	set -e
	cpu1=$(nginx_cpu)
	steal1=$(steal_ticks)
	busy1=$(busy_ticks)
	after=$(wc -l < "$access")
	# requests and 2xx answers that nginx logged during the run
	tail -n "+$((before + 1))" "$access" | head -n "$((after - before))" > "$WORK/requests"
	reqs=$(wc -l < "$WORK/requests")
	oks=$(awk '$2 ~ /^2/' "$WORK/requests" | wc -l)
	# from the first response to the last one: the time spent fetching
	span=$(awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%.2f", NR ? b - a : 0 }' "$WORK/requests")
	case "$tool" in
	jiyue)
		cj=$dest/bench-$server/capture.json
		if [ -f "$cj" ]; then
			files=$(find "$dest/bench-$server/site" -type f | wc -l)
			pages=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print("%d/%d/%d" % (c["resources"], c["pages"], c["failed"]))' "$cj")
			cp "$cj" "$base.capture.json"
			du -sk "$dest/bench-$server/site" "$dest/bench-$server/warc" > "$base.du" 2>/dev/null || true
		else
			files=0 pages=-
		fi ;;
	wget|wget2)
		files=$(find "$dest" -type f ! -name 'x.warc.gz' ! -name 'x.cdx' | wc -l)
		pages=$(find "$dest" -type f -name '*.html' | wc -l)
		du -sk "$dest" > "$base.du" 2>/dev/null || true ;;
	esac
	wall=$(to_seconds "$(field "$base.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
	rss=$(field "$base.time" 'Maximum resident set size (kbytes)')
	cpu=$(awk -v u="$(field "$base.time" 'User time (seconds)')" -v s="$(field "$base.time" 'System time (seconds)')" \
		'BEGIN { printf "%.2f", u + s }')
	ncpu=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')
	# the share of the machine's CPU time the hypervisor gave to others
	steal=$(awk -v a="$steal0" -v b="$steal1" -v t="$TICK" -v w="$wall" -v n="$NCPU" \
		'BEGIN { printf "%.0f", (w > 0 ? 100 * (b - a) / t / (w * n) : 0) }')
	# CPU time that neither the tool nor nginx used: other processes
	others=$(awk -v a="$busy0" -v b="$busy1" -v t="$TICK" -v c="$cpu" -v g="$ncpu" \
		'BEGIN { o = (b - a) / t - c - g; printf "%.1f", (o > 0 ? o : 0) }')
	rm -rf "$dest"
	echo "$wall ${rss:-0} $cpu $reqs $oks $files $pages $status $ncpu $steal $span $others" >> "$LOG/$tool-$server.runs"
	printf '  %-5s %-5s %-6s %6.2f s (fetching %6.2f s)  %6d KiB  cpu %6.2f s  %5d requests (%d 2xx)  %5d files  nginx cpu %s s  steal %s%%  others %s s  exit %d\n' \
		"$tool" "$server" "$label" "$wall" "$span" "${rss:-0}" "$cpu" "$reqs" "$oks" "$files" "$ncpu" "$steal" "$others" "$status" >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }' &&
	echo "bench-archive: warning: load average $load_before on $(nproc) CPUs: the times will be noisy" >&2
started=$(date +%s)
runs_of() { # TOOL SERVER
	if [ "$2:$1" = delay:wget ]; then echo "$WGET_DELAY_RUNS"; else echo "$RUNS"; fi
}
for server in $SERVERS; do
	if [ "$server" = plain ]; then
		i=0
		while [ "$i" -lt "$WARMUP" ]; do
			i=$((i + 1))
			for tool in $TOOLS; do run_one "$tool" "$server" "warmup$i"; done
		done
	fi
	for tool in $TOOLS; do : > "$LOG/$tool-$server.runs"; done
	# rounds: every tool once, then again, so that a change in the
	# machine's load during the run touches every tool alike
	most=$RUNS
	[ "$WGET_DELAY_RUNS" -gt "$most" ] && most=$WGET_DELAY_RUNS
	i=0
	while [ "$i" -lt "$most" ]; do
		i=$((i + 1))
		for tool in $TOOLS; do
			[ "$i" -le "$(runs_of "$tool" "$server")" ] && run_one "$tool" "$server" "run$i"
		done
	done
done
finished=$(date +%s)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
for f in "$NG"/access-*.log "$NG/error.log"; do
	[ -s "$f" ] && gzip -c "$f" > "$LOG/nginx-$(basename "$f").gz"
done

# ---- the table ----
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { # TOOL SERVER
	f=$LOG/$1-$2.runs
	[ -s "$f" ] || return 0
	n=$(wc -l < "$f")
	wall=$(cut -d' ' -f1 "$f" | median)
	walls=$(cut -d' ' -f1 "$f" | sort -n | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
	rss=$(cut -d' ' -f2 "$f" | sort -n | tail -1)
	cpu=$(cut -d' ' -f3 "$f" | median)
	ncpu=$(cut -d' ' -f9 "$f" | median)
	steal=$(cut -d' ' -f10 "$f" | median)
	span=$(cut -d' ' -f11 "$f" | median)
	others=$(cut -d' ' -f12 "$f" | median)
	# counts of the median run (they are the same in every run when all is well)
	reqs=$(cut -d' ' -f4 "$f" | sort -u | tr '\n' '/' | sed 's#/$##')
	oks=$(cut -d' ' -f5 "$f" | sort -u | tr '\n' '/' | sed 's#/$##')
	files=$(cut -d' ' -f6 "$f" | sort -u | tr '\n' '/' | sed 's#/$##')
	pages=$(cut -d' ' -f7 "$f" | sort -u | tr '\n' ' ' | sed 's/ $//')
	bad=$(awk '$8 != 0' "$f" | wc -l)
	case "$1" in
	jiyue) what="stamped copy + WARC + CDXJ + WACZ" ;;
	wget2) what="converted copy" ;;
	wget) what="copy + WARC" ;;
	esac
	note=""
	[ "$bad" -gt 0 ] && note=" **$bad run(s) failed, see bench/out/archive-log**"
	printf '| %s | %s | %s | %.2f s (%s) | %.2f s | %.1f MiB | %.2f s | %s s | %s s, %s %% | %s | %s | %s | %s |%s\n' \
		"$2" "$1" "$what" "$wall" "$walls" "$span" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$cpu" "$ncpu" \
		"$others" "$steal" "$reqs ($oks 2xx)" "$files" "$pages" "$n" "$note"
}
ratio_line() { # SERVER
	j=$LOG/jiyue-$1.runs w=$LOG/wget2-$1.runs
	[ -s "$j" ] && [ -s "$w" ] || return 0
	jw=$(cut -d' ' -f1 "$j" | median)
	ww=$(cut -d' ' -f1 "$w" | median)
	jr=$(cut -d' ' -f2 "$j" | sort -n | tail -1)
	jc=$(cut -d' ' -f3 "$j" | median)
	wc=$(cut -d' ' -f3 "$w" | median)
	awk -v s="$1" -v j="$jw" -v w="$ww" -v r="$jr" -v jc="$jc" -v wc="$wc" 'BEGIN {
		printf "- %s server: jiyue takes %.2fx the wall time of wget2 (target: at most 1x: %s) and %.1fx its CPU time; peak %.1f MiB (target: under 100 MiB: %s)\n",
			s, j / w, j <= w ? "met" : "not met", jc / wc, r / 1024, r < 102400 ? "met" : "not met" }'
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
jiyue_version=""
[ -n "${JIYUE_BIN:-}" ] && jiyue_version=$("$JIYUE_BIN" --version 2>/dev/null | head -1 || true)
jiyue_commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
wget2_version=$(wget2 --version 2>/dev/null | head -1 || true)
wget_version=$(wget --version 2>/dev/null | head -1 || true)
nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')
{
	echo "## Archiver benchmark: $N pages, concurrency $CONC"
	echo
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); the whole run took $((finished - started)) s"
	echo "- Machine: $(nproc) CPUs, $cpu_model, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
	echo "- Load average (1, 5, 15 min): $load_before before, $load_after after"
	awk -v a="$load_before" -v n="$(nproc)" 'BEGIN { split(a, x, " ");
		if (x[1] > n) printf "- **Warning: the load average was above the %d CPUs: other processes competed for the CPU, and the times are slower and noisier than on an idle machine.**\n", n }'
	echo "- Versions: ${jiyue_version:-jiyue} (git $jiyue_commit), $wget2_version, $wget_version, nginx $nginx_version"
	echo "- Site: $site_counts, served by nginx from the page cache; \"delay\" adds $DELAY s to every response"
	echo "- Outputs written to $(df -P "$WORK" | awk 'NR == 2 { print $1 }') ($(stat -f -c %T "$WORK")), deleted after each run"
	echo
	echo "| Server | Tool | Writes | Wall, median (all runs) | Fetching | Peak RSS (max) | CPU user+sys | nginx CPU | Others, steal | Requests | Files | Pages | Runs |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for server in $SERVERS; do
		for tool in $TOOLS; do row "$tool" "$server"; done
	done
	echo
	echo "Pages: for jiyue, resources/pages/failed from capture.json (\"/\" and \"/index.html\" are two pages);"
	echo "for wget2 and wget, the .html files written. Requests: what nginx logged during the run."
	echo "Fetching: from the first response nginx logged to the last one. Fetching, CPU, nginx CPU"
	echo "and Others are medians. Others: CPU time used during the run by processes other than the"
	echo "tool and nginx; steal: the share of the machine's CPU time the hypervisor gave to other"
	echo "guests. Both are 0 on a quiet, dedicated machine."
	echo
	for server in $SERVERS; do ratio_line "$server"; done
} > "$OUT/archive-results.md"
cat "$OUT/archive-results.md"
