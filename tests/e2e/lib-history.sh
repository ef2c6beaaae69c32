# Helpers for the publish-history cases: a git repository around ./site and
# builds on simulated days (GIT_COMMITTER_DATE and --date agree).
export GIT_AUTHOR_NAME=编辑 GIT_AUTHOR_EMAIL=editor@test.gov.cn
export GIT_COMMITTER_NAME=编辑 GIT_COMMITTER_EMAIL=editor@test.gov.cn
repo_init() {
	git -C site init -q -b main && git -C site add -A && day 2026-10-01 && git -C site commit -q -m "portal source"
}
day() { export GIT_COMMITTER_DATE="$1T10:00:00+08:00" GIT_AUTHOR_DATE="$1T09:00:00+08:00"; }
# build DATE [options]: a build on that day, recorded in the history
build() { local d=$1; shift; day "$d"; "$JIYUE" build -s site -d public --date "$d" -q "$@"; }
# commit the source as an editor would
edit() { git -C site add -A && git -C site commit -q -m "$1"; }
publish_log() { git -C site log --format='%h %cd %s' --date=short publish; }
