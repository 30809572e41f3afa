#!/usr/bin/env python3
"""The validator as a defence: every hostile string that a field must
refuse is planted, one at a time, into a small valid catalog, and
`stackmap validate` must exit 1 naming the field and the reason.

usage: check_refusals.py STACKMAP WORK

  - every string of strings.txt that corpus.line_refusal() refuses
    (control characters, CR/LF, over 1000 bytes) in every one-line field
    of every file kind (vendor, offer, signal, api, model, site, primer
    front matter): "error: 'FIELD' contains control character 0xHH", "...
    must be a single line", "... is N bytes long; the limit is 1000"
  - every string corpus.text_refusal() refuses in a vendor's description
  - every "reject" URL of urls.txt in every URL field: "'FIELD' must be an
    http:// or https:// URL without spaces or quotes"
  - the untouched base catalog validates clean (so a refusal is the
    planted string's doing)
Prints PASS/FAIL per group (each failing case below it) and closes with
"N passed, N failed".
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

stackmap, work = sys.argv[1], sys.argv[2]
q = corpus.yaml_quote
cat = os.path.join(work, 'refuse')

# The base catalog: one of each file kind; FIELDS name where a string goes.
BASE = {
    'site.yaml': {
        'title': 'Refusals', 'base_url': 'https://x.example/', 'description': 'd',
        'language': 'en', 'repository': 'https://x.example/repo',
    },
    'vendors/lab.yaml': {
        'id': 'lab', 'name': 'Lab', 'layer': 'model-lab', 'spectrum': '1',
        'homepage': 'https://x.example/', 'summary': 's', 'description': 'd',
        'docs': 'https://x.example/docs', 'pricing_url': 'https://x.example/pricing',
        'api.style': 'together', 'api.base_url': 'https://api.x.example/v1', 'api.region': 'r',
        'offer.model': 'm', 'offer.remote_id': 'r', 'offer.input': '1', 'offer.output': '2',
        'offer.source': 'https://x.example/p', 'offer.checked': '2026-11-20', 'offer.note': 'n',
        'signal.kind': 'funding', 'signal.date': '2026-11-20',
        'signal.source': 'https://x.example/s', 'signal.checked': '2026-11-20',
        'signal.note': 'n',
    },
    'models/m.yaml': {
        'id': 'm', 'name': 'M', 'lab': 'lab', 'open_weights': 'true', 'license': 'l',
        'parameters': 'p', 'summary': 's', 'homepage': 'https://x.example/m',
        'source': 'https://x.example/ms',
    },
    'primers/p.md': {'title': 't', 'summary': 's', 'body': 'Body.\n'},
}
PLAIN = {'spectrum', 'open_weights', 'offer.input', 'offer.output', 'layer', 'id', 'lab',
         'offer.model', 'offer.checked', 'signal.kind', 'signal.date', 'signal.checked',
         'api.style'}
LINE_FIELDS = [('site.yaml', f) for f in ('title', 'description', 'language')] + \
    [('vendors/lab.yaml', f) for f in ('name', 'summary', 'api.region', 'offer.remote_id',
                                       'offer.note', 'signal.note')] + \
    [('models/m.yaml', f) for f in ('name', 'license', 'parameters', 'summary')] + \
    [('primers/p.md', f) for f in ('title', 'summary')]
URL_FIELDS = [('site.yaml', f) for f in ('base_url', 'repository')] + \
    [('vendors/lab.yaml', f) for f in ('homepage', 'docs', 'pricing_url', 'api.base_url',
                                       'offer.source', 'signal.source')] + \
    [('models/m.yaml', f) for f in ('homepage', 'source')]


def render(path, fields):
    """The text of one catalog file from its field values."""
    val = {k: (v if k in PLAIN else q(v)) for k, v in fields.items()}
    if path == 'primers/p.md':
        return f'---\ntitle: {val["title"]}\nsummary: {val["summary"]}\n---\n{fields["body"]}'
    top = [k for k in fields if '.' not in k]
    lines = [f'{k}: {val[k]}' for k in top]
    for group, head in (('api', 'api:'), ('offer', 'offers:'), ('signal', 'signals:')):
        keys = [k for k in fields if k.startswith(group + '.')]
        if not keys:
            continue
        lines.append(head)
        for n, k in enumerate(keys):
            pad = '  ' if group == 'api' else ('  - ' if n == 0 else '    ')
            lines.append(f'{pad}{k.split(".", 1)[1]}: {val[k]}')
    return '\n'.join(lines) + '\n'


def write(overrides=()):
    """Writes the base catalog with overrides: (path, field, value)."""
    shutil.rmtree(cat, ignore_errors=True)
    for sub in ('vendors', 'models', 'primers'):
        os.makedirs(os.path.join(cat, sub))
    for path, fields in BASE.items():
        f = dict(fields)
        for o_path, o_field, o_value in overrides:
            if o_path == path:
                f[o_field] = o_value
        with open(os.path.join(cat, path), 'w', encoding='utf-8', newline='') as out:
            out.write(render(path, f))


def validate():
    r = subprocess.run([stackmap, '--quiet', '--catalog', cat, 'validate'],
                       capture_output=True)
    return r.returncode, r.stderr.decode('utf-8', 'replace')


passed = failed = 0


def group(name, problems):
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


def refused(fields, value, want):
    """Plants value into every (path, field) of fields at once; validate
    must exit 1 with one "error: 'FIELD' want" per field, each at its
    file. Returns the problems."""
    write([(p, f, value) for p, f in fields])
    rc, err = validate()
    problems = []
    if rc != 1:
        problems.append(f'{value[:50]!r}: exit {rc}, want 1')
    lines = err.split('\n')
    expect = {}
    for path, field in fields:
        key = (path, field.split('.')[-1])
        expect[key] = expect.get(key, 0) + 1
    for (path, label), count in expect.items():
        head = os.path.join(cat, path) + ':'
        got = sum(1 for ln in lines if ln.startswith(head) and f"error: '{label}' {want}" in ln)
        if got != count:
            problems.append(f'{path}: {label} = {value[:50]!r}: {got} of {count} refusals '
                            f'"error: \'{label}\' {want[:60]}"')
    return problems


write()
rc, err = validate()
group('the base catalog of the refusal cases validates clean',
      [] if rc == 0 and 'error' not in err else [f'exit {rc}: {err.strip()[:300]}'])

strings = [d for _, _, d in corpus.strings()]
problems, n = [], 0
for s in strings:
    why = corpus.line_refusal(s)
    if why is None:
        continue
    n += len(LINE_FIELDS)
    problems += refused(LINE_FIELDS, s, why)
group(f'one-line fields refuse control characters, line breaks and > 1000 bytes '
      f'({n} cases)', problems)

problems, n = [], 0
for s in strings:
    why = corpus.text_refusal(s)
    if why is None:
        continue
    n += 1
    problems += refused([('vendors/lab.yaml', 'description')], s, why)
group(f'the CommonMark description refuses control characters but TAB and LF ({n} cases)',
      problems)

problems, n = [], 0
for _, verdict, url in corpus.urls():
    if verdict != 'reject':
        continue
    n += len(URL_FIELDS)
    problems += refused(URL_FIELDS, url, 'must be an http:// or https:// URL')
group(f'URL fields refuse URL-shaped attacks ({n} cases)', problems)

problems, n = [], 0
for _, verdict, url in corpus.urls():
    if verdict != 'accept':
        continue
    n += len(URL_FIELDS)
    write([(p, f, url) for p, f in URL_FIELDS])
    rc, err = validate()
    if rc != 0:
        problems.append(f'{url!r}: exit {rc}: {err.strip()[:200]}')
group(f'URL fields accept the valid but nasty URLs the hostile catalog uses ({n} cases)',
      problems)

shutil.rmtree(cat, ignore_errors=True)
print(f'{passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
