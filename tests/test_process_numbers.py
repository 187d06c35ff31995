"""Process numbers: NUP/NIPE from the unit's protocol code, yearly restart, never reused, unique
under concurrent creation (threads with their own connections, as gunicorn workers would)."""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Counter, Process, ProcessType, Unit, User
from app.services import catalog, form_tokens, processes
from app.services.numbering import is_valid_process_number
from tests.process_factory import make_process


def _utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_nup_uses_org_protocol_code_and_check_digits(world):
    p1 = make_process(world.semad, world.ana)
    p2 = make_process(world.semad, world.ana)
    year = processes.today().year
    code = world.pm.protocol_code
    assert p1.number.startswith(f"{code}.000001/{year}-") and p2.number.startswith(f"{code}.000002/{year}-")
    assert is_valid_process_number(p1.number) and p1.number_digits == p1.number.replace(".", "").replace("/", "").replace("-", "")


def test_known_vector_and_unit_own_code(db, world):
    world.gab.protocol_code = "48190"
    counter = Counter(scope=f"nup:48190:2026", value=7)
    db.session.add(counter)
    db.session.flush()
    process = make_process(world.gab, world.ana, now=_utc(2026, 6, 1, 12))
    assert process.number == "48190.000008/2026-50"


def test_sequence_restarts_each_year_in_brasilia_time(world):
    # 02:30 UTC on 1 January is still 31 December in Brasília: same year as the day before.
    late_2026 = make_process(world.semad, world.ana, now=_utc(2027, 1, 1, 2, 30))
    first_2027 = make_process(world.semad, world.ana, now=_utc(2027, 1, 1, 3, 30))
    second_2026 = make_process(world.semad, world.ana, now=_utc(2026, 12, 31, 12))
    assert "/2026-" in late_2026.number and ".000001/" in late_2026.number
    assert first_2027.number.startswith(f"{world.pm.protocol_code}.000001/2027-")
    assert ".000002/2026-" in second_2026.number


def test_nipe_mask(db, world):
    world.pm.number_mask, world.pm.nipe_state_code = "nipe", "17"
    world.semad.protocol_code = "137001"  # OOOUUU: órgão 137, unidade 001
    process = make_process(world.semad, world.ana, now=_utc(2026, 3, 1, 12))
    assert process.number == "17.137001.000001/2026-21"
    assert len(process.number_digits) == 20


def test_rolled_back_creation_gives_the_number_back(db, world):
    first = make_process(world.semad, world.ana)
    db.session.commit()
    make_process(world.semad, world.ana)
    db.session.rollback()
    again = make_process(world.semad, world.ana)
    assert ".000002/" in again.number and first.number != again.number


def _create_many(app, unit_id, user_id, type_id, n_threads, per_thread):
    barrier = threading.Barrier(n_threads)
    numbers, errors = [], []

    def work():
        try:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                # A POST request context: on SQLite the transaction begins IMMEDIATE, as in production.
                with app.test_request_context("/processos/novo", method="POST"):
                    unit, user = _db.session.get(Unit, unit_id), _db.session.get(User, user_id)
                    process = processes.create_process(unit, by=user, process_type=_db.session.get(ProcessType, type_id),
                                                       specification="Concorrência", token=form_tokens.new_token())
                    number = process.number
                    _db.session.commit()
                    _db.session.remove()
                numbers.append(number)
        except Exception as error:  # reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return numbers, errors


def test_concurrent_creation_gives_distinct_gap_free_numbers(app, db, world):
    """Eight clerks (threads, each with its own connection) create 40 processes at the same time."""
    type_id = catalog.find_type(world.pm, "Pessoal: Férias").id
    unit_id, user_id = world.semad.id, world.ana.id
    db.session.commit()
    numbers, errors = _create_many(app, unit_id, user_id, type_id, n_threads=8, per_thread=5)
    assert errors == []
    assert len(numbers) == len(set(numbers)) == 40
    sequences = sorted(int(n.split(".")[1].split("/")[0]) for n in numbers)
    assert sequences == list(range(1, 41))
    stored = db.session.scalars(select(Process.number)).all()
    assert sorted(stored) == sorted(numbers)


@pytest.mark.parametrize("mask", ["nup", "nipe"])
def test_every_number_is_valid(db, world, mask):
    world.pm.number_mask, world.pm.nipe_state_code = mask, "31"
    for _ in range(3):
        assert is_valid_process_number(make_process(world.semad, world.ana).number)
