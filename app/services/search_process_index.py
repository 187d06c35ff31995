"""The search index of processes: two `process_text` rows per process, the head (number and type) and
the row with content (+ especificação and interessados with CPF/CNPJ); see app/models/search.py.
Written in the same commit as the change (search_index's session hook) and by `flask reindex`."""
from sqlalchemy import select, text

from app.extensions import db
from app.models import Process
from app.models.base import utcnow
from app.models.search import ProcessText
from app.services import search_terms


def number_words(number):
    """"55555.000123/2026-45" → its pieces, the sequence without zeros with the year, and the digits."""
    pieces = search_terms.WORD_RE.findall(number or "")
    digits = "".join(pieces)
    extra = [pieces[-3].lstrip("0") or "0", pieces[-2]] if len(pieces) >= 3 else []
    return " ".join(pieces + extra + [digits])


def cpf_cnpj_words(digits):
    """CPF/CNPJ digits → the formatted pieces ("123 456 789 01") and the digits, so both ways are found."""
    if not digits:
        return ""
    if len(digits) == 11:
        pieces = [digits[:3], digits[3:6], digits[6:9], digits[9:]]
    elif len(digits) == 14:
        pieces = [digits[:2], digits[2:5], digits[5:8], digits[8:12], digits[12:]]
    else:
        pieces = []
    return " ".join(pieces + [digits])


def process_terms(process):
    """(head terms, full terms) of a process."""
    head = f"{number_words(process.number)}\n{process.type.name if process.type else ''}"
    people = " ".join(f"{item.contact.name} {cpf_cnpj_words(item.contact.document)}"
                      for item in process.interested if item.contact is not None)
    full = f"{head}\n{process.specification or ''}\n{people}"
    return search_terms.terms(head), search_terms.terms(full)


_PROCESS_UPSERT = """INSERT INTO process_text (id, process_id, with_content, terms, updated_at{pg_col})
VALUES (:id, :process_id, :with_content, :terms, :now{pg_val})
ON CONFLICT (id) DO UPDATE SET terms = excluded.terms, updated_at = excluded.updated_at{pg_set}"""


def write_process_entries(rows):
    """rows: (process_id, head terms, full terms) → the two process_text rows of each, inserted or replaced."""
    now = utcnow().replace(tzinfo=None)
    params = [dict(id=2 * process_id + full, process_id=process_id, with_content=bool(full), terms=terms, now=now)
              for process_id, head, body in rows for full, terms in ((0, head), (1, body))]
    if not params:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        from app.services.search_index import pg_tsv
        sql = _PROCESS_UPSERT.format(pg_col=", tsv", pg_val=f", {pg_tsv()}", pg_set=", tsv = excluded.tsv")
        sql = sql.replace(":with_content, :terms, :now", ":with_content, NULL, :now", 1)
    else:
        sql = _PROCESS_UPSERT.format(pg_col="", pg_val="", pg_set="")
    db.session.execute(text(sql), params)


def index_processes_now(process_ids):
    """Rewrite the index rows of these processes (a process that no longer exists loses them)."""
    ids = sorted(set(process_ids))
    if not ids:
        return
    found = {p.id: p for p in db.session.scalars(select(Process).where(Process.id.in_(ids)))}
    gone = [i for i in ids if i not in found]
    if gone:
        db.session.execute(ProcessText.__table__.delete().where(ProcessText.process_id.in_(gone)))
    write_process_entries([(p.id, *process_terms(p)) for p in found.values()])



def reindex_processes(batch=500):
    """Rewrite the index rows of every process (number, type, especificação, interessados)."""
    ids = list(db.session.scalars(select(Process.id).order_by(Process.id)))
    db.session.info["search_busy"] = True
    try:
        for start in range(0, len(ids), batch):
            index_processes_now(ids[start:start + batch])
            db.session.commit()
    finally:
        db.session.info.pop("search_busy", None)
    return len(ids)
