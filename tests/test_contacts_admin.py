"""Contatos (interessados) admin: search, correcting a name or CPF/CNPJ, merging duplicates, isolation."""
import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, Contact, HistoryEntry, ProcessInterested
from app.models.document import DocumentInterested
from app.services import audit, contacts, processes
from app.services.errors import DomainError, Duplicate, Forbidden, InvalidInput, NotFound
from tests.conftest import Login, post_form
from tests.documents_support import internal
from tests.process_factory import make_process

CPF_OK, CPF_OTHER, CNPJ_ALNUM = "529.982.247-25", "111.444.777-35", "12.ABC.345/01DE-35"


def _contact(db, org, name, doc=None):
    contact = processes.find_or_create_contact(org, name, doc)
    db.session.commit()
    return contact


def _audits(db, kind):
    return [audit.describe(e) for e in db.session.scalars(select(AuditEntry).where(AuditEntry.kind == kind))]


def _interested(process):
    return [(i.contact.name, i.contact.document) for i in process.interested]


# --- the service -------------------------------------------------------------------------------

def test_search_ignores_accents_case_and_punctuation(db, world):
    for name, doc in [("José Antônio", None), ("JOAO DA SILVA", "52998224725"), ("Empresa Alfa", "12ABC34501DE35"),
                      ("Maria", None)]:
        _contact(db, world.pm, name, doc)
    _contact(db, world.cm, "José da Câmara")

    def names(q):
        return [c.name for c, _ in contacts.contact_page(world.pm, q).rows]
    assert names("") == ["Empresa Alfa", "JOAO DA SILVA", "José Antônio", "Maria"]
    assert names("jose antonio") == names("JOSÉ") == ["José Antônio"]
    assert names("joão") == ["JOAO DA SILVA"]
    assert names("529.982") == names("52998224725") == ["JOAO DA SILVA"]
    assert names("12.abc.345") == ["Empresa Alfa"]
    assert names("100%") == names("a_b") == []
    assert names("maria\x00") == ["Maria"]
    with pytest.raises(InvalidInput):
        contacts.contact_page(world.pm, "x" * 101)


def test_pages_and_process_counts(db, world):
    make_process(world.semad, world.ana, interested="Ana Beatriz\nCarlos")
    make_process(world.semad, world.ana, interested="Ana Beatriz")
    for n in range(30):
        _contact(db, world.pm, f"Pessoa {n:02d}")
    first = contacts.contact_page(world.pm, "", page=1)
    assert (first.total, first.pages, len(first.rows)) == (32, 2, contacts.PAGE_SIZE)
    assert [(c.name, n) for c, n in first.rows[:2]] == [("Ana Beatriz", 2), ("Carlos", 1)]
    last = contacts.contact_page(world.pm, "", page=99)
    assert last.page == 2 and len(last.rows) == 32 - contacts.PAGE_SIZE


def test_update_renames_everywhere_without_rewriting_history(db, world):
    process = make_process(world.semad, world.ana, interested=f"Maria da Silav - {CPF_OK}")
    before = [(e.kind, e.params) for e in db.session.scalars(select(HistoryEntry))]
    contact = process.interested[0].contact
    changed = contacts.update_contact(contact, by=world.admin, name="  Maria  da Silva ", document=CPF_OK)
    db.session.commit()
    assert changed == ["nome “Maria da Silav” → “Maria da Silva”"]
    assert _interested(process) == [("Maria da Silva", "52998224725")] and contact.name_key == "maria da silva"
    assert contacts.contact_page(world.pm, "silva").total == 1 and contacts.contact_page(world.pm, "silav").total == 0
    assert [(e.kind, e.params) for e in db.session.scalars(select(HistoryEntry))] == before
    assert _audits(db, "contact_updated") == ["Interessado “Maria da Silav” alterado: nome “Maria da Silav” → "
                                               "“Maria da Silva”"]
    # the clerk may now type the corrected name with the number again
    assert processes.find_or_create_contact(world.pm, "Maria da Silva", "52998224725").id == contact.id


def test_update_sets_and_clears_the_number(db, world):
    contact = _contact(db, world.pm, "Empresa Alfa")
    contacts.update_contact(contact, by=world.admin, name="Empresa Alfa", document=CNPJ_ALNUM.lower())
    assert contact.document == "12ABC34501DE35"
    contacts.update_contact(contact, by=world.admin, name="Empresa Alfa", document=" ")
    assert contact.document is None
    assert contacts.update_contact(contact, by=world.admin, name="Empresa Alfa", document="") == []
    assert _audits(db, "contact_updated") == [
        "Interessado “Empresa Alfa” alterado: CPF/CNPJ (nenhum) → 12.ABC.345/01DE-35",
        "Interessado “Empresa Alfa” alterado: CPF/CNPJ 12.ABC.345/01DE-35 → (nenhum)"]


@pytest.mark.parametrize("name, document, error, message", [
    ("", "", InvalidInput, "Informe o nome."),
    ("x" * 201, "", InvalidInput, "no máximo 200 caracteres"),
    ("Maria", "529.982.247-24", InvalidInput, "CPF inválido"),
    ("Maria", "123", InvalidInput, "Informe um CPF"),
    ("Maria", CPF_OTHER, Duplicate, "já está cadastrado para “João”"),
])
def test_update_bad_input_changes_nothing(db, world, name, document, error, message):
    _contact(db, world.pm, "João", "11144477735")
    contact = _contact(db, world.pm, "Maria", "52998224725")
    with pytest.raises(error, match=message):
        contacts.update_contact(contact, by=world.admin, name=name, document=document)
    db.session.rollback()
    assert (contact.name, contact.document) == ("Maria", "52998224725")


def test_same_number_in_another_org_is_not_a_duplicate(db, world):
    _contact(db, world.cm, "Maria na Câmara", "52998224725")
    contact = _contact(db, world.pm, "Maria")
    contacts.update_contact(contact, by=world.admin, name="Maria", document=CPF_OK)
    assert contact.document == "52998224725"


def test_only_the_orgs_admin_may_change(db, world):
    contact = _contact(db, world.pm, "Maria")
    with pytest.raises(Forbidden):
        contacts.update_contact(contact, by=world.ana, name="Outra", document="")
    with pytest.raises(NotFound):
        contacts.update_contact(contact, by=world.cadmin, name="Outra", document="")
    other = _contact(db, world.cm, "Maria")
    with pytest.raises(NotFound):
        contacts.merge_contacts(contact, other, by=world.admin)


def test_merge_moves_processes_and_documents_without_duplicates(db, world):
    both = make_process(world.semad, world.ana, interested=f"Maria da Silva\nMaria da Silva - {CPF_OK}\nJosé")
    only_plain = make_process(world.semad, world.ana, interested="José\nMaria da Silva")
    plain = only_plain.interested[1].contact
    numbered = both.interested[1].contact
    document = internal(both, world.semad, world.ana)
    document.interested = [DocumentInterested(contact_id=plain.id, position=0),
                           DocumentInterested(contact_id=numbered.id, position=1)]
    other = internal(only_plain, world.semad, world.ana, interested="Maria da Silva")
    db.session.commit()
    contacts.merge_contacts(numbered, plain, by=world.admin)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Contact, plain.id) is None
    assert _interested(both) == [("Maria da Silva", "52998224725"), ("José", None)]
    assert _interested(only_plain) == [("José", None), ("Maria da Silva", "52998224725")]
    assert [i.contact_id for i in document.interested] == [numbered.id]
    assert [i.contact_id for i in other.interested] == [numbered.id]
    assert _audits(db, "contacts_merged") == [
        "Interessado “Maria da Silva” unido a “Maria da Silva” (2 processos, 2 documentos)"]


def test_merge_keeps_the_number_of_the_removed_one(db, world):
    plain = _contact(db, world.pm, "Maria da Silva")
    numbered = _contact(db, world.pm, "Maria da Silva", "52998224725")
    contacts.merge_contacts(plain, numbered, by=world.admin)
    db.session.commit()
    assert plain.document == "52998224725"
    assert db.session.scalar(select(func.count(Contact.id))) == 1


def test_merge_refuses_two_numbers_and_itself(db, world):
    one = _contact(db, world.pm, "Maria", "52998224725")
    two = _contact(db, world.pm, "Maria", "11144477735")
    with pytest.raises(InvalidInput, match="não são a mesma pessoa"):
        contacts.merge_contacts(one, two, by=world.admin)
    with pytest.raises(InvalidInput, match="dois contatos diferentes"):
        contacts.merge_contacts(one, one, by=world.admin)
    with pytest.raises(DomainError):
        contacts.merge_contacts(one, two, by=world.ana)


def test_possible_duplicates(db, world):
    me = _contact(db, world.pm, "Maria da Silva")
    same_name = _contact(db, world.pm, "MARIA DA  SÍLVA", "52998224725")
    _contact(db, world.pm, "Maria Souza")
    _contact(db, world.cm, "Maria da Silva")
    assert contacts.possible_duplicates(me) == [same_name]


def test_refusal_in_iniciar_processo_points_to_contatos(db, world):
    make_process(world.semad, world.ana, interested=f"Maria da Silva - {CPF_OK}")
    with pytest.raises(DomainError, match="já está cadastrado como “Maria da Silva”.*Contatos"):
        make_process(world.semad, world.ana, interested=f"Maria Souza - {CPF_OK}")


# --- the views ---------------------------------------------------------------------------------

def test_list_page_and_active_search_fragment(client, world, login, db):
    _contact(db, world.pm, "José Antônio", "52998224725")
    _contact(db, world.pm, "Empresa Alfa", "12ABC34501DE35")
    _contact(db, world.cm, "Segredo da Câmara")
    login("admin")
    page = client.get("/admin/contatos").get_data(as_text=True)
    assert "529.982.247-25" in page and "12.ABC.345/01DE-35" in page and "Segredo" not in page
    assert 'href="/admin/contatos"' in page  # the admin menu entry
    fragment = client.get("/admin/contatos?q=jose", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "José Antônio" in text and "Empresa" not in text and "<nav" not in text
    assert client.get("/admin/contatos?q=" + "x" * 101).status_code == 422


def test_edit_through_the_form(app, client, world, login, db):
    process = make_process(world.semad, world.ana, interested=f"Maria da Silav - {CPF_OK}")
    contact = process.interested[0].contact
    _contact(db, world.pm, "João", "11144477735")
    login("admin")
    url = f"/admin/contatos/{contact.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="529.982.247-25"' in page and "o histórico dos processos não é reescrito" in page
    response = post_form(client, url, {"name": "Maria da Silva", "document": CPF_OTHER})
    assert response.status_code == 422 and "já está cadastrado para “João”" in response.get_data(as_text=True)
    response = post_form(client, url, {"name": "Maria da Silva", "document": CPF_OK})
    assert response.status_code == 303
    clerk = app.test_client()
    Login(clerk)("ana")
    assert "Maria da Silva" in clerk.get(f"/processos/{process.id}").get_data(as_text=True)


def test_merge_through_the_pages(client, world, login, db):
    process = make_process(world.semad, world.ana, interested="Maria da Silva")
    plain = process.interested[0].contact
    numbered = _contact(db, world.pm, "Maria da Silva", "52998224725")
    plain_id = plain.id
    login("admin")
    assert f"id={plain.id}&amp;id={numbered.id}" in client.get(f"/admin/contatos/{plain.id}").get_data(as_text=True)
    url = f"/admin/contatos/unir?id={plain.id}&id={numbered.id}"
    assert "Unir contatos" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"id": [plain.id, numbered.id]})
    assert response.status_code == 422 and "Escolha o contato que fica" in response.get_data(as_text=True)
    response = post_form(client, url, {"id": [plain.id, numbered.id], "keep": "abc"})
    assert response.status_code == 422 and "calcular" not in response.get_data(as_text=True)
    response = post_form(client, url, {"id": [plain.id, numbered.id], "keep": numbered.id})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Contact, plain_id) is None
    assert db.session.scalar(select(ProcessInterested.contact_id)) == numbered.id
    response = client.get(f"/admin/contatos/unir?id={numbered.id}")
    assert response.status_code == 303 and "/admin/contatos" in response.headers["Location"]


def test_other_orgs_contacts_are_404_and_non_admins_403(app, client, world, login, db):
    mine = _contact(db, world.pm, "Maria")
    theirs = _contact(db, world.cm, "Caio Cidadão")
    login("admin")
    assert client.get(f"/admin/contatos/{theirs.id}").status_code == 404
    assert client.get(f"/admin/contatos/unir?id={mine.id}&id={theirs.id}").status_code == 404
    response = post_form(client, "/admin/contatos/unir", {"id": [mine.id, theirs.id], "keep": mine.id},
                         page_url="/admin/contatos")
    assert response.status_code == 404
    assert db.session.get(Contact, theirs.id) is not None
    clerk = app.test_client()
    Login(clerk)("ana")
    assert clerk.get("/admin/contatos").status_code == 403
    assert clerk.get(f"/admin/contatos/{mine.id}").status_code == 403
    assert db.session.scalar(select(func.count(DocumentInterested.id))) == 0
