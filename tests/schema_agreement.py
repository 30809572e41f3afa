#!/usr/bin/python3
"""The JSON Schemas in catalog/schema/ and the C validator must agree.

1. The committed schemas equal what `stackmap schema NAME` prints.
2. Every file of the bundled catalog and of tests/fixtures/mini is valid
   under its schema (the C validator passes them too: see run-bad.sh and
   the build).
3. Every case in tests/bad/ that the validator rejects for a single-file
   rule is rejected by the schema as well. Cases whose rule spans files
   (references, file names, staleness) say "schema: valid" and must be
   accepted by the schema; cases the YAML reader refuses before any schema
   applies (syntax, aliases, encoding) say "schema: n/a".

Prints "schema: N passed, N failed".
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
stackmap = os.environ.get("STACKMAP", os.path.join(root, "stackmap"))
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


class CoreLoader(yaml.SafeLoader):
    """YAML 1.2 core schema: only true/false are booleans, and dates stay
    strings, as stackmap reads them."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|)$", ["~", "n", ""]),
    ("tag:yaml.org,2002:int", r"^-?[0-9]+$", "-0123456789"),
    ("tag:yaml.org,2002:float",
     r"^-?(?:[0-9]+)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$", "-0123456789"),
]:
    CoreLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def strip_nulls(value):
    """stackmap treats an empty value as absent; so does this test."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


schemas = {}
for name in ("vendor", "model", "site", "primer"):
    path = os.path.join(root, "catalog", "schema", name + ".schema.json")
    with open(path) as f:
        committed = f.read()
    printed = subprocess.run([stackmap, "schema", name], capture_output=True,
                             text=True).stdout
    check(committed == printed,
          f"catalog/schema/{name}.schema.json is stale: run make schemas")
    schemas[name] = jsonschema.Draft202012Validator(
        json.loads(committed),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def kind_of(rel):
    if rel.startswith("vendors/"):
        return "vendor"
    if rel.startswith("models/"):
        return "model"
    if rel.startswith("primers/"):
        return "primer"
    return "site"


def load(path, kind):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if kind == "primer":
        text = text.split("\n---\n", 1)[0][4:]
    return strip_nulls(yaml.load(text, Loader=CoreLoader))


def errors_of(path, kind):
    doc = load(path, kind)
    return list(schemas[kind].iter_errors(doc))


for catalog in ("catalog", "tests/fixtures/mini"):
    base = os.path.join(root, catalog)
    for path in sorted(glob.glob(base + "/**/*.yaml", recursive=True) +
                       glob.glob(base + "/primers/*.md")):
        rel = os.path.relpath(path, base)
        errs = errors_of(path, kind_of(rel))
        check(not errs, f"{catalog}/{rel}: schema rejects a valid file: "
              + "; ".join(e.message for e in errs[:3]))

for path in sorted(glob.glob(os.path.join(root, "tests", "bad", "*"))):
    with open(path, "rb") as f:
        data = f.read()
    place = re.search(rb"place: (\S+)", data).group(1).decode()
    verdict = re.search(rb"schema: (valid|n/a)", data)
    verdict = verdict.group(1).decode() if verdict else "invalid"
    name = os.path.basename(path)
    if verdict == "n/a" or not place.endswith((".yaml", ".md")):
        continue
    try:
        errs = errors_of(path, kind_of(place))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as e:
        check(False, f"{name}: not readable as YAML ({e}); mark it schema: n/a")
        continue
    if verdict == "valid":
        check(not errs, f"{name}: marked as a cross-file rule, but the "
              "schema rejects it: " + "; ".join(e.message for e in errs[:2]))
    else:
        check(bool(errs), f"{name}: the validator rejects it, the schema "
              "accepts it")

print(f"schema: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
