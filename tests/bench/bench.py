#!/usr/bin/env python3
"""bench.py: the stackmap benchmark behind `make bench`.

For each catalog size (S, M, L from tests/bench/gen-catalog) it times, as
the median of several runs, each in a fresh output directory on tmpfs:

  validate   stackmap --catalog C validate
  build      stackmap --catalog C --out OUT build    (pages, pages/s, RSS)
  floor      tests/bench/floor.c recreating build's own output tree
  Hugo       Debian's hugo building the same pages from stackmap's own
             Markdown twins with a one-template layout (HTML + MD outputs)
  rebuild    a second build into the existing tree: found current
  rebuild --force  the same, rendered anyway (no file changes)

The runs of one size are interleaved round-robin, so that load from
other processes on a shared machine falls on all of them alike.
Wall time is measured around fork/exec/wait; peak RSS is the child's
ru_maxrss from wait4(2). It prints one Markdown table and writes it, with the
machine's CPU model and core count and every raw sample, to RESULTS.md.

Only the Python standard library is used. Run through `make bench`; see
`python3 tests/bench/bench.py --help` for the knobs.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = {"S": (100, 200, 2_000), "M": (1_000, 2_000, 20_000),
         "L": (5_000, 10_000, 100_000)}
TARGETS_DOC = """\
Targets (reported against, not enforced):
L builds >= 10x faster than Hugo; L build within 3x of the write floor;
peak RSS for L < 400 MB; validate for L < 1 s."""

T0 = time.monotonic()


def log(msg):
    print("[%6.1fs] %s" % (time.monotonic() - T0, msg), file=sys.stderr,
          flush=True)


CPU = []  # user+sys seconds of the last run, read by callers that want it
OTHERS = []  # cores kept busy by other processes during each timed run
TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """CPU seconds spent busy on all cores since boot (/proc/stat)."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    # user nice system idle iowait irq softirq steal ...
    return (sum(v[:8]) - v[3] - v[4]) / TICK


def run(argv, out_path=os.devnull, err_path=os.devnull):
    """Runs argv; returns (seconds, peak RSS in KiB, exit status) and
    leaves its user+sys CPU seconds in CPU[0]."""
    fa = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
          (os.POSIX_SPAWN_OPEN, 1, out_path,
           os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
          (os.POSIX_SPAWN_OPEN, 2, err_path,
           os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    # stackmap's build stamps go to the bench's own cache folder
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(
        os.environ.get("BENCH_TMP", "/dev/shm"), "stackmap-bench-cache"))
    b0 = busy_seconds()
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=fa)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    b1 = busy_seconds()
    CPU[:] = [ru.ru_utime + ru.ru_stime]
    OTHERS.append(max(0.0, (b1 - b0 - CPU[0]) / (t1 - t0)))
    return t1 - t0, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def rmtree(path):
    if os.path.lexists(path):
        shutil.rmtree(path)


def count_files(root):
    pages = files = 0
    nbytes = 0
    for d, _, names in os.walk(root):
        for n in names:
            files += 1
            nbytes += os.path.getsize(os.path.join(d, n))
            if n.endswith(".html") or n.endswith(".md"):
                pages += 1
    return pages, files, nbytes


def div(a, b):
    return a / b if b and b == b and a == a else float("nan")


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def ensure_hugo():
    if shutil.which("hugo"):
        return True
    if os.geteuid() != 0:
        log("hugo is not installed and we are not root; run: "
            "apt-get install -y hugo (skipping the Hugo comparison)")
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log("installing Debian's hugo with apt-get")
    for cmd in (["apt-get", "install", "-y", "-q", "hugo"],
                ["apt-get", "update", "-q"],
                ["apt-get", "install", "-y", "-q", "hugo"]):
        r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        if r.returncode == 0 and shutil.which("hugo"):
            return True
    log("could not install hugo; skipping the Hugo comparison")
    return False


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
title = "stackmap benchmark catalog"
languageCode = "en"
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "section"]
enableRobotsTXT = false
[outputs]
home = ["HTML", "MD"]
page = ["HTML", "MD"]
[outputFormats.MD]
mediaType = "text/markdown"
isPlainText = true
"""
HUGO_HTML = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header><nav><a href="{{ "index.html" | relURL }}">Stack map</a>
<a href="{{ "pricing.html" | relURL }}">Pricing</a>
<a href="{{ "changes.html" | relURL }}">Changes</a></nav></header>
<main>
{{ .Content }}
</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
"""
HUGO_MD = "{{ .RawContent }}\n"


def make_hugo_site(site_out, dest):
    """A Hugo site with one content .md per HTML page in site_out. The
    content is stackmap's own Markdown twin of the page when it exists,
    else the page's text with the tags stripped. Returns (pages, source)."""
    rmtree(dest)
    os.makedirs(os.path.join(dest, "layouts", "_default"))
    with open(os.path.join(dest, "config.toml"), "w") as f:
        f.write(HUGO_CONFIG)
    for name in ("single.html", "list.html"):
        with open(os.path.join(dest, "layouts", "_default", name), "w") as f:
            f.write(HUGO_HTML)
    for name in ("single.md", "list.md"):
        with open(os.path.join(dest, "layouts", "_default", name), "w") as f:
            f.write(HUGO_MD)
    n = twins = 0
    for d, _, names in os.walk(site_out):
        rel_dir = os.path.relpath(d, site_out)
        if rel_dir.split(os.sep)[0] in ("assets", "api"):
            continue
        for name in names:
            if not name.endswith(".html"):
                continue
            stem = name[:-5]
            twin = os.path.join(d, stem + ".md")
            if os.path.exists(twin):
                with open(twin, encoding="utf-8") as f:
                    body = f.read()
                twins += 1
            else:
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    html = f.read()
                text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
                text = re.sub(r"<[^>]+>", " ", text)
                body = "\n\n".join(p.strip() for p in
                                   re.split(r"\n\s*\n", text) if p.strip())
            m = re.search(r"^#\s+(.+)$", body, re.M)
            title = m.group(1).strip() if m else stem
            if rel_dir == "." and stem == "index":
                target = os.path.join(dest, "content", "_index.md")
            else:
                target = os.path.join(dest, "content", rel_dir, stem + ".md")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write("---\ntitle: %s\n---\n" % json.dumps(title))
                f.write(body)
            n += 1
    return n, ("stackmap's Markdown twins" if twins == n else
               "%d Markdown twins, %d pages as stripped HTML text" %
               (twins, n - twins))


def fmt_s(x):
    if x != x:
        return "n/a"
    return "%.3f" % x if x < 10 else "%.2f" % x


def fmt_mb(kib):
    return "n/a" if kib != kib else "%.0f" % (kib / 1024)


def fmt_ratio(x, digits=2):
    return "n/a" if x != x else ("%%.%df" % digits) % x


def template_note(templates):
    """Flags placeholder templates: a build with them measures nothing."""
    total = 0
    for d, _, names in os.walk(os.path.join(templates, "html")):
        for n in names:
            total += os.path.getsize(os.path.join(d, n))
    md = os.path.join(templates, "md")
    has_md = os.path.isdir(md) and any(
        n.endswith(".mustache") for n in os.listdir(md))
    if total < 2048:
        return ("WARNING: templates/html holds only %d bytes in all: the "
                "templates are still placeholders, so build figures "
                "measure loading and the view, not rendering." % total)
    if not has_md:
        return ("WARNING: templates/md has no templates: no Markdown "
                "twins were rendered.")
    return ""


def wait_quiet(limit):
    """Waits up to limit seconds for a 3-second window in which other
    processes use less than a quarter of a core."""
    end = time.monotonic() + limit
    while True:
        b0 = busy_seconds()
        time.sleep(3)
        used = (busy_seconds() - b0) / 3
        if used < 0.25 or time.monotonic() >= end:
            return used
        log("waiting for a quiet machine (others use %.2f cores)" % used)


def bench_size(a, size, hugo_ok):
    nv, nm, no = SIZES[size]
    base = os.path.join(a.work, size)
    rmtree(base)
    os.makedirs(base)
    cat = os.path.join(base, "catalog")
    r = {"size": size, "vendors": nv, "models": nm, "offers": no,
         "samples": {}}
    log("%s: generating %d vendors, %d models, %d offers" % (size, nv, nm,
                                                             no))
    if a.wait_quiet > 0:
        wait_quiet(a.wait_quiet)
    del OTHERS[:]
    subprocess.run([sys.executable, a.gen, "--seed", str(a.seed), size, cat],
                   check=True)
    sm = [a.stackmap, "--catalog", cat, "--templates", a.templates]
    err = os.path.join(base, "stderr.txt")

    # validate: one checked run, then the timed ones
    _, _, rc = run(sm + ["validate"], err_path=err)
    text = open(err).read()
    if rc != 0 or " 0 errors, 0 warnings" not in text:
        sys.exit("bench: the %s catalog does not validate cleanly:\n%s" %
                 (size, text[-2000:]))
    vt, vr, vc = [], [], []
    for _ in range(a.runs):
        t, rss, rc = run(sm + ["validate"], err_path=err)
        if rc != 0:
            sys.exit("bench: validate failed:\n" + open(err).read()[-2000:])
        vt.append(t)
        vr.append(rss)
        vc.append(CPU[0])
    r["validate_s"], r["validate_rss"] = med(vt), med(vr)
    r["validate_cpu"] = med(vc)
    r["samples"]["validate (s)"] = vt
    r["samples"]["validate CPU, user+sys (s)"] = vc
    log("%s: validate %s s" % (size, fmt_s(r["validate_s"])))

    # The measurements are interleaved round-robin (build, floor, Hugo,
    # rebuild; build, floor, ...) so that load from other processes, which
    # varies over minutes on a shared machine, falls on all of them alike.
    keep = os.path.join(base, "site")

    def build_into(out, *extra):
        t, rss, rc = run(sm + ["--out", out, "build"] + list(extra),
                         err_path=err)
        if rc != 0:
            sys.exit("bench: build of %s into %s failed (exit %d):\n%s" % (
                size, out, rc, open(err).read()[-3000:]))
        return t, rss, CPU[0], open(err).read()

    bt, br, bc = [], [], []
    t, rss, cpu, text = build_into(keep)  # the tree everything else uses
    bt.append(t)
    br.append(rss)
    bc.append(cpu)
    m = re.search(r": (\d+) files \((\d+) changed", text)
    r["files_reported"] = int(m.group(1)) if m else None
    r["pages"], r["files"], r["bytes"] = count_files(keep)

    hugo_runs = 0
    if hugo_ok:
        hsite = os.path.join(base, "hugo-site")
        n, source = make_hugo_site(keep, hsite)
        r["hugo_content"] = "%d content pages from %s" % (n, source)
        hugo_runs = a.hugo_runs_l if size == "L" else a.hugo_runs
    fout = os.path.join(base, "floor.txt")
    ft, fc, ht, hr, hc, rt, rr, frt = [], [], [], [], [], [], [], []
    for i in range(max(a.runs, hugo_runs)):
        if 0 < i < a.runs:
            out = os.path.join(base, "site-%d" % i)
            t, rss, cpu, _ = build_into(out)
            bt.append(t)
            br.append(rss)
            bc.append(cpu)
            rmtree(out)  # on tmpfs, after its timed run
        if i < a.runs:
            # the floor: one timed recreation of the kept tree
            fdir = os.path.join(base, "floor-%d" % i)
            _, _, rc = run([a.floor, keep, fdir, "1"], out_path=fout,
                           err_path=err)
            if rc != 0:
                sys.exit("bench: floor failed:\n" + open(err).read())
            ftext = open(fout).read()
            ft += [float(x) for x in re.findall(r": ([0-9.]+) s,", ftext)]
            fc += [float(x) for x in re.findall(r", ([0-9.]+) cpu", ftext)]
            rmtree(fdir)
        if i < hugo_runs:
            hout = os.path.join(base, "hugo-public-%d" % i)
            t, rss, rc = run(["hugo", "--quiet", "--noBuildLock",
                              "--source", hsite, "--destination", hout,
                              "--cacheDir", os.path.join(base, "hugo-cache")],
                             err_path=err)
            if rc != 0:
                sys.exit("bench: hugo failed:\n" + open(err).read()[-3000:])
            ht.append(t)
            hr.append(rss)
            hc.append(CPU[0])
            if i == 0:
                r["hugo_pages"], r["hugo_files"], _ = count_files(hout)
            rmtree(hout)
        if i < a.runs:
            # a no-change rebuild into the kept tree: stackmap finds it
            # current (its stamp); then the same, rendered anyway
            t, rss, _, text = build_into(keep)
            r["rebuild_current"] = ": current" in text
            rt.append(t)
            rr.append(rss)
            t, rss, _, text = build_into(keep, "--force")
            m = re.search(r"\((\d+) changed, (\d+) unchanged\)", text)
            r["rebuild_changed"] = int(m.group(1)) if m else None
            frt.append(t)
        log("%s: round %d done" % (size, i + 1))

    r["build_s"], r["build_rss"] = med(bt), med(br)
    r["build_cpu"] = med(bc)
    r["samples"]["build (s)"] = bt
    r["samples"]["build CPU, user+sys (s)"] = bc
    r["pages_per_s"] = r["pages"] / r["build_s"]
    r["us_per_page"] = 1e6 * r["build_s"] / r["pages"]
    log("%s: build %s s, %d pages, %d files, %.1f MB" % (
        size, fmt_s(r["build_s"]), r["pages"], r["files"],
        r["bytes"] / 1e6))
    r["floor_s"] = med(ft)
    r["floor_cpu"] = med(fc)
    r["samples"]["floor (s)"] = ft
    r["samples"]["floor CPU, user+sys (s)"] = fc
    r["build_over_floor"] = div(r["build_s"], r["floor_s"])
    log("%s: floor %s s" % (size, fmt_s(r["floor_s"])))
    r["hugo_s"] = r["hugo_rss"] = r["hugo_cpu"] = float("nan")
    r.setdefault("hugo_pages", float("nan"))
    r["hugo_runs"] = hugo_runs
    if hugo_runs:
        r["hugo_s"], r["hugo_rss"] = med(ht), med(hr)
        r["hugo_cpu"] = med(hc)
        r["samples"]["Hugo (s)"] = ht
        r["samples"]["Hugo CPU, user+sys (s)"] = hc
        log("%s: Hugo %s s for %d pages" % (size, fmt_s(r["hugo_s"]),
                                            r["hugo_pages"]))
    r["over_hugo"] = div(r["build_s"], r["hugo_s"])
    r["rebuild_s"], r["rebuild_rss"] = med(rt), med(rr)
    r["samples"]["rebuild (s)"] = rt
    r["forced_rebuild_s"] = med(frt)
    r["samples"]["rebuild --force (s)"] = frt
    log("%s: rebuild %s s (%s changed)" % (size, fmt_s(r["rebuild_s"]),
                                           r.get("rebuild_changed")))
    r["others"] = med(OTHERS)
    r["others_max"] = max(OTHERS) if OTHERS else float("nan")
    if r["others"] > 0.25:
        log("%s: warning: other processes kept %.2f cores busy during the "
            "median run: the machine is not quiet" % (size, r["others"]))
    if not a.keep:
        rmtree(base)
    return r


def table(results):
    head = ["size", "vendors / models / offers", "validate (s)",
            "validate CPU (s)", "validate RSS (MB)", "build (s)", "build CPU (s)", "pages", "pages/s",
            "build RSS (MB)", "µs/page", "floor (s)", "build ÷ floor",
            "Hugo (s)", "Hugo RSS (MB)", "Hugo pages", "stackmap ÷ Hugo",
            "rebuild (s)", "rebuild RSS (MB)", "rebuild --force (s)",
            "others busy (cores)"]
    rows = []
    for r in results:
        rows.append([
            r["size"],
            "{:,} / {:,} / {:,}".format(r["vendors"], r["models"],
                                        r["offers"]),
            fmt_s(r["validate_s"]), fmt_s(r["validate_cpu"]),
            fmt_mb(r["validate_rss"]),
            fmt_s(r["build_s"]), fmt_s(r["build_cpu"]),
            "{:,}".format(r["pages"]),
            "{:,.0f}".format(r["pages_per_s"]), fmt_mb(r["build_rss"]),
            "%.0f" % r["us_per_page"], fmt_s(r["floor_s"]),
            fmt_ratio(r["build_over_floor"], 1), fmt_s(r["hugo_s"]),
            fmt_mb(r["hugo_rss"]),
            "n/a" if r["hugo_pages"] != r["hugo_pages"]
            else "{:,}".format(r["hugo_pages"]),
            fmt_ratio(r["over_hugo"], 3), fmt_s(r["rebuild_s"]),
            fmt_mb(r["rebuild_rss"]), fmt_s(r["forced_rebuild_s"]),
            "%.2f" % r["others"]])
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def targets(results):
    by = {r["size"]: r for r in results}
    if "L" not in by:
        return ["(no L run: targets not assessed)"]
    L = by["L"]

    def verdict(ok):
        return "n/a" if ok is None else ("**met**" if ok else "**NOT met**")
    oh = L["over_hugo"]
    out = [
        "| target | L figure | verdict |", "|---|---:|---|",
        "| build ≥ 10× faster than Hugo | %s | %s |" % (
            "n/a" if oh != oh else "%.1f× faster (%.3f)" % (1 / oh, oh),
            verdict(None if oh != oh else oh <= 0.1)),
        "| build within 3× of the write floor | %.1f× | %s |" % (
            L["build_over_floor"], verdict(L["build_over_floor"] <= 3)),
        "| peak RSS < 400 MB | %s MB | %s |" % (
            fmt_mb(L["build_rss"]), verdict(L["build_rss"] / 1024 < 400)),
        "| validate < 1 s | %s s | %s |" % (
            fmt_s(L["validate_s"]), verdict(L["validate_s"] < 1)),
        "",
        "The same comparisons in CPU time (user + system), which other "
        "processes on a shared machine inflate far less than wall time "
        "(others kept %.2f cores busy during the L runs): validate CPU "
        "%s s; build CPU %s s ÷ "
        "floor CPU %s s = %.1f×; build CPU ÷ Hugo CPU (%s s, summed over "
        "its threads) = %s." % (
            L["others"], fmt_s(L["validate_cpu"]), fmt_s(L["build_cpu"]),
            fmt_s(L["floor_cpu"]),
            div(L["build_cpu"], L["floor_cpu"]), fmt_s(L["hugo_cpu"]),
            fmt_ratio(div(L["build_cpu"], L["hugo_cpu"]), 3)),
    ]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stackmap", default=os.path.join(ROOT, "stackmap"))
    ap.add_argument("--floor", required=True, help="the built floor.c")
    ap.add_argument("--gen", default=os.path.join(HERE, "gen-catalog"))
    ap.add_argument("--templates", default=os.path.join(ROOT, "templates"))
    ap.add_argument("--sizes", default="S,M,L")
    ap.add_argument("--runs", type=int, default=5,
                    help="runs per stackmap/floor figure (median)")
    ap.add_argument("--hugo-runs", type=int, default=5)
    ap.add_argument("--hugo-runs-l", type=int, default=3,
                    help="Hugo runs at L (fewer to save time)")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--work", default="/dev/shm/stackmap-bench")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="S",
                    help="before each size, wait up to S seconds for other "
                    "processes to leave the CPUs idle")
    ap.add_argument("--keep", action="store_true",
                    help="keep the catalogs and trees under --work")
    a = ap.parse_args()
    a.stackmap = os.path.abspath(a.stackmap)
    a.floor = os.path.abspath(a.floor)
    a.templates = os.path.abspath(a.templates)
    if a.runs < 5:
        log("note: fewer than 5 runs per figure (--runs %d)" % a.runs)
    fs = subprocess.run(["stat", "-f", "-c", "%T", os.path.dirname(
        os.path.abspath(a.work)) or "/"], capture_output=True,
        text=True).stdout.strip()
    if fs != "tmpfs":
        log("warning: %s is on %s, not tmpfs" % (a.work, fs or "?"))
    note = template_note(a.templates)
    if note:
        log(note)
    hugo_ok = not a.no_hugo and ensure_hugo()
    hugo_version = (subprocess.run(["hugo", "version"], capture_output=True,
                                   text=True).stdout.strip()
                    if hugo_ok else "not run")
    version = subprocess.run([a.stackmap, "--version"], capture_output=True,
                             text=True).stdout.strip()
    load_before = loadavg()
    # Snapshot the binary and templates: others may rebuild them mid-run.
    rmtree(a.work)
    tool = os.path.join(a.work, "tool")
    os.makedirs(tool)
    shutil.copy2(a.stackmap, os.path.join(tool, "stackmap"))
    shutil.copy2(a.floor, os.path.join(tool, "floor"))
    shutil.copytree(a.templates, os.path.join(tool, "templates"))
    a.stackmap = os.path.join(tool, "stackmap")
    a.floor = os.path.join(tool, "floor")
    a.templates = os.path.join(tool, "templates")
    results = [bench_size(a, s.strip().upper(), hugo_ok)
               for s in a.sizes.split(",") if s.strip()]
    load_after = loadavg()
    if not a.keep:
        rmtree(a.work)
    elapsed = time.monotonic() - T0

    tab = table(results)
    print(tab)
    print()
    for line in targets(results):
        print(line)

    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0))
    hugo_runs = ", ".join("%s: %d" % (r["size"], r["hugo_runs"])
                          for r in results)
    md = ["# stackmap benchmark results", "",
          "Written by `make bench` (tests/bench/bench.py); do not edit by "
          "hand.", "",
          "- date: %s" % datetime.datetime.now().astimezone().isoformat(
              timespec="seconds"),
          "- machine: %s, %d cores (%d usable), %.1f GiB RAM, Linux %s" % (
              cpu_model(), cores, usable,
              os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
              / 2**30, platform.release()),
          "- stackmap: %s; Hugo: %s" % (version or "?", hugo_version),
          "- output and catalogs on tmpfs (%s), a fresh directory per run"
          % a.work,
          "- each figure is the median of %d runs (Hugo runs per size: %s)"
          % (a.runs, hugo_runs),
          "- load average before / after: %s / %s; total bench time %.0f s"
          % (load_before, load_after, elapsed), ""]
    if note:
        md += ["> " + note, ""]
    md += [tab, "",
           "Columns: *pages* = .html and .md files stackmap wrote (exports, "
           "SVG, sitemap and assets not counted; see files below); "
           "*pages/s* and *µs/page* = pages ÷ build time; *floor* = "
           "tests/bench/floor.c recreating stackmap's own output tree "
           "(mkdir, open, write, close per file, data already in memory) "
           "in a fresh directory on the same tmpfs; *Hugo* = `hugo` "
           "building one content page per stackmap HTML page, each holding "
           "stackmap's Markdown twin of that page, through a one-template "
           "layout (single/list .html plus a .md output format, so Hugo "
           "writes the same .html + .md pairs and a sitemap); both use "
           "every core (stackmap's `build --jobs` defaults to the CPUs; "
           "its peak RSS is that of its largest process); *rebuild* = a second build "
           "of the same catalog into the kept tree, which stackmap's stamp "
           "finds current (it fingerprints the inputs and the tree and "
           "renders nothing); *rebuild --force* = the same rendered anyway "
           "into the existing tree where no file changes (stackmap compares "
           "and hard-links each file, then swaps the trees and deletes the "
           "old one); *others busy* = the median, over this size's timed runs, "
           "of the cores other processes kept busy meanwhile (from "
           "/proc/stat less the measured process's own CPU time): above "
           "about 0.25 the machine was shared and wall times are inflated; "
           "*validate CPU* and *build CPU* = user + system time of the "
           "process, which contention inflates much less.", "",
           "## Targets", ""]
    md += targets(results)
    md += ["", "## Details", ""]
    for r in results:
        md.append("- %s: %d files, %.1f MB written (stackmap reported %s "
                  "files); rebuild left %s files changed; Hugo: %s, %s "
                  "pages written" % (
                      r["size"], r["files"], r["bytes"] / 1e6,
                      r.get("files_reported"), r.get("rebuild_changed"),
                      r.get("hugo_content", "not run"),
                      "n/a" if r["hugo_pages"] != r["hugo_pages"]
                      else "{:,}".format(r["hugo_pages"])))
        for k, xs in r["samples"].items():
            md.append("  - %s: %s" % (k, ", ".join(fmt_s(x) for x in xs)))
    md.append("")
    with open(a.results, "w") as f:
        f.write("\n".join(md))
    log("wrote %s (%.0f s in all)" % (a.results, elapsed))


if __name__ == "__main__":
    main()
