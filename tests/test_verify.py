"""Conferir autenticidade (public): codes, QR URL, cancelled, wrong CRC, sigiloso, a dropped PDF, rate limit."""
import gzip
import io
import re

import pytest

from app.models import Document
from app.services import documents, signing
from app.services.storage import get_storage
from tests.conftest import csrf_from
from tests.documents_support import internal, legal_basis, make_process
from tests.signing_support import docworld, sign, signworld  # noqa: F401

PAGE_BUDGET = 14 * 1024


def _weight(client, html):
    css = b"".join(client.get(u).get_data() for u in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    return len(gzip.compress(html.encode(), 9)) + len(gzip.compress(css, 9))


@pytest.fixture
def signed(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    sign(w.oficio, w.admin, w.semad)
    db.session.commit()
    return w


def _upload(client, data, name="documento.pdf"):
    token = csrf_from(client.get("/conferir").get_data(as_text=True))
    return client.post("/conferir", data={"csrf_token": token, "arquivo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_empty_page_is_public_and_small(client, db):
    response = client.get("/conferir")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<label for="codigo">' in html and '<label for="crc">' in html
    assert '<label for="arquivo">' in html and _weight(client, html) <= PAGE_BUDGET


def test_qr_url_shows_the_valid_document_and_locks_it(client, signed, db):
    w = signed
    doc = w.oficio
    assert doc.locked_at is None
    response = client.get(f"/conferir?codigo={doc.sei}&crc={doc.crc}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Documento autêntico" in html
    assert doc.title in html and w.process.number in html and "Ofício" in html
    for s in signing.valid_signatures(doc):
        assert s.name in html and s.role in html
    assert "Assinatura eletrônica" in html and _weight(client, html) <= PAGE_BUDGET
    db.session.expire_all()
    assert db.session.get(Document, doc.id).locked_at is not None            # the public saw it: locked
    link = re.search(r'href="(/conferir/documento\.pdf\?[^"]+)"', html).group(1).replace("&amp;", "&")
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data == get_storage().read(signing.signed_pdf(doc))
    lower = client.get(f"/conferir?codigo={int(doc.sei)}&crc={doc.crc.lower()}")    # leading zeros, lower case
    assert lower.status_code == 200 and "Documento autêntico" in lower.get_data(as_text=True)


def test_wrong_crc_unknown_code_and_bad_formats(client, signed, db):
    doc = signed.oficio
    wrong = "0" * 8 if doc.crc != "0" * 8 else "1" * 8
    response = client.get(f"/conferir?codigo={doc.sei}&crc={wrong}")
    assert response.status_code == 422
    assert "O código CRC informado não confere com o documento." in response.get_data(as_text=True)
    response = client.get(f"/conferir?codigo=98765432&crc={doc.crc}")
    assert response.status_code == 422 and "Nenhum documento assinado" in response.get_data(as_text=True)
    response = client.get(f"/conferir?codigo={doc.sei}&crc=ABC")
    assert response.status_code == 422 and "8 caracteres" in response.get_data(as_text=True)
    response = client.get(f"/conferir?codigo=abc&crc={doc.crc}")
    assert response.status_code == 422 and "só números" in response.get_data(as_text=True)
    assert client.get(f"/conferir/documento.pdf?codigo={doc.sei}&crc={wrong}").status_code == 303
    db.session.expire_all()
    assert db.session.get(Document, doc.id).locked_at is None               # nothing shown: not locked


def test_a_minuta_is_not_found(client, signworld, db):
    w = signworld
    response = client.get(f"/conferir?codigo={w.oficio.sei}&crc=ABCDEF12")
    assert response.status_code == 422 and "Nenhum documento assinado" in response.get_data(as_text=True)


def test_cancelled_document(client, signed, db):
    w = signed
    documents.cancel_document(w.oficio, by=w.ana, unit=w.semad, reason="Erro material")
    db.session.commit()
    html = client.get(f"/conferir?codigo={w.oficio.sei}&crc={w.oficio.crc}").get_data(as_text=True)
    assert "Este documento foi cancelado em" in html and "documento.pdf" not in html
    assert client.get(f"/conferir/documento.pdf?codigo={w.oficio.sei}&crc={w.oficio.crc}").status_code == 303


def test_sigiloso_shows_only_the_signatures(client, signworld, db):
    w = signworld
    secret = make_process(w.pm, w.semad, w.ana, level="sigiloso", basis=legal_basis(w.pm, "sigiloso"))
    doc = internal(secret, w.semad, w.ana, access_level="sigiloso", legal_basis_id=legal_basis(w.pm, "sigiloso").id,
                   description="Parecer reservado")
    sign(doc, w.ana, w.semad)
    db.session.commit()
    html = client.get(f"/conferir?codigo={doc.sei}&crc={doc.crc}").get_data(as_text=True)
    assert "Documento autêntico" in html and "Ana Souza" in html and "sigiloso" in html
    assert doc.title not in html and secret.number not in html and "documento.pdf" not in html
    assert client.get(f"/conferir/documento.pdf?codigo={doc.sei}&crc={doc.crc}").status_code == 303


def test_a_dropped_pdf_is_recognised_and_its_seal_checked(client, signed, db):
    w = signed
    sigs = signing.valid_signatures(w.oficio)
    first = get_storage().read(sigs[0].rendition_sha256)
    latest = get_storage().read(signing.signed_pdf(w.oficio))
    html = _upload(client, latest).get_data(as_text=True)
    assert "via emitida por este sistema" in html and w.oficio.title in html
    assert "Selo digital (PAdES) íntegro, do certificado de Prefeitura Municipal de Teste" in html
    html = _upload(client, first).get_data(as_text=True)
    assert "Há uma via mais recente, com 1 assinatura(s) a mais" in html
    tampered = bytearray(latest)
    tampered[latest.index(b"stream") + 30] ^= 0x01
    html = _upload(client, bytes(tampered)).get_data(as_text=True)
    assert "não é uma via emitida por este sistema" in html and "NÃO confere" in html
    from tests.documents_support import pdf_bytes
    html = _upload(client, pdf_bytes("qualquer")).get_data(as_text=True)
    assert "não tem assinatura digital" in html


def test_bad_uploads_are_422(client, signed, db, app):
    response = _upload(client, b"GIF89a not a pdf", "x.pdf")
    assert response.status_code == 422 and "não é um PDF" in response.get_data(as_text=True)
    response = _upload(client, b"", "vazio.pdf")
    assert response.status_code == 422 and "Escolha um arquivo PDF." in response.get_data(as_text=True)
    app.config["VERIFY_MAX_UPLOAD_MB"] = 1
    try:
        response = _upload(client, b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
        assert response.status_code == 422 and "ultrapassa 1 MB" in response.get_data(as_text=True)
    finally:
        app.config.pop("VERIFY_MAX_UPLOAD_MB")
    response = client.post("/conferir", data={"arquivo": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400                                       # no CSRF token


def test_repeated_failures_bring_a_challenge_then_a_limit(client, signed, db, app):
    doc = signed.oficio
    wrong = "0" * 8 if doc.crc != "0" * 8 else "1" * 8
    app.config.update(VERIFY_FAILURES_BEFORE_CHALLENGE=3, VERIFY_MAX_FAILURES=8)
    try:
        for _ in range(3):
            html = client.get(f"/conferir?codigo={doc.sei}&crc={wrong}").get_data(as_text=True)
        question = re.search(r"Quanto é (\d) \+ (\d)\?", html)
        assert question and 'name="desafio"' in html
        # the right codes without the answer: refused, and counted
        response = client.get(f"/conferir?codigo={doc.sei}&crc={doc.crc}")
        assert response.status_code == 422 and "Resposta incorreta" in response.get_data(as_text=True)
        html = response.get_data(as_text=True)
        a, b = map(int, re.search(r"Quanto é (\d) \+ (\d)\?", html).groups())
        token = re.search(r'name="desafio" type="hidden" value="([^"]+)"', html).group(1)
        response = client.get("/conferir", query_string={"codigo": doc.sei, "crc": doc.crc, "desafio": token,
                                                         "resposta": str(a + b)})
        assert response.status_code == 200 and "Documento autêntico" in response.get_data(as_text=True)
        replay = client.get("/conferir", query_string={"codigo": doc.sei, "crc": wrong, "desafio": token,
                                                       "resposta": str(a + b)})
        assert replay.status_code == 422                                     # failures were cleared: counted again
        for _ in range(10):
            response = client.get(f"/conferir?codigo={doc.sei}&crc={wrong}")
        assert response.status_code == 429 and "Muitas consultas" in response.get_data(as_text=True)
    finally:
        app.config.pop("VERIFY_FAILURES_BEFORE_CHALLENGE")
        app.config.pop("VERIFY_MAX_FAILURES")


def test_challenge_token_is_spent_once(app, db):
    from app.services import verification
    from app.services.errors import InvalidInput
    question, token = verification.new_challenge()
    a, b = map(int, re.search(r"(\d) \+ (\d)", question).groups())
    verification.check_challenge(token, str(a + b))
    db.session.flush()
    with pytest.raises(InvalidInput):
        verification.check_challenge(token, str(a + b))
    with pytest.raises(InvalidInput):
        verification.check_challenge("forjado", "3")


def test_an_upload_above_the_request_limit_gets_the_portuguese_413(client, db, app):
    """A 500 MB "PDF" never reaches the check: the request limit answers first (here shrunk to 64 KB)."""
    token = csrf_from(client.get("/conferir").get_data(as_text=True))
    previous = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        response = client.post("/conferir", data={"csrf_token": token,
                                                  "arquivo": (io.BytesIO(b"%PDF-1.4" + b"0" * 70_000), "g.pdf")},
                               content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = previous
    assert response.status_code == 413 and "Arquivo grande demais" in response.get_data(as_text=True)
