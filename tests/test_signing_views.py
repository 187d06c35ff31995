"""Assinar and Autenticar through the pages: forms, errors (422, nothing changed), stored PDFs, the tree, budgets."""
import gzip
import re

from sqlalchemy import func, select

from app.models import Document, LoginFailure
from app.models.signature import Signature
from app.services import signing
from app.services.storage import get_storage
from tests.conftest import PASSWORD, csrf_from, post_form
from tests.documents_support import external, pdf_bytes
from tests.signing_support import docworld, role_id, sign, signworld  # noqa: F401

PAGE_BUDGET = 14 * 1024


def _url(doc, tail=""):
    return f"/processos/{doc.process_id}/documentos/{doc.id}{tail}"


def _weight(client, html):
    import re
    css = b"".join(client.get(u).get_data() for u in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    return len(gzip.compress(html.encode(), 9)) + len(gzip.compress(css, 9))


def test_sign_from_the_document_page(client, signworld, login, db):
    w = signworld
    login("ana")
    view = client.get(_url(w.oficio)).get_data(as_text=True)
    assert 'href="' + _url(w.oficio, "/assinar") + '"' in view and "minuta" in client.get(
        f"/processos/{w.process.id}/documentos").get_data(as_text=True)
    page = client.get(_url(w.oficio, "/assinar"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<label for="role_id">' in html and '<label for="password">' in html
    assert _weight(client, html) <= PAGE_BUDGET
    response = post_form(client, _url(w.oficio, "/assinar"), {"role_id": role_id(w.semad), "password": PASSWORD,
                                                              "version": w.oficio.current_version})
    assert response.status_code == 303 and response.headers["Location"].endswith(_url(w.oficio))
    view = client.get(_url(w.oficio)).get_data(as_text=True)
    assert "Assinado por <strong>Ana Souza</strong>" in view and "PDF assinado" in view and "editável" in view
    tree = client.get(f"/processos/{w.process.id}/documentos").get_data(as_text=True)
    assert "assinado/editável" in tree
    stored = get_storage().read(signing.signed_pdf(db.session.get(Document, w.oficio.id)))
    for url in (_url(w.oficio, "/pdf"), _url(w.oficio, "/assinado.pdf")):
        response = client.get(url)
        assert response.status_code == 200 and response.data == stored and response.mimetype == "application/pdf"


def test_sign_errors_are_422_and_change_nothing(client, signworld, login, db):
    w = signworld
    login("ana")
    response = post_form(client, _url(w.oficio, "/assinar"), {"role_id": role_id(w.semad), "password": "errada-1",
                                                              "version": w.oficio.current_version})
    assert response.status_code == 422 and "Senha incorreta." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(LoginFailure).where(LoginFailure.key == "login:ana")) == 1
    response = post_form(client, _url(w.oficio, "/assinar"), {"role_id": 999999, "password": PASSWORD, "version": 2})
    assert response.status_code == 422
    response = post_form(client, _url(w.oficio, "/assinar"), {"role_id": role_id(w.semad), "password": ""})
    assert response.status_code == 422 and "Digite a sua senha" in response.get_data(as_text=True)
    response = client.post(_url(w.oficio, "/assinar"), data={"role_id": role_id(w.semad), "password": PASSWORD,
                                                              "version": w.oficio.current_version})
    assert response.status_code == 400                                        # no CSRF token: refused
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.get(Document, w.oficio.id).state == "draft"
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    response = post_form(client, _url(w.oficio, "/assinar"), {"role_id": role_id(w.semad), "password": PASSWORD,
                                                              "version": w.oficio.current_version})
    assert response.status_code == 422 and "Você já assinou" in response.get_data(as_text=True)


def test_editor_warns_and_an_edit_cancels_the_signatures(client, signworld, login, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    login("ana")
    page = client.get(_url(w.oficio, "/editar")).get_data(as_text=True)
    assert "todas as assinaturas serão canceladas" in page and _url(w.oficio, "/assinar") in page
    response = client.post(_url(w.oficio, "/editar"), data={"csrf_token": csrf_from(page), "html": "<p>Novo.</p>",
                                                            "base_version": str(w.oficio.current_version)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Document, w.oficio.id).state == "draft" and signing.valid_signatures(w.oficio) == []


def test_other_unit_cannot_sign_or_authenticate(client, signworld, login, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    login("bia")   # GAB only
    assert client.get(_url(w.oficio, "/assinar")).status_code == 403
    assert post_form(client, _url(w.oficio, "/assinar"), {"role_id": role_id(w.gab), "password": PASSWORD},
                     page_url="/").status_code == 403
    view = client.get(_url(w.oficio)).get_data(as_text=True)     # opening it from GAB locks it
    assert "Assinar</a>" not in view
    db.session.expire_all()
    assert db.session.get(Document, w.oficio.id).locked_at is not None


def test_authenticate_a_digitalizado_through_the_page(client, signworld, login, db):
    w = signworld
    ext = external(w.process, w.semad, w.ana, data=pdf_bytes("Escritura"), external_format="digitalizado",
                   conference="copia_simples")
    db.session.commit()
    login("ana")
    assert "Autenticar</a>" in client.get(_url(ext)).get_data(as_text=True)
    page = client.get(_url(ext, "/autenticar")).get_data(as_text=True)
    assert '<label for="conference">' in page and 'selected value="copia_simples"' in page
    response = post_form(client, _url(ext, "/autenticar"), {"role_id": role_id(w.semad), "password": PASSWORD,
                                                            "conference": "copia_autenticada_admin"})
    assert response.status_code == 303
    db.session.expire_all()
    ext = db.session.get(Document, ext.id)
    assert ext.conference == "copia_autenticada_admin" and ext.crc
    tree = client.get(f"/processos/{w.process.id}/documentos").get_data(as_text=True)
    assert "autenticado" in tree
    assert client.get(_url(ext, "/assinado.pdf")).data == get_storage().read(signing.signed_pdf(ext))
    assert client.get(_url(ext, "/arquivo")).data == pdf_bytes("Escritura")   # the original, untouched


def test_a_stale_sign_page_signs_nothing(client, signworld, login, db):
    """The text changed after the clerk opened Assinar: nothing is signed; they must read it again."""
    from app.services import documents
    w = signworld
    login("ana")
    page = client.get(_url(w.oficio, "/assinar")).get_data(as_text=True)
    seen = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    documents.save_version(w.oficio, "<p>Outro texto, salvo por um colega.</p>", by=w.admin, unit=w.semad,
                           base_version=w.oficio.current_version)
    db.session.commit()
    response = client.post(_url(w.oficio, "/assinar"), data={"csrf_token": csrf_from(page), "version": seen,
                                                             "role_id": role_id(w.semad), "password": PASSWORD})
    assert response.status_code == 422 and "foi alterado depois que você abriu" in response.get_data(as_text=True)
    assert signing.valid_signatures(w.oficio) == []
