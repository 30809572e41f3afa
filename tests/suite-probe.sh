#!/bin/sh
# The probe suite: runs `stackmap probe` against tests/fixture/fixture_server
# (a local HTTP server that injects faults) with a catalog of test vendors,
# one per fault and one per API style (anthropic, gemini, openai, bedrock,
# cloudflare, azure-retail: paging, auth headers; recorded answers from
# ../shared/realdata when present), and checks what each run recorded and
# printed: outcomes, errors, attempts (from the server's request log), kept
# and stale data, time bounds, that the fake keys never leak, the redirect
# policy, and a price change through `stackmap diff`.
# usage: tests/suite-probe.sh BUILD_DIR
# Ends with "N passed, N failed"; exits non-zero on a failure. KEEP=1 keeps
# the work folder (catalog, snapshots, outputs, the server's request log).
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 3
STACKMAP=${STACKMAP:-$root/stackmap}
SERVER=${FIXTURE_SERVER:-$build/tests/fixture_server}
KEY=FAKE-SECRET-KEY-123
# bedrock's credentials: the key id goes out in the SigV4 Authorization
# header and the session token in x-amz-security-token; the secret never
# leaves the process.
AWS_ID=AKIDPROBETEST0001
AWS_SECRET=FAKE-AWS-SECRET-456
AWS_TOKEN=FAKE-AWS-SESSION-789
E1=1795600000 # 2026-11-25T09:46:40Z
E2=$((E1 + 86400))
# Time bounds grow under valgrind.
slow=1
[ -n "${VALGRIND_CMD:-}" ] && slow=10

work=$(mktemp -d)
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

pass=0
fail=0
ok() {
	pass=$((pass + 1))
}
not_ok() {
	fail=$((fail + 1))
	echo "FAIL $*"
}
# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	desc=$1
	shift
	queued=
	if "$@"; then
		[ -n "$queued" ] || ok
	else
		not_ok "$desc"
	fi
}
# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1"
}
lacks() {
	! grep -qF -- "$2" "$1"
}
# is SNAPSHOT EXPR WANT: queues a check that the Python expression EXPR,
# over the snapshot's vendors v, prints WANT; verify runs the queue in one
# Python process (Python starts slowly).
is() {
	[ "$1" = "$snap" ] || { not_ok "is: only \$snap is queued"; return; }
	printf '%s\t%s\t%s\n' "$desc" "$2" "$3" >>"$work/queue"
	queued=1
}
verify() {
	[ -s "$work/queue" ] || return 0
	python3 - "$snap" "$work/queue" >"$work/verdict" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["vendors"]
bad = 0
for line in open(sys.argv[2]):
	desc, expr, want = line.rstrip("\n").split("\t")
	try:
		got = str(eval(expr))
	except Exception as e:
		got = "%s: %s" % (type(e).__name__, e)
	if got != want:
		bad += 1
		print("FAIL %s\n    %s: got '%s', want '%s'" % (desc, expr, got, want))
print(bad)
PY
	n=$(wc -l <"$work/queue")
	bad=$(tail -n 1 "$work/verdict")
	sed '$d' "$work/verdict"
	pass=$((pass + n - bad))
	fail=$((fail + bad))
	: >"$work/queue"
}
# reqs NAME: requests for vendor NAME in the log since the last mark.
reqs() {
	tail -n "+$((mark + 1))" "$work/requests.log" | grep -c "/v/$1/"
}
mark_log() {
	mark=$(wc -l <"$work/requests.log")
}
# Runs stackmap with the test environment; output in $work/out, $work/err,
# status in $rc, wall time in ms in $wall.
run() {
	t0=$(date +%s%N)
	env -u FASTINFER_API_KEY -u PROBE_MISSING_KEY -u AWS_REGION \
		PROBE_TEST_KEY=$KEY AWS_ACCESS_KEY_ID=$AWS_ID \
		AWS_SECRET_ACCESS_KEY=$AWS_SECRET AWS_SESSION_TOKEN=$AWS_TOKEN \
		STACKMAP_BACKOFF_MS=10,1500 ${VALGRIND_CMD:-} "$STACKMAP" \
		--catalog "$work/cat" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	wall=$((($(date +%s%N) - t0) / 1000000))
}

# ---- the server -------------------------------------------------------------

if [ ! -x "$SERVER" ]; then
	echo "suite-probe: $SERVER is missing (make $SERVER)"
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$work/responses"
cp "${FIXTURE_RESPONSES:-tests/fixture/responses}"/*.json "$work/responses/"
# Recorded real answers, when ../shared/realdata has them (never copied
# into the repository): realdata's folder, then the adapter style.
realdata=$root/../shared/realdata
real_styles=
for pair in together:together openai:openai anthropic:anthropic \
	aws-bedrock:bedrock; do
	dir=${pair%%:*}
	style=${pair#*:}
	for f in "$realdata/$dir"/*.json; do
		[ -f "$f" ] || continue
		ln -s "$f" "$work/responses/real-$style.json"
		real_styles="$real_styles $style"
		break
	done
	[ -L "$work/responses/real-$style.json" ] ||
		echo "suite-probe: no recorded $dir answer in $realdata; its checks are skipped"
done
: >"$work/requests.log"
"$SERVER" --log "$work/requests.log" "$work/responses" >"$work/port" \
	2>"$work/server.err" &
server_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
PORT=$(head -n 1 "$work/port")
[ -n "$PORT" ] || {
	echo "suite-probe: the fixture server did not start"
	echo "0 passed, 1 failed"
	exit 1
}
base="http://127.0.0.1:$PORT"
# answers that link to the server itself (azure's NextPageLink)
for f in "$work"/responses/*.json; do
	[ -L "$f" ] || ! grep -q '@PORT@' "$f" || sed -i "s/@PORT@/$PORT/g" "$f"
done

# ---- the catalog ------------------------------------------------------------

cp -R tests/fixtures/mini "$work/cat"
# vendor ID FAULT-SPEC [KEY_ENV]: a test vendor whose API answers through
# the fault SPEC (see fixture_server.c). A SPEC starting with http:// is a
# whole base URL.
vendor() {
	case $2 in
	http://*) url=$2 ;;
	*) url="$base/f/$2/v/$1/v1" ;;
	esac
	cat >"$work/cat/vendors/$1.yaml" <<EOF
id: $1
name: Vendor $1
layer: inference-provider
spectrum: 3
homepage: https://$1.example.org
summary: A vendor of the probe suite.
api:
  style: together
  base_url: $url
  key_env: ${3:-PROBE_TEST_KEY}
EOF
}
# api_vendor ID STYLE BASE_URL [KEY_ENV [REGION]]: a test vendor of another
# API style, answered from the fixture files of that style.
api_vendor() {
	cat >"$work/cat/vendors/$1.yaml" <<EOF
id: $1
name: Vendor $1
layer: inference-provider
spectrum: 3
homepage: https://$1.example.org
summary: A vendor of the probe suite.
api:
  style: $2
  base_url: $3
EOF
	[ -z "${4:-}" ] || echo "  key_env: $4" >>"$work/cat/vendors/$1.yaml"
	[ -z "${5:-}" ] || echo "  region: $5" >>"$work/cat/vendors/$1.yaml"
}
api_vendor v-anthropic anthropic "$base/f/file=anthropic/v/v-anthropic/v1" \
	PROBE_TEST_KEY
api_vendor v-gemini gemini "$base/f/file=gemini/v/v-gemini/v1beta" \
	PROBE_TEST_KEY
api_vendor v-openai openai "$base/f/file=openai/v/v-openai/v1" PROBE_TEST_KEY
api_vendor v-bedrock bedrock "$base/f/file=bedrock/v/v-bedrock" \
	AWS_ACCESS_KEY_ID us-east-1
api_vendor v-cloudflare cloudflare \
	"$base/f/file=cloudflare/v/v-cloudflare/client/v4/accounts/acct1/ai" \
	PROBE_TEST_KEY
api_vendor v-azure azure-retail "$base/f/file=azure/v/v-azure/api/retail/prices"
for style in $real_styles; do
	[ "$style" = together ] && continue
	key=PROBE_TEST_KEY region=
	[ "$style" = bedrock ] && key=AWS_ACCESS_KEY_ID region=us-east-1
	api_vendor "v-real-$style" "$style" \
		"$base/f/file=real-$style/v/v-real-$style/v1" $key $region
done
# The catalog declares acme-1 at 2 / 8; the fixture lists ACME-1 at 3 / 8.
cp tests/fixtures/mini/vendors/acme-lab.yaml "$work/acme-lab.yaml"
cat "$work/acme-lab.yaml" - >"$work/cat/vendors/acme-lab.yaml" <<EOF
api:
  style: together
  base_url: $base/f/file=acme/v/acme-lab/v1
  key_env: PROBE_TEST_KEY
EOF

faulty="v-flaky v-503 v-429 v-429cap v-401 v-403 v-404 v-reset v-trunc v-garbage
v-html v-huge v-hugecl v-trickle v-slow v-redir-same v-redir-other
v-redir-loop v-redir-ext v-empty v-shrink"
for v in v-ok $faulty; do
	vendor "$v" file=list4
done
vendor v-price file=prices1
vendor v-nokey file=list4 PROBE_MISSING_KEY
case " $real_styles " in *" together "*) vendor v-real file=real-together ;; esac

# ---- run 1: every API healthy ----------------------------------------------

mark_log
SOURCE_DATE_EPOCH=$E1 run --snapshot "$work/snap.json" probe --jobs 16
snap=$work/snap.json
check "run 1 exits 0 (rc $rc)" [ "$rc" -eq 0 ]
for v in v-ok $faulty; do
	check "run 1: $v ok with 4 models" is "$snap" \
		"(v['$v']['attempt']['outcome'], len(v['$v']['models']))" \
		"('ok', 4)"
done
check "run 1: last_success" is "$snap" "v['v-ok']['last_success']" \
	"2026-11-25T09:46:40Z"
check "run 1: price" is "$snap" \
	"v['v-ok']['models']['org/model-a']['price']" \
	"{'cached_input': None, 'input': 0.88, 'output': 0.88}"
check "run 1: history" is "$snap" \
	"v['v-ok']['models']['org/model-b']['history']" \
	"[{'cached_input': None, 'date': '2026-11-25', 'input': 0.2, 'output': 0.6}]"
check "run 1: name and context" is "$snap" \
	"(v['v-ok']['models']['org/model-a']['name'], v['v-ok']['models']['org/model-a']['context'])" \
	"('Model A', 131072)"
check "run 1: skipped without a key" is "$snap" \
	"(v['v-nokey']['attempt']['outcome'], v['v-nokey']['attempt']['error'])" \
	"('skipped', 'PROBE_MISSING_KEY is not set')"
check "run 1: skip notice names the variable" has "$work/err" \
	"stackmap: probe: fastinfer: skipped, FASTINFER_API_KEY is not set"
check "run 1: a vendor without api is not probed" is "$snap" \
	"'glue' in v or 'bigcloud' in v" "False"
check "run 1: one line per vendor when not on a terminal" has "$work/err" \
	"stackmap: probe: v-ok: ok, 4 models (4 priced), 4 changes,"
check "run 1: live price differs from the catalog" grep -q \
	"vendors/acme-lab.yaml:[0-9]*:[0-9]*: warning: acme-lab's live input price for 'ACME-1' is 3, the catalog says 2" \
	"$work/err"
check "run 1: no warning for a matching price" lacks "$work/err" \
	"live output price for 'ACME-1'"
check "run 1: summary table" grep -q \
	'^vendor  *outcome  *models  *priced  *changes  *time$' "$work/out"
check "run 1: summary row" grep -q \
	'^v-ok  *ok  *4  *4  *4  *[0-9.]*s$' "$work/out"
check "run 1: one request per vendor" [ "$(reqs v-ok)" -eq 1 ]
check "run 1: the key is sent" grep -q \
	"/v/v-ok/.*$KEY" "$work/requests.log"
check "run 1: User-Agent" grep -q \
	"/v/v-ok/.*User-Agent: stackmap/$(cat VERSION)" "$work/requests.log"
check "run 1: gzip accepted" grep -q \
	"/v/v-ok/.*Accept-Encoding: [^|]*gzip" "$work/requests.log"
case " $real_styles " in *" together "*)
	check "run 1: a recorded Together listing" is "$snap" \
		"v['v-real']['attempt']['outcome'] == 'ok' and len(v['v-real']['models']) > 50" \
		"True"
	;;
esac
for style in $real_styles; do
	[ "$style" = together ] && continue
	check "run 1: a recorded $style listing" is "$snap" \
		"v['v-real-$style']['attempt']['outcome'] == 'ok' and len(v['v-real-$style']['models']) > 0" \
		"True"
done

# ---- run 1: the other API styles, through the scheduler ---------------------

# sent NAME: the request lines of vendor NAME since the mark.
sent() {
	tail -n "+$((mark + 1))" "$work/requests.log" | grep "/v/$1/"
}
# models VENDOR WANT: the vendor's model ids, sorted.
models() {
	check "$1: ok with models $2" is "$snap" \
		"(v['$1']['attempt']['outcome'], sorted(v['$1']['models']))" \
		"('ok', $2)"
}
# price VENDOR MODEL WANT: (input, output, cached_input) of a model.
price() {
	check "$1: price of $2" is "$snap" \
		"tuple(v['$1']['models']['$2']['price'][k] for k in ('input', 'output', 'cached_input'))" \
		"$3"
}
models v-anthropic \
	"['claude-a-1', 'claude-b-2', 'claude-c-3', 'claude-d-4', 'claude-e-5']"
check "v-anthropic: display names" is "$snap" \
	"v['v-anthropic']['models']['claude-c-3']['name']" "Claude C 3"
check "v-anthropic: three pages" [ "$(sent v-anthropic | wc -l)" -eq 3 ]
check "v-anthropic: pages follow after_id" sh -c \
	"tail -n +$((mark + 1)) '$work/requests.log' | grep '/v/v-anthropic/' |
	cut -d'|' -f1 | grep -q 'after_id=claude-d-4'"
check "v-anthropic: x-api-key on every page" [ \
	"$(sent v-anthropic | grep -c "| x-api-key: $KEY")" -eq 3 ]
check "v-anthropic: anthropic-version on every page" [ \
	"$(sent v-anthropic | grep -c '| anthropic-version: 2023-06-01')" -eq 3 ]
check "v-anthropic: no Authorization header" [ \
	"$(sent v-anthropic | grep -ci '| authorization:')" -eq 0 ]
models v-gemini "['gemini-x-flash', 'gemini-x-pro', 'text-embedding-x']"
check "v-gemini: context" is "$snap" \
	"v['v-gemini']['models']['gemini-x-pro']['context']" 1048576
check "v-gemini: two pages" [ "$(sent v-gemini | wc -l)" -eq 2 ]
check "v-gemini: the second page asks for the token" sh -c \
	"tail -n +$((mark + 1)) '$work/requests.log' | grep '/v/v-gemini/' |
	cut -d'|' -f1 | grep -q 'pageToken=tok/2+b='"
check "v-gemini: the key in x-goog-api-key on every page" [ \
	"$(sent v-gemini | grep -c "| x-goog-api-key: $KEY")" -eq 2 ]
check "v-gemini: the key never in the URL" [ \
	"$(sent v-gemini | cut -d'|' -f1 | grep -c -e "$KEY" -e 'key=')" -eq 0 ]
models v-openai "['gpt-x', 'hyper-x', 'llama-x-70b', 'mistral-x']"
check "v-openai: context from each field name" is "$snap" \
	"[v['v-openai']['models'][m]['context'] for m in ('gpt-x', 'llama-x-70b', 'mistral-x', 'hyper-x')]" \
	"[None, 131072, 32768, 65536]"
price v-openai hyper-x "(0.4, 1.6, None)"
price v-openai gpt-x "(None, None, None)"
check "v-openai: Bearer key" [ \
	"$(sent v-openai | grep -c "| Authorization: Bearer $KEY")" -eq 1 ]
models v-bedrock "['anthropic.claude-x-v1:0', 'meta.llama-x-v1:0']"
check "v-bedrock: SigV4 Authorization header" [ "$(sent v-bedrock |
	grep -c "| Authorization: AWS4-HMAC-SHA256 Credential=$AWS_ID/[0-9]*/us-east-1/bedrock/aws4_request, SignedHeaders=[^|]*, Signature=[0-9a-f]*")" -eq 1 ]
check "v-bedrock: the session token in x-amz-security-token" [ \
	"$(sent v-bedrock | grep -c "| x-amz-security-token: $AWS_TOKEN")" -eq 1 ]
check "v-bedrock: the secret key is never sent" sh -c \
	"! grep -qF '$AWS_SECRET' '$work/requests.log'"
models v-cloudflare \
	"['@cf/baai/bge-x', '@cf/meta/llama-x-8b-instruct', '@cf/qwen/qwen-x-32b']"
check "v-cloudflare: two pages" [ "$(sent v-cloudflare | wc -l)" -eq 2 ]
check "v-cloudflare: Bearer key on every page" [ \
	"$(sent v-cloudflare | grep -c "| Authorization: Bearer $KEY")" -eq 2 ]
price v-cloudflare @cf/meta/llama-x-8b-instruct "(0.282, 0.827, None)"
price v-cloudflare @cf/qwen/qwen-x-32b "(0.66, 1.0, 0.066)"
check "v-cloudflare: context" is "$snap" \
	"v['v-cloudflare']['models']['@cf/qwen/qwen-x-32b']['context']" 32768
models v-azure "['gpt-x-0806', 'o-x-mini']"
check "v-azure: two pages, following NextPageLink" [ \
	"$(sent v-azure | cut -d'|' -f1 | grep -c '?$skip=100')" -eq 1 ]
check "v-azure: the first page asks for the region's meters" sh -c \
	"tail -n +$((mark + 1)) '$work/requests.log' | grep '/v/v-azure/' |
	cut -d'|' -f1 | grep -q \"armRegionName eq 'eastus'\""
price v-azure gpt-x-0806 "(2.5, 10.0, 1.25)"
price v-azure o-x-mini "(0.3, 1.2, None)"
check "v-azure: no credentials" [ \
	"$(sent v-azure | grep -ci -e '| authorization:' -e "$KEY")" -eq 0 ]
check "run 1: no AWS secret or session token in any output" sh -c \
	"! grep -qF -e '$AWS_SECRET' -e '$AWS_TOKEN' '$work/out' '$work/err' '$snap'"
verify
cp "$snap" "$work/snap1.json"

# The same answers at the same time give the same bytes (but for "ms").
SOURCE_DATE_EPOCH=$E1 run --snapshot "$work/again.json" probe --jobs 16
cp "$work/snap1.json" "$work/again-base.json"
SOURCE_DATE_EPOCH=$E1 run --snapshot "$work/again-base.json" probe --jobs 4
sed 's/"ms": [0-9]*/"ms": 0/' "$work/snap1.json" >"$work/a"
sed 's/"ms": [0-9]*/"ms": 0/' "$work/again.json" >"$work/b"
sed 's/"ms": [0-9]*/"ms": 0/' "$work/again-base.json" >"$work/c"
check "same input, same bytes" cmp -s "$work/a" "$work/b"
check "a refresh that found nothing new changes nothing" cmp -s \
	"$work/a" "$work/c"

# ---- run 2: every fault at once --------------------------------------------

vendor v-flaky status=503,times=2,file=list4
vendor v-503 status=503
vendor v-429 status=429,retry_after=1
vendor v-429cap status=429,retry_after=3600
vendor v-401 status=401
vendor v-403 status=403
vendor v-404 status=404
vendor v-reset reset
vendor v-trunc truncate,file=list4
vendor v-garbage garbage
vendor v-html html
vendor v-huge huge
vendor v-hugecl hugecl
vendor v-trickle trickle,file=list4
vendor v-slow delay=$((10000 * slow)),file=list4
vendor v-redir-same redirect=self,file=list4
vendor v-redir-other redirect=localhost,file=list4
vendor v-redir-loop redirect_loop
vendor v-redir-ext redirect=192.0.2.1
vendor v-empty file=empty
vendor v-shrink file=list1
vendor v-price file=prices2
vendor v-plain http://192.0.2.1/v1
mark_log
SOURCE_DATE_EPOCH=$E2 run -v --snapshot "$snap" probe --timeout $((4 * slow)) --jobs 8
check "run 2 exits 4 (rc $rc)" [ "$rc" -eq 4 ]
check "run 2 ends within bounds ($wall ms)" [ "$wall" -lt $((12000 * slow)) ]
check "run 2: the key is in no output" sh -c \
	"! grep -qF '$KEY' '$work/out' '$work/err' '$snap'"
check "run 2 (-v): no AWS secret or session token in any output" sh -c \
	"! grep -qF -e '$AWS_SECRET' -e '$AWS_TOKEN' '$work/out' '$work/err' '$snap'"
check "run 2: no Authorization header in any output" sh -c \
	"! grep -qi 'authorization' '$work/out' '$work/err' '$snap'"
check "run 2: -v shows the requests" grep -q \
	"stackmap: probe: v-ok: GET http://127.0.0.1:$PORT/f/file=list4/v/v-ok/v1" \
	"$work/err"

# outcome VENDOR OUTCOME ERROR-SUBSTRING ATTEMPTS
outcome() {
	check "$1: $2" is "$snap" "v['$1']['attempt']['outcome']" "$2"
	if [ -n "$3" ]; then
		check "$1: error has '$3'" is "$snap" \
			"'''$3''' in (v['$1']['attempt']['error'] or '')" True
	fi
	check "$1: $4 requests (got $(reqs "$1"))" [ "$(reqs "$1")" -eq "$4" ]
}
# kept VENDOR: the old listing is kept, marked stale since the last success.
kept() {
	check "$1: keeps its listing, stale" is "$snap" \
		"(len(v['$1']['models']), v['$1']['stale'], v['$1']['last_success'])" \
		"(4, True, '2026-11-25T09:46:40Z')"
}
# within VENDOR MS: the vendor's attempt took less than MS (more under
# valgrind).
within() {
	check "$1: ended within $2 ms" is "$snap" \
		"v['$1']['attempt']['ms'] < $2 * $slow" True
}
outcome v-ok ok "" 1
within v-ok 1000
check "v-ok: fresh, not stale" is "$snap" \
	"(v['v-ok']['stale'], v['v-ok']['last_success'])" \
	"(False, '2026-11-26T09:46:40Z')"
check "v-ok: no new history without a price change" is "$snap" \
	"len(v['v-ok']['models']['org/model-a']['history'])" 1
outcome v-flaky ok "" 3
within v-flaky 2000
outcome v-503 failed "HTTP 503 (after 3 attempts)" 3
kept v-503
within v-503 2000
check "v-503: status recorded" is "$snap" "v['v-503']['attempt']['http_status']" 503
outcome v-429 failed "HTTP 429 (after 3 attempts)" 3
kept v-429
check "v-429: Retry-After honoured" is "$snap" \
	"v['v-429']['attempt']['ms'] >= 1900" True
within v-429 4000
outcome v-429cap failed "HTTP 429" 3
kept v-429cap
check "v-429cap: Retry-After capped" is "$snap" \
	"2900 <= v['v-429cap']['attempt']['ms'] < 6000 * $slow" True
outcome v-401 failed "HTTP 401: the key in PROBE_TEST_KEY was refused" 1
kept v-401
within v-401 1000
outcome v-403 failed "HTTP 403: the key in PROBE_TEST_KEY was refused" 1
kept v-403
within v-403 1000
check "v-403: status recorded" is "$snap" "v['v-403']['attempt']['http_status']" 403
outcome v-404 failed "HTTP 404" 1
kept v-404
within v-404 1000
outcome v-reset failed "(after 3 attempts)" 3
kept v-reset
within v-reset 2000
outcome v-trunc failed "the response was cut short (after 3 attempts)" 3
kept v-trunc
within v-trunc 2000
outcome v-garbage failed "unreadable listing" 1
kept v-garbage
within v-garbage 1000
outcome v-html failed "HTML page instead of data" 1
kept v-html
within v-html 1000
outcome v-huge failed "larger than 32 MiB" 1
kept v-huge
within v-huge 3000
outcome v-hugecl failed "larger than 32 MiB" 1
kept v-hugecl
within v-hugecl 3000
outcome v-trickle failed "stalled" 1
check "v-trickle: aborted early" is "$snap" \
	"v['v-trickle']['attempt']['ms'] < 3900 * $slow" True
kept v-trickle
check "v-slow: stalled or timed out" is "$snap" \
	"any(s in v['v-slow']['attempt']['error'] for s in ('stalled', 'timed out'))" \
	True
check "v-slow: within its timeout" is "$snap" \
	"v['v-slow']['attempt']['ms'] < 5000 * $slow" True
outcome v-slow failed "" 1
kept v-slow
outcome v-redir-same ok "" 2
within v-redir-same 1000
check "v-redir-same: the key follows a same-host redirect" [ \
	"$(tail -n "+$((mark + 1))" "$work/requests.log" |
		grep "/v/v-redir-same/" | grep -c "$KEY")" -eq 2 ]
outcome v-redir-other ok "" 2
within v-redir-other 1000
check "v-redir-other: the key went to the catalog's host" sh -c \
	"tail -n +$((mark + 1)) '$work/requests.log' | grep '/v/v-redir-other/' |
	grep 'Host: 127.0.0.1:$PORT' | grep -q '$KEY'"
check "v-redir-other: the other host got a request" sh -c \
	"tail -n +$((mark + 1)) '$work/requests.log' | grep '/v/v-redir-other/' |
	grep -q 'Host: localhost:$PORT'"
check "v-redir-other: the other host got no key" sh -c \
	"! tail -n +$((mark + 1)) '$work/requests.log' |
	grep '/v/v-redir-other/' | grep 'Host: localhost' | grep -q '$KEY'"
outcome v-redir-loop failed "more than 5 redirects" 6
kept v-redir-loop
within v-redir-loop 2000
outcome v-redir-ext failed "refusing plain http:// to 192.0.2.1" 1
kept v-redir-ext
within v-redir-ext 1000
outcome v-plain failed "refusing plain http:// to 192.0.2.1" 0
within v-plain 1000
outcome v-empty suspect "came back empty" 1
kept v-empty
within v-empty 1000
outcome v-shrink suspect "shrank from 4 to 1" 1
kept v-shrink
within v-shrink 1000
check "run 2: skipped vendor still skipped" is "$snap" \
	"v['v-nokey']['attempt']['outcome']" skipped
check "run 2: suspect reported" has "$work/err" \
	"stackmap: probe: v-shrink: suspect, the listing shrank from 4 to 1"
check "run 2: failure reported" has "$work/out" \
	"v-503: failed: HTTP 503 (after 3 attempts)"
outcome v-price ok "" 1
check "v-price: history gains the new price" is "$snap" \
	"[(h['date'], h['input']) for h in v['v-price']['models']['org/model-a']['history']]" \
	"[('2026-11-25', 0.88), ('2026-11-26', 0.9)]"
check "v-price: a removed model is remembered" is "$snap" \
	"v['v-price']['removed']['org/model-c']['removed']" "2026-11-26"
check "v-price: an added model" is "$snap" \
	"v['v-price']['models']['org/model-d']['first_seen']" "2026-11-26"
verify
cp "$snap" "$work/snap2.json"

# ---- stackmap diff ----------------------------------------------------------

run diff "$work/snap1.json" "$work/snap2.json"
cat >"$work/want.md" <<'EOF'
## Live listing changes

1 added, 1 removed, 1 price changes.

### v-price

- added `org/model-d` (input 0.3, output 0.3)
- removed `org/model-c` (input 1, output 2)

| Model | Price | Old | New | Change |
| --- | --- | ---: | ---: | ---: |
| `org/model-a` | input | 0.88 | 0.9 | +2.3% |
EOF
check "diff exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "diff prints Markdown" cmp -s "$work/want.md" "$work/out" ||
	diff "$work/want.md" "$work/out" | sed 's/^/    /'
run diff --format json "$work/snap1.json" "$work/snap2.json"
check "diff --format json" python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["counts"] == {"added": 1, "removed": 1, "price_changes": 1}, d
c = d["vendors"]["v-price"]["price_changes"][0]
assert c == {"model": "org/model-a", "field": "input", "old": 0.88,
	     "new": 0.9, "percent": 2.27}, c' "$work/out"
printf 'not json' >"$work/garbage.json"
run diff "$work/garbage.json" "$work/snap2.json"
check "diff rejects garbage (rc $rc)" [ "$rc" -eq 1 ]
check "diff names the bad file" grep -q \
	"^$work/garbage.json:1:[0-9]*: error: not valid JSON" "$work/err"
run diff "$work/missing.json" "$work/snap2.json"
check "diff: a missing file is an error" [ "$rc" -eq 1 ]

# ---- build publishes the live data ------------------------------------------

run --snapshot "$work/snap2.json" --out "$work/site" build
check "build with the snapshot exits 0 (rc $rc)" [ "$rc" -eq 0 ]
# the catalog declares acme-1 at 2 / 8 (checked 2026-11-01); the probe saw 3
for page in models/acme-1 vendors/acme-lab pricing; do
	check "$page.html: live price with its fetch time" grep -q \
		'live</span> fetched <time datetime="2026-11-2[56]T[0-9:]*Z"' \
		"$work/site/$page.html"
	check "$page.html: the declared price is shown beside it" grep -q \
		'Declared: in \$2.00, out \$8.00' "$work/site/$page.html"
	check "$page.md: live price with its fetch time" grep -q \
		'live, fetched 2026-11-2[56]T' "$work/site/$page.md"
done
check "pricing.html: live input price 3" grep -q 'data-input="3"' \
	"$work/site/pricing.html"
check "vendor page lists unmatched live models" grep -q 'model-d' \
	"$work/site/vendors/v-price.html"
check "changes.html lists the price change" grep -q \
	'Vendor v-price changed the price of org/model-a: input 0.88 → 0.9' \
	"$work/site/changes.html"
check "changes.html lists the added model" grep -q \
	'Vendor v-price added org/model-d' "$work/site/changes.html"
check "feed.xml has the price change as an entry" grep -q \
	'<title>Vendor v-price changed the price of org/model-a' \
	"$work/site/feed.xml"
check "feed.xml entry ids are stable" grep -q \
	'<id>https://example.org/mini/changes.html#2026-11-26/v-price/price/org/model-a</id>' \
	"$work/site/feed.xml"
check "a price change's title lists only the fields that changed" grep -q \
	'<title>Vendor v-price changed the price of org/model-a: input 0.88 → 0.9</title>' \
	"$work/site/feed.xml"
check "changes.html lists only the fields that changed" lacks \
	"$work/site/changes.html" 'output 0.88 → 0.88'
# feed_ok FEED: the Atom structure: the feed and every entry have an id,
# a title, an RFC 3339 updated and a link; ids are unique; the feed is
# updated no earlier than its newest entry.
feed_ok() {
	python3 - "$1" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == A + "feed", root.tag
def complete(el, what):
	for tag in ("id", "title", "updated"):
		child = el.find(A + tag)
		assert child is not None and (child.text or "").strip(), "%s has no %s" % (what, tag)
	assert rfc3339.match(el.find(A + "updated").text), "%s: updated %r" % (what, el.find(A + "updated").text)
	link = el.find(A + "link")
	assert link is not None and link.get("href"), "%s has no link" % what
	return el.find(A + "updated").text
newest = complete(root, "the feed")
entries = root.findall(A + "entry")
assert entries, "no entries"
ids = [e.find(A + "id").text for e in entries]
assert len(set(ids)) == len(ids), "duplicate ids"
for e in entries:
	u = complete(e, "entry " + (e.findtext(A + "id") or "?"))
	assert u[:19] <= newest[:19], "entry %s updated after the feed" % u
PY
}
# feed_ids FEED: each entry's id and updated, one per line.
feed_ids() {
	python3 -c 'import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
for e in ET.parse(sys.argv[1]).getroot().findall(A + "entry"):
	print(e.findtext(A + "id"), e.findtext(A + "updated"))' "$1"
}
check "feed.xml: Atom structure" feed_ok "$work/site/feed.xml"
feed_ids "$work/site/feed.xml" >"$work/feed-ids-1"
check "feed.xml: entries" [ -s "$work/feed-ids-1" ]
check "the key is in no page" sh -c "! grep -rq '$KEY' '$work/site'"
check "no AWS secret or session token in any page" sh -c \
	"! grep -rqF -e '$AWS_SECRET' -e '$AWS_TOKEN' '$work/site'"
run --snapshot "$work/snap2.json" --out "$work/site2" build
check "a second build gives the same bytes" diff -r "$work/site" "$work/site2"
feed_ids "$work/site2/feed.xml" >"$work/feed-ids-2"
check "feed.xml: ids and updated stable across two builds" cmp -s \
	"$work/feed-ids-1" "$work/feed-ids-2"

# edit_snap OUT PYTHON: snap2.json changed by PYTHON (over its vendors v).
edit_snap() {
	python3 - "$work/snap2.json" "$1" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
v = s["vendors"]
exec(sys.argv[3])
json.dump(s, open(sys.argv[2], "w"), indent=2, sort_keys=True)
PY
}
pages="models/acme-1 vendors/acme-lab pricing"
check "a fresh live price is not marked stale" sh -c \
	"! grep -q 'fetched <time datetime=\"[^\"]*\">[^<]*</time> <span class=\"tag tag-stale\">' '$work/site/models/acme-1.html'"
# the last probe of acme-lab failed: its live price is stale
edit_snap "$work/snap-stale.json" \
	"v['acme-lab']['stale'] = True; v['acme-lab']['attempt']['outcome'] = 'failed'"
run --snapshot "$work/snap-stale.json" --out "$work/site-stale" build
check "build with a stale vendor exits 0 (rc $rc)" [ "$rc" -eq 0 ]
feed_ids "$work/site-stale/feed.xml" >"$work/feed-ids-3"
check "feed.xml: ids stable in a build of a later snapshot" cmp -s \
	"$work/feed-ids-1" "$work/feed-ids-3"
for page in $pages; do
	check "$page.html: a stale live price is marked stale" grep -q \
		'live</span> fetched <time datetime="2026-11-2[56]T[0-9:]*Z">[^<]*</time> <span class="tag tag-stale">stale</span>' \
		"$work/site-stale/$page.html"
	check "$page.md: a stale live price is marked stale" grep -q \
		'live, fetched 2026-11-2[56]T[0-9:]*Z (stale)' \
		"$work/site-stale/$page.md"
done
# live input 2.2 against the declared 2: within 10%, the declared price
# is not shown; 2.21 is more than 10% off, and both are
for live in 2.2 2.21; do
	edit_snap "$work/snap-$live.json" \
		"v['acme-lab']['models']['ACME-1']['price']['input'] = $live"
	run --snapshot "$work/snap-$live.json" --out "$work/site-$live" build
	check "build with acme-1 at $live exits 0 (rc $rc)" [ "$rc" -eq 0 ]
done
for page in $pages; do
	check "$page.html: live input 2.2 shown" grep -q \
		'live</span> fetched' "$work/site-2.2/$page.html"
	check "$page.html: within 10%, no declared price" lacks \
		"$work/site-2.2/$page.html" 'Declared: in'
	check "$page.md: within 10%, no declared price" lacks \
		"$work/site-2.2/$page.md" 'declared price input'
	check "$page.html: over 10%, the declared price beside the live one" \
		grep -q 'Declared: in \$2.00, out \$8.00' "$work/site-2.21/$page.html"
	check "$page.md: over 10%, the declared price beside the live one" \
		has "$work/site-2.21/$page.md" 'declared price input \$2.00, output \$8.00'
done
check "pricing.html: the live input price 2.2" grep -q 'data-input="2.2"' \
	"$work/site-2.2/pricing.html"

# ---- run 3: --accept-shrink and --only -----------------------------------------

mark_log
SOURCE_DATE_EPOCH=$E2 run -q --snapshot "$snap" probe --accept-shrink \
	--only v-empty,v-shrink
check "run 3 exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "run 3: --quiet prints nothing" [ ! -s "$work/out" ] && [ ! -s "$work/err" ]
check "run 3: accepted an empty listing" is "$snap" \
	"(v['v-empty']['attempt']['outcome'], len(v['v-empty']['models']))" \
	"('ok', 0)"
check "run 3: accepted a shrunk listing" is "$snap" \
	"(v['v-shrink']['attempt']['outcome'], len(v['v-shrink']['models']))" \
	"('ok', 1)"
check "run 3: --only leaves other vendors alone" is "$snap" \
	"v['v-503']['attempt']['outcome']" failed
check "run 3: only the listed vendors were asked" [ \
	"$(tail -n "+$((mark + 1))" "$work/requests.log" | wc -l)" -eq 2 ]

verify

# ---- refusals ---------------------------------------------------------------

cp "$snap" "$work/before.json"
printf '{"format": 2, "vendors": {}}' >"$work/bad.json"
run --snapshot "$work/bad.json" probe --only v-ok
check "a snapshot of another format is refused (rc $rc)" [ "$rc" -eq 1 ]
check "and the error says why" has "$work/err" \
	"$work/bad.json: error: not a stackmap snapshot: format 2 is not the supported format 1"
check "and the file is left alone" has "$work/bad.json" '"format": 2'
run --snapshot "$work/garbage.json" probe --only v-ok
check "a garbage snapshot is refused (rc $rc)" [ "$rc" -eq 1 ]
run --snapshot "$snap" probe --only no-such-vendor
check "--only with an unknown vendor is a usage error (rc $rc)" [ "$rc" -eq 2 ]
check "a refused run leaves the snapshot alone" cmp -s "$snap" "$work/before.json"
printf 'id: broken\n' >"$work/cat/vendors/broken.yaml"
run --snapshot "$snap" probe
check "an invalid catalog stops the probe (rc $rc)" [ "$rc" -eq 1 ]
check "and the snapshot is untouched" cmp -s "$snap" "$work/before.json"
rm -f "$work/cat/vendors/broken.yaml"

echo "suite-probe: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
