#!/bin/sh
# bench-smoke: generates the S catalog twice (it must be byte-identical),
# checks it validates with 0 errors and 0 warnings (--strict) and builds,
# and that the build wrote a page per vendor and model and every offer to
# api/offers.csv. A few seconds; meant for `make check`.
# usage: tests/bench/smoke.sh STACKMAP
set -eu
bin=${1:?usage: smoke.sh STACKMAP}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stackmap-bench-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "bench-smoke: FAIL: $*" >&2; exit 1; }

python3 "$here/gen-catalog" S "$tmp/cat"
python3 "$here/gen-catalog" S "$tmp/cat2"
diff -r "$tmp/cat" "$tmp/cat2" >/dev/null || fail "gen-catalog is not deterministic"

"$bin" --catalog "$tmp/cat" validate --strict 2>"$tmp/validate.txt" ||
	{ cat "$tmp/validate.txt" >&2; fail "validate exited $?"; }
grep -q ': 100 vendors, 200 models, 2000 offers, 1 primers: 0 errors, 0 warnings$' \
	"$tmp/validate.txt" || { cat "$tmp/validate.txt" >&2; fail "validate summary"; }

"$bin" --catalog "$tmp/cat" --templates "$root/templates" --out "$tmp/site" \
	build 2>"$tmp/build.txt" ||
	{ cat "$tmp/build.txt" >&2; fail "build exited non-zero"; }
n=$(find "$tmp/site/vendors" -name '*.html' | wc -l)
[ "$n" -eq 100 ] || fail "expected 100 vendor pages, found $n"
n=$(find "$tmp/site/models" -name '*.html' | wc -l)
[ "$n" -eq 200 ] || fail "expected 200 model pages, found $n"
n=$(wc -l <"$tmp/site/api/offers.csv")
[ "$n" -eq 2001 ] || fail "expected 2001 lines in api/offers.csv, found $n"
[ -s "$tmp/site/api/catalog.json" ] || fail "api/catalog.json is empty"
echo "bench-smoke: ok ($(sed -n 's/.*: \([0-9]*\) files.*/\1/p' "$tmp/build.txt") files)"
