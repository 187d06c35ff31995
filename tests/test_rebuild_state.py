"""History is the source of truth: random sequences of routing actions keep the invariants, and replaying
the history (services/state_rebuild.py, `flask --app wsgi rebuild-state`) gives exactly the live state."""
import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import Credential, HistoryEntry, Process, ProcessUnit, ScheduledReturn
from app.services import (business_days, catalog, credentials, process_actions, processes, relations, routing,
                          state_rebuild, unit_tools)
from app.services.errors import DomainError
from tests.process_factory import make_process
from tests.routing_support import rw  # noqa: F401  (fixture)

ACTIONS = ("send", "send", "send", "receive", "conclude", "reopen", "suspend", "unsuspend", "assign", "deadline",
           "level", "grant", "revoke", "renounce", "annex", "relate", "acknowledge", "progress")
MOVES = ("process_sent", "process_concluded", "process_reopened", "process_annexed", "credential_granted",
         "credential_revoked", "credential_renounced")


def entries_of(db, process):
    return db.session.scalars(select(HistoryEntry).where(HistoryEntry.process_id == process.id)
                              .order_by(HistoryEntry.id)).all()


def live_rows(db, process):
    return db.session.scalars(select(ProcessUnit).where(ProcessUnit.process_id == process.id)
                              .execution_options(populate_existing=True)).all()


def check_invariants(db, process):
    db.session.refresh(process)
    rows = live_rows(db, process)
    opened = [r for r in rows if r.closed_at is None]
    entries = entries_of(db, process)
    moves = [e.kind for e in entries if e.kind in MOVES]
    if not opened:  # never open nowhere, unless concluded everywhere or annexed
        assert process.state == "annexed" or (moves and moves[-1] == "process_concluded"), moves
    if process.state == "suspended":
        assert len(opened) == 1 and opened[0].suspended_at is not None
    else:
        assert all(r.suspended_at is None for r in rows)
    if process.state == "annexed":
        assert not opened and process.annexed_to_id and db.session.get(Process, process.annexed_to_id).state != "annexed"
    pending = db.session.scalars(select(ScheduledReturn).where(ScheduledReturn.process_id == process.id,
                                                               ScheduledReturn.returned_at.is_(None))).all()
    owed = {p.to_unit_id: p.due for p in pending}
    for row in rows:
        assert row.return_due == owed.get(row.unit_id), (row.unit_id, row.return_due, owed)
        assert row.sigiloso == (process.access_level == "sigiloso")
        if row.unit_id in owed:
            assert row.closed_at is None
    if process.access_level == "sigiloso":
        active = db.session.scalars(select(Credential).where(Credential.process_id == process.id,
                                                             Credential.ended_at.is_(None))).all()
        assert active
        for row in opened:
            assert any(c.unit_id == row.unit_id for c in active), row.unit_id
    ids = [e.id for e in entries]
    assert ids == sorted(ids)
    return [(e.id, e.kind) for e in entries]


def assert_rebuild_equals_live(db, process):
    db.session.refresh(process)
    expected = state_rebuild.replay(entries_of(db, process))
    assert state_rebuild.differences(process, expected, rows={r.unit_id: r for r in live_rows(db, process)}) == []


class Runner:
    """Applies one random action (chosen by name and two integers) through the services."""

    def __init__(self, db, w, process, main):
        self.db, self.w, self.process, self.main = db, w, process, main
        self.units = [w.semad, w.dcc, w.sefaz, w.gab]
        self.people = {w.semad.id: [w.ana, w.dora], w.dcc.id: [w.bruno], w.sefaz.id: [w.carla],
                       w.gab.id: [w.bia, w.ana]}

    def pick(self, seq, n):
        return seq[n % len(seq)]

    def actor(self, a, b, where="open"):
        """Mostly a unit where the process is open (closed, for Reabrir) and a user who may see it there;
        one time in five any unit and user, so refusals are exercised too."""
        rows = {r.unit_id: r for r in live_rows(self.db, self.process)}
        wanted = [u for u in self.units if u.id in rows and (rows[u.id].closed_at is None) == (where == "open")]
        unit = self.pick(wanted, a) if wanted and a % 5 != 4 else self.pick(self.units, a)
        people = self.people[unit.id]
        if self.process.access_level == "sigiloso" and a % 5 != 4:
            holders = {c.user_id for c in credentials.active_credentials(self.process) if c.unit_id == unit.id}
            people = [u for u in people if u.id in holders] or people
        return unit, self.pick(people, b)

    def run(self, name, a, b):
        p, w = self.process, self.w
        unit, user = self.actor(a, b, "closed" if name == "reopen" else "open")
        if name == "send":
            open_ids = {r.unit_id for r in live_rows(self.db, p) if r.closed_at is None}
            elsewhere = [u for u in self.units if u.id not in open_ids] or self.units
            targets = [u for i, u in enumerate(elsewhere) if (b >> i) & 1] or [self.pick(elsewhere, b)]
            due = business_days.add_business_days(w.pm, processes.today(), 1 + b % 3) if b % 5 == 0 else None
            routing.send_process(p, targets, by=user, from_unit=unit, keep_open=bool(a & 4), return_due=due)
        elif name == "receive":
            processes.mark_received(p, unit, by=user)
        elif name == "conclude":
            routing.conclude(p, unit, by=user)
        elif name == "reopen":
            routing.reopen(p, unit, by=user)
        elif name == "suspend":
            process_actions.suspend(p, unit, by=user, reason="Aguardando", tied_to=self.main if b & 1 else None)
        elif name == "unsuspend":
            process_actions.unsuspend(p, unit, by=user)
        elif name == "assign":
            unit_tools.assign(p, unit, by=user, user=self.pick(self.people[unit.id], a + b))
        elif name == "deadline":
            unit_tools.set_deadline(p, unit, by=user, deadline=processes.today() + timedelta(days=b % 9) if b % 4 else None)
        elif name == "level":
            level = self.pick(("sigiloso", "publico", "restrito"), b)
            basis = None if level == "publico" else next(x for x in catalog.legal_bases(w.pm) if x.level == level)
            processes.update_process(p, unit, by=user, process_type=p.type, specification=p.specification,
                                     interested="", access_level=level, legal_basis=basis)
        elif name == "grant":
            to_unit = self.pick(self.units, b)
            credentials.grant(p, unit, by=user, user=self.pick(self.people[to_unit.id], a), to_unit=to_unit)
        elif name == "revoke":
            active = credentials.active_credentials(p)
            if active:
                credentials.revoke(p, unit, by=user, credential=self.pick(active, b))
        elif name == "renounce":
            credentials.renounce(p, unit, by=user)
        elif name == "annex":
            if b & 1:
                relations.annex(self.main, unit, by=user, annexed=p)
            else:
                relations.annex(p, unit, by=user, annexed=self.main)
        elif name == "relate":
            if relations.relation_between(p, self.main):
                relations.unrelate(p, unit, by=user, other=self.main)
            else:
                relations.relate(p, unit, by=user, other=self.main)
        elif name == "acknowledge":
            process_actions.acknowledge(p, unit, by=user)
        elif name == "progress":
            process_actions.update_progress(p, unit, by=user, text=f"Andamento {a}")


STEPS = st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 63), st.integers(0, 63)), min_size=1, max_size=30)


@pytest.mark.parametrize("start", ["publico", "sigiloso"])
@settings(max_examples=int(os.environ.get("REBUILD_EXAMPLES", "40")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
def test_random_actions_keep_invariants_and_the_rebuild_equals_the_live_state(db, rw, start, steps):
    """REBUILD_EXAMPLES=500 for a longer run."""
    w = rw
    process = make_process(w.semad, w.ana, specification="Processo aleatório", level=start)
    main = make_process(w.semad, w.ana, specification="Processo principal")
    runner = Runner(db, w, process, main)
    seen = check_invariants(db, process)
    try:
        for name, a, b in steps:
            try:
                with db.session.begin_nested():
                    runner.run(name, a, b)
            except DomainError:
                pass  # refused: nothing changed (the savepoint was rolled back)
            now = check_invariants(db, process)
            assert now[:len(seen)] == seen  # append-only
            seen = now
            check_invariants(db, main)
        assert_rebuild_equals_live(db, process)
        assert_rebuild_equals_live(db, main)
        assert state_rebuild.rebuild(check_only=True, process_ids=[process.id, main.id]) == (2, 0)
    finally:
        db.session.rollback()


def test_rebuild_command_repairs_a_damaged_state(app, db, rw):
    routing.send_process(rw.pub, [rw.dcc, rw.sefaz], by=rw.ana, from_unit=rw.semad,
                         return_due=business_days.add_business_days(rw.pm, processes.today(), 2))
    processes.mark_received(rw.pub, rw.dcc, by=rw.bruno)
    unit_tools.set_note(rw.pub, rw.dcc, by=rw.bruno, text="Nota da DCC")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["rebuild-state", "--check"])
    assert result.exit_code == 0 and "0 com diferenças" in result.output
    dcc = db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == rw.pub.id,
                                                      ProcessUnit.unit_id == rw.dcc.id))
    dcc.closed_at, dcc.seen_at = dcc.opened_at, None
    db.session.delete(db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == rw.pub.id,
                                                                  ProcessUnit.unit_id == rw.sefaz.id)))
    db.session.execute(ScheduledReturn.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["rebuild-state", "--check"])
    assert result.exit_code == 1 and rw.pub.number in result.output
    result = runner.invoke(args=["rebuild-state"])
    assert result.exit_code == 0 and "1 corrigidos" in result.output
    db.session.expire_all()
    assert runner.invoke(args=["rebuild-state", "--check"]).exit_code == 0
    dcc = db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == rw.pub.id,
                                                      ProcessUnit.unit_id == rw.dcc.id))
    assert dcc.closed_at is None and dcc.seen_at is not None and dcc.note == "Nota da DCC"
    assert db.session.scalar(select(ScheduledReturn).where(ScheduledReturn.to_unit_id == rw.sefaz.id)) is not None
