"""Controle de Processos: unread marks, filters, keyset pagination, batch actions, budgets."""
import gzip
import random
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from app.models import ProcessUnit, Watch
from app.models.base import utcnow
from app.seeds.demo_processes import random_specification
from app.services import inbox, unit_tools
from tests.conftest import post_form
from tests.process_factory import make_process

TYPES = ["Administração Geral: Processo Administrativo", "Pessoal: Férias", "Finanças: Pagamento a Fornecedor",
         "Ouvidoria: Pedido de Acesso à Informação", "Ouvidoria: Reclamação", "Licitação: Dispensa",
         "Tributário: Restituição de IPTU", "Obras: Alvará de Construção"]


def fill(db, world, n, unit=None, user=None):
    """n realistic processes in the unit, a third marked, a quarter noted, some with deadlines."""
    unit, user = unit or world.semad, user or world.ana
    markers = [unit_tools.create_marker(unit, by=user, name=name, color=color) for name, color in
               (("Urgente", "vermelho"), ("Aguardando documentação", "amarelo"))]
    out, rng = [], random.Random(n)
    for i in range(n):
        process = make_process(unit, user, type_name=TYPES[i % len(TYPES)], specification=random_specification(rng))
        if i % 3 == 0:
            unit_tools.apply_marker(process, unit, by=user, marker=markers[i % 2], text=f"Ver até dia {i % 28 + 1}")
        if i % 4 == 0:
            unit_tools.set_note(process, unit, by=user, text="Conferir com o setor de compras", priority=i % 8 == 0)
        if i % 5 == 0:
            unit_tools.assign(process, unit, by=user, user=world.admin)
        out.append(process)
    db.session.commit()
    return out


def _received(db, process, unit):
    db.session.add(ProcessUnit(process_id=process.id, unit_id=unit.id, origin="received", last_movement_at=utcnow()))
    db.session.commit()


def _numbers(html):
    return re.findall(r">(\d{5}\.\d{6}/\d{4}-\d{2})</a>", html)


def test_generated_and_received_columns_and_unread(client, world, login, db):
    mine = make_process(world.gab, world.bia, specification="Gerado no GAB")
    theirs = make_process(world.semad, world.ana, specification="Veio da SEMAD")
    _received(db, theirs, world.gab)
    login("bia")
    html = client.get("/").get_data(as_text=True)
    received, generated = html.split(">Recebidos <small>")[1].split(">Gerados <small>")
    assert theirs.number in received and mine.number in generated
    assert '<tr class="unread">' in received and "(não visualizado)" in received
    assert '<td class="tip">Administração Geral: Processo Administrativo<span class="sr"> — Gerado no GAB</span>' \
        in generated  # the especificação: on hover (CSS) and for screen readers
    client.get(f"/processos/{theirs.id}")
    assert '<tr class="unread">' not in client.get("/").get_data(as_text=True)


def test_filters(client, world, login, db):
    processes = fill(db, world, 12)
    urgent = unit_tools.unit_markers(world.semad)[1]  # "Urgente" (sorted by name)
    login("ana")
    assert len(_numbers(client.get("/").get_data(as_text=True))) == 12
    mine = _numbers(client.get("/?meus=y").get_data(as_text=True))
    assert len(mine) == 12 - 3  # every fifth was given to admin
    marked = _numbers(client.get(f"/?marcador={urgent.id}").get_data(as_text=True))
    assert set(marked) == {p.number for i, p in enumerate(processes) if i % 3 == 0 and i % 2 == 0}
    by_type = _numbers(client.get(f"/?tipo={processes[1].type_id}").get_data(as_text=True))
    assert by_type == [p.number for p in reversed(processes) if p.type_id == processes[1].type_id]
    assert _numbers(client.get("/?origem=recebidos").get_data(as_text=True)) == []
    assert len(_numbers(client.get("/?marcador=abc&tipo=-1&origem=x&apos=lixo").get_data(as_text=True))) == 0


def test_keyset_pagination_walks_everything_once(app, client, world, login, db):
    processes = fill(db, world, 23)
    size, app.config["INBOX_PAGE_SIZE"] = app.config["INBOX_PAGE_SIZE"], 10
    try:
        login("ana")
        seen, url = [], "/"
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += _numbers(html)
            match = re.search(r'<a href="([^"]+)" hx-get="[^"]+" hx-target="#inbox" hx-push-url="true">Próxima página', html)
            url = match.group(1).replace("&amp;", "&") if match else None
        assert seen == [p.number for p in reversed(processes)]
    finally:
        app.config["INBOX_PAGE_SIZE"] = size


def test_cursor_round_trip():
    now = utcnow()
    moved, row_id = inbox.decode_cursor(inbox.encode_cursor(now, 42))
    assert row_id == 42 and abs((moved - now).total_seconds()) < 1e-5
    assert inbox.decode_cursor("x") is None and inbox.decode_cursor("1-2-3") is None and inbox.decode_cursor(None) is None


def test_filter_and_paging_answer_htmx_with_the_list_only(client, world, login, db):
    fill(db, world, 3)
    login("ana")
    html = client.get("/?meus=y", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in html and "Recebidos" in html and 'name="volta" value="/?meus=y"' in html
    full = client.get("/?meus=y", headers={"HX-Request": "true", "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in full


def _batch(client, data):
    return post_form(client, "/processos/lote", data, page_url="/")


def test_batch_assign_marker_watch(client, world, login, db):
    processes = fill(db, world, 4)
    ids = [p.id for p in processes[:3]]
    group = unit_tools.create_watch_group(world.semad, by=world.ana, name="Compras")
    db.session.commit()
    marker = unit_tools.unit_markers(world.semad)[0]
    login("ana")
    assert _batch(client, {"ids": ids, "action": "assign", "assignee": world.admin.id, "volta": "/?meus=y"}
                  ).headers["Location"] == "/?meus=y"
    assert _batch(client, {"ids": ids, "action": "marker", "marker_id": marker.id, "marker_text": "Lote"}).status_code == 303
    assert _batch(client, {"ids": ids, "action": "watch", "group_id": group.id, "observation": "Lote"}).status_code == 303
    db.session.expire_all()
    rows = db.session.scalars(select(ProcessUnit).where(ProcessUnit.process_id.in_(ids))).all()
    assert {r.assigned_to_id for r in rows} == {world.admin.id}
    assert all(any(m.marker_id == marker.id and m.text == "Lote" for m in r.markers) for r in rows)
    assert len(db.session.scalars(select(Watch).where(Watch.group_id == group.id)).all()) == 3


def test_batch_bad_input_changes_nothing(client, world, login, db):
    processes = fill(db, world, 2)
    elsewhere = make_process(world.gab, world.bia)
    db.session.commit()
    login("ana")
    response = _batch(client, {"action": "assign", "assignee": world.admin.id})
    assert response.status_code == 422 and "Selecione pelo menos um processo" in response.get_data(as_text=True)
    response = _batch(client, {"ids": [processes[1].id, elsewhere.id], "action": "assign", "assignee": world.admin.id})
    assert response.status_code == 422 and "não estão abertos na unidade SEMAD" in response.get_data(as_text=True)
    response = _batch(client, {"ids": [processes[0].id], "action": "explodir"})
    assert response.status_code == 422 and "Escolha a ação" in response.get_data(as_text=True)
    response = _batch(client, {"ids": [processes[1].id], "action": "assign", "assignee": world.bia.id})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(ProcessUnit.assigned_to_id).where(ProcessUnit.process_id == processes[1].id)) \
        == world.ana.id


def test_batch_htmx_refreshes_the_list(client, world, login, db):
    processes = fill(db, world, 2)
    login("ana")
    response = _batch_htmx(client, {"ids": [processes[0].id], "action": "assign", "assignee": world.admin.id,
                                    "volta": "/"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Ação aplicada" in html


def _batch_htmx(client, data):
    return post_form(client, "/processos/lote", data, page_url="/", headers={"HX-Request": "true"},
                     follow_redirects=True)


@contextmanager
def count_queries(db):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def test_query_count_does_not_grow_with_rows(client, world, login, db):
    fill(db, world, 3)
    login("ana")
    client.get("/")
    with count_queries(db) as few:
        client.get("/")
    fill_more = [make_process(world.semad, world.ana, specification=f"Mais {i}") for i in range(40)]
    for p in fill_more[::2]:
        unit_tools.assign(p, world.semad, by=world.ana, user=world.admin)
    db.session.commit()
    with count_queries(db) as many:
        client.get("/")
    assert len(many) == len(few), many


def test_page_and_fragment_budgets(app, client, world, login, db):
    fill(db, world, 60)
    login("ana")
    page = client.get("/")
    html = page.get_data()
    css = client.get(re.search(rb'href="(/static/app\.css\?v=\w+)"', html).group(1).decode()).get_data()
    assert len(_numbers(html.decode())) == app.config["INBOX_PAGE_SIZE"]
    page_size = len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))
    assert page_size <= 14 * 1024, page_size
    fragment = client.get("/?apos=", headers={"HX-Request": "true"}).get_data()
    assert b"<html" not in fragment
    assert len(gzip.compress(fragment, 9)) <= 2 * 1024, len(gzip.compress(fragment, 9))


@pytest.mark.parametrize("url", ["/processos/novo", "/acompanhamento", "/marcadores"])
def test_other_pages_budgets(client, world, login, db, url):
    login("ana")
    html = client.get(url).get_data()
    css = client.get(re.search(rb'href="(/static/app\.css\?v=\w+)"', html).group(1).decode()).get_data()
    assert len(gzip.compress(html, 9)) + len(gzip.compress(css, 9)) <= 14 * 1024


def test_process_page_budget(client, world, login, db):
    process = fill(db, world, 1)[0]
    login("ana")
    html = client.get(f"/processos/{process.id}").get_data()
    css = client.get(re.search(rb'href="(/static/app\.css\?v=\w+)"', html).group(1).decode()).get_data()
    assert len(gzip.compress(html, 9)) + len(gzip.compress(css, 9)) <= 14 * 1024
    tools = client.get(f"/processos/{process.id}", headers={"HX-Request": "true"}).get_data()
    assert b"<html" not in tools and len(gzip.compress(tools, 9)) <= 2 * 1024
