#!/usr/bin/env bash
# End-to-end tests of `jiyue archive` against real servers on loopback:
# nginx serving the fixture old site (GBK, frames, ?id= pages, Chinese file
# names, attachments, CSS url(), a calendar trap, a redirect loop, a 404, an
# oversized file) and tests/servers/faulty.py (resets, timeouts, slow bodies,
# 500s, an endless query calendar).  expected.txt is the table of what a
# capture must record.  Ends with "archive: N passed, M failed".
#
# usage: tests/archive/run.sh JIYUE
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
JIYUE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pass=0 fail=0
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers run as another user
export SERVER_TMP="$work/servers"
mkdir -p "$SERVER_TMP"
# shellcheck source=../servers/lib.sh
. "$top/tests/servers/lib.sh"
trap 'stop_servers; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@" >/dev/null 2>&1; then ok; else no "$what"; fi
}

if ! command -v nginx >/dev/null; then
	echo "archive: nginx is missing (scripts/deps.sh test installs nginx-light)"
	echo "archive: 0 passed, 1 failed"; exit 1
fi

site="$work/oldsite"
cp -R "$top/tests/fixtures/oldsites/fgw" "$site"
head -c 3000000 /dev/zero > "$site/big.bin"     # over the 2 MB cap below
start_nginx "$site" || { echo "archive: nginx did not start"; cat "$SERVER_TMP/nginx/error.log"; exit 1; }
start_faulty || { echo "archive: faulty.py did not start"; exit 1; }
N="127.0.0.1:$NGINX_PORT" F="127.0.0.1:$FAULTY_PORT"

src="$work/portal"
mkdir -p "$src/content/sites"
cat > "$src/content/sites/fgw.yaml" <<YAML
name: 示例市发展和改革委员会网站
department: fgw
hosts: [$N, www.fgw.example.gov.cn]
query_params: [id]
limits: {size: 2MB, timeout: 4, concurrency: 4}
YAML
cat > "$src/content/sites/faulty.yaml" <<YAML
name: 故障站
hosts: [$F]
query_params: [m]
limits: {timeout: 2, concurrency: 2, depth: 1000}
YAML

export GIT_AUTHOR_NAME=tester GIT_AUTHOR_EMAIL=t@example.gov.cn GIT_COMMITTER_NAME=tester GIT_COMMITTER_EMAIL=t@example.gov.cn
"$JIYUE" archive fgw -s "$src" --date 2026-11-23 -q > "$work/out1" 2> "$work/err1"
status=$?
check "archive exits 0 (got $status: $(head -3 "$work/err1"))" test "$status" = 0
"$JIYUE" archive faulty -s "$src" --date 2026-11-23 -q > "$work/outf" 2> "$work/errf"
status=$?
check "archive of the faulty server exits 0 (got $status: $(head -3 "$work/errf"))" test "$status" = 0
A="$src/archive/fgw"
check "capture.json written" test -f "$A/capture.json"
check "manifest written" test -f "$A/manifest.jsonl"
check "browsable copy written" test -d "$A/site"
check "no capture left in progress" test ! -e "$A/.capture"

# ---- the table: every URL recorded once with its status ----
while read -r server path want file; do
	case "$server" in ''|'#'*) continue ;; esac
	host=$N man="$A/manifest.jsonl"
	[ "$server" = faulty ] && host=$F man="$src/archive/faulty/manifest.jsonl"
	url="http://$host$path"
	got=$(python3 - "$man" "$url" <<'PY'
import json, sys
n, st = 0, None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["canonical"] == sys.argv[2]:
        n += 1; st = r["status"]
print(n, st)
PY
)
	[ "$got" = "1 $want" ] && ok || no "manifest for $url: expected once with status $want, got '$got'"
	if [ "$file" != - ]; then
		check "local file for $url: site/${host/:/+}/$file" test -f "$A/site/${host/:/+}/$file"
	fi
done < "$here/expected.txt"

# ---- every archived page stamped, active content gone, links resolve ----
python3 - "$A/site" "$src/archive/faulty/site" > "$work/pages.txt" <<'PY'
import os, re, sys, urllib.parse
bad = []
for root, d, _, files in ((r, *w) for r in sys.argv[1:] for w in os.walk(r)):
    for f in files:
        if not f.endswith(".html"): continue
        p = os.path.join(d, f)
        t = open(p, encoding="utf-8", errors="strict").read()
        if "<frameset" in t.lower():   # frames show their own stamps; a banner would hide them
            if 'name="archived-date" content="2026-11-23"' not in t: bad.append("frameset without the archived-date meta " + p)
        elif "已归档" not in t or "2026年11月23日" not in t: bad.append("unstamped " + p)
        if re.search(r"<script", t, re.I): bad.append("script in " + p)
        if re.search(r"\son[a-z]+\s*=", t, re.I): bad.append("event handler in " + p)
        if "javascript:" in t.lower(): bad.append("javascript: URL in " + p)
        for m in re.finditer(r'(?:href|src)\s*=\s*"([^"#?]+)', t):
            u = m.group(1)
            if re.match(r"^[a-z]+:", u) or u.startswith("/"): continue
            target = os.path.normpath(os.path.join(d, urllib.parse.unquote(u)))
            if not target.startswith(os.path.abspath(root)): bad.append("link leaves the copy: %s in %s" % (u, p))
            elif not os.path.exists(target): bad.append("dangling link %s in %s" % (u, p))
if bad: print("\n".join(bad))
PY
check "every page stamped, no scripts, no handlers, every local link resolves: $(head -5 "$work/pages.txt")" test ! -s "$work/pages.txt"

# ---- GBK text reads correctly in UTF-8; the meta charset says so ----
idx="$A/site/${N/:/+}/index.html"
check "GBK page converted to UTF-8" grep -q '示例市发展和改革委员会' "$idx"
check "meta charset updated" grep -qi 'charset=utf-8\|charset="utf-8"' "$idx"
check "junk after </html> kept" grep -q '尾部' "$idx"
check "stamp banner with the date" grep -q '已归档' "$idx"
check "off-site link stays absolute" grep -q 'href="http://www.gov.cn/"' "$idx"

# ---- scripts intact in the WARC ----
warc=$(ls "$A"/warc/*.warc.gz | head -1)
check "WARC written" test -s "$warc"
python3 - "$warc" > "$work/warc-scan.txt" <<'PY'
import gzip, sys, zlib
# every gzip member is one record; HTML bodies may be gzip-encoded by nginx
data = gzip.open(sys.argv[1]).read()
for rec in data.split(b"WARC/1.1\r\n"):
    if b"WARC-Type: response" not in rec: continue
    head, _, http = rec.partition(b"\r\n\r\n")
    hh, _, body = http.partition(b"\r\n\r\n")
    if b"Content-Encoding: gzip" in hh:
        try: body = zlib.decompressobj(31).decompress(body)
        except Exception: pass
    if b"document.write(s)" in body and b"onload" in body: print("script kept")
PY
check "scripts intact in the WARC" grep -q 'script kept' "$work/warc-scan.txt"
python3 - "$warc" "$A/manifest.jsonl" > "$work/warc-count.txt" <<'PY'
import gzip, json, sys
# one response (or revisit) record per resource fetched, none twice
uris = []
for rec in gzip.open(sys.argv[1]).read().split(b"WARC/1.1\r\n"):
    head = rec.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    fields = dict(l.split(": ", 1) for l in head.split("\r\n") if ": " in l)
    if fields.get("WARC-Type") in ("response", "revisit"):
        uris.append(fields["WARC-Target-URI"])
fetched = [r["canonical"] for r in map(json.loads, open(sys.argv[2])) if r["status"] and not r["error"]]
if len(uris) != len(set(uris)): print("duplicate records")
if sorted(uris) != sorted(fetched): print("records %d, fetched %d: %s" % (len(uris), len(fetched), sorted(set(uris) ^ set(fetched))[:3]))
PY
check "one WARC response per fetched resource: $(cat "$work/warc-count.txt")" test ! -s "$work/warc-count.txt"
check "CDXJ written" test -s "${warc%.warc.gz}.cdxj"
check "WACZ written" test -s "${warc%.warc.gz}.wacz"

# ---- nothing outside the archive folder ----
find "$work" -newer "$src/content/sites/faulty.yaml" -type f ! -path "$src/archive/*" ! -path "$SERVER_TMP/*" \
	! -path "$work/out*" ! -path "$work/err*" ! -path "$work/*.txt" > "$work/outside.list"
check "no file outside the capture: $(head -3 "$work/outside.list")" test ! -s "$work/outside.list"

check "oversized file refused at the size cap" grep -q 'big.bin.*size cap' "$A/manifest.jsonl"
check "oversized file kept out of the copy" test ! -e "$A/site/${N/:/+}/big.bin"

# ---- zombie flag and traps in the summary ----
check "pathological path reported" grep -q 'pathological' "$A/capture.json"
check "calendar trap reported" grep -q 'endless chain' "$src/archive/faulty/capture.json"
check "newest content date from the pages' text" grep -q '"newest_content_date": "2017-05-12"' "$A/capture.json"
check "zombie site flagged (rule 7)" grep -q '"zombie": true' "$A/capture.json"
"$JIYUE" archive --url "http://$F/undated" --id undated -s "$src" --date 2026-11-23 -q --no-commit \
	> /dev/null 2> "$work/err-undated"
check "newest content date from Last-Modified, as a China date: $(head -3 "$work/err-undated")" \
	grep -q '"newest_content_date": "2023-03-08"' "$src/archive/undated/capture.json"
python3 - "$A" > "$work/digests.txt" <<'PY'
import hashlib, json, sys, zipfile
# capture.json and the WACZ's datapackage give each file's true sha256 and size
a = sys.argv[1]
c = json.load(open(a + "/capture.json"))
for k in ("warc", "cdxj", "wacz"):
    data = open(a + "/warc/" + c[k]["file"], "rb").read()
    if hashlib.sha256(data).hexdigest() != c[k]["sha256"] or len(data) != c[k]["bytes"]:
        print("capture.json:", k)
z = zipfile.ZipFile(a + "/warc/" + c["wacz"]["file"])
for r in json.loads(z.read("datapackage.json"))["resources"]:
    if "sha256:" + hashlib.sha256(z.read(r["path"])).hexdigest() != r["hash"]:
        print("datapackage.json:", r["path"])
PY
check "digests in capture.json and the WACZ are right: $(cat "$work/digests.txt")" test ! -s "$work/digests.txt"


# ---- the archive repository ----
check "capture committed" sh -c "git -C '$src/archive' log --oneline | grep -q 'archive fgw'"
check "capture tagged" sh -c "git -C '$src/archive' tag | grep -q '^capture/fgw/'"

# ---- threads: one worker or several write the same copy, byte for byte ----
src3="$work/portal3"
mkdir -p "$src3/content/sites"
cp "$src/content/sites/fgw.yaml" "$src3/content/sites/"
"$JIYUE" archive fgw -s "$src3" --archive-dir "$work/j1" --date 2026-11-23 -q --no-commit -j 1 > /dev/null 2>&1
check "archive with -j 1 exits 0" test $? = 0
"$JIYUE" archive fgw -s "$src3" --archive-dir "$work/j3" --date 2026-11-23 -q --no-commit -j 3 > /dev/null 2>&1
check "archive with -j 3 exits 0" test $? = 0
check "-j 1 and -j 3 write identical browsable copies" diff -r "$work/j1/fgw/site" "$work/j3/fgw/site"
check "-j 0 is refused" sh -c "! '$JIYUE' archive fgw -s '$src3' -j 0 2>/dev/null"

# ---- the independent reader ----
if command -v node >/dev/null && [ -d "$top/tests/warcio/node_modules" ]; then
	node "$top/tests/warcio/check.mjs" "$warc" > "$work/warcio.txt" 2>&1
	check "warcio reads the WARC: $(tail -3 "$work/warcio.txt")" test $? = 0
	# a fresh capture is indexed as the crawl writes it: warcio must agree
	node "$top/tests/warcio/check.mjs" "$warc" --cdxj "${warc%.warc.gz}.cdxj" > "$work/warcio-cdxj.txt" 2>&1
	check "warcio agrees with the CDXJ made during the crawl: $(tail -3 "$work/warcio-cdxj.txt")" test $? = 0
fi

# ---- kill -9 in the middle, then resume: complete, no duplicates ----
src2="$work/portal2"
mkdir -p "$src2/content/sites"
sed 's/concurrency: 4}/concurrency: 1, delay_ms: 150}/' "$src/content/sites/fgw.yaml" > "$src2/content/sites/fgw.yaml"
"$JIYUE" archive fgw -s "$src2" --date 2026-11-23 -q --no-commit > /dev/null 2>&1 &
pid=$!
sleep 2
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "interrupted capture left in progress" test -d "$src2/archive/fgw/.capture"
check "interrupted capture not visible" test ! -e "$src2/archive/fgw/capture.json"
"$JIYUE" archive fgw -s "$src2" --date 2026-11-23 -q --no-commit > "$work/out2" 2> "$work/err2"
check "resume exits 0: $(head -3 "$work/err2")" test $? = 0
python3 - "$A/manifest.jsonl" "$src2/archive/fgw/manifest.jsonl" > "$work/resume.txt" <<'PY'
import json, sys
def load(p):
    rows = [json.loads(l) for l in open(p)]
    return rows, {(r["canonical"], r["status"]) for r in rows}
a, sa = load(sys.argv[1]); b, sb = load(sys.argv[2])
if len(b) != len({r["canonical"] for r in b}): print("duplicates in the resumed manifest")
if {u for u, _ in sa} != {u for u, _ in sb}: print("different URL sets:", sorted({u for u,_ in sa} ^ {u for u,_ in sb})[:5])
PY
check "resumed capture is complete, without duplicates: $(cat "$work/resume.txt")" test ! -s "$work/resume.txt"
warc2=$(ls "$src2"/archive/fgw/warc/*.warc.gz | head -1)
dups=$(zcat "$warc2" | tr -d '\r' | awk '/^WARC-Type: response/{r=1} /^WARC-Target-URI: /{if(r){print $2; r=0}}' | sort | uniq -d | wc -l)
check "no duplicate response records after resume ($dups)" test "$dups" = 0
# what was fetched before the kill is copied from the WARC, the rest during the crawl
diff -r "$A/site/${N/:/+}" "$src2/archive/fgw/site/${N/:/+}" > "$work/resume-diff.txt" 2>&1
check "resumed copy identical to the uninterrupted one: $(head -3 "$work/resume-diff.txt")" test ! -s "$work/resume-diff.txt"
check "no spool left after the capture" test ! -e "$A/.capture"
if command -v node >/dev/null && [ -d "$top/tests/warcio/node_modules" ]; then
	node "$top/tests/warcio/check.mjs" "$warc2" --cdxj "${warc2%.warc.gz}.cdxj" > "$work/warcio-cdxj2.txt" 2>&1
	check "warcio agrees with the CDXJ of the resumed capture: $(tail -3 "$work/warcio-cdxj2.txt")" test $? = 0
fi

# ---- --connect-to: the old host's name kept, the connection to loopback ----
src3="$work/portal3"
mkdir -p "$src3/content/sites"
printf 'name: 迁移测试站\nhosts: [old.example.gov.cn]\n' > "$src3/content/sites/moved.yaml"
"$JIYUE" archive moved -s "$src3" --date 2026-11-23 -q --no-commit --max-pages 5 \
	--connect-to "old.example.gov.cn:80:127.0.0.1:$NGINX_PORT" > "$work/out3" 2> "$work/err3"
check "--connect-to capture exits 0: $(head -3 "$work/err3")" test $? = 0
check "--connect-to: the manifest has the old host's URLs" \
	grep -q '^{"url":"http://old.example.gov.cn/","canonical":"http://old.example.gov.cn/","status":200' \
	"$src3/archive/moved/manifest.jsonl"
check "--connect-to: the copy is filed under the old host" test -f "$src3/archive/moved/site/old.example.gov.cn/index.html"
check "--connect-to: the stamp names the old address" \
	grep -q 'content="http://old.example.gov.cn/"' "$src3/archive/moved/site/old.example.gov.cn/index.html"

echo "archive: $pass passed, $fail failed"
[ "$fail" = 0 ]
