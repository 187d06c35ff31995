"""Keeping the search index up to date: extraction (and OCR) jobs, the commit hook, `flask reindex`.

Any commit that creates or changes a document (new version, cancel, delete, new file) marks its
`document_text` row pending ("indexando…" in the tree) in the same transaction, and enqueues the
`index_document` job after the commit. When jobs run immediately (tests), the indexing happens
inside the commit instead. A commit that creates or changes a process (number, type, especificação,
interessados) rewrites its two `process_text` rows in the same commit (no extraction: it is cheap).
No other module has to call anything: the hook watches the session.
Indexing never breaks the caller's commit: it runs in a savepoint and records failures."""
import logging

from flask import current_app
from sqlalchemy import event, select, text

from app.extensions import db
from app.jobs import huey, job
from app.models import Contact, Process, ProcessInterested
from app.models.document import Blob, Document, DocumentVersion
from app.models.base import utcnow
from app.models.search import DocumentText
from app.services import ocr, search_candidates, search_process_index, search_terms, text_extract

log = logging.getLogger(__name__)
MAX_TERMS = 60_000           # per document: keeps a PostgreSQL tsvector well under its 1 MB limit
WATCHED = ("state", "current_version", "deleted_at", "cancelled_at", "blob_sha256", "title", "description")
PROCESS_WATCHED = ("number", "type_id", "specification")
MIN_OCR_PIXELS = 200 * 40    # smaller images cannot hold a readable word
# Called with the document id after each (re)index; other modules may append (e.g. caches).
on_document_indexed = []


# --- writing the index -----------------------------------------------------------------------

def _dialect():
    return db.session.get_bind().dialect.name


_UPSERT = """INSERT INTO document_text (document_id, status, source, text, terms, error, attempts, updated_at{pg_col})
VALUES (:id, :status, :source, :text, :terms, :error, :attempts, :now{pg_val})
ON CONFLICT (document_id) DO UPDATE SET status = excluded.status, source = excluded.source, text = excluded.text,
terms = excluded.terms, error = excluded.error, attempts = excluded.attempts, updated_at = excluded.updated_at{pg_set}"""


def pg_tsv():
    """The terms plus the id's bucket lexeme (see search_candidates); NULL terms → NULL tsvector."""
    return (f"to_tsvector('simple', :terms) || "
            f"array_to_tsvector(ARRAY['_b' || (CAST(:id AS integer) / {search_candidates.BUCKET})])")


def write_entry(document_id, *, status, source=None, text_value=None, terms=None, error=None, attempts=0):
    """Insert or replace the document's row; SQLite's triggers keep FTS5 in step, PostgreSQL gets its tsvector."""
    write_entries([dict(id=document_id, status=status, source=source, text=text_value, terms=terms,
                        error=(error or None) and error[:500], attempts=attempts)])


def write_entries(rows):
    """Many rows at once (dicts with id, status, source, text, terms, error, attempts): `flask reindex`, bench."""
    now = utcnow().replace(tzinfo=None)
    params = [dict(row, now=now) for row in rows]
    if _dialect() == "postgresql":
        sql = _UPSERT.format(pg_col=", tsv", pg_val=f", {pg_tsv()}", pg_set=", tsv = excluded.tsv")
        sql = sql.replace(":terms, :error", "NULL, :error", 1)  # terms only feed the tsvector there
    else:
        sql = _UPSERT.format(pg_col="", pg_val="", pg_set="")
    if params:
        db.session.execute(text(sql), params)


def mark_pending(document_ids):
    """Mark rows pending (keeping their current text searchable until the new one is ready)."""
    now = utcnow().replace(tzinfo=None)
    for document_id in document_ids:
        db.session.execute(text(
            "INSERT INTO document_text (document_id, status, attempts, updated_at) VALUES (:id, 'pending', 0, :now) "
            "ON CONFLICT (document_id) DO UPDATE SET status = 'pending', updated_at = excluded.updated_at"),
            dict(id=document_id, now=now))


# --- extraction --------------------------------------------------------------------------------

def _header(document):
    """Words that identify the document (type, title, description, file name, número SEI)."""
    parts = [document.type.name if document.type else "", document.title, document.description or "",
             document.filename or "", document.sei]
    return " ".join(p for p in parts if p)


def extract(document):
    """(status, source, text) for the document; OCR when the file has no text layer and OCR is on."""
    if document.is_internal:
        from app.services.documents import current_html
        return "done", "html", text_extract.html_text(current_html(document))
    blob = db.session.get(Blob, document.blob_sha256) if document.blob_sha256 else None
    if blob is None:
        return "skipped", None, ""
    from app.services.storage import get_storage
    path = get_storage().path(blob.sha256)
    found = text_extract.extract_file(path, blob.media_type)
    if found is None:
        return "skipped", None, ""
    if not found.needs_ocr:
        return "done", found.source, found.text
    if not ocr.enabled():
        return ("done", found.source, found.text) if found.text else ("skipped", None, "")
    if found.source == "ocr" and _too_small(path):
        return "skipped", None, ""
    recognised = ocr.ocr_pdf(path) if found.source == "pdf" else ocr.ocr_image(path)
    return "done", "ocr", text_extract.tidy(f"{found.text}\n\n{recognised}")


def _too_small(path):
    from PIL import Image
    try:
        with Image.open(path) as image:
            return image.width * image.height < MIN_OCR_PIXELS
    except Exception:  # noqa: BLE001 - unreadable image: let the OCR report it
        return False


def prepare_entry(document_id):
    """The row to write for the document (extraction and OCR happen here, reads only), or None."""
    document = db.session.get(Document, document_id)
    if document is None:
        return None
    if document.deleted_at is not None or document.is_cancelled:
        return dict(status="skipped")
    previous = db.session.get(DocumentText, document_id)
    attempts = (previous.attempts if previous is not None else 0) + 1
    try:
        status, source, body = extract(document)
    except Exception as error:  # noqa: BLE001 - a broken file is recorded, not raised
        log.warning("indexing document %s failed: %s", document_id, error)
        message = error.args[0] if isinstance(error, ocr.OcrError) and error.args else \
            f"Não foi possível ler o texto do arquivo ({type(error).__name__})."
        return dict(status="failed", terms=search_terms.terms(_header(document), MAX_TERMS), error=str(message),
                    attempts=attempts)
    return dict(status=status, source=source, text_value=body or None, attempts=attempts,
                terms=search_terms.terms(f"{_header(document)}\n{body}", MAX_TERMS))


def _write(document_id, entry):
    if entry is None:
        return None
    write_entry(document_id, **entry)
    for hook in on_document_indexed:
        hook(document_id)
    return entry["status"]


def index_document_now(document_id):
    """Extract and index one document in the current transaction; never raises for a bad file."""
    return _write(document_id, prepare_entry(document_id))


@job(retries=2, retry_delay=30)
def index_document(document_id):
    """Background job: (re)index one document (its text, or OCR of a scan)."""
    entry = prepare_entry(document_id)
    db.session.rollback()  # end the read transaction: on SQLite a write must start its own (app/database.py)
    return _write(document_id, entry)


# --- the commit hook ---------------------------------------------------------------------------

def _changed_documents(session):
    ids = set()
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Document):
            state = db.inspect(obj)
            if obj in session.new or any(state.attrs[name].history.has_changes() for name in WATCHED):
                ids.add(obj.id)
        elif isinstance(obj, DocumentVersion) and obj in session.new:
            ids.add(obj.document_id)
    return ids


def _changed_processes(session):
    ids, contacts = set(), set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Process):
            state = db.inspect(obj)
            if obj in session.new or any(state.attrs[name].history.has_changes() for name in PROCESS_WATCHED):
                ids.add(obj.id)
        elif isinstance(obj, ProcessInterested):
            ids.add(obj.process_id)
        elif isinstance(obj, Contact) and obj not in session.new and obj not in session.deleted:
            contacts.add(obj.id)
    if contacts:
        ids.update(session.scalars(select(ProcessInterested.process_id).where(
            ProcessInterested.contact_id.in_(contacts))))
    return {i for i in ids if i is not None}


def _after_flush(session, flush_context):
    ids = _changed_documents(session)
    if ids:
        session.info.setdefault("search_changed", set()).update(i for i in ids if i is not None)
    processes = _changed_processes(session)
    if processes:
        session.info.setdefault("search_processes", set()).update(processes)


def _before_commit(session):
    # savepoints (begin_nested) fire the commit events too: act only on the real commit
    if session.in_nested_transaction() or session.info.get("search_busy") or not current_app:
        return
    session.flush()
    _index_changed_processes(session)
    ids = sorted(session.info.pop("search_changed", set()))
    if not ids:
        return
    session.info["search_busy"] = True  # also tells _after_commit to ignore the savepoint's own commit
    try:
        with session.begin_nested():
            if huey.immediate:
                for document_id in ids:
                    index_document_now(document_id)
            else:
                mark_pending(ids)
        if not huey.immediate:
            session.info.setdefault("search_enqueue", set()).update(ids)
    except Exception:  # noqa: BLE001 - never break the caller's commit; `flask reindex` repairs
        log.exception("search index hook failed for documents %s", ids)
    finally:
        session.info.pop("search_busy", None)


def _index_changed_processes(session):
    ids = session.info.pop("search_processes", None)
    if not ids:
        return
    session.info["search_busy"] = True
    try:
        with session.begin_nested():
            search_process_index.index_processes_now(ids)
    except Exception:  # noqa: BLE001 - never break the caller's commit; `flask reindex` repairs
        log.exception("search index hook failed for processes %s", sorted(ids))
    finally:
        session.info.pop("search_busy", None)


def _after_commit(session):
    if session.in_nested_transaction() or session.info.get("search_busy"):
        return
    ids = session.info.pop("search_enqueue", None)
    for document_id in sorted(ids or ()):
        try:
            index_document(document_id)
        except Exception:  # noqa: BLE001 - the row stays pending; `flask reindex --pending` picks it up
            log.exception("could not enqueue indexing of document %s", document_id)


def _after_rollback(session):
    session.info.pop("search_changed", None)
    session.info.pop("search_processes", None)
    session.info.pop("search_enqueue", None)


_installed = []


def init_hooks():
    """Listen on the scoped session once per process (several apps may be created, e.g. in tests)."""
    if not _installed:
        _installed.append(True)
        event.listen(db.session, "after_flush", _after_flush)
        event.listen(db.session, "before_commit", _before_commit)
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", lambda session, previous: _after_rollback(session))


# --- status for the tree, and `flask reindex` --------------------------------------------------

def index_status(document):
    """pending | done | failed | skipped | None (never indexed) — for "indexando…" in the tree."""
    return db.session.scalar(select(DocumentText.status).where(DocumentText.document_id == document.id))


def pending_ids(process):
    """Ids of the process's documents still being indexed (one query for the whole tree)."""
    return set(db.session.scalars(select(DocumentText.document_id).join(Document).where(
        Document.process_id == process.id, DocumentText.status == "pending")))


def reindex(*, only_pending=False, background=False, batch=200, only_processes=False, echo=print):
    """Reconstrói o índice de pesquisa (texto dos documentos, OCR incluído, e dados dos processos)."""
    if only_processes:
        echo(f"{search_process_index.reindex_processes(batch)} processos indexados.")
        return
    query = select(Document.id).order_by(Document.id)
    if only_pending:
        query = query.outerjoin(DocumentText).where(
            (DocumentText.status.in_(("pending", "failed"))) | (DocumentText.document_id.is_(None)))
    ids = list(db.session.scalars(query))
    session_info = db.session.info
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        session_info["search_busy"] = True
        try:
            if background:
                mark_pending(chunk)
            else:
                for document_id in chunk:
                    index_document_now(document_id)
            db.session.commit()
        finally:
            session_info.pop("search_busy", None)
        if background:
            for document_id in chunk:
                index_document(document_id)
        done += len(chunk)
        echo(f"{done}/{len(ids)} documentos {'enfileirados' if background else 'indexados'}.")
    if not only_pending:
        echo(f"{search_process_index.reindex_processes(batch)} processos indexados.")
    if _dialect() == "sqlite" and not only_pending and not background:
        for table in ("document_fts", "process_fts"):
            db.session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
        db.session.commit()
    echo("Índice de pesquisa atualizado.")
