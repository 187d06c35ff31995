"""Text for the index: every format, OCR of a scan, the pending state, `flask reindex`."""
import pytest
from sqlalchemy import select

from app.jobs import huey
from app.models.search import DocumentText
from app.services import ocr, search, search_index, text_extract
from app.services.search import Filters
from tests.documents_support import docx_bytes, zip_bytes
from tests.search_support import clear_index, doc_with, external, make_process, scanned_pdf, text_image_png

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="ocrmypdf/tesseract não instalados")


@pytest.fixture
def iw(world, db):
    clear_index()
    world.process = make_process(world.pm, world.semad, world.ana)
    db.session.commit()
    return world


def entry(document):
    return search_index.db.session.get(DocumentText, document.id)


def hits(w, q):
    return [h.document.id for h in search.search(w.ana, w.semad, q, Filters()).hits]


def test_html_text():
    assert text_extract.html_text("<p>Olá&nbsp;<b>mundo</b></p><p>segunda</p>") == "Olá\xa0mundo\n\nsegunda"


@pytest.mark.parametrize("filename,data,word", [
    ("a.docx", docx_bytes(b'<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Empenho</w:t></w:r></w:p></w:body>'
                          b'</w:document>'), "empenho"),
    ("a.odt", zip_bytes({"content.xml": ('<d xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                                         '<text:p>Convênio assinado</text:p></d>').encode()},
                        first=("mimetype", b"application/vnd.oasis.opendocument.text")), "convênios"),
    ("a.xlsx", zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                          "xl/sharedStrings.xml": "<sst><si><t>Orçamento</t></si></sst>".encode(),
                          "xl/worksheets/sheet1.xml": b'<w><row><c t="s"><v>0</v></c><c><v>1234</v></c></row></w>'}),
     "orcamentos"),
    ("a.ods", zip_bytes({"content.xml": b'<d xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                                        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><table:table-cell>'
                                        b'<text:p>Fornecedores</text:p></table:table-cell></d>'},
                        first=("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")), "fornecedor"),
    ("a.txt", "Ofício ao Tribunal de Contas".encode(), "tribunal"),
    ("a.csv", "nome;valor\nDiária;100".encode("cp1252"), "diarias"),
])
def test_every_format_is_indexed(iw, db, filename, data, word):
    document = external(iw.process, iw.semad, iw.ana, data=data, filename=filename)
    db.session.commit()
    assert entry(document).status in ("done", "skipped")
    if word:
        assert hits(iw, word) == [document.id]


def test_pdf_text_layer(iw, db):
    from tests.documents_support import pdf_bytes
    document = external(iw.process, iw.semad, iw.ana, data=pdf_bytes("Homologação do certame número 7"))
    db.session.commit()
    assert (entry(document).status, entry(document).source) == ("done", "pdf")
    assert hits(iw, "homologacao certame") == [document.id]


@needs_ocr
def test_a_word_only_in_a_scanned_page_is_found(iw, db):
    """The issue's "done when": a clerk finds a process by a word that exists only in a scanned attachment."""
    document = external(iw.process, iw.semad, iw.ana, data=scanned_pdf("Requerimento de alvara sanitario"),
                        filename="digitalizado.pdf")
    db.session.commit()
    row = entry(document)
    assert (row.status, row.source) == ("done", "ocr"), row.error
    assert hits(iw, "alvará") == [document.id]
    assert hits(iw, "requerimentos sanitarios") == [document.id]


@needs_ocr
def test_an_image_is_read_by_ocr(iw, db):
    document = external(iw.process, iw.semad, iw.ana, data=text_image_png("Parecer sobre pavimentacao"),
                        filename="foto.png")
    db.session.commit()
    assert entry(document).source == "ocr"
    assert hits(iw, "pavimentação") == [document.id]


def test_ocr_can_be_switched_off(iw, db, app):
    app.config["OCR_ENABLED"] = False
    try:
        document = external(iw.process, iw.semad, iw.ana, data=scanned_pdf(), filename="scan.pdf")
        db.session.commit()
    finally:
        app.config.pop("OCR_ENABLED")
    assert entry(document).status == "skipped"
    assert hits(iw, "alvara") == []


def test_a_broken_file_is_recorded_not_raised(iw, db, monkeypatch):
    def boom(path, media_type):
        raise ValueError("corrompido")
    monkeypatch.setattr(text_extract, "extract_file", boom)
    document = external(iw.process, iw.semad, iw.ana, data="qualquer coisa".encode(), filename="x.txt")
    db.session.commit()
    row = entry(document)
    assert row.status == "failed" and "Não foi possível" in row.error
    assert hits(iw, "anexo") == [document.id]  # the type and title stay searchable


def test_pending_until_the_worker_indexes(iw, db, monkeypatch):
    """Outside tests the commit only marks the row pending ("indexando…") and enqueues the job."""
    enqueued = []
    monkeypatch.setattr(huey, "immediate", False)
    monkeypatch.setattr(search_index, "index_document", lambda document_id: enqueued.append(document_id))
    document = doc_with(iw.process, iw.semad, iw.ana, "Texto ainda não indexado")
    db.session.commit()
    assert entry(document).status == "pending" and enqueued == [document.id]
    assert search_index.pending_ids(iw.process) == {document.id}
    assert search_index.index_status(document) == "pending"
    monkeypatch.setattr(huey, "immediate", True)
    search_index.index_document_now(document.id)
    db.session.commit()
    assert search_index.index_status(document) == "done"


def test_tree_shows_indexing(client, iw, db, login, monkeypatch):
    monkeypatch.setattr(huey, "immediate", False)
    monkeypatch.setattr(search_index, "index_document", lambda document_id: None)
    document = doc_with(iw.process, iw.semad, iw.ana, "Texto")
    db.session.commit()
    login("ana")
    html = client.get(f"/processos/{iw.process.id}/documentos/{document.id}").get_data(as_text=True)
    assert "indexando…" in html


def test_reindex_command_rebuilds(iw, db, app):
    document = doc_with(iw.process, iw.semad, iw.ana, "Paralelepípedo")
    db.session.commit()
    clear_index()
    assert hits(iw, "paralelepipedo") == []
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert hits(iw, "paralelepipedo") == [document.id]
    assert "Índice de pesquisa atualizado" in result.output
    assert db.session.scalar(select(DocumentText.status).where(DocumentText.document_id == document.id)) == "done"
