#!/bin/sh
# The injection suite: hostile strings in every field of a catalog and of
# the vendors' API answers must come out of `stackmap probe` and `stackmap
# build` as inert text.
#   1. tests/hostile/check_refusals.py: the validator refuses what a field
#      must not hold (control characters, line breaks and > 1000 bytes in
#      one-line fields, control characters in CommonMark, URL-shaped
#      attacks in every URL field), naming the field and the reason.
#   2. tests/hostile/gen_catalog.py plants every string of
#      tests/hostile/strings.txt into every string field that accepts it
#      (and the valid-but-nasty URLs of tests/hostile/urls.txt into every
#      URL field), and into the model ids and display names that
#      tests/fixture/fixture_server serves on 127.0.0.1 for two probes a
#      day apart (so live names, price changes, added and removed models
#      reach the vendor pages, changes.html and feed.xml).
#   3. stackmap validate, probe (twice) and build run on it; their
#      diagnostics carry no terminal control characters; the snapshot
#      parses and holds no control character.
#   4. tests/hostile/check_site.py: api/catalog.json, api/offers.csv
#      (formula cells neutralised), feed.xml/sitemap.xml/stackmap.svg
#      (well-formed, no script), every .md page through the cmark CLI (no
#      raw HTML, no script link), bidi overrides, control characters.
#   5. tests/browser/injection.test.mjs: every page in headless Chromium
#      with a sentinel, dialog, navigation, request and CSP-violation hook
#      and a DOM scan; every link from data clicked.
# Installs what it needs as root (Debian's chromium and cmark; npm ci for
# playwright-core), like tests/suite-site.sh. Findings go to
# tests/out/injection-findings.txt (or $INJECTION_FINDINGS).
# Prints PASS/FAIL per check and closes with "injection: N passed, N failed".
# usage: tests/suite-injection.sh BUILD_DIR     (KEEP=1 keeps the work folder)
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 3
STACKMAP=${STACKMAP:-$root/stackmap}
SERVER=${FIXTURE_SERVER:-$build/tests/fixture_server}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
E1=1795600000 # 2026-11-25T09:46:40Z
E2=$((E1 + 86400))
findings=${INJECTION_FINDINGS:-$root/tests/out/injection-findings.txt}
mkdir -p "$(dirname "$findings")"
: >"$findings"

passed=0
failed=0
started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/stackmap-injection.XXXXXX") || exit 3
server_pid=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
	passed=$((passed + 1))
	echo "PASS $*"
}
# fail NAME [DETAILS_FILE]: prints up to 40 detail lines, keeps all of
# them in the findings file
fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
	printf '== %s\n' "$1" >>"$findings"
	if [ $# -gt 1 ] && [ -s "$2" ]; then
		sed -n '1,40s/^/    /p' "$2"
		n=$(wc -l <"$2")
		[ "$n" -gt 40 ] && echo "    ... and $((n - 40)) more (see $findings)"
		sed 's/^/  /' "$2" >>"$findings"
	fi
	echo >>"$findings"
}
finish() {
	echo "injection suite took $(($(date +%s) - started))s; findings: $findings"
	echo "injection: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}
# fold OUTPUT: counts a helper's PASS/FAIL lines into ours and copies its
# failures into the findings file
fold() {
	grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$1"
	awk '/^FAIL /{p=1; print "== " substr($0, 6); next} /^PASS /{p=0; next}
	     /^    /{if (p) print "  " substr($0, 5)}' "$1" >>"$findings"
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	if [ -z "$summary" ]; then
		tail -n 20 "$1" >"$work/tail"
		fail "$2 ended without a summary" "$work/tail"
		return
	fi
	p=${summary%% passed*}
	f=${summary#*passed, }
	f=${f%% failed*}
	passed=$((passed + p))
	failed=$((failed + f))
}

# --- tools ------------------------------------------------------------------
apt_pkgs=""
[ -x "$CHROMIUM" ] || apt_pkgs="$apt_pkgs chromium"
command -v cmark >/dev/null 2>&1 || apt_pkgs="$apt_pkgs cmark"
if [ -n "$apt_pkgs" ] && [ "$(id -u)" -eq 0 ]; then
	echo "installing$apt_pkgs (apt-get)"
	# shellcheck disable=SC2086 # word splitting of the package list
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $apt_pkgs \
		>"$work/apt.log" 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$work/apt.log" 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $apt_pkgs \
			>>"$work/apt.log" 2>&1
	fi
fi
if [ ! -d node_modules/playwright-core ] && [ -f package-lock.json ]; then
	echo "installing npm devDependencies (npm ci)"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1
fi
: >"$work/out"
[ -x "$STACKMAP" ] || echo "$STACKMAP is missing (make)" >>"$work/out"
[ -x "$SERVER" ] || echo "$SERVER is missing (make $SERVER)" >>"$work/out"
command -v python3 >/dev/null 2>&1 || echo "python3 is missing" >>"$work/out"
command -v cmark >/dev/null 2>&1 || echo "cmark is missing: apt-get install cmark" >>"$work/out"
[ -x "$CHROMIUM" ] || echo "$CHROMIUM is missing: apt-get install chromium" >>"$work/out"
[ -d node_modules/playwright-core ] || echo "node_modules/playwright-core is missing: npm ci" >>"$work/out"
[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 20 ] ||
	echo "node >= 20 is missing" >>"$work/out"
if [ -s "$work/out" ]; then
	fail "tools: stackmap, fixture_server, python3, cmark, chromium, node >= 20, playwright-core" "$work/out"
	finish
fi
pass "tools: $(cmark --version | head -n 1), $("$CHROMIUM" --version 2>/dev/null | head -n 1)"

# --- 1. the validator refuses -----------------------------------------------
python3 tests/hostile/check_refusals.py "$STACKMAP" "$work" >"$work/refusals.out" 2>&1
fold "$work/refusals.out" "tests/hostile/check_refusals.py"

# --- 2. the hostile catalog and API answers ---------------------------------
mkdir -p "$work/resp"
"$SERVER" --log "$work/requests.log" "$work/resp" >"$work/port" 2>"$work/server.err" &
server_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
PORT=$(head -n 1 "$work/port")
if [ -z "$PORT" ]; then
	fail "the fixture server starts" "$work/server.err"
	finish
fi
if python3 tests/hostile/gen_catalog.py "$work" "$PORT" >"$work/gen.out" 2>&1; then
	pass "gen_catalog.py: $(cat "$work/gen.out")"
else
	fail "gen_catalog.py" "$work/gen.out"
	finish
fi
cat="$work/cat"

# run NAME STACKMAP-ARGS...: output in $work/NAME.out and .err, status $rc
run() {
	name=$1
	shift
	${VALGRIND_CMD:-} "$STACKMAP" --catalog "$cat" "$@" >"$work/$name.out" 2>"$work/$name.err"
	rc=$?
}

run validate validate
if [ "$rc" -eq 0 ] && ! grep -q ' error: ' "$work/validate.err"; then
	pass "the hostile catalog validates ($(tail -n 1 "$work/validate.err"))"
else
	fail "the hostile catalog validates (exit $rc)" "$work/validate.err"
	finish
fi

cp "$work"/day1/*.json "$work/resp/"
SOURCE_DATE_EPOCH=$E1 run probe1 --snapshot "$work/snap.json" probe --jobs 8
n_ok=$(grep -c ': ok, ' "$work/probe1.err")
n_vendors=$(ls "$cat/vendors" | wc -l)
if [ "$rc" -eq 0 ] && [ "$n_ok" -eq "$n_vendors" ]; then
	pass "probe 1 of the hostile API answers: every vendor ok ($n_ok)"
else
	fail "probe 1 of the hostile API answers: exit $rc, $n_ok of $n_vendors vendors ok" "$work/probe1.err"
fi
cp "$work/snap.json" "$work/snap1.json"
cp "$work"/day2/*.json "$work/resp/"
SOURCE_DATE_EPOCH=$E2 run probe2 --snapshot "$work/snap.json" probe --jobs 8
n_ok=$(grep -c ': ok, ' "$work/probe2.err")
if [ "$rc" -eq 0 ] && [ "$n_ok" -eq "$n_vendors" ]; then
	pass "probe 2 (prices changed, models added and removed): every vendor ok ($n_ok)"
else
	fail "probe 2: exit $rc, $n_ok of $n_vendors vendors ok" "$work/probe2.err"
fi

python3 - "$work/snap.json" "$work/manifest.json" >"$work/out" 2>&1 <<'PY'
import json, sys
snap = json.load(open(sys.argv[1]))
man = json.load(open(sys.argv[2]))
bad = []
def walk(v, where):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(k, where + ' key'); walk(x, where + '/' + k[:40])
    elif isinstance(v, list):
        for x in v: walk(x, where)
    elif isinstance(v, str) and any(ord(c) < 0x20 or ord(c) == 0x7f for c in v):
        bad.append('control character in %s: %r' % (where, v[:60]))
walk(snap, '')
vendors = snap.get('vendors', {})
for vid, live in man['live'].items():
    models = vendors.get(vid, {}).get('models', {})
    removed = vendors.get(vid, {}).get('removed', {})
    for what, key, where in (('remote id', live['remote_id'], models), ('added id', live['added'], models),
                             ('removed id', live['removed'], removed)):
        if len(key.encode()) <= 512 and key not in where:
            bad.append('%s: the %s %r is not in the snapshot' % (vid, what, key[:60]))
for b in bad[:40]:
    print(b)
sys.exit(1 if bad else 0)
PY
if [ $? -eq 0 ]; then
	pass "the snapshot parses, keeps every hostile id exactly and no control character"
else
	fail "the snapshot parses, keeps every hostile id exactly and no control character" "$work/out"
fi

run build --snapshot "$work/snap.json" --out "$work/site" build
if [ "$rc" -eq 0 ] && [ -f "$work/site/index.html" ]; then
	pass "build of the hostile catalog ($(find "$work/site" -type f | wc -l) files)"
else
	fail "build of the hostile catalog (exit $rc)" "$work/build.err"
	finish
fi

# Diagnostics quote catalog and API text (remote ids in price warnings):
# none may carry a terminal control: ESC, other C0 but TAB, DEL, or a C1
# control such as U+009B (CSI) encoded in UTF-8.
for f in validate probe1 probe2 build; do
	for s in out err; do
		LC_ALL=C grep -n -a -P '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' \
			"$work/$f.$s" | sed "s|^|$f.$s:|" | cut -c1-200
	done
done >"$work/out"
if [ -s "$work/out" ]; then
	fail "validate, probe and build print no terminal control characters from data" "$work/out"
else
	pass "validate, probe and build print no terminal control characters from data"
fi

# --- 3. the built files -----------------------------------------------------
python3 tests/hostile/check_site.py "$work/site" "$work/manifest.json" >"$work/check.out" 2>&1
fold "$work/check.out" "tests/hostile/check_site.py"

# --- 4. the browser ---------------------------------------------------------
node tests/browser/injection.test.mjs "$work/site" --findings "$findings" \
	>"$work/browser.out" 2>&1
brc=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$work/browser.out"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/browser.out" | tail -n 1)
if [ -n "$summary" ]; then
	passed=$((passed + ${summary%% passed*}))
	bf=${summary#*passed, }
	bf=${bf%% failed*}
	failed=$((failed + bf))
	[ "$brc" -ne 0 ] && [ "$bf" -eq 0 ] && fail "tests/browser/injection.test.mjs exited $brc"
else
	tail -n 20 "$work/browser.out" >"$work/out"
	fail "browser: injection.test.mjs ended without a summary (exit $brc)" "$work/out"
fi

finish
