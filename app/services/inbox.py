"""Controle de Processos (the unit's inbox) and the Acompanhamento Especial list.

The inbox is one query on the index (unit_id, closed_at, last_movement_at, id), newest movement
first, with keyset pagination (the cursor is the last row's movement time and id: no OFFSET),
the process and its type joined in, the assigned user joined, and the page's markers loaded in
one more IN query. The cost of a page does not grow with the size of the inbox."""
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import exists, false, func, select, tuple_
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.extensions import db
from app.models import Process, ProcessMarker, ProcessUnit, Unit, User, Watch
from app.services import access
from app.services.inputs import parse_id

ORIGINS = {"recebidos": "received", "gerados": "generated"}
_CURSOR_RE = re.compile(r"^(\d{1,17})-(\d{1,12})$")


@dataclass
class InboxFilters:
    mine: bool = False
    marker_id: int | None = None
    type_id: int | None = None
    origin: str | None = None        # "recebidos" | "gerados" | None (both)
    cursor: str | None = None


@dataclass
class InboxPage:
    rows: list
    next_cursor: str | None
    counts: dict = field(default_factory=dict)   # {"received": n, "generated": n}

    @property
    def received(self):
        return [r for r in self.rows if r.origin == "received"]

    @property
    def generated(self):
        return [r for r in self.rows if r.origin == "generated"]


def encode_cursor(moved_at, row_id):
    micros = int(moved_at.timestamp() * 1_000_000)
    return f"{micros}-{row_id}"


def decode_cursor(text):
    """(datetime, id) from a cursor, or None for a missing or malformed one (= first page)."""
    match = _CURSOR_RE.match(text or "")
    if not match:
        return None
    micros, row_id = int(match[1]), parse_id(match[2])
    if row_id is None:
        return None
    try:
        moved = datetime.fromtimestamp(micros / 1_000_000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moved, row_id


def _filtered(query, user, unit, filters):
    if filters.mine:
        query = query.where(ProcessUnit.assigned_to_id == user.id)
    if filters.origin in ORIGINS:
        query = query.where(ProcessUnit.origin == ORIGINS[filters.origin])
    if filters.type_id:
        query = query.where(_is_id(Process.type_id, filters.type_id))
    if filters.marker_id:
        query = query.where(exists().where(ProcessMarker.process_id == ProcessUnit.process_id,
                                           ProcessMarker.unit_id == unit.id,
                                           _is_id(ProcessMarker.marker_id, filters.marker_id)))
    return query


def _is_id(column, value):
    """column = value, where a value that is no id (from a tampered URL) matches nothing."""
    ident = parse_id(value)
    return column == ident if ident is not None else false()


def inbox_page(user, unit, filters, size=50):
    """One page of the processes open in `unit`, newest movement first."""
    clause = access.unit_inbox_clause(user, unit)
    query = (select(ProcessUnit)
             .join(ProcessUnit.process).join(Process.type)
             .options(contains_eager(ProcessUnit.process).contains_eager(Process.type),
                      joinedload(ProcessUnit.assigned_to).load_only(User.id, User.login, User.name),
                      selectinload(ProcessUnit.markers))
             .where(clause))
    query = _filtered(query, user, unit, filters)
    cursor = decode_cursor(filters.cursor)
    if cursor:
        moved, row_id = cursor
        query = query.where(tuple_(ProcessUnit.last_movement_at, ProcessUnit.id) < tuple_(moved, row_id))
    query = query.order_by(ProcessUnit.last_movement_at.desc(), ProcessUnit.id.desc()).limit(size + 1)
    rows = db.session.scalars(query).unique().all()
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(rows[-1].last_movement_at, rows[-1].id) if more else None
    return InboxPage(rows=rows, next_cursor=next_cursor, counts=inbox_counts(user, unit))


def inbox_counts(user, unit):
    """How many processes are open in the unit, received and generated."""
    query = select(ProcessUnit.origin, func.count()).where(access.unit_inbox_clause(user, unit)) \
        .group_by(ProcessUnit.origin)
    counts = {"received": 0, "generated": 0}
    counts.update(dict(db.session.execute(query).all()))
    return counts


# --- Acompanhamento Especial -----------------------------------------------------------------

def watched_page(user, unit, *, group_id=None, before=None, size=50):
    """The unit's watched processes (newest first) that it may still read, and where each is open."""
    access.require_works_in(user, unit)
    query = (select(Watch).join(Watch.process)
             .options(contains_eager(Watch.process).joinedload(Process.type), joinedload(Watch.group))
             .where(Watch.unit_id == unit.id, access.visible_processes_clause(user, unit)))
    if group_id:
        query = query.where(_is_id(Watch.group_id, group_id))
    if parse_id(before):   # past the last id: every row is before it
        query = query.where(Watch.id < parse_id(before))
    watches = db.session.scalars(query.order_by(Watch.id.desc()).limit(size + 1)).unique().all()
    more = len(watches) > size
    watches = watches[:size]
    return watches, (watches[-1].id if more else None), open_units_of([w.process_id for w in watches])


def open_units_of(process_ids):
    """{process_id: [unit sigla, …]} of where each process is open now, in one query."""
    if not process_ids:
        return {}
    out = {}
    rows = db.session.execute(select(ProcessUnit.process_id, Unit.sigla).join(Unit, Unit.id == ProcessUnit.unit_id)
                              .where(ProcessUnit.process_id.in_(process_ids), ProcessUnit.closed_at.is_(None))
                              .order_by(Unit.sigla)).all()
    for process_id, sigla in rows:
        out.setdefault(process_id, []).append(sigla)
    return out

