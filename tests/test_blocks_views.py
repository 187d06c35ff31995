"""Blocos de Assinatura through the pages: the whole path between two units, errors, access matrix, budgets."""
import gzip
import re

from sqlalchemy import select

from app.models import Document
from app.models.signature import SignatureBlock
from app.services import blocks, signing
from tests.conftest import PASSWORD, csrf_from, post_form
from tests.signing_support import block_for, docworld, role_id, sign, signworld  # noqa: F401

PAGE_BUDGET = 14 * 1024


def _weight(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    css = b"".join(client.get(u).get_data() for u in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    return len(gzip.compress(html.encode(), 9)) + len(gzip.compress(css, 9))


def _doc(doc, tail=""):
    return f"/processos/{doc.process_id}/documentos/{doc.id}{tail}"


def test_block_between_two_units_through_the_pages(client, signworld, login, db):
    w = signworld
    login("ana")                                                      # SEMAD (her first unit)
    assert "Blocos de Assinatura" in client.get("/").get_data(as_text=True)
    view = client.get(_doc(w.oficio)).get_data(as_text=True)
    assert _doc(w.oficio, "/bloco") in view
    response = post_form(client, _doc(w.oficio, "/bloco"), {"block_id": 0, "description": "Ofícios de novembro"})
    assert response.status_code == 303
    block = db.session.scalar(select(SignatureBlock))
    block_url = f"/blocos/{block.id}"
    assert response.headers["Location"].endswith(block_url)
    page = client.get(block_url).get_data(as_text=True)
    assert w.oficio.tree_label in page and "Disponibilizar" in page
    assert _weight(client, block_url) <= PAGE_BUDGET and _weight(client, "/blocos") <= PAGE_BUDGET
    response = post_form(client, block_url + "/disponibilizar", {"unit_ids": [w.gab.id]}, page_url=block_url)
    assert response.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})

    login("bia")                                                      # GAB
    listing = client.get("/blocos").get_data(as_text=True)
    assert f'href="{block_url}"' in listing and "Ofícios de novembro" in listing
    doc_in_block = f"{block_url}/documentos/{w.oficio.id}"
    page = client.get(doc_in_block).get_data(as_text=True)
    assert "Senhor Secretário" in page and '<label for="password">' in page
    assert _weight(client, doc_in_block) <= PAGE_BUDGET
    preview = client.get(doc_in_block + "/pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    response = post_form(client, doc_in_block, {"role_id": role_id(w.gab), "password": PASSWORD, "version": 2})
    assert response.status_code == 303 and response.headers["Location"].endswith(block_url)
    db.session.expire_all()
    doc = db.session.get(Document, w.oficio.id)
    assert doc.state == "signed" and doc.locked_at is None and [s.name for s in signing.valid_signatures(doc)] == [
        "Bia Lima"]
    signed = client.get(doc_in_block + "/pdf")
    from app.services.storage import get_storage
    assert signed.data == get_storage().read(signing.signed_pdf(doc))
    response = post_form(client, block_url + "/devolver", page_url=block_url)
    assert response.status_code == 303 and response.headers["Location"].endswith("/blocos")
    assert client.get(block_url).status_code == 403                  # returned: no longer GAB's
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})

    login("ana")
    page = client.get(block_url).get_data(as_text=True)
    assert "Retornado" in page and "Bia Lima (GAB)" in page
    assert post_form(client, block_url + "/concluir", page_url=block_url).status_code == 303
    assert "Concluído" in client.get(block_url).get_data(as_text=True)


def test_sign_all_and_errors_on_the_block_page(client, signworld, login, db):
    w = signworld
    block = block_for(w.oficio, w.ana, w.semad, [w.gab])
    db.session.commit()
    url = f"/blocos/{block.id}"
    login("bia")
    response = post_form(client, url + "/assinar", {"role_id": role_id(w.gab), "password": "errada-1"})
    assert response.status_code == 422 and "Senha incorreta." in response.get_data(as_text=True)
    response = post_form(client, url + "/assinar", {"role_id": role_id(w.gab), "password": PASSWORD})
    assert response.status_code == 303
    response = post_form(client, url + "/assinar", {"role_id": role_id(w.gab), "password": PASSWORD})
    assert response.status_code == 422 and "já assinou todos" in response.get_data(as_text=True)
    assert "assinado por você" in client.get(url).get_data(as_text=True)


def test_owner_errors_are_422(client, signworld, login, db):
    w = signworld
    block = blocks.create_block(w.semad, by=w.ana, description="Vazio")
    db.session.commit()
    url = f"/blocos/{block.id}"
    login("ana")
    response = post_form(client, url + "/disponibilizar", {"unit_ids": [w.gab.id]}, page_url=url)
    assert response.status_code == 422 and "ao menos um documento" in response.get_data(as_text=True)
    response = post_form(client, url + "/documentos", {"sei": "99999999"}, page_url=url)
    assert response.status_code == 422 and "confira o número SEI" in response.get_data(as_text=True)
    response = post_form(client, url + "/documentos", {"sei": w.oficio.sei}, page_url=url)
    assert response.status_code == 303
    response = post_form(client, url + "/concluir", page_url=url)
    assert response.status_code == 303
    response = post_form(client, url + "/concluir", page_url=url)
    assert response.status_code == 422 and "já está concluído" in response.get_data(as_text=True)
    response = post_form(client, "/blocos", {"description": ""}, page_url="/blocos")
    assert response.status_code == 422 and "Informe a descrição do bloco." in response.get_data(as_text=True)


def test_block_access_matrix(client, signworld, login, db, make):
    """Every block route: the owner unit, a target unit, and an unrelated unit of the same órgão."""
    w = signworld
    w.saude = make.unit(w.pm, "SMS", name="Saúde")
    make.user(w.pm, [w.saude], "caua", name="Cauã")
    block = block_for(w.oficio, w.ana, w.semad, [w.gab])
    db.session.commit()
    b, d = f"/blocos/{block.id}", f"/blocos/{block.id}/documentos/{w.oficio.id}"
    gets = [b, d, d + "/pdf"]
    owner_posts = [b + "/documentos", b + f"/documentos/{w.oficio.id}/retirar", b + "/disponibilizar",
                   b + "/cancelar-disponibilizacao", b + "/concluir", b + "/reabrir"]
    target_posts = [b + "/devolver", b + "/assinar", d]
    login("caua")                                                    # unrelated unit: nothing
    token = csrf_from(client.get("/").get_data(as_text=True))
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in owner_posts + target_posts:
        assert client.post(url, data={"csrf_token": token}).status_code == 403, url
    client.post("/logout", data={"csrf_token": token})
    login("bia")                                                     # target: no owner actions
    token = csrf_from(client.get("/").get_data(as_text=True))
    for url in gets:
        assert client.get(url).status_code == 200, url
    for url in owner_posts:
        assert client.post(url, data={"csrf_token": token}).status_code == 403, url
    client.post("/logout", data={"csrf_token": token})
    login("ana")                                                     # owner (SEMAD): no target actions
    token = csrf_from(client.get("/").get_data(as_text=True))
    for url in (b + "/devolver", b + "/assinar"):
        assert client.post(url, data={"csrf_token": token}).status_code == 403, url
    assert client.get(b).status_code == 200 and client.get(d).status_code == 200


def test_document_routes_access_matrix(client, signworld, login, db):
    """Assinar, Autenticar, the signed PDF and Incluir em Bloco for a unit that did not generate the document."""
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    login("bia")
    token = csrf_from(client.get("/").get_data(as_text=True))
    for tail in ("/assinar", "/autenticar", "/bloco"):
        assert client.get(_doc(w.oficio, tail)).status_code == 403, tail
        assert client.post(_doc(w.oficio, tail), data={"csrf_token": token}).status_code == 403, tail
    assert client.get(_doc(w.oficio, "/assinado.pdf")).status_code == 200   # público: every unit may read it
    assert client.get(f"/processos/{w.process.id}/documentos/{w.oficio.id + 999}/assinar").status_code == 404


def test_a_document_that_becomes_sigiloso_leaves_every_block_view(client, signworld, login, db):
    """Sigilosos never go into blocks — nor stay visible through one when the level is raised afterwards."""
    from tests.documents_support import legal_basis
    w = signworld
    block = block_for(w.oficio, w.ana, w.semad, [w.gab])
    w.process.access_level, w.process.legal_basis_id = "sigiloso", legal_basis(w.pm, "sigiloso").id
    db.session.commit()
    assert blocks.block_documents(block) == []
    login("bia")                                                      # GAB, no credential
    doc_in_block = f"/blocos/{block.id}/documentos/{w.oficio.id}"
    assert client.get(doc_in_block).status_code == 404
    assert client.get(doc_in_block + "/pdf").status_code == 404
    assert "Senhor Secretário" not in client.get(f"/blocos/{block.id}").get_data(as_text=True)
