"""Reads the hostile corpora of tests/hostile/ (strings.txt, urls.txt) and
says which catalog field types accept a string, mirroring src/schema.c:
one-line fields (FT_LINE), CommonMark text (FT_TEXT) and the text an API
adapter keeps (adapter_json_text). The suite asserts the validator agrees:
every string predicted refused must be refused with the right message.
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

_ESC = re.compile(r'\\(\\|n|r|t|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U\{[0-9A-Fa-f]+\})')


def decode(text):
    """Decodes the escapes documented at the top of strings.txt."""
    m = re.match(r'\\R(\d+):', text)
    if m:
        return decode(text[m.end():]) * int(m.group(1))

    def one(m):
        e = m.group(1)
        if e == '\\':
            return '\\'
        if e in 'nrt':
            return {'n': '\n', 'r': '\r', 't': '\t'}[e]
        if e[0] in 'xu':
            return chr(int(e[1:], 16))
        return chr(int(e[2:-1], 16))

    return _ESC.sub(one, text)


def _lines(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            yield n, line


def strings():
    """The hostile strings: a list of (line number, raw line, decoded)."""
    return [(n, raw, decode(raw)) for n, raw in _lines('strings.txt')]


def urls():
    """The URL cases: a list of (line number, 'accept'|'reject', url)."""
    out = []
    for n, raw in _lines('urls.txt'):
        verdict, _, url = raw.partition(' ')
        if verdict not in ('accept', 'reject'):
            raise SystemExit('urls.txt:%d: verdict must be accept or reject' % n)
        out.append((n, verdict, decode(url)))
    return out


def _ctl(c):
    return ord(c) < 0x20 or ord(c) == 0x7F


def line_refusal(s):
    """Why a one-line field refuses s (the validator's message after the
    field name), or None when it is accepted."""
    for c in s:
        if c in '\n\r':
            return 'must be a single line'
        if _ctl(c):
            return 'contains control character 0x%02X' % ord(c)
    n = len(s.encode('utf-8'))
    if n == 0:
        return 'is empty'
    if n > 1000:
        return 'is %d bytes long; the limit is 1000' % n
    return None


def text_refusal(s):
    """Why a CommonMark field refuses s, or None."""
    for c in s:
        if _ctl(c) and c not in '\n\t':
            return 'contains control character 0x%02X' % ord(c)
    return None


def api_keeps(s):
    """Whether an adapter keeps s as an id or a name (ADAPTER_TEXT_MAX)."""
    b = s.encode('utf-8')
    return 0 < len(b) <= 512 and not any(_ctl(c) for c in s)


def yaml_quote(s):
    """s as a YAML double-quoted scalar that libyaml reads back exactly:
    everything outside YAML's printable set, and the characters libyaml
    takes as line breaks or a byte order mark, is escaped."""
    out = ['"']
    for c in s:
        o = ord(c)
        if c == '\\':
            out.append('\\\\')
        elif c == '"':
            out.append('\\"')
        elif (0x20 <= o <= 0x7E or (0xA0 <= o <= 0xD7FF and o not in (0x2028, 0x2029))
              or (0xE000 <= o <= 0xFFFD and o != 0xFEFF) or 0x10000 <= o <= 0x10FFFF):
            out.append(c)
        elif o <= 0xFF:
            out.append('\\x%02X' % o)
        elif o <= 0xFFFF:
            out.append('\\u%04X' % o)
        else:
            out.append('\\U%08X' % o)
    out.append('"')
    return ''.join(out)
