"""Sobrestar / Remover Sobrestamento, Dar Ciência, Atualizar Andamento and Excluir Processo."""
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Document, HistoryEntry, Process, ProcessUnit
from app.models.base import utcnow
from app.services import access, audit, form_tokens, history, movement
from app.services.errors import Duplicate, Forbidden, InvalidInput

REASON_MAX = 500
PROGRESS_MAX = 1000

audit.AUDIT_TEXTS.update({"process_deleted": "Processo {number} excluído pela unidade {sigla}"})


def _text(value, max_len, what, field):
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"Informe {what}.", field)
    if len(value) > max_len:
        raise InvalidInput(f"{what[2:].capitalize()} deve ter no máximo {max_len} caracteres.", field)
    return value


# --- Sobrestar -------------------------------------------------------------------------------

def suspend(process, unit, *, by, reason, tied_to=None, version=None):
    """Sobrestar: only when open in this unit alone; it leaves the inbox (Processos Sobrestados)."""
    movement.claim(process, version)
    row = access.require_acting(by, unit, process)
    if process.state == "suspended":
        raise InvalidInput("O processo já está sobrestado.")
    if process.state != "open":
        raise InvalidInput("Processo anexado não pode ser sobrestado.")
    others = [r for r in movement.open_rows(process) if r.unit_id != unit.id]
    if others:
        siglas = ", ".join(sorted(r.unit.sigla for r in others))
        raise InvalidInput(f"O processo só pode ser sobrestado quando estiver aberto apenas nesta unidade; ele também "
                           f"está aberto em: {siglas}.")
    reason = _text(reason, REASON_MAX, "o motivo do sobrestamento", "reason")
    if tied_to is not None:
        if tied_to.id == process.id:
            raise InvalidInput("O processo não pode ser sobrestado vinculado a ele mesmo.", "tied_number")
        if not access.can_view_process(by, unit, tied_to):
            raise InvalidInput("Processo vinculado não encontrado.", "tied_number")
    at = utcnow()
    process.state, process.suspended_with_id = "suspended", tied_to.id if tied_to else None
    row.suspended_at = at
    history.record(process, "process_suspended", unit=unit, by=by, at=at, reason=reason,
                   tied=tied_to.number if tied_to else None, tied_id=tied_to.id if tied_to else None)
    db.session.flush()
    return process


def unsuspend(process, unit, *, by, version=None):
    """Remover Sobrestamento: back to the inbox of the unit where it is open."""
    movement.claim(process, version)
    row = access.require_acting(by, unit, process)
    if process.state != "suspended":
        raise InvalidInput("O processo não está sobrestado.")
    at = utcnow()
    process.state, process.suspended_with_id = "open", None
    row.suspended_at = None
    movement.touch(row, at)
    history.record(process, "process_unsuspended", unit=unit, by=by, at=at)
    db.session.flush()
    return process


def suspension_of(process):
    """The andamento that sobrestou the process (reason, tied process), or None."""
    if process.state != "suspended":
        return None
    return db.session.scalar(select(HistoryEntry).where(
        HistoryEntry.process_id == process.id, HistoryEntry.kind == "process_suspended")
        .order_by(HistoryEntry.id.desc()).limit(1))


def suspended_page(user, unit, *, before=None, size=50):
    """Processos Sobrestados of the unit, the most recently suspended first."""
    query = (select(ProcessUnit).join(Process, Process.id == ProcessUnit.process_id)
             .where(ProcessUnit.unit_id == unit.id, ProcessUnit.closed_at.is_(None),
                    ProcessUnit.suspended_at.is_not(None), access.visible_processes_clause(user, unit)))
    if before:
        query = query.where(ProcessUnit.id < before)
    rows = db.session.scalars(query.order_by(ProcessUnit.suspended_at.desc(), ProcessUnit.id.desc())
                              .limit(size + 1)).all()
    reasons = {}
    if rows:
        last = select(func.max(HistoryEntry.id)).where(
            HistoryEntry.process_id.in_([r.process_id for r in rows[:size]]),
            HistoryEntry.kind == "process_suspended").group_by(HistoryEntry.process_id)
        reasons = {e.process_id: e for e in db.session.scalars(select(HistoryEntry).where(HistoryEntry.id.in_(last)))}
    return rows[:size], (rows[size - 1].id if len(rows) > size else None), reasons


# --- Dar Ciência and Atualizar Andamento -----------------------------------------------------

def _acknowledged(process, by, document_id):
    entries = db.session.scalars(select(HistoryEntry).where(
        HistoryEntry.process_id == process.id, HistoryEntry.kind == "acknowledged",
        HistoryEntry.user_id == by.id)).all()
    return next((e for e in entries if (e.params or {}).get("document_id") == document_id), None)


def acknowledge(process, unit, *, by, document=None):
    """Dar Ciência on the process or on one of its documents: irreversible, once per user."""
    access.require_acting(by, unit, process)
    if document is not None:
        access.require_document(by, unit, process, document)
        if document.is_draft or document.is_cancelled:
            raise InvalidInput("Só se dá ciência em documento assinado ou incluído (não em minuta nem cancelado).")
    earlier = _acknowledged(process, by, document.id if document else None)
    if earlier is not None:
        from app.templating import datetime_br
        raise Duplicate(f"Você já deu ciência {'neste documento' if document else 'neste processo'} em "
                        f"{datetime_br(earlier.at)}.")
    params = dict(document_id=document.id, sei=document.sei, title=document.title) if document else {}
    entry = history.record(process, "acknowledged", unit=unit, by=by, name=by.name, **params)
    if document is not None:
        from app.services.documents import lock_if_opened_elsewhere
        lock_if_opened_elsewhere(document, unit)
    db.session.flush()
    return entry


def acknowledgements(process):
    """Every Ciência on the process and its documents, oldest first."""
    return db.session.scalars(select(HistoryEntry).where(
        HistoryEntry.process_id == process.id, HistoryEntry.kind == "acknowledged").order_by(HistoryEntry.id)).all()


def update_progress(process, unit, *, by, text, token=None):
    """Atualizar Andamento: free text into the history, never editable afterwards.

    `token` is the form's one-time token: a doubled submit writes nothing (Duplicate)."""
    access.require_acting(by, unit, process)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Informe o texto do andamento.", "text")
    if len(text) > PROGRESS_MAX:
        raise InvalidInput(f"O andamento deve ter no máximo {PROGRESS_MAX} caracteres (tem {len(text)}).", "text")
    if form_tokens.claim("progress", token) is not None:
        raise Duplicate("Andamento já registrado.")
    entry = history.record(process, "progress_update", unit=unit, by=by, text=text)
    db.session.flush()
    form_tokens.record("progress", token, entry.id)
    return entry


# --- Excluir Processo ------------------------------------------------------------------------

def deletion_refusal(process, unit):
    """Why the process cannot be deleted by `unit` (None: it can)."""
    if process.generating_unit_id != unit.id:
        return "Só a unidade que gerou o processo pode excluí-lo."
    if process.state != "open":
        return "Processo sobrestado ou anexado não pode ser excluído."
    if db.session.scalar(select(func.count()).select_from(ProcessUnit).where(ProcessUnit.process_id == process.id)) > 1:
        return "O processo já tramitou por outra unidade e não pode mais ser excluído; ele pode ser concluído."
    if db.session.scalar(select(func.count()).select_from(Document).where(Document.process_id == process.id)):
        return "O processo tem documentos e não pode ser excluído; ele pode ser concluído."
    if db.session.scalar(select(func.count()).select_from(Process).where(Process.annexed_to_id == process.id)):
        return "O processo tem processos anexados e não pode ser excluído."
    return None


def delete_process(process, unit, *, by, version=None):
    """Excluir Processo: its generating unit, never sent, no documents. The number is never reused."""
    movement.claim(process, version)
    access.require_acting(by, unit, process)
    refusal = deletion_refusal(process, unit)
    if refusal:
        raise Forbidden(refusal) if "unidade que gerou" in refusal else InvalidInput(refusal)
    audit.record(unit.organization, "process_deleted", by=by, number=process.number, sigla=unit.sigla)
    number, process_id = process.number, process.id
    db.session.expunge(process)
    db.session.execute(delete(Process).where(Process.id == process_id))
    db.session.flush()
    return number


history.TEXTS.update({
    "process_suspended": lambda p: (f"Processo sobrestado. Motivo: {p.get('reason')}"
                                    + (f" (vinculado ao processo {p['tied']})" if p.get("tied") else "")),
    "process_unsuspended": "Removido o sobrestamento do processo",
    "acknowledged": lambda p: (f"Ciência no documento {p['sei']} ({p.get('title')}) por {p.get('name')}"
                               if p.get("document_id") else f"Ciência no processo por {p.get('name')}"),
    "progress_update": "{text}",
})
