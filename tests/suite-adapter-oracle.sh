#!/bin/sh
# Every recorded real API answer in $STACKMAP_SHARED/realdata (default
# ../shared) parsed by its C adapter to exactly the listing that
# tests/adapter_oracle.py computes on its own from the APIs' documented
# semantics. Exits 77 (skipped) when realdata is not there.
# usage: tests/suite-adapter-oracle.sh BUILD_DIR
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 3
exec /usr/bin/python3 tests/adapter_oracle.py "$build/tests/listing_dump"
