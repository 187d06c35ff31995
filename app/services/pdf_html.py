"""Sanitised document HTML → reportlab flowables: paragraphs with bold/italic/underline, headings, alignment,
nested lists, tables with spans, quotations and images (fitted to the width where they stand)."""
import io
import re
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, ListFlowable, ListItem, Paragraph, Table, TableStyle

from app.services.html_tree import Node
from app.services.pdf_fonts import ALIGN, HEADINGS, aligned, styles_for

INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "s": "strike"}
OL_TYPES = ("1", "a", "i")
MAX_IMAGE_H = 18 * cm
CELL_PADDING = 4
LIST_INDENT = 0.8 * cm


# ReportLab splits a word wider than the line in time that grows with the square of its length (a pasted
# 1 MB base64 string: minutes of CPU). A break opportunity every LONG_WORD characters keeps it linear; no
# real word or link is that long, so frozen documents print as before.
LONG_WORD = 300
_LONG_WORD_RE = re.compile(r"\S{%d}" % LONG_WORD)


def _breakable(text):
    return _LONG_WORD_RE.sub(lambda m: m.group(0) + " ", text) if len(text) > LONG_WORD else text


# A paragraph's layout in ReportLab also grows with the square of its length (a 400 000-character
# paragraph: 23 s). One longer than MAX_PARAGRAPH characters is set as consecutive paragraphs without
# spacing between them, cut at a space, inline tags closed and reopened across the cut.
MAX_PARAGRAPH = 8000
_TAG_RE = re.compile(r"(<[^>]+>)")
_TAG_NAME_RE = re.compile(r"<(\w+)")


def _cut_at(token, limit):
    """Where to cut `token` (escaped text) at most at `limit`: the last space, never inside an entity."""
    cut = token.rfind(" ", 0, limit)
    if cut <= 0:
        cut = limit
    entity = token.rfind("&", max(0, cut - 8), cut)
    if entity != -1 and ";" not in token[entity:cut]:
        cut = entity
    return cut


def _pieces(markup):
    """`markup` split into parts of at most ~MAX_PARAGRAPH characters, each with balanced inline tags."""
    if len(markup) <= MAX_PARAGRAPH:
        return [markup]
    pieces, current, size, open_tags = [], [], 0, []

    def close():
        pieces.append("".join(current) + "".join(f"</{_TAG_NAME_RE.match(t).group(1)}>" for t in reversed(open_tags)))
        return list(open_tags), 0

    for token in _TAG_RE.split(markup):
        if token.startswith("<"):
            current.append(token)
            if token.startswith("</"):
                open_tags and open_tags.pop()
            elif not token.endswith("/>"):
                open_tags.append(token)
            continue
        while size + len(token) > MAX_PARAGRAPH:
            cut = _cut_at(token, MAX_PARAGRAPH - size)
            if cut <= 0 and size == 0:
                cut = MAX_PARAGRAPH
            current.append(token[:max(cut, 0)])
            current, size = close()
            token = token[max(cut, 0):].lstrip(" ")
        current.append(token)
        size += len(token)
    pieces.append("".join(current))
    return [p for p in pieces if _TAG_RE.sub("", p).strip()]


def paragraphs(markup, style):
    """Paragraph flowables for `markup`: one, or several without spacing between them (MAX_PARAGRAPH)."""
    parts = _pieces(markup)
    if len(parts) == 1:
        return [Paragraph(parts[0], style)]
    first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
    middle = ParagraphStyle(f"{style.name}-middle", parent=style, spaceBefore=0, spaceAfter=0)
    last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
    return [Paragraph(part, first if i == 0 else last if i == len(parts) - 1 else middle)
            for i, part in enumerate(parts)]


def _inline(children):
    out = []
    for child in children:
        if isinstance(child, str):
            out.append(escape(_breakable(child.replace("\n", " "))))
        elif child.tag == "br":
            out.append("<br/>")
        elif child.tag in INLINE:
            tag = INLINE[child.tag]
            out.append(f"<{tag}>{_inline(child.children)}</{tag}>")
        elif child.tag == "a" and child.attrs.get("href"):
            out.append(f'<a href={quoteattr(child.attrs["href"])} color="#1f4e79">{_inline(child.children)}</a>')
        elif child.tag not in ("img", "ul", "ol", "table"):
            out.append(_inline(child.children))
    return "".join(out)


class Converter:
    """One document's conversion: `load_image(src)` gives an image's bytes (None: left out)."""

    def __init__(self, load_image, fonts, width):
        self.load_image, self.fonts, self.styles = load_image, fonts, styles_for(fonts)
        self.width = width          # the width available where the next flowable goes (images fit in it)

    def style(self, tag, node):
        cls = node.attrs.get("class") if node is not None else None
        return aligned(self.fonts, tag, cls) if cls in ALIGN else self.styles[tag]

    def narrower(self, width, convert, *args):
        """`convert(*args)` with `width` available (a table cell, a list item, a quotation)."""
        outer, self.width = self.width, width
        try:
            return convert(*args)
        finally:
            self.width = outer

    def blocks(self, children, tag="p", depth=0):
        """Flowables for a list of nodes; loose inline content becomes paragraphs of style `tag`."""
        flows, loose = [], []

        def flush():
            text = _inline(loose).strip()
            if text:
                flows.extend(paragraphs(text, self.styles[tag]))
            flows.extend(self.images(Node("span", children=list(loose))))
            loose.clear()

        for child in children:
            if isinstance(child, str) or child.tag in INLINE or child.tag in ("a", "br"):
                loose.append(child)
                continue
            flush()
            flows.extend(self.block(child, depth))
        flush()
        return flows

    def block(self, node, depth=0):
        if node.tag in ("p", *HEADINGS):
            flows = paragraphs(_inline(node.children) or "&nbsp;", self.style(node.tag, node))
            return flows + self.images(node)
        if node.tag == "blockquote":
            if any(isinstance(c, Node) and c.tag in ("p", "ul", "ol", "table", *HEADINGS) for c in node.children):
                inner = self.narrower(self.width - 2.4 * cm, self.blocks, node.children, "blockquote", depth)
                return [Table([[inner]], colWidths=[self.width - 1.2 * cm],
                              style=[("LEFTPADDING", (0, 0), (-1, -1), 1.2 * cm)])]
            return paragraphs(_inline(node.children), self.style("blockquote", node)) + self.images(node)
        if node.tag in ("ul", "ol"):
            return [self.list(node, depth)]
        if node.tag == "table":
            table = self.table(node)
            return [table] if table is not None else []
        if node.tag == "img":
            return self.image(node)
        return self.blocks(node.children, "p", depth)

    def images(self, node):
        out = []
        for child in node.children:
            if isinstance(child, Node):
                out += self.image(child) if child.tag == "img" else self.images(child)
        return out

    def image(self, node):
        data = self.load_image(node.attrs.get("src", "")) if self.load_image else None
        if not data:
            return []
        try:
            reader = ImageReader(io.BytesIO(data))
            width, height = reader.getSize()
        except Exception:
            return []
        scale = min(1.0, self.width / width, MAX_IMAGE_H / height)   # 1 px = 1 pt, never enlarged
        return [Image(io.BytesIO(data), width * scale, height * scale)]

    def list(self, node, depth):
        items = []
        for li in node.children:
            if isinstance(li, Node) and li.tag == "li":
                inline = [c for c in li.children if isinstance(c, str) or c.tag not in ("ul", "ol", "p", "table")]
                flows = [Paragraph(_inline(inline) or "&nbsp;", self.style("li", li))] if _inline(inline).strip() else []
                flows += self.narrower(self.width - LIST_INDENT, self.images, Node("li", children=inline))
                for child in li.children:
                    if isinstance(child, Node) and child.tag in ("ul", "ol", "p", "table"):
                        flows += self.narrower(self.width - LIST_INDENT, self.block, child, depth + 1)
                items.append(ListItem(flows or [Paragraph("&nbsp;", self.styles["li"])]))
        ordered = node.tag == "ol"
        start = node.attrs.get("start")
        return ListFlowable(items, bulletType=OL_TYPES[depth % 3] if ordered else "bullet",
                            start=int(start) if ordered and start and start.isdecimal() else (None if ordered else "•"),
                            bulletFormat="%s." if ordered else None,
                            bulletFontName=self.fonts.regular, bulletFontSize=10 if ordered else 9,
                            leftIndent=LIST_INDENT, bulletDedent="auto")

    def table(self, node):
        rows, head_rows = [], 0
        for part in node.children:
            if isinstance(part, Node) and part.tag in ("thead", "tbody", "tr"):
                trs = [part] if part.tag == "tr" else [r for r in part.children if isinstance(r, Node) and r.tag == "tr"]
                rows += trs
                head_rows += len(trs) if part.tag == "thead" else 0
        if not rows:
            return None
        column_width = self.width / _column_count(rows)
        grid, spans, header_cells, taken = {}, [], [], set()
        for r, tr in enumerate(rows):
            c = 0
            for cell in (x for x in tr.children if isinstance(x, Node) and x.tag in ("td", "th")):
                while (r, c) in taken:
                    c += 1
                colspan = _span(cell.attrs.get("colspan"))
                rowspan = min(_span(cell.attrs.get("rowspan")), len(rows) - r)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                cell_width = colspan * column_width - 2 * CELL_PADDING
                grid[(r, c)] = self.narrower(cell_width, self.blocks, cell.children,
                                             "th" if cell.tag == "th" else "cell") or ""
                if cell.attrs.get("class") in ALIGN:
                    for flow in grid[(r, c)]:
                        if isinstance(flow, Paragraph):
                            flow.style = aligned(self.fonts, "th" if cell.tag == "th" else "cell", cell.attrs["class"])
                if colspan > 1 or rowspan > 1:
                    spans.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
                if cell.tag == "th":
                    header_cells.append(("BACKGROUND", (c, r), (c + colspan - 1, r + rowspan - 1), colors.HexColor("#eeeeee")))
                c += colspan
        ncols = max(c for _, c in taken) + 1
        data = [[grid.get((r, c), "") for c in range(ncols)] for r in range(len(rows))]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING)]
        table = Table(data, colWidths=[self.width / ncols] * ncols, repeatRows=head_rows, style=TableStyle(
            style + spans + header_cells), spaceBefore=4, spaceAfter=8)
        return table


def _span(value):
    return max(1, min(int(value), 50)) if value and value.isdecimal() else 1


def _column_count(rows):
    """Columns of the widest row, counting colspans (an estimate made before the grid; rowspans ignored)."""
    return max(1, max(sum(_span(c.attrs.get("colspan")) for c in tr.children if isinstance(c, Node)
                          and c.tag in ("td", "th")) for tr in rows))
