#!/usr/bin/env python3
"""Rewrites skeleton/catalog/ (what `stackmap init` copies) from the bundled
catalog: each skeleton vendor and model file is the bundled file, with the
offers cut to the skeleton's models, `via` cut to the skeleton's vendors and
`frontier_alternatives` dropped (they name models the skeleton lacks), under
a header saying where it came from. The primer is copied as it is.
tests/suite-install.sh checks that the skeleton's facts are the bundled
catalog's; run this after the bundled catalog changes:

    python3 scripts/sync-skeleton.py
"""
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENDORS = ["meta", "deepinfra", "openrouter", "together", "litellm"]
MODELS = ["llama-3.3-70b", "llama-3.1-8b"]
HEADER = ("# EXAMPLE from stackmap's bundled catalog (catalog/{kind}/{name}){cut}.\n"
          "# Edit it, or replace it with your own; `stackmap validate` checks your changes.\n")
CUT = "\n# with its offers cut to the example models"


def items(lines, start):
    """The '  - ' items of the block list that starts after lines[start]."""
    out, cur = [], None
    i = start + 1
    while i < len(lines) and (lines[i].startswith("  ") or not lines[i].strip()):
        if lines[i].startswith("  - "):
            cur = [lines[i]]
            out.append(cur)
        elif cur is not None:
            cur.append(lines[i])
        i += 1
    return out, i


def vendor(text):
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("via: ["):
            ids = [v.strip() for v in line[6:-1].split(",") if v.strip() in VENDORS]
            if ids:
                out.append("via: [%s]" % ", ".join(ids))
            i += 1
        elif line == "offers:":
            kept, i = items(lines, i)
            kept = [it for it in kept
                    if re.match(r"  - model: (\S+)", it[0]).group(1) in MODELS]
            if kept:
                out.append("offers:")
                for it in kept:
                    out.extend(it)
        else:
            out.append(line)
            i += 1
    return "\n".join(out)


def main():
    for kind, names in (("vendors", VENDORS), ("models", MODELS)):
        dst = os.path.join(ROOT, "skeleton", "catalog", kind)
        os.makedirs(dst, exist_ok=True)
        for old in os.listdir(dst):
            if old[:-len(".yaml")] not in names:
                os.remove(os.path.join(dst, old))
        for name in names:
            text = open(os.path.join(ROOT, "catalog", kind, name + ".yaml")).read()
            first, rest = text.split("\n", 1)
            if kind == "vendors":
                rest = vendor(rest)
                cut = CUT
            else:
                rest = re.sub(r"(?m)^frontier_alternatives:.*\n", "", rest)
                cut = ""
            with open(os.path.join(dst, name + ".yaml"), "w") as f:
                f.write(first + "\n" + HEADER.format(kind=kind, name=name + ".yaml", cut=cut) + rest)
    for primer in os.listdir(os.path.join(ROOT, "skeleton", "catalog", "primers")):
        text = open(os.path.join(ROOT, "catalog", "primers", primer)).read()
        # the mark goes inside the front matter, after its schema line
        first, second, rest = text.split("\n", 2)
        with open(os.path.join(ROOT, "skeleton", "catalog", "primers", primer), "w") as f:
            f.write("\n".join([first, second]) + "\n" +
                    HEADER.format(kind="primers", name=primer, cut="") + rest)


main()
