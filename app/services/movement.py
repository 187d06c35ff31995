"""The life of a process in a unit (process_unit rows): the transitions every routing service uses.

The same functions replay the history in services/state_rebuild.py, so the live state and the
rebuilt state follow one set of rules. A transition changes only the row; the caller writes the
andamento (with the same `at`) and flushes. `claim` is the optimistic lock of every movement."""
from sqlalchemy import select, update

from app.extensions import db
from app.models import Process, ProcessUnit
from app.services.errors import DomainError
from app.services.inputs import to_id


class StaleForm(DomainError):
    """The process moved after the form was rendered (or the same form was submitted twice)."""


STALE_MESSAGE = ("O processo {number} foi movimentado depois que esta página foi aberta (por você ou por outra "
                 "pessoa). Nada foi alterado: confira o andamento e, se ainda for o caso, tente de novo.")


def claim(process, version=None):
    """Bump the process's version; with `version` (from the form) only if nobody moved it since.

    The UPDATE also takes the row lock on PostgreSQL, so concurrent movements of one process queue."""
    query = update(Process).where(Process.id == process.id)
    if version is not None:
        query = query.where(Process.version == version)
    result = db.session.execute(query.values(version=Process.version + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise StaleForm(STALE_MESSAGE.format(number=process.number))
    db.session.refresh(process)
    return process


def parse_version(value):
    """The hidden "version" of a form: an int the column can hold, or None when absent; malformed → StaleForm."""
    if value in (None, ""):
        return None
    try:
        return to_id(value)
    except ValueError:
        raise StaleForm("Formulário inválido: recarregue a página e tente de novo.") from None


def rows_of(process, *, fresh=True):
    """{unit_id: row} of every unit where the process has been (re-read from the database)."""
    query = select(ProcessUnit).where(ProcessUnit.process_id == process.id)
    if fresh:
        query = query.execution_options(populate_existing=True)
    return {row.unit_id: row for row in db.session.scalars(query)}


def open_rows(process):
    return [row for row in rows_of(process).values() if row.closed_at is None]


def row_for(process, unit_id, rows=None):
    """The row of the process in the unit; a new (unsaved, closed) one when it has never been there."""
    rows = rows_of(process) if rows is None else rows
    row = rows.get(unit_id)
    if row is None:
        row = ProcessUnit(process_id=process.id, unit_id=unit_id, origin="received", sigiloso=process.access_level == "sigiloso")
        db.session.add(row)
        rows[unit_id] = row
    return row


def _set_assignee(row, user_id):
    row.assigned_to_id = user_id
    if hasattr(row, "_sa_instance_state") and row in db.session and row.id is not None:
        db.session.expire(row, ["assigned_to"])


# --- transitions (shared by the live services and the replay) ----------------------------------

def arrive(row, at, *, return_due=None):
    """Sent (or given a credential) here: open, received, unread, nobody assigned; the note stays."""
    row.origin = "received"
    row.opened_at = at
    row.seen_at, row.seen_by_id = None, None
    _set_assignee(row, None)
    row.closed_at, row.suspended_at = None, None
    row.last_movement_at = at
    row.return_due = return_due


def create(row, at, user_id):
    """Iniciar Processo: open in the generating unit, read, assigned to its author."""
    row.origin = "generated"
    row.opened_at = row.last_movement_at = at
    row.seen_at, row.seen_by_id = at, user_id
    _set_assignee(row, user_id)
    row.closed_at, row.suspended_at, row.return_due = None, None, None


def close(row, at):
    """Sent on without "manter aberto", concluded, annexed or left without credential holders."""
    row.closed_at = at
    row.suspended_at = None
    row.return_due = None
    _set_assignee(row, None)


def reopen(row, at, user_id):
    """Reabrir Processo: open again here, read, assigned to whoever reopened it."""
    row.closed_at, row.suspended_at = None, None
    row.opened_at = row.last_movement_at = at
    row.seen_at, row.seen_by_id = at, user_id
    _set_assignee(row, user_id)


def receive(row, at, user_id):
    """The first opening by someone of the unit."""
    row.seen_at, row.seen_by_id = at, user_id


def touch(row, at):
    """A change of the process data made in this unit (Alterar Processo, nível de acesso…)."""
    if row is not None and row.closed_at is None:
        row.last_movement_at = at


# Kinds whose andamento marks the acting unit's row as moved (touch): Alterar Processo's entries.
TOUCHING_KINDS = frozenset(("type_changed", "specification_changed", "level_changed", "legal_basis_changed",
                            "interested_changed", "observations_changed"))
