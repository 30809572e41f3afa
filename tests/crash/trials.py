#!/usr/bin/env python3
"""The SIGKILL trials of tests/suite-crash.sh.

usage: trials.py build KILLAT STACKMAP WORK TRIALS
       trials.py probe KILLAT STACKMAP WORK TRIALS PORT RESPONSES_DIR

build: makes two catalogs A and B (tests/fixtures/mini plus generated
  vendors; B changes the site title, so every page differs, and drops and
  adds vendors, so files come and go), builds each into a reference tree,
  measures how long `stackmap build` takes to turn the one into the other,
  then TRIALS times starts that build over the current site/ and kills it
  (tests/crash/killat) after a delay stepped over the whole run, half of
  the trials packed into its last part, where the tree is synced and
  swapped. After every kill site/ must exist and equal A or B file for
  file (SHA-256 of every file, and the same set of files). Leftovers of a
  killed build (site.staging, site.old) are left for the next trial; a
  last, uninterrupted build must succeed and leave none. Ten first
  builds (no site/ yet) killed must leave no site/ or a complete one.

probe: a catalog of vendors whose API (the fixture server on PORT, serving
  RESPONSES_DIR) answers slowly with long listings, so the snapshot is
  about 1 MiB; old = a probe of the day-1 answers, new = a probe of the day-2
  answers (other prices) from old. TRIALS times: the snapshot is reset to
  old and a day-2 probe is killed after a stepped delay (half in the last
  part of the run, when the snapshot is written). The snapshot must then
  exist, parse and equal old or new (the per-attempt "ms" timings aside).
  Then an uninterrupted probe must succeed and leave no temporary
  snapshot file behind.

The run time the delays are stepped over is the median of the last three
uninterrupted runs, re-measured every RECALIBRATE trials (the machine is
shared, its load changes). The delays come from the seed CRASH_SEED.
When strace is installed, both also kill the command as it enters a given
file-system call (strace -e inject=CALL:signal=KILL:when=N): the first,
last and middle calls of each kind it makes, exactly, where a timed kill
lands only by chance.

Prints PASS/FAIL per check and closes with "N passed, N failed".
"""
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = int(os.environ.get('CRASH_SEED', '20261126'))
passed = failed = 0


def report(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print(f'FAIL {name}')
        for p in problems[:30]:
            print(f'    {p}')
        if len(problems) > 30:
            print(f'    ... and {len(problems) - 30} more')
    else:
        passed += 1
        print(f'PASS {name}')
    sys.stdout.flush()


def finish():
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


def tree(path):
    """{relative path: sha256} of every file under path (directories as
    'dir'), or None when path does not exist."""
    if not os.path.isdir(path):
        return None
    out = {}
    for d, dirs, names in os.walk(path):
        for n in dirs:
            out[os.path.relpath(os.path.join(d, n), path) + '/'] = 'dir'
        for n in names:
            p = os.path.join(d, n)
            with open(p, 'rb') as f:
                out[os.path.relpath(p, path)] = hashlib.sha256(f.read()).hexdigest()
    return out


def tree_diff(got, want):
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    changed = sorted(k for k in set(got) & set(want) if got[k] != want[k])
    return f'{len(missing)} missing, {len(extra)} extra, {len(changed)} different ' \
           f'(first: {(missing + extra + changed)[:3]})'


def killat(killer, usec, cmd, env=None):
    """Runs cmd under killat; returns ('killed'|'exited', status, usec)."""
    r = subprocess.run([killer, str(usec)] + cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit(f'killat failed: {r.stderr}')
    words = r.stdout.split()
    if words[0] == 'killed':
        return 'killed', None, int(words[1])
    status = int(words[1])
    if status != 0:
        print(f'    (exit {status}: {r.stderr.strip()[:300]})')
    return 'exited', status, int(words[2])


def delays(n):
    """n kill delays as fractions of the run time T: half stepped over
    [0, 1.3 T] (so that some run to the end even when T was measured
    high), half over the last part [0.55 T, 1.1 T] where the output is
    synced and swapped."""
    rnd = random.Random(SEED)
    half = n // 2
    out = [1.3 * (k + rnd.random()) / half for k in range(half)]
    rest = n - half
    out += [0.55 + 0.55 * (k + rnd.random()) / rest for k in range(rest)]
    rnd.shuffle(out)
    return out


# trials between two re-measures of the run time
RECALIBRATE = 10


class RunTime:
    """The run time T the kill delays are fractions of: the median of the
    last 3 uninterrupted runs. The machine is shared and its load changes,
    so the trials re-measure T every RECALIBRATE trials."""

    def __init__(self):
        self.times = []

    def add(self, us):
        self.times.append(us)

    def us(self):
        return int(statistics.median(self.times[-3:]))

    def __str__(self):
        return f'{min(self.times) / 1000:.0f}-{max(self.times) / 1000:.0f} ms'


STRACE = shutil.which('strace')
# the file-system calls around which a crash matters
SYSCALLS = ['openat', 'write', 'fsync', 'syncfs', 'link', 'linkat', 'mkdir', 'mkdirat',
            'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'rmdir']


def syscall_counts(cmd, env=None):
    """How often cmd makes each call of SYSCALLS (one strace run)."""
    log = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'crash-strace.{os.getpid()}')
    subprocess.run([STRACE, '-f', '-qq', '-o', log, '-e', 'trace=' + ','.join(SYSCALLS)] + cmd,
                   capture_output=True, env=env)
    counts = {}
    with open(log) as f:
        for line in f:
            m = line.split(None, 1)
            if len(m) == 2 and '(' in m[1]:
                name = m[1].split('(', 1)[0]
                if name in SYSCALLS:
                    counts[name] = counts.get(name, 0) + 1
    os.unlink(log)
    return counts


def kill_points(counts):
    """(syscall, n): the first, last and three middle calls of each kind."""
    out = []
    for name, c in sorted(counts.items()):
        for n in sorted({1, max(1, c // 4), max(1, c // 2), max(1, 3 * c // 4), c}):
            out.append((name, n))
    return out


def strace_kill(name, n, cmd, env=None):
    """Runs cmd and kills it with SIGKILL as it enters its n-th call of
    name (strace fault injection). Returns the exit status (137: killed)."""
    r = subprocess.run([STRACE, '-f', '-qq', '-o', '/dev/null', '-e', 'trace=' + name,
                        '-e', f'inject={name}:signal=KILL:when={n}'] + cmd,
                       capture_output=True, env=env)
    return r.returncode


# ---------------------------------------------------------------- build
def make_catalog(dst, version):
    shutil.copytree(os.path.join(ROOT, 'tests/fixtures/mini'), dst)
    with open(os.path.join(dst, 'site.yaml'), 'w') as f:
        f.write(f'title: Crash {version}\nbase_url: https://example.org/crash/\n'
                f'description: Catalog {version} of the crash trials.\nlanguage: en\n')
    lo, hi = (0, 40) if version == 'A' else (10, 50)
    for i in range(lo, hi):
        price = i + (0.5 if version == 'B' else 0)
        with open(os.path.join(dst, 'vendors', f'c-{i:02d}.yaml'), 'w') as f:
            f.write(f'id: c-{i:02d}\nname: Crash vendor {i} {version}\n'
                    f'layer: inference-provider\nspectrum: {i % 5 + 1}\n'
                    f'homepage: https://c{i}.example.org\nsummary: Vendor {i} of catalog {version}.\n'
                    f'description: |\n  Vendor *{i}*, version {version}.\n'
                    f'offers:\n  - model: open-7b\n    remote_id: open-7b-{i}\n'
                    f'    input: {price}\n    output: {price * 2}\n'
                    f'    source: https://c{i}.example.org/pricing\n    checked: 2026-11-20\n')


# the templates the builds use (tests/suite-crash.sh passes a copy, so that
# an edit of templates/ during the run cannot change the reference trees)
TEMPLATES = os.environ.get('CRASH_TEMPLATES')


def build_cmd(stackmap, cat, out, quiet=True):
    """The command line that builds catalog cat into out."""
    return ([stackmap] + (['-q'] if quiet else []) +
            (['--templates', TEMPLATES] if TEMPLATES else []) +
            ['--catalog', cat, '--out', out, 'build'])


def run_build(stackmap, cat, out):
    return subprocess.run(build_cmd(stackmap, cat, out), capture_output=True, text=True)


def build_trials(killer, stackmap, work, n):
    cats = {v: os.path.join(work, f'cat{v}') for v in 'AB'}
    refs = {}
    problems = []
    for v, cat in cats.items():
        shutil.rmtree(cat, ignore_errors=True)
        make_catalog(cat, v)
        for k in (1, 2):
            ref = os.path.join(work, f'ref{v}{k}')
            shutil.rmtree(ref, ignore_errors=True)
            r = run_build(stackmap, cat, ref)
            if r.returncode != 0:
                problems.append(f'build of catalog {v}: exit {r.returncode}: {r.stderr.strip()[:200]}')
        refs[v] = tree(os.path.join(work, f'ref{v}1'))
        if refs[v] != tree(os.path.join(work, f'ref{v}2')):
            problems.append(f'two builds of catalog {v} differ: the trials need a reproducible build')
    if not problems and refs['A'] == refs['B']:
        problems.append('catalogs A and B build the same tree')
    report(f'reference trees: A ({len(refs.get("A") or {})} entries) and B '
           f'({len(refs.get("B") or {})}), each reproducible', problems)
    if problems:
        return
    site = os.path.join(work, 'site')

    def state():
        t = tree(site)
        if t is None:
            return 'missing'
        for v in 'AB':
            if t == refs[v]:
                return v
        return 'partial: ' + min((tree_diff(t, refs[v]) for v in 'AB'), key=len)

    # calibration: A -> B and B -> A, uninterrupted
    shutil.rmtree(site, ignore_errors=True)
    run_build(stackmap, cats['A'], site)
    clock = RunTime()

    def measure():
        """One uninterrupted build to the other catalog; '' or why not."""
        before = state()
        target = 'B' if before == 'A' else 'A'
        how, status, us = killat(killer, -1, build_cmd(stackmap, cats[target], site))
        if status != 0 or state() != target:
            return f'build {target} over {before}: exit {status}, site is {state()}'
        clock.add(us)
        return ''
    for k in range(6):
        why = measure()
        if why:
            report('calibration builds', [why])
            return
    print(f'    build takes {clock.us() / 1000:.1f} ms (median of 3); seed {SEED}')

    outcomes = {'old': 0, 'new': 0, 'finished': 0}
    problems = []
    leftovers = 0
    for k, f in enumerate(delays(n)):
        if k and k % RECALIBRATE == 0:
            why = measure()
            if why:
                problems.append(f'trial {k}: {why}')
        d = int(f * clock.us())
        before = state()
        target = 'B' if before == 'A' else 'A'
        how, status, us = killat(killer, d, build_cmd(stackmap, cats[target], site))
        after = state()
        if how == 'exited':
            outcomes['finished'] += 1
            if status != 0:
                problems.append(f'trial {k}: the build ended by itself with exit {status}')
        elif after == before:
            outcomes['old'] += 1
        elif after == target:
            outcomes['new'] += 1
        if after not in ('A', 'B') or (how == 'exited' and status == 0 and after != target):
            problems.append(f'trial {k}: {how} at {us} us ({d} us asked), building {target} '
                            f'over {before}: site/ is {after}')
        if os.path.exists(site + '.staging') or os.path.exists(site + '.old'):
            leftovers += 1
    report(f'{n} builds killed at stepped points: site/ is always all old or all new '
           f'(old {outcomes["old"]}, new {outcomes["new"]}, ran to the end '
           f'{outcomes["finished"]}; {leftovers} left a staging tree; build {clock})',
           problems)
    spread = []
    if outcomes['old'] < n // 10 or outcomes['new'] + outcomes['finished'] < n // 10:
        spread.append(f'old {outcomes["old"]}, new {outcomes["new"]}, finished '
                      f'{outcomes["finished"]} of {n}: the kills did not spread over the run '
                      f'(build {clock})')
    report('the kills landed over the whole run: before the swap, after it, past the end', spread)

    if STRACE:
        # kills at exact calls: every kind of file-system call the build
        # makes, at its first, last and middle occurrences; counted over a
        # copy of site/, so that the count has the calls of a rebuild (the
        # links of unchanged files, the exchange, the removal of the old
        # tree), not those of a first build
        before = state()
        target = 'B' if before == 'A' else 'A'
        counted = os.path.join(work, 'counted')
        shutil.rmtree(counted, ignore_errors=True)
        shutil.copytree(site, counted)
        counts = syscall_counts(build_cmd(stackmap, cats[target], counted))
        problems = []
        points = kill_points(counts)
        for name, k in points:
            before = state()
            target = 'B' if before == 'A' else 'A'
            rc = strace_kill(name, k, build_cmd(stackmap, cats[target], site))
            after = state()
            if after not in ('A', 'B') or (rc == 0 and after != target):
                problems.append(f'killed at {name} #{k} (exit {rc}), building {target} over '
                                f'{before}: site/ is {after}')
        report(f'{len(points)} builds killed as they enter a given file-system call '
               f'({", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))}): site/ is all old '
               f'or all new', problems)

    before = state()
    target = 'B' if before == 'A' else 'A'
    r = run_build(stackmap, cats[target], site)
    problems = []
    if r.returncode != 0:
        problems.append(f'exit {r.returncode}: {r.stderr.strip()[:300]}')
    if state() != target:
        problems.append(f'site/ is {state()}, want {target}')
    for extra in ('.staging', '.old'):
        if os.path.exists(site + extra):
            problems.append(f'site{extra} is still there')
    report('after the killed builds, an uninterrupted build succeeds and leaves no staging tree',
           problems)

    # a first build (no site/ yet) killed: site/ is missing or complete
    problems = []
    fresh = os.path.join(work, 'fresh')
    for k, f in enumerate(delays(10)):
        d = int(f * clock.us())
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(fresh + '.staging', ignore_errors=True)
        how, status, us = killat(killer, d, build_cmd(stackmap, cats['A'], fresh))
        t = tree(fresh)
        if t is not None and t != refs['A']:
            problems.append(f'first build killed at {us} us: {tree_diff(t, refs["A"])}')
    report('10 first builds (no site/ yet) killed: the output is absent or complete', problems)


# ---------------------------------------------------------------- probe
def normalised(path):
    """The snapshot with every "ms" timing set to 0, or an error string."""
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except FileNotFoundError:
        return 'missing'
    except (ValueError, UnicodeDecodeError) as e:
        return f'unreadable: {e}'

    def walk(v):
        if isinstance(v, dict):
            return {k: (0 if k == 'ms' else walk(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v
    return walk(data)


E1, E2 = 1795600000, 1795600000 + 86400  # the two probe days
N_VENDORS, N_MODELS = 6, 300  # 1 MiB of snapshot


def probe_fixture(stackmap, work, port, resp):
    """Writes the probe catalog (under work) and the day-1 and day-2 API
    answers. Returns (use, probe_cmd): use(d) makes the fixture server
    (on port, serving resp) answer as on day d; probe_cmd(snap) is the
    probe command line that writes the snapshot snap."""
    cat = os.path.join(work, 'pcat')
    shutil.rmtree(cat, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, 'tests/fixtures/mini'), cat)
    for name in os.listdir(os.path.join(cat, 'vendors')):
        if name != 'acme-lab.yaml':  # the model lab the models need
            os.unlink(os.path.join(cat, 'vendors', name))
    os.makedirs(resp, exist_ok=True)
    for i in range(N_VENDORS):
        with open(os.path.join(cat, 'vendors', f'p-{i:02d}.yaml'), 'w') as f:
            f.write(f'id: p-{i:02d}\nname: Probe vendor {i}\nlayer: inference-provider\n'
                    f'spectrum: 3\nhomepage: https://p{i}.example.org\nsummary: A slow API.\n'
                    f'api:\n  style: together\n'
                    f'  base_url: http://127.0.0.1:{port}/f/delay=40,file=p-{i:02d}/v/p-{i:02d}/v1\n')
    day = {}
    for d in (1, 2):
        day[d] = os.path.join(work, f'pday{d}')
        os.makedirs(day[d], exist_ok=True)
        for i in range(N_VENDORS):
            listing = [{'id': f'org/model-{i}-{m}', 'type': 'chat',
                        'display_name': f'Model {i} {m} with a longish display name',
                        'context_length': 4096 + m,
                        'pricing': {'input': round(0.1 * d + m / 1000, 4),
                                    'output': round(0.2 * d + m / 1000, 4)}}
                       for m in range(N_MODELS)]
            with open(os.path.join(day[d], f'p-{i:02d}.json'), 'w') as f:
                json.dump(listing, f)

    def use(d):
        for name in os.listdir(day[d]):
            shutil.copy(os.path.join(day[d], name), os.path.join(resp, name))

    def probe_cmd(snap):
        return [stackmap, '-q', '--catalog', cat, '--snapshot', snap, 'probe', '--jobs', '4']
    return use, probe_cmd


def probe_trials(killer, stackmap, work, n, port, resp):
    use, probe_cmd = probe_fixture(stackmap, work, port, resp)

    old_path = os.path.join(work, 'old.json')
    new_path = os.path.join(work, 'new.json')
    for name in os.listdir(work):
        if name.startswith(('old.json', 'new.json', 'snap.json')):
            os.unlink(os.path.join(work, name))
    problems = []
    use(1)
    env1 = dict(os.environ, SOURCE_DATE_EPOCH=str(E1))
    env2 = dict(os.environ, SOURCE_DATE_EPOCH=str(E2))
    r = subprocess.run(probe_cmd(old_path), capture_output=True, text=True, env=env1)
    if r.returncode != 0:
        problems.append(f'day-1 probe: exit {r.returncode}: {r.stderr.strip()[:300]}')
    use(2)
    clock = RunTime()

    def measure():
        """One uninterrupted day-2 probe from old into new_path; '' or why
        not."""
        shutil.copy(old_path, new_path)
        how, status, us = killat(killer, -1, probe_cmd(new_path), env=env2)
        if status != 0:
            return f'day-2 probe: exit {status}'
        clock.add(us)
        return ''
    for k in range(5):
        why = measure()
        if why:
            problems.append(why)
            break
    old, new = normalised(old_path), normalised(new_path)
    if not isinstance(old, dict) or not isinstance(new, dict) or old == new:
        problems.append('the old and new snapshots are not two different snapshots')
    size = os.path.getsize(new_path) if os.path.exists(new_path) else 0
    report(f'reference snapshots: old (day 1) and new (day 2), {size // 1024} KiB, '
           f'{N_VENDORS} vendors of {N_MODELS} models', problems)
    if problems:
        return
    print(f'    probe takes {clock.us() / 1000:.1f} ms (median of 3); seed {SEED}')

    snap = os.path.join(work, 'snap.json')
    outcomes = {'old': 0, 'new': 0, 'finished': 0}
    problems = []
    for k, f in enumerate(delays(n)):
        if k and k % RECALIBRATE == 0:
            why = measure()
            if why or normalised(new_path) != new:
                problems.append(f'trial {k}: {why or "a day-2 probe wrote another snapshot"}')
        d = int(f * clock.us())
        shutil.copy(old_path, snap)
        how, status, us = killat(killer, d, probe_cmd(snap), env=env2)
        got = normalised(snap)
        if how == 'exited':
            outcomes['finished'] += 1
            if status != 0:
                problems.append(f'trial {k}: the probe ended by itself with exit {status}')
        if got == old:
            outcomes['old'] += 1 if how == 'killed' else 0
        elif got == new:
            outcomes['new'] += 1 if how == 'killed' else 0
        else:
            what = got if isinstance(got, str) else 'valid JSON but neither old nor new'
            problems.append(f'trial {k}: {how} at {us} us ({d} us asked): the snapshot is {what}')
        if how == 'exited' and status == 0 and got != new:
            problems.append(f'trial {k}: the probe finished but the snapshot is not new')
    tmp = sorted(x for x in os.listdir(work) if x.startswith('snap.json.'))
    report(f'{n} probes killed at stepped points: the snapshot always parses and is all old or '
           f'all new (old {outcomes["old"]}, new {outcomes["new"]}, ran to the end '
           f'{outcomes["finished"]}; {len(tmp)} temporary files left; probe {clock})', problems)
    spread = []
    if outcomes['old'] < n // 10 or outcomes['new'] + outcomes['finished'] < n // 10:
        spread.append(f'old {outcomes["old"]}, new {outcomes["new"]}, finished '
                      f'{outcomes["finished"]} of {n}: the kills did not spread over the run '
                      f'(probe {clock})')
    report('the kills landed over the whole run: before the snapshot was replaced, after it, '
           'past the end', spread)

    if STRACE:
        shutil.copy(old_path, snap)
        counts = syscall_counts(probe_cmd(snap), env=env2)
        problems = []
        points = kill_points(counts)
        for name, k in points:
            shutil.copy(old_path, snap)
            rc = strace_kill(name, k, probe_cmd(snap), env=env2)
            got = normalised(snap)
            if got != old and got != new:
                what = got if isinstance(got, str) else 'valid JSON but neither old nor new'
                problems.append(f'killed at {name} #{k} (exit {rc}): the snapshot is {what}')
            elif rc == 0 and got != new:
                problems.append(f'{name} #{k}: the probe finished but the snapshot is not new')
        report(f'{len(points)} probes killed as they enter a given file-system call '
               f'({", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))}): the snapshot is '
               f'all old or all new', problems)
        # the one kill that must leave a temporary file: after the write
        shutil.copy(old_path, snap)
        strace_kill('fsync', counts.get('fsync', 1), probe_cmd(snap), env=env2)

    shutil.copy(old_path, snap)
    r = subprocess.run(probe_cmd(snap), capture_output=True, text=True, env=env2)
    problems = []
    if r.returncode != 0:
        problems.append(f'exit {r.returncode}: {r.stderr.strip()[:300]}')
    if normalised(snap) != new:
        problems.append('the snapshot is not the new one')
    report('after the killed probes, an uninterrupted probe succeeds', problems)
    left = sorted(x for x in os.listdir(work) if x.startswith('snap.json.'))
    report('... and leaves no temporary snapshot file next to the snapshot',
           [f'{len(left)} left by killed probes, e.g. {left[:3]} (each '
            f'{os.path.getsize(os.path.join(work, left[0])) // 1024} KiB)'] if left else [])


def main():
    mode = sys.argv[1]
    killer, stackmap, work, n = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    if mode == 'build':
        build_trials(killer, stackmap, work, n)
    elif mode == 'probe':
        probe_trials(killer, stackmap, work, n, int(sys.argv[6]), sys.argv[7])
    else:
        raise SystemExit(__doc__)
    finish()


if __name__ == '__main__':
    main()
