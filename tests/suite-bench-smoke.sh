#!/bin/sh
# The benchmark's smoke run in `make check`: the S catalog of
# tests/bench/gen-catalog (100 vendors, 200 models, 2,000 offers) is
# generated deterministically, validates clean and builds (see
# tests/bench/smoke.sh). `make bench` itself is not part of the suite.
# usage: tests/suite-bench-smoke.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
STACKMAP=${STACKMAP:-$root/stackmap}
if sh "$here/bench/smoke.sh" "$STACKMAP"; then
	echo "bench-smoke: 1 passed, 0 failed"
else
	echo "bench-smoke: 0 passed, 1 failed"
	exit 1
fi
