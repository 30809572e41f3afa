#!/bin/sh
# The install suite: `make install` into temporary prefixes, then the
# installed binary, run from folders without templates/, builds the bundled
# catalog and a project made by `stackmap init`; the version reaches the
# footer and api/catalog.json; the skeleton still matches the bundled
# catalog it was copied from; the bash completion.
#
# Two installs, each linking its own binary in a temporary build folder
# (the objects of BUILD_DIR copied, so only src/datadir.c is compiled
# again) and leaving the tree's own build alone:
#   make install PREFIX=$tmp/prefix   the compiled-in data folder is
#                                     $tmp/prefix/share/stackmap
#   make install DESTDIR=$tmp/dest PREFIX=/opt/stackmap-suite
#                                     a staged tree: the binary finds its
#                                     files relative to itself
# usage: tests/suite-install.sh BUILD_DIR
# Ends with "N passed, N failed"; exits non-zero on a failure.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 3
version=$(cat VERSION)
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
check() { # check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $desc"
	fi
}
has() { grep -qF -- "$2" "$1"; }
# run DIR BINARY ARGS...: runs an installed binary in DIR; output in
# $tmp/out and $tmp/err, status in $rc.
run() {
	dir=$1
	shift
	(cd "$dir" && ${VALGRIND_CMD:-} "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# install NAME MAKE-ARGS...: make install with a build folder of its own.
install_to() {
	obj=$tmp/obj-$1
	shift
	mkdir -p "$obj"
	cp -p "$build"/*.o "$build/.deps" "$obj/" 2>/dev/null
	make -s install BUILD="$obj" BIN="$obj/stackmap" "$@" \
		>"$tmp/make.out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$tmp/make.out" | tail -n 20
}

# ---- make install PREFIX=... -------------------------------------------------

prefix=$tmp/prefix
install_to prefix PREFIX="$prefix"
check "make install PREFIX=$prefix (rc $rc)" [ "$rc" -eq 0 ]
for f in bin/stackmap share/man/man1/stackmap.1 \
	share/stackmap/templates/html/index.mustache \
	share/stackmap/templates/assets/style.css \
	share/stackmap/skeleton/catalog/site.yaml \
	share/stackmap/skeleton/README.md \
	share/bash-completion/completions/stackmap; do
	check "installed $f" [ -f "$prefix/$f" ]
done
check "the completion is installed as is" cmp -s completion/stackmap.bash \
	"$prefix/share/bash-completion/completions/stackmap"
bin=$prefix/bin/stackmap
run "$tmp" "$bin" --version
check "--version (rc $rc)" [ "$rc" -eq 0 ]
check "--version prints VERSION" has "$tmp/out" "stackmap $version"

# The bundled catalog, from a folder without templates/.
mkdir -p "$tmp/bundled"
cp -R catalog "$tmp/bundled/catalog"
run "$tmp/bundled" "$bin" build
check "the installed binary builds the bundled catalog (rc $rc)" [ "$rc" -eq 0 ]
check "with the installed templates" cmp -s \
	"$tmp/bundled/site/assets/style.css" \
	"$prefix/share/stackmap/templates/assets/style.css"
check "the HTML footer has the version" has "$tmp/bundled/site/index.html" \
	"stackmap $version</p>"
check "the Markdown footer has the version" has "$tmp/bundled/site/index.md" \
	"· stackmap $version ·"
check "api/catalog.json has the version" python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(d["site"]["version"] != sys.argv[2])' \
	"$tmp/bundled/site/api/catalog.json" "$version"

# The compiled-in data folder: a copy of the binary with nothing beside it.
mkdir -p "$tmp/elsewhere/bin" "$tmp/compiled"
cp "$bin" "$tmp/elsewhere/bin/stackmap"
cp -R catalog "$tmp/compiled/catalog"
run "$tmp/compiled" "$tmp/elsewhere/bin/stackmap" build
check "a moved binary finds the compiled-in data folder (rc $rc)" \
	[ "$rc" -eq 0 ]
check "so it was built for this PREFIX" [ -f "$tmp/compiled/site/index.html" ]

# ---- stackmap init ----------------------------------------------------------

run "$tmp" "$bin" init my-stack
check "init my-stack (rc $rc)" [ "$rc" -eq 0 ]
check "init says what to do next" has "$tmp/out" \
	"next: cd my-stack && stackmap build"
proj=$tmp/my-stack
for f in README.md catalog/site.yaml catalog/vendors/together.yaml catalog/vendors/deepinfra.yaml \
	catalog/vendors/openrouter.yaml catalog/vendors/meta.yaml \
	catalog/vendors/litellm.yaml catalog/models/llama-3.3-70b.yaml \
	catalog/models/llama-3.1-8b.yaml catalog/primers/inference-providers.md \
	templates/html/index.mustache templates/assets/site.js; do
	check "init made $f" [ -f "$proj/$f" ]
done
check "the examples are marked" sh -c \
	"grep -L '^# EXAMPLE from stackmap' '$proj'/catalog/vendors/*.yaml \
	'$proj'/catalog/models/*.yaml '$proj'/catalog/primers/*.md | grep -q . && exit 1 || exit 0"
check "the templates are the installed ones" diff -r \
	"$prefix/share/stackmap/templates" "$proj/templates"
for s in vendor model site primer; do
	"$bin" schema $s >"$tmp/schema.json"
	check "catalog/schema/$s.schema.json is the binary's" cmp -s \
		"$tmp/schema.json" "$proj/catalog/schema/$s.schema.json"
done
run "$proj" "$bin" validate --strict
check "the new project validates clean (rc $rc)" [ "$rc" -eq 0 ]
check "with its examples" has "$tmp/err" \
	"catalog: 5 vendors, 2 models, 3 offers, 1 primers: 0 errors, 0 warnings"
run "$proj" "$bin" build
check "cd my-stack && stackmap build (rc $rc)" [ "$rc" -eq 0 ]
check "the site has the example vendor" [ -f "$proj/site/vendors/together.html" ]
check "and the example primer" [ -f "$proj/site/primers/inference-providers.html" ]
check "and the version" has "$proj/site/index.html" "stackmap $version</p>"

# refusals, and an existing empty folder
find "$proj" -type f | sort >"$tmp/before"
run "$tmp" "$bin" init my-stack
check "init refuses a folder that is not empty (rc $rc)" [ "$rc" -eq 2 ]
check "and says why" has "$tmp/err" \
	"stackmap: init: 'my-stack' is not empty; init only fills a new or empty folder"
find "$proj" -type f | sort >"$tmp/after"
check "and leaves it alone" cmp -s "$tmp/before" "$tmp/after"
: >"$tmp/a-file"
run "$tmp" "$bin" init a-file
check "init refuses a file (rc $rc)" [ "$rc" -eq 2 ]
mkdir -p "$tmp/empty"
run "$tmp/empty" "$bin" -q init .
check "init . in an empty folder (rc $rc)" [ "$rc" -eq 0 ]
check "-q: init prints nothing" [ ! -s "$tmp/out" ]
check "init . made the project" [ -f "$tmp/empty/catalog/site.yaml" ]
run "$tmp" "$bin" --templates "$tmp/none" init other
check "init without templates fails (rc $rc)" [ "$rc" -eq 3 ]
check "and names them" has "$tmp/err" "'$tmp/none' holds no templates"
check "and creates nothing" [ ! -e "$tmp/other" ]

# ---- make install DESTDIR=... (a staged tree) -------------------------------

dest=$tmp/dest
staged=$dest/opt/stackmap-suite
install_to dest DESTDIR="$dest" PREFIX=/opt/stackmap-suite
check "make install DESTDIR=$dest (rc $rc)" [ "$rc" -eq 0 ]
check "the staged binary" [ -x "$staged/bin/stackmap" ]
check "nothing outside DESTDIR" [ ! -e /opt/stackmap-suite ]
mkdir -p "$tmp/staged-run"
cp -R catalog "$tmp/staged-run/catalog"
run "$tmp/staged-run" "$staged/bin/stackmap" build
check "the staged binary finds its templates beside it (rc $rc)" [ "$rc" -eq 0 ]
run "$tmp" "$staged/bin/stackmap" init staged-stack
check "and its skeleton (rc $rc)" [ "$rc" -eq 0 ]
run "$tmp/staged-stack" "$staged/bin/stackmap" build
check "and that project builds (rc $rc)" [ "$rc" -eq 0 ]

# ---- make uninstall ---------------------------------------------------------

make -s uninstall PREFIX="$prefix" >"$tmp/make.out" 2>&1
rc=$?
check "make uninstall (rc $rc)" [ "$rc" -eq 0 ]
for f in bin/stackmap share/man/man1/stackmap.1 share/stackmap \
	share/bash-completion/completions/stackmap; do
	check "uninstalled $f" [ ! -e "$prefix/$f" ]
done

# ---- the skeleton is still the bundled catalog's --------------------------

python3 - >"$tmp/drift" 2>&1 <<'PY'
import glob, os, re, sys
import yaml

bad = []
def subset(mine, theirs, where):
    """Whether every fact of mine is in theirs: equal scalars, lists cut
    (each item equal to one of theirs), mappings key by key."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for k, v in mine.items():
            if k not in theirs:
                bad.append("%s.%s is not in the bundled catalog" % (where, k))
            else:
                subset(v, theirs[k], "%s.%s" % (where, k))
    elif isinstance(mine, list) and isinstance(theirs, list):
        for i, item in enumerate(mine):
            if item not in theirs:
                bad.append("%s[%d] differs from the bundled catalog" % (where, i))
    elif mine != theirs:
        bad.append("%s: %r, the bundled catalog says %r" % (where, mine, theirs))

for path in sorted(glob.glob("skeleton/catalog/*/*.yaml")):
    kind, name = path.split("/")[-2:]
    bundled = "catalog/%s/%s" % (kind, name)
    if not os.path.exists(bundled):
        bad.append("%s: no %s" % (path, bundled))
        continue
    subset(yaml.safe_load(open(path)), yaml.safe_load(open(bundled)), path)
for path in sorted(glob.glob("skeleton/catalog/primers/*.md")):
    mine = re.sub(r"(?m)^#.*\n", "", open(path).read().split("---", 2)[1])
    theirs = open("catalog/primers/" + os.path.basename(path)).read()
    if open(path).read().split("---", 2)[2] != theirs.split("---", 2)[2] or \
            yaml.safe_load(mine) != yaml.safe_load(theirs.split("---", 2)[1]):
        bad.append("%s differs from the bundled primer" % path)
for b in bad:
    print(b)
PY
drift_rc=$?
sed 's/^/    /' "$tmp/drift"
check "the skeleton's facts are the bundled catalog's (rc $drift_rc)" \
	sh -c "[ $drift_rc -eq 0 ] && [ ! -s '$tmp/drift' ]"

# ---- bash completion --------------------------------------------------------

# complete WORDS CWORD: the completions of the words with the cursor on
# word CWORD, run from the source tree.
complete_words() {
	bash -c 'source completion/stackmap.bash
eval "COMP_WORDS=($1)"; COMP_CWORD=$2; _stackmap; echo "${COMPREPLY[*]}"' \
		sh "$1" "$2"
}
check "completion: probe --only t" [ \
	"$(bash -c 'source completion/stackmap.bash; COMP_WORDS=(stackmap probe --only t); COMP_CWORD=3; _stackmap; echo "${COMPREPLY[*]}"')" = together ]
check "completion: after a comma" [ \
	"$(complete_words "stackmap probe --only together,op" 3)" = \
	"together,openai together,openrouter" ]
check "completion: --only offers only vendors with an api" [ \
	"$(complete_words "stackmap --catalog tests/fixtures/mini probe --only ''" 5)" = \
	fastinfer ]
check "completion: --catalog=DIR, split at '='" [ \
	"$(complete_words "stackmap --catalog = tests/fixtures/mini choose --via ''" 6)" = \
	"acme-lab bigcloud fastinfer glue" ]
check "completion: choose --model" [ \
	"$(complete_words "stackmap choose --model llama-3" 3)" = \
	"llama-3.1-8b llama-3.3-70b" ]
check "completion: schema names" [ \
	"$(complete_words "stackmap schema ''" 2)" = "vendor model site primer" ]
# the commands and options of the completion are those of --help
"$root/stackmap" --help >"$tmp/help" 2>&1
want=$(sed -n 's/^  \([a-z]*\) .*/\1/p' "$tmp/help" | grep -v '^$' | sort | tr '\n' ' ')
got=$(complete_words "stackmap ''" 1 | tr ' ' '\n' | sort | tr '\n' ' ')
check "completion: the commands of --help ($got)" [ "$got" = "$want" ]
for cmd in validate build probe diff schema choose init; do
	"$root/stackmap" "$cmd" --help >"$tmp/help" 2>&1
	# options named in the help, but for the global ones its text mentions
	want=$( (grep -o -- '--[a-z][a-z-]*' "$tmp/help"; echo --help) |
		grep -vx -e --catalog -e --templates -e --out -e --snapshot |
		sort -u | tr '\n' ' ')
	got=$(complete_words "stackmap $cmd --" 2 | tr ' ' '\n' | sort -u |
		tr '\n' ' ')
	check "completion: the options of $cmd --help ($got)" [ "$got" = "$want" ]
done

echo "suite-install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
