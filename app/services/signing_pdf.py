"""The signed rendition of a document: frozen inputs → PDF (reportlab, deterministic) → PAdES seal → storage.

Only frozen inputs are read here (DocumentFreeze + the signatures' own snapshots + content-addressed
bytes), never the live model, letterhead or órgão settings: a co-signature years later prints the
same letterhead and text as the first signature did."""
import hashlib
import io
import json
import re
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Document, DocumentSettings, Rendition
from app.models.document import CONFERENCE_TYPES
from app.models.signature import DocumentFreeze
from app.services import access, pdf, pdf_fonts, seal, storage

# The renderer recorded at freezing, bumped when the rendering of frozen inputs changes on purpose: each
# number is a font family, so co-signatures print in the font of the first signature (when installed).
RENDERER_FONTS = {1: "helvetica", 2: "dejavu", 3: "liberation"}
IMAGE_SRC = re.compile(r'src="/documentos/imagens/([0-9a-f]{64})"')
PDF_MEDIA = "application/pdf"
IMAGE_MEDIA = ("image/png", "image/jpeg", "image/tiff")
STAMP_SIZE, STAMP_MARGIN = 7, 12


def verify_url(org):
    """The public verification page printed on documents: the órgão's public address, else the install's."""
    base = org.public_base_url or current_app.config.get("PUBLIC_BASE_URL") or ""
    return base.rstrip("/") + "/conferir"


def qr_url(freeze):
    return f"{freeze.verify_url}?{urlencode({'codigo': freeze.sei, 'crc': freeze.crc})}"


def crc_of(content_hash):
    """The código CRC: 8 uppercase hex characters of the content's SHA-256."""
    return content_hash[:8].upper()


def _hash(values):
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- freezing ----------------------------------------------------------------------------------

def _visible_images(html, user, unit, org_id):
    """The images of the text (stored by SHA-256) that the signer may see; only those are printed."""
    shas = []
    for sha in dict.fromkeys(IMAGE_SRC.findall(html or "")):
        candidates = db.session.scalars(select(Document).where(
            Document.blob_sha256 == sha, Document.organization_id == org_id).limit(20))
        if any(access.can_view_document(user, unit, d) and not d.is_cancelled for d in candidates):
            shas.append(sha)
    return shas


def _brasao_sha256(settings):
    """The brasão printed on the PDF: the PNG when there is one (as before SVGs were drawn), else the SVG."""
    return (settings.brasao_png_sha256 or settings.brasao_svg_sha256) if settings else None


def freeze_document(document, *, by, unit):
    """The frozen inputs of the document's PDF and its content hash; the CRC follows from the hash."""
    from app.services.documents import current_html
    org = document.unit.organization
    settings = db.session.get(DocumentSettings, org.id)  # the issuing órgão's brasão (documents.py)
    values = dict(kind=document.kind, title=document.title, sei=document.sei, process_number=document.process.number,
                  org_name=org.name, unit_line=f"{document.unit.name} ({document.unit.sigla_path})",
                  brasao_sha256=_brasao_sha256(settings), verify_url=verify_url(org))
    if document.is_internal:
        values["html"] = current_html(document)
        values["image_shas"] = _visible_images(values["html"], by, unit, document.organization_id)
        content_hash = _hash(values)
    else:
        values.update(html=None, image_shas=[])
        content_hash = document.blob_sha256        # external: the file's own bytes
    values.pop("kind")
    fonts = pdf_fonts.family_for(values["html"], values["title"], values["org_name"], values["unit_line"], by.name)
    renderer = next(number for number, key in RENDERER_FONTS.items() if key == fonts.key)
    freeze = DocumentFreeze(document_id=document.id, content_hash=content_hash, crc=crc_of(content_hash),
                            renderer=renderer, **values)
    db.session.add(freeze)
    db.session.flush()
    return freeze


# --- rendering ---------------------------------------------------------------------------------

def _letterhead(freeze):
    return pdf.brasao_letterhead(freeze.org_name, freeze.unit_line, freeze.brasao_sha256, strict=True)


def _footers(signatures):
    return [pdf.SignatureFooter(s.name, s.role, s.signed_at, s.legal_text,
                                CONFERENCE_TYPES.get(s.conference, s.conference) if s.conference else None)
            for s in signatures]


def _fonts(freeze):
    return pdf_fonts.family_or_default(RENDERER_FONTS.get(freeze.renderer, "helvetica"))


def _frozen_document(freeze):
    """What pdf.render_document_pdf reads of a document, taken from the freeze."""
    return SimpleNamespace(title=freeze.title, sei=freeze.sei, process=SimpleNamespace(number=freeze.process_number))


def render_pdf(document, freeze, signatures):
    """The unsealed PDF bytes for these signatures: the same inputs always give the same bytes."""
    verification = pdf.Verification(freeze.verify_url, freeze.sei, freeze.crc, qr_url(freeze))
    if freeze.html is not None:
        images = set(freeze.image_shas or ())
        files = storage.get_storage()
        return pdf.render_document_pdf(_frozen_document(freeze), freeze.html, signatures=_footers(signatures),
                                       verification=verification, letterhead=_letterhead(freeze),
                                       fonts=_fonts(freeze), load_image=lambda src: files.read(src.rsplit("/", 1)[-1])
                                       if src.rsplit("/", 1)[-1] in images else None)
    return _authenticated_copy(document, freeze, signatures, verification)


def preview_pdf(document, *, user, unit):
    """An unsigned internal document as it would be signed now by `user` (for a block's units): only the
    images of its text that this user may see are printed, as at freezing."""
    from app.services.documents import current_html
    files = storage.get_storage()
    html = current_html(document)
    shas = set(_visible_images(html, user, unit, document.organization_id))
    return pdf.render_document_pdf(document, html, load_image=lambda src: files.read(src.rsplit("/", 1)[-1])
                                   if src.rsplit("/", 1)[-1] in shas else None)


def _termo_html(document, freeze):
    blob = document.blob
    rows = [("Documento", f"{freeze.title} (SEI nº {freeze.sei})"), ("Arquivo", document.filename or "—"),
            ("Tamanho", f"{blob.size:,} bytes".replace(",", ".")), ("SHA-256 do arquivo", freeze.content_hash),
            ("Data do documento", document.document_date.strftime("%d/%m/%Y") if document.document_date else "—")]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return ("<h3>Termo de autenticação de documento digitalizado</h3>"
            "<p>O documento abaixo identificado foi digitalizado e conferido com o documento apresentado, nos termos "
            "da Lei nº 12.682, de 9 de julho de 2012. As páginas anteriores deste arquivo, quando presentes, "
            "reproduzem o arquivo incluído no processo, sem alteração de conteúdo.</p>"
            f"<table><tbody>{cells}</tbody></table>")


def _authenticated_copy(document, freeze, signatures, verification):
    """External document: its pages (PDF or image) stamped on the margin, then the termo with the footers."""
    import pikepdf
    termo = pdf.render_document_pdf(_frozen_document(freeze), _termo_html(document, freeze),
                                    signatures=_footers(signatures), verification=verification,
                                    letterhead=_letterhead(freeze), fonts=_fonts(freeze))
    copy = _copy_pages(document)
    if copy is None:
        return termo
    stamp = f"Documento autenticado — SEI nº {freeze.sei} — CRC {freeze.crc} — conferir em {freeze.verify_url}"
    with pikepdf.open(io.BytesIO(copy)) as output, pikepdf.open(io.BytesIO(termo)) as last:
        overlay = pikepdf.open(io.BytesIO(_stamps(output, stamp)))
        for number, page in enumerate(output.pages):
            page.add_overlay(overlay.pages[number])
        output.pages.extend(last.pages)
        output.docinfo["/Title"] = freeze.title
        output.docinfo["/Creator"] = "Expediente"
        buffer = io.BytesIO()
        output.save(buffer, deterministic_id=True, compress_streams=True)
        overlay.close()
        return buffer.getvalue()


def _copy_pages(document):
    """The original as PDF bytes (images converted), or None when it is not a PDF or an image (or unreadable)."""
    import pikepdf
    blob = document.blob
    media = (blob.media_type or "").split(";")[0]
    path = storage.get_storage().path(blob.sha256)
    try:
        if media == PDF_MEDIA:
            with pikepdf.open(path) as original:   # normalised copy: the stored original is never touched
                buffer = io.BytesIO()
                original.save(buffer, deterministic_id=True)
                return buffer.getvalue()
        if media in IMAGE_MEDIA:
            from app.services.pdf_stamp import image_to_pdf
            buffer = io.BytesIO()
            image_to_pdf(path, buffer)
            return buffer.getvalue()
    except Exception:  # noqa: BLE001 - an unreadable original still gets its termo de autenticação
        current_app.logger.warning("autenticação: cópia de %s ilegível; só o termo", document.sei)
    return None


def _stamps(output, text):
    """One overlay page per page: the authentication line along the bottom edge as the reader sees it."""
    from reportlab.lib import colors
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    stamps = canvas.Canvas(buffer, invariant=1)
    for page in output.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        width, height = x1 - x0, y1 - y0
        rotate = int(page.obj.get("/Rotate", 0)) % 360
        stamps.setPageSize((width, height))
        m = STAMP_MARGIN   # the reader's bottom-left corner and reading direction, for each /Rotate
        origin, angle = {90: ((width - m, m), 90), 180: ((width - m, height - m), 180),
                         270: ((m, height - m), -90)}.get(rotate, ((m, m), 0))
        stamps.translate(*origin)
        stamps.rotate(angle)
        stamps.setFont("Helvetica", STAMP_SIZE)
        stamps.setFillColor(colors.HexColor("#1f4e79"))
        stamps.drawString(0, 0, text[:200])
        stamps.showPage()
    stamps.save()
    return buffer.getvalue()


# --- sealing and storing ----------------------------------------------------------------------

@dataclass
class Stored:
    sha256: str
    level: str


def seal_and_store(document, data):
    """Seal with the órgão's certificate, write the bytes (fsynced) and add the rendition row."""
    org = document.unit.organization
    sealed, level = seal.seal_pdf(org, data, reason=f"Documento SEI nº {document.sei} assinado eletronicamente")
    blob = storage.store(io.BytesIO(sealed), PDF_MEDIA)
    db.session.add(Rendition(document_id=document.id, blob_sha256=blob.sha256, kind="signed_pdf"))
    db.session.flush()
    return Stored(blob.sha256, level)


def current_rendition(document_id):
    """The document's current signed PDF: its latest rendition not superseded by an edit, or None."""
    return db.session.scalar(select(Rendition).where(
        Rendition.document_id == document_id, Rendition.superseded_at.is_(None))
        .order_by(Rendition.id.desc()).limit(1))


def latest_rendition(document):
    """The SHA-256 of the document's current signed PDF, or None."""
    rendition = current_rendition(document.id)
    return rendition.blob_sha256 if rendition is not None else None


def active_freeze(document):
    return db.session.scalar(select(DocumentFreeze).where(
        DocumentFreeze.document_id == document.id, DocumentFreeze.cancelled_at.is_(None))
        .order_by(DocumentFreeze.id.desc()).limit(1))
