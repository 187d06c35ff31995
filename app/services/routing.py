"""Enviar Processo, Concluir Processo, Reabrir Processo and Retorno Programado (DESIGN.md §4, Inbox).

Sending opens the process, unread, in each destination ("Processo remetido pela unidade …") and,
without "manter aberto", closes it in the sender. A Retorno Programado makes the destination owe
the process back to the sender by a date: the destination cannot conclude it, nor send it on and
let it close, until it sends it back. Every movement claims the process's version first
(services/movement.py): a stale or doubled form changes nothing."""
import unicodedata
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Organization, ScheduledReturn, Unit
from app.models.base import utcnow
from app.services import access, business_days, history, mail, movement
from app.services.errors import Duplicate, Forbidden, InvalidInput
from app.services.inputs import to_id
from app.services.processes import today

MAX_DESTINATIONS = 50
MAX_RETURN_YEARS = 2


# --- destinations ----------------------------------------------------------------------------

def fold(text):
    """Lower case without accents: "Saúde" and "saude" match."""
    return "".join(c for c in unicodedata.normalize("NFKD", (text or "").lower()) if not unicodedata.combining(c))


def routing_orgs(org):
    """The órgãos whose units this órgão may send to: itself, and others when both allow it."""
    ids = [org.id]
    if org.allow_cross_org_routing:
        ids += db.session.scalars(select(Organization.id).where(
            Organization.allow_cross_org_routing.is_(True), Organization.id != org.id)).all()
    return ids


def can_route(from_unit, to_unit):
    return to_unit.organization_id in routing_orgs(from_unit.organization)


def find_destinations(unit, text, *, limit=20):
    """Active units (this órgão first, then others that allow it) whose sigla or name contains `text`."""
    words = fold(" ".join((text or "").split()))
    if not words:
        return []
    rows = db.session.execute(select(Unit.id, Unit.sigla, Unit.name, Unit.organization_id).where(
        Unit.active.is_(True), Unit.organization_id.in_(routing_orgs(unit.organization)), Unit.id != unit.id)).all()
    found = [r for r in rows if words in fold(r.sigla) or words in fold(r.name)]
    found.sort(key=lambda r: (r.organization_id != unit.organization_id, not fold(r.sigla).startswith(words), r.sigla))
    ids = [r.id for r in found[:limit]]
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}
    return [units[i] for i in ids]


def unit_label(unit, viewer_org_id=None):
    """"DCC/SEMAD", with the órgão's sigla when it is another órgão's unit."""
    label = unit.sigla_path
    return label if viewer_org_id in (None, unit.organization_id) else f"{label} ({unit.organization.sigla})"


# --- Retorno Programado ----------------------------------------------------------------------

def return_due_from(org, *, on=None, business_days_count=None, now_day=None):
    """The due date from the form: a date, or N business days from today (not both)."""
    if on and business_days_count:
        raise InvalidInput("Informe a data do retorno ou o número de dias úteis, não os dois.", "return_date")
    if business_days_count:
        return business_days.add_business_days(org, now_day or today(), business_days_count)
    return on or None


def check_return_due(org, due, now_day=None):
    now_day = now_day or today()
    if not isinstance(due, date):
        raise InvalidInput("Data de retorno inválida.", "return_date")
    if due <= now_day:
        raise InvalidInput("A data do retorno programado deve ser posterior a hoje.", "return_date")
    if due.year > now_day.year + MAX_RETURN_YEARS:
        raise InvalidInput(f"A data do retorno programado deve estar nos próximos {MAX_RETURN_YEARS} anos.",
                           "return_date")
    reason = business_days.why_not_business_day(org, due)
    if reason:
        raise InvalidInput(f"{due:%d/%m/%Y} não é dia útil ({reason}); escolha um dia útil.", "return_date")
    return due


def pending_returns(process):
    return db.session.scalars(select(ScheduledReturn).where(
        ScheduledReturn.process_id == process.id, ScheduledReturn.returned_at.is_(None))
        .order_by(ScheduledReturn.due)).all()


def owed_by(process, unit):
    """The pending return the unit owes on the process (it must send it back), or None."""
    return next((r for r in pending_returns(process) if r.to_unit_id == unit.id), None)


def returns_page(unit, *, awaiting, after=None, size=50):
    """Retorno Programado of a unit: what it awaits (sent with return) or what it owes, by due date.

    Keyset pagination: `after` is the cursor "YYYY-MM-DD_id" of the last row shown."""
    column = ScheduledReturn.from_unit_id if awaiting else ScheduledReturn.to_unit_id
    query = select(ScheduledReturn).where(column == unit.id, ScheduledReturn.returned_at.is_(None))
    cursor = _return_cursor(after)
    if cursor:
        query = query.where(tuple_(ScheduledReturn.due, ScheduledReturn.id) > tuple_(*cursor))
    rows = db.session.scalars(query.order_by(ScheduledReturn.due, ScheduledReturn.id).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    return rows, (f"{rows[-1].due.isoformat()}_{rows[-1].id}" if more else None)


def _return_cursor(text):
    day, _, ident = (text or "").partition("_")
    try:
        return date.fromisoformat(day), to_id(ident)
    except ValueError:
        return None


def awaiting_of(unit, process_ids):
    """{process_id: ScheduledReturn} the unit awaits, for an inbox page (one query)."""
    if not process_ids:
        return {}
    rows = db.session.scalars(select(ScheduledReturn).options(joinedload(ScheduledReturn.to_unit)).where(
        ScheduledReturn.from_unit_id == unit.id, ScheduledReturn.returned_at.is_(None),
        ScheduledReturn.process_id.in_(process_ids)).order_by(ScheduledReturn.due)).all()
    out = {}
    for row in rows:
        out.setdefault(row.process_id, row)
    return out


def _settle_returns(process, from_unit, dest_ids, at):
    """A send from the owing unit to the awaiting one settles that return; the ids of awaiting units settled."""
    settled = set()
    for pending in pending_returns(process):
        if pending.to_unit_id == from_unit.id and pending.from_unit_id in dest_ids:
            pending.returned_at = at
            settled.add(pending.from_unit_id)
    return settled


# --- Enviar Processo -------------------------------------------------------------------------

def _check_movable(process, verb):
    if process.state == "annexed":
        principal = process.annexed_to.number if process.annexed_to else "principal"
        raise InvalidInput(f"O processo está anexado ao processo {principal} e não pode ser {verb} sozinho.")
    if process.state == "suspended":
        raise InvalidInput(f"O processo está sobrestado: remova o sobrestamento antes de ele ser {verb}.")


def _destinations(process, from_unit, to_units, rows):
    units = list({u.id: u for u in to_units or [] if u is not None}.values())
    if not units:
        raise InvalidInput("Escolha pelo menos uma unidade de destino.", "units")
    if len(units) > MAX_DESTINATIONS:
        raise InvalidInput(f"Escolha no máximo {MAX_DESTINATIONS} unidades de destino.", "units")
    if any(u.id == from_unit.id for u in units):
        raise InvalidInput("O processo já está nesta unidade: escolha outra unidade de destino." if len(units) == 1
                           else f"A unidade atual ({from_unit.sigla}) não pode ser destino do envio.", "units")
    for unit in units:
        if not unit.active:
            raise InvalidInput(f"A unidade {unit.sigla} está inativa e não recebe processos.", "units")
        if not can_route(from_unit, unit):
            raise InvalidInput(f"A unidade {unit.sigla} é de outro órgão ({unit.organization.sigla}) e o envio de "
                               "processos entre os dois órgãos não está permitido.", "units")
        row = rows.get(unit.id)
        if row is not None and row.closed_at is None:
            raise InvalidInput(f"O processo já está aberto na unidade {unit.sigla}.", "units")
    return units


def _duplicate_or_stale(process, by, from_unit, to_units, error):
    """A refused version: if the last movement is this very send, say so (double submit)."""
    from app.models import HistoryEntry
    last = db.session.scalars(select(HistoryEntry).where(HistoryEntry.process_id == process.id,
                                                         HistoryEntry.unit_only.is_(False))
                              .order_by(HistoryEntry.id.desc()).limit(len(to_units) or 1)).all()
    if last and all(e.kind == "process_sent" and e.user_id == by.id and (e.params or {}).get("from_id") == from_unit.id
                    for e in last) and {e.unit_id for e in last} == {u.id for u in to_units}:
        return Duplicate(f"Este envio já foi feito: o processo {process.number} foi remetido para "
                         f"{', '.join(sorted(u.sigla for u in to_units))}. Nada foi alterado.")
    return error


def send_process(process, to_units, *, by, from_unit, keep_open=False, remove_note=False, notify=False,
                 return_due=None, version=None):
    """Enviar Processo from `from_unit` to `to_units` (one andamento per destination)."""
    try:
        movement.claim(process, version)
    except movement.StaleForm as error:
        raise _duplicate_or_stale(process, by, from_unit, list(to_units or []), error) from None
    access.require_acting(by, from_unit, process)
    _check_movable(process, "enviado")
    if process.access_level == "sigiloso":
        raise InvalidInput("Processo sigiloso não é enviado a outras unidades: conceda credencial de acesso aos "
                           "usuários que devem vê-lo.")
    rows = movement.rows_of(process)
    row = rows[from_unit.id]
    units = _destinations(process, from_unit, to_units, rows)
    dest_ids = {u.id for u in units}
    owed = owed_by(process, from_unit)
    if owed is not None and not keep_open and owed.from_unit_id not in dest_ids:
        raise InvalidInput(f"Esta unidade deve devolver o processo à unidade {owed.from_unit.sigla} até "
                           f"{owed.due:%d/%m/%Y} (Retorno Programado): inclua {owed.from_unit.sigla} entre os "
                           "destinos ou mantenha o processo aberto nesta unidade.", "units")
    org = from_unit.organization
    if return_due is not None:
        check_return_due(org, return_due)
    addresses = _notification_addresses(units) if notify else []
    at = utcnow()
    settled = _settle_returns(process, from_unit, dest_ids, at)
    for unit in units:
        movement.arrive(movement.row_for(process, unit.id, rows), at, return_due=return_due)
        if return_due is not None:
            db.session.add(ScheduledReturn(process_id=process.id, from_unit_id=from_unit.id, to_unit_id=unit.id,
                                           due=return_due, created_at=at))
        history.record(process, "process_sent", unit=unit, by=by, at=at, from_id=from_unit.id,
                       from_unit=unit_label(from_unit, unit.organization_id), keep_open=bool(keep_open),
                       return_due=return_due.isoformat() if return_due else None,
                       settles=unit.id in settled or None, notified=bool(unit.email and notify) or None)
    if settled:
        row.return_due = None
    if remove_note and row.note:
        row.note, row.note_priority = None, False
        history.record(process, "note_removed", unit=from_unit, by=by, at=at, unit_only=True)
    if not keep_open:
        movement.close(row, at)
    from app.services.documents import lock_process_documents
    lock_process_documents(process, from_unit)
    if addresses:
        mail.queue(addresses, *notification_text(process, from_unit, units, return_due, at))
    db.session.flush()
    return units


def _notification_addresses(units):
    if not mail.enabled():
        raise InvalidInput("O envio de e-mail não está configurado neste servidor; desmarque a notificação.",
                           "notify")
    addresses = [u.email for u in units if u.email]
    if not addresses:
        raise InvalidInput("Nenhuma das unidades de destino tem e-mail cadastrado; desmarque a notificação.",
                           "notify")
    return addresses


def notification_text(process, from_unit, units, return_due, at):
    """(subject, body) of the e-mail: number, type and route; never the especificação (it may be restricted)."""
    from app.templating import datetime_br
    base = (from_unit.organization.public_base_url or "").rstrip("/")
    lines = [f"O processo {process.number} ({process.type.name}) foi enviado pela unidade {from_unit.sigla_path} "
             f"em {datetime_br(at)} para: {', '.join(u.sigla_path for u in units)}."]
    if return_due:
        lines.append(f"Retorno programado para {return_due:%d/%m/%Y}.")
    if base:
        lines.append(f"Acesse: {base}/processos/{process.id}")
    lines.append("")
    lines.append("Mensagem automática do Expediente; não responda.")
    return f"Processo {process.number} recebido", "\n".join(lines)


def send_batch(unit, *, by, process_ids, to_units, versions=None, **options):
    """Enviar the selected processes of the inbox to the same units: all of them, or none."""
    from app.services.unit_tools import batch_processes
    versions = versions or {}
    sent = 0
    for process in batch_processes(unit, by, process_ids):
        try:
            send_process(process, to_units, by=by, from_unit=unit, version=versions.get(process.id), **options)
        except (InvalidInput, Duplicate, movement.StaleForm) as error:
            raise type(error)(f"Processo {process.number}: {error.message}", error.field) from None
        sent += 1
    return sent


# --- Concluir / Reabrir ----------------------------------------------------------------------

def conclude(process, unit, *, by, version=None):
    """Concluir Processo: closes it in this unit only (refused while the unit owes a programmed return)."""
    movement.claim(process, version)
    row = access.require_acting(by, unit, process)
    if process.state == "suspended":
        raise InvalidInput("O processo está sobrestado: remova o sobrestamento antes de concluí-lo.")
    owed = owed_by(process, unit)
    if owed is not None:
        raise InvalidInput(f"Esta unidade deve devolver o processo à unidade {owed.from_unit.sigla} até "
                           f"{owed.due:%d/%m/%Y} (Retorno Programado): envie-o de volta em vez de concluí-lo.")
    at = utcnow()
    movement.close(row, at)
    history.record(process, "process_concluded", unit=unit, by=by, at=at)
    from app.services.documents import lock_process_documents
    lock_process_documents(process, unit)
    db.session.flush()
    return row


def reopen(process, unit, *, by, version=None):
    """Reabrir Processo: only in a unit where it has been; assigned to whoever reopens it."""
    movement.claim(process, version)
    access.require_works_in(by, unit)
    access.require_process(by, unit, process)
    row = movement.rows_of(process).get(unit.id)
    if row is None:
        raise Forbidden(f"O processo nunca esteve na unidade {unit.sigla}: só pode ser reaberto onde já tramitou.")
    if row.closed_at is None:
        raise InvalidInput(f"O processo já está aberto na unidade {unit.sigla}.")
    _check_movable(process, "reaberto")
    at = utcnow()
    movement.reopen(row, at, by.id)
    history.record(process, "process_reopened", unit=unit, by=by, at=at)
    db.session.flush()
    return row


def _sent_text(p):
    text = f"Processo remetido pela unidade {p.get('from_unit')}"
    if p.get("return_due"):
        text += f" com retorno programado para {history._date(p['return_due'])}"
    if p.get("settles"):
        text += " (retorno programado atendido)"
    return text


history.TEXTS.update({
    "process_sent": _sent_text,
    "process_concluded": "Conclusão do processo na unidade",
    "process_reopened": "Reabertura do processo na unidade",
})
