#!/bin/sh
# The refresh workflow, dry: runs the steps of .github/workflows/refresh.yml
# (scripts/refresh.sh prepare, probe, check, settle, build, decide, publish)
# day after day in a temporary project — tests/fixtures/mini plus vendors
# served by tests/fixture/fixture_server on 127.0.0.1 — with a fake key in
# the probe step's environment, no secrets and no other network. publish
# runs with REFRESH_DRY_RUN=1, so it prints its git and gh commands.
#
# Checks each decision the workflow makes:
#   day 1  no snapshot yet: commit; the pull request body is `stackmap diff`
#   day 2  the same answers: the snapshot stays byte for byte, no commit
#   day 3  a price change, an added and a removed model: commit (push mode)
#   day 4  every API answers garbage: every probe failed, refused at check
#   day 5  no key at all: every probe skipped, refused at check
#   day 6  a probe that dropped a vendor: lost data, refused at check
#   day 7  a catalog edit but no new answers: the site changed, commit
# and that the fake key is in no snapshot, page, body or log.
#
# usage: tests/ci/refresh-dry-run.sh BUILD_DIR
# Ends with "N passed, N failed"; exits non-zero on a failure. KEEP=1 keeps
# the work folder.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 3
STACKMAP=${STACKMAP:-$root/stackmap}
case $STACKMAP in /*) ;; *) STACKMAP=$root/$STACKMAP ;; esac
SERVER=${FIXTURE_SERVER:-$build/tests/fixture_server}
case $SERVER in /*) ;; *) SERVER=$root/$SERVER ;; esac
KEY=FAKE-REFRESH-KEY-4242
E0=1795600000 # 2026-11-25T09:46:40Z

work=$(mktemp -d)
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

pass=0
fail=0
check() { # check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $desc"
	fi
}
has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# ---- the fixture server -----------------------------------------------------

if [ ! -x "$SERVER" ]; then
	echo "refresh-dry-run: $SERVER is missing (make $SERVER)"
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$work/responses" "$work/logs"
responses=$root/tests/fixture/responses
cp "$responses/prices1.json" "$work/responses/v-a.json"
cp "$responses/list4.json" "$work/responses/v-b.json"
"$SERVER" --log "$work/requests.log" "$work/responses" >"$work/port" \
	2>"$work/server.err" &
server_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
PORT=$(head -n 1 "$work/port")
[ -n "$PORT" ] || {
	echo "refresh-dry-run: the fixture server did not start"
	echo "0 passed, 1 failed"
	exit 1
}

# ---- the project: a repository's catalog, templates and site ----------------

repo=$work/repo
mkdir -p "$repo"
cp -R tests/fixtures/mini "$repo/catalog"
cp -R templates "$repo/templates"
for v in v-a v-b; do
	cat >"$repo/catalog/vendors/$v.yaml" <<EOF
id: $v
name: Vendor $v
layer: inference-provider
spectrum: 3
homepage: https://$v.example.org
summary: A vendor of the refresh dry run.
api:
  style: together
  base_url: http://127.0.0.1:$PORT/v/$v/v1
  key_env: REFRESH_TEST_KEY
EOF
done
# The binary, under valgrind when the suite runs there.
cat >"$work/stackmap" <<EOF
#!/bin/sh
exec ${VALGRIND_CMD:-} "$STACKMAP" "\$@"
EOF
chmod +x "$work/stackmap"
# The committed site: built once, as the repository would hold it.
(cd "$repo" && "$work/stackmap" -q build) ||
	echo "refresh-dry-run: the first site build failed"

# ---- one day of the workflow ------------------------------------------------

# day N [KEY]: runs the workflow's steps in order in the project, as
# refresh.yml does, with the key only in the probe step's environment;
# stops at the first step that fails and names it in $stopped. The steps'
# output is in logs/N-STEP, the GitHub output file in logs/N-github-output.
day() {
	n=$1
	key=${2-$KEY}
	stopped=
	: >"$work/logs/$n-github-output"
	for step in prepare probe check settle build decide publish; do
		if [ "$step" = probe ] && [ -n "$key" ]; then
			set -- env -u FASTINFER_API_KEY REFRESH_TEST_KEY="$key"
		else
			set -- env -u FASTINFER_API_KEY -u REFRESH_TEST_KEY
		fi
		(cd "$repo" && "$@" \
			STACKMAP="$work/stackmap" REFRESH_WORK="$work/refresh" \
			REFRESH_DRY_RUN=1 REFRESH_MODE="${mode:-pr}" \
			REFRESH_BASE=main GITHUB_OUTPUT="$work/logs/$n-github-output" \
			STACKMAP_BACKOFF_MS=10,100 \
			SOURCE_DATE_EPOCH=$((E0 + n * 86400)) \
			sh "$root/scripts/refresh.sh" "$step") \
			>"$work/logs/$n-$step" 2>&1 || {
			stopped=$step
			return
		}
	done
}
snap=$repo/catalog/snapshot.json
# commit: what the base branch holds after a day's commit (or before).
commit() {
	rm -rf "$work/base"
	mkdir -p "$work/base"
	[ -f "$snap" ] && cp "$snap" "$work/base/snapshot.json"
	cp -R "$repo/site" "$work/base/site"
}
# restore: a new day starts from a fresh checkout of the base branch.
restore() {
	rm -f "$snap"
	[ -f "$work/base/snapshot.json" ] && cp "$work/base/snapshot.json" "$snap"
	rm -rf "$repo/site"
	cp -R "$work/base/site" "$repo/site"
}
# body_is_diff N: the pull request body is `stackmap diff OLD NEW`.
body_is_diff() {
	"$work/stackmap" diff "$work/refresh/old.json" "$snap" >"$work/want-body.md" &&
		cmp -s "$work/want-body.md" "$work/refresh/body.md" &&
		cmp -s "$work/refresh/body.md" "$work/refresh/pr-body.md"
}
outcomes() { # outcomes VENDOR...: their attempt outcomes in the snapshot
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))["vendors"]
print(" ".join(v[x]["attempt"]["outcome"] for x in sys.argv[2:]))' "$snap" "$@"
}

commit

# ---- day 1: the first refresh -----------------------------------------------

day 1
check "day 1: every step ran (stopped at '$stopped')" [ -z "$stopped" ]
check "day 1: the probes succeeded" [ "$(outcomes v-a v-b fastinfer)" = "ok ok skipped" ]
check "day 1: the check passed" has "$work/logs/1-check" \
	"keeps everything $work/refresh/old.json had; 3 vendors probed since: 2 ok, 0 failed, 0 suspect, 1 skipped"
check "day 1: the probe step sent the key" grep -qF "$KEY" "$work/requests.log"
check "day 1: the probes asked only the fixture server" [ \
	"$(grep -c '/v/v-[ab]/v1/models' "$work/requests.log")" -eq 2 ]
check "day 1: decided to commit" has "$work/logs/1-decide" "changed=true"
check "day 1: told GitHub" has "$work/logs/1-github-output" "changed=true"
check "day 1: the body is stackmap diff" body_is_diff
check "day 1: the body lists the added models" has "$work/refresh/body.md" \
	'- added `org/model-a` (input 0.88, output 0.88)'
check "day 1: the site shows the live listing" grep -q 'model-b' \
	"$repo/site/vendors/v-b.html"
check "day 1: pr mode pushes the refresh branch" has "$work/logs/1-publish" \
	"+ git push --force origin HEAD:refs/heads/stackmap/refresh"
check "day 1: and opens the pull request with the body" has \
	"$work/logs/1-publish" \
	"+ gh pr create --base main --head stackmap/refresh --title Refresh live prices and listings (2026-11-26)"
check "day 1: the pull request body file" has "$work/logs/1-publish" \
	"--body-file $work/refresh/pr-body.md"
check "day 1: commits the snapshot and the site" has "$work/logs/1-publish" \
	"+ git add -- catalog/snapshot.json site"
check "day 1: the commit message is the title and the body" sh -c \
	"head -n 1 '$work/refresh/message' | grep -q '^Refresh live prices' &&
	tail -n +3 '$work/refresh/message' | cmp -s - '$work/refresh/body.md'"
commit

# ---- day 2: nothing new -----------------------------------------------------

day 2
check "day 2: every step ran (stopped at '$stopped')" [ -z "$stopped" ]
check "day 2: the probes succeeded" [ "$(outcomes v-a v-b)" = "ok ok" ]
check "day 2: learnt nothing" has "$work/logs/2-settle" "learnt nothing new"
check "day 2: the snapshot stays byte for byte" cmp -s "$snap" \
	"$work/base/snapshot.json"
check "day 2: the site stays" diff -r -q "$repo/site" "$work/base/site"
check "day 2: decided not to commit" has "$work/logs/2-decide" "changed=false"
check "day 2: told GitHub" has "$work/logs/2-github-output" "changed=false"
check "day 2: nothing to commit" has "$work/logs/2-publish" \
	"nothing changed; nothing to commit"
check "day 2: no git command" lacks "$work/logs/2-publish" "+ git"

# ---- day 3: a price change, in push mode ------------------------------------

cp "$responses/prices2.json" "$work/responses/v-a.json"
mode="push"
day 3
mode="pr"
check "day 3: every step ran (stopped at '$stopped')" [ -z "$stopped" ]
check "day 3: decided to commit" has "$work/logs/3-decide" "changed=true"
check "day 3: the body is stackmap diff" body_is_diff
check "day 3: the body has the price change" has "$work/refresh/body.md" \
	'| `org/model-a` | input | 0.88 | 0.9 | +2.3% |'
check "day 3: the body has the removed model" has "$work/refresh/body.md" \
	'- removed `org/model-c` (input 1, output 2)'
check "day 3: the removal is recorded, so the check passed" \
	has "$work/logs/3-check" "keeps everything"
check "day 3: push mode pushes to the base branch" has "$work/logs/3-publish" \
	"+ git push origin HEAD:refs/heads/main"
check "day 3: push mode opens no pull request" lacks "$work/logs/3-publish" \
	"gh pr"
check "day 3: the site shows the new price" grep -q 'org/model-a: input 0.88 → 0.9' \
	"$repo/site/changes.html"
commit

# ---- day 4: every probe failed ----------------------------------------------

printf 'not json' >"$work/responses/v-a.json"
printf 'not json' >"$work/responses/v-b.json"
day 4
check "day 4: stopped at check (stopped at '$stopped')" [ "$stopped" = check ]
check "day 4: the probe exited 4 and went on" has "$work/logs/4-probe" \
	"some vendors failed; their data was kept"
check "day 4: the reason" has "$work/logs/4-check" \
	"no probe succeeded since OLD: of 3 vendors probed, 2 failed, 0 looked suspect and 1 were skipped"
check "day 4: refused" has "$work/logs/4-check" "refusing to commit"
check "day 4: nothing decided" [ ! -e "$work/logs/4-decide" ]
restore
cp "$responses/prices2.json" "$work/responses/v-a.json"
cp "$responses/list4.json" "$work/responses/v-b.json"

# ---- day 5: no key ----------------------------------------------------------

day 5 ""
check "day 5: stopped at check (stopped at '$stopped')" [ "$stopped" = check ]
check "day 5: the reason" has "$work/logs/5-check" \
	"of 3 vendors probed, 0 failed, 0 looked suspect and 3 were skipped"
check "day 5: the probe named the missing key" has "$work/logs/5-probe" \
	"REFRESH_TEST_KEY is not set"
check "day 5: nothing decided" [ ! -e "$work/logs/5-decide" ]
restore

# ---- day 6: a probe that loses a vendor -------------------------------------

# The probe never drops data; a snapshot edited between the steps stands
# for a bug that would.
for step in prepare probe; do
	(cd "$repo" && env REFRESH_TEST_KEY="$KEY" STACKMAP="$work/stackmap" \
		REFRESH_WORK="$work/refresh" \
		SOURCE_DATE_EPOCH=$((E0 + 6 * 86400)) \
		sh "$root/scripts/refresh.sh" "$step") >"$work/logs/6-$step" 2>&1
done
python3 - "$snap" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
del s["vendors"]["v-b"]
json.dump(s, open(sys.argv[1], "w"), indent=2, sort_keys=True)
PY
(cd "$repo" && env STACKMAP="$work/stackmap" REFRESH_WORK="$work/refresh" \
	sh "$root/scripts/refresh.sh" check) >"$work/logs/6-check" 2>&1
rc=$?
check "day 6: refused (rc $rc)" [ "$rc" -eq 1 ]
check "day 6: the reason" has "$work/logs/6-check" \
	"error: vendor 'v-b' is missing (OLD has it, with 4 models)"
restore

# ---- day 7: a catalog edit, no new answers ----------------------------------

sed -i 's/^summary: .*/summary: A vendor renamed in the catalog./' \
	"$repo/catalog/vendors/v-b.yaml"
day 7
check "day 7: every step ran (stopped at '$stopped')" [ -z "$stopped" ]
check "day 7: learnt nothing" has "$work/logs/7-settle" "learnt nothing new"
check "day 7: the snapshot stays" cmp -s "$snap" "$work/base/snapshot.json"
check "day 7: the site changed, so commit" has "$work/logs/7-decide" \
	"changed=true"
check "day 7: the body says no listing changed" has "$work/refresh/body.md" \
	"0 added, 0 removed, 0 price changes."

# ---- secrets and refusals ---------------------------------------------------

check "the fake key is in no snapshot, page, body or log" sh -c \
	"! grep -rqF '$KEY' '$repo' '$work/refresh' '$work/logs'"
(cd "$repo" && REFRESH_WORK="$work/refresh" REFRESH_MODE=merge \
	sh "$root/scripts/refresh.sh" publish) >"$work/logs/mode" 2>&1
rc=$?
check "an unknown REFRESH_MODE is refused (rc $rc)" [ "$rc" -eq 1 ]
check "and named" has "$work/logs/mode" "REFRESH_MODE is 'merge'"
sh scripts/refresh.sh frobnicate >/dev/null 2>&1
rc=$?
check "an unknown step is a usage error (rc $rc)" [ "$rc" -eq 2 ]

echo "refresh-dry-run: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
