"""Bad input gets a Portuguese answer and changes nothing, never a 500: ids past the integer column,
digits that are no number, NUL and control characters, English validator messages, a form field
left out, invalid UTF-8. Several of these only failed on PostgreSQL: run this module on both."""
import io
import re

import pytest
from sqlalchemy import func, select

from app.models import Document, HistoryEntry, Marker, Process, StandardText
from app.request_input import IdConverter
from app.services import documents, inbox, movement, unit_tools
from app.services.errors import DomainError
from app.services.inputs import MAX_ID, clean_text, parse_id, parse_ids, to_id
from tests.conftest import csrf_from, post_form
from tests.documents_support import doc_type, internal
from tests.routing_support import rw  # noqa: F401  (fixture)

BIG = (MAX_ID + 1, 2**63, 10**30)   # PostgreSQL integer; SQLite integer; Python only


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _assert_no_500(response, what):
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:300])


# --- ids --------------------------------------------------------------------------------------

def test_id_helpers():
    assert [parse_id(v) for v in ("12", " 7 ", 0, MAX_ID, str(MAX_ID))] == [12, 7, 0, MAX_ID, MAX_ID]
    for bad in (None, "", "abc", "-1", -1, "1.5", "²", "1_000", MAX_ID + 1, str(MAX_ID + 1), "9" * 5000, True):
        assert parse_id(bad) is None, bad
        with pytest.raises(ValueError):
            to_id(bad)
    assert parse_ids(["3", "x", "3", str(2**40), "5"]) == [3, 5]


def test_every_int_url_rule_uses_the_id_converter(app):
    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()]
    assert not [c for c in converters if "Integer" in type(c).__name__ and not isinstance(c, IdConverter)]
    assert sum(isinstance(c, IdConverter) for c in converters) > 50


def test_ids_past_the_integer_column_are_404_on_every_route(app, client, rw, login, db):
    login("ana")
    rules = [r for r in app.url_map.iter_rules() if any(isinstance(c, IdConverter) for c in r._converters.values())]
    for big in BIG:
        for rule in rules:
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<int:{name}>", str(big), path)
            for method in sorted(m for m in rule.methods if m in ("GET", "POST")):
                response = client.open(path, method=method, data={})   # 405: a same-path rule of another method
                assert response.status_code in (404, 405), (method, path, response.status_code)
    assert client.get(f"/processos/{rw.pub.id}").status_code == 200


def test_query_ids_out_of_range_are_ignored(client, rw, login, db):
    login("ana")
    pub = rw.pub.id
    doc = internal(rw.pub, rw.semad, rw.ana)
    db.session.commit()
    for big in BIG:
        for url in (f"/?marcador={big}&tipo={big}", f"/?apos=1-{big}", f"/?apos={big}-1",
                    f"/acompanhamento?grupo={big}&antes={big}", f"/processos/{pub}/andamento?antes={big}",
                    f"/credenciais?antes={big}", f"/sobrestados?antes={big}",
                    f"/retorno-programado?apos=2026-01-01_{big}",
                    f"/processos/{pub}/exportar/zip?document_ids={big}",
                    f"/processos/{pub}/documentos/{doc.id}/versoes?versao={big}&de={big}&para=1",
                    f"/processos/{pub}/documentos/novo?tipo={big}",
                    f"/pesquisar?q=papel&process_type_id={big}&document_type_id={big}&unit_id={big}&page={big}"):
            response = client.get(url)
            _assert_no_500(response, url)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login("admin")
    for big in BIG:
        _assert_no_500(client.get(f"/admin/auditoria?antes={big}"), "auditoria")


def test_hidden_version_out_of_range_is_a_stale_form(client, rw, login, db):
    login("ana")
    before = _count(db, HistoryEntry)
    for big in BIG:
        for action in ("concluir", "excluir"):
            response = post_form(client, f"/processos/{rw.pub.id}/{action}", {"version": str(big)},
                                 page_url=f"/processos/{rw.pub.id}")
            assert response.status_code == 422, (action, response.status_code)
            assert "recarregue a página" in response.get_data(as_text=True) or \
                "foi movimentado" in response.get_data(as_text=True)
        response = post_form(client, f"/processos/{rw.pub.id}/enviar",
                             {"version": str(big), "units": [rw.dcc.id], "op": "send"})
        assert response.status_code == 422
    assert _count(db, HistoryEntry) == before


def test_unit_and_process_ids_out_of_range_in_send_and_batch(client, rw, login, db):
    login("ana")
    before = _count(db, HistoryEntry)
    version = str(rw.pub.version)
    for big in BIG:
        response = post_form(client, f"/processos/{rw.pub.id}/enviar",
                             {"version": version, "units": [rw.dcc.id, str(big)], "op": "send"})
        assert response.status_code == 422 and "não existe mais" in response.get_data(as_text=True)
        response = post_form(client, "/processos/lote", {"action": "conclude", "ids": [rw.pub.id, str(big)]},
                             page_url="/")
        assert response.status_code == 422 and "nada foi alterado" in response.get_data(as_text=True)
        response = client.get(f"/processos/enviar?ids={rw.pub.id}&ids={big}")
        assert response.status_code == 303   # back to the inbox with the message
        assert "nada foi alterado" in client.get("/").get_data(as_text=True)
        response = post_form(client, "/processos/enviar", {"ids": [rw.pub.id], "versions": f"{big}:1,{rw.pub.id}:{big}",
                                                           "units": [rw.dcc.id], "op": "send"},
                             page_url=f"/processos/enviar?ids={rw.pub.id}")
        _assert_no_500(response, "enviar em lote")
    assert _count(db, HistoryEntry) == before


def test_services_take_ids_out_of_range_as_no_match(db, rw):
    for big in BIG:
        page = inbox.inbox_page(rw.ana, rw.semad, inbox.InboxFilters(marker_id=big, type_id=big, cursor=f"1-{big}"))
        assert page.rows == []
        watches, _, _ = inbox.watched_page(rw.ana, rw.semad, group_id=big, before=big)
        assert watches == []
        with pytest.raises(DomainError):
            unit_tools.batch_processes(rw.semad, rw.ana, [rw.pub.id, big])
        with pytest.raises(movement.StaleForm):
            movement.parse_version(str(big))
    assert movement.parse_version("3") == 3 and movement.parse_version("") is None


def test_digits_that_are_no_number_are_refused_in_portuguese(client, rw, login, db):
    """"²".isdigit() is True but int("²") fails: such values used to reach int()."""
    login("ana")
    doc = internal(rw.pub, rw.semad, rw.ana)
    db.session.commit()
    base = f"/processos/{rw.pub.id}/documentos"
    editor = f"{base}/{doc.id}/editar"
    response = post_form(client, editor, {"base_version": "²", "html": "<p>x</p>", "image_id": "²"})
    assert response.status_code == 422
    table = '<table><tr><td colspan="²">x</td></tr></table><ol start="²"><li>a</li></ol>'
    response = post_form(client, editor, {"base_version": str(doc.current_version), "html": table, "image_id": 0})
    assert response.status_code == 303
    assert 'colspan' not in documents.current_html(db.session.get(Document, doc.id))
    assert client.get(f"{base}/{doc.id}/pdf").status_code == 200
    response = post_form(client, f"{base}/{doc.id}/assinar", {"version": "²", "role_id": 0, "password": "x"})
    _assert_no_500(response, "assinar ²")
    response = post_form(client, f"{base}/novo", {"type_id": doc_type(rw.pm).id, "source": "document",
                                                  "model_sei": "²", "access_level": "publico", "legal_basis_id": 0})
    assert response.status_code == 422 and "Documento Modelo não encontrado" in response.get_data(as_text=True)
    _assert_no_500(client.get(f"/processos/{rw.pub.id}/exportar/zip?document_ids=²"), "export ²")
    _assert_no_500(client.get("/pesquisar?q=1234567²"), "pesquisar ²")
    _assert_no_500(client.get("/conferir?codigo=1²&crc=ABCDEF12"), "conferir ²")


# --- NUL and control characters ---------------------------------------------------------------

def test_clean_text():
    assert clean_text("a\x00b\x01c\x1f\x7fd\te\r\nf") == "abcd\te\r\nf"
    assert clean_text(None) is None and clean_text(3) == 3


def test_nul_is_dropped_from_every_text_field(client, rw, login, db):
    login("ana")
    pub = f"/processos/{rw.pub.id}"
    assert post_form(client, f"{pub}/anotacao", {"note": "a\x00b\x07c"}, page_url=pub).status_code == 303
    assert post_form(client, "/marcadores", {"name": "Ur\x00gente", "color": "vermelho"}).status_code == 303
    assert db.session.scalar(select(Marker.name).where(Marker.unit_id == rw.semad.id)) == "Urgente"
    assert post_form(client, "/blocos", {"description": "Bloco\x00 de ofícios"}).status_code == 303
    response = post_form(client, f"{pub}/alterar", {
        "type_name": rw.pub.type.name, "specification": "Compra\x00 de papel A4", "access_level": "publico",
        "legal_basis_id": 0, "interested": "Maria\x00 Silva", "observations": "ok\x00"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    doc = internal(rw.pub, rw.semad, rw.ana)
    db.session.commit()
    response = post_form(client, f"{pub}/documentos/{doc.id}/alterar", {
        "description": "Pedido\x00", "interested": "José\x00", "access_level": "publico", "legal_basis_id": 0})
    assert response.status_code == 303
    response = post_form(client, f"{pub}/documentos/{doc.id}/editar", {
        "base_version": str(doc.current_version), "html": "<p>te\x00xto</p>", "image_id": 0})
    assert response.status_code == 303
    assert post_form(client, "/textos-padrao", {"name": "Padrão\x00", "html": "<p>a\x00b</p>",
                                                "scope": "unit"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Process, rw.pub.id).specification == "Compra de papel A4"
    changed = db.session.get(Document, doc.id)
    assert changed.description == "Pedido" and "\x00" not in documents.current_html(changed)
    assert "texto" in documents.current_html(changed)
    assert db.session.scalar(select(StandardText.name).where(StandardText.unit_id == rw.semad.id)) == "Padrão"


def test_services_drop_nul_from_free_text(db, rw):
    """Callers other than the forms (CLI, tests, future API) reach the same services."""
    from tests.process_factory import make_process
    process = make_process(rw.semad, rw.ana, specification="Compra\x00 de mesas", interested="Maria\x00 Souza",
                           observations="obs\x00")
    db.session.commit()
    db.session.expire_all()
    process = db.session.get(Process, process.id)
    assert process.specification == "Compra de mesas"
    assert [i.contact.name for i in process.interested] == ["Maria Souza"]
    assert unit_tools.set_note(process, rw.semad, by=rw.ana, text="outra\x00 nota") is True
    db.session.commit()
    doc = internal(process, rw.semad, rw.ana, interested="José\x00")
    db.session.commit()
    assert [i.contact.name for i in doc.interested] == ["José"]


def test_tabs_newlines_and_passwords_are_kept(client, rw, login, db):
    login("ana")
    pub = f"/processos/{rw.pub.id}"
    assert post_form(client, f"{pub}/anotacao", {"note": "linha 1\r\n\tlinha 2"}, page_url=pub).status_code == 303
    from app.models import ProcessUnit
    db.session.expire_all()
    note = db.session.scalar(select(ProcessUnit.note).where(ProcessUnit.process_id == rw.pub.id,
                                                            ProcessUnit.unit_id == rw.semad.id))
    assert note.splitlines() == ["linha 1", "\tlinha 2"]
    from app.blueprints.auth.forms import LoginForm
    with client.application.test_request_context(method="POST", data={"login": "a\x00", "password": "p\x01"}):
        form = LoginForm(meta={"csrf": False})
        assert form.login.data == "a" and form.password.data == "p\x01"


# --- Portuguese messages of the document forms ------------------------------------------------

def test_document_forms_answer_in_portuguese(client, rw, login, db):
    login("ana")
    base = f"/processos/{rw.pub.id}/documentos"
    english = ("Not a valid", "Field cannot be longer", "This field is required", "Invalid Choice")
    response = post_form(client, f"{base}/novo", {"type_id": "abc", "source": "model", "access_level": "publico",
                                                  "legal_basis_id": "x", "description": "d" * 201})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not any(e in html for e in english), html[:3000]
    assert "200 caracteres" in html or "no máximo" in html
    page = client.get(f"{base}/externo").get_data(as_text=True)
    response = client.post(f"{base}/externo", data={
        "csrf_token": csrf_from(page), "type_id": doc_type(rw.pm, "Anexo").id, "document_date": "31/31/2026",
        "external_format": "nenhum", "access_level": "publico", "legal_basis_id": 0,
        "files": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not any(e in html for e in english), html[:3000]
    assert "data" in html.lower()
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    login("admin")
    response = post_form(client, "/admin/tipos-de-documento/novo", {
        "name": "n" * 101, "applies_to": "nada", "numbering": "org", "title_template": "{tipo}",
        "min_signature_level": "avancada", "suggested_level": "publico"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not any(e in html for e in english), html[:3000]
    response = post_form(client, "/admin/documentos", {"accepted_types": ["pdf"], "max_upload_mb": "muito"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not any(e in html for e in english), html[:3000]


def test_document_forms_share_the_base_form():
    from app.blueprints.documents import forms
    from app.forms import Form
    classes = [v for v in vars(forms).values() if isinstance(v, type) and v.__name__.endswith("Form")]
    assert classes and all(issubclass(c, Form) for c in classes)


# --- a field left out -------------------------------------------------------------------------

def test_alter_document_without_the_interested_field_keeps_them(client, rw, login, db):
    login("ana")
    doc = internal(rw.pub, rw.semad, rw.ana, interested="Maria\nJosé")
    db.session.commit()
    url = f"/processos/{rw.pub.id}/documentos/{doc.id}/alterar"
    response = post_form(client, url, {"description": "Nova descrição", "access_level": "publico", "legal_basis_id": 0})
    assert response.status_code == 303
    db.session.expire_all()
    changed = db.session.get(Document, doc.id)
    assert changed.description == "Nova descrição"
    assert [i.contact.name for i in changed.interested] == ["Maria", "José"]


# --- invalid UTF-8 ----------------------------------------------------------------------------

def _marker_token(client):
    return csrf_from(client.get("/marcadores").get_data(as_text=True))


def test_invalid_utf8_in_a_form_is_refused(client, rw, login, db):
    login("ana")
    token = _marker_token(client)
    urlencoded = {"content_type": "application/x-www-form-urlencoded"}
    for body in (f"csrf_token={token}&color=vermelho&name=Ur%FFgente".encode(),
                 f"csrf_token={token}&color=vermelho&name=Ur".encode() + b"\xff\xfegente"):
        response = client.post("/marcadores", data=body, **urlencoded)
        assert response.status_code == 400 and "Caracteres inválidos" in response.get_data(as_text=True)
    boundary = "xYzZY"
    parts = [(b"csrf_token", token.encode()), (b"color", b"vermelho"), (b"name", b"Ur\xff\xfegente")]
    body = b"".join(b"--" + boundary.encode() + b'\r\nContent-Disposition: form-data; name="' + k + b'"\r\n\r\n' + v
                    + b"\r\n" for k, v in parts) + b"--" + boundary.encode() + b"--\r\n"
    response = client.post("/marcadores", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400 and "Caracteres inválidos" in response.get_data(as_text=True)
    assert _count(db, Marker) == 0
    good = {"csrf_token": token, "color": "vermelho", "name": "Ação � válida %FF"}
    assert client.post("/marcadores", data=good).status_code == 303
    response = client.post("/marcadores", data=dict(good, name="Outro é"), content_type="multipart/form-data")
    assert response.status_code == 303
    assert sorted(db.session.scalars(select(Marker.name))) == ["Ação � válida %FF", "Outro é"]


def test_the_users_filter_takes_any_text(client, world, login):
    login("admin")
    for q in ("a\x00b", "%", "_", "x" * 5000, "ANA"):
        response = client.get("/admin/usuarios", query_string={"q": q})
        assert response.status_code == 200, q
    assert "Ana Souza" in client.get("/admin/usuarios", query_string={"q": "ANA"}).get_data(as_text=True)
