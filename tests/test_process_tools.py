"""The unit's tools: Atribuir, Anotação, Controle de Prazo, Marcadores, Acompanhamento Especial."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import MarkerHistory, ProcessUnit, Watch
from app.models.base import utcnow
from app.services import history, inbox, unit_tools
from app.services.access import NotOpenHere
from app.services.errors import DomainError
from tests.conftest import post_form
from tests.process_factory import make_process


@pytest.fixture
def proc(db, world):
    process = make_process(world.semad, world.ana, specification="Compra de cadeiras")
    db.session.commit()
    return process


def _row(db, process, unit):
    db.session.expire_all()
    return db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == process.id,
                                                       ProcessUnit.unit_id == unit.id))


def _texts(process, unit):
    return [history.describe(e) for e in history.entries_for(process, unit)]


def test_assign_and_unassign_write_history(db, world, proc):
    assert unit_tools.assign(proc, world.semad, by=world.ana, user=world.admin)
    assert not unit_tools.assign(proc, world.semad, by=world.ana, user=world.admin)  # no change, no entry
    unit_tools.assign(proc, world.semad, by=world.ana, user=None)
    texts = _texts(proc, world.gab)  # public entries: another unit sees them too
    assert "Processo atribuído para Admin PM" in texts and "Removida a atribuição do processo (era de Admin PM)" in texts


def test_assign_to_user_outside_the_unit_is_refused(db, world, proc):
    with pytest.raises(DomainError, match="não trabalha na unidade SEMAD") as error:
        unit_tools.assign(proc, world.semad, by=world.ana, user=world.bia)
    assert error.value.field == "user_id"


def test_tools_need_the_process_open_in_the_unit(db, world, proc):
    marker = unit_tools.create_marker(world.gab, by=world.bia, name="Urgente", color="vermelho")
    for action in (lambda: unit_tools.assign(proc, world.gab, by=world.bia, user=world.bia),
                   lambda: unit_tools.set_note(proc, world.gab, by=world.bia, text="x"),
                   lambda: unit_tools.set_deadline(proc, world.gab, by=world.bia, deadline=date(2030, 1, 1)),
                   lambda: unit_tools.apply_marker(proc, world.gab, by=world.bia, marker=marker)):
        with pytest.raises(NotOpenHere, match="não está aberto na unidade GAB"):
            action()


def test_note_is_unit_private_and_follows_the_row(db, world, proc):
    unit_tools.set_note(proc, world.semad, by=world.ana, text="Ligar para o fornecedor", priority=True)
    row = _row(db, proc, world.semad)
    assert row.note == "Ligar para o fornecedor" and row.note_priority
    assert "Anotação registrada com prioridade" in _texts(proc, world.semad)
    assert not any("Anotação" in t for t in _texts(proc, world.gab))
    unit_tools.set_note(proc, world.semad, by=world.ana, text="  ", priority=True)
    row = _row(db, proc, world.semad)
    assert row.note is None and not row.note_priority and "Anotação removida" in _texts(proc, world.semad)
    with pytest.raises(DomainError, match="no máximo 2000"):
        unit_tools.set_note(proc, world.semad, by=world.ana, text="x" * 2001)


def test_deadline(db, world, proc):
    unit_tools.set_deadline(proc, world.semad, by=world.ana, deadline=date(2026, 12, 20))
    assert _row(db, proc, world.semad).deadline == date(2026, 12, 20)
    assert "Prazo da unidade definido para 20/12/2026" in _texts(proc, world.semad)
    unit_tools.set_deadline(proc, world.semad, by=world.ana, deadline=None)
    assert "Prazo da unidade removido" in _texts(proc, world.semad)
    with pytest.raises(DomainError, match="inválida"):
        unit_tools.set_deadline(proc, world.semad, by=world.ana, deadline=date(1900, 1, 1))


def test_markers_add_change_remove_with_their_history(db, world, proc):
    urgent = unit_tools.create_marker(world.semad, by=world.ana, name="Urgente", color="vermelho")
    with pytest.raises(DomainError, match="já tem o marcador"):
        unit_tools.create_marker(world.semad, by=world.ana, name="urgente", color="azul")
    with pytest.raises(DomainError, match="cor"):
        unit_tools.create_marker(world.semad, by=world.ana, name="Outro", color="rosa-choque")
    unit_tools.apply_marker(proc, world.semad, by=world.ana, marker=urgent, text="Até sexta")
    unit_tools.apply_marker(proc, world.semad, by=world.ana, marker=urgent, text="Até segunda")
    assert [(m.marker.name, m.text) for m in unit_tools.markers_on(proc, world.semad)] == [("Urgente", "Até segunda")]
    unit_tools.remove_marker(proc, world.semad, by=world.ana, marker=urgent)
    assert unit_tools.markers_on(proc, world.semad) == []
    log = db.session.scalars(select(MarkerHistory).order_by(MarkerHistory.id)).all()
    assert [(h.action, h.text) for h in log] == [("added", "Até sexta"), ("changed", "Até segunda"),
                                                 ("removed", "Até segunda")]
    assert {"Marcador “Urgente” incluído", "Marcador “Urgente” retirado"} <= set(_texts(proc, world.semad))
    assert not any("Marcador" in t for t in _texts(proc, world.gab))


def test_marker_of_another_unit_or_inactive_is_refused(db, world, proc):
    theirs = unit_tools.create_marker(world.gab, by=world.bia, name="Deles", color="azul")
    with pytest.raises(DomainError, match="marcador ativo desta unidade"):
        unit_tools.apply_marker(proc, world.semad, by=world.ana, marker=theirs)
    ours = unit_tools.create_marker(world.semad, by=world.ana, name="Antigo", color="cinza")
    unit_tools.update_marker(ours, world.semad, by=world.ana, name="Antigo", color="cinza", active=False)
    with pytest.raises(DomainError, match="marcador ativo"):
        unit_tools.apply_marker(proc, world.semad, by=world.ana, marker=ours)


def test_watch_stays_after_the_process_leaves(db, world, proc):
    group = unit_tools.create_watch_group(world.semad, by=world.ana, name="Compras")
    unit_tools.watch(proc, world.semad, by=world.ana, group=group, observation="Ver a entrega")
    _row(db, proc, world.semad).closed_at = utcnow()  # what sending without "manter aberto" does
    db.session.commit()
    watches, _, where = inbox.watched_page(world.ana, world.semad)
    assert [w.process_id for w in watches] == [proc.id] and where == {}
    unit_tools.watch(proc, world.semad, by=world.ana, group=None, observation="")
    assert "Acompanhamento Especial alterado" in _texts(proc, world.semad)
    unit_tools.unwatch(proc, world.semad, by=world.ana)
    assert db.session.scalar(select(Watch)) is None
    with pytest.raises(DomainError, match="não está em Acompanhamento"):
        unit_tools.unwatch(proc, world.semad, by=world.ana)


def test_watch_group_of_another_unit_and_unreadable_process(db, world, proc):
    theirs = unit_tools.create_watch_group(world.gab, by=world.bia, name="Deles")
    with pytest.raises(DomainError, match="grupo desta unidade"):
        unit_tools.watch(proc, world.semad, by=world.ana, group=theirs)
    secret = make_process(world.semad, world.ana, level="restrito", basis="Informação Pessoal")
    with pytest.raises(DomainError, match="não pode acompanhar"):
        unit_tools.watch(secret, world.gab, by=world.bia)


# --- Views (plain forms and htmx) ------------------------------------------------------------

def test_tool_forms_post_redirect_get(client, world, login, db, proc):
    marker = unit_tools.create_marker(world.semad, by=world.ana, name="Urgente", color="vermelho")
    db.session.commit()
    login("ana")
    page = f"/processos/{proc.id}"
    assert post_form(client, f"{page}/atribuir", {"assignee": world.admin.id}, page_url=page).status_code == 303
    assert post_form(client, f"{page}/anotacao", {"note": "Ligar", "priority": "y"}, page_url=page).status_code == 303
    assert post_form(client, f"{page}/prazo", {"deadline": "2026-12-20"}, page_url=page).status_code == 303
    assert post_form(client, f"{page}/marcadores", {"marker_id": marker.id, "marker_text": "Hoje"},
                     page_url=page).status_code == 303
    assert post_form(client, f"{page}/acompanhamento", {"group_id": 0, "observation": "Seguir"},
                     page_url=page).status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert '<option selected value="%d">Admin PM</option>' % world.admin.id in html
    assert "Ligar</textarea>" in html and 'value="2026-12-20"' in html and "mk-vermelho" in html and "Hoje" in html
    assert "acompanhado por SEMAD" in html
    assert post_form(client, f"{page}/marcadores/{marker.id}/retirar", page_url=page).status_code == 303
    assert post_form(client, f"{page}/acompanhamento/retirar", page_url=page).status_code == 303
    kinds = [e.kind for e in history.entries_for(proc, world.semad)]
    for kind in ("assigned", "note_set", "deadline_set", "marker_added", "watch_added", "marker_removed",
                 "watch_removed"):
        assert kind in kinds


def test_tool_htmx_gets_only_the_tools_part(client, world, login, db, proc):
    login("ana")
    page = f"/processos/{proc.id}"
    response = post_form(client, f"{page}/anotacao", {"note": "x"}, page_url=page,
                         headers={"HX-Request": "true"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Anotação salva." in html
    assert "Árvore do processo" not in html and "Atribuir Processo" in html


def test_tool_bad_input_422_with_message(client, world, login, db, proc):
    login("ana")
    page = f"/processos/{proc.id}"
    response = post_form(client, f"{page}/anotacao", {"note": "x" * 2001}, page_url=page)
    assert response.status_code == 422 and "2000" in response.get_data(as_text=True)
    response = post_form(client, f"{page}/atribuir", {"assignee": world.bia.id}, page_url=page)
    assert response.status_code == 422
    assert _row(db, proc, world.semad).assigned_to_id == world.ana.id


def test_tools_refused_where_the_process_is_not_open(client, world, login, db, proc):
    login("bia")  # GAB: may see the public process, may not act on it
    page = f"/processos/{proc.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Atribuir Processo" not in html and "Acompanhar" in html
    response = post_form(client, f"{page}/anotacao", {"note": "intrusa"}, page_url=page)
    assert response.status_code == 422 and "não está aberto na unidade GAB" in response.get_data(as_text=True)
    assert _row(db, proc, world.semad).note is None


def test_unit_markers_page(client, world, login, db):
    login("ana")
    assert post_form(client, "/marcadores", {"name": "Urgente", "color": "vermelho"}).status_code == 303
    response = post_form(client, "/marcadores", {"name": "urgente", "color": "azul"})
    assert response.status_code == 422 and "já tem o marcador" in response.get_data(as_text=True)
    marker = unit_tools.unit_markers(world.semad)[0]
    response = post_form(client, f"/marcadores/{marker.id}", {f"m{marker.id}-name": "Muito urgente",
                                                                f"m{marker.id}-color": "laranja"}, page_url="/marcadores")
    assert response.status_code == 303
    db.session.expire_all()
    marker = unit_tools.unit_markers(world.semad, active_only=False)[0]
    assert (marker.name, marker.color, marker.active) == ("Muito urgente", "laranja", False)


def test_marker_of_another_unit_is_404(client, world, login, db):
    theirs = unit_tools.create_marker(world.gab, by=world.bia, name="Deles", color="azul")
    db.session.commit()
    login("admin")  # SEMAD only
    assert post_form(client, f"/marcadores/{theirs.id}", {f"m{theirs.id}-name": "x", f"m{theirs.id}-color": "azul"},
                     page_url="/marcadores").status_code == 404


def test_watched_page_and_groups(client, world, login, db, proc):
    login("ana")
    assert post_form(client, "/acompanhamento/grupos", {"name": "Compras"}, page_url="/acompanhamento").status_code == 303
    group = unit_tools.watch_groups(world.semad)[0]
    page = f"/processos/{proc.id}"
    post_form(client, f"{page}/acompanhamento", {"group_id": group.id, "observation": "Até a entrega"}, page_url=page)
    html = client.get("/acompanhamento").get_data(as_text=True)
    assert proc.number in html and "Até a entrega" in html and "Compras" in html
    fragment = client.get(f"/acompanhamento?grupo={group.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and proc.number in fragment
    other = client.get(f"/acompanhamento?grupo={group.id + 999}").get_data(as_text=True)
    assert proc.number not in other


def test_deadline_overdue_is_red_in_the_inbox(client, world, login, db, proc):
    from app.services.processes import today
    unit_tools.set_deadline(proc, world.semad, by=world.ana, deadline=today() - timedelta(days=1))
    db.session.commit()
    login("ana")
    html = client.get("/").get_data(as_text=True)
    assert 'class="ic late" title="Prazo:' in html
