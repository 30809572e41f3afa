#!/usr/bin/env python3
"""An independent oracle for the API adapters.

For every recorded real API answer in $STACKMAP_SHARED/realdata (default
../shared/realdata, relative to the repository root), this computes the
listing stackmap should make of it straight from each API's documented
semantics (../shared/research/provider-apis.md, cited below as "apis §N"),
and compares it entry by entry, field by field, with what the C adapter
made of the same bytes (tests/listing_dump, built by `make`).

It shares no code with the C adapters: the JSON is read by Python's own
parser, numbers as exact decimals, and unit conversions are decimal
arithmetic, so a wrong field, a wrong power of ten or a lost entry shows.

The expected listing, for each entry: id, display name (None when the API
gives none), context window in tokens (None when unknown), and input,
output and cached-input prices in USD per 1M tokens rounded to 6 decimal
places, written without trailing zeros (listing.h: listing_format_price),
None when the API gives none.

Prints one PASS/FAIL line per recording and a closing "N passed, N failed".
Exits 0 when all pass, 1 when one fails, 77 when realdata is missing, 2 on
a usage error.

usage: tests/adapter_oracle.py BUILD/tests/listing_dump
"""

import json
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MILLIONTH = Decimal("0.000001")


# ---- the common field rules -------------------------------------------


def text(v):
    """A non-empty string, else None (no name, no id)."""
    return v if isinstance(v, str) and v != "" else None


def context(v):
    """A context window: a positive whole number of tokens, else unknown.
    listing.h: "context is in tokens, -1 when unknown"; a 0 or a missing
    value is no window."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if v > 0 else None
    if isinstance(v, Decimal) and v == v.to_integral_value() and v > 0:
        return int(v)
    if isinstance(v, str) and v.isdigit() and int(v) > 0:
        return int(v)
    return None


def price(v, shift):
    """A price given as a JSON number or a decimal string, times 10^shift
    (6: USD per token to USD per 1M), as listing_format_price writes it.
    Negative values are no price: OpenRouter's router model reports "-1",
    which means unknown (apis §9)."""
    if isinstance(v, bool) or v is None:
        return None
    try:
        d = Decimal(v) if isinstance(v, (str, int, Decimal)) else None
    except InvalidOperation:
        return None
    if d is None or not d.is_finite() or d < 0:
        return None
    d = d.scaleb(shift).quantize(MILLIONTH, rounding=ROUND_HALF_UP)
    if d == 0:
        return "0"
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def entry(id_, name=None, ctx=None, inp=None, out=None, cached=None):
    return {"id": id_, "name": name, "context": ctx, "input": inp,
            "output": out, "cached_input": cached}


def items_of(doc, key):
    """The model array: doc[key], or doc itself when key is None (a bare
    array). Items that are not objects or have no id are not models."""
    arr = doc if key is None else doc.get(key)
    return [i for i in arr if isinstance(i, dict)]


def obj(v):
    return v if isinstance(v, dict) else {}


# ---- one expected listing per API -------------------------------------


def expect_openai(doc):
    # apis §1: {"data":[{"id","object","created","owned_by"}]}: no name,
    # no price, no context length.
    return [entry(text(i.get("id"))) for i in items_of(doc, "data")
            if text(i.get("id"))]


def expect_mistral(doc):
    # apis §4: data[] items with "name" and "max_context_length"; no price.
    return [entry(text(i.get("id")), text(i.get("name")),
                  context(i.get("max_context_length")))
            for i in items_of(doc, "data") if text(i.get("id"))]


def expect_anthropic(doc):
    # apis §2: data[] of {"id","type","display_name","created_at"}; no
    # price or context fields.
    return [entry(text(i.get("id")), text(i.get("display_name")))
            for i in items_of(doc, "data") if text(i.get("id"))]


def expect_gemini(doc):
    # apis §3: models[] of {"name":"models/x","baseModelId"?,
    # "displayName","inputTokenLimit"}. The model id is the name without
    # its "models/" resource prefix; where baseModelId is given it is the
    # id Google says to pass to generation requests (ai.google.dev
    # Model.baseModelId), so it wins. The context window is the input
    # token limit. No price.
    out = []
    for i in items_of(doc, "models"):
        id_ = text(i.get("baseModelId"))
        if not id_:
            name = text(i.get("name")) or ""
            id_ = text(name[len("models/"):] if name.startswith("models/")
                       else name)
        if id_:
            out.append(entry(id_, text(i.get("displayName")),
                             context(i.get("inputTokenLimit"))))
    return out


# apis §6: Together's `type` is one of chat, language, code, image,
# embedding, moderation or rerank. Of these, image models are priced per
# image, not per token; the recording also has video, audio and transcribe
# models, priced per second or character. Only token-priced types keep
# pricing.input/output as USD per 1M tokens.
TOGETHER_TOKEN_TYPES = {"chat", "language", "code", "embedding",
                        "moderation", "rerank"}


def expect_together(doc):
    # apis §6: a bare array; display_name, context_length, and
    # pricing{hourly,input,output} with input/output in USD per 1M (no
    # conversion).
    out = []
    for i in items_of(doc, None):
        id_ = text(i.get("id"))
        if not id_:
            continue
        e = entry(id_, text(i.get("display_name")),
                  context(i.get("context_length")))
        p = obj(i.get("pricing"))
        typ = i.get("type")
        if p and (typ is None or typ in TOGETHER_TOKEN_TYPES):
            inp, outp = price(p.get("input"), 0), price(p.get("output"), 0)
            hourly = price(p.get("hourly"), 0)
            # apis §6: "hourly > 0 with input == 0 marks a dedicated-only
            # model": its zeros are no serverless price.
            dedicated = hourly not in (None, "0")
            # A zero is a real (free) price only beside a positive price
            # on the other side: Together lists models it prices another
            # way (MoA, the recording's all-zero chat models) with every
            # price 0, and the project reads that as unknown rather than
            # free (docs in adapter_together.c, test_real_together).
            if inp == "0" and (dedicated or outp in (None, "0")):
                inp = None
            if outp == "0" and (dedicated or inp is None):
                outp = None
            e["input"], e["output"] = inp, outp
        out.append(e)
    return out


def expect_openrouter(doc):
    # apis §9: data[] with name, context_length (else
    # top_provider.context_length), and pricing strings in USD per token:
    # prompt (input), completion (output), input_cache_read (cached
    # input). "0" is free; "-1" is unknown (price() drops negatives).
    out = []
    for i in items_of(doc, "data"):
        id_ = text(i.get("id"))
        if not id_:
            continue
        ctx = context(i.get("context_length"))
        if ctx is None:
            ctx = context(obj(i.get("top_provider")).get("context_length"))
        p = obj(i.get("pricing"))
        out.append(entry(id_, text(i.get("name")), ctx,
                         price(p.get("prompt"), 6),
                         price(p.get("completion"), 6),
                         price(p.get("input_cache_read"), 6)))
    return out


def expect_deepinfra(doc):
    # apis §8 (/v1/openai/models): data[] of {"id", "metadata":
    # {"context_length", "pricing":{"input_tokens","output_tokens",
    # "cache_read_tokens"}}} in USD per 1M; metadata is null for models
    # that are not LLMs. No display name in this listing.
    out = []
    for i in items_of(doc, "data"):
        id_ = text(i.get("id"))
        if not id_:
            continue
        meta = obj(i.get("metadata"))
        p = obj(meta.get("pricing"))
        cached = price(p.get("cache_read_tokens"), 0)
        # apis §8's own example gives cache_read_tokens 0 for a model
        # without cache pricing: 0 there means none, not free.
        if cached == "0":
            cached = None
        out.append(entry(id_, None, context(meta.get("context_length")),
                         price(p.get("input_tokens"), 0),
                         price(p.get("output_tokens"), 0), cached))
    return out


def expect_bedrock(doc):
    # apis §11: modelSummaries[] of {"modelId","modelName",
    # "modelLifecycle":{"status"}}, status ACTIVE or LEGACY; no price, no
    # context. LEGACY models are being retired and cannot be enabled by
    # new accounts, so stackmap does not offer them (issue 4's listing is
    # what a user can call); a summary without a status is kept.
    out = []
    for i in items_of(doc, "modelSummaries"):
        id_ = text(i.get("modelId"))
        if not id_:
            continue
        life = obj(i.get("modelLifecycle"))
        if "status" in life and life["status"] != "ACTIVE":
            continue
        out.append(entry(id_, text(i.get("modelName"))))
    return out


def expect_pertoken(doc):
    # apis §10 (Nebius, SambaNova, Cerebras): data[] with context_length
    # and pricing.prompt/completion as USD per token. Nebius sends
    # pricing only with ?verbose=true; the recording was made without it
    # (SOURCE.txt), so it has ids alone.
    out = []
    for i in items_of(doc, "data"):
        id_ = text(i.get("id"))
        if not id_:
            continue
        p = obj(i.get("pricing"))
        out.append(entry(id_, None, context(i.get("context_length")),
                         price(p.get("prompt"), 6),
                         price(p.get("completion"), 6),
                         price(p.get("input_cache_read"), 6)))
    return out


# realdata/<dir>/<file>: the adapter style and vendor id stackmap's
# catalog uses for it, and the oracle for its API.
RECORDINGS = {
    "openai/llmrb_models_list.json": ("openai", "openai", expect_openai),
    "mistral/gptportal_v1_models.json": ("openai", "mistral",
                                         expect_mistral),
    "anthropic/llmrb_models_list.json": ("anthropic", "anthropic",
                                         expect_anthropic),
    "gemini/llmrb_v1beta_models_page1.json": ("gemini", "google",
                                              expect_gemini),
    "together/mchresearch_v1_models.json": ("together", "together",
                                            expect_together),
    "openrouter/llm-openrouter_api_v1_models_filtered5.json": (
        "openrouter", "openrouter", expect_openrouter),
    "deepinfra/agentzero-fork_v1_openai_models.json": (
        "deepinfra", "deepinfra", expect_deepinfra),
    "aws-bedrock/llmrb_list_foundation_models_us-east-1.json": (
        "bedrock", "aws-bedrock", expect_bedrock),
    "nebius/agentzero-fork_v1_models.json": ("per-token-strings", "nebius",
                                             expect_pertoken),
}

FIELDS = ("id", "name", "context", "input", "output", "cached_input")


def compare(expected, actual):
    """Every difference between two listings, as lines of text."""
    problems = []
    exp_ids = [e["id"] for e in expected]
    act_ids = [a["id"] for a in actual]
    if exp_ids != act_ids:
        missing = [i for i in exp_ids if i not in act_ids]
        extra = [i for i in act_ids if i not in exp_ids]
        problems.append("ids differ: %d expected, %d listed; missing %s; "
                        "unexpected %s" % (len(exp_ids), len(act_ids),
                                           missing[:5], extra[:5]))
        if missing or extra:
            return problems
        problems.append("same ids in another order")
    for e, a in zip(expected, actual):
        for f in FIELDS:
            if e[f] != a.get(f):
                problems.append("%s: %s expected %r, adapter gave %r"
                                % (e["id"], f, e[f], a.get(f)))
    return problems


def main(argv):
    if len(argv) != 2:
        print("usage: adapter_oracle.py BUILD/tests/listing_dump",
              file=sys.stderr)
        return 2
    dump = argv[1]
    shared = os.environ.get("STACKMAP_SHARED") or "../shared"
    realdata = os.path.join(shared, "realdata")
    if not os.path.isdir(realdata):
        print("adapter oracle: %s not found (set STACKMAP_SHARED): skipped"
              % realdata)
        return 77
    if not os.access(dump, os.X_OK):
        print("adapter oracle: %s is not built" % dump, file=sys.stderr)
        return 2

    # Every recording there, known or not: a new one without an oracle
    # fails rather than going unchecked.
    found = sorted(
        os.path.join(d, f)
        for d in os.listdir(realdata)
        if os.path.isdir(os.path.join(realdata, d))
        for f in os.listdir(os.path.join(realdata, d))
        if f.endswith(".json"))
    names = sorted(set(found) | set(RECORDINGS))
    passed = failed = 0
    for rel in names:
        path = os.path.join(realdata, rel)
        problems = []
        if rel not in RECORDINGS:
            problems = ["no oracle for this recording"]
        elif not os.path.exists(path):
            problems = ["recording missing from %s" % realdata]
        else:
            style, vendor, oracle = RECORDINGS[rel]
            with open(path, "rb") as f:
                doc = json.loads(f.read().decode("utf-8-sig"),
                                 parse_float=Decimal)
            expected = oracle(doc)
            run = subprocess.run([dump, style, vendor, path],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                problems = ["listing_dump exited %d: %s"
                            % (run.returncode, run.stderr.strip())]
            else:
                actual = [json.loads(line)
                          for line in run.stdout.splitlines()]
                problems = compare(expected, actual)
        if problems:
            failed += 1
            print("FAIL %s" % rel)
            for p in problems[:20]:
                print("    " + p)
            if len(problems) > 20:
                print("    … %d more" % (len(problems) - 20))
        else:
            passed += 1
            print("PASS %s (%d entries)" % (rel, len(expected)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
