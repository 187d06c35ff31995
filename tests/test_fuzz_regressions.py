"""Route-level bugs a fuzzing run found: doubled and stale submits, impossible values and htmx fragments
each get a Portuguese message (or 404) and change nothing, never a 500."""
import gzip
import re

import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, HistoryEntry, Holiday, ProcessRelation, ProcessUnit, Watch
from app.models.signature import SignatureBlock
from app.services import blocks, process_actions, relations, seal, unit_tools
from app.services.errors import Duplicate, InvalidInput
from tests.conftest import csrf_from, post_form
from tests.routing_support import rw  # noqa: F401  (fixture)
from tests.signing_support import docworld, signworld  # noqa: F401  (fixtures)

HX = {"HX-Request": "true"}


def _count(db, model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _history(db, process, kind=None):
    where = [HistoryEntry.process_id == process.id] + ([HistoryEntry.kind == kind] if kind else [])
    return _count(db, HistoryEntry, *where)


def _audit_kinds(db, org):
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.kind).where(AuditEntry.organization_id == org.id,
                                                                 AuditEntry.kind.startswith("block_"))
                                   .order_by(AuditEntry.id)))


def _hidden(html, name):
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


# --- 1. Remover relacionamento ---------------------------------------------------------------

def test_removing_a_relation_twice_shows_the_relations_page_with_the_message(client, rw, login, db):
    relations.relate(rw.pub, rw.semad, by=rw.ana, other=rw.res)
    db.session.commit()
    login("ana")
    url = f"/processos/{rw.pub.id}/relacionamentos/{rw.res.id}/remover"
    page = f"/processos/{rw.pub.id}/relacionamentos"
    assert post_form(client, url, page_url=page).status_code == 303
    again = post_form(client, url, page_url=page)
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "Os processos não estão relacionados." in html
    assert 'name="number"' in html                    # the Relacionar form is there, empty
    assert _history(db, rw.pub, "process_unrelated") == 1


def test_removing_a_relation_where_the_process_is_not_open_is_refused(client, rw, login, db):
    relations.relate(rw.pub, rw.semad, by=rw.ana, other=rw.res)
    db.session.commit()
    login("carla")                                      # SEFAZ: the process is not open there
    page = f"/processos/{rw.pub.id}/relacionamentos"
    response = post_form(client, f"{page}/{rw.res.id}/remover", page_url=page)
    assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)
    assert _count(db, ProcessRelation) == 1


# --- 2. Incluir feriados nacionais ------------------------------------------------------------

@pytest.mark.parametrize("year", ["20266", "10000", "-1", "1999"])
def test_national_holidays_refuse_an_impossible_year(client, world, login, db, year):
    login("admin")
    before = _count(db, Holiday)
    response = post_form(client, "/admin/feriados/nacionais", {"year": year}, page_url="/admin/feriados")
    assert response.status_code == 422 and "Informe um ano entre 2000 e 2100." in response.get_data(as_text=True)
    assert _count(db, Holiday) == before


# --- 3. Marcador 0 ----------------------------------------------------------------------------

def test_marker_zero_in_a_path_is_not_found(client, rw, login, db):
    login("ana")
    token = csrf_from(client.get("/marcadores").get_data(as_text=True))
    assert client.post("/marcadores/0", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/processos/{rw.pub.id}/marcadores/0/retirar", data={"csrf_token": token}).status_code == 404


# --- 4. The documents tree as an htmx fragment --------------------------------------------------

def test_documents_tree_fragment_renders(client, docworld, login, db):
    login("ana")
    response = client.get(f"/processos/{docworld.process.id}/documentos", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h2>Documentos</h2>" in html and "<html" not in html
    assert "Incluir Documento" in html and len(gzip.compress(response.data, 9)) <= 2 * 1024


# --- 5. Doubled or stale submits whose form is no longer shown ------------------------------------

def test_make_available_twice_shows_why(client, signworld, login, db):
    w = signworld
    block = blocks.create_block(w.semad, by=w.ana, description="Ofícios")
    blocks.add_document(block, w.oficio, by=w.ana, unit=w.semad)
    db.session.commit()
    login("ana")
    url = f"/blocos/{block.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "unit_ids": [w.gab.id]}
    assert client.post(url + "/disponibilizar", data=data).status_code == 303
    entries = _history(db, w.process)
    again = client.post(url + "/disponibilizar", data=data)
    assert again.status_code == 422 and "cancele a disponibilização" in again.get_data(as_text=True)
    late = client.post(url + "/documentos", data={"csrf_token": token, "sei": w.oficio.sei})
    assert late.status_code == 422 and "cancele a disponibilização" in late.get_data(as_text=True)
    assert _history(db, w.process) == entries


def test_unwatch_twice_shows_why(client, rw, login, db):
    unit_tools.watch(rw.pub, rw.semad, by=rw.ana)
    db.session.commit()
    login("ana")
    page = f"/processos/{rw.pub.id}"
    token = csrf_from(client.get(page).get_data(as_text=True))
    assert client.post(f"{page}/acompanhamento/retirar", data={"csrf_token": token}).status_code == 303
    entries = _history(db, rw.pub)
    for headers in ({}, HX):                            # the whole page without JavaScript; the tools part with htmx
        again = client.post(f"{page}/acompanhamento/retirar", data={"csrf_token": token}, headers=headers)
        assert again.status_code == 422
        assert "O processo não está em Acompanhamento Especial nesta unidade." in again.get_data(as_text=True)
    assert _history(db, rw.pub) == entries and _count(db, Watch) == 0


# --- 6. Criar bloco: one-time token and the block's own trace ------------------------------------

def test_doubled_criar_bloco_creates_one_block(client, world, login, db):
    login("ana")
    html = client.get("/blocos").get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "token": _hidden(html, "token"), "description": "Contratos"}
    first = client.post("/blocos", data=data)
    second = client.post("/blocos", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db, SignatureBlock) == 1
    assert _audit_kinds(db, world.pm) == ["block_created"]
    forged = client.post("/blocos", data=dict(data, token="a b"))
    assert forged.status_code == 422 and "Formulário inválido" in forged.get_data(as_text=True)
    assert _count(db, SignatureBlock) == 1


def test_the_token_of_another_unit_creates_nothing(db, world):
    blocks.create_block(world.semad, by=world.ana, description="Um", token="t" * 32)
    with pytest.raises(Duplicate):
        blocks.create_block(world.gab, by=world.ana, description="Outro", token="t" * 32)


def test_every_state_change_of_an_empty_block_leaves_a_trace(db, world):
    from app.services.audit import describe
    block = blocks.create_block(world.semad, by=world.ana, description="Vazio")
    blocks.update_block(block, by=world.ana, unit=world.semad, description="Vazio, ainda")
    blocks.conclude_block(block, by=world.ana, unit=world.semad)
    blocks.reopen_block(block, by=world.ana, unit=world.semad)
    db.session.commit()
    assert _audit_kinds(db, world.pm) == ["block_created", "block_updated", "block_concluded", "block_reopened"]
    texts = [describe(e) for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.kind.startswith("block_")).order_by(AuditEntry.id))]
    assert texts[0] == "Bloco de Assinatura criado: nº 1 (SEMAD) — Vazio"
    assert texts[3] == "Bloco de Assinatura reaberto: nº 1 (SEMAD)"


def test_a_block_made_available_and_returned_is_audited(db, signworld):
    w = signworld
    block = blocks.create_block(w.semad, by=w.ana, description="Ofícios")
    blocks.add_document(block, w.oficio, by=w.ana, unit=w.semad)
    blocks.make_available(block, [w.gab], by=w.ana, unit=w.semad)
    blocks.return_block(block, by=w.bia, unit=w.gab)
    db.session.commit()
    assert _audit_kinds(db, w.pm)[-3:] == ["block_created", "block_available", "block_returned"]


# --- 7. Atualizar Andamento doubled ---------------------------------------------------------------

def test_doubled_atualizar_andamento_writes_one_entry(client, rw, login, db):
    login("ana")
    url = f"/processos/{rw.pub.id}/andamento/atualizar"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "token": _hidden(html, "token"), "text": "Aguardando parecer"}
    assert client.post(url, data=data).status_code == 303
    again = client.post(url, data=data)
    assert again.status_code == 422 and "Andamento já registrado." in again.get_data(as_text=True)
    assert _history(db, rw.pub, "progress_update") == 1
    fresh = _hidden(client.get(url).get_data(as_text=True), "token")
    assert fresh != data["token"] and client.post(url, data=dict(data, token=fresh)).status_code == 303
    assert _history(db, rw.pub, "progress_update") == 2


def test_update_progress_token_in_the_service(db, rw):
    process_actions.update_progress(rw.pub, rw.semad, by=rw.ana, text="Um", token="k" * 20)
    with pytest.raises(Duplicate, match="Andamento já registrado."):
        process_actions.update_progress(rw.pub, rw.semad, by=rw.ana, text="Um", token="k" * 20)
    with pytest.raises(InvalidInput, match="Formulário inválido"):
        process_actions.update_progress(rw.pub, rw.semad, by=rw.ana, text="Um", token="curto")
    assert _history(db, rw.pub, "progress_update") == 1


# --- 8. Enviar with an unknown op ------------------------------------------------------------------

def test_send_with_an_unknown_op_sends_nothing(client, rw, login, db):
    login("ana")
    url = f"/processos/{rw.pub.id}/enviar"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "version": re.search(r'name="version" value="(\d+)"', html).group(1),
            "units": [rw.dcc.id]}
    response = client.post(url, data=dict(data, op="xpto"))
    assert response.status_code == 422 and "Ação desconhecida" in response.get_data(as_text=True)
    assert _count(db, ProcessUnit, ProcessUnit.process_id == rw.pub.id) == 1
    assert client.post(url, data=dict(data, op="send")).status_code == 303


# --- 9. CLI ranges ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["reindex", "--batch", "0"], ["reindex", "--batch", "-5"],
                                  ["worker", "--workers", "0"]])
def test_cli_counts_below_one_are_refused(app, db, args):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2 and "x>=1" in result.output


def test_cli_help_of_reindex_and_worker_is_portuguese(app, db):
    runner = app.test_cli_runner()
    assert "Documentos por transação" in runner.invoke(args=["reindex", "--help"]).output
    assert "Tarefas simultâneas" in runner.invoke(args=["worker", "--help"]).output


# --- 10. Endereço do carimbo do tempo -----------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://", "https://", "http://a b", "http:///tsa", "http://tsa:porta/", "ftp://tsa"])
def test_tsa_url_needs_a_host_and_no_spaces(db, world, url):
    with pytest.raises(InvalidInput, match="endereço completo do carimbo do tempo"):
        seal.set_tsa_url(world.pm, url, by=world.admin)
    assert world.pm.tsa_url is None


def test_tsa_url_accepts_a_full_address(db, world):
    seal.set_tsa_url(world.pm, " https://carimbo.exemplo.gov.br:8443/tsa ", by=world.admin)
    assert world.pm.tsa_url == "https://carimbo.exemplo.gov.br:8443/tsa"


def test_doubled_include_in_a_new_block_from_the_document_makes_one_block(client, signworld, login, db):
    w = signworld
    login("ana")
    url = f"/processos/{w.oficio.process_id}/documentos/{w.oficio.id}/bloco"
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "block_id": 0, "description": "Ofícios do dia",
            "token": re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(SignatureBlock.id))) == 1


def test_a_doubled_click_on_desativar_cargo_does_not_reactivate_it(client, world, login, db):
    from app.models import SignatureRole
    from app.services import orgs
    role = orgs.create_signature_role(world.pm, title="Assessor(a) Especial")
    db.session.commit()
    login("admin")
    for _ in range(2):
        response = post_form(client, f"/admin/cargos/{role.id}/ativo", {"active": "0"}, page_url="/admin/cargos")
        assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(SignatureRole, role.id).active is False
