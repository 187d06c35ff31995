"""Iniciar Processo, the process page, Alterar Processo, Consultar Andamento, first opening."""
import re

import pytest
from sqlalchemy import func, select

from app.models import Contact, HistoryEntry, Process, ProcessUnit
from app.models.base import utcnow
from app.services import catalog, form_tokens, history, processes
from app.services.errors import DomainError
from tests.conftest import csrf_from, post_form
from tests.process_factory import make_process

CPF_OK, CPF_BAD, CNPJ_OK = "529.982.247-25", "529.982.247-24", "11.222.333/0001-81"


def _count(db, model=Process):
    return db.session.scalar(select(func.count()).select_from(model))


def _kinds(db, process):
    return [e.kind for e in db.session.scalars(select(HistoryEntry).where(HistoryEntry.process_id == process.id)
                                               .order_by(HistoryEntry.id))]


def test_create_opens_in_unit_assigned_to_creator(db, world):
    process = make_process(world.semad, world.ana, specification="Compra de cadeiras",
                           interested=f"Maria da Silva - {CPF_OK}\nPapelaria Central; {CNPJ_OK}\nJosé")
    row = db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == process.id))
    assert row.unit_id == world.semad.id and row.origin == "generated" and row.closed_at is None
    assert row.assigned_to_id == world.ana.id and row.seen_at is not None
    assert [(i.contact.name, i.contact.document) for i in process.interested] == [
        ("Maria da Silva", "52998224725"), ("Papelaria Central", "11222333000181"), ("José", None)]
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.process_id == process.id))
    assert history.describe(entry) == "Processo público gerado"


def test_interested_with_an_alphanumeric_cnpj_is_kept_and_shown_punctuated(db, world):
    process = make_process(world.semad, world.ana, interested="Empresa Alfa Ltda - 12.abc.345/01de-35")
    assert [(i.contact.name, i.contact.document) for i in process.interested] == [("Empresa Alfa Ltda", "12ABC34501DE35")]
    assert processes.interested_text(process) == "Empresa Alfa Ltda - 12.ABC.345/01DE-35"


@pytest.mark.parametrize("level, basis, text", [("restrito", "Informação Pessoal", "Processo restrito gerado"),
                                                 ("sigiloso", "Sigilo do Inquérito Policial", "Processo sigiloso gerado")])
def test_restricted_levels_need_a_matching_hipotese(db, world, level, basis, text):
    process = make_process(world.semad, world.ana, type_name="Pessoal: Processo Administrativo Disciplinar",
                           level=level, basis=basis)
    assert history.describe(db.session.scalar(select(HistoryEntry).where(HistoryEntry.process_id == process.id))) == text


def test_contacts_are_reused(db, world):
    make_process(world.semad, world.ana, interested=f"Maria da Silva - {CPF_OK}\nJosé")
    make_process(world.semad, world.ana, interested=f"Maria da  Silva - {CPF_OK}\njosé")
    assert _count(db, Contact) == 2


def _bad(world, **overrides):
    org = world.pm
    values = dict(process_type=catalog.find_type(org, "Pessoal: Férias"), specification="Férias",
                  interested="", access_level="publico", legal_basis=None)
    values.update(overrides)
    if "type_name" in values:
        values["process_type"] = catalog.find_type(org, values.pop("type_name"))
    return processes.create_process(world.semad, by=world.ana, **values)


@pytest.mark.parametrize("overrides, message", [
    (dict(specification=""), "Informe a especificação"),
    (dict(specification="x" * 101), "no máximo 100 caracteres"),
    (dict(type_name="Legislativo: Projeto de Lei", access_level="restrito"), "admite apenas o nível: Público."),
    (dict(interested=f"Maria - {CPF_BAD}"), "linha 1: CPF inválido"),
    (dict(interested="Empresa - 11.222.333/0001-80"), "CNPJ inválido"),
    (dict(interested="Empresa Alfa - 12.ABC.345/01DE-34"), "CNPJ inválido"),
    (dict(interested="Fulano - 12345"), "Informe um CPF (11 dígitos) ou CNPJ"),
    (dict(process_type=None), "Escolha um Tipo de Processo"),
])
def test_bad_input_is_refused(db, world, overrides, message):
    with pytest.raises(DomainError, match=re.escape(message)):
        _bad(world, **overrides)


def test_restrito_without_hipotese_and_wrong_level_hipotese(db, world):
    pad = catalog.find_type(world.pm, "Pessoal: Processo Administrativo Disciplinar")
    with pytest.raises(DomainError, match="informe a Hipótese Legal") as error:
        _bad(world, process_type=pad, access_level="restrito")
    assert error.value.field == "legal_basis_id"
    sig = next(b for b in catalog.legal_bases(world.pm) if b.level == "sigiloso")
    with pytest.raises(DomainError, match="é de nível Sigiloso"):
        _bad(world, process_type=pad, access_level="restrito", legal_basis=sig)


def test_inactive_type_and_other_org_type(db, world):
    ferias = catalog.find_type(world.pm, "Pessoal: Férias")
    ferias.active = False
    with pytest.raises(DomainError, match="está inativo"):
        _bad(world, process_type=ferias)
    with pytest.raises(DomainError, match="Escolha um Tipo"):
        _bad(world, process_type=catalog.find_type(world.cm, "Pessoal: Férias"))


def test_user_outside_the_unit_cannot_create(db, world):
    with pytest.raises(DomainError):
        processes.create_process(world.semad, by=world.bia, process_type=catalog.find_type(world.pm, "Pessoal: Férias"),
                                 specification="x")


# --- Views -----------------------------------------------------------------------------------

def _new_form(client):
    html = client.get("/processos/novo").get_data(as_text=True)
    token = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', html).group(1)
    return html, {"csrf_token": csrf_from(html), "token": token, "type_name": "Pessoal: Férias",
                  "specification": "Férias de janeiro", "interested": f"Ana Souza - {CPF_OK}",
                  "access_level": "publico", "legal_basis_id": "0", "observations": "Só para a SEMAD"}


def test_iniciar_processo_page(client, world, login):
    login("ana")
    html, _ = _new_form(client)
    assert '<datalist id="tipos">' in html and 'list="tipos"' in html
    assert '<label for="specification">Especificação</label>' in html and 'maxlength="100"' in html
    assert '<label for="legal_basis_id">Hipótese Legal</label>' in html


def test_iniciar_processo_creates_and_shows_it(client, world, login, db):
    login("ana")
    _, data = _new_form(client)
    response = client.post("/processos/novo", data=data)
    assert response.status_code == 303
    process = db.session.scalar(select(Process))
    assert response.headers["Location"].endswith(f"/processos/{process.id}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert process.number in html and "Férias de janeiro" in html and "Ana Souza" in html
    assert f'data-copy="{process.number}"' in html and "Só para a SEMAD" in html
    assert "Árvore do processo" in html and "Processo " + process.number + " gerado." in html


def test_doubled_submit_creates_one_process(client, world, login, db):
    login("ana")
    _, data = _new_form(client)
    assert client.post("/processos/novo", data=data).status_code == 303
    again = client.post("/processos/novo", data=data)
    assert again.status_code == 422
    assert "Este formulário já foi enviado" in again.get_data(as_text=True)
    assert _count(db) == 1


def test_race_on_the_same_token_is_refused_by_the_unique_constraint(db, world, monkeypatch):
    token = form_tokens.new_token()
    make_process(world.semad, world.ana, token=token)
    db.session.commit()
    monkeypatch.setattr(processes, "_find_by_token", lambda token: None)  # as if both submits passed the check
    with pytest.raises(DomainError, match="já foi enviado"):
        make_process(world.semad, world.ana, token=token)
    db.session.rollback()
    assert _count(db) == 1


@pytest.mark.parametrize("field, value, message", [
    ("specification", "", "Campo obrigatório"),
    ("specification", "x" * 101, "100"),
    ("type_name", "Tipo que não existe", "Escolha um Tipo de Processo da lista."),
    ("interested", f"Maria - {CPF_BAD}", "CPF inválido"),
    ("access_level", "sigiloso", "admite apenas o nível: Público, Restrito."),
    ("token", "short", "Formulário inválido"),
])
def test_iniciar_processo_bad_input_422(client, world, login, db, field, value, message):
    login("ana")
    _, data = _new_form(client)
    data[field] = value
    response = client.post("/processos/novo", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db) == 0


def test_level_part_follows_the_type_with_htmx(client, world, login):
    login("ana")
    response = client.get("/processos/novo", query_string={"type_name": "Pessoal: Licença para Tratamento de Saúde"},
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'value="restrito"' in html and 'value="publico"' not in html
    assert re.search(r'<option selected value="\d+">Restrito: Informação Pessoal', html)


def test_quick_links_of_most_used_types(client, world, login, db):
    make_process(world.semad, world.ana, type_name="Obras: Alvará de Construção")
    db.session.commit()
    login("ana")
    html = client.get("/processos/novo").get_data(as_text=True)
    assert "Mais usados nesta unidade" in html and "type_name=Obras" in html


def test_alterar_processo_writes_each_change(client, world, login, db):
    process = make_process(world.semad, world.ana, specification="Antiga", interested="Maria")
    db.session.commit()
    login("ana")
    response = post_form(client, f"/processos/{process.id}/alterar", {
        "type_name": "Pessoal: Aposentadoria", "specification": "Nova", "interested": f"José - {CPF_OK}",
        "access_level": "restrito", "legal_basis_id": str(next(
            b.id for b in catalog.legal_bases(world.pm) if b.name == "Informação Pessoal")), "observations": "obs"})
    assert response.status_code == 303
    texts = [history.describe(e) for e in history.entries_for(process, world.semad)]
    assert "Alterado tipo do processo de “Administração Geral: Processo Administrativo” para “Pessoal: Aposentadoria”" in texts
    assert "Alterada especificação de “Antiga” para “Nova”" in texts
    assert "Alterado nível de acesso de Público para Restrito (Hipótese Legal: Informação Pessoal)" in texts
    assert "Interessados alterados: incluído(s) “José”; retirado(s) “Maria”" in texts
    assert "Alteradas as observações desta unidade" in texts
    assert [e.kind for e in history.entries_for(process, world.gab)].count("observations_changed") == 0


def test_alterar_processo_needs_it_open_here(client, world, login, db):
    process = make_process(world.semad, world.ana)
    db.session.commit()
    login("bia")  # GAB
    assert client.get(f"/processos/{process.id}/alterar").status_code == 403


def test_consultar_andamento_in_brasilia_time(client, world, login, db):
    from datetime import datetime, timezone
    process = make_process(world.semad, world.ana, now=datetime(2026, 3, 10, 2, 30, tzinfo=timezone.utc))
    db.session.commit()
    login("ana")
    html = client.get(f"/processos/{process.id}/andamento").get_data(as_text=True)
    assert "09/03/2026 23:30" in html and "Processo público gerado" in html and "SEMAD" in html


def _receive(db, process, unit):
    """What sending (issue 4) will do: open the process in `unit` as unread."""
    db.session.add(ProcessUnit(process_id=process.id, unit_id=unit.id, origin="received", last_movement_at=utcnow()))
    db.session.commit()


def test_first_opening_marks_received_once(client, world, login, db):
    process = make_process(world.semad, world.ana)
    _receive(db, process, world.gab)
    login("bia")
    client.get(f"/processos/{process.id}")
    client.get(f"/processos/{process.id}")
    assert _kinds(db, process) == ["process_created", "process_received"]
    db.session.expire_all()
    row = db.session.scalar(select(ProcessUnit).where(ProcessUnit.unit_id == world.gab.id))
    assert row.seen_by_id == world.bia.id and row.seen_at is not None


def test_opening_from_a_unit_where_it_is_not_open_does_not_mark(client, world, login, db):
    process = make_process(world.semad, world.ana)
    _receive(db, process, world.gab)
    login("admin")  # SEMAD only
    client.get(f"/processos/{process.id}")
    assert _kinds(db, process) == ["process_created"]


def test_a_cpf_already_registered_under_another_name_is_refused(db, world):
    make_process(world.semad, world.ana, interested=f"Maria da Silva - {CPF_OK}")
    with pytest.raises(DomainError, match="já está cadastrado como “Maria da Silva”"):
        make_process(world.semad, world.ana, interested=f"Mario Silva - {CPF_OK}")
    again = make_process(world.semad, world.ana, interested=f"MARIA DA SILVA - {CPF_OK}")  # same name, other case
    assert again.interested[0].contact.name == "Maria da Silva"
