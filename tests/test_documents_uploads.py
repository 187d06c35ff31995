"""Uploads checked by content, upload abuse through the route, storage crash safety and `flask fsck`."""
import io
import os
import time
import zipfile

import pytest
from sqlalchemy import func, select

from app.models import Blob, Document
from app.services import storage
from app.services.errors import InvalidInput
from app.services.uploads import DOCUMENT_KINDS, inspect_upload
from tests.conftest import csrf_from
from tests.documents_support import (docworld, doc_type, docx_bytes, external, jpeg_bytes, odf_bytes,  # noqa: F401
                                     pdf_bytes, png_bytes, tiff_bytes, xlsx_bytes)

MB = 1024 * 1024


def _inspect(data, name, accepted=DOCUMENT_KINDS, max_bytes=5 * MB):
    return inspect_upload(io.BytesIO(data), name, accepted=accepted, max_bytes=max_bytes)


@pytest.mark.parametrize("maker,name,kind", [
    (pdf_bytes, "a.pdf", "pdf"), (png_bytes, "a.png", "png"), (jpeg_bytes, "a.jpg", "jpeg"),
    (tiff_bytes, "a.tif", "tiff"), (docx_bytes, "a.docx", "docx"), (xlsx_bytes, "a.xlsx", "xlsx"),
    (lambda: odf_bytes("text"), "a.odt", "odt"), (lambda: odf_bytes("spreadsheet"), "a.ods", "ods"),
    (lambda: "Relatório de visita\nTudo certo.\n".encode(), "a.txt", "txt"),
    (lambda: "nome;valor\nJoão;10\n".encode("cp1252"), "planilha.csv", "csv"),
    (pdf_bytes, "sem-extensao", "pdf")])
def test_accepted_types_recognised_by_content(maker, name, kind):
    assert _inspect(maker(), name).kind == kind


def _bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\0" * (40 * MB))
    return buffer.getvalue()


@pytest.mark.parametrize("data,name,message", [
    (b"MZ\x90\x00" + b"\0" * 200, "relatorio.pdf", "não é de um tipo aceito"),
    (b"\x7fELF\x02\x01\x01" + b"\0" * 100, "foto.png", "não é de um tipo aceito"),
    (b"", "vazio.pdf", "está vazio"),
    (b"%PDF-1.7\n1 0 obj <</Type/Catalog>> endobj\n%%EOF garbage", "quebrado.pdf", "não é um PDF válido"),
    (b"%PDF-" + b"x" * 500, "truncado.pdf", "não é um PDF válido"),
    (b"<html><script>alert(1)</script></html>", "foto.png", "não é de um tipo aceito"),
    (b"<!DOCTYPE html><p>oi", "texto.txt", "não é de um tipo aceito"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "foto.png", "não é uma imagem válida"),
    (b"PK\x03\x04" + b"\0" * 100, "a.docx", "corrompido"),
    (None, "planilha.docx", "bomba zip"),
    (None, "../../etc/passwd.pdf", "partes de caminho"),
    (None, "rel\x00at\x07orio.pdf", "caracteres de controle"),
    (None, "a" * 300 + ".pdf", "304 caracteres; o máximo é 255"),
    (None, "foto.pdf", "é PNG, mas o nome termina em .pdf"),
])
def test_bad_files_are_refused_in_portuguese(data, name, message):
    if data is None:
        data = _bomb() if "bomba" in message else png_bytes() if "PNG" in message else pdf_bytes()
    with pytest.raises(InvalidInput) as error:
        _inspect(data, name)
    assert message in error.value.message


def test_zip_that_is_not_an_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", b"MZ")
    with pytest.raises(InvalidInput) as error:
        _inspect(buffer.getvalue(), "pacote.docx")
    assert "não é DOCX" in error.value.message


def test_size_limit_and_type_configured_by_org():
    with pytest.raises(InvalidInput) as error:
        _inspect(pdf_bytes() + b" " * MB, "grande.pdf", max_bytes=MB)
    assert "o máximo permitido é 1,0 MB" in error.value.message
    with pytest.raises(InvalidInput):
        _inspect(png_bytes(), "foto.png", accepted=("pdf",))


def _upload(client, w, files, **extra):
    base = f"/processos/{w.process.id}/documentos/externo"
    page = client.get(base).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "token": extra.pop("token", "tok-0123456789abcdef"), "type_id": doc_type(w.pm, "Anexo").id,
            "document_date": "2026-01-10", "external_format": "nato_digital", "access_level": "publico",
            "legal_basis_id": 0, "files": [(io.BytesIO(d), n) for d, n in files], **extra}
    return client.post(base, data=data, content_type="multipart/form-data")


def _stored_files(app):
    return list(storage.Storage(app.config["STORAGE_DIR"]).walk())


def test_one_bad_file_refuses_the_whole_upload_and_stores_nothing(app, client, docworld, login, db):
    login("ana")
    before = _stored_files(app)
    response = _upload(client, docworld, [(pdf_bytes("bom"), "bom.pdf"), (b"MZ" + b"\0" * 50, "virus.pdf")])
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "virus.pdf" in body and "não é de um tipo aceito" in body
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert _stored_files(app) == before


def test_per_file_data_overrides_common_data(client, docworld, login, db):
    login("ana")
    nota = doc_type(docworld.pm, "Nota Fiscal")
    response = _upload(client, docworld, [(pdf_bytes("a"), "a.pdf"), (png_bytes(), "b.png")],
                       **{"f1-type_id": str(nota.id), "f1-number": "123", "f1-description": "Fornecedor X",
                          "f0-external_format": "digitalizado", "f0-conference": "original"})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    first, second = db.session.scalars(select(Document).order_by(Document.id)).all()
    assert (first.type.name, first.external_format, first.conference, first.description) == (
        "Anexo", "digitalizado", "original", "a")
    assert (second.type.name, second.number, second.description) == ("Nota Fiscal", "123", "Fornecedor X")
    assert second.blob.media_type == "image/png"


def test_same_upload_submitted_twice_gives_one_document_and_bytes_stored_once(app, client, docworld, login, db):
    login("ana")
    data = pdf_bytes("duplicado")
    assert _upload(client, docworld, [(data, "x.pdf")], token="twice-0123456789abcdef").status_code == 303
    assert _upload(client, docworld, [(data, "x.pdf")], token="twice-0123456789abcdef").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Document)) == 1
    assert _upload(client, docworld, [(data, "y.pdf")], token="other-0123456789abcdef").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Document)) == 2
    assert db.session.scalar(select(func.count()).select_from(Blob)) == 1


def test_missing_data_for_digitalizado(client, docworld, login, db):
    login("ana")
    response = _upload(client, docworld, [(pdf_bytes(), "a.pdf")], external_format="digitalizado")
    assert response.status_code == 422 and "tipo de conferência" in response.get_data(as_text=True)


def test_crash_between_file_write_and_commit_leaves_an_orphan_that_fsck_finds(app, docworld, db, monkeypatch):
    """The bytes are fsynced before the row; a failed commit leaves no row without bytes, only an orphan file."""
    w = docworld
    data = pdf_bytes("queda de energia")
    doc = external(w.process, w.semad, w.ana, data=data)
    sha = doc.blob_sha256
    db.session.rollback()  # the "crash": the transaction never commits
    assert db.session.get(Blob, sha) is None and db.session.scalar(select(func.count()).select_from(Document)) == 0
    store = storage.get_storage()
    assert store.exists(sha)
    report = storage.fsck(store)
    assert report.ok and str(store.path(sha)) in report.orphans
    assert storage.fsck(store, remove_orphans=True).removed == []           # younger than a day: kept
    old = time.time() - 2 * 24 * 3600
    os.utime(store.path(sha), (old, old))
    assert storage.fsck(store, remove_orphans=True).removed == [str(store.path(sha))]
    assert not store.exists(sha)


def test_failure_while_writing_leaves_no_file(app, db, monkeypatch):
    store = storage.get_storage()

    class Exploding(io.BytesIO):
        def read(self, n=-1):
            if self.tell() > 0:
                raise OSError("disco cheio")
            return super().read(10)

    before = list(store.walk())
    with pytest.raises(OSError):
        store.put_stream(Exploding(b"0123456789abcdef"))
    assert list(store.walk()) == before and store.temp_files() == []


def test_fsck_finds_missing_and_corrupt_files_and_cli(app, docworld, db):
    w = docworld
    a = external(w.process, w.semad, w.ana, data=pdf_bytes("a"))
    b = external(w.process, w.semad, w.ana, data=pdf_bytes("b"))
    db.session.commit()
    store = storage.get_storage()
    store.path(a.blob_sha256).unlink()
    store.path(b.blob_sha256).write_bytes(b"tampered")
    report = storage.fsck(store)
    assert report.missing == [a.blob_sha256] and report.corrupt == [b.blob_sha256] and not report.ok
    result = app.test_cli_runner().invoke(args=["fsck"])
    assert result.exit_code == 1 and "FALTANDO" in result.output and "CORROMPIDO" in result.output


def test_a_wildcard_or_foreign_token_finds_no_one_elses_documents(client, docworld, login, db):
    """The doubled-submit token is matched literally and only among the user's own documents here."""
    from app.services import external_documents
    w = docworld
    login("ana")
    data = pdf_bytes("um")
    assert _upload(client, docworld, [(data, "x.pdf")], token="real-0123456789abcdef").status_code == 303
    assert external_documents.documents_for_token("real-0123456789abcdef", w.process, w.semad, w.ana)
    assert external_documents.documents_for_token("real-0123456789abcde_", w.process, w.semad, w.ana) == []
    assert external_documents.documents_for_token("________________________", w.process, w.semad, w.ana) == []
    assert external_documents.documents_for_token("real-0123456789abcdef", w.process, w.semad, w.bia) == []
    response = _upload(client, docworld, [(data, "y.pdf")], token="%")
    assert response.status_code == 422 and "adulterado" in response.get_data(as_text=True)
