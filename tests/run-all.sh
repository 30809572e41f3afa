#!/bin/sh
# Runs the whole test suite: every cmocka unit test binary, the bad-catalog
# corpus, and every tests/suite-*.sh. With VALGRIND=1 each binary runs under
# valgrind. A suite that exits 77 could not find what it needs (for example
# ../shared) and is counted as skipped, never as passed. Prints a closing
# "N passed, N failed, N skipped" line over all suites.
# usage: tests/run-all.sh BUILD_DIR
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 3
if [ "${VALGRIND:-}" = 1 ]; then
	VALGRIND_CMD="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	export VALGRIND_CMD
fi
STACKMAP="${STACKMAP:-$root/stackmap}"
export STACKMAP
suites_passed=0
suites_failed=0
suites_skipped=0
failed_names=""
seen=""
run() {
	name=$1
	shift
	echo "=== $name"
	"$@"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		suites_passed=$((suites_passed + 1))
	elif [ "$rc" -eq 77 ]; then
		suites_skipped=$((suites_skipped + 1))
		echo "SKIPPED $name"
	else
		suites_failed=$((suites_failed + 1))
		failed_names="$failed_names $name"
	fi
}
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" ${VALGRIND_CMD:-} "$t"
done
run bad-catalog sh tests/run-bad.sh "$STACKMAP"
# suite-site installs the browser and npm tools the other suites share
for s in tests/suite-site.sh tests/suite-*.sh; do
	case " $seen " in *" $s "*) continue ;; esac
	seen="$seen $s"
	[ -f "$s" ] || continue
	run "$(basename "$s" .sh)" sh "$s" "$build"
done
[ -n "$failed_names" ] && echo "failed suites:$failed_names"
echo "suites: $suites_passed passed, $suites_failed failed, $suites_skipped skipped"
[ "$suites_failed" -eq 0 ]
