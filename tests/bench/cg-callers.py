#!/usr/bin/env python3
"""cg-callers.py: for the most expensive functions (inclusive) of a
callgrind profile, list their heaviest callers, so that costs inside
libraries without symbols (jansson, libyaml) land on stackmap's own code.

usage: cg-callers.py CALLGRIND_OUT [N_FUNCTIONS] [N_CALLERS]"""
import subprocess
import sys


def main():
    path = sys.argv[1]
    nfun = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    ncall = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    text = subprocess.run(["callgrind_annotate", "--tree=caller",
                           "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True).stdout
    lines = text.split("\n")
    blocks = []
    for i, line in enumerate(lines):
        if "*  " not in line:
            continue
        try:
            cost = int(line.split()[0].replace(",", ""))
        except ValueError:
            continue
        callers = []
        j = i - 1
        while j >= 0 and "<" in lines[j] and lines[j].strip()[:1].isdigit():
            callers.append(lines[j].strip())
            j -= 1
        name = line.split("*", 1)[1].strip()
        # skip recursion cycles and the wrappers around everything
        if "'" in name or "(below main)" in name or "libc-start" in name \
                or name.endswith(":main") or ":main [" in name \
                or "ld-linux" in name:
            continue
        blocks.append((cost, line.strip(), callers))
    blocks.sort(key=lambda b: -b[0])
    for cost, line, callers in blocks[:nfun]:
        print(line[:160])
        callers.sort(key=lambda c: -int(c.split()[0].replace(",", "")))
        for c in callers[:ncall]:
            print("      " + c[:160])


if __name__ == "__main__":
    main()
