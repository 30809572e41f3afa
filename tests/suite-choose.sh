#!/bin/sh
# `stackmap choose` and the choose page:
#   - spec files: the CLI on tests/fixtures/choose against the exact
#     outputs in tests/fixtures/choose/expected/ (the command of each is
#     below),
#   - usage errors exit 2 with a message that names the problem,
#   - the README's `stackmap choose` example is what the binary prints (the
#     lines it shows; "..." elides),
#   - the bundled catalog prints a ranking, and for several workloads the
#     JSON output parses and agrees with the table, row by row, to the cent,
#   - both catalogs build a choose page,
#   - tests/browser/choose.test.mjs: the page's figures equal the CLI's for
#     24 seeded workloads (and 8 on the fixture) and without JavaScript.
#     It needs node_modules/playwright-core and chromium; without them it is
#     skipped and the suite exits 77 (skipped) unless something failed.
# Prints PASS/FAIL per check and closes with "choose: N passed, N failed".
# usage: tests/suite-choose.sh [BUILD_DIR]
# BUNDLED=DIR runs the bundled-catalog checks on DIR instead of catalog.
set -u
cd "$(dirname "$0")/.." || exit 3
bin=${STACKMAP:-./stackmap}
fixture=tests/fixtures/choose
bundled=${BUNDLED:-catalog}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
pass=0
fail=0
skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stackmap-choose.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT

ok() {
	pass=$((pass + 1))
	echo "PASS $1"
}
ko() { # ko NAME [DETAILS_FILE]
	fail=$((fail + 1))
	echo "FAIL $1"
	[ $# -gt 1 ] && [ -s "$2" ] && sed -n '1,30s/^/    /p' "$2"
}

# golden NAME ARGS...: the CLI on the fixture prints expected/NAME exactly.
golden() {
	name=$1
	shift
	if "$bin" --catalog "$fixture" choose "$@" >"$tmp/out" 2>"$tmp/err" &&
		diff -u "$fixture/expected/$name" "$tmp/out" >"$tmp/diff" 2>&1; then
		ok "golden $name"
	else
		cat "$tmp/err" >>"$tmp/diff"
		ko "golden $name: choose $*" "$tmp/diff"
	fi
}
golden default.txt --model open-70b
golden cached-compatible.md --model "Open 70B Instruct" --cached-share 0.5 \
	--require openai-compatible --max-monthly 70 --format md
golden via-router.txt --model eps/open-70b --via routerx \
	--input-tokens 2.5B --output-tokens 100k
golden lab-model.txt --model lab-mini --layer model-lab \
	--input-tokens 1234567 --output-tokens 0

# usage STDERR_TEXT ARGS...: exit 2 and the message on stderr.
usage() {
	want=$1
	shift
	"$bin" --catalog "$fixture" choose "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -qF -- "$want" "$tmp/err"; then
		ok "usage error: $*"
	else
		echo "exit $rc, want 2 and '$want' on stderr" >"$tmp/why"
		cat "$tmp/err" >>"$tmp/why"
		ko "usage error: $*" "$tmp/why"
	fi
}
usage "--input-tokens '12x' is not a number" --model open-70b --input-tokens 12x
usage "--output-tokens '-5' is negative" --model open-70b --output-tokens -5
usage "--input-tokens '1e400' is too large" --model open-70b --input-tokens 1e400
usage "--cached-share '1.5' is not between 0 and 1" --model open-70b --cached-share 1.5
usage "--max-monthly 'lots' is not a number" --model open-70b --max-monthly lots
usage "--format takes table, md or json" --model open-70b --format csv
usage "--require takes openai-compatible" --model open-70b --require fast
usage "--model ID is required" --input-tokens 1M
usage "unknown model 'open-71b'; did you mean open-70b?" --model open-71b
usage "unknown model 'Open-70B-Fast'; did you mean open-70b?" --model Open-70B-Fast
usage "unknown vendor 'alhpa'; did you mean 'alpha'?" --model open-70b --via alhpa
usage "unknown layer 'labs'" --model open-70b --layer labs
if "$bin" --catalog "$tmp/none" choose --model x >/dev/null 2>&1; then
	ko "a missing catalog fails"
else
	[ $? -eq 3 ] && ok "a missing catalog folder exits 3 (I/O)" || ko "a missing catalog folder exits 3 (I/O)"
fi
if "$bin" choose --help | grep -qF "then vendor id, then remote id"; then
	ok "--help states the tie-break"
else
	ko "--help states the tie-break"
fi

# The bundled catalog: the issue's example prints a ranking.
if "$bin" --catalog "$bundled" choose --model llama-3.3-70b --input-tokens 100M \
	--output-tokens 20M >"$tmp/out" 2>"$tmp/err" &&
	grep -qE '^ *1  .*\$[0-9,]+\.[0-9][0-9]' "$tmp/out" &&
	grep -q '^Resilience: ' "$tmp/out" &&
	grep -q '^Frontier-lab alternatives the catalog names' "$tmp/out"; then
	ok "bundled catalog: llama-3.3-70b 100M/20M prints a ranking"
else
	cat "$tmp/err" "$tmp/out" >"$tmp/why"
	ko "bundled catalog: llama-3.3-70b 100M/20M prints a ranking" "$tmp/why"
fi

# The README's example: the command it shows, run on the bundled catalog,
# prints the lines it shows, in order; "..." stands for lines left out, and
# the lines between two of them are consecutive in the output.
if python3 - README.md "$bin" "$bundled" >"$tmp/why" 2>&1 <<'EOF'; then
import shlex, subprocess, sys
readme, binary, catalog = sys.argv[1:4]
text = open(readme, encoding="utf-8").read()
start = text.index("```text\n$ stackmap choose ") + len("```text\n")
block = text[start:text.index("```", start)].rstrip("\n").split("\n")
args = shlex.split(block[0][2:])[1:]
out = subprocess.run([binary, "--catalog", catalog] + args, capture_output=True,
                     text=True, check=True).stdout.rstrip("\n").split("\n")
segments, seg = [], []
for line in block[1:]:
    if line == "...":
        segments.append(seg)
        seg = []
    else:
        seg.append(line)
segments.append(seg)
at, problems = 0, []
for i, seg in enumerate(segments):
    found = next((k for k in range(at, len(out) - len(seg) + 1)
                  if out[k:k + len(seg)] == seg), None)
    if found is None or (i == 0 and found != 0):
        problems.append(f"README lines not in the output as shown, from {seg[0]!r}")
        best = max(range(at, len(out)), default=at, key=lambda k: sum(
            a == b for a, b in zip(out[k:k + len(seg)], seg)))
        for a, b in zip(seg, out[best:best + len(seg)]):
            if a != b:
                problems.append(f"  README: {a}\n  binary: {b}")
        break
    at = found + len(seg)
if not problems and at != len(out):
    problems.append(f"the output goes on after the README's last line: {out[at]!r}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
	ok "README: the stackmap choose example is what the binary prints"
else
	ko "README: the stackmap choose example is what the binary prints" "$tmp/why"
fi

# agree CATALOG ARGS...: --format json parses and matches the table.
agree() {
	cat=$1
	shift
	if ! "$bin" --catalog "$cat" choose "$@" >"$tmp/table" 2>"$tmp/err" ||
		! "$bin" --catalog "$cat" choose "$@" --format json \
			>"$tmp/json" 2>>"$tmp/err"; then
		ko "json agrees with table: $cat $*" "$tmp/err"
		return
	fi
	if python3 - "$tmp/table" "$tmp/json" >"$tmp/why" 2>&1 <<'EOF'; then
import json, math, re, sys
table = open(sys.argv[1], encoding="utf-8").read().split("\n")
res = json.load(open(sys.argv[2], encoding="utf-8"))
rows = res["ranking"]
head = [i for i, l in enumerate(table) if re.match(r"^ *# +Vendor ", l)]
lines = []
if head:
    for l in table[head[0] + 1:]:
        if not l.strip():
            break
        lines.append(l)
problems = []
if len(lines) != len(rows):
    problems.append(f"{len(lines)} table rows, {len(rows)} in json")
for line, row in zip(lines, rows):
    start = f"{row['rank']}  {row['vendor_name']}"
    if not line.lstrip().startswith(start):
        problems.append(f"row {row['rank']}: '{line}' does not start with '{start}'")
    money = re.search(r"\$[\d,]+\.\d\d", line)
    if not money or money.group(0) != row["monthly_label"]:
        problems.append(f"row {row['rank']}: table {money and money.group(0)}, json {row['monthly_label']}")
    cents = math.floor(row["monthly"] * 100 + 0.5)
    if f"${cents // 100:,}.{cents % 100:02d}" != row["monthly_label"]:
        problems.append(f"row {row['rank']}: {row['monthly']} is not {row['monthly_label']}")
for a, b in zip(rows, rows[1:]):
    ka = (a["monthly"], a["vendor_id"], a["remote_id"])
    kb = (b["monthly"], b["vendor_id"], b["remote_id"])
    if ka > kb:
        problems.append(f"not ranked: {ka} before {kb}")
for row in res["no_price"]:
    if f"  {row['vendor_name']} ({row['vendor_id']}), {row['remote_id']}" not in table:
        problems.append(f"no-price {row['vendor_id']} missing from the table output")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
		ok "json agrees with table: $cat $*"
	else
		ko "json agrees with table: $cat $*" "$tmp/why"
	fi
}
agree "$bundled" --model llama-3.3-70b --input-tokens 100M --output-tokens 20M
agree "$bundled" --model gpt-oss-120b --input-tokens 2.5B --output-tokens 100k \
	--cached-share 0.25
agree "$bundled" --model LLAMA-3.3-70B --input-tokens 50M --output-tokens 5M
agree "$bundled" --model "Llama 3.3 70B Instruct" --input-tokens 300M \
	--output-tokens 30M --require openai-compatible
agree "$bundled" --model meta-llama/Llama-3.3-70B-Instruct-Turbo \
	--input-tokens 1234567 --output-tokens 7654321 --layer hyperscaler
agree "$bundled" --model deepseek-r1 --input-tokens 123456789 \
	--output-tokens 98765 --cached-share 0.9 --max-monthly 150
agree "$fixture" --model open-70b --input-tokens 777777777 \
	--output-tokens 3333 --cached-share 0.333

# Both catalogs build a choose page in HTML and Markdown.
for cat in "$bundled" "$fixture"; do
	out=$tmp/site-$([ "$cat" = "$bundled" ] && echo catalog || basename "$cat")
	if "$bin" -q --catalog "$cat" --out "$out" build >"$tmp/err" 2>&1 &&
		[ -s "$out/choose.html" ] && [ -s "$out/choose.md" ] &&
		[ -s "$out/assets/choose.js" ]; then
		ok "build $cat: choose.html, choose.md, assets/choose.js"
	else
		ko "build $cat: choose.html, choose.md, assets/choose.js" "$tmp/err"
	fi
done
if grep -qF 'data-vendor="epsilon" data-remote="eps/open-70b" data-monthly="78"' \
	"$tmp/site-choose/choose.html"; then
	ok "fixture page: summarisation preset ranks epsilon first at \$78"
else
	ko "fixture page: summarisation preset ranks epsilon first at \$78"
fi

# The page in a browser, against the CLI.
if [ -d node_modules/playwright-core ] && [ -x "$CHROMIUM" ] &&
	command -v node >/dev/null 2>&1; then
	# the fixture again with page_offers: 1, so that the page loads each
	# model's offers from api/choose/MODEL.json
	cp -R "$fixture" "$tmp/split-cat"
	echo "page_offers: 1" >>"$tmp/split-cat/site.yaml"
	if "$bin" -q --catalog "$tmp/split-cat" --out "$tmp/site-split" build >"$tmp/err" 2>&1 &&
		[ -s "$tmp/site-split/api/choose/open-70b.json" ] &&
		grep -q 'data-split="api/choose/"' "$tmp/site-split/choose.html"; then
		ok "build with page_offers 1: the choose page loads models' offers from api/choose/"
	else
		ko "build with page_offers 1: the choose page loads models' offers from api/choose/" "$tmp/err"
	fi
	for run in "$bundled site-catalog 24" "$fixture site-choose 8" "$tmp/split-cat site-split 8"; do
		set -- $run
		if node tests/browser/choose.test.mjs "$bin" "$1" "$tmp/$2" "$3" \
			>"$tmp/browser" 2>&1; then
			ok "browser: $1, $3 workloads ($(tail -n 1 "$tmp/browser"))"
		else
			grep -v '^PASS' "$tmp/browser" >"$tmp/why"
			ko "browser: $1, $3 workloads" "$tmp/why"
		fi
	done
else
	skipped=1
	echo "SKIP browser: needs node_modules/playwright-core (npm ci) and $CHROMIUM"
fi

echo "choose: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
[ "$skipped" -eq 0 ] || exit 77
exit 0
