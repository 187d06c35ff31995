"""Órgão administration: units, users, memberships, cargos — and isolation between órgãos."""
from app.models import AuditEntry, SignatureRole, Unit, User
from app.services import orgs
from tests.conftest import post_form


def test_admin_creates_unit_under_parent(client, world, login, db):
    login("admin")
    response = post_form(client, "/admin/unidades/nova", {"sigla": "dcc", "name": "Departamento de Compras",
                                                          "parent_id": world.semad.id, "protocol_code": ""})
    assert response.status_code == 303
    unit = orgs.find_unit(world.pm, "DCC")
    assert unit.parent_id == world.semad.id and unit.sigla_path == "DCC/SEMAD"
    assert db.session.query(AuditEntry).filter_by(kind="unit_created").count() >= 1


def test_duplicate_sigla_and_cycle_are_refused(client, world, login, db):
    login("admin")
    response = post_form(client, "/admin/unidades/nova", {"sigla": "SEMAD", "name": "Outra", "parent_id": 0})
    assert response.status_code == 422 and "Já existe uma unidade com a sigla SEMAD" in response.get_data(as_text=True)
    child = orgs.create_unit(world.pm, sigla="DCC", name="Compras", parent=world.semad)
    db.session.commit()
    response = post_form(client, f"/admin/unidades/{world.semad.id}",
                         {"sigla": "SEMAD", "name": "Administração", "parent_id": child.id, "active": "y"})
    assert response.status_code == 422
    assert "não pode ficar subordinada a si mesma" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, world.semad.id).parent_id is None


def test_admin_creates_user_with_units(client, world, login, db):
    login("admin")
    response = post_form(client, "/admin/usuarios/novo", {
        "login": "Joao", "name": "João Silva", "email": "joao@x.gov.br", "cpf": "529.982.247-25",
        "units": [world.semad.id, world.gab.id], "password": "Senha-forte-1"})
    assert response.status_code == 303
    user = db.session.query(User).filter_by(login="joao").one()
    assert user.cpf == "52998224725" and {u.sigla for u in user.units} == {"SEMAD", "GAB"}


def test_user_bad_input(client, world, login, db):
    login("admin")
    base = {"login": "joao", "name": "João", "units": [world.semad.id], "password": "Senha-forte-1"}
    cases = [({"cpf": "529.982.247-24"}, "CPF inválido"), ({"login": "ana"}, "já existe"),
             ({"units": []}, "pelo menos uma unidade"), ({"password": "123"}, "pelo menos 8 caracteres"),
             ({"name": ""}, "Campo obrigatório"), ({"units": [world.presi.id]}, "não é uma escolha válida")]
    for change, message in cases:
        response = post_form(client, "/admin/usuarios/novo", {**base, **change})
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert db.session.query(User).filter_by(login="joao").count() == 0


def test_memberships_change_and_are_audited(client, world, login, db):
    login("admin")
    response = post_form(client, f"/admin/usuarios/{world.ana.id}", {
        "name": "Ana Souza", "units": [world.gab.id], "active": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert [u.sigla for u in db.session.get(User, world.ana.id).units] == ["GAB"]
    kinds = {e.kind for e in db.session.query(AuditEntry).all()}
    assert "membership_removed" in kinds


def test_admin_cannot_deactivate_self(client, world, login):
    login("admin")
    response = post_form(client, f"/admin/usuarios/{world.admin.id}", {
        "name": "Admin PM", "units": [world.semad.id], "is_admin": "y"})
    assert response.status_code == 422


def test_reset_password(client, app, world, login):
    login("admin")
    response = post_form(client, f"/admin/usuarios/{world.bia.id}/senha", {"password": "Outra-senha-9"},
                         page_url=f"/admin/usuarios/{world.bia.id}")
    assert response.status_code == 303
    other = app.test_client()
    from tests.conftest import Login
    Login(other)("bia", "Outra-senha-9")


def test_roles_default_list_and_unit_list(client, world, login, db):
    defaults = orgs.signature_roles_for(world.semad)
    assert "Secretário(a) Municipal" in {r.title for r in defaults}
    login("admin")
    response = post_form(client, "/admin/cargos", {"title": "Chefe da SEMAD", "unit_id": world.semad.id})
    assert response.status_code == 303
    assert [r.title for r in orgs.signature_roles_for(world.semad)] == ["Chefe da SEMAD"]
    role = db.session.query(SignatureRole).filter_by(title="Chefe da SEMAD").one()
    assert post_form(client, f"/admin/cargos/{role.id}/ativo", page_url="/admin/cargos").status_code == 303
    assert "Secretário(a) Municipal" in {r.title for r in orgs.signature_roles_for(world.semad)}


def test_org_settings(client, world, login, db):
    login("admin")
    data = {"name": "Prefeitura de Teste", "city": "Teste", "uf": "MG", "protocol_code": "1234",
            "number_mask": "nup", "signature_legal_text": "Decreto 1/2026"}
    assert post_form(client, "/admin/", data).status_code == 422
    data["protocol_code"] = "54321"
    assert post_form(client, "/admin/", data).status_code == 303
    db.session.expire_all()
    assert world.pm.protocol_code == "54321"


def test_camara_admin_cannot_touch_prefeitura(client, world, login, db):
    login("cadmin")
    assert client.get(f"/admin/usuarios/{world.ana.id}").status_code == 404
    assert client.get(f"/admin/unidades/{world.semad.id}").status_code == 404
    assert "Ana Souza" not in client.get("/admin/usuarios").get_data(as_text=True)
    assert "SEMAD" not in client.get("/admin/unidades").get_data(as_text=True)
    response = post_form(client, f"/admin/usuarios/{world.ana.id}", {"name": "Hacked", "units": [world.presi.id]},
                         page_url="/admin/usuarios")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(User, world.ana.id).name == "Ana Souza"


def test_user_filter_fragment(client, world, login):
    login("admin")
    response = client.get("/admin/usuarios?q=ana", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Ana Souza" in body and "Bia Lima" not in body


def test_nipe_takes_six_digit_codes(client, world, login, db):
    login("admin")
    data = {"name": "Prefeitura de Teste", "city": "Teste", "uf": "TO", "protocol_code": "137001",
            "number_mask": "nipe", "nipe_state_code": "17", "signature_legal_text": "Decreto 1/2026"}
    assert post_form(client, "/admin/", {**data, "number_mask": "nup"}).status_code == 422
    assert post_form(client, "/admin/", {**data, "nipe_state_code": ""}).status_code == 422
    assert post_form(client, "/admin/", data).status_code == 303
    response = post_form(client, "/admin/unidades/nova", {"sigla": "SEFAZ", "name": "Fazenda", "parent_id": 0,
                                                          "protocol_code": "137002"})
    assert response.status_code == 303
    assert orgs.find_unit(world.pm, "SEFAZ").protocol_code == "137002"
