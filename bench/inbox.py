"""Controle de Processos with 10 000 processes open in one unit: server time and compressed sizes.

Seeds SEMAD (user "ana") with 10 000 open processes — varied especificações and types, a third
with markers, a quarter with notes, a fifth assigned to someone else, some with deadlines, a tenth
received and unread — then times the inbox page, its htmx fragment, a deep page (keyset cursor)
and the "atribuídos a mim" filter, next to a bare Flask route measured in the same run.

Run: .venv/bin/python bench/inbox.py   (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL;
BENCH_PROCESSES=n to change the volume). Target: p95 ≤ 30 ms, page ≤ 14 KB, fragment ≤ 2 KB."""
import os
import random
import re
import time
from datetime import timedelta

from _common import css_of, floor_client, logged_in_client, make_app, sizes, timed
from sqlalchemy import event, insert, select, text

from app.extensions import db
from app.models import Counter, HistoryEntry, Process, ProcessMarker, ProcessType, ProcessUnit, User
from app.models.base import utcnow
from app.seeds.demo_processes import random_specification
from app.services import orgs, unit_tools
from app.services.numbering import format_nup, normalize_process_number

N = int(os.environ.get("BENCH_PROCESSES", "10000"))
TARGET_MS, PAGE_BUDGET, FRAGMENT_BUDGET = 30.0, 14 * 1024, 2 * 1024


def seed(app, n):
    """Bulk-insert n open processes in SEMAD (core inserts: the services would take minutes)."""
    rng = random.Random(2026)
    with app.app_context():
        org = orgs.find_org("PMEX")
        unit = orgs.find_unit(org, "SEMAD")
        ana = db.session.scalar(select(User).where(User.login == "ana"))
        others = [u for u in unit_tools.unit_users(unit) if u.id != ana.id]
        types = db.session.scalars(select(ProcessType).where(ProcessType.organization_id == org.id)).all()
        have = {m.name for m in unit_tools.unit_markers(unit, active_only=False)}
        for name, color in (("Prioridade", "laranja"), ("Aguardando resposta", "azul"), ("Jurídico", "roxo")):
            if name not in have:
                unit_tools.create_marker(unit, by=ana, name=name, color=color)
        markers = unit_tools.unit_markers(unit)
        db.session.commit()
        start_seq = (db.session.scalar(select(Counter.value).where(Counter.scope == f"nup:{org.protocol_code}:2026"))
                     or 0) + 1
        now = utcnow()
        processes, rows, marks, entries = [], [], [], []
        first_id = (db.session.scalar(select(db.func.max(Process.id))) or 0) + 1
        for i in range(n):
            pid, moved = first_id + i, now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            number = format_nup(org.protocol_code, start_seq + i, 2026)
            ptype = rng.choice(types)
            processes.append(dict(id=pid, organization_id=org.id, number=number,
                                  number_digits=normalize_process_number(number), type_id=ptype.id,
                                  specification=random_specification(rng), access_level="publico",
                                  generating_unit_id=unit.id, author_id=ana.id, created_at=moved, state="open"))
            received = rng.random() < 0.10
            rows.append(dict(process_id=pid, unit_id=unit.id, origin="received" if received else "generated",
                             opened_at=moved, seen_at=None if received else moved,
                             assigned_to_id=rng.choice(others).id if others and rng.random() < 0.2 else ana.id,
                             note="Conferir a documentação antes de enviar" if rng.random() < 0.25 else None,
                             note_priority=rng.random() < 0.05, last_movement_at=moved,
                             deadline=(now + timedelta(days=rng.randint(-10, 40))).date() if rng.random() < 0.15 else None))
            if rng.random() < 0.33:
                marks.append(dict(process_id=pid, unit_id=unit.id, marker_id=rng.choice(markers).id,
                                  text=f"Ver até {rng.randint(1, 28)}/12" if rng.random() < 0.6 else None,
                                  user_id=ana.id, at=moved))
            entries.append(dict(process_id=pid, unit_id=unit.id, user_id=ana.id, at=moved, kind="process_created",
                                params={"level": "publico"}, unit_only=False))
        for table, values in ((Process, processes), (ProcessUnit, rows), (ProcessMarker, marks), (HistoryEntry, entries)):
            for chunk in range(0, len(values), 2000):
                db.session.execute(insert(table), values[chunk:chunk + 2000])
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE process_unit"))
        return unit.id


def count_queries(app, fn):
    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def main():
    app = make_app()
    started = time.perf_counter()
    seed(app, N)
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}  "
          f"seeded {N} open processes in SEMAD in {time.perf_counter() - started:.1f} s")
    client = logged_in_client(app, "ana")
    fragment_headers = {"HX-Request": "true"}
    page = client.get("/")
    assert page.status_code == 200, page.status_code
    html = page.get_data()
    rows = len(re.findall(rb'name="ids"', html))
    cursor = re.search(rb'apos=([0-9-]+)', html).group(1).decode()
    for _ in range(100):  # walk 100 pages down for a deep cursor
        deep = client.get(f"/?apos={cursor}", headers=fragment_headers).get_data()
        cursor = re.search(rb'apos=([0-9-]+)"', deep).group(1).decode()
    fragment = client.get("/", headers=fragment_headers).get_data()
    type_id = re.search(rb'<option value="(\d+)">Licita', html).group(1).decode()
    page_gz, page_br = sizes(html, css_of(client, html))
    frag_gz, frag_br = sizes(fragment)
    cases = [("inbox page (GET /)", lambda: client.get("/")),
             ("inbox fragment (htmx)", lambda: client.get("/", headers=fragment_headers)),
             ("deep page (~page 100, keyset)", lambda: client.get(f"/?apos={cursor}", headers=fragment_headers)),
             ("filter atribuídos a mim (htmx)", lambda: client.get("/?meus=y", headers=fragment_headers)),
             ("filter by tipo, ~4% of rows (htmx)", lambda: client.get(f"/?tipo={type_id}", headers=fragment_headers))]
    bare = floor_client()
    floor = timed(lambda: bare.get("/"), n=500)
    print(f"\n{'case':36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    worst = 0.0
    for label, fn in cases:
        p50, p95 = timed(fn, n=300, warmup=30)
        worst = max(worst, p95)
        print(f"{label:36} {p50:8.2f} {p95:8.2f} {count_queries(app, fn):8d}")
    print(f"{'bare Flask route (floor)':36} {floor[0]:8.2f} {floor[1]:8.2f}")
    p50_page = timed(lambda: client.get("/"), n=300)[0]
    print(f"\nratio inbox page / bare Flask (p50): {p50_page / floor[0]:.1f}x")
    print(f"rows per page: {rows}")
    print(f"full page HTML {len(html)} B: gzip {page_gz} B, br {page_br} B (HTML + app.css; budget {PAGE_BUDGET})")
    print(f"fragment HTML {len(fragment)} B: gzip {frag_gz} B, br {frag_br} B (budget {FRAGMENT_BUDGET})")
    ok = worst <= TARGET_MS and page_gz <= PAGE_BUDGET and frag_gz <= FRAGMENT_BUDGET
    print(f"\n{'OK' if ok else 'OVER TARGET'}: worst p95 {worst:.2f} ms (target {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
