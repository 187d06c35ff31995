"""A readable comparison of two versions: paragraphs added, removed or changed (word by word)."""
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from app.services.html_tree import blocks

TOKEN = re.compile(r"\s+|[^\s]+")
CONTEXT = 1


@dataclass
class Row:
    kind: str                                      # same | added | removed | changed | skipped
    text: str = ""
    segments: list = field(default_factory=list)   # for changed: (same|del|ins, text)


def _words(old, new):
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    segments = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("ins", "".join(b[j1:j2])))
    return segments


def diff(old_html, new_html):
    """Rows describing how `new_html` differs from `old_html`; long equal runs are collapsed."""
    a, b = blocks(old_html), blocks(new_html)
    rows = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            same = a[i1:i2]
            if len(same) > 2 * CONTEXT + 1:
                rows += [Row("same", t) for t in same[:CONTEXT]]
                rows.append(Row("skipped", f"{len(same) - 2 * CONTEXT} parágrafo(s) sem alteração"))
                rows += [Row("same", t) for t in same[-CONTEXT:]]
            else:
                rows += [Row("same", t) for t in same]
        elif tag == "delete":
            rows += [Row("removed", t) for t in a[i1:i2]]
        elif tag == "insert":
            rows += [Row("added", t) for t in b[j1:j2]]
        else:
            old, new = a[i1:i2], b[j1:j2]
            for x, y in zip(old, new):
                rows.append(Row("changed", segments=_words(x, y)))
            rows += [Row("removed", t) for t in old[len(new):]]
            rows += [Row("added", t) for t in new[len(old):]]
    if rows and rows[0].kind == "same" and len(rows) > 1 and rows[1].kind == "skipped":
        rows = rows[1:]
    return rows


def changed(rows):
    return any(r.kind in ("added", "removed", "changed") for r in rows)
