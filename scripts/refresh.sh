#!/bin/sh
# refresh: the steps of the daily refresh (.github/workflows/refresh.yml),
# kept here so that tests/ci/refresh-dry-run.sh runs exactly what CI runs.
# Each step is one workflow step; run them in this order:
#
#   prepare  keep the base branch's snapshot (OLD) and site for comparison
#   probe    stackmap probe; exit 4 (some vendors failed, their data kept)
#            is fine, any other failure stops the refresh
#   check    stackmap diff --check OLD NEW: refuse a snapshot that lost
#            data, or in which every probe failed or was skipped
#   settle   when NEW differs from OLD only in times and error texts, keep
#            OLD, so that a day that learnt nothing commits nothing
#   build    stackmap build
#   decide   changed=true when the snapshot or the site changed (also to
#            $GITHUB_OUTPUT); the pull request body, `stackmap diff OLD NEW`
#   publish  when changed: commit, then open or update the one pull request
#            (REFRESH_MODE=pr) or push to the base branch (REFRESH_MODE=push)
#
# usage: scripts/refresh.sh STEP
# Environment:
#   STACKMAP        the binary (./stackmap)
#   CATALOG, OUT    the catalog and the site folders (catalog, site)
#   REFRESH_WORK    a folder kept between steps
#                   (${RUNNER_TEMP:-/tmp}/stackmap-refresh)
#   REFRESH_MODE    pr (default) or push
#   REFRESH_BRANCH  the pull request's branch (stackmap/refresh)
#   REFRESH_BASE    the base branch (GITHUB_REF_NAME, else main)
#   REFRESH_DRY_RUN when 1, publish prints its git and gh commands instead
#                   of running them
# Exit status: 0, or the failing step's status (check: 1 = refused).
set -u
STACKMAP=${STACKMAP:-./stackmap}
CATALOG=${CATALOG:-catalog}
OUT=${OUT:-site}
work=${REFRESH_WORK:-${RUNNER_TEMP:-/tmp}/stackmap-refresh}
snap=$CATALOG/snapshot.json
# GitHub limits a pull request body to 65536 characters.
body_max=60000

say() {
	echo "refresh: $*"
}
die() {
	echo "refresh: $*" >&2
	exit 1
}
# run COMMAND...: runs it, or with REFRESH_DRY_RUN=1 prints it.
run() {
	if [ "${REFRESH_DRY_RUN:-}" = 1 ]; then
		echo "+ $*"
	else
		"$@"
	fi
}
# A snapshot without the members that change on every probe.
lasting() {
	sed -E -e '/^ *"(at|last_success)": ("[^"]*"|null),?$/d' \
		-e '/^ *"ms": [0-9]+,?$/d' \
		-e '/^ *"http_status": (null|[0-9]+),?$/d' \
		-e '/^ *"error": (null|".*"),?$/d' "$1"
}

step_prepare() {
	rm -rf "$work"
	mkdir -p "$work" || exit 3
	if [ -f "$snap" ]; then
		cp "$snap" "$work/old.json" || exit 3
	else
		printf '{\n  "format": 1,\n  "vendors": {}\n}\n' >"$work/old.json"
		: >"$work/old.missing"
	fi
	if [ -d "$OUT" ]; then
		cp -R "$OUT" "$work/site.before" || exit 3
	else
		mkdir "$work/site.before"
	fi
	say "kept the base snapshot and site in $work"
}

step_probe() {
	"$STACKMAP" --catalog "$CATALOG" probe
	rc=$?
	case $rc in
	0) ;;
	4) say "some vendors failed; their data was kept" ;;
	*) die "stackmap probe failed (exit $rc)" ;;
	esac
}

step_check() {
	"$STACKMAP" diff --check "$work/old.json" "$snap" ||
		die "refusing to commit $snap (see above)"
}

step_settle() {
	lasting "$work/old.json" >"$work/old.lasting"
	lasting "$snap" >"$work/new.lasting"
	if cmp -s "$work/old.lasting" "$work/new.lasting" &&
		[ ! -f "$work/old.missing" ]; then
		cp "$work/old.json" "$snap" || exit 3
		say "the probes learnt nothing new; the snapshot stays as it was"
	else
		say "the probes found changes"
	fi
}

step_build() {
	"$STACKMAP" --catalog "$CATALOG" --out "$OUT" build ||
		die "stackmap build failed"
}

step_decide() {
	changed=false
	if [ -f "$work/old.missing" ]; then
		[ -f "$snap" ] && changed=true
	elif ! cmp -s "$work/old.json" "$snap"; then
		changed=true
	fi
	diff -r -q "$work/site.before" "$OUT" >/dev/null || changed=true
	"$STACKMAP" diff "$work/old.json" "$snap" >"$work/body.md" ||
		die "stackmap diff failed"
	echo "$changed" >"$work/changed"
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		echo "changed=$changed" >>"$GITHUB_OUTPUT"
	fi
	echo "changed=$changed"
}

step_publish() {
	[ "$(cat "$work/changed" 2>/dev/null)" = true ] || {
		say "nothing changed; nothing to commit"
		return 0
	}
	mode=${REFRESH_MODE:-pr}
	base=${REFRESH_BASE:-${GITHUB_REF_NAME:-main}}
	branch=${REFRESH_BRANCH:-stackmap/refresh}
	case $mode in
	pr | push) ;;
	*) die "REFRESH_MODE is '$mode'; it takes pr or push" ;;
	esac
	today=$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y-%m-%d)
	title="Refresh live prices and listings ($today)"
	if [ "$(wc -c <"$work/body.md")" -gt $body_max ]; then
		head -c $body_max "$work/body.md" | sed '$d' >"$work/pr-body.md"
		printf '\n(Cut short: run `stackmap diff` for the rest.)\n' \
			>>"$work/pr-body.md"
	else
		cp "$work/body.md" "$work/pr-body.md"
	fi
	{
		echo "$title"
		echo
		cat "$work/pr-body.md"
	} >"$work/message"
	run git config user.name "github-actions[bot]"
	run git config user.email \
		"41898282+github-actions[bot]@users.noreply.github.com"
	run gh auth setup-git
	run git add -- "$snap" "$OUT"
	run git commit -q -F "$work/message"
	if [ "$mode" = push ]; then
		run git push origin "HEAD:refs/heads/$base"
		say "pushed to $base"
		return
	fi
	run git push --force origin "HEAD:refs/heads/$branch"
	number=
	if [ "${REFRESH_DRY_RUN:-}" != 1 ]; then
		number=$(gh pr list --head "$branch" --base "$base" \
			--state open --json number --jq '.[0].number') || exit 1
	fi
	if [ -n "$number" ]; then
		run gh pr edit "$number" --title "$title" \
			--body-file "$work/pr-body.md"
		say "updated pull request #$number"
	else
		run gh pr create --base "$base" --head "$branch" \
			--title "$title" --body-file "$work/pr-body.md"
		say "opened a pull request from $branch"
	fi
}

case ${1:-} in
prepare | probe | check | settle | build | decide | publish) "step_$1" ;;
*)
	echo "usage: $0 prepare|probe|check|settle|build|decide|publish" >&2
	exit 2
	;;
esac
