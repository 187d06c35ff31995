"""Document pages through the client: the clerk's whole path, editor saves, access, budgets, admin pages."""
import gzip
import io
import re
from pathlib import Path

import pypdf
from sqlalchemy import func, select

from app.models import Document, DocumentVersion
from app.services import documents
from tests.conftest import csrf_from, post_form
from tests.documents_support import docworld, doc_type, internal, legal_basis, make_process, pdf_bytes, png_bytes  # noqa: F401

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"


def _base(w):
    return f"/processos/{w.process.id}/documentos"


def _gz(*parts):
    return sum(len(gzip.compress(p if isinstance(p, bytes) else p.encode(), 9)) for p in parts)


def test_clerk_writes_an_oficio_uploads_two_pdfs_and_downloads_each(client, docworld, login, db):
    w = docworld
    login("ana")
    page = client.get(_base(w) + "/novo")
    assert page.status_code == 200 and '<label for="type_id">' in page.get_data(as_text=True)
    oficio = doc_type(w.pm)
    response = post_form(client, _base(w) + "/novo", {"type_id": oficio.id, "source": "model", "access_level": "publico",
                                                      "legal_basis_id": 0, "recipient": "Secretaria de Obras",
                                                      "token": "tok-oficio-0123456789"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/editar")
    editor_url = response.headers["Location"]
    html = client.get(editor_url).get_data(as_text=True)
    assert 'id="html"' in html and "editor.js" in html and "Secretaria de Obras" in html
    token = csrf_from(html)
    response = client.post(editor_url, data={"csrf_token": token, "base_version": "1",
                                             "html": "<p>Senhor Secretário, <strong>solicito</strong> informações.</p>"})
    assert response.status_code == 303
    files = {"files": [(io.BytesIO(pdf_bytes("primeiro")), "scan1.pdf"), (io.BytesIO(pdf_bytes("segundo")), "scan2.pdf")]}
    page = client.get(_base(w) + "/externo").get_data(as_text=True)
    anexo = doc_type(w.pm, "Anexo")
    response = client.post(_base(w) + "/externo", data={
        "csrf_token": csrf_from(page), "token": "tok-upload-0123456789ab", "type_id": anexo.id, "document_date": "2026-01-15",
        "external_format": "digitalizado", "conference": "copia_simples", "access_level": "publico",
        "legal_basis_id": 0, **files}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    docs = db.session.scalars(select(Document).order_by(Document.id)).all()
    assert [d.kind for d in docs] == ["internal", "external", "external"]
    assert [d.sei_number for d in docs] == sorted(d.sei_number for d in docs)
    tree = client.get(_base(w)).get_data(as_text=True)
    assert f"Ofício nº 1/{docs[0].year}/SEMAD ({docs[0].sei})" in tree
    assert f"Anexo scan1 ({docs[1].sei})" in tree and f"Anexo scan2 ({docs[2].sei})" in tree
    for doc, text in ((docs[1], "primeiro"), (docs[2], "segundo")):
        response = client.get(f"{_base(w)}/{doc.id}/arquivo")
        assert response.status_code == 200
        assert text in pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        inline = client.get(f"{_base(w)}/{doc.id}/arquivo?inline=1")
        assert inline.headers["Content-Disposition"].startswith("inline")
    pdf = client.get(f"{_base(w)}/{docs[0].id}/pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Senhor Secretário, solicito informações." in text and f"SEI nº {docs[0].sei}" in text


def test_double_submit_of_incluir_documento_creates_one(client, docworld, login, db):
    w = docworld
    login("ana")
    data = {"type_id": doc_type(w.pm).id, "source": "model", "access_level": "publico", "legal_basis_id": 0,
            "token": "same-token-0123456789"}
    post_form(client, _base(w) + "/novo", data)
    post_form(client, _base(w) + "/novo", data, page_url=_base(w) + "/novo")
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1


def test_stale_editor_gets_portuguese_message_and_nothing_saved(client, docworld, login, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    documents.save_version(doc, "<p>salvo por outra pessoa</p>", by=w.admin, unit=w.semad, base_version=1)
    db.session.commit()
    login("ana")
    url = f"{_base(w)}/{doc.id}/editar"
    response = post_form(client, url, {"base_version": "1", "html": "<p>meu texto</p>"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "depois que você abriu o editor" in body and "Nada foi salvo" in body and "meu texto" in body
    assert db.session.scalar(select(func.count()).select_from(DocumentVersion)) == 2


def test_editor_page_within_budget_and_editor_js_only_there(client, docworld, login, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    db.session.commit()
    login("ana")
    editor = client.get(f"{_base(w)}/{doc.id}/editar").get_data(as_text=True)
    assert "<script>" not in editor and " style=" not in editor and " onclick" not in editor
    statics = [(STATIC / name).read_bytes() for name in ("app.css", "editor.css", "editor.js",
                                                        "vendor/htmx-2.0.8.min.js")]
    assert _gz(editor, *statics) <= 60 * 1024
    show = client.get(f"{_base(w)}/{doc.id}").get_data(as_text=True)
    assert "editor.js" not in show
    assert _gz(show, statics[0]) <= 14 * 1024
    fragment = client.get(f"{_base(w)}/{doc.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and doc.title in fragment and _gz(fragment) <= 2 * 1024


def test_versions_page_diff_and_restore(client, docworld, login, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana, type_name="Despacho")
    documents.save_version(doc, "<p>Primeiro parágrafo.</p><p>Texto antigo aqui.</p>", by=w.ana, unit=w.semad,
                           base_version=1)
    documents.save_version(doc, "<p>Primeiro parágrafo.</p><p>Texto novo aqui.</p><p>Mais um.</p>", by=w.ana,
                           unit=w.semad, base_version=2)
    db.session.commit()
    login("ana")
    page = client.get(f"{_base(w)}/{doc.id}/versoes?de=2&para=3").get_data(as_text=True)
    assert "<del>antigo</del>" in page and "<ins>novo</ins>" in page and "<ins>Mais um.</ins>" in page
    response = post_form(client, f"{_base(w)}/{doc.id}/versoes/2/restaurar", {"base_version": "3"},
                         page_url=f"{_base(w)}/{doc.id}/versoes")
    assert response.status_code == 303
    db.session.expire_all()
    assert documents.current_html(db.session.get(Document, doc.id)) == "<p>Primeiro parágrafo.</p><p>Texto antigo aqui.</p>"


def test_minuta_hidden_from_other_units_and_restricted_content_forbidden(client, docworld, login, db):
    w = docworld
    draft = internal(w.process, w.semad, w.ana)
    restricted = make_process(w.pm, w.semad, w.ana, level="restrito")
    ext = __import__("tests.documents_support", fromlist=["external"]).external(restricted, w.semad, w.ana)
    db.session.commit()
    login("bia")  # works in GAB only
    assert client.get(f"{_base(w)}/{draft.id}").status_code == 404
    assert client.get(f"{_base(w)}/{draft.id}/pdf").status_code == 404
    assert draft.title not in client.get(_base(w)).get_data(as_text=True)
    base = f"/processos/{restricted.id}/documentos"
    for url in (base, f"{base}/{ext.id}", f"{base}/{ext.id}/arquivo"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"{_base(w)}/novo").status_code == 403  # process not open in GAB


def test_other_unit_opening_locks_and_then_only_cancel(client, docworld, login, db):
    from tests.documents_support import external
    w = docworld
    ext = external(w.process, w.semad, w.ana)
    db.session.commit()
    login("bia")
    assert client.get(f"{_base(w)}/{ext.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(Document, ext.id).locked_at is not None
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login("ana")
    assert client.get(f"{_base(w)}/{ext.id}/excluir").status_code == 403
    response = post_form(client, f"{_base(w)}/{ext.id}/cancelar", {"reason": ""})
    assert response.status_code == 422 and "Informe o motivo do cancelamento." in response.get_data(as_text=True)
    assert post_form(client, f"{_base(w)}/{ext.id}/cancelar", {"reason": "Arquivo errado"}).status_code == 303
    page = client.get(f"{_base(w)}/{ext.id}").get_data(as_text=True)
    assert "Motivo: Arquivo errado" in page and "cancelado" in page
    assert client.get(f"{_base(w)}/{ext.id}/arquivo").status_code == 403


def test_delete_minuta_and_alter_document(client, docworld, login, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    other = internal(w.process, w.semad, w.ana, type_name="Memorando")
    db.session.commit()
    login("ana")
    assert post_form(client, f"{_base(w)}/{doc.id}/excluir").status_code == 303
    assert client.get(f"{_base(w)}/{doc.id}").status_code == 404
    response = post_form(client, f"{_base(w)}/{other.id}/alterar", {
        "description": "Pedido de férias", "interested": "Maria\nJosé", "access_level": "restrito", "legal_basis_id": 0})
    assert response.status_code == 422 and "Hipótese Legal" in response.get_data(as_text=True)
    basis = legal_basis(w.pm)
    db.session.commit()
    response = post_form(client, f"{_base(w)}/{other.id}/alterar", {
        "description": "Pedido de férias", "interested": "Maria\nJosé", "access_level": "restrito",
        "legal_basis_id": basis.id})
    assert response.status_code == 303
    db.session.expire_all()
    changed = db.session.get(Document, other.id)
    assert changed.description == "Pedido de férias" and changed.access_level == "restrito"
    assert [i.contact.name for i in changed.interested] == ["Maria", "José"]


def test_admin_document_types_and_letterhead(client, docworld, login, db):
    w = docworld
    login("admin")
    assert "Ofício" in client.get("/admin/tipos-de-documento").get_data(as_text=True)
    response = post_form(client, "/admin/tipos-de-documento/novo", {
        "name": "Informação", "applies_to": "internal", "numbering": "org", "title_template": "{tipo} {foo}",
        "model_html": "<p>{processo}</p>", "min_signature_level": "avancada", "suggested_level": "publico",
        "active": "y"})
    assert response.status_code == 422 and "Expressão do título inválida" in response.get_data(as_text=True)
    response = post_form(client, "/admin/tipos-de-documento/novo", {
        "name": "Informação", "applies_to": "internal", "numbering": "org", "title_template": "{tipo} nº {numero}",
        "model_html": "<p onclick='x'>{processo}</p>", "min_signature_level": "avancada", "suggested_level": "publico",
        "active": "y"})
    assert response.status_code == 303
    assert doc_type(w.pm, "Informação").model_html == "<p>{processo}</p>"
    page = client.get("/admin/documentos").get_data(as_text=True)
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post("/admin/documentos/brasao", data={"csrf_token": csrf_from(page),
                                                             "brasao": (io.BytesIO(evil), "brasao.svg")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "SVG" in response.get_data(as_text=True)
    response = client.post("/admin/documentos/brasao", data={"csrf_token": csrf_from(page),
                                                             "brasao": (io.BytesIO(png_bytes((64, 64))), "brasao.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    image = client.get("/timbre/brasao")
    assert image.status_code == 200 and image.mimetype == "image/png"
    doc = internal(w.process, w.semad, w.ana)
    db.session.commit()
    pdf = client.get(f"{_base(w)}/{doc.id}/pdf").data
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_admin_pages_refuse_clerks(client, docworld, login):
    login("ana")
    for url in ("/admin/tipos-de-documento", "/admin/tipos-de-documento/novo", "/admin/documentos"):
        assert client.get(url).status_code == 403


def test_standard_texts_of_the_unit(client, docworld, login, db):
    w = docworld
    login("ana")
    response = post_form(client, "/textos-padrao", {"name": "Encaminhamento SEMAD", "html": "<p>À {destinatario}</p>",
                                                    "scope": "unit"})
    assert response.status_code == 303
    page = client.get("/textos-padrao").get_data(as_text=True)
    assert "Encaminhamento SEMAD" in page
    text_id = re.search(r'/textos-padrao/(\d+)">Alterar</a>', page).group(1)
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    login("bia")
    assert client.get(f"/textos-padrao/{text_id}").status_code == 403  # another unit's text


def test_process_page_shows_the_document_tree(client, docworld, login, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    db.session.commit()
    login("ana")
    page = client.get(f"/processos/{w.process.id}").get_data(as_text=True)
    assert doc.tree_label in page and f"/documentos/{doc.id}" in page
    assert client.get(f"/processos/{w.process.id}/documentos/{doc.id}").status_code == 200


def test_a_tampered_choice_is_shown_next_to_its_field(client, docworld, login, db):
    """Radio groups drawn option by option show their error too: never a 422 without a message."""
    w = docworld
    login("ana")
    url = f"/processos/{w.process.id}/documentos/novo"
    response = post_form(client, url, {"type_id": doc_type(w.pm).id, "source": "xpto", "access_level": "nenhum",
                                       "legal_basis_id": 0, "token": "tok-tampered-0123456789"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and html.count('class="err"') >= 2
    assert db.session.scalar(select(func.count(Document.id))) == 0
