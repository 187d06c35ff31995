"""Enviar Processo to 10 units in a loop: send latency p50/p95, then the inbox of a destination unit.

Seeds the demo, ten destination units (BENCH01…BENCH10, user "dest" in BENCH01, which already holds
BENCH_BACKGROUND open processes, default 10 000), and BENCH_SENDS processes in SEMAD (default 200).
Each process is then sent by HTTP (POST /processos/<id>/enviar, as the form does, with its version)
to the ten units, keeping a Retorno Programado on every fifth. Afterwards it times the Controle de
Processos of BENCH01 (page and htmx list) and prints its counts and compressed sizes, next to a bare
Flask route measured in the same run. Finally it checks that rebuilding the state from the history
finds no difference.

Run: .venv/bin/python bench/routing.py   (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)."""
import os
import random
import statistics
import time
from datetime import timedelta

from _common import css_of, floor_client, logged_in_client, make_app, sizes, timed
from sqlalchemy import func, insert, select, text

from app.extensions import db
from app.models import HistoryEntry, Process, ProcessType, ProcessUnit, Unit, User
from app.models.base import utcnow
from app.services import business_days, orgs, processes, state_rebuild, users
from app.services.numbering import format_nup, normalize_process_number

SENDS = int(os.environ.get("BENCH_SENDS", "200"))
BACKGROUND = int(os.environ.get("BENCH_BACKGROUND", "10000"))
DESTINATIONS = 10


def seed(app):
    """Ten destination units, a user in the first, its background inbox and the processes to send."""
    rng = random.Random(4)
    with app.app_context():
        org = orgs.find_org("PMEX")
        semad = orgs.find_unit(org, "SEMAD")
        ana = db.session.scalar(select(User).where(User.login == "ana"))
        units = [orgs.create_unit(org, sigla=f"BENCH{i:02d}", name=f"Unidade de Teste {i:02d}")
                 for i in range(1, DESTINATIONS + 1)]
        users.create_user(org, login="dest", name="Destino Bench", password="Expediente@2026", units=[units[0]])
        ptype = db.session.scalar(select(ProcessType).where(ProcessType.organization_id == org.id).limit(1))
        db.session.commit()
        now, first = utcnow(), (db.session.scalar(select(func.max(Process.id))) or 0) + 1
        rows, procs, entries = [], [], []
        for i in range(BACKGROUND):  # older processes already open in BENCH01 (bulk: services would take minutes)
            pid, moved = first + i, now - timedelta(minutes=rng.randint(60, 400 * 24 * 60))
            number = format_nup("54321", i + 1, 2026)
            procs.append(dict(id=pid, organization_id=org.id, number=number, number_digits=normalize_process_number(number),
                              type_id=ptype.id, specification=f"Processo antigo {i}", access_level="publico",
                              generating_unit_id=units[0].id, author_id=ana.id, created_at=moved, state="open", version=0))
            rows.append(dict(process_id=pid, unit_id=units[0].id, origin="generated", opened_at=moved, seen_at=moved,
                             last_movement_at=moved, sigiloso=False))
            entries.append(dict(process_id=pid, unit_id=units[0].id, user_id=ana.id, at=moved, kind="process_created",
                                params={"level": "publico"}, unit_only=False))
        for table, values in ((Process, procs), (ProcessUnit, rows), (HistoryEntry, entries)):
            for chunk in range(0, len(values), 2000):
                db.session.execute(insert(table), values[chunk:chunk + 2000])
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("process", "process_unit", "history"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        created = [processes.create_process(semad, by=ana, process_type=ptype, specification=f"Envio de teste {i}").id
                   for i in range(SENDS)]
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return created, [u.id for u in units]


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main():
    app = make_app()
    started = time.perf_counter()
    created, unit_ids = seed(app)
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}  seeded {SENDS} processes in SEMAD and "
          f"{BACKGROUND} open in BENCH01 in {time.perf_counter() - started:.1f} s")
    client = logged_in_client(app, "ana")
    with app.app_context():
        semad = orgs.find_unit(orgs.find_org("PMEX"), "SEMAD")
        ana = db.session.scalar(select(User).where(User.login == "ana"))
        if ana.last_unit_id != semad.id:
            client.post("/unidade", data={"unit_id": semad.id})
        due = business_days.add_business_days(semad.organization, processes.today(), 5).isoformat()
    samples, failures = [], 0
    for n, process_id in enumerate(created):
        data = {"op": "send", "version": "0", "units": unit_ids}
        if n % 5 == 0:
            data["return_date"] = due
        start = time.perf_counter()
        response = client.post(f"/processos/{process_id}/enviar", data=data)
        samples.append((time.perf_counter() - start) * 1000)
        failures += response.status_code != 303
    p50, p95 = percentiles(samples)
    print(f"\nEnviar Processo to {DESTINATIONS} units (HTTP POST, commit included), {len(samples)} sends, "
          f"{failures} refused")
    print(f"{'send latency':36} {p50:8.2f} {p95:8.2f}   (p50 / p95 ms)")
    double = client.post(f"/processos/{created[0]}/enviar", data={"op": "send", "version": "0", "units": unit_ids})
    print(f"same form submitted again: HTTP {double.status_code} (refused, nothing changed)")

    dest = logged_in_client(app, "dest")
    frag = {"HX-Request": "true"}
    page, fragment = dest.get("/").get_data(), dest.get("/", headers=frag).get_data()
    page_gz, _ = sizes(page, css_of(dest, page))
    frag_gz, _ = sizes(fragment)
    with app.app_context():
        counts = dict(db.session.execute(select(ProcessUnit.origin, func.count()).where(
            ProcessUnit.unit_id == unit_ids[0], ProcessUnit.closed_at.is_(None)).group_by(ProcessUnit.origin)).all())
        unread = db.session.scalar(select(func.count()).select_from(ProcessUnit).where(
            ProcessUnit.unit_id == unit_ids[0], ProcessUnit.closed_at.is_(None), ProcessUnit.seen_at.is_(None)))
        returns = db.session.scalar(select(func.count()).select_from(ProcessUnit).where(
            ProcessUnit.unit_id == unit_ids[0], ProcessUnit.return_due.is_not(None)))
        unit = db.session.get(Unit, unit_ids[0])
    print(f"\nControle de Processos of {unit.sigla} afterwards: {counts.get('received', 0)} recebidos "
          f"({unread} não visualizados, {returns} com retorno programado), {counts.get('generated', 0)} gerados")
    bare = floor_client()
    floor = timed(lambda: bare.get("/"), n=300)
    print(f"{'case':36} {'p50 ms':>8} {'p95 ms':>8}")
    for label, fn in (("inbox page (GET /)", lambda: dest.get("/")),
                      ("inbox list (htmx)", lambda: dest.get("/", headers=frag)),
                      ("only received (htmx)", lambda: dest.get("/?origem=recebidos", headers=frag))):
        q50, q95 = timed(fn, n=200, warmup=20)
        print(f"{label:36} {q50:8.2f} {q95:8.2f}")
    print(f"{'bare Flask route (floor)':36} {floor[0]:8.2f} {floor[1]:8.2f}")
    print(f"full page gzip {page_gz} B (HTML + app.css; budget 14336), htmx list gzip {frag_gz} B (budget 2048)")
    with app.app_context():
        start = time.perf_counter()
        checked, differing = state_rebuild.rebuild(check_only=True, process_ids=created)
        print(f"\nrebuild-state --check over the {checked} sent processes: {differing} differences "
              f"({(time.perf_counter() - start) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
