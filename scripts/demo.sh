#!/usr/bin/env bash
# The whole story of the demo portal, from content/ (what `make run` does):
#   1. archive each old site of demo/oldsites/ID/ that content/sites/ID.yaml
#      describes: nginx serves the folder on a loopback port, `jiyue archive`
#      fetches it through --connect-to so the capture keeps the real host
#      names, then nginx stops.  A site already captured is kept (fast and
#      idempotent); --rearchive captures it again.
#   2. build the portal, which publishes the captures under /archive/ID/ and
#      writes the old hosts' redirect maps (nginx, Apache, redirects.csv)
#      into the folder 'redirects' beside DEST (docs/redirects.md);
#   3. write the audit report to DEST/audit/index.html.
#
# usage: scripts/demo.sh [-s SOURCE] [-d DEST] [--archive-dir DIR] [--date DATE]
#                        [--jiyue PATH] [--rearchive]
# Defaults: SOURCE ., DEST SOURCE/public, DIR SOURCE/archive, DATE today
# (China time), PATH ./jiyue.
#
# Nothing is committed to the project's history: the build runs with
# --no-history, and captures are committed to the archive folder's own
# repository.  Without nginx, or when it cannot start, the old site is not
# archived: a warning says so and the portal is built all the same (with any
# earlier capture), because the portal is the demo and the archive one part
# of it.  A failing build fails the script.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
source_dir=. dest= archive= date= jiyue=./jiyue rearchive=0

die() { echo "demo: $*" >&2; exit 1; }
warn() { echo "warning: $*" >&2; }

while [ $# -gt 0 ]; do
	case "$1" in
	-s|--source) source_dir=${2:?}; shift ;;
	-d|--destination) dest=${2:?}; shift ;;
	--archive-dir) archive=${2:?}; shift ;;
	--date) date=${2:?}; shift ;;
	--jiyue) jiyue=${2:?}; shift ;;
	--rearchive) rearchive=1 ;;
	-h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
dest=${dest:-$source_dir/public}
archive=${archive:-$source_dir/archive}
[ -x "$jiyue" ] || die "no jiyue binary at '$jiyue' (run make first)"
date_opt=()
[ -n "$date" ] && date_opt=(--date "$date")

work=$(mktemp -d) || die "unable to create a temporary folder"
chmod 755 "$work"   # nginx's workers run as another user when we are root
trap 'rm -rf "$work"' EXIT

archive_site() { # ID FOLDER
	local id=$1 dir=$2 rec="$source_dir/content/sites/$1.yaml" url port
	if [ ! -f "$rec" ]; then
		warn "demo/oldsites/$id has no site record '$rec': not archived"
		return
	fi
	if [ -f "$archive/$id/capture.json" ] && [ "$rearchive" = 0 ]; then
		echo "archive: '$id' is already captured in $archive/$id/ (kept; --rearchive, or make run REARCHIVE=1, captures it again)"
		return
	fi
	if ! url=$(CHARSET=off PORT= "$top/scripts/serve.sh" --start "$work/nginx-$id" "$dir" 2>"$work/serve.err"); then
		warn "nginx could not serve '$dir' ($(tail -1 "$work/serve.err")): the portal is built without a new capture of '$id'"
		warn "install nginx (Debian: apt-get install nginx-light, or sh scripts/deps.sh demo) and run make run again"
		return
	fi
	port=${url##*:}
	port=${port%/}
	# every host (empty HOST and PORT match any) goes to the local copy: the
	# capture keeps the record's real host names, and nothing leaves the machine
	echo "archive: '$id' from its copy in $dir, served at $url under the record's host names"
	if ! "$jiyue" archive "$id" -s "$source_dir" --archive-dir "$archive" "${date_opt[@]}" -q \
		--connect-to "::127.0.0.1:$port"; then
		warn "archiving '$id' failed: the portal is built without a new capture of it"
	fi
	"$top/scripts/serve.sh" --stop "$work/nginx-$id"
}

for dir in "$top"/demo/oldsites/*/; do
	[ -d "$dir" ] || continue
	archive_site "$(basename "$dir")" "${dir%/}"
done

"$jiyue" build -s "$source_dir" -d "$dest" --no-history --archive-dir "$archive" "${date_opt[@]}" ||
	die "the build failed; '$dest' was left as it was"

echo "redirect maps: $(dirname "$dest")/redirects/ (nginx/, apache/, redirects.csv)"

if "$jiyue" audit -s "$source_dir" --archive-dir "$archive" "${date_opt[@]}" --html "$dest/audit" >"$work/audit.out" 2>&1; then
	echo "audit: $dest/audit/index.html"
else
	warn "the audit found problems or could not run (see 'jiyue audit' itself):"
	tail -5 "$work/audit.out" >&2
fi
