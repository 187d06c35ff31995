"""The PDF of an internal document (reportlab): A4, letterhead, the sanitised HTML, signatures, verification.

`render_document_pdf` is a pure function of its inputs and fonts (reportlab runs in invariant mode: the same
input gives the same bytes). Signing (issue 6) freezes its output, so change it knowingly. Fonts: pdf_fonts."""
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from itertools import groupby
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Drawing, Path
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table

from app.services.html_tree import parse
from app.services.pdf_fonts import default_family, family_for, styles_for
from app.services.pdf_html import Converter

BRASILIA = ZoneInfo("America/Sao_Paulo")
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.5 * cm, 3.6 * cm, 2.2 * cm
FRAME_W = PAGE_W - 2 * MARGIN_X
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


def signature_flowables(signatures, verification, fonts=None):
    styles = styles_for(fonts or default_family())
    out = []
    for sig in signatures:
        text = footer_text(sig)
        box = Table([[Paragraph("<b>Assinatura<br/>eletrônica</b>", ParagraphStyle(
            "seal", parent=styles["sign"], alignment=TA_CENTER, fontSize=7.5, leading=9))]],
            colWidths=[2.2 * cm], style=[("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e79")),
                                         ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        out.append(KeepTogether([Spacer(1, 6), Table([[box, Paragraph(text, styles["sign"])]],
                                                      colWidths=[2.6 * cm, FRAME_W - 2.6 * cm],
                                                      style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]))
    if verification is not None:
        text = (f"A autenticidade deste documento pode ser conferida no site {escape(verification.url)}, informando "
                f"o código verificador <b>{escape(verification.code)}</b> e o código CRC "
                f"<b>{escape(verification.crc)}</b>.")
        out.append(KeepTogether([Spacer(1, 10), Table([[_qr(verification.qr_url or verification.url),
                                                         Paragraph(text, styles["sign"])]],
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

    def __init__(self, *args, footer_font="Helvetica", **kwargs):
        super().__init__(*args, **kwargs)
        self._pages, self._footer_font = [], footer_font

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont(self._footer_font, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawRightString(PAGE_W - MARGIN_X, 1.2 * cm, f"Página {number} de {total}")
            super().showPage()
        super().save()


@lru_cache(maxsize=16)
def _brasao_reader(data):
    return ImageReader(io.BytesIO(data))


def _page_furniture(letterhead, reference, fonts):
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
        canvas.setFont(fonts.bold, 11)
        canvas.drawString(x, top - 0.55 * cm, letterhead.organization[:90])
        canvas.setFont(fonts.regular, 9.5)
        canvas.drawString(x, top - 1.05 * cm, letterhead.unit[:110])
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, PAGE_H - MARGIN_TOP + 0.35 * cm, PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 0.35 * cm)
        canvas.line(MARGIN_X, 1.65 * cm, PAGE_W - MARGIN_X, 1.65 * cm)
        canvas.setFont(fonts.regular, 8)
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


def render_document_pdf(document, html, *, signatures=(), verification=None, letterhead=None, load_image=None,
                        fonts=None) -> bytes:
    """The PDF bytes of an internal document: letterhead, `html` (already sanitised), signature footers
    (SignatureFooter) and the verification block (Verification), "Página X de Y" and the reference line.
    `load_image(src)` gives the bytes of an <img> (None: left out); `fonts`: pdf_fonts (default: installed)."""
    letterhead = letterhead or letterhead_for(document)
    fonts = fonts or family_for(html, document.title, letterhead.organization, letterhead.unit,
                                *(f"{s.name} {s.role} {s.legal_text}" for s in signatures))
    reference = f"Referência: Processo nº {document.process.number} — SEI nº {document.sei}"
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=document.title, author=letterhead.organization,
                          subject=reference, creator="Expediente", invariant=1)
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                       onPage=_page_furniture(letterhead, reference, fonts))])
    story = Converter(load_image, fonts, FRAME_W).blocks(parse(html).children) or [Paragraph("&nbsp;", styles_for(fonts)["p"])]
    story += signature_flowables(signatures, verification, fonts)
    doc.build(story, canvasmaker=partial(_NumberedCanvas, footer_font=fonts.regular))
    return buffer.getvalue()
