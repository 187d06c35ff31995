"""Who may see or act on a process: Público / Restrito / Sigiloso, another unit, another órgão."""
import pytest
from sqlalchemy import select

from app.models import Process
from app.services import access, unit_tools
from app.services.errors import Forbidden, NotFound
from tests.conftest import csrf_from
from tests.process_factory import make_process

PROCESS_ROUTES = [("GET", "/processos/{id}"), ("GET", "/processos/{id}/alterar"), ("POST", "/processos/{id}/alterar"),
                  ("GET", "/processos/{id}/andamento"), ("POST", "/processos/{id}/atribuir"),
                  ("POST", "/processos/{id}/anotacao"), ("POST", "/processos/{id}/prazo"),
                  ("POST", "/processos/{id}/marcadores"), ("POST", "/processos/{id}/marcadores/{marker}/retirar"),
                  ("POST", "/processos/{id}/acompanhamento"), ("POST", "/processos/{id}/acompanhamento/retirar")]


@pytest.fixture
def levels(db, world):
    """One SEMAD process of each level (ana works in SEMAD and GAB; bia only in GAB)."""
    out = {"publico": make_process(world.semad, world.ana, specification="Público da SEMAD"),
           "restrito": make_process(world.semad, world.ana, level="restrito", basis="Informação Pessoal",
                                    specification="Restrito da SEMAD"),
           "sigiloso": make_process(world.semad, world.ana, level="sigiloso", basis="Sigilo do Inquérito Policial",
                                    type_name="Pessoal: Processo Administrativo Disciplinar",
                                    specification="Sigiloso da SEMAD")}
    db.session.commit()
    return out


def test_policy_matrix(world, levels):
    pub, res, sig = levels["publico"], levels["restrito"], levels["sigiloso"]
    assert all(access.can_read_process(world.ana, world.semad, p) for p in levels.values())
    assert access.can_read_process(world.bia, world.gab, pub)
    assert access.can_view_process(world.bia, world.gab, res) and not access.can_read_process(world.bia, world.gab, res)
    assert not access.can_view_process(world.bia, world.gab, sig)
    assert not access.can_view_process(world.caio, world.presi, pub)
    assert not access.can_view_process(world.bia, world.semad, pub)  # bia does not work in SEMAD
    with pytest.raises(NotFound):
        access.require_process(world.caio, world.presi, pub)
    with pytest.raises(NotFound):
        access.require_process(world.bia, world.gab, sig)
    with pytest.raises(Forbidden):
        access.require_readable(world.bia, world.gab, res)


def _listed(db, user, unit):
    return set(db.session.scalars(select(Process.specification).where(access.visible_processes_clause(user, unit))))


def test_listings_never_show_a_restricted_process_to_a_unit_where_it_has_not_been(db, world, levels):
    assert _listed(db, world.ana, world.semad) == {"Público da SEMAD", "Restrito da SEMAD", "Sigiloso da SEMAD"}
    assert _listed(db, world.bia, world.gab) == {"Público da SEMAD"}
    assert _listed(db, world.ana, world.gab) == {"Público da SEMAD"}  # the unit decides, not the person
    assert _listed(db, world.caio, world.presi) == set()
    assert _listed(db, world.bia, world.semad) == set()


def test_inbox_of_another_unit_does_not_list_them(client, world, login, levels):
    login("bia")
    html = client.get("/").get_data(as_text=True)
    assert not any(p.number in html for p in levels.values())


def test_restricted_page_shows_number_type_specification_and_history_only(client, world, login, levels):
    """Issue 4: a unit where a Restrito process never was sees number, type, especificação and history."""
    login("bia")
    res = levels["restrito"]
    html = client.get(f"/processos/{res.id}").get_data(as_text=True)
    assert res.number in html and "Restrito da SEMAD" in html and "só as unidades por onde ele tramitou" in html
    assert "Interessados" not in html
    assert "Acompanhar" not in html and "Incluir Documento" not in html
    assert "Processo restrito gerado" in client.get(f"/processos/{res.id}/andamento").get_data(as_text=True)


def test_sigiloso_is_404_everywhere_for_another_unit(client, world, login, db, levels):
    marker = unit_tools.create_marker(world.semad, by=world.ana, name="Urgente", color="vermelho")
    db.session.commit()
    login("bia")
    token = csrf_from(client.get("/").get_data(as_text=True))
    for method, route in PROCESS_ROUTES:
        url = route.format(id=levels["sigiloso"].id, marker=marker.id)
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 404, (method, url, response.status_code)


def test_another_unit_cannot_act_on_a_public_process(client, world, login, db, levels):
    pub = levels["publico"]
    marker = unit_tools.create_marker(world.gab, by=world.bia, name="Urgente", color="vermelho")
    db.session.commit()
    login("bia")
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.get(f"/processos/{pub.id}/alterar").status_code == 403
    for path, data in (("atribuir", {"assignee": world.bia.id}), ("anotacao", {"note": "x"}),
                       ("prazo", {"deadline": "2030-01-01"}), ("marcadores", {"marker_id": marker.id})):
        response = client.post(f"/processos/{pub.id}/{path}", data={"csrf_token": token, **data})
        assert response.status_code == 422, path
        assert "não está aberto na unidade GAB" in response.get_data(as_text=True)
    assert unit_tools.markers_on(pub, world.gab) == []


def test_user_without_the_unit_is_refused(client, world, login, db, levels):
    """bia's session cannot be pointed at SEMAD: her current unit is always one of hers."""
    login("bia")
    response = client.post("/unidade", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True)),
                                             "unit_id": world.semad.id})
    assert response.status_code == 403


def test_restricted_history_tells_other_units_what_happened_without_the_content(client, db, world, login, levels):
    from app.services import history
    process = levels["restrito"]
    history.record(process, "interested_changed", unit=world.semad, by=world.ana, added=["Maria Doente"], removed=[])
    history.record(process, "document_created", unit=world.semad, by=world.ana, sei="0000042",
                   title="Atestado médico de Maria Doente", doc_kind="external")
    history.record(process, "document_cancelled", unit=world.semad, by=world.ana, sei="0000042",
                   reason="Laudo psiquiátrico anexado por engano")
    db.session.commit()
    login("bia")  # GAB: the process has never been there
    page = client.get(f"/processos/{process.id}/andamento").get_data(as_text=True)
    assert "Interessados alterados" in page and "Incluído documento externo (0000042)" in page
    assert "Cancelado documento 0000042" in page
    assert "Maria Doente" not in page and "Laudo" not in page
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login("ana")  # SEMAD, where it is open
    page = client.get(f"/processos/{process.id}/andamento").get_data(as_text=True)
    assert "Maria Doente" in page and "Laudo psiquiátrico anexado por engano" in page
