#!/bin/sh
# bench-profile: where stackmap spends its instructions. Runs callgrind on
# a build of the M catalog and on a validate of the L catalog, and (when
# perf works) samples an L build with perf, and writes the top functions
# (self and inclusive) to tests/bench/PROFILE.md. Several minutes.
# usage: tests/bench/profile.sh STACKMAP [BUILD_SIZE] [VALIDATE_SIZE]
set -eu
bin=${1:?usage: profile.sh STACKMAP [BUILD_SIZE] [VALIDATE_SIZE]}
bsize=${2:-M}
vsize=${3:-L}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
work=${BENCH_WORK:-/dev/shm/stackmap-profile}
out="$here/PROFILE.md"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT INT TERM
command -v valgrind >/dev/null || { echo "profile: valgrind is not installed" >&2; exit 3; }

python3 "$here/gen-catalog" "$bsize" "$work/cat-$bsize"
[ "$vsize" = "$bsize" ] || python3 "$here/gen-catalog" "$vsize" "$work/cat-$vsize"

top() { # file, inclusive yes/no, lines
	callgrind_annotate --inclusive="$2" --threshold=99 "$1" 2>/dev/null |
		sed -n '/^-* *$/d; /Ir/,$p' | head -n "$3"
}

echo "profile: callgrind, build $bsize" >&2
valgrind -q --tool=callgrind --callgrind-out-file="$work/build.cg" \
	"$bin" --catalog "$work/cat-$bsize" --templates "$root/templates" \
	--out "$work/site" build 2>"$work/build.err"
echo "profile: callgrind, validate $vsize" >&2
valgrind -q --tool=callgrind --callgrind-out-file="$work/validate.cg" \
	"$bin" --catalog "$work/cat-$vsize" validate 2>"$work/validate.err"

perf_ok=0
if command -v perf >/dev/null && [ "$vsize" != "$bsize" ]; then
	echo "profile: perf, build $vsize" >&2
	if perf record -q -g -o "$work/perf.data" "$bin" --catalog "$work/cat-$vsize" \
		--templates "$root/templates" --out "$work/site-$vsize" build \
		2>"$work/perf.err"; then
		perf_ok=1
	fi
fi

{
	echo "# stackmap profile"
	echo
	echo "Written by \`make bench-profile\` (tests/bench/profile.sh) on $(date -Iseconds)."
	echo "Instruction counts (Ir) from callgrind; perf samples include the kernel."
	echo
	echo "## callgrind: build of $bsize, self (exclusive) cost"
	echo
	echo '```text'
	top "$work/build.cg" no 45
	echo '```'
	echo
	echo "## callgrind: build of $bsize, inclusive cost"
	echo
	echo '```text'
	top "$work/build.cg" yes 60
	echo '```'
	echo
	echo "## callgrind: build of $bsize, heaviest functions and their callers"
	echo
	echo "(costs inside jansson and libyaml, which ship without symbols, land"
	echo "on their stackmap callers here)"
	echo
	echo '```text'
	python3 "$here/cg-callers.py" "$work/build.cg" 45 4
	echo '```'
	echo
	echo "## callgrind: validate of $vsize, self cost"
	echo
	echo '```text'
	top "$work/validate.cg" no 30
	echo '```'
	echo
	echo "## callgrind: validate of $vsize, inclusive cost"
	echo
	echo '```text'
	top "$work/validate.cg" yes 40
	echo '```'
	if [ "$perf_ok" = 1 ]; then
		echo
		echo "## perf: build of $vsize, self cost (user and kernel)"
		echo
		echo '```text'
		perf report -i "$work/perf.data" --no-children --sort symbol \
			--stdio -g none 2>/dev/null | grep '%' | head -n 40
		echo '```'
	fi
} >"$out"
echo "profile: wrote $out" >&2
