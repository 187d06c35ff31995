"""The PDF of an internal document (reportlab): A4, letterhead, the sanitised HTML, signatures, verification.

`render_document_pdf` is a pure function of its inputs (reportlab runs in invariant mode: the same
input gives the same bytes). Signing (issue 6) freezes its output, so change it knowingly."""
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Drawing, Path
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (BaseDocTemplate, Frame, Image, KeepTogether, ListFlowable, ListItem, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

from app.services.html_tree import Node, parse

BRASILIA = ZoneInfo("America/Sao_Paulo")
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.5 * cm, 3.6 * cm, 2.2 * cm
FRAME_W = PAGE_W - 2 * MARGIN_X
ALIGN = {"al-left": TA_LEFT, "al-center": TA_CENTER, "al-right": TA_RIGHT, "al-justify": TA_JUSTIFY}
INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "s": "strike"}
HEADINGS = {"h1": 16, "h2": 14, "h3": 12.5, "h4": 11.5}
OL_TYPES = ("1", "a", "i")
BRASAO_HEIGHT = 1.7 * cm


@dataclass(frozen=True)
class Letterhead:
    organization: str
    unit: str
    brasao_png: bytes | None = None
    brasao_svg: bytes | None = None     # drawn as vectors (svglib) when there is no PNG


@dataclass(frozen=True)
class SignatureFooter:
    name: str
    role: str
    signed_at: datetime          # aware; printed in Brasília time
    legal_text: str
    conference: str | None = None  # set: the authentication of a digitalizado (Lei 12.682/2012) wording


@dataclass(frozen=True)
class Verification:
    url: str                     # printed: where to check ("…/conferir")
    code: str
    crc: str
    qr_url: str | None = None    # the QR code (default: url), e.g. "…/conferir?codigo=…&crc=…"


def _styles():
    base = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14.5, spaceAfter=6)
    styles = {"p": base, "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=12.5, spaceAfter=0),
              "th": ParagraphStyle("th", parent=base, fontName="Helvetica-Bold", fontSize=10, leading=12.5, spaceAfter=0),
              "blockquote": ParagraphStyle("bq", parent=base, leftIndent=1.2 * cm, rightIndent=0.6 * cm),
              "li": ParagraphStyle("li", parent=base, spaceAfter=2),
              "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
              "sign": ParagraphStyle("sign", parent=base, fontSize=9, leading=11.5, spaceAfter=0)}
    for tag, size in HEADINGS.items():
        styles[tag] = ParagraphStyle(tag, parent=base, fontName="Helvetica-Bold", fontSize=size, leading=size * 1.3,
                                     spaceBefore=6, spaceAfter=6)
    return styles


STYLES = _styles()


@lru_cache(maxsize=128)
def _aligned(tag, align):
    return ParagraphStyle(f"{tag}-{align}", parent=STYLES[tag], alignment=ALIGN[align])


def _style(tag, node):
    cls = node.attrs.get("class") if node is not None else None
    return _aligned(tag, cls) if cls in ALIGN else STYLES[tag]


# --- HTML → reportlab -----------------------------------------------------------------------

def _inline(children):
    out = []
    for child in children:
        if isinstance(child, str):
            out.append(escape(child.replace("\n", " ")))
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


class _Converter:
    def __init__(self, load_image):
        self.load_image = load_image

    def blocks(self, children, tag="p", depth=0):
        """Flowables for a list of nodes; loose inline content becomes paragraphs of style `tag`."""
        flows, loose = [], []

        def flush():
            text = _inline(loose).strip()
            if text:
                flows.append(Paragraph(text, STYLES[tag]))
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
            flows = [Paragraph(_inline(node.children) or "&nbsp;", _style(node.tag, node))]
            return flows + self.images(node)
        if node.tag == "blockquote":
            if any(isinstance(c, Node) and c.tag in ("p", "ul", "ol", "table", *HEADINGS) for c in node.children):
                return [Table([[self.blocks(node.children, "blockquote", depth)]], colWidths=[FRAME_W - 1.2 * cm],
                              style=[("LEFTPADDING", (0, 0), (-1, -1), 1.2 * cm)])]
            return [Paragraph(_inline(node.children), _style("blockquote", node))]
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
        scale = min(1.0, FRAME_W / width, 18 * cm / height)
        return [Image(io.BytesIO(data), width * scale, height * scale)]

    def list(self, node, depth):
        items = []
        for li in node.children:
            if isinstance(li, Node) and li.tag == "li":
                inline = [c for c in li.children if isinstance(c, str) or c.tag not in ("ul", "ol", "p", "table")]
                flows = [Paragraph(_inline(inline) or "&nbsp;", _style("li", li))] if _inline(inline).strip() else []
                for child in li.children:
                    if isinstance(child, Node) and child.tag in ("ul", "ol", "p", "table"):
                        flows += self.block(child, depth + 1)
                items.append(ListItem(flows or [Paragraph("&nbsp;", STYLES["li"])]))
        ordered = node.tag == "ol"
        start = node.attrs.get("start")
        return ListFlowable(items, bulletType=OL_TYPES[depth % 3] if ordered else "bullet",
                            start=int(start) if ordered and start and start.isdigit() else (None if ordered else "•"),
                            bulletFormat="%s." if ordered else None,
                            bulletFontName="Helvetica", bulletFontSize=10 if ordered else 9,
                            leftIndent=0.8 * cm, bulletDedent="auto")

    def table(self, node):
        rows, head_rows = [], 0
        for part in node.children:
            if isinstance(part, Node) and part.tag in ("thead", "tbody", "tr"):
                trs = [part] if part.tag == "tr" else [r for r in part.children if isinstance(r, Node) and r.tag == "tr"]
                rows += trs
                head_rows += len(trs) if part.tag == "thead" else 0
        if not rows:
            return None
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
                grid[(r, c)] = self.blocks(cell.children, "th" if cell.tag == "th" else "cell") or ""
                if cell.attrs.get("class") in ALIGN:
                    for flow in grid[(r, c)]:
                        if isinstance(flow, Paragraph):
                            flow.style = _aligned("th" if cell.tag == "th" else "cell", cell.attrs["class"])
                if colspan > 1 or rowspan > 1:
                    spans.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
                if cell.tag == "th":
                    header_cells.append(("BACKGROUND", (c, r), (c + colspan - 1, r + rowspan - 1), colors.HexColor("#eeeeee")))
                c += colspan
        ncols = max(c for _, c in taken) + 1
        data = [[grid.get((r, c), "") for c in range(ncols)] for r in range(len(rows))]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#777777")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
        table = Table(data, colWidths=[FRAME_W / ncols] * ncols, repeatRows=head_rows, style=TableStyle(
            style + spans + header_cells), spaceBefore=4, spaceAfter=8)
        return table


def _span(value):
    return max(1, min(int(value), 50)) if value and value.isdigit() else 1


# --- signatures and verification --------------------------------------------------------------

def footer_text(sig):
    """The footer printed under a signature (DESIGN.md §4), as reportlab paragraph markup."""
    at = sig.signed_at.astimezone(BRASILIA)
    who = f"<b>{escape(sig.name)}</b>, <b>{escape(sig.role)}</b>, em {at:%d/%m/%Y}, às {at:%H:%M}, conforme horário " \
          "oficial de Brasília"
    if sig.conference:
        return (f"Documento digitalizado autenticado eletronicamente por {who}, nos termos da Lei nº 12.682, de 9 de "
                f"julho de 2012, com fundamento no {escape(sig.legal_text)}. Tipo de conferência: "
                f"{escape(sig.conference)}.")
    return f"Documento assinado eletronicamente por {who}, com fundamento no {escape(sig.legal_text)}."


def signature_flowables(signatures, verification):
    out = []
    for sig in signatures:
        text = footer_text(sig)
        box = Table([[Paragraph("<b>Assinatura<br/>eletrônica</b>", ParagraphStyle(
            "seal", parent=STYLES["sign"], alignment=TA_CENTER, fontSize=7.5, leading=9))]],
            colWidths=[2.2 * cm], style=[("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e79")),
                                         ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        out.append(KeepTogether([Spacer(1, 6), Table([[box, Paragraph(text, STYLES["sign"])]],
                                                      colWidths=[2.6 * cm, FRAME_W - 2.6 * cm],
                                                      style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]))
    if verification is not None:
        text = (f"A autenticidade deste documento pode ser conferida no site {escape(verification.url)}, informando "
                f"o código verificador <b>{escape(verification.code)}</b> e o código CRC "
                f"<b>{escape(verification.crc)}</b>.")
        out.append(KeepTogether([Spacer(1, 10), Table([[_qr(verification.qr_url or verification.url),
                                                         Paragraph(text, STYLES["sign"])]],
                                                       colWidths=[2.6 * cm, FRAME_W - 2.6 * cm],
                                                       style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]))
    return out


@lru_cache(maxsize=64)
def _qr_modules(url):
    """The QR code matrix of `url` (level M: survives a worn printout); cached, co-signatures reuse it."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


def _qr(url, size=2.2 * cm, border=4):
    """The QR code as one filled path (a rectangle per run of dark modules): fast to build and to draw."""
    modules = _qr_modules(url)
    box = size / (len(modules) + 2 * border)
    path = Path(fillColor=colors.black, strokeColor=None, strokeWidth=0)
    for r, row in enumerate(modules):
        c = 0
        for dark, run in groupby(row):
            count = len(list(run))
            if dark:
                x, y = (c + border) * box, size - (r + border + 1) * box
                path.moveTo(x, y)
                path.lineTo(x + count * box, y)
                path.lineTo(x + count * box, y + box)
                path.lineTo(x, y + box)
                path.closePath()
            c += count
    drawing = Drawing(size, size)
    drawing.add(path)
    return drawing


# --- page furniture -------------------------------------------------------------------------

class _NumberedCanvas(rl_canvas.Canvas):
    """Keeps every page until save() so each can print "Página X de Y"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawRightString(PAGE_W - MARGIN_X, 1.2 * cm, f"Página {number} de {total}")
            super().showPage()
        super().save()


@lru_cache(maxsize=16)
def _brasao_reader(data):
    return ImageReader(io.BytesIO(data))


def _page_furniture(letterhead, reference):
    def draw(canvas, doc):
        canvas.saveState()
        top = PAGE_H - 1.2 * cm
        x = MARGIN_X
        height = BRASAO_HEIGHT
        if letterhead.brasao_png:
            try:
                reader = _brasao_reader(letterhead.brasao_png)
                w, h = reader.getSize()
                width = height * w / h
                canvas.drawImage(reader, x, top - height, width, height, mask="auto")
                x += width + 0.4 * cm
            except Exception:
                pass
        elif letterhead.brasao_svg:
            from app.services.svg_drawing import draw_brasao
            width = draw_brasao(canvas, letterhead.brasao_svg, x, top - height, height)
            if width:
                x += width + 0.4 * cm
        canvas.setFillColor(colors.black)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(x, top - 0.55 * cm, letterhead.organization[:90])
        canvas.setFont("Helvetica", 9.5)
        canvas.drawString(x, top - 1.05 * cm, letterhead.unit[:110])
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, PAGE_H - MARGIN_TOP + 0.35 * cm, PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 0.35 * cm)
        canvas.line(MARGIN_X, 1.65 * cm, PAGE_W - MARGIN_X, 1.65 * cm)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN_X, 1.2 * cm, reference)
        canvas.restoreState()
    return draw


# --- the public function ----------------------------------------------------------------------

def brasao_letterhead(organization, unit_line, sha256, *, strict=False):
    """A Letterhead with the stored brasão `sha256` (PNG or SVG, by its media type); unreadable bytes
    leave it out, or raise OSError when `strict` (a frozen letterhead must print as it was)."""
    from app.extensions import db
    from app.models import Blob
    from app.services.storage import get_storage
    blob = db.session.get(Blob, sha256) if sha256 else None
    try:
        data = get_storage().read(sha256) if blob is not None else None
    except OSError:
        if strict:
            raise
        data = None
    is_svg = blob is not None and blob.media_type.startswith("image/svg")
    return Letterhead(organization=organization, unit=unit_line, brasao_png=None if is_svg else data,
                      brasao_svg=data if is_svg else None)


def letterhead_for(document):
    """Órgão name, the unit (with its sigla path) and the brasão from storage, if any (a PNG wins over an SVG)."""
    from app.extensions import db
    from app.models import DocumentSettings
    unit = document.unit
    settings = db.session.get(DocumentSettings, unit.organization_id)  # the issuing órgão's brasão
    sha = settings and (settings.brasao_png_sha256 or settings.brasao_svg_sha256)
    return brasao_letterhead(unit.organization.name, f"{unit.name} ({unit.sigla_path})", sha)


def render_document_pdf(document, html, *, signatures=(), verification=None, letterhead=None, load_image=None) -> bytes:
    """The PDF bytes of an internal document: letterhead, `html` (already sanitised), signature footers
    (SignatureFooter) and the verification block (Verification), "Página X de Y" and the reference line."""
    letterhead = letterhead or letterhead_for(document)
    reference = f"Referência: Processo nº {document.process.number} — SEI nº {document.sei}"
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=document.title, author=letterhead.organization,
                          subject=reference, creator="Expediente", invariant=1)
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_furniture(letterhead, reference))])
    story = _Converter(load_image).blocks(parse(html).children) or [Paragraph("&nbsp;", STYLES["p"])]
    story += signature_flowables(signatures, verification)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
