#!/bin/sh
# The command line: help, version, exit statuses, the man page, install.
set -u
cd "$(dirname "$0")/.." || exit 3
bin=${STACKMAP:-./stackmap}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
expect() { # expect STATUS DESCRIPTION COMMAND...
	want=$1
	what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $what: exit $got, want $want"
		sed 's/^/    /' "$tmp/err" | head -n 5
	fi
}
contains() { # contains FILE TEXT DESCRIPTION
	if grep -qF -- "$2" "$1"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $3: '$2' not in output"
	fi
}
expect 0 "--version" "$bin" --version
contains "$tmp/out" "stackmap $(cat VERSION)" "--version prints VERSION"
expect 0 "--help" "$bin" --help
contains "$tmp/out" "usage: stackmap" "--help prints usage"
for cmd in validate build probe diff schema; do
	expect 0 "$cmd --help" "$bin" "$cmd" --help
	contains "$tmp/out" "usage: stackmap" "$cmd --help prints usage"
done
expect 2 "no command" "$bin"
expect 2 "unknown command" "$bin" frobnicate
contains "$tmp/err" "unknown command 'frobnicate'" "unknown command named"
expect 2 "unknown option" "$bin" --nope validate
expect 2 "bad --jobs" "$bin" probe --jobs 0
expect 2 "diff needs two files" "$bin" diff one
expect 2 "unknown schema" "$bin" schema widget
expect 0 "validate mini" "$bin" --catalog tests/fixtures/mini validate
contains "$tmp/err" "4 vendors, 2 models, 3 offers, 1 primers: 0 errors, 0 warnings" "validate summary"
expect 0 "validate bundled catalog" "$bin" --catalog catalog validate --strict
contains "$tmp/err" "0 errors, 0 warnings" "bundled catalog validates clean"
expect 3 "missing catalog folder" "$bin" --catalog "$tmp/none" validate
contains "$tmp/err" "$tmp/none: error: cannot open the catalog folder: No such file or directory" "missing catalog folder named"
expect 3 "missing catalog folder, build" "$bin" --catalog "$tmp/none" --out "$tmp/nosite" build
# global long options may follow the command
expect 0 "global option after the command" "$bin" validate --catalog tests/fixtures/mini
contains "$tmp/err" "4 vendors, 2 models, 3 offers" "global option after the command applies"
# a warning fails only under --strict
cp -R tests/fixtures/mini "$tmp/cat"
sed -i 's/checked: 2026-11-01/checked: 2025-01-01/' "$tmp/cat/vendors/acme-lab.yaml"
expect 0 "warning without --strict" "$bin" --catalog "$tmp/cat" validate
expect 1 "warning with --strict" "$bin" --catalog "$tmp/cat" validate --strict
# a second build changes no byte and no mtime; a removed vendor's pages go
expect 0 "build mini" "$bin" --catalog tests/fixtures/mini --out "$tmp/site" build
find "$tmp/site" -type f -printf '%P %s %T@ %i\n' | sort >"$tmp/first"
expect 0 "build mini again" "$bin" --catalog tests/fixtures/mini --out "$tmp/site" build
find "$tmp/site" -type f -printf '%P %s %T@ %i\n' | sort >"$tmp/second"
if cmp -s "$tmp/first" "$tmp/second"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL second build changed files or mtimes"
	diff "$tmp/first" "$tmp/second" | head -n 5; fi
contains "$tmp/err" "site: current" "second build finds the site current (stamp)"
# rendered anyway (--force), it still changes no byte and no mtime
expect 0 "build mini again --force" "$bin" --catalog tests/fixtures/mini --out "$tmp/site" build --force
find "$tmp/site" -type f -printf '%P %s %T@ %i\n' | sort >"$tmp/third"
if cmp -s "$tmp/first" "$tmp/third"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL a forced rebuild changed files or mtimes"
	diff "$tmp/first" "$tmp/third" | head -n 5; fi
contains "$tmp/err" "0 changed" "a forced rebuild reports no change"
# the stamp does not hide a damaged site: a deleted page is rebuilt
rm "$tmp/site/vendors/glue.html"
expect 0 "build mini after a page was deleted" "$bin" --catalog tests/fixtures/mini --out "$tmp/site" build
contains "$tmp/err" "1 changed" "the deleted page is written again"
# ... nor an edited template
cp -R templates "$tmp/tpl-edit"
expect 0 "build mini with its templates" "$bin" --catalog tests/fixtures/mini --templates "$tmp/tpl-edit" --out "$tmp/site" build
sed -i 's|<h1>|<h1 class="edited">|' "$tmp/tpl-edit/html/vendor.mustache"
expect 0 "build mini after a template edit" "$bin" --catalog tests/fixtures/mini --templates "$tmp/tpl-edit" --out "$tmp/site" build
if grep -q 'class="edited"' "$tmp/site/vendors/glue.html"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL a template edit did not reach the pages"; fi
rm -rf "$tmp/cat2"
cp -R tests/fixtures/mini "$tmp/cat2"
rm "$tmp/cat2/vendors/glue.yaml"
expect 0 "build without a vendor" "$bin" --catalog "$tmp/cat2" --out "$tmp/site" build
if [ ! -e "$tmp/site/vendors/glue.html" ] && [ ! -e "$tmp/site/vendors/glue.md" ] &&
	[ -e "$tmp/site/vendors/fastinfer.html" ]; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL a removed vendor's pages remain"; fi
# a failing build leaves the previous site intact
cp -R tests/fixtures/mini "$tmp/cat3"
echo "colour: red" >>"$tmp/cat3/vendors/glue.yaml"
expect 1 "build of an invalid catalog" "$bin" --catalog "$tmp/cat3" --out "$tmp/site" build
contains "$tmp/err" "the site was not rebuilt" "invalid catalog: site not rebuilt"
cp -R templates "$tmp/tpl"
printf '{{#broken}}\n' >"$tmp/tpl/html/vendor.mustache"
expect 1 "build with a broken template" "$bin" --catalog tests/fixtures/mini \
	--templates "$tmp/tpl" --out "$tmp/site" build
contains "$tmp/err" "tpl/html/vendor.mustache:1:1: error:" "template error has its place"
if [ -e "$tmp/site/index.html" ] && [ ! -e "$tmp/site/vendors/glue.html" ] &&
	[ ! -e "$tmp/site.staging" ]; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL a failed build changed the site"; fi
# vendor and model pages rendered by several processes (build --jobs) are
# the same bytes as by one, with the same counts; a bad --jobs is a usage error
python3 tests/bench/gen-catalog --seed 7 300x400x1500 "$tmp/gen" >/dev/null
expect 0 "build --jobs 1 of a generated catalog" "$bin" --catalog "$tmp/gen" \
	--snapshot "$tmp/none.json" --out "$tmp/gen-j1" build --jobs 1
cp "$tmp/err" "$tmp/err-j1"
expect 0 "build --jobs 3 of the same catalog" "$bin" --catalog "$tmp/gen" \
	--snapshot "$tmp/none.json" --out "$tmp/gen-j3" build --jobs 3
if diff -r "$tmp/gen-j1" "$tmp/gen-j3" >"$tmp/jobs.diff" &&
	[ "$(sed 's/gen-j[13]//' "$tmp/err-j1")" = "$(sed 's/gen-j[13]//' "$tmp/err")" ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL build --jobs 3 differs from --jobs 1"
	head -n 5 "$tmp/jobs.diff"
fi
expect 0 "rebuild --jobs 2 over the --jobs 3 site" "$bin" --catalog "$tmp/gen" \
	--snapshot "$tmp/none.json" --out "$tmp/gen-j3" build --jobs 2 --force
contains "$tmp/err" "0 changed" "a --jobs 2 rebuild changes nothing"
expect 2 "build --jobs 0" "$bin" --catalog "$tmp/gen" --out "$tmp/gen-j0" build --jobs 0
# files loaded by several threads: every broken file is reported, in order
cp -R "$tmp/gen" "$tmp/gen-bad"
for f in $(ls "$tmp/gen-bad/vendors" | awk 'NR % 37 == 5') \
	$(ls "$tmp/gen-bad/models" | awk 'NR % 41 == 7' | sed 's|^|../models/|'); do
	printf 'colour: red\n' >>"$tmp/gen-bad/vendors/$f"
done
nbad=$(ls "$tmp/gen-bad/vendors" | awk 'NR % 37 == 5' | wc -l)
nbad=$((nbad + $(ls "$tmp/gen-bad/models" | awk 'NR % 41 == 7' | wc -l)))
expect 1 "validate a generated catalog with broken files" "$bin" --catalog "$tmp/gen-bad" validate
cp "$tmp/err" "$tmp/err-bad1"
got=$(grep -c "error: unknown key 'colour'" "$tmp/err-bad1")
"$bin" --catalog "$tmp/gen-bad" validate 2>"$tmp/err-bad2"
if [ "$got" -eq "$nbad" ] && cmp -s "$tmp/err-bad1" "$tmp/err-bad2" &&
	grep ': error: ' "$tmp/err-bad1" >"$tmp/err-bad-lines" &&
	sort -t: -k1,1 -k2,2n -s "$tmp/err-bad-lines" | cmp -s - "$tmp/err-bad-lines"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL threaded load: $got of $nbad broken files reported, or unstable order"
fi
# the man page is clean mdoc
if command -v mandoc >/dev/null 2>&1; then
	expect 0 "mandoc -Tlint man/stackmap.1" mandoc -Tlint -W warning man/stackmap.1
else
	echo "SKIP mandoc not installed"
fi
# make install honours PREFIX and DESTDIR
expect 0 "make install" make -s install DESTDIR="$tmp/dest" PREFIX=/opt/sm
for f in /opt/sm/bin/stackmap /opt/sm/share/man/man1/stackmap.1 \
	/opt/sm/share/stackmap/templates/README.md; do
	if [ -f "$tmp/dest$f" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL install: $f missing"; fi
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
