#!/usr/bin/env python3
"""Seed inputs for the fuzz harnesses (tests/fuzz/README.md).

  seeds.py runtime OUTDIR [SHARED]
      Seeds made at run time from ../shared (never copied into the
      repository): recorded API answers (SHARED/realdata) for the adapter
      harness, prefixed with the byte that picks their adapter, and the
      Mustache spec's cases (SHARED/mustache-spec) for the mustache
      harness. Missing folders are skipped. Writes OUTDIR/adapter/ and
      OUTDIR/mustache/.

  seeds.py corpus
      Regenerates the committed seeds in tests/fuzz/corpus/ that are made
      from the repository's own files (tests/bad, tests/fixtures/mini,
      catalog/, templates/) and from the hand-written ones below. Run from
      the repository root after the inputs they come from change.

Input formats are described at the top of each tests/fuzz/fuzz_NAME.c.
"""
import glob
import json
import os
import re
import shutil
import sys

# adapter_all order (src/adapter.c).
ADAPTERS = ["openai", "anthropic", "gemini", "together", "openrouter",
            "deepinfra", "per-token-strings", "novita", "cloudflare",
            "bedrock", "azure-retail"]
# realdata folder -> adapter style.
REALDATA = {"anthropic": "anthropic", "aws-bedrock": "bedrock",
            "deepinfra": "deepinfra", "gemini": "gemini",
            "mistral": "openai", "nebius": "per-token-strings",
            "openai": "openai", "openrouter": "openrouter",
            "together": "together"}
# Slots of fuzz_catalog.c.
SLOTS = ["site.yaml", "vendors/acme-lab.yaml", "vendors/bigcloud.yaml",
         "vendors/fastinfer.yaml", "vendors/glue.yaml", "models/acme-1.yaml",
         "models/open-7b.yaml", "primers/basics.md", "vendors/newco.yaml",
         "models/new-model.yaml", "primers/new-primer.md",
         "vendors/notes.txt"]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- run-time seeds --------------------------------------------------------

def runtime(out, shared):
    adir = os.path.join(out, "adapter")
    mdir = os.path.join(out, "mustache")
    for d in (adir, mdir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    n_a = n_m = 0
    for folder, style in REALDATA.items():
        for f in sorted(glob.glob(os.path.join(shared, "realdata", folder,
                                               "*.json"))):
            body = read(f)
            name = "%s-%s" % (folder, os.path.basename(f))
            write(os.path.join(adir, name),
                  bytes([ADAPTERS.index(style)]) + body)
            n_a += 1
    for f in sorted(glob.glob(os.path.join(shared, "mustache-spec",
                                           "*.json"))):
        if "lambda" in os.path.basename(f):
            continue
        for i, test in enumerate(json.load(open(f)).get("tests", [])):
            parts = [test["template"].encode(),
                     json.dumps(test.get("data")).encode()]
            for name, text in sorted(test.get("partials", {}).items()):
                parts.append(("%s\n%s" % (name, text)).encode())
            data = bytes([4]) + b"\0".join(parts)
            base = os.path.splitext(os.path.basename(f))[0].lstrip("~")
            write(os.path.join(mdir, "%s-%03d" % (base, i)), data)
            n_m += 1
    print("fuzz seeds: %d API answers, %d Mustache spec cases" % (n_a, n_m))


# ---- committed seeds -------------------------------------------------------

MARK = "<fuzz onload=x>"

ADAPTER_BODIES = {
    "openai": ['{"object":"list","data":[{"id":"gpt-4o","object":"model",'
               '"created":1,"owned_by":"system"},{"id":"llama-3.3-70b",'
               '"context_window":131072,"name":"Llama","input_price":0.59,'
               '"output_price":"0.79"}]}',
               '{"data":[{"id":"x","max_context_length":"32768",'
               '"display_name":"X"},{"id":""},{"id":7},{}]}'],
    "anthropic": ['{"data":[{"type":"model","id":"claude-sonnet-4-5",'
                  '"display_name":"Claude Sonnet 4.5","created_at":'
                  '"2025-09-29T00:00:00Z"}],"has_more":true,"first_id":'
                  '"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}',
                  '{"data":[],"has_more":false,"last_id":null}'],
    "gemini": ['{"models":[{"name":"models/gemini-2.5-pro","baseModelId":'
               '"gemini-2.5-pro","displayName":"Gemini 2.5 Pro",'
               '"inputTokenLimit":1048576}],"nextPageToken":"Cg5nZW1pbmk="}',
               '{"models":[{"name":"models/x","displayName":"X"}],'
               '"nextPageToken":""}'],
    "together": ['[{"id":"meta-llama/Llama-3.3-70B-Instruct-Turbo","type":'
                 '"chat","display_name":"Llama 3.3 70B","context_length":'
                 '131072,"pricing":{"hourly":0,"input":0.88,"output":0.88,'
                 '"base":0,"finetune":0}},{"id":"img","type":"image",'
                 '"pricing":{"input":0,"output":0}},{"id":"ded","pricing":'
                 '{"hourly":2.5,"input":0,"output":1}}]'],
    "openrouter": ['{"data":[{"id":"openai/gpt-4o","name":"OpenAI: GPT-4o",'
                   '"context_length":128000,"pricing":{"prompt":'
                   '"0.0000025","completion":"0.00001","input_cache_read":'
                   '"0.00000125"}},{"id":"openrouter/auto","pricing":'
                   '{"prompt":"-1","completion":"-1"},"top_provider":'
                   '{"context_length":2000000}}]}'],
    "deepinfra": ['{"object":"list","data":[{"id":"meta-llama/Llama-3.3-70B",'
                  '"metadata":{"context_length":131072,"pricing":'
                  '{"input_tokens":0.23,"output_tokens":0.4,'
                  '"cache_read_tokens":0}}},{"id":"img","metadata":null}]}'],
    "per-token-strings": ['{"data":[{"id":"llama3.1-8b","name":"Llama 3.1 8B",'
                          '"pricing":{"prompt":"0.0000001","completion":'
                          '1e-7},"limits":{"max_context_length":8192}}]}'],
    "novita": ['{"data":[{"id":"meta-llama/llama-3.3-70b-instruct","title":'
               '"Llama 3.3 70B","context_size":131072,'
               '"input_token_price_per_m":3900,"output_token_price_per_m":'
               '"1500"}]}'],
    "cloudflare": ['{"success":true,"result":[{"id":"f1","name":'
                   '"@cf/meta/llama-3.3-70b-instruct-fp8-fast","properties":'
                   '[{"property_id":"context_window","value":"24000"},'
                   '{"property_id":"price","value":[{"unit":'
                   '"per M input tokens","price":0.293,"currency":"USD"},'
                   '{"unit":"per M output tokens","price":2.253,"currency":'
                   '"USD"},{"unit":"per k cached input tokens","price":'
                   '"0.0001","currency":"USD"}]}]}],"result_info":{"page":1,'
                   '"per_page":100,"count":1,"total_count":250,'
                   '"total_pages":3}}',
                   '{"success":false,"errors":[{"code":10000,"message":'
                   '"Authentication error"}]}'],
    "bedrock": ['{"modelSummaries":[{"modelId":"anthropic.claude-3-haiku",'
                '"modelName":"Claude 3 Haiku","modelLifecycle":{"status":'
                '"ACTIVE"}},{"modelId":"old","modelLifecycle":{"status":'
                '"LEGACY"}},{"modelId":"nolife"}]}'],
    "azure-retail": ['{"BillingCurrency":"USD","Items":[{"currencyCode":'
                     '"USD","retailPrice":0.0025,"unitOfMeasure":"1K",'
                     '"armRegionName":"eastus","meterName":'
                     '"gpt-4o-0806-Inp-glbl Tokens","productName":'
                     '"Azure OpenAI GPT4o","type":"Consumption"},'
                     '{"currencyCode":"USD","retailPrice":1.25,'
                     '"unitOfMeasure":"1M","armRegionName":"eastus",'
                     '"meterName":"5.4 cached inp Gl 1M Tokens",'
                     '"productName":"Azure OpenAI GPT-5","type":'
                     '"Consumption"},{"currencyCode":"USD","retailPrice":'
                     '0.01,"unitOfMeasure":"1K","armRegionName":"eastus",'
                     '"meterName":"gpt 4o 0513 Output regnl Tokens",'
                     '"type":"Consumption"}],"NextPageLink":'
                     '"https://api.example.test/v1?$skip=100","Count":3}',
                     '{"Items":[],"NextPageLink":'
                     '"https://evil.example/api?$skip=100"}',
                     '{"Items":[],"NextPageLink":null}'],
}

REQUESTS = [
    ("openai", ["https://api.openai.com/v1", "sk-abc", "", "", "", "openai"]),
    ("anthropic", ["https://api.anthropic.com/v1/", "k\r\nX-Evil: 1"]),
    ("gemini", ["", "AIza"]),
    ("cloudflare", ["https://api.cloudflare.com/client/v4/accounts/abc/ai/v1",
                    "tok"]),
    ("cloudflare", ["https://api.cloudflare.com/client/v4/accounts/abc/ai/"
                    "models/search", "tok"]),
    ("bedrock", ["", "AKIA", "us-east-1", "secret", "session\nX: y"]),
    ("bedrock", ["", "AKIA", "us-east-1.evil.com/?", "secret"]),
    ("azure-retail", ["https://prices.azure.com/api/retail/prices?x=1", "",
                      "westeurope"]),
    ("per-token-strings", ["https://api.studio.nebius.com/v1", "key", "", "",
                           "", "nebius"]),
    ("novita", ["javascript:alert(1)", "k"]),
    ("openrouter", ["https://user:pw@openrouter.ai/api/v1", "k"]),
]

MARKDOWN = [
    "# Title\n\nSome *emphasis*, `code`, [a link](https://example.org) and "
    "![img](/a.png \"t\").\n\n- one\n- two\n\n1. a\n2. b\n\n> quote\n\n"
    "```sh\nmake\n```\n",
    "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
    "text <b onmouseover=\"x\">bold</b> <!-- c --> <?php ?>\n",
    "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) "
    "[z](java&#115;cript:alert(1)) [w](&#x6A;avascript&colon;alert(1)) "
    "[v](<java\tscript:x>) [u](data:text/html,<script>x</script>) "
    "[t](vbscript:x) [s](%6Aavascript:x) [r](/ok) [q](#frag) "
    "[p](?q=1) [o](mailto:a@b.c)\n",
    "<javascript:alert(1)> <http://ok.example> <a@b.c>\n\n"
    "![i](javascript:alert(1))\n\n[ref]: javascript:alert(1)\n\n[ref]\n",
    "```\" onmouseover=\"alert(1)\nx\n```\n\n```<script>\ny\n```\n",
    "Line with \\<escaped> and &lt;entity&gt; and &#60;script&#62;\n",
    "| a | b |\n|---|---|\n| <fuzz> | `x|y` |\n\n***strong em*** ~~s~~\n",
]

VIEW_SNAPSHOT = {
    "format": 1,
    "vendors": {
        "fastinfer": {
            "attempt": {"at": "2026-11-25T10:00:00Z", "outcome": "ok",
                        "http_status": 200, "error": None, "ms": 312},
            "last_success": "2026-11-25T10:00:00Z",
            "first_success": "2026-11-01T10:00:00Z",
            "stale": False,
            "models": {
                "acme/Open-7B-Instruct": {
                    "name": "Open 7B " + MARK, "context": 131072,
                    "price": {"input": 0.12, "output": 0.24,
                              "cached_input": None},
                    "first_seen": "2026-11-01",
                    "history": [{"date": "2026-11-01", "input": 0.1,
                                 "output": 0.2, "cached_input": None},
                                {"date": "2026-11-25", "input": 0.12,
                                 "output": 0.24, "cached_input": None}]},
                "acme/" + MARK: {
                    "name": MARK, "context": 4096,
                    "price": {"input": 1, "output": 2,
                              "cached_input": 0.5},
                    "first_seen": "2026-11-25",
                    "history": [{"date": "2026-11-25", "input": 1,
                                 "output": 2, "cached_input": 0.5}]}},
            "removed": {
                "gone/" + MARK: {
                    "date": "2026-11-20", "removed": "2026-11-20",
                    "name": MARK, "price": {"input": 3, "output": 4,
                                            "cached_input": None},
                    "history": []}}},
        "bigcloud": {
            "attempt": {"at": "2026-11-25T10:00:00Z", "outcome": "failed",
                        "http_status": 401, "error": "HTTP 401 " + MARK,
                        "ms": 20},
            "last_success": None, "first_success": None, "stale": True,
            "models": {}, "removed": {}},
        "acme-lab": {
            "attempt": {"at": "2026-11-25T10:00:00Z", "outcome": "ok",
                        "http_status": 200, "error": None, "ms": 5},
            "last_success": "2026-11-26T00:00:00Z",
            "first_success": "2026-11-26T00:00:00Z", "stale": False,
            "models": {"ACME-1": {"name": None, "context": None,
                                  "price": {"input": 1e15,
                                            "output": 0,
                                            "cached_input": 5e-324},
                                  "first_seen": "2026-11-26",
                                  "history": []}},
            "removed": {}}}}


def mustache_seeds(root):
    view = build_mini_view(root)
    out = []
    hand = [
        "Hello {{name}}! {{{raw}}} {{&raw}} {{a.b.c}} {{.}}",
        "{{#list}}[{{.}}]{{/list}}{{^list}}none{{/list}}\n",
        "{{=<% %>=}}<% name %> <%={{ }}=%>{{name}}",
        "  {{> part}}\n{{#list}}\n  {{> part}}\n{{/list}}\n",
        "{{<parent}}{{$title}}T{{/title}}{{/parent}}",
        "{{>*dyn}} {{<*dyn}}{{$b}}x{{/b}}{{/*dyn}}",
        "{{! comment }}\n  {{#a}}\n    {{b}}\n  {{/a}}\n",
        "{{#a}}{{#a}}{{#a}}{{x}}{{/a}}{{/a}}{{/a}}",
        "{{}} {{ }} {{#}} {{/x}} {{{x}} {{x}}}",
        "{{>ERR}}",
    ]
    data = json.dumps({"name": "<b>&\"'", "raw": "<i>", "a": {"b": {"c": 1.5}},
                       "list": [1, "two", None, True, {"x": 2}],
                       "dyn": "part", "x": 1e21})
    partials = ["part\n{{name}}\n", "parent\n<h1>{{$title}}default"
                "{{/title}}</h1>{{>part}}"]
    for i, t in enumerate(hand):
        out.append(("hand-%02d" % i,
                    bytes([4 | (i % 3)]) +
                    b"\0".join([t.encode(), data.encode()] +
                               [p.encode() for p in partials])))
    # Real templates with a page context from the mini catalog's view.
    fast = [v for v in view["vendors"] if v["id"] == "fastinfer"][0]
    model = view["models"][0]
    ctx = {"root": "../", "site": view["site"], "layers": view["layers"],
           "page": {"kind": "vendor", "title": fast["name"],
                    "path": "vendors/fastinfer"},
           "vendor": fast, "model": model,
           "nav": [{"title": "Stack map", "href": "../index.html",
                    "current": False}]}
    for fmt, flag in (("html", 0), ("md", 1)):
        names = {os.path.splitext(os.path.basename(p))[0]: p for p in
                 glob.glob(os.path.join(root, "templates", fmt,
                                        "*.mustache"))}
        for page in ("vendor", "model", "offer-table", "provenance"):
            if page not in names:
                continue
            text = read(names[page])
            used = re.findall(rb"{{[<>]\s*([a-z0-9-]+)", text)
            parts = [text, json.dumps(ctx).encode()]
            for p in sorted(set(u.decode() for u in used)):
                if p in names and len(parts) < 12:
                    parts.append(p.encode() + b"\n" + read(names[p]))
            out.append(("%s-%s" % (fmt, page),
                        bytes([4 | flag]) + b"\0".join(parts)))
    return out


def build_mini_view(root):
    """The mini catalog's view as stackmap builds it, when ./stackmap runs;
    else a small stand-in with the same shape."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([os.path.join(root, "stackmap"), "-q",
                            "--catalog", "tests/fixtures/mini",
                            "--out", os.path.join(tmp, "site"),
                            "--snapshot", os.path.join(tmp, "none.json"),
                            "build"], cwd=root, check=True,
                           capture_output=True)
            return json.load(open(os.path.join(tmp, "site", "api",
                                               "catalog.json")))
        except (OSError, subprocess.CalledProcessError):
            return {"vendors": [{"id": "fastinfer", "name": "F"}],
                    "models": [{"id": "m"}], "site": {}, "layers": []}


def corpus(root):
    base = os.path.join(root, "tests", "fuzz", "corpus")
    for d in glob.glob(os.path.join(base, "*")):
        shutil.rmtree(d)
    files = {}

    def add(harness, name, data):
        if isinstance(data, str):
            data = data.encode()
        files[os.path.join(base, harness, name)] = data

    bad = sorted(glob.glob(os.path.join(root, "tests", "bad", "*")))
    mini = sorted(glob.glob(os.path.join(root, "tests", "fixtures", "mini",
                                         "**", "*.*"), recursive=True))
    vendors = sorted(glob.glob(os.path.join(root, "catalog", "vendors",
                                            "*.yaml")))
    models = sorted(glob.glob(os.path.join(root, "catalog", "models",
                                           "*.yaml")))
    primers = sorted(glob.glob(os.path.join(root, "catalog", "primers",
                                            "*.md")))
    few_vendors = [v for v in vendors if os.path.basename(v) in (
        "together.yaml", "aws-bedrock.yaml", "openrouter.yaml",
        "azure-ai-foundry.yaml", "cloudflare-workers-ai.yaml")]

    # yaml: every catalog-like file.
    for f in bad + mini + few_vendors + models[:3] + \
            [os.path.join(root, "catalog", "site.yaml")]:
        if f.endswith(".yaml"):
            add("yaml", os.path.basename(f), read(f))

    # catalog: each bad case at the place it names; the fixture as is.
    for f in bad:
        text = read(f)
        m = re.search(rb"place: (\S+)", text)
        place = m.group(1).decode() if m else "vendors/fastinfer.yaml"
        slot = SLOTS.index(place) if place in SLOTS else 11
        add("catalog", os.path.basename(f), bytes([slot]) + text)
    fast = read(os.path.join(root, "tests", "fixtures", "mini", "vendors",
                             "fastinfer.yaml")).decode()
    add("catalog", "fixture", bytes([3]) + fast.encode())
    marked = (fast.replace("name: FastInfer", "name: Fast" + MARK + "Infer")
              .replace("summary: Hosts", "summary: Hosts '" + MARK + "\"")
              .replace("FastInfer is a *test* provider.",
                       "FastInfer " + MARK + " `<fuzz>` *test* "
                       "[x](javascript:alert(1)) &lt;fuzz&gt;")
              .replace("remote_id: acme/Open-7B-Instruct",
                       "remote_id: \"acme/" + MARK + "\"")
              .replace("note: Series B.", "note: Series " + MARK))
    add("catalog", "marked-values", bytes([3]) + marked.encode())
    newco = (fast.replace("id: fastinfer", "id: newco")
             .replace("via: [bigcloud]", "via: [fastinfer]"))
    add("catalog", "new-vendor", bytes([8]) + newco.encode())
    add("catalog", "no-site", bytes([0x80]) + b"")
    add("catalog", "no-models", bytes([0x80 | (5 << 4) | 5]) + b"\0")

    # primer
    for f in mini + primers + bad:
        if f.endswith(".md"):
            add("primer", os.path.basename(f), read(f))
    add("primer", "closing-at-end", "---\ntitle: T\nsummary: S\n---")
    add("primer", "marked", "---\ntitle: \"" + MARK + "\"\nsummary: S\n"
        "order: 3\n---\n# Body\n\n" + MARKDOWN[1] + MARKDOWN[2])

    # markdown
    for i, text in enumerate(MARKDOWN):
        add("markdown", "hand-%02d" % i, text)
    for f in primers + mini:
        if f.endswith(".md"):
            add("markdown", os.path.basename(f), read(f))

    # adapter
    for style, bodies in ADAPTER_BODIES.items():
        for i, body in enumerate(bodies):
            idx = ADAPTERS.index(style)
            add("adapter", "%s-%d" % (style, i), bytes([idx]) + body.encode())
            # the same body as a later page (see fuzz_adapter.c)
            add("adapter", "%s-%d-page" % (style, i),
                bytes([idx + len(ADAPTERS)]) + body.encode())

    # request
    for i, (style, parts) in enumerate(REQUESTS):
        add("request", "%s-%d" % (style, i),
            bytes([ADAPTERS.index(style)]) +
            b"\0".join(p.encode() for p in parts))

    # url
    for i, u in enumerate([
            "https://api.example.test/v1/models?page=2&key=secret#frag",
            "https://user:pass@API.Example.TEST:8443/x",
            "http://127.0.0.1:8080/models", "http://[::1]/", "http://localhost/",
            "http://evil.example/", "HTTPS://h/", "https://[fe80::1%25eth0]/",
            "https://evil.com\\@api.example.test/", "ftp://x/",
            "https://a@b@c/", "https://xn--d1acufc.xn--p1ai/",
            "https://%61pi.example.test/", "https://0x7f.1/",
            "https://api.example.test:0443/;type=a"]):
        add("url", "url-%02d" % i, u)

    # mustache
    for name, data in mustache_seeds(root):
        add("mustache", name, data)

    # view
    add("view", "marked", json.dumps(VIEW_SNAPSHOT, indent=1))
    add("view", "empty", '{"format": 1, "vendors": {}}')
    add("view", "loose", '{"format": 1, "vendors": {"fastinfer": {"models":'
        ' {"ACME/open-7b-instruct": {"price": {"input": "1", "output": -1},'
        ' "context": -5}}, "last_success": "2026-12-01"}, "glue": 3}}')

    # snapshot: OLD NUL NEW
    old = json.loads(json.dumps(VIEW_SNAPSHOT))
    for v in old["vendors"].values():
        for m in v.get("removed", {}).values():
            m.pop("date", None)
    old["vendors"]["acme-lab"]["models"]["ACME-1"]["price"] = {
        "input": 0.5, "output": 2, "cached_input": None}
    new = json.loads(json.dumps(old))
    fm = new["vendors"]["fastinfer"]["models"]
    fm["acme/Open-7B-Instruct"]["price"]["input"] = 0.15
    del fm["acme/" + MARK]
    fm["new/" + MARK] = {"name": "n", "context": 8, "price": {
        "input": 0, "output": None, "cached_input": None},
        "first_seen": "2026-11-26", "history": []}
    new["vendors"]["acme-lab"]["models"]["ACME-1"]["price"] = {
        "input": 1, "output": 2, "cached_input": None}
    new["vendors"][MARK] = {"models": {}}
    o, n = json.dumps(old, indent=2), json.dumps(new, indent=2)
    add("snapshot", "old-new", b"\0" + o.encode() + b"\0" + n.encode())
    add("snapshot", "self", b"\1" + o.encode())
    add("snapshot", "shrink", b"\0" + o.encode() + b"\0" +
        b'{"format": 1, "vendors": {"fastinfer": {"models": {}}}}')
    add("snapshot", "bad", b"\0" + b'{"format": 2, "vendors": {}}\0[1]')

    for path, data in sorted(files.items()):
        write(path, data)
    counts = {}
    for path in files:
        h = os.path.basename(os.path.dirname(path))
        counts[h] = counts.get(h, 0) + 1
    print(" ".join("%s:%d" % kv for kv in sorted(counts.items())))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "runtime":
        shared = sys.argv[3] if len(sys.argv) > 3 else "../shared"
        runtime(sys.argv[2], shared)
    elif len(sys.argv) == 2 and sys.argv[1] == "corpus":
        corpus(os.getcwd())
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
