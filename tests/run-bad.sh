#!/bin/sh
# The bad-catalog corpus: each file in tests/bad/ is dropped into a copy of
# tests/fixtures/mini at the path its "place:" line names, and `stackmap
# validate` must print exactly its "expect:" lines (paths relative to the
# catalog) and exit 1 (or 0 when only warnings are expected).
# usage: tests/run-bad.sh STACKMAP [--update]
set -u
bin=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
for case in "$here"/bad/*; do
	name=$(basename "$case")
	place=$(grep -a -o 'place: [^ ]*' "$case" | head -n 1 | cut -c8-)
	rm -rf "$work/cat"
	cp -R "$here/fixtures/mini" "$work/cat"
	cp "$case" "$work/cat/$place"
	${VALGRIND_CMD:-} "$bin" --quiet --catalog "$work/cat" validate \
		>"$work/out" 2>"$work/err"
	rc=$?
	sed -n "s|^$work/cat/||p" "$work/err" >"$work/got"
	grep -a -o 'expect: .*' "$case" | cut -c9- >"$work/want"
	if [ "$update" = "--update" ]; then
		echo "== $name"; cat "$work/got"; continue
	fi
	want_rc=1
	grep -q ' error: ' "$work/want" || want_rc=0
	if [ ! -s "$work/want" ]; then
		echo "FAIL $name: the case has no expect: line"
		fail=$((fail + 1))
	elif ! cmp -s "$work/want" "$work/got"; then
		echo "FAIL $name: diagnostics differ"
		diff "$work/want" "$work/got" | sed 's/^/    /'
		fail=$((fail + 1))
	elif [ "$rc" -ne "$want_rc" ]; then
		echo "FAIL $name: exit status $rc, want $want_rc"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "bad-catalog: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
