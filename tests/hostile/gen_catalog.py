#!/usr/bin/env python3
"""Generates the hostile test catalog and fixture API answers of
tests/suite-injection.sh.

usage: gen_catalog.py WORK PORT

Writes
  WORK/cat/            a catalog that must validate: every string of
                       strings.txt planted into every string field that
                       accepts it (one vendor h-NN, model m-NN and primer
                       p-NN per string; the site's title and description
                       hold as many short strings as fit), the accepted
                       URLs of urls.txt in every URL field, each vendor's
                       api pointing at the fixture server on 127.0.0.1:PORT
  WORK/day1/, WORK/day2/
                       the fixture server's answers (Together's format) for
                       two probes a day apart: hostile model ids and display
                       names (the vendor's remote_id among them, so the live
                       data is merged), control characters that only an API
                       can carry, a price change, a removed and an added model
  WORK/manifest.json   what went where, for the checks
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

LAYERS = ['model-lab', 'inference-provider', 'hyperscaler', 'orchestration']
CHECKED = '2026-11-20'
SCHEMA_LINE = '# yaml-language-server: $schema=../schema/vendor.schema.json\n'


def q(s):
    return corpus.yaml_quote(s)


def markdown_body(s, i):
    """A CommonMark text that puts s in every place Markdown gives it:
    paragraph, quote, list, heading, emphasis, link text and destination,
    autolink, image, reference definition, code."""
    return (f'{s}\n\n> {s}\n\n- {s}\n\n## {s}\n\n*{s}* and **{s}**\n\n'
            f'[link {i}]({s}) [text]({s} "{s}") ![img {i}]({s}) <{s}>\n\n'
            f'[ref {i}][r{i}] and [{s}][r{i}]\n\n[r{i}]: {s}\n\n'
            f'`{s}`\n\n```\n{s}\n```\n\n<div>{s}</div>\n')


def main():
    work, port = sys.argv[1], int(sys.argv[2])
    strings = [d for _, _, d in corpus.strings()]
    accept_urls = [u for _, v, u in corpus.urls() if v == 'accept']
    cat = os.path.join(work, 'cat')
    for d in ('vendors', 'models', 'primers'):
        os.makedirs(os.path.join(cat, d), exist_ok=True)
    manifest = {'strings': strings, 'vendors': {}, 'models': {}, 'primers': {},
                'site': {}, 'urls': accept_urls, 'live': {}}

    def url(k):
        return accept_urls[k % len(accept_urls)]

    # site.yaml: as many short one-line strings as fit in 1000 bytes each
    short = [s for s in strings if corpus.line_refusal(s) is None and len(s.encode()) < 120]
    title, desc = [], []
    for s in short:
        for part in (title, desc):
            if len(' | '.join(part + [s]).encode()) <= 1000:
                part.append(s)
                break
    site = {
        'title': ' | '.join(title), 'description': ' | '.join(desc),
        'language': 'en" onload="__pwned(90)', 'base_url': url(0), 'repository': url(1),
    }
    manifest['site'] = site
    with open(os.path.join(cat, 'site.yaml'), 'w', encoding='utf-8') as f:
        f.write('# yaml-language-server: $schema=../schema/site.schema.json\n')
        for k, v in site.items():
            f.write(f'{k}: {q(v)}\n')

    day1, day2 = os.path.join(work, 'day1'), os.path.join(work, 'day2')
    os.makedirs(day1, exist_ok=True)
    os.makedirs(day2, exist_ok=True)
    n = len(strings)
    labs = [i for i in range(n) if i % 4 == 0]
    for i, s in enumerate(strings):
        vid, mid, pid = f'h-{i:02d}', f'm-{i:02d}', f'p-{i:02d}'
        line_ok = corpus.line_refusal(s) is None
        text_ok = corpus.text_refusal(s) is None
        one = s if line_ok else f'Hostile {i} (refused in one-line fields)'
        remote = s if line_ok else f'remote-{i}'
        v = [SCHEMA_LINE, f'id: {vid}\n', f'name: {q(one)}\n',
             f'layer: {LAYERS[i % 4]}\n', f'spectrum: {i % 5 + 1}\n',
             f'homepage: {q(url(i))}\n', f'summary: {q(one)}\n']
        if text_ok:
            v.append(f'description: {q(markdown_body(s, i))}\n')
        v += [f'docs: {q(url(i + 1))}\n', f'pricing_url: {q(url(i + 2))}\n',
              'api:\n', '  style: together\n',
              f'  base_url: http://127.0.0.1:{port}/v/{vid}/v1\n']
        if line_ok:
            v.append(f'  region: {q(s)}\n')
        v += ['offers:\n', f'  - model: {mid}\n', f'    remote_id: {q(remote)}\n',
              '    input: 1\n', '    output: 2\n', '    cached_input: 0.5\n',
              '    context: 4096\n', f'    source: {q(url(i + 3))}\n',
              f'    checked: {CHECKED}\n']
        if line_ok:
            v.append(f'    note: {q(s)}\n')
        v += ['signals:\n', '  - kind: funding\n', '    value_usd: 1000\n',
              f'    date: {CHECKED}\n', f'    source: {q(url(i + 4))}\n',
              f'    checked: {CHECKED}\n']
        if line_ok:
            v.append(f'    note: {q(s)}\n')
        with open(os.path.join(cat, 'vendors', vid + '.yaml'), 'w', encoding='utf-8') as f:
            f.write(''.join(v))
        manifest['vendors'][vid] = {'string': i, 'one_line': line_ok, 'text': text_ok,
                                    'remote_id': remote}

        m = [SCHEMA_LINE.replace('vendor', 'model'), f'id: {mid}\n', f'name: {q(one)}\n',
             f'lab: h-{max(x for x in labs if x <= i):02d}\n', 'open_weights: true\n',
             'context: 4096\n', 'released: 2026-01-15\n',
             f'homepage: {q(url(i + 5))}\n', f'source: {q(url(i + 6))}\n']
        if line_ok:
            m += [f'license: {q(s)}\n', f'parameters: {q(s)}\n', f'summary: {q(s)}\n']
        with open(os.path.join(cat, 'models', mid + '.yaml'), 'w', encoding='utf-8') as f:
            f.write(''.join(m))
        manifest['models'][mid] = {'string': i, 'one_line': line_ok}

        # a primer's body is only checked for UTF-8 and NUL: every string
        body = markdown_body(s, i)
        with open(os.path.join(cat, 'primers', pid + '.md'), 'w', encoding='utf-8') as f:
            f.write(f'---\ntitle: {q(one)}\nsummary: {q(one)}\norder: {i}\n---\n{body}')
        manifest['primers'][pid] = {'string': i, 'one_line': line_ok, 'text': text_ok}

        # the live listings: the offer's remote id (merged with the offer),
        # a model that goes away, one that comes, one with a name only an
        # API can carry (control characters), one whose id has them
        def model(mid_, name, price):
            return {'id': mid_, 'object': 'model', 'type': 'chat', 'display_name': name,
                    'context_length': 4096,
                    'pricing': {'hourly': 0, 'input': price, 'output': price * 2}}
        ctl = 'ctl\x07\x1b[31m\x7f' + s
        one_api = s if corpus.api_keeps(s) else f'api-{i}'
        common = [model(f'ctl-name-{i}', ctl, 1), model(f'ctl\x01id-{i}', s, 1),
                  model(s, s, 1) if not corpus.api_keeps(s) else model(f'plain-{i}', 'plain', 1)]
        d1 = [model(remote, one_api, 1), model('gone ' + one_api, one_api, 3)] + common
        d2 = [model(remote, one_api, 1.5), model('new ' + one_api, one_api, 4)] + common
        for d, listing in ((day1, d1), (day2, d2)):
            with open(os.path.join(d, vid + '.json'), 'w', encoding='utf-8') as f:
                json.dump(listing, f, ensure_ascii=True)
        manifest['live'][vid] = {'remote_id': remote, 'name': one_api,
                                 'added': 'new ' + one_api, 'removed': 'gone ' + one_api}

    with open(os.path.join(work, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, ensure_ascii=True, indent=1)
    print(f'{n} strings, {len(accept_urls)} accepted URLs: {n} vendors, models and primers')


if __name__ == '__main__':
    main()
