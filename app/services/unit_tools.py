"""The unit's tools on a process: Atribuir, Anotação, Controle de Prazo, Marcadores,
Acompanhamento Especial, and the batch actions of the Controle de Processos.

Assign/note/deadline/markers need the process open in the unit; the watch needs only that the
unit may read it (it stays after the process leaves)."""
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (MARKER_COLORS, Marker, MarkerHistory, Process, ProcessMarker, ProcessUnit, User, Watch,
                        WatchGroup)
from app.services import access, audit, history
from app.services.errors import Duplicate, Forbidden, InvalidInput
from app.services.inputs import clean_text, parse_ids

NOTE_MAX = 2000
MARKER_TEXT_MAX = 250
OBSERVATION_MAX = 500
BATCH_MAX = 200
BATCH_ACTIONS = ("assign", "marker", "watch", "conclude", "send")  # send: the route opens Enviar Processo

audit.AUDIT_TEXTS.update({
    "marker_created": "Marcador \"{name}\" criado na unidade {sigla}",
    "marker_updated": "Marcador \"{name}\" da unidade {sigla} alterado: {fields}",
    "watch_group_created": "Grupo de Acompanhamento Especial \"{name}\" criado na unidade {sigla}",
})


def _open_row(process, unit, by):
    return access.require_acting(by, unit, process)


def _text(value, max_len, label, field):
    value = clean_text(value or "").strip()
    if len(value) > max_len:
        raise InvalidInput(f"{label} deve ter no máximo {max_len} caracteres.", field)
    return value or None


# --- Atribuir Processo -----------------------------------------------------------------------

def assign(process, unit, *, by, user):
    """Give the process to one user of the unit (or to nobody)."""
    row = _open_row(process, unit, by)
    if user is not None and not access.can_work_in(user, unit):
        raise InvalidInput(f"{user.name} não trabalha na unidade {unit.sigla}; escolha um usuário da unidade.",
                           "user_id")
    if (user.id if user else None) == row.assigned_to_id:
        return False
    if user is None:
        history.record(process, "unassigned", unit=unit, by=by, name=row.assigned_to.name if row.assigned_to else "")
    else:
        history.record(process, "assigned", unit=unit, by=by, user_id=user.id, name=user.name, login=user.login)
    row.assigned_to_id, row.assigned_to = (user.id, user) if user else (None, None)
    db.session.flush()
    return True


def unit_users(unit):
    """Active users who work in the unit (the choices of Atribuir Processo)."""
    from app.models import Membership
    return db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.unit_id == unit.id, User.active.is_(True)).order_by(User.name)).all()


# --- Anotação and Controle de Prazo ----------------------------------------------------------

def set_note(process, unit, *, by, text, priority=False):
    """The unit's post-it on the process; empty text removes it."""
    row = _open_row(process, unit, by)
    text = _text(text, NOTE_MAX, "A anotação", "note")
    priority = bool(priority and text)
    if (text, priority) == (row.note, bool(row.note_priority)):
        return False
    history.record(process, "note_set" if text else "note_removed", unit=unit, by=by, unit_only=True,
                   priority=priority)
    row.note, row.note_priority = text, priority
    db.session.flush()
    return True


def set_deadline(process, unit, *, by, deadline):
    """Controle de Prazo: a date internal to the unit (None removes it)."""
    row = _open_row(process, unit, by)
    if deadline is not None and not (isinstance(deadline, date) and 2000 <= deadline.year <= 2100):
        raise InvalidInput("Data de prazo inválida.", "deadline")
    if deadline == row.deadline:
        return False
    if deadline is None:
        history.record(process, "deadline_removed", unit=unit, by=by, unit_only=True)
    else:
        history.record(process, "deadline_set", unit=unit, by=by, unit_only=True, date=deadline.isoformat())
    row.deadline = deadline
    db.session.flush()
    return True


# --- Marcadores ------------------------------------------------------------------------------

def unit_markers(unit, active_only=True):
    query = select(Marker).where(Marker.unit_id == unit.id)
    if active_only:
        query = query.where(Marker.active.is_(True))
    return db.session.scalars(query.order_by(Marker.name)).all()


def _marker_values(unit, current, name, color):
    name = " ".join(clean_text(name or "").split())
    if not name:
        raise InvalidInput("Informe o nome do marcador.", "name")
    if len(name) > 60:
        raise InvalidInput("O nome do marcador deve ter no máximo 60 caracteres.", "name")
    if color not in MARKER_COLORS:
        raise InvalidInput("Escolha uma cor da lista.", "color")
    other = db.session.scalar(select(Marker).where(Marker.unit_id == unit.id, func.lower(Marker.name) == name.lower()))
    if other is not None and other is not current:
        raise Duplicate(f"A unidade já tem o marcador \"{name}\".", "name")
    return name, color


def create_marker(unit, *, by, name, color):
    access.require_works_in(by, unit)
    name, color = _marker_values(unit, None, name, color)
    marker = Marker(unit_id=unit.id, name=name, color=color)
    db.session.add(marker)
    audit.record(unit.organization, "marker_created", by=by, name=name, sigla=unit.sigla)
    db.session.flush()
    return marker


def update_marker(marker, unit, *, by, name, color, active):
    access.require_works_in(by, unit)
    if marker.unit_id != unit.id:
        raise Forbidden("Este marcador é de outra unidade.")
    name, color = _marker_values(unit, marker, name, color)
    changed = [k for k, v in (("name", name), ("color", color), ("active", bool(active))) if getattr(marker, k) != v]
    marker.name, marker.color, marker.active = name, color, bool(active)
    if changed:
        audit.record(unit.organization, "marker_updated", by=by, name=name, sigla=unit.sigla, fields=", ".join(changed))
    db.session.flush()
    return changed


def markers_on(process, unit):
    return db.session.scalars(select(ProcessMarker).where(
        ProcessMarker.process_id == process.id, ProcessMarker.unit_id == unit.id).order_by(ProcessMarker.id)).all()


def marker_history(process, unit, limit=50):
    return db.session.scalars(select(MarkerHistory)
                              .options(joinedload(MarkerHistory.marker), joinedload(MarkerHistory.user))
                              .where(MarkerHistory.process_id == process.id, MarkerHistory.unit_id == unit.id)
                              .order_by(MarkerHistory.id.desc()).limit(limit)).all()


def _log_marker(process, unit, by, marker, action, text):
    db.session.add(MarkerHistory(process_id=process.id, unit_id=unit.id, marker_id=marker.id, user_id=by.id,
                                 action=action, text=text))
    history.record(process, f"marker_{action}", unit=unit, by=by, unit_only=True, marker=marker.name,
                   marker_id=marker.id)


def apply_marker(process, unit, *, by, marker, text=""):
    """Put the unit's marker on the process with a text (or change the text if it is there)."""
    _open_row(process, unit, by)
    if marker is None or marker.unit_id != unit.id or not marker.active:
        raise InvalidInput("Escolha um marcador ativo desta unidade.", "marker_id")
    text = _text(text, MARKER_TEXT_MAX, "O texto do marcador", "text")
    current = db.session.scalar(select(ProcessMarker).where(
        ProcessMarker.process_id == process.id, ProcessMarker.marker_id == marker.id))
    if current is None:
        db.session.add(ProcessMarker(process_id=process.id, unit_id=unit.id, marker_id=marker.id, text=text,
                                     user_id=by.id))
        _log_marker(process, unit, by, marker, "added", text)
    elif current.text != text:
        current.text, current.user_id = text, by.id
        _log_marker(process, unit, by, marker, "changed", text)
    else:
        return False
    db.session.flush()
    return True


def remove_marker(process, unit, *, by, marker):
    _open_row(process, unit, by)
    current = db.session.scalar(select(ProcessMarker).where(
        ProcessMarker.process_id == process.id, ProcessMarker.unit_id == unit.id,
        ProcessMarker.marker_id == (marker.id if marker else None)))
    if current is None:
        raise InvalidInput("Este marcador não está no processo.", "marker_id")
    _log_marker(process, unit, by, marker, "removed", current.text)
    db.session.delete(current)
    db.session.flush()


# --- Acompanhamento Especial -----------------------------------------------------------------

def watch_groups(unit):
    return db.session.scalars(select(WatchGroup).where(WatchGroup.unit_id == unit.id).order_by(WatchGroup.name)).all()


def create_watch_group(unit, *, by, name):
    access.require_works_in(by, unit)
    name = " ".join(clean_text(name or "").split())
    if not name or len(name) > 60:
        raise InvalidInput("Informe o nome do grupo (até 60 caracteres).", "name")
    if db.session.scalar(select(WatchGroup).where(WatchGroup.unit_id == unit.id,
                                                  func.lower(WatchGroup.name) == name.lower())):
        raise Duplicate(f"A unidade já tem o grupo \"{name}\".", "name")
    group = WatchGroup(unit_id=unit.id, name=name)
    db.session.add(group)
    audit.record(unit.organization, "watch_group_created", by=by, name=name, sigla=unit.sigla)
    db.session.flush()
    return group


def watch_of(process, unit):
    return db.session.scalar(select(Watch).where(Watch.process_id == process.id, Watch.unit_id == unit.id))


def watch(process, unit, *, by, group=None, observation=""):
    """Follow the process in this unit (create, or change group/observation)."""
    if not access.can_read_process(by, unit, process):
        raise Forbidden("Esta unidade não pode acompanhar este processo.")
    if group is not None and group.unit_id != unit.id:
        raise InvalidInput("Escolha um grupo desta unidade.", "group_id")
    observation = _text(observation, OBSERVATION_MAX, "A observação", "observation")
    current = watch_of(process, unit)
    group_id = group.id if group else None
    if current is None:
        db.session.add(Watch(process_id=process.id, unit_id=unit.id, group_id=group_id, observation=observation,
                             user_id=by.id))
        history.record(process, "watch_added", unit=unit, by=by, unit_only=True, group=group.name if group else None)
    elif (current.group_id, current.observation) != (group_id, observation):
        current.group_id, current.observation, current.user_id = group_id, observation, by.id
        history.record(process, "watch_changed", unit=unit, by=by, unit_only=True)
    else:
        return False
    db.session.flush()
    return True


def unwatch(process, unit, *, by):
    access.require_works_in(by, unit)
    current = watch_of(process, unit)
    if current is None:
        raise InvalidInput("O processo não está em Acompanhamento Especial nesta unidade.")
    db.session.delete(current)
    history.record(process, "watch_removed", unit=unit, by=by, unit_only=True)
    db.session.flush()


# --- Batch actions of the Controle de Processos ----------------------------------------------

def batch_processes(unit, by, process_ids):
    """The selected processes, all open in the unit's inbox (else NotOpenHere: nothing is changed)."""
    access.require_works_in(by, unit)
    ids = list(dict.fromkeys(process_ids or []))
    if not ids:
        raise InvalidInput("Selecione pelo menos um processo.")
    if len(ids) > BATCH_MAX:
        raise InvalidInput(f"Selecione no máximo {BATCH_MAX} processos de cada vez.")
    processes = db.session.scalars(select(Process).join(ProcessUnit, ProcessUnit.process_id == Process.id).where(
        Process.id.in_(parse_ids(ids)), access.unit_inbox_clause(by, unit)).order_by(Process.id)).all()
    if len(processes) != len(ids):
        raise access.NotOpenHere(f"{len(ids) - len(processes)} dos processos selecionados não estão abertos na "
                                 f"unidade {unit.sigla}; nada foi alterado.")
    return processes


def apply_batch(unit, *, by, process_ids, action, user=None, marker=None, text="", group=None, observation=""):
    """Apply one action to several processes open in the unit: all of them, or none (DomainError)."""
    if action not in BATCH_ACTIONS or action == "send":
        raise InvalidInput("Escolha a ação a aplicar aos processos selecionados.")
    processes = batch_processes(unit, by, process_ids)
    changed = 0
    for process in processes:
        if action == "assign":
            changed += assign(process, unit, by=by, user=user)
        elif action == "marker":
            changed += apply_marker(process, unit, by=by, marker=marker, text=text)
        elif action == "conclude":
            from app.services.routing import conclude
            try:
                conclude(process, unit, by=by)
            except InvalidInput as error:
                raise InvalidInput(f"Processo {process.number}: {error.message}") from None
            changed += 1
        else:
            changed += watch(process, unit, by=by, group=group, observation=observation)
    return changed
