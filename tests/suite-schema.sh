#!/bin/sh
# The JSON Schemas and the C validator agree (tests/schema_agreement.py),
# and every catalog file names its schema on its first line.
set -u
cd "$(dirname "$0")/.." || exit 3
fail=0
for f in catalog/site.yaml catalog/vendors/*.yaml catalog/models/*.yaml; do
	if ! head -n 1 "$f" | grep -q '^# yaml-language-server: \$schema='; then
		echo "FAIL $f: the first line must be '# yaml-language-server: \$schema=…'"
		fail=1
	fi
done
# a primer's front matter names its schema on its first line
for f in catalog/primers/*.md; do
	[ -e "$f" ] || continue
	if ! sed -n 2p "$f" | grep -q '^# yaml-language-server: \$schema=\.\./schema/primer\.schema\.json$'; then
		echo "FAIL $f: the front matter's first line must be '# yaml-language-server: \$schema=../schema/primer.schema.json'"
		fail=1
	fi
done
/usr/bin/python3 tests/schema_agreement.py || fail=1
exit $fail
