"""Tipos de Processo and Hipóteses Legais: seeded for every new órgão, admin pages, rules."""
import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, LegalBasis, ProcessType
from app.seeds.reference import LEGAL_BASES, PROCESS_TYPES
from app.services import catalog
from app.services.errors import DomainError
from app.services.org_setup import seed_new_organization
from tests.conftest import post_form
from tests.process_factory import make_process


def _count(db, model, org):
    return db.session.scalar(select(func.count()).select_from(model).where(model.organization_id == org.id))


def test_new_org_gets_reference_catalog(db, make):
    org = make.org()
    assert _count(db, LegalBasis, org) == len(LEGAL_BASES) == 23
    assert _count(db, ProcessType, org) == len(PROCESS_TYPES) >= 20
    pad = catalog.find_type(org, "Pessoal: Processo Administrativo Disciplinar")
    assert pad.allowed == ("restrito", "sigiloso") and pad.suggested_level == "restrito"
    assert pad.suggested_legal_basis.name == "Investigação de Responsabilidade de Servidor"
    levels = {b.name: b.level for b in catalog.legal_bases(org)}
    assert levels["Sigilo do Inquérito Policial"] == "sigiloso" and levels["Informação Pessoal"] == "restrito"


def test_seeding_is_idempotent_and_keeps_admin_changes(db, make, world):
    org = world.pm
    lb = next(b for b in catalog.legal_bases(org) if b.name == "Direito Autoral")
    catalog.update_legal_basis(lb, name=lb.name, basis="Lei municipal 1/2020", level="restrito", active=False,
                               by=world.admin)
    seed_new_organization(org)
    seed_new_organization(org)
    assert _count(db, LegalBasis, org) == len(LEGAL_BASES)
    assert _count(db, ProcessType, org) == len(PROCESS_TYPES)
    assert lb.basis == "Lei municipal 1/2020" and not lb.active


def test_find_type_by_name_or_code(world):
    assert catalog.find_type(world.pm, "licitação: pregão eletrônico").code == "03.01.01"
    assert catalog.find_type(world.pm, "03.01.01").name == "Licitação: Pregão Eletrônico"
    assert catalog.find_type(world.pm, "nada") is None and catalog.find_type(world.pm, "") is None


def test_types_for_unit_puts_most_used_first(db, world):
    for _ in range(2):
        make_process(world.semad, world.ana, type_name="Pessoal: Férias")
    make_process(world.semad, world.ana, type_name="Obras: Alvará de Construção")
    frequent, types = catalog.types_for_unit(world.semad)
    assert [t.name for t in frequent] == ["Pessoal: Férias", "Obras: Alvará de Construção"]
    assert len(types) == len(PROCESS_TYPES)
    assert catalog.types_for_unit(world.gab)[0] == []


@pytest.mark.parametrize("values, field", [
    (dict(name="", basis="x", level="restrito"), "name"),
    (dict(name="Nova", basis="", level="restrito"), "basis"),
    (dict(name="Nova", basis="x", level="publico"), "level"),
    (dict(name="informação pessoal", basis="x", level="restrito"), "name"),
])
def test_legal_basis_bad_input(world, values, field):
    with pytest.raises(DomainError) as error:
        catalog.create_legal_basis(world.pm, by=world.admin, **values)
    assert error.value.field == field


def test_used_legal_basis_cannot_be_deleted_nor_change_level(db, world):
    own = catalog.create_legal_basis(world.pm, name="Sigilo Fiscal Municipal", basis="Art. 10 da Lei Municipal 123",
                                     level="restrito", by=world.admin)
    make_process(world.semad, world.ana, level="restrito", basis="Sigilo Fiscal Municipal")
    with pytest.raises(DomainError, match="não pode ser excluída"):
        catalog.delete_legal_basis(own, by=world.admin)
    with pytest.raises(DomainError, match="nível não pode mudar"):
        catalog.update_legal_basis(own, name=own.name, basis=own.basis, level="sigiloso", active=True, by=world.admin)
    catalog.update_legal_basis(own, name=own.name, basis=own.basis, level="restrito", active=False, by=world.admin)
    assert not own.active


def test_process_type_rules(world):
    info = next(b for b in catalog.legal_bases(world.pm) if b.name == "Informação Pessoal")
    with pytest.raises(DomainError, match="entre os permitidos"):
        catalog.create_process_type(world.pm, name="X", code="", suggested_level="restrito",
                                    allowed_levels=["publico"], by=world.admin)
    with pytest.raises(DomainError, match="pelo menos um"):
        catalog.create_process_type(world.pm, name="X", code="", suggested_level="publico", allowed_levels=[],
                                    by=world.admin)
    with pytest.raises(DomainError, match="mesmo nível"):
        catalog.create_process_type(world.pm, name="X", code="", suggested_level="publico",
                                    allowed_levels=["publico", "restrito"], suggested_legal_basis=info, by=world.admin)
    with pytest.raises(DomainError, match="Já existe"):
        catalog.create_process_type(world.pm, name="pessoal: férias", code="", suggested_level="publico",
                                    allowed_levels=["publico"], by=world.admin)
    other_org_basis = catalog.legal_bases(world.cm)[0]
    with pytest.raises(DomainError):
        catalog.create_process_type(world.pm, name="Y", code="", suggested_level=other_org_basis.level,
                                    allowed_levels=["restrito", "sigiloso"], suggested_legal_basis=other_org_basis,
                                    by=world.admin)


def test_admin_pages_list_create_edit(client, world, login, db):
    login("admin")
    assert "Licitação: Pregão Eletrônico" in client.get("/admin/tipos-de-processo").get_data(as_text=True)
    assert "Informação Pessoal" in client.get("/admin/hipoteses-legais").get_data(as_text=True)
    response = post_form(client, "/admin/tipos-de-processo/novo", {
        "name": "Meio Ambiente: Licença Ambiental", "code": "13.01.01", "suggested_level": "publico",
        "allowed_levels": ["publico", "restrito"], "suggested_legal_basis_id": "0"})
    assert response.status_code == 303
    created = catalog.find_type(world.pm, "Meio Ambiente: Licença Ambiental")
    assert created.allowed == ("publico", "restrito")
    response = post_form(client, f"/admin/tipos-de-processo/{created.id}", {
        "name": created.name, "code": "13.01.02", "suggested_level": "publico", "allowed_levels": ["publico"],
        "suggested_legal_basis_id": "0"})  # "active" unchecked → deactivated
    assert response.status_code == 303
    db.session.refresh(created)
    assert created.code == "13.01.02" and not created.active
    kinds = set(db.session.scalars(select(AuditEntry.kind).where(AuditEntry.organization_id == world.pm.id)))
    assert {"process_type_created", "process_type_updated"} <= kinds


def test_admin_type_form_rejects_bad_input(client, world, login, db):
    login("admin")
    response = post_form(client, "/admin/tipos-de-processo/novo", {
        "name": "Sem nível", "code": "", "suggested_level": "publico", "suggested_legal_basis_id": "0"})
    assert response.status_code == 422
    assert "Marque pelo menos um nível" in response.get_data(as_text=True)
    assert catalog.find_type(world.pm, "Sem nível") is None


def test_admin_legal_basis_create_and_delete_unused(client, world, login, db):
    login("admin")
    response = post_form(client, "/admin/hipoteses-legais/nova",
                         {"name": "Sigilo Fiscal Municipal", "basis": "Art. 10 da Lei Municipal 123", "level": "restrito"})
    assert response.status_code == 303
    own_id = db.session.scalar(select(LegalBasis.id).where(LegalBasis.name == "Sigilo Fiscal Municipal"))
    response = post_form(client, f"/admin/hipoteses-legais/{own_id}/excluir", page_url="/admin/hipoteses-legais")
    assert response.status_code == 303
    db.session.expunge_all()
    assert db.session.get(LegalBasis, own_id) is None


def test_admin_cannot_delete_used_legal_basis(client, world, login, db):
    used = next(b for b in catalog.legal_bases(world.pm) if b.name == "Informação Pessoal")  # suggested by types
    login("admin")
    response = post_form(client, f"/admin/hipoteses-legais/{used.id}/excluir", page_url="/admin/hipoteses-legais")
    assert response.status_code == 422
    assert "não pode ser excluída" in response.get_data(as_text=True)
    assert db.session.get(LegalBasis, used.id) is not None
