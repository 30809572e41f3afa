#!/bin/sh
# The crash suite: stackmap's outputs survive a kill and a full disk.
#   1. tests/crash/trials.py build: `stackmap build` is killed with SIGKILL
#      (tests/crash/killat) at delays stepped over its measured run, and,
#      when strace is there, as it enters each kind of file-system call;
#      after every kill site/ must be all the old or all the new tree
#      (every file's SHA-256, the same set of files), never partial or
#      missing; a first build killed leaves no site/ or a complete one.
#   2. tests/crash/trials.py probe: the same for `stackmap probe` against
#      tests/fixture/fixture_server (slow answers, a 1 MiB snapshot): the
#      snapshot must always parse and be the old or the new one, and the
#      temporary files of killed probes must not pile up.
#   3. tests/crash/diskfull.py: build and probe on a full disk (a small
#      tmpfs when mount is allowed, else RLIMIT_FSIZE) exit 3, say "No
#      space left on device" or "File too large" with the path, and leave
#      the previous site/ and snapshot byte-identical.
# The kill delays come from a fixed seed (CRASH_SEED, default 20261126).
# CRASH_TRIALS sets the number of timed kills of each command (default
# 100); CRASH_DISKFULL=tmpfs|fsize forces a full-disk method.
# Prints PASS/FAIL per check and closes with "crash: N passed, N failed".
# usage: tests/suite-crash.sh BUILD_DIR     (KEEP=1 keeps the work folder)
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 3
STACKMAP=${STACKMAP:-$root/stackmap}
SERVER=${FIXTURE_SERVER:-$build/tests/fixture_server}
KILLAT=${KILLAT:-$build/tests/killat}
trials=${CRASH_TRIALS:-100}
started=$(date +%s)

command -v python3 >/dev/null 2>&1 || {
	echo "suite-crash: python3 is missing"
	exit 77
}
# `make check` builds both helpers (mk/crash.mk, mk/probe.mk); a suite run
# on its own makes them when they are missing or out of date
for tool in "$KILLAT" "$SERVER"; do
	make -s BUILD="$build" "$tool" >/dev/null || true
	[ -x "$tool" ] || {
		echo "FAIL $tool is missing (make $tool)"
		echo "crash: 0 passed, 1 failed"
		exit 1
	}
done
[ -x "$STACKMAP" ] || {
	echo "FAIL $STACKMAP is missing (make)"
	echo "crash: 0 passed, 1 failed"
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/stackmap-crash.XXXXXX") || exit 3
server_pid=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	# a tmpfs left mounted by an interrupted diskfull.py
	mountpoint -q "$work/disk/disk" 2>/dev/null && umount "$work/disk/disk"
	if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The trials compare builds and probes made a minute apart: they run a
# copy of the binary and of the templates, which a rebuild or an edit in
# the work tree during the run cannot change.
cp "$STACKMAP" "$work/stackmap" && cp -R templates "$work/templates" || exit 3
STACKMAP=$work/stackmap
CRASH_TEMPLATES=$work/templates
# diskfull.py imports trials.py: no __pycache__ in the source tree
PYTHONDONTWRITEBYTECODE=1
export CRASH_TEMPLATES PYTHONDONTWRITEBYTECODE

passed=0
failed=0
# part NAME COMMAND...: runs one of the Python parts, showing its output,
# and adds up its PASS and FAIL lines; a part that dies before its closing
# line counts as a failure.
part() {
	name=$1
	shift
	echo "--- $name"
	"$@" >"$work/$name.out" 2>&1
	cat "$work/$name.out"
	p=$(grep -c '^PASS' "$work/$name.out")
	f=$(grep -c '^FAIL' "$work/$name.out")
	if ! tail -n 1 "$work/$name.out" | grep -q '^[0-9]* passed, [0-9]* failed$'; then
		echo "FAIL $name did not finish"
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# ---- the fixture server ---------------------------------------------------

mkdir -p "$work/responses"
"$SERVER" "$work/responses" >"$work/port" 2>"$work/server.err" &
server_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
PORT=$(head -n 1 "$work/port")
[ -n "$PORT" ] || {
	echo "FAIL the fixture server did not start: $(cat "$work/server.err")"
	echo "crash: 0 passed, 1 failed"
	exit 1
}

# ---- the parts --------------------------------------------------------------

command -v strace >/dev/null 2>&1 ||
	echo "    (no strace: the kills at given file-system calls are left out)"
mkdir -p "$work/build" "$work/probe" "$work/disk"
part build python3 tests/crash/trials.py build "$KILLAT" "$STACKMAP" \
	"$work/build" "$trials"
part probe python3 tests/crash/trials.py probe "$KILLAT" "$STACKMAP" \
	"$work/probe" "$trials" "$PORT" "$work/responses"
part diskfull python3 tests/crash/diskfull.py "$STACKMAP" "$work/disk" \
	"$PORT" "$work/responses" "${CRASH_DISKFULL:-auto}"

echo "crash: $passed passed, $failed failed ($(($(date +%s) - started)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
