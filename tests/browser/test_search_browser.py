"""Pesquisar and Gerar PDF do processo in Chromium: a word only in a scanned attachment finds the
process (JavaScript on: search as you type; off: plain form), then the process is exported as one PDF."""
import io

import pytest
from playwright.sync_api import expect

from app.extensions import db


@pytest.fixture(scope="module")
def scanned_process(live_app):
    """A public process of SEMAD with an internal document and a scanned requerimento (OCR'd)."""
    from sqlalchemy import select

    from app.models import Unit, User
    from app.services import catalog, documents, external_documents, processes, search_index
    from tests.search_support import scanned_pdf
    with live_app.app_context():
        ana = db.session.scalar(select(User).where(User.login == "ana"))
        semad = db.session.scalar(select(Unit).where(Unit.sigla == "SEMAD"))
        process = processes.create_process(semad, by=ana, process_type=catalog.types_for_unit(semad)[1][0],
                                           specification="Alvará da padaria", interested="")
        from app.models.document import DocumentType
        types = {t.name: t for t in db.session.scalars(select(DocumentType).where(
            DocumentType.organization_id == semad.organization_id))}
        memo = documents.create_internal_document(process, types["Ofício"], by=ana, unit=semad)
        documents.save_version(memo, "<p>Encaminho o pedido de licença.</p>", by=ana, unit=semad,
                               base_version=memo.current_version)
        memo.state = "signed"
        item = external_documents.UploadItem(stream=io.BytesIO(scanned_pdf("Requerimento de alvara sanitario")),
                                             filename="requerimento.pdf", type_id=types["Anexo"].id,
                                             document_date=documents.today_br())
        scan = external_documents.create_external_documents(process, [item], by=ana, unit=semad, accepted=("pdf",),
                                                            max_bytes=10 * 1024 * 1024)[0]
        db.session.commit()
        for document_id in (memo.id, scan.id):  # the worker's job, run here (no worker in the browser tests)
            search_index.index_document_now(document_id)
        db.session.commit()
        return process.id, process.number


def test_search_as_you_type_then_export_the_process(page, seeded, login_as, scanned_process):
    process_id, number = scanned_process
    login_as(page, "ana")
    page.get_by_label("Pesquisar", exact=True).first.fill("alvarás")
    page.get_by_label("Pesquisar", exact=True).first.press("Enter")
    expect(page.locator("#results")).to_contain_text(number)
    field = page.get_by_label("Pesquisar por")
    field.fill("sanitário")  # htmx: results change without submitting
    expect(page.locator("#results mark").first).to_have_text("sanitario")
    page.locator("#results").get_by_role("link", name=f"Processo {number}").first.click()
    page.goto(f"/processos/{process_id}/exportar")
    page.get_by_role("button", name="Gerar PDF do processo").click()
    expect(page.locator("#progress")).to_contain_text("PDF pronto")
    with page.expect_download() as download:
        page.get_by_role("link", name="Baixar PDF").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF") and len(data) > 2000
    assert page.console_errors == []


def test_search_without_javascript(page_nojs, seeded, login_as, scanned_process):
    _, number = scanned_process
    login_as(page_nojs, "ana")
    page_nojs.goto("/pesquisar")
    page_nojs.get_by_label("Pesquisar por").fill('"alvara sanitario"')
    page_nojs.get_by_role("button", name="Pesquisar", exact=True).click()
    expect(page_nojs.locator("#results")).to_contain_text(number)
    page_nojs.get_by_label("Pesquisar por").fill('"alvara')
    page_nojs.get_by_role("button", name="Pesquisar", exact=True).click()
    expect(page_nojs.locator("#results, .err").first).to_be_visible()
    expect(page_nojs.locator("body")).to_contain_text("aspas")
