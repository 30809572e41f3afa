#!/usr/bin/env python3
"""The full-disk checks of tests/suite-crash.sh.

usage: diskfull.py STACKMAP WORK PORT RESPONSES_DIR [auto|tmpfs|fsize]

A previous site/ (catalog A of trials.py) and a previous snapshot (the
day-1 probe of trials.py, ~1 MiB) lie on a "disk" that then has too
little room for the new ones: `stackmap build` of catalog B and a day-2
`stackmap probe` must each fail with exit 3 (EXIT_SYSTEM), say why on
stderr (the system's message and the path it could not write), and
leave the previous site/ and snapshot byte-identical, with no staging
tree or temporary snapshot left to fill the disk. Each runs at several
amounts of room, so the write fails at different points: on the first
file, in the middle, near the end. Then, with room again, both succeed
and write the new versions (so the failures were the disk's).

How the disk is made full (METHOD, default auto: the first that works):
  tmpfs  a small tmpfs mounted on WORK/disk (needs root and a container
         that allows mount); the room left is a filler file's complement,
         and the write fails with ENOSPC "No space left on device".
  fsize  RLIMIT_FSIZE on the stackmap process (SIGXFSZ ignored, so
         write() returns EFBIG "File too large" instead of killing it);
         the room is the largest file size allowed.
A loop device is not tried: where mount(2) of a tmpfs is refused, the
mount of a loop device is refused too.

Prints the method used, PASS/FAIL per check, and closes with "N passed,
N failed".
"""
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trials  # noqa: E402  (the catalogs, fixture and checks are shared)
from trials import build_cmd, report, tree, tree_diff, normalised, E1, E2  # noqa: E402

# each case gets this much time; a full disk must not make stackmap hang
TIMEOUT = 60


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except FileNotFoundError:
        return None


def mount_tmpfs(disk, size):
    """Mounts a tmpfs of size bytes on disk; returns None or why not."""
    os.makedirs(disk, exist_ok=True)
    try:
        r = subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={size},mode=0755',
                            'stackmap-crash', disk], capture_output=True, text=True,
                           timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    if r.returncode != 0:
        return r.stderr.strip() or f'mount exit {r.returncode}'
    return None


def umount(disk):
    subprocess.run(['umount', disk], capture_output=True)


def avail(disk):
    st = os.statvfs(disk)
    return st.f_bavail * st.f_frsize


def fill(disk, room):
    """Fills the disk with a filler file until only room bytes are free."""
    path = os.path.join(disk, 'filler')
    chunk = b'\0' * (1 << 20)
    with open(path, 'wb') as f:
        left = avail(disk) - room
        while left > 0:
            try:
                f.write(chunk[:min(left, len(chunk))])
                f.flush()
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
            left = avail(disk) - room


def unfill(disk):
    try:
        os.unlink(os.path.join(disk, 'filler'))
    except FileNotFoundError:
        pass


def limited(fsize):
    """A preexec_fn that limits the size of files the child writes."""
    def set_limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return set_limit


def run(cmd, env=None, fsize=None):
    # restore_signals=False: Python would reset SIGXFSZ to its default
    # (terminate) in the child; set_limit ignores it anyway
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=TIMEOUT,
                          preexec_fn=limited(fsize), restore_signals=False)


def failed_cleanly(r, why, path, extra):
    """The problems with run r, which should have failed for lack of room
    naming path (exit 3, the system's message why, the path, extra)."""
    problems = []
    err = r.stderr.strip()
    if r.returncode != 3:
        problems.append(f'exit {r.returncode}, want 3 (EXIT_SYSTEM)')
    if why not in err:
        problems.append(f'stderr does not say "{why}"')
    if path not in err:
        problems.append(f'stderr does not name {path}')
    if extra not in err:
        problems.append(f'stderr does not say "{extra}"')
    if len(err.splitlines()) > 4:
        problems.append(f'{len(err.splitlines())} lines on stderr, want a short message')
    if problems:
        problems.append(f'stderr: {err[:400]!r}')
    return problems


def main():
    stackmap, work, port, resp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    want = sys.argv[5] if len(sys.argv) > 5 else 'auto'
    os.makedirs(work, exist_ok=True)

    # the references, built on the ordinary disk
    cats = {}
    refs = {}
    problems = []
    for v in 'AB':
        cats[v] = os.path.join(work, f'cat{v}')
        shutil.rmtree(cats[v], ignore_errors=True)
        trials.make_catalog(cats[v], v)
        ref = os.path.join(work, f'ref{v}')
        shutil.rmtree(ref, ignore_errors=True)
        r = trials.run_build(stackmap, cats[v], ref)
        if r.returncode != 0:
            problems.append(f'build {v}: exit {r.returncode}: {r.stderr.strip()[:300]}')
        refs[v] = tree(ref)
    use, probe_cmd = trials.probe_fixture(stackmap, work, port, resp)
    env1 = dict(os.environ, SOURCE_DATE_EPOCH=str(E1))
    env2 = dict(os.environ, SOURCE_DATE_EPOCH=str(E2))
    old_path = os.path.join(work, 'old.json')
    new_path = os.path.join(work, 'new.json')
    for p in (old_path, new_path):
        if os.path.exists(p):
            os.unlink(p)
    use(1)
    r = run(probe_cmd(old_path), env=env1)
    if r.returncode != 0:
        problems.append(f'day-1 probe: exit {r.returncode}: {r.stderr.strip()[:300]}')
    use(2)
    if not problems:
        shutil.copy(old_path, new_path)
        r = run(probe_cmd(new_path), env=env2)
        if r.returncode != 0:
            problems.append(f'day-2 probe: exit {r.returncode}: {r.stderr.strip()[:300]}')
    report('references: site A and B, snapshot of day 1 and day 2', problems)
    if problems:
        trials.finish()
    old_bytes = read(old_path)
    snap_size = len(read(new_path))
    ref_b = os.path.join(work, 'refB')
    sizes = [os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(ref_b) for n in ns]
    site_pages = sum((s + 4095) // 4096 * 4096 for s in sizes)  # tmpfs counts pages

    # the disk, and how much room each case leaves
    method, disk, why = None, os.path.join(work, 'disk'), ''
    if want in ('auto', 'tmpfs'):
        size = 4 * (site_pages + snap_size) + (1 << 20)
        refused = mount_tmpfs(disk, size)
        if refused is None:
            method = 'tmpfs'
            print(f'    full disk: a tmpfs of {size // 1024} KiB mounted on {disk}, filled up')
        elif want == 'tmpfs':
            report('mount a tmpfs for the full-disk checks', [refused])
            trials.finish()
        else:
            print(f'    full disk: mount -t tmpfs refused ({refused}); falling back to '
                  f'RLIMIT_FSIZE')
    if method is None:
        method = 'fsize'
        os.makedirs(disk, exist_ok=True)
        print(f'    full disk: RLIMIT_FSIZE on stackmap (SIGXFSZ ignored), under {disk}')
    if method == 'tmpfs':
        why = 'No space left on device'
        # bytes left free: none, one page, a part of what is needed
        build_rooms = [0, 4096, site_pages // 8 // 4096 * 4096, site_pages // 3 // 4096 * 4096]
        probe_rooms = [0, 4096, snap_size // 2 // 4096 * 4096, (snap_size - 8192) // 4096 * 4096]
    else:
        why = 'File too large'
        biggest = max(sizes)
        # the largest file size allowed: none, a few bytes, half of the
        # largest page, all but its last byte (the snapshot: its last page, as
        # its timings vary in length)
        build_rooms = [0, 100, biggest // 2, biggest - 1]
        probe_rooms = [0, 4096, snap_size // 2, snap_size - 4096]

    site = os.path.join(disk, 'site')
    snap = os.path.join(disk, 'snapshot.json')
    try:
        r = run(build_cmd(stackmap, cats['A'], site))
        shutil.copy(old_path, snap)
        if r.returncode != 0 or tree(site) != refs['A']:
            report('the previous site/ on the disk', [f'exit {r.returncode}: {r.stderr[:300]}'])
            trials.finish()

        for room in build_rooms:
            if method == 'tmpfs':
                fill(disk, room)
                r = run(build_cmd(stackmap, cats['B'], site, quiet=False))
                unfill(disk)
            else:
                r = run(build_cmd(stackmap, cats['B'], site, quiet=False), fsize=room)
            problems = failed_cleanly(r, why, site, f'{site} was left as it was')
            t = tree(site)
            if t != refs['A']:
                problems.append('site/ is ' + ('missing' if t is None else
                                               'changed: ' + tree_diff(t, refs['A'])))
            if os.path.exists(site + '.staging'):
                problems.append('site.staging was left behind')
            room_s = f'{room // 1024} KiB free' if method == 'tmpfs' else f'files <= {room} B'
            report(f'build with {room_s}: exit 3, "{why}" and the path on stderr, '
                   f'the previous site/ intact, no staging tree left', problems)

        for room in probe_rooms:
            if method == 'tmpfs':
                fill(disk, room)
                r = run(probe_cmd(snap), env=env2)
                unfill(disk)
            else:
                r = run(probe_cmd(snap), env=env2, fsize=room)
            problems = failed_cleanly(r, why, snap, 'cannot write the snapshot')
            if read(snap) != old_bytes:
                problems.append('the snapshot changed' if os.path.exists(snap) else
                                'the snapshot is gone')
            left = [n for n in os.listdir(disk) if n.startswith('snapshot.json.')]
            if left:
                problems.append(f'temporary files left: {left}')
            room_s = f'{room // 1024} KiB free' if method == 'tmpfs' else f'files <= {room} B'
            report(f'probe with {room_s}: exit 3, "{why}" and the path on stderr, '
                   f'the previous snapshot byte-identical, no temporary file left', problems)

        # with room again, both succeed: the failures were the disk's
        problems = []
        r = run(build_cmd(stackmap, cats['B'], site))
        if r.returncode != 0 or tree(site) != refs['B']:
            problems.append(f'build: exit {r.returncode} {r.stderr.strip()[:300]}, site/ '
                            f'{"is B" if tree(site) == refs["B"] else "is not B"}')
        r = run(probe_cmd(snap), env=env2)
        if r.returncode != 0 or normalised(snap) != normalised(new_path):
            problems.append(f'probe: exit {r.returncode} {r.stderr.strip()[:300]}, the '
                            f'snapshot is {"" if normalised(snap) == normalised(new_path) else "not "}'
                            f'the new one')
        report('with room again, build and probe succeed and write the new site/ and snapshot',
               problems)
    finally:
        if method == 'tmpfs':
            umount(disk)
    print(f'    full-disk method: {method}')
    trials.finish()


if __name__ == '__main__':
    main()
