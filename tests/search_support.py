"""Builders for the search and export tests: documents with a given text, scanned pages, CM's export."""
import io

from sqlalchemy import select, text

from app.extensions import db as _db
from app.models.search import ExportJob
from app.services import documents
from tests.documents_support import external, internal, make_process  # noqa: F401  (re-exported)


def write(document, unit, user, body):
    """Give an internal document the text `body` (one new version)."""
    documents.save_version(document, f"<p>{body}</p>", by=user, unit=unit, base_version=document.current_version)
    _db.session.flush()
    return document


def doc_with(process, unit, user, body, **kw):
    return write(internal(process, unit, user, **kw), unit, user, body)


def clear_index():
    """Empty the index (ids are reused on SQLite between tests)."""
    _db.session.execute(text("DELETE FROM document_text"))
    if _db.session.get_bind().dialect.name == "sqlite":
        _db.session.execute(text("INSERT INTO document_fts(document_fts) VALUES ('delete-all')"))
    _db.session.commit()


def scanned_pdf(words="Requerimento de alvara sanitario"):
    """A PDF page that is only an image of text (no text layer), like a scanner makes."""
    from PIL import Image, ImageDraw, ImageFont
    image = Image.new("L", (1700, 600), 255)
    font = ImageFont.load_default(size=64)
    ImageDraw.Draw(image).text((80, 240), words, fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=200.0)
    return buffer.getvalue()


def text_image_png(words="Parecer sobre pavimentacao"):
    from PIL import Image, ImageDraw, ImageFont
    image = Image.new("L", (1600, 400), 255)
    ImageDraw.Draw(image).text((60, 150), words, fill=0, font=ImageFont.load_default(size=60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    return buffer.getvalue()


def cm_export(w, db):
    """An export job of the câmara (CM) for the access tests."""
    if getattr(w, "cm_export", None) is None:
        from tests.process_factory import cm_objects
        cm_objects(w, db)
        job = ExportJob(process_id=w.cm_process.id, user_id=w.caio.id, unit_id=w.presi.id, kind="pdf",
                        document_ids=[], status="done", filename="x.pdf")
        db.session.add(job)
        db.session.commit()
        w.cm_export = job
    return w


def export_ids():
    return list(_db.session.scalars(select(ExportJob.id)))
