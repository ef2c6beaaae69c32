#!/usr/bin/env bash
# The old hosts' server configs against real servers on loopback: build the
# fixture portal tests/fixtures/sites/redirects (an old site with a mappings
# CSV, a capture and a closure notice; a whole-site redirect; a whole-site
# archive; a site whose `/` goes to its record's target), check the
# generated configs with `nginx -t` (and `apache2 -t` when Apache is
# installed), start the server with deploy.root and deploy.listen pointing
# here, and request old URLs with the old Host headers: status codes,
# Location headers and page contents for every mapping type, the notice
# switch by --date, canonicalisation, the branded 404 and both whole-site
# modes.  Ends with "redirects: N passed, M failed".
#
# usage: tests/redirects/run.sh JIYUE
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
JIYUE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export JIYUE_THEME_PATH="$top/themes"
unset SOURCE_DATE_EPOCH
pass=0 fail=0
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work folder: $work"
chmod 755 "$work"   # the servers' workers run as another user
export SERVER_TMP="$work/servers"
mkdir -p "$SERVER_TMP"
# shellcheck source=../servers/lib.sh
. "$top/tests/servers/lib.sh"
APACHE_PID=""
trap 'stop_servers; [ -n "$APACHE_PID" ] && kill "$APACHE_PID" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v nginx >/dev/null; then
	echo "redirects: nginx is missing (scripts/deps.sh test installs nginx-light)"
	echo "redirects: 0 passed, 1 failed"; exit 1
fi

PORT=$(free_port)
src="$work/src" www="$work/www"
cp -R "$top/tests/fixtures/sites/redirects" "$src"
# the same files serve production and this test: only deploy: differs
sed -i -e "s#root: /srv/jiyue/public#root: $www/public#" -e "s#listen: 80#listen: 127.0.0.1:$PORT#" "$src/site.yaml"

build() { # DATE
	if "$JIYUE" build -s "$src" -d "$www/public" --date "$1" --no-history -q > "$work/build.out" 2>&1; then
		chmod -R a+rX "$www"; ok
	else
		no "build --date $1: $(head -5 "$work/build.out")"
	fi
}

# fetch HOST PATH: sets CODE, LOC (the Location header) and BODY (a file)
BODY="$work/body.html"
fetch() {
	local out
	out=$(curl -s --path-as-is -o "$BODY" -D "$work/headers" -w '%{http_code}' -H "Host: $1" "http://127.0.0.1:$PORT$2")
	CODE=$out
	LOC=$(sed -n 's/^[Ll]ocation: *//p' "$work/headers" | tr -d '\r')
}

# expect HOST PATH CODE [LOCATION]
expect() {
	fetch "$1" "$2"
	if [ "$CODE" = "$3" ] && { [ $# -lt 4 ] || [ "$LOC" = "$4" ]; }; then ok; else
		no "$SERVER $1$2: expected $3 ${4:-}, got $CODE $LOC"
	fi
}

# has TEXT...: the last body contains every TEXT
has() {
	local t
	for t in "$@"; do
		if grep -qF -- "$t" "$BODY"; then ok; else no "$SERVER $LAST: expected the page to contain '$t'"; fi
	done
}

page() { # HOST PATH CODE: fetch and check the status, for has
	LAST="$1$2"
	expect "$1" "$2" "$3"
}

P=https://www.test.gov.cn
J=jiaju.test.gov.cn
A="$P/archive/jiaju/jiaju.test.gov.cn"

checks_common() {
	# redirect mappings, with the canonical form: host case, parameter order, name case, extra parameters
	expect $J /news/1.html 301 "$P/dept-a/news/item-1/"
	expect WWW.JIAJU.TEST.GOV.CN /news/1.html 301 "$P/dept-a/news/item-1/"
	expect $J '/show.asp?id=12&from=home' 301 "$P/dept-a/news/item-2/"
	expect $J '/show.asp?from=x&ID=12' 301 "$P/dept-a/news/item-2/"
	expect www.jiaju.test.gov.cn '/show.asp?id=13' 301 "$P/dept-a/news/item-3/"
	expect $J '/show.asp?id=99' 404
	# percent-encoding: either case of hex, unreserved characters encoded or not
	expect $J /news/%E9%80%9A%E7%9F%A5.html 301 "$P/dept-a/news/item-4/"
	expect $J /news/%e9%80%9a%e7%9f%a5.html 301 "$P/dept-a/news/item-4/"
	expect $J /news/~user.html 301 "$P/dept-a/news/item-5/#part"
	expect $J /news/%7Euser.html 301 "$P/dept-a/news/item-5/#part"
	# quoted CSV fields; paths that would be config syntax if not escaped
	expect $J '/files/a,b%20%22quoted%22.pdf' 301 "$P/dept-a/guide/form.pdf"
	expect $J '/a%20b;%7Bx%7D$y%22q.html' 301 "$P/dept-a/news/item-6/"
	expect $J '/evil%0A%7D%20server%20%7B.html' 301 "$P/dept-a/news/item-1/"
	expect $J /dollar.html 301 "https://partner.example.org/a%24b;c"
	# duplicates: the redirect wins over ARCHIVE, the first redirect over the second
	expect $J /news/dup.html 301 "$P/dept-a/news/item-5/"
	# external targets: .gov.cn, and the allowlist
	expect $J /ext.html 301 "https://www.gov.cn/zhengce/"
	expect $J /ext2.html 301 "https://partner.example.org/x?a=1&b=2"
	# an old URL given as a page's alias
	expect $J /art/2019/1/1/art_1_1.html 301 "$P/dept-a/news/item-7/"
	# paths compare ignoring case, except where two mappings differ only in case
	expect $J /NEWS/1.HTML 301 "$P/dept-a/news/item-1/"
	expect $J /Report.PDF 301 "$P/dept-a/news/item-1/"
	expect $J /report.pdf 301 "$P/dept-a/news/item-2/"
	expect $J /REPORT.pdf 404

	# archive: 410 已归档 with the archived copy and the suggested page
	page $J /old/report.html 410
	has 已归档 "$A/old/report.html" "href=\"$P/dept-a/\"" "原网址：http://jiaju.test.gov.cn/old/report.html"
	page $J /old/report2.html 410
	has 已归档 "href=\"$P/dept-a/news/\"" "$P/archive/jiaju/"
	# archived by the capture only, and through the old site's own redirect
	page $J /old/archived-only.html 410
	has "$A/old/archived-only.html"
	page $J /old/moved.html 410
	has "$A/old/archived-only.html"
	# unresolved: served as archive
	page $J /old/pending.html 410
	has 已归档 正在整理迁移 "$P/archive/jiaju/"
	# unmapped: the branded 404, pointing at the portal and the archive index
	page $J /no/such/page.html 404
	has 您访问的页面不存在 测试市甲局网站 "href=\"$P/\"" "href=\"$P/archive/\"" "$P/static/css/site.css"

	# whole-site redirect, with the path and query
	expect yiju.test.gov.cn '/x/y.html?q=1' 301 "https://new.yiju.test.gov.cn/x/y.html?q=1"
	expect yiju.test.gov.cn / 301 "https://new.yiju.test.gov.cn/"
	# whole-site archive: everything 410, with its own copy where there is one
	page bingju.test.gov.cn /old/a.html 410
	has 已归档 "$P/archive/bingju/bingju.test.gov.cn/old/a.html"
	page bingju.test.gov.cn /other.html 410
	has 已归档 "$P/archive/bingju/"
	expect bingju.test.gov.cn / 410
	# two significant parameters, sorted; `/` goes to the record's target
	expect dingju.test.gov.cn '/index.asp?page=2&x=1&id=9' 301 "$P/dept-b/"
	expect dingju.test.gov.cn '/index.asp?id=9' 404
	expect dingju.test.gov.cn / 301 "$P/dept-b/"
}

checks_notice_running() {
	page $J / 200
	has 关于测试市甲局网站关停的公告 "$P/dept-a/"
	page www.jiaju.test.gov.cn '/?from=search' 200
	has 关于测试市甲局网站关停的公告
}

checks_notice_over() {
	expect $J / 301 "$P/dept-a/"
	expect www.jiaju.test.gov.cn '/?from=search' 301 "$P/dept-a/"
}

# ---- nginx ----
SERVER=nginx
mkdir -p "$SERVER_TMP/ngx"
cat > "$SERVER_TMP/ngx/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $SERVER_TMP/ngx/nginx.pid;
error_log $SERVER_TMP/ngx/error.log warn;
events { worker_connections 64; }
http {
	access_log $SERVER_TMP/ngx/access.log;
	client_body_temp_path $SERVER_TMP/ngx/body;
	proxy_temp_path $SERVER_TMP/ngx/proxy;
	fastcgi_temp_path $SERVER_TMP/ngx/fastcgi;
	uwsgi_temp_path $SERVER_TMP/ngx/uwsgi;
	scgi_temp_path $SERVER_TMP/ngx/scgi;
	include $www/redirects/nginx/*.conf;
}
EOF
ngx() { nginx -c "$SERVER_TMP/ngx/nginx.conf" -p "$SERVER_TMP/ngx" -e "$SERVER_TMP/ngx/error.log" "$@"; }

ngx_stop() {
	ngx -s stop
	for _ in $(seq 50); do [ -f "$SERVER_TMP/ngx/nginx.pid" ] || return 0; sleep 0.1; done
}
ngx_restart() {
	ngx_stop
	ngx 2> "$work/ngx-start" || no "nginx did not start again: $(cat "$work/ngx-start")"
}

# wait until `/` on the old host answers CODE (after a start or a restart)
wait_home() {
	for _ in $(seq 50); do
		fetch $J /
		[ "$CODE" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

build 2026-11-23
if ngx -t -q 2> "$work/ngx-t"; then ok; else no "nginx -t: $(cat "$work/ngx-t")"; fi
ngx 2> "$work/ngx-start" || { no "nginx did not start: $(cat "$work/ngx-start")"; echo "redirects: $pass passed, $fail failed"; exit 1; }
echo "$SERVER_TMP/ngx/nginx.pid" > /dev/null
wait_home 200 || no "nginx: / never answered 200"
checks_common
checks_notice_running
# the day after the notice ends: `/` becomes a 301 to the notice's first destination
build 2026-12-20
ngx -t -q 2> "$work/ngx-t" && ok || no "nginx -t after the notice: $(cat "$work/ngx-t")"
# a restart, not a reload: an old worker could still answer the first requests
ngx_restart
wait_home 301 || no "nginx: / never became a 301 after the restart"
checks_notice_over
checks_common
ngx_stop

# the generated files are deterministic
cp -R "$www/redirects" "$work/redirects-1"
build 2026-12-20
if diff -r "$work/redirects-1" "$www/redirects" > /dev/null; then ok; else no "a second build wrote different configs"; fi

# ---- 10,000 mappings: nginx must still accept the maps (their hash sizes) ----
python3 - "$src/content/sites/jiaju.mappings.csv" <<'PY'
import sys
rows = ["old url,new url"]
for i in range(10000):
    new = "/dept-a/news/item-%d/" % (i % 6 + 1) if i % 3 else ("ARCHIVE" if i % 2 else "")
    old = "/cms/show.asp?id=%d&from=list" % i if i % 5 else \
          "/news/2019/%04d/a-very-long-article-name-number-%d-about-something-important.html" % (i, i)
    rows.append(old + "," + new)
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
build 2026-12-20
if ngx -t -q 2> "$work/ngx-t"; then ok; else no "nginx -t with 10,000 mappings: $(cat "$work/ngx-t")"; fi
ngx 2> "$work/ngx-start" || no "nginx did not start with 10,000 mappings: $(cat "$work/ngx-start")"
wait_home 301 || no "nginx with 10,000 mappings: / never answered"
expect $J '/cms/show.asp?id=9998&from=x' 301 "$P/dept-a/news/item-3/"
page $J '/cms/show.asp?id=9993' 410
has 已归档
expect $J /news/2019/9995/a-very-long-article-name-number-9995-about-something-important.html 301 "$P/dept-a/news/item-6/"
ngx_stop
cp "$top/tests/fixtures/sites/redirects/content/sites/jiaju.mappings.csv" "$src/content/sites/"
build 2026-12-20

# ---- Apache (when installed: Debian's apache2-bin) ----
SERVER=apache
APACHE=$(command -v apache2 || command -v httpd || true)
mods=/usr/lib/apache2/modules
if [ -z "$APACHE" ] || [ ! -d "$mods" ]; then
	# no Apache: the generated text must still be what mod_rewrite needs
	conf="$www/redirects/apache/$J.conf"
	for t in "<VirtualHost 127.0.0.1:$PORT>" "ServerName $J" "DocumentRoot \"$www/public\"" \
		 "RewriteMap" "txt:$www/redirects/apache/$J.map" "ErrorDocument 410 /gone/jiaju/%{reqenv:JIYUE_GONE}" \
		 "ErrorDocument 404 /gone/jiaju/404.html"; do
		grep -qF -- "$t" "$conf" && ok || no "apache conf lacks '$t'"
	done
	grep -qF '/evil%0a%7d%20server%20%7b.html?id= R:' "$www/redirects/apache/$J.map" && ok || no "apache map: escaped key"
else
	mkdir -p "$SERVER_TMP/apache/logs"
	cat > "$SERVER_TMP/apache/httpd.conf" <<EOF
ServerRoot $SERVER_TMP/apache
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule rewrite_module $mods/mod_rewrite.so
LoadModule mime_module $mods/mod_mime.so
PidFile $SERVER_TMP/apache/httpd.pid
ErrorLog $SERVER_TMP/apache/logs/error.log
Listen 127.0.0.1:$PORT
User www-data
Group www-data
ServerName localhost
TypesConfig /dev/null
AddType text/html .html
AddType application/pdf .pdf
IncludeOptional $www/redirects/apache/*.conf
EOF
	ap() { "$APACHE" -f "$SERVER_TMP/apache/httpd.conf" "$@"; }
	if ap -t 2> "$work/ap-t"; then ok; else no "apache2 -t: $(cat "$work/ap-t")"; fi
	# nginx may still hold the port for a moment
	for _ in $(seq 50); do ap -k start 2> "$work/ap-start" && break; sleep 0.2; done
	wait_home 301 || no "apache: / never answered: $(tail -3 "$SERVER_TMP/apache/logs/error.log")"
	APACHE_PID=$(cat "$SERVER_TMP/apache/httpd.pid" 2>/dev/null)
	checks_notice_over
	checks_common
	build 2026-11-23
	ap -k stop
	for _ in $(seq 50); do [ -f "$SERVER_TMP/apache/httpd.pid" ] || break; sleep 0.1; done
	for _ in $(seq 50); do ap -k start 2> "$work/ap-start" && break; sleep 0.2; done
	wait_home 200 || no "apache: / never became the notice after the restart"
	checks_notice_running
	ap -k stop
	APACHE_PID=""
fi

echo "redirects: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
