"""Gerar PDF do processo and Gerar ZIP: what the user may see, in tree order, with flat memory.

PDF: a cover (process data, the documents with their folhas), then each document — its stored
signed rendition, else the internal text rendered (app/services/pdf.py), the external PDF as is,
images converted — every page stamped "Processo nº … — fl. N" and a bookmark per document.
Pages are merged with pikepdf (qpdf), which copies page data from the source files only when
writing the output file, so memory does not grow with the size of the process.
ZIP: every file plus manifest.csv (número SEI, tipo, nome, data, SHA-256), streamed."""
import csv
import hashlib
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.jobs import huey, job
from app.models import Unit, User
from app.models.document import Blob, Document
from app.models.base import utcnow
from app.models.search import ExportJob
from app.services import access, pdf_stamp
from app.services.errors import Duplicate, Forbidden, InvalidInput
from app.services.storage import get_storage

PDF_KINDS = {"application/pdf"}
IMAGE_KINDS = {"image/png", "image/jpeg", "image/tiff"}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"}
CHUNK = 1024 * 1024
SAFE_NAME = re.compile(r"[^\w.\- ]+")


# --- what goes in ------------------------------------------------------------------------------

def exportable_documents(process, user, unit):
    """The documents of the process the user may read, not cancelled, in tree order."""
    access.require_readable(user, unit, process)
    rows = db.session.scalars(select(Document).where(Document.process_id == process.id, Document.deleted_at.is_(None))
                              .order_by(Document.id))
    return [d for d in rows if access.can_export_document(user, unit, d)]


def chosen_documents(process, user, unit, document_ids=None):
    """The picked documents (default: all the user may see); InvalidInput for an id outside that list."""
    allowed = exportable_documents(process, user, unit)
    if not document_ids:
        chosen = allowed
    else:
        wanted = set(document_ids)
        chosen = [d for d in allowed if d.id in wanted]
        if len(chosen) != len(wanted):
            raise InvalidInput("Um dos documentos escolhidos não pode ser exportado (cancelado, excluído ou sem "
                               "acesso). Atualize a página e escolha de novo.", "document_ids")
    if not chosen:
        raise InvalidInput("Não há documentos que você possa exportar neste processo.", "document_ids")
    return chosen


def _rendition_blob(document):
    from app.services.signing_pdf import latest_rendition
    return latest_rendition(document)   # the current signed PDF (never a superseded one)


def _blob(sha256):
    return db.session.get(Blob, sha256) if sha256 else None


def render_internal(document, user, unit):
    """The PDF bytes of an internal document without a stored rendition (images the user may see)."""
    from app.services.documents import current_html
    from app.services.pdf import render_document_pdf
    return render_document_pdf(document, current_html(document),
                               load_image=_image_loader(user, unit, document.organization_id))


def _image_loader(user, unit, org_id):
    """Images of the text: documents of the process's órgão (which may be another órgão's, routed here)."""
    from app.services.sanitize import IMAGE_SRC
    storage = get_storage()

    def load(src):
        match = IMAGE_SRC.match(src or "")
        sha = (src or "").rsplit("/", 1)[-1]
        if not match:
            return None
        candidates = db.session.scalars(select(Document).where(
            Document.blob_sha256 == sha, Document.organization_id == org_id).limit(20))
        if any(access.can_export_document(user, unit, d) for d in candidates):
            return storage.read(sha)
        return None
    return load


# --- the process PDF ---------------------------------------------------------------------------

@dataclass
class Part:
    document: Document
    path: str | None = None      # a PDF file to merge (None: not convertible)
    pages: int = 0
    first_page: int = 0
    note: str = ""


def _part_pdf(document, user, unit, tmp):
    """Path of a PDF for the document (stored file, or a temp file), or (None, reason)."""
    storage = get_storage()
    rendition = _rendition_blob(document)
    if rendition:
        return str(storage.path(rendition)), ""
    if document.is_internal:
        path = os.path.join(tmp, f"{document.id}.pdf")
        Path(path).write_bytes(render_internal(document, user, unit))
        return path, ""
    blob = _blob(document.blob_sha256)
    media = (blob.media_type.split(";")[0] if blob else "")
    if media in PDF_KINDS:
        return str(storage.path(blob.sha256)), ""
    if media in IMAGE_KINDS:
        path = os.path.join(tmp, f"{document.id}.pdf")
        pdf_stamp.image_to_pdf(storage.path(blob.sha256), path)
        return path, ""
    return None, "formato não convertível para PDF (incluído no ZIP)"


def build_pdf(process, documents, out_path, *, user, unit, progress=None):
    """Write the process PDF to `out_path`; returns the number of pages. `progress(done, total)` is called
    after each document."""
    import pikepdf
    parts, total = [], len(documents)
    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        for index, document in enumerate(documents, start=1):
            try:
                path, note = _part_pdf(document, user, unit, tmp)
                pages = pdf_stamp.page_count(path) if path else 0
            except Exception:  # noqa: BLE001 - a broken file is listed on the cover, not fatal
                path, pages, note = None, 0, "arquivo ilegível: não foi possível convertê-lo"
            parts.append(Part(document, path if pages else None, pages, note=note or ("" if pages else
                                                                                      "arquivo sem páginas")))
            if progress:
                progress(index, total + 1)
        cover_path = os.path.join(tmp, "capa.pdf")
        page = pdf_stamp.write_cover(process, parts, cover_path, by=user, unit=unit)
        page += sum(part.pages for part in parts if part.path)
        with pikepdf.open(cover_path) as cover, pikepdf.new() as output:
            output.add_pages_from(cover, forms="strip")
            sources = []
            try:
                for part in parts:
                    if part.path:
                        source = pikepdf.open(part.path)
                        sources.append(source)
                        # The merged file is not the signed file: each signature stays verifiable in its
                        # own stored PDF, so the (now meaningless) signature fields are not carried over.
                        output.add_pages_from(source, forms="strip")
                stamp_path = os.path.join(tmp, "carimbos.pdf")
                pdf_stamp.write_stamps(output, process.number, stamp_path)
                with pikepdf.open(stamp_path) as stamps:
                    for number, target in enumerate(output.pages):
                        target.add_overlay(stamps.pages[number])
                    with output.open_outline() as outline:
                        outline.root.append(pikepdf.OutlineItem("Capa", 0))
                        for part in parts:
                            if part.path:
                                outline.root.append(pikepdf.OutlineItem(part.document.tree_label,
                                                                        part.first_page - 1))
                    output.docinfo["/Title"] = f"Processo nº {process.number}"
                    output.docinfo["/Creator"] = "Expediente"
                    output.save(out_path, linearize=False, compress_streams=True)
            finally:
                for source in sources:
                    source.close()
    if progress:
        progress(total + 1, total + 1)
    return page


# --- export jobs (the background PDF) ----------------------------------------------------------

def export_dir():
    path = Path(current_app.config.get("EXPORT_DIR") or Path(current_app.config["STORAGE_DIR"]).parent / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_path(export):
    return export_dir() / f"{export.id}.pdf"


def remove_old_files(max_age_hours=None):
    """Exports are kept for EXPORT_KEEP_HOURS (default 24) and then deleted; the job row stays."""
    import time
    hours = max_age_hours if max_age_hours is not None else current_app.config.get("EXPORT_KEEP_HOURS", 24)
    limit = time.time() - hours * 3600
    for path in export_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def start_pdf_export(process, *, by, unit, document_ids=None):
    """Record a PDF export (the caller commits, then calls `run_export(export.id)`); one at a time per process."""
    remove_old_files()
    documents = chosen_documents(process, by, unit, document_ids)
    running = db.session.scalar(select(ExportJob.id).where(
        ExportJob.user_id == by.id, ExportJob.process_id == process.id, ExportJob.status.in_(("queued", "running"))))
    if running:
        raise Duplicate("Já há uma exportação deste processo em andamento; aguarde ela terminar para pedir outra.")
    export = ExportJob(process_id=process.id, user_id=by.id, unit_id=unit.id, kind="pdf",
                       document_ids=[d.id for d in documents], total=len(documents) + 1, status="queued")
    db.session.add(export)
    db.session.flush()
    return export


def require_own_export(user, process, export):
    if export is None or export.process_id != process.id or export.user_id != user.id:
        raise Forbidden("Exportação não encontrada.")
    return export


def _save(export_id, session_export, separate, **values):
    """Record progress/outcome: in the worker, in its own short transaction (the first statement a write,
    so SQLite queues it instead of failing); in immediate mode, on the session object."""
    if separate:
        from sqlalchemy import update
        with db.engine.begin() as conn:
            conn.execute(update(ExportJob).where(ExportJob.id == export_id).values(**values))
    else:
        for key, value in values.items():
            setattr(session_export, key, value)
        db.session.flush()


def run_export_now(export_id, separate=False):
    """Build the file of an export job; failures are recorded on the job, not raised."""
    from app.models import Unit, User
    export = db.session.get(ExportJob, export_id)
    if export is None or export.status not in ("queued", "running"):
        return None
    user, unit = db.session.get(User, export.user_id), db.session.get(Unit, export.unit_id)

    def progress(done, total):
        _save(export_id, export, separate, done=done, total=total, status="running")
    try:
        documents = chosen_documents(export.process, user, unit, export.document_ids)
        progress(0, len(documents) + 1)
        target = job_path(export)
        partial = target.with_suffix(".part")
        pages = build_pdf(export.process, documents, str(partial), user=user, unit=unit, progress=progress)
        os.replace(partial, target)
        outcome = dict(pages=pages, size=target.stat().st_size, status="done",
                       filename=f"processo-{re.sub(r'[^0-9]', '', export.process.number)}.pdf")
    except Exception as error:  # noqa: BLE001 - the clerk sees the reason on the progress page
        outcome = dict(status="failed",
                       message=getattr(error, "message", None) or "Não foi possível gerar o PDF; tente de novo.")
    _save(export_id, export, separate, finished_at=utcnow(), **outcome)
    return outcome["status"]


@job(retries=0)
def run_export(export_id):
    """Background job: build one process PDF, committing progress as it goes."""
    if not huey.immediate:
        db.session.rollback()  # no read snapshot held while building (SQLite writers queue, not fail)
    return run_export_now(export_id, separate=not huey.immediate)


def is_small(documents):
    """Small exports are built during the request; larger ones go to the worker."""
    limit_docs = int(current_app.config.get("EXPORT_SYNC_DOCUMENTS", 30))
    limit_bytes = int(current_app.config.get("EXPORT_SYNC_BYTES", 20 * 1024 * 1024))
    shas = [d.blob_sha256 for d in documents if d.blob_sha256]
    size = sum(db.session.scalars(select(Blob.size).where(Blob.sha256.in_(shas)))) if shas else 0
    return len(documents) <= limit_docs and size <= limit_bytes


# --- the ZIP -----------------------------------------------------------------------------------

class _Sink:
    """A write-only stream that zipfile writes into and the response reads from, chunk by chunk."""

    def __init__(self):
        self.chunks, self.position = [], 0

    def write(self, data):
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def take(self):
        data, self.chunks = b"".join(self.chunks), []
        return data


def _zip_name(document, extension, used):
    base = SAFE_NAME.sub("_", f"{document.sei} - {document.type.name} {document.number or ''}".strip())[:100]
    name, n = f"{base}{extension}", 2
    while name in used:
        name, n = f"{base} ({n}){extension}", n + 1
    used.add(name)
    return name


def zip_stream(process, documents, *, user, unit):
    """The bytes of a ZIP of the documents and manifest.csv, never holding a whole file in memory.

    The bytes are produced after the view has returned, when the request's database session is
    gone: the generator loads its rows again, by id, in the session of the streaming context."""
    return _zip_chunks([document.id for document in documents], user.id, unit.id)


def _zip_chunks(document_ids, user_id, unit_id):
    user, unit = db.session.get(User, user_id), db.session.get(Unit, unit_id)
    loaded = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(document_ids)))}
    documents = [loaded[i] for i in document_ids if i in loaded]
    sink, used, manifest = _Sink(), set(), io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["numero_sei", "tipo", "nome", "data", "sha256"])
    storage = get_storage()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for document in documents:
            rendition = _rendition_blob(document)
            digest = hashlib.sha256()
            if rendition or document.blob_sha256:
                sha = rendition or document.blob_sha256
                blob = _blob(sha)
                extension = ".pdf" if rendition else _extension(document, blob)
                name = _zip_name(document, extension, used)
                with storage.open(sha) as source, archive.open(name, "w", force_zip64=True) as target:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        target.write(chunk)
                        yield sink.take()
            else:
                data = render_internal(document, user, unit)
                digest.update(data)
                name = _zip_name(document, ".pdf", used)
                archive.writestr(name, data)
            day = document.document_date or document.created_at
            writer.writerow([document.sei, document.type.name, name, day.strftime("%Y-%m-%d") if day else "",
                             digest.hexdigest()])
            yield sink.take()
        archive.writestr("manifest.csv", manifest.getvalue().encode("utf-8-sig"))
    yield sink.take()


def _extension(document, blob):
    if document.filename and "." in document.filename:
        return "." + SAFE_NAME.sub("", document.filename.rsplit(".", 1)[1])[:8].lower()
    return EXTENSIONS.get((blob.media_type if blob else "").split(";")[0], ".bin")
