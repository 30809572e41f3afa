#!/bin/sh
# Checks the generated site: builds a fresh site from the bundled catalog
# into a temporary folder (the committed site/ is only compared, never
# touched) and runs on it
#   - site/ is current (diff -r against the fresh build),
#   - the Nu HTML Checker (vnu.jar) on every .html page and stackmap.svg,
#   - markdownlint-cli2 on every .md page (.markdownlint-cli2.jsonc),
#   - tests/browser/site.test.mjs: headless Chromium through playwright-core
#     (console errors, requests, links, stack map, pricing table, no-JS view,
#     axe-core, screenshots in tests/out/screenshots/).
# Installs what it needs: Debian's chromium and a Java runtime (as root), and
# the npm devDependencies pinned in package.json/package-lock.json.
# Findings go to tests/out/site-findings.txt (or $SITE_FINDINGS).
# Prints PASS/FAIL per check and closes with "site: N passed, N failed".
# usage: tests/suite-site.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 3
STACKMAP=${STACKMAP:-$root/stackmap}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
findings=${SITE_FINDINGS:-$root/tests/out/site-findings.txt}
mkdir -p "$(dirname "$findings")"
: >"$findings"

passed=0
failed=0
started=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stackmap-site.XXXXXX") || exit 3
vnu_pid=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$vnu_pid" ] && kill "$vnu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
	passed=$((passed + 1))
	echo "PASS $*"
}
# fail NAME [DETAILS_FILE]: prints up to 40 detail lines, keeps all of them
# in the findings file
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
	echo "site suite took $(($(date +%s) - started))s; findings: $findings"
	echo "site: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# --- 1. tools ---------------------------------------------------------------
java_ok() {
	command -v java >/dev/null 2>&1 || return 1
	v=$(java -XshowSettings:properties -version 2>&1 |
		sed -n 's/^ *java\.specification\.version = //p')
	[ "${v%%.*}" -ge 17 ] 2>/dev/null
}
apt_pkgs=""
[ -x "$CHROMIUM" ] || apt_pkgs="$apt_pkgs chromium"
java_ok || apt_pkgs="$apt_pkgs default-jre-headless"
if [ -n "$apt_pkgs" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing:$apt_pkgs; run as root:" >"$tmp/out"
		echo "  apt-get install -y chromium default-jre-headless" >>"$tmp/out"
		fail "tools: chromium and Java 17+" "$tmp/out"
		finish
	fi
	echo "installing$apt_pkgs (apt-get)"
	# shellcheck disable=SC2086 # word splitting of the package list
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $apt_pkgs \
		>"$tmp/apt.log" 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$tmp/apt.log" 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $apt_pkgs \
			>>"$tmp/apt.log" 2>&1
	fi
fi
if [ -x "$CHROMIUM" ] && java_ok; then
	pass "tools: $("$CHROMIUM" --version 2>/dev/null | head -n 1), java $(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p')"
else
	tail -n 20 "$tmp/apt.log" >"$tmp/out" 2>/dev/null
	fail "tools: chromium and Java 17+ (apt-get install -y chromium default-jre-headless failed)" "$tmp/out"
	finish
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
	echo "node >= 20 is needed (found: $(node --version 2>/dev/null || echo none))" >"$tmp/out"
	fail "tools: node >= 20" "$tmp/out"
	finish
fi
# The installed devDependencies must be exactly the pinned ones.
npm_current() {
	[ -f package-lock.json ] && [ -f node_modules/.package-lock.json ] &&
		[ -z "$(find package-lock.json -newer node_modules/.package-lock.json)" ] &&
		node -e '
const pkg = require("./package.json");
for (const [n, v] of Object.entries(pkg.devDependencies)) {
	let got = null;
	try { got = require("./node_modules/" + n + "/package.json").version; } catch {}
	if (got !== v) process.exit(1);
}' 2>/dev/null
}
if ! npm_current; then
	# --ignore-scripts: vnu-jar's postinstall would try to download a JDK
	if [ -f package-lock.json ]; then
		echo "installing npm devDependencies (npm ci)"
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
			>"$tmp/npm.log" 2>&1
	else
		echo "creating package-lock.json (npm install)"
		npm install --ignore-scripts --no-audit --no-fund --save-exact \
			--loglevel=error >"$tmp/npm.log" 2>&1
	fi
fi
if npm_current; then
	pass "tools: npm devDependencies $(node -p 'Object.entries(require("./package.json").devDependencies).map(([n, v]) => n + "@" + v).join(" ")')"
else
	tail -n 20 "$tmp/npm.log" >"$tmp/out" 2>/dev/null
	fail "tools: npm ci" "$tmp/out"
	finish
fi
VNU_JAR=$root/node_modules/vnu-jar/build/dist/vnu.jar

# --- 2. a fresh build; site/ is current -----------------------------------
site=$tmp/site
if "$STACKMAP" -q --out "$site" build >"$tmp/out" 2>&1 && [ -f "$site/index.html" ]; then
	pass "build: $STACKMAP --out TMP/site build ($(find "$site" -type f | wc -l) files)"
else
	fail "build: $STACKMAP --out TMP/site build" "$tmp/out"
	finish
fi

# The Nu checker's JVM is the slowest step: start it now, read it later.
# (page paths are catalog ids: no blanks, so plain word splitting is safe)
(cd "$site" && find . \( -name '*.html' -o -name 'stackmap.svg' \) -type f |
	sed 's|^\./||' | sort) >"$tmp/vnu-files"
# shellcheck disable=SC2046 # one argument per file
(cd "$site" && set -f && exec java -Xss8m -jar "$VNU_JAR" --errors-only \
	--also-check-svg --format gnu $(cat "$tmp/vnu-files")) >"$tmp/vnu.out" 2>&1 &
vnu_pid=$!

if [ ! -d site ]; then
	echo "site/ is missing: run make site" >"$tmp/out"
	fail "site/ is current" "$tmp/out"
elif diff -rq site "$site" >"$tmp/diff" 2>&1; then
	pass "site/ is current (same as a fresh build)"
else
	first=$(head -n 1 "$tmp/diff" | sed \
		-e "s|^Files \([^ ]*\) and .* differ\$|\1|" \
		-e "s|^Only in $site\(/*\)\([^:]*\): \(.*\)|site/\2\1\3 (missing from site/)|" \
		-e "s|^Only in \([^:]*\): \(.*\)|\1/\2 (not produced by the build)|" \
		-e "s|//|/|g")
	{
		echo "site/ is stale: run make site"
		echo "first differing file: $first"
		echo "$(wc -l <"$tmp/diff") differences in all"
	} >"$tmp/out"
	fail "site/ is current" "$tmp/out"
fi

# --- 4. Markdown ------------------------------------------------------------
(cd "$site" && find . -name '*.md' -type f | sed 's|^\./||' | sort) >"$tmp/md-files"
n_md=$(wc -l <"$tmp/md-files")
# every page kind has a Markdown twin, except 404 (templates/README.md)
(cd "$site" && find . -name '*.html' -type f | sed 's|^\./||' | sort) |
	while read -r f; do
		[ "$f" = 404.html ] && continue
		[ -f "$site/${f%.html}.md" ] || echo "${f%.html}.md (twin of $f) was not built"
	done >"$tmp/out"
if [ -s "$tmp/out" ]; then
	fail "every HTML page but 404 has a Markdown twin ($n_md .md pages)" "$tmp/out"
else
	pass "every HTML page but 404 has a Markdown twin ($n_md .md pages)"
fi
if [ "$n_md" -eq 0 ]; then
	echo "no .md pages in the build (templates/md/ is empty?)" >"$tmp/out"
	fail "markdownlint-cli2: .md pages" "$tmp/out"
elif (cd "$site" && node "$root/node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs" \
	--config "$root/.markdownlint-cli2.jsonc" "**/*.md") >"$tmp/mdl.out" 2>&1; then
	pass "markdownlint-cli2: $n_md .md pages, no findings"
else
	# keep the findings (FILE:LINE[:COL] RULE ...), drop the banner
	grep -E '^[^ ]+\.md:[0-9]+' "$tmp/mdl.out" | sed 's|^|site/|' >"$tmp/out"
	[ -s "$tmp/out" ] || cp "$tmp/mdl.out" "$tmp/out"
	fail "markdownlint-cli2: $n_md .md pages, $(grep -cE '^site/[^ ]+\.md:[0-9]+' "$tmp/out") findings" "$tmp/out"
fi

# --- 5. the browser ---------------------------------------------------------
node tests/browser/site.test.mjs "$site" --findings "$findings" >"$tmp/browser.out" 2>&1
browser_rc=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/browser.out"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/browser.out" | tail -n 1)
if [ -n "$summary" ]; then
	bp=${summary%% passed*}
	bf=${summary#*passed, }
	bf=${bf%% failed*}
	passed=$((passed + bp))
	failed=$((failed + bf))
	if [ "$browser_rc" -ne 0 ] && [ "$bf" -eq 0 ]; then
		echo "tests/browser/site.test.mjs exited $browser_rc" >"$tmp/out"
		fail "browser: site.test.mjs" "$tmp/out"
	fi
else
	tail -n 20 "$tmp/browser.out" >"$tmp/out"
	fail "browser: site.test.mjs ended without a summary (exit $browser_rc)" "$tmp/out"
fi

# --- 3. the Nu HTML Checker (started above) --------------------------------
n_vnu=$(wc -l <"$tmp/vnu-files")
wait "$vnu_pid"
vnu_rc=$?
vnu_pid=""
# "file:/tmp/x/site/a.html":1.2-1.3: error: … -> site/a.html:1.2-1.3: error: …
sed -e "s|^\"file:$site/\([^\"]*\)\"|site/\1|" "$tmp/vnu.out" >"$tmp/out"
n_err=$(grep -c ': error: ' "$tmp/out")
if [ "$vnu_rc" -eq 0 ] && [ "$n_err" -eq 0 ]; then
	pass "Nu HTML Checker: $n_vnu files (.html + stackmap.svg), no errors"
else
	fail "Nu HTML Checker: $n_vnu files (.html + stackmap.svg), $n_err errors (exit $vnu_rc)" "$tmp/out"
fi

finish
