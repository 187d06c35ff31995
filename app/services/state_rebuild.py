"""Rebuild the derived state of processes from their history (`flask --app wsgi rebuild-state`).

History is the source of truth (DESIGN.md §3). Replaying a process's andamentos in order, with the
same transitions the services use (services/movement.py), gives its process_unit rows, its
programmed returns and its state (open / sobrestado / anexado). `rebuild` compares that with the
database and repairs the differences; `--check` only reports them. Unit-private content that the
history does not carry (anotação text, observações) is kept as it is."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import HistoryEntry, Process, ProcessUnit, ScheduledReturn
from app.services import movement

ROW_FIELDS = ("origin", "opened_at", "seen_at", "seen_by_id", "assigned_to_id", "closed_at", "last_movement_at",
              "return_due", "deadline", "suspended_at", "sigiloso")
PROCESS_FIELDS = ("state", "annexed_to_id", "suspended_with_id", "access_level")


@dataclass
class RowState:
    unit_id: int
    origin: str = "received"
    opened_at: object = None
    seen_at: object = None
    seen_by_id: int | None = None
    assigned_to_id: int | None = None
    closed_at: object = None
    last_movement_at: object = None
    return_due: object = None
    deadline: object = None
    suspended_at: object = None
    sigiloso: bool = False


@dataclass
class ProcessState:
    rows: dict = field(default_factory=dict)
    returns: list = field(default_factory=list)   # [from_unit_id, to_unit_id, due, created_at, returned_at]
    state: str = "open"
    annexed_to_id: int | None = None
    suspended_with_id: int | None = None
    access_level: str = "publico"

    def row(self, unit_id):
        if unit_id not in self.rows:
            self.rows[unit_id] = RowState(unit_id=unit_id, sigiloso=self.access_level == "sigiloso")
        return self.rows[unit_id]


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _sent(s, entry, p):
    dest, source = entry.unit_id, p.get("from_id")
    for pending in s.returns:
        if pending[4] is None and pending[1] == source and pending[0] == dest:
            pending[4] = entry.at
            if source in s.rows:
                s.rows[source].return_due = None
    due = _date(p.get("return_due"))
    movement.arrive(s.row(dest), entry.at, return_due=due)
    if due is not None:
        s.returns.append([source, dest, due, entry.at, None])
    if not p.get("keep_open") and source in s.rows:
        movement.close(s.rows[source], entry.at)


def _level(s, entry, p):
    s.access_level = p.get("new") or s.access_level
    for row in s.rows.values():
        row.sigiloso = s.access_level == "sigiloso"
    movement.touch(s.rows.get(entry.unit_id), entry.at)


def _granted(s, entry, p):
    row = s.row(p.get("to_unit_id"))
    if row.opened_at is None or row.closed_at is not None:
        movement.arrive(row, entry.at)
    row.sigiloso = True


def _credential_ended(s, entry, p):
    if p.get("closed") and p.get("to_unit_id") in s.rows:
        movement.close(s.rows[p["to_unit_id"]], entry.at)


def _suspended(s, entry, p):
    s.state, s.suspended_with_id = "suspended", p.get("tied_id")
    s.row(entry.unit_id).suspended_at = entry.at


def _unsuspended(s, entry, p):
    s.state, s.suspended_with_id = "open", None
    row = s.row(entry.unit_id)
    row.suspended_at = None
    movement.touch(row, entry.at)


def _annexed(s, entry, p):
    for row in s.rows.values():
        if row.closed_at is None:
            movement.close(row, entry.at)
    s.state, s.annexed_to_id, s.suspended_with_id = "annexed", p.get("main_id"), None


def _created(s, entry, p):
    s.access_level = p.get("level") or "publico"
    movement.create(s.row(entry.unit_id), entry.at, entry.user_id)


def _received(s, entry, p):
    row = s.rows.get(entry.unit_id)
    if row is not None and row.closed_at is None and row.seen_at is None:
        movement.receive(row, entry.at, entry.user_id)


def _on_row(fn):
    def apply(s, entry, p):
        if entry.unit_id in s.rows:
            fn(s.rows[entry.unit_id], entry, p)
    return apply


def _set(name, value_of):
    return _on_row(lambda row, entry, p: setattr(row, name, value_of(entry, p)))


REPLAY = {
    "process_created": _created,
    "process_received": _received,
    "process_sent": _sent,
    "process_concluded": _on_row(lambda row, entry, p: movement.close(row, entry.at)),
    "process_reopened": _on_row(lambda row, entry, p: movement.reopen(row, entry.at, entry.user_id)),
    "assigned": _set("assigned_to_id", lambda entry, p: p.get("user_id")),
    "unassigned": _set("assigned_to_id", lambda entry, p: None),
    "deadline_set": _set("deadline", lambda entry, p: _date(p.get("date"))),
    "deadline_removed": _set("deadline", lambda entry, p: None),
    "level_changed": _level,
    "credential_granted": _granted,
    "credential_revoked": _credential_ended,
    "credential_renounced": _credential_ended,
    "process_suspended": _suspended,
    "process_unsuspended": _unsuspended,
    "process_annexed": _annexed,
}


def replay(entries):
    """The derived state of one process from its andamentos (oldest first)."""
    state = ProcessState()
    for entry in entries:
        handler = REPLAY.get(entry.kind)
        if handler is not None:
            handler(state, entry, entry.params or {})
        elif entry.kind in movement.TOUCHING_KINDS:
            movement.touch(state.rows.get(entry.unit_id), entry.at)
    return state


def live_rows(process_id):
    return {r.unit_id: r for r in db.session.scalars(select(ProcessUnit).where(ProcessUnit.process_id == process_id))}


def live_returns(process_id):
    return db.session.scalars(select(ScheduledReturn).where(ScheduledReturn.process_id == process_id)
                              .order_by(ScheduledReturn.id)).all()


def differences(process, expected, rows=None, returns=None):
    """[(what, expected, live)] between the replayed state and the database (empty: equal)."""
    rows = live_rows(process.id) if rows is None else rows
    returns = live_returns(process.id) if returns is None else returns
    out = []
    for name in PROCESS_FIELDS:
        if getattr(process, name) != getattr(expected, name):
            out.append((f"process.{name}", getattr(expected, name), getattr(process, name)))
    for unit_id in sorted(set(rows) | set(expected.rows)):
        want, have = expected.rows.get(unit_id), rows.get(unit_id)
        if want is None or have is None:
            out.append((f"unit {unit_id}", "row" if want else None, "row" if have else None))
            continue
        for name in ROW_FIELDS:
            if getattr(have, name) != getattr(want, name):
                out.append((f"unit {unit_id}.{name}", getattr(want, name), getattr(have, name)))
    want_returns = sorted(tuple(r) for r in expected.returns)
    have_returns = sorted((r.from_unit_id, r.to_unit_id, r.due, r.created_at, r.returned_at) for r in returns)
    if want_returns != have_returns:
        out.append(("returns", want_returns, have_returns))
    return out


def repair(process, expected):
    """Make the database equal to the replayed state (keeping anotações and observações)."""
    rows = live_rows(process.id)
    for name in PROCESS_FIELDS:
        setattr(process, name, getattr(expected, name))
    for unit_id, have in rows.items():
        if unit_id not in expected.rows:
            db.session.delete(have)
    for unit_id, want in expected.rows.items():
        have = rows.get(unit_id)
        if have is None:
            have = ProcessUnit(process_id=process.id, unit_id=unit_id)
            db.session.add(have)
        for name in ROW_FIELDS:
            setattr(have, name, getattr(want, name))
    for old in live_returns(process.id):
        db.session.delete(old)
    for source, dest, due, created, returned in expected.returns:
        db.session.add(ScheduledReturn(process_id=process.id, from_unit_id=source, to_unit_id=dest, due=due,
                                       created_at=created, returned_at=returned))
    db.session.flush()


def rebuild(*, check_only=False, process_ids=None, batch=500, echo=None):
    """Replay every process (or the given ones); returns (processes checked, processes with differences)."""
    query = select(Process.id).order_by(Process.id)
    if process_ids is not None:
        query = query.where(Process.id.in_(process_ids))
    ids = db.session.scalars(query).all()
    checked = differing = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        entries = {}
        for entry in db.session.scalars(select(HistoryEntry).where(HistoryEntry.process_id.in_(chunk))
                                        .order_by(HistoryEntry.process_id, HistoryEntry.id)):
            entries.setdefault(entry.process_id, []).append(entry)
        for process in db.session.scalars(select(Process).where(Process.id.in_(chunk)).order_by(Process.id)):
            expected = replay(entries.get(process.id, []))
            found = differences(process, expected)
            checked += 1
            if found:
                differing += 1
                if echo:
                    echo(f"{process.number}: " + "; ".join(f"{what}: esperado {want!r}, encontrado {have!r}"
                                                           for what, want, have in found[:5]))
                if not check_only:
                    repair(process, expected)
        if not check_only:
            db.session.commit()
        else:
            db.session.rollback()
    return checked, differing
