"""Process history (andamentos): writing entries and rendering kind + params to Portuguese.

Entries keep raw facts (names, ids, dates) in `params`; the wording lives only in TEXTS, so it
can improve without rewriting rows. Feature modules add their kinds to TEXTS (a format string
over params, or a function of params)."""
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import ACCESS_LABELS, HistoryEntry
from app.models.base import utcnow


def record(process, kind, *, unit, by, unit_only=False, at=None, **params):
    """Append one andamento; `unit_only` entries are shown only to `unit`."""
    entry = HistoryEntry(process_id=process.id, unit_id=unit.id, user_id=by.id if by else None, kind=kind,
                         params=params, unit_only=unit_only, at=at or utcnow())
    db.session.add(entry)
    return entry


def _level(value):
    return ACCESS_LABELS.get(value, value or "")


def _date(value):
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value or ""


def _quoted_list(names):
    return ", ".join(f"“{n}”" for n in names)


def _created(p):
    return f"Processo {_level(p.get('level')).lower()} gerado"


def _level_changed(p):
    text = f"Alterado nível de acesso de {_level(p.get('old'))} para {_level(p.get('new'))}"
    text += f" (Hipótese Legal: {p['basis']})" if p.get("basis") else ""
    ended = p.get("credentials_ended")
    return text + (f"; {ended} credencia{'l' if ended == 1 else 'is'} de acesso encerrada{'s' if ended > 1 else ''}"
                   if isinstance(ended, int) and ended else "")


def _interested_changed(p):
    parts = []
    if p.get("added"):
        parts.append(f"incluído(s) {_quoted_list(p['added'])}")
    if p.get("removed"):
        parts.append(f"retirado(s) {_quoted_list(p['removed'])}")
    return "Interessados alterados: " + "; ".join(parts)


def _note(p):
    return "Anotação registrada" + (" com prioridade" if p.get("priority") else "")


def _watch(p):
    return "Processo incluído em Acompanhamento Especial" + (f" (grupo {p['group']})" if p.get("group") else "")


TEXTS = {
    "process_created": _created,
    "process_received": "Processo recebido na unidade",
    "type_changed": "Alterado tipo do processo de “{old}” para “{new}”",
    "specification_changed": "Alterada especificação de “{old}” para “{new}”",
    "level_changed": _level_changed,
    "legal_basis_changed": "Alterada Hipótese Legal de “{old}” para “{new}”",
    "interested_changed": _interested_changed,
    "observations_changed": "Alteradas as observações desta unidade",
    "assigned": "Processo atribuído para {name}",
    "unassigned": "Removida a atribuição do processo (era de {name})",
    "note_set": _note,
    "note_removed": "Anotação removida",
    "marker_added": "Marcador “{marker}” incluído",
    "marker_changed": "Texto do marcador “{marker}” alterado",
    "marker_removed": "Marcador “{marker}” retirado",
    "watch_added": _watch,
    "watch_changed": "Acompanhamento Especial alterado",
    "watch_removed": "Processo retirado de Acompanhamento Especial",
    "deadline_set": lambda p: f"Prazo da unidade definido para {_date(p.get('date'))}",
    "deadline_removed": "Prazo da unidade removido",
}


# Entries that carry content (names of interessados, an external document's description, a reason typed by
# a clerk): a unit that may not read a Restrito process sees what happened, not that content.
CONTENT_FREE_TEXTS = {
    "interested_changed": "Interessados alterados",
    "document_created": lambda p: (f"Incluído documento externo ({p.get('sei')})" if p.get("doc_kind") == "external"
                                   else f"Gerado documento {p.get('title')} ({p.get('sei')})"),
    "document_cancelled": "Cancelado documento {sei}",
}


def describe(entry, readable=True):
    """The Portuguese text of one entry; unknown kinds or missing params never break the page.
    `readable`: whether the viewer may read the process's content (access.can_read_process)."""
    text = TEXTS.get(entry.kind) if readable else CONTENT_FREE_TEXTS.get(entry.kind, TEXTS.get(entry.kind))
    params = entry.params or {}
    if text is None:
        return entry.kind.replace("_", " ").capitalize()
    try:
        return text(params) if callable(text) else text.format(**params)
    except (KeyError, IndexError, TypeError, ValueError):
        return text if isinstance(text, str) else entry.kind


def entries_for(process, unit, *, before=None, limit=200):
    """The andamentos the current unit may see, newest first; `before` is an entry id (keyset)."""
    query = select(HistoryEntry).where(
        HistoryEntry.process_id == process.id,
        or_(HistoryEntry.unit_only.is_(False), HistoryEntry.unit_id == unit.id))
    if before:
        query = query.where(HistoryEntry.id < before)
    query = query.options(joinedload(HistoryEntry.unit), joinedload(HistoryEntry.user))
    return db.session.scalars(query.order_by(HistoryEntry.id.desc()).limit(limit)).all()
