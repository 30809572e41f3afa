#!/usr/bin/env python3
"""The static checks of tests/suite-injection.sh over a site built from the
hostile catalog (the browser checks are tests/browser/injection.test.mjs).

usage: check_site.py SITE MANIFEST

Prints one PASS/FAIL line per check (details indented below a FAIL) and
closes with "N passed, N failed"; exits 1 on a failure.
  - api/catalog.json parses, and every planted name comes back exactly as
    planted less what src/text.h documents stackmap drops (C0 but TAB/LF,
    C1, bidi controls, noncharacters)
  - api/offers.csv: every row has every column; no cell starts with
    = + - @ TAB or CR unless it is the original text behind an apostrophe
    (quoted); every cell else is the original text
  - feed.xml, sitemap.xml and stackmap.svg are well-formed XML with no
    script, foreignObject, event-handler attribute or non-http(s) link
  - every .md page, rendered by the cmark CLI (Debian's cmark) to its
    CommonMark AST: no raw HTML node, no link or image to a non-http(s)
    URL; the mermaid block holds only quoted, sanitised labels
  - no Markdown, SVG or feed line carries an unbalanced Unicode bidi
    embedding, override or isolate (it would reorder the text after it)
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

site, manifest_path = sys.argv[1], sys.argv[2]
manifest = json.load(open(manifest_path, encoding='utf-8'))
strings = manifest['strings']
passed = failed = 0
MAX = 25


def report(name, problems):
    global passed, failed
    if not problems:
        passed += 1
        print(f'PASS {name}')
        return
    failed += 1
    print(f'FAIL {name}')
    for p in problems[:MAX]:
        print(f'    {p}')
    if len(problems) > MAX:
        print(f'    ... and {len(problems) - MAX} more')


def short(s, n=70):
    r = repr(s)
    return r if len(r) <= n else r[:n] + '...'


def files(ext):
    out = []
    for d, _, names in os.walk(site):
        for n in names:
            if n.endswith(ext):
                out.append(os.path.relpath(os.path.join(d, n), site))
    return sorted(out)


def read(rel):
    with open(os.path.join(site, rel), encoding='utf-8', errors='surrogateescape') as f:
        return f.read()


SCHEME = re.compile(r'^([A-Za-z][A-Za-z0-9+.-]*):')


def url_ok(u):
    """http(s) or relative, read as a browser reads it (WHATWG URL: C0 and
    space trimmed, TAB/LF/CR removed; a scheme starts with a letter)."""
    u = re.sub(r'[\t\n\r]', '', u.strip('\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r'
                                     '\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19'
                                     '\x1a\x1b\x1c\x1d\x1e\x1f '))
    m = SCHEME.match(u)
    return not m or m.group(1).lower() in ('http', 'https')


def cleaned(s):
    """s less the characters src/text.h says stackmap drops from every
    string it publishes (an independent statement of that rule)."""
    def unwanted(c):
        cp = ord(c)
        if cp < 0x20:
            return c not in '\t\n'
        if cp == 0x7F or 0x80 <= cp <= 0x9F:
            return True
        if cp in (0x061C, 0x200E, 0x200F) or 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069:
            return True
        return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE
    return ''.join(c for c in s if not unwanted(c))


# ---- api/catalog.json
problems = []
try:
    cat = json.loads(read('api/catalog.json'))
except Exception as e:  # noqa: BLE001
    cat = None
    problems.append(f'api/catalog.json does not parse: {e}')
if cat is not None:
    vendors = {v['id']: v for v in cat.get('vendors', [])}
    models = {m['id']: m for m in cat.get('models', [])}
    for vid, info in manifest['vendors'].items():
        v = vendors.get(vid)
        if v is None:
            problems.append(f'vendor {vid} is missing')
            continue
        if info['one_line'] and v.get('name') != cleaned(strings[info['string']]):
            problems.append(f'vendor {vid}: name {short(v.get("name"))} is not the planted '
                            f'{short(strings[info["string"]])} cleaned')
    for mid, info in manifest['models'].items():
        m = models.get(mid)
        if m is None:
            problems.append(f'model {mid} is missing')
        elif info['one_line'] and m.get('license') != cleaned(strings[info['string']]):
            problems.append(f'model {mid}: license {short(m.get("license"))} is not the planted one')
report('api/catalog.json parses and keeps every planted string (cleaned as text.h says)', problems)

# ---- api/offers.csv
FORMULA = ('=', '+', '-', '@', '\t', '\r')
problems = []
text = read('api/offers.csv')
rows = list(csv.reader(io.StringIO(text, newline='')))
header = rows[0] if rows else []
offers = (cat or {}).get('offers', [])
if len(rows) - 1 != len(offers):
    problems.append(f'{len(rows) - 1} data rows, api/catalog.json has {len(offers)} offers')
by_key = {(o['vendor_id'], o['model_id']): o for o in offers}
neutralised = 0
for n, row in enumerate(rows[1:], 2):
    if len(row) != len(header):
        problems.append(f'offers.csv:{n}: {len(row)} cells, the header has {len(header)}')
        continue
    cells = dict(zip(header, row))
    o = by_key.get((cells.get('vendor_id'), cells.get('model_id')))
    for col, cell in cells.items():
        if cell.startswith(FORMULA):
            problems.append(f'offers.csv:{n}: {col} starts with {cell[0]!r}: {short(cell)}')
            continue
        if o is None or col not in o or not isinstance(o[col], str):
            continue
        orig = o[col]
        if orig.startswith(FORMULA):
            neutralised += 1
            if cell != "'" + orig:
                problems.append(f"offers.csv:{n}: {col}: want '{short(orig)} behind an "
                                f'apostrophe, got {short(cell)}')
        elif cell != orig:
            problems.append(f'offers.csv:{n}: {col}: {short(cell)} is not {short(orig)}')
# the raw text: a neutralised cell is quoted ("'=…"), so no line has ,= ,+ …
for n, line in enumerate(text.split('\r\n'), 1):
    for m in re.finditer(r'(?:^|,)([=+\-@\t])', line):
        problems.append(f'offers.csv:{n}: an unquoted cell starts with {m.group(1)!r}')
report(f'api/offers.csv: formula cells neutralised ({neutralised} cells), '
       f'{len(rows) - 1} rows intact', problems)

# ---- XML outputs
XLINK = '{http://www.w3.org/1999/xlink}href'
for rel in ('feed.xml', 'sitemap.xml', 'stackmap.svg'):
    problems = []
    try:
        root = ET.fromstring(read(rel).encode('utf-8', 'surrogateescape'))
    except ET.ParseError as e:
        line = e.position[0]
        bad = read(rel).split('\n')[line - 1] if line else ''
        problems.append(f'{rel} is not well-formed XML: {e}')
        problems.append(f'{rel}:{line}: {short(bad, 160)}')
        root = None
    if root is not None:
        for el in root.iter():
            tag = el.tag.split('}')[-1]
            if tag in ('script', 'foreignObject', 'iframe', 'object', 'embed', 'handler'):
                problems.append(f'{rel}: a <{tag}> element')
            for k, val in el.attrib.items():
                name = k.split('}')[-1]
                if name.lower().startswith('on'):
                    problems.append(f'{rel}: <{tag} {name}="{short(val)}">')
                if name == 'href' and not url_ok(val):
                    problems.append(f'{rel}: <{tag} href="{short(val)}">: not an http(s) link')
    report(f'{rel}: well-formed XML, no script, handler or non-http(s) link', problems)

# ---- Markdown pages through cmark
md_pages = files('.md')
problems = []
html_nodes = 0
for rel in md_pages:
    r = subprocess.run(['cmark', '-t', 'xml', os.path.join(site, rel)],
                       capture_output=True, text=True, errors='surrogateescape')
    if r.returncode != 0:
        problems.append(f'{rel}: cmark failed: {r.stderr.strip()}')
        continue
    for m in re.finditer(r'<(html_block|html_inline)[^>]*>(.*?)</\1>', r.stdout, re.S):
        html_nodes += 1
        problems.append(f'{rel}: raw HTML ({m.group(1)}): {short(m.group(2), 100)}')
    for m in re.finditer(r'<(link|image) destination="([^"]*)"', r.stdout):
        dest = (m.group(2).replace('&quot;', '"').replace('&lt;', '<').replace('&gt;', '>')
                .replace('&amp;', '&'))
        # a title read back as the destination (an emptied unsafe URL
        # followed by its title) is caught here too when it is unsafe; a
        # destination that merely starts with a quote is cmark's own
        # reading of the source (`[t]( "")` links to '""') and harmless
        if not url_ok(dest):
            problems.append(f'{rel}: {m.group(1)} to {short(dest)}')
report(f'Markdown pages rendered by cmark: no raw HTML, only http(s) or relative '
       f'links ({len(md_pages)} pages)', problems)

# ---- mermaid blocks
problems = []
MERMAID_LINE = re.compile(
    r'^(flowchart [A-Z]{2}|\s*direction [A-Z]{2}|\s*end|'
    r'\s*subgraph [a-zA-Z0-9_-]+\["[^"<>`#;|\\{}\[\]&]*"\]|'
    r'\s*[A-Za-z0-9_]+ -- "[A-Za-z ]+" --> [A-Za-z0-9_]+|'
    r'\s*[a-zA-Z0-9_-]+\["[^"<>`#;|\\{}\[\]&\x00-\x1f]*"\]|'
    r'\s*[a-zA-Z0-9_-]+ --> [a-zA-Z0-9_-]+|)$')
blocks = 0
for rel in md_pages:
    inside = False
    for n, line in enumerate(read(rel).split('\n'), 1):
        if line.startswith('```mermaid'):
            inside, blocks = True, blocks + 1
            continue
        if inside and line.startswith('```'):
            inside = False
            continue
        if inside and not MERMAID_LINE.match(line):
            problems.append(f'{rel}:{n}: mermaid line {short(line, 100)}')
report(f'mermaid blocks: only sanitised, quoted labels ({blocks} blocks)', problems)

# ---- bidi controls
EMBED = {'\u202a', '\u202b', '\u202d', '\u202e'}
ISOLATE = {'\u2066', '\u2067', '\u2068'}


def bidi_balanced(line):
    emb = iso = 0
    for c in line:
        if c in EMBED:
            emb += 1
        elif c == '\u202c':
            emb = max(0, emb - 1)
        elif c in ISOLATE:
            iso += 1
        elif c == '\u2069':
            iso = max(0, iso - 1)
    return emb == 0 and iso == 0


problems = []
for rel in md_pages + ['stackmap.svg', 'feed.xml']:
    for n, line in enumerate(read(rel).split('\n'), 1):
        if not bidi_balanced(line):
            problems.append(f'{rel}:{n}: unbalanced bidi control in {short(line, 100)}')
report('Markdown, SVG and feed lines: no unbalanced bidi override, embedding or isolate',
       problems)

# ---- code points no page may carry
# C0 controls but TAB/LF/CR, DEL, C1
# controls (U+0080-U+009F: parse errors in HTML, a terminal's CSI is
# U+009B) and the noncharacters U+FFFE/U+FFFF (not XML characters at all)
BAD_CP = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]')
problems = []
for rel in files(''):
    if rel.startswith('assets/'):
        continue
    text = read(rel)
    for n, line in enumerate(text.split('\n'), 1):
        m = BAD_CP.search(line)
        if m:
            problems.append(f'{rel}:{n}: U+{ord(m.group()):04X} in {short(line, 90)}')
report('no C0/C1 control character or noncharacter in any built file', problems)

print(f'{passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
