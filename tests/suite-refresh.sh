#!/bin/sh
# The refresh suite: the refresh workflow run dry against the fixture server
# (tests/ci/refresh-dry-run.sh), `stackmap diff --check` from the command
# line, and the workflows themselves: every action pinned to a full commit
# SHA, least permissions, provider keys only in the probe step, every
# api.key_env of the catalog passed there and listed in the README, and
# refresh.yml running the steps of scripts/refresh.sh that the dry run runs.
# usage: tests/suite-refresh.sh BUILD_DIR
# Ends with "N passed, N failed"; exits non-zero on a failure.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 3
STACKMAP=${STACKMAP:-$root/stackmap}
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
sm() { # runs stackmap; output in $tmp/out and $tmp/err, status in $rc
	${VALGRIND_CMD:-} "$STACKMAP" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# ---- the workflow, dry ------------------------------------------------------

sh tests/ci/refresh-dry-run.sh "$build" >"$tmp/dry" 2>&1
dry_rc=$?
grep -v '^refresh-dry-run: [0-9]* passed' "$tmp/dry"
counts=$(sed -n 's/^refresh-dry-run: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$tmp/dry")
if [ -n "$counts" ]; then
	pass=$((pass + ${counts% *}))
	fail=$((fail + ${counts#* }))
fi
check "the dry run ended and passed (rc $dry_rc)" \
	sh -c "[ -n '$counts' ] && [ $dry_rc -eq 0 ]"

# ---- stackmap diff --check --------------------------------------------------

# Two probes of the mini catalog's fixture-free vendors are not possible
# offline; hand-written snapshots stand for OLD and NEW.
cat >"$tmp/old.json" <<'EOF'
{"format": 1, "vendors": {"v": {
  "attempt": {"at": "2026-11-25T09:46:40Z", "outcome": "ok", "http_status": 200, "error": null, "ms": 3},
  "last_success": "2026-11-25T09:46:40Z", "first_success": "2026-11-25T09:46:40Z", "stale": false,
  "models": {
    "m1": {"name": null, "context": null, "first_seen": "2026-11-25",
           "price": {"input": 1, "output": 2, "cached_input": null},
           "history": [{"date": "2026-11-25", "input": 1, "output": 2, "cached_input": null}]},
    "m2": {"name": null, "context": null, "first_seen": "2026-11-25",
           "price": {"input": 3, "output": 4, "cached_input": null},
           "history": [{"date": "2026-11-25", "input": 3, "output": 4, "cached_input": null}]}},
  "removed": {}}}}
EOF
# NEW: a day later, m2 gone with its removal recorded
sed -e 's/2026-11-25T09:46:40Z", "outcome/2026-11-26T09:46:40Z", "outcome/' \
	-e 's/"last_success": "2026-11-25/"last_success": "2026-11-26/' \
	"$tmp/old.json" | python3 -c 'import json, sys
s = json.load(sys.stdin)
v = s["vendors"]["v"]
m = v["models"].pop("m2")
m["removed"] = "2026-11-26"
v["removed"]["m2"] = m
json.dump(s, sys.stdout)' >"$tmp/new.json"
sm diff --check "$tmp/old.json" "$tmp/new.json"
check "--check: a probe's successor passes (rc $rc)" [ "$rc" -eq 0 ]
check "--check: prints nothing on stdout" [ ! -s "$tmp/out" ]
check "--check: says what it checked" has "$tmp/err" \
	"stackmap: diff --check: $tmp/new.json keeps everything $tmp/old.json had; 1 vendors probed since: 1 ok, 0 failed, 0 suspect, 0 skipped"
sm -q diff --check "$tmp/old.json" "$tmp/new.json"
check "--check -q: silent when fine (rc $rc)" \
	sh -c "[ $rc -eq 0 ] && [ ! -s '$tmp/err' ]"
python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
del s["vendors"]["v"]["removed"]["m2"]
json.dump(s, open(sys.argv[2], "w"))' "$tmp/new.json" "$tmp/lost.json"
sm -q diff --check "$tmp/old.json" "$tmp/lost.json"
check "--check: a model gone without a removal fails (rc $rc)" [ "$rc" -eq 1 ]
check "--check: names the file, vendor and model" has "$tmp/err" \
	"$tmp/lost.json: error: vendor 'v': model 'm2' is missing, and NEW records no removal of it"
check "--check: and the verdict, even with -q" has "$tmp/err" \
	"stackmap: diff --check: $tmp/lost.json must not replace $tmp/old.json (errors: 1)"
sm diff --check "$tmp/old.json" "$tmp/old.json"
check "--check: no probe since OLD fails (rc $rc)" [ "$rc" -eq 1 ]
check "--check: and says so" has "$tmp/err" "error: it records no probe since OLD"
sm diff --check "$tmp/old.json" "$tmp/missing.json"
check "--check: a missing NEW is an error (rc $rc)" [ "$rc" -eq 1 ]
sm diff "$tmp/old.json" "$tmp/new.json"
check "without --check, diff still prints the changes" has "$tmp/out" \
	'- removed `m2` (input 3, output 4)'
sm diff --help
check "diff --help documents --check" has "$tmp/out" "diff --check OLD NEW"

# ---- the workflows ----------------------------------------------------------

keys=$(grep -h '^  key_env:' catalog/vendors/*.yaml | awk '{print $2}' | sort -u)
check "the catalog names provider keys" [ -n "$keys" ]
python3 - "$keys" >"$tmp/lint" 2>&1 <<'PY'
import glob, re, sys
import yaml

keys = set(sys.argv[1].split())
bad = []
def need(ok, what):
    if not ok:
        bad.append(what)

flows = {}
for path in sorted(glob.glob(".github/workflows/*.yml")):
    text = open(path).read()
    flows[path.split("/")[-1]] = yaml.safe_load(text)
    for n, line in enumerate(text.splitlines(), 1):
        m = re.search(r"uses:\s*(\S+)", line)
        if m:
            need(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", m.group(1))
                 and re.search(r"#\s*v\d", line),
                 "%s:%d: not pinned to a full SHA with a version comment"
                 % (path, n))
        for s in re.findall(r"secrets\.(\w+)", line):
            need(path.endswith("refresh.yml"),
                 "%s:%d: secret %s outside refresh.yml" % (path, n, s))
need(set(flows) == {"ci.yml", "refresh.yml", "pages.yml"},
     "workflows: %s" % sorted(flows))

for name, flow in flows.items():
    need(flow.get("permissions") == {"contents": "read"},
         "%s: top-level permissions are not contents: read" % name)

ci = flows["ci.yml"]
on = ci.get(True, ci.get("on"))
need("push" in on and "pull_request" in on, "ci.yml: not on push and PR")
jobs = ci["jobs"]
need(jobs["check"]["strategy"]["matrix"]["cc"] == ["gcc", "clang"],
     "ci.yml: check is not a matrix over gcc and clang")
runs = " ".join(s.get("run", "") for j in jobs.values() for s in j["steps"])
for target in ("make -j2 check", "make -j2 asan", "make -j2 valgrind"):
    need(target in runs, "ci.yml: no '%s'" % target)
need("-Werror" in runs, "ci.yml: warnings are not errors")
need(all("permissions" not in j for j in jobs.values()),
     "ci.yml: a job widens its permissions")

pages = flows["pages.yml"]
need(pages["jobs"]["deploy"]["permissions"] ==
     {"pages": "write", "id-token": "write"},
     "pages.yml: deploy permissions")
need("permissions" not in pages["jobs"]["build"],
     "pages.yml: build widens its permissions")

refresh = flows["refresh.yml"]
on = refresh.get(True, refresh.get("on"))
need("schedule" in on and "workflow_dispatch" in on,
     "refresh.yml: not on a schedule and on dispatch")
need(on["workflow_dispatch"]["inputs"]["mode"]["options"] == ["pr", "push"],
     "refresh.yml: the mode input is not pr|push")
job = refresh["jobs"]["refresh"]
need(job["permissions"] == {"contents": "write", "pull-requests": "write"},
     "refresh.yml: job permissions")
need("vars.REFRESH_MODE" in job["env"]["REFRESH_MODE"],
     "refresh.yml: REFRESH_MODE does not read the repository variable")
steps = [s.get("run", "") for s in job["steps"]]
called = [m.group(1) for r in steps
          for m in [re.search(r"scripts/refresh\.sh (\w+)", r)] if m]
need(called == ["prepare", "probe", "check", "settle", "build", "decide",
                "publish"],
     "refresh.yml: runs refresh.sh steps %s" % called)
for s in job["steps"]:
    env = s.get("env", {})
    secret_env = {k for k, v in env.items() if "secrets." in str(v)}
    if "refresh.sh probe" in s.get("run", ""):
        need(keys <= secret_env,
             "refresh.yml: the probe step lacks %s" % sorted(keys - secret_env))
        # the rest of an AWS key, and the Cloudflare account the bundled
        # catalog's API root needs (src/adapter_cloudflare.c)
        need(secret_env - keys <= {"AWS_SECRET_ACCESS_KEY",
                                   "AWS_SESSION_TOKEN",
                                   "CLOUDFLARE_ACCOUNT_ID"},
             "refresh.yml: the probe step gets %s" % sorted(secret_env - keys))
    elif "refresh.sh publish" in s.get("run", ""):
        need(secret_env <= {"GH_TOKEN"} and
             "secrets.REFRESH_TOKEN" in str(env.get("GH_TOKEN")),
             "refresh.yml: publish gets secrets %s" % sorted(secret_env))
        need("steps.decide.outputs.changed == 'true'" in s.get("if", ""),
             "refresh.yml: publish does not wait for the decision")
    else:
        need(not secret_env, "refresh.yml: step '%s' gets secrets %s"
             % (s.get("name", s.get("uses")), sorted(secret_env)))

readme = open("README.md").read()
for k in sorted(keys):
    need(k in readme, "README.md does not list %s" % k)
for b in bad:
    print(b)
PY
lint_rc=$?
sed 's/^/    /' "$tmp/lint"
check "the workflows pass their checks (rc $lint_rc)" \
	sh -c "[ $lint_rc -eq 0 ] && [ ! -s '$tmp/lint' ]"

echo "suite-refresh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
