"""Gerar PDF do processo and Gerar ZIP: right documents in order, stamps, bookmarks, access, memory."""
import csv
import hashlib
import io
import os
import tracemalloc
import zipfile

import pikepdf
import pypdf
import pytest

from app.models.search import ExportJob
from app.services import documents, export
from app.services.errors import Duplicate, InvalidInput
from tests.documents_support import docx_bytes, legal_basis, pdf_bytes, png_bytes
from tests.process_factory import make_process as real_process
from tests.search_support import doc_with, external, make_process
from tests.test_budgets import FRAGMENT_BUDGET, gz


def many_pages_pdf(pages, text="Folha"):
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for n in range(pages):
        c.drawString(100, 750, f"{text} {n + 1} " + "x" * 80)
        c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.fixture
def ew(world, db):
    """A process of SEMAD with: an internal document, a 3-page PDF, an image, a DOCX, a cancelled document,
    a minuta of GAB (hidden from SEMAD) and a restricted document that GAB may not read."""
    w = world
    w.process = real_process(w.semad, w.ana)
    w.memo = doc_with(w.process, w.semad, w.ana, "Memorando sobre a reforma da escola.")
    w.memo.state = "signed"
    w.pdf = external(w.process, w.semad, w.ana, data=many_pages_pdf(3), filename="orcamento.pdf")
    w.img = external(w.process, w.semad, w.ana, data=png_bytes((300, 200)), filename="foto.png")
    w.docx = external(w.process, w.semad, w.ana, data=docx_bytes(), filename="planilha.docx")
    w.cancelled = external(w.process, w.semad, w.ana, data=pdf_bytes("Cancelado"), filename="errado.pdf")
    documents.cancel_document(w.cancelled, by=w.ana, unit=w.semad, reason="Enviado por engano")
    w.restricted = external(w.process, w.semad, w.ana, data=pdf_bytes("Restrito"), filename="restrito.pdf",
                            access_level="restrito", legal_basis_id=legal_basis(w.pm).id)
    from app.models import ProcessUnit
    db.session.add(ProcessUnit(process_id=w.process.id, unit_id=w.gab.id, origin="received"))
    w.gab_draft = doc_with(w.process, w.gab, w.bia, "Minuta do gabinete.")
    w.process.access_level = "publico"
    db.session.commit()
    return w


def build(w, user, unit, tmp_path, ids=None):
    chosen = export.chosen_documents(w.process, user, unit, ids)
    out = tmp_path / "p.pdf"
    pages = export.build_pdf(w.process, chosen, str(out), user=user, unit=unit)
    return chosen, out, pages


def test_the_pdf_has_cover_documents_in_order_stamps_and_bookmarks(ew, tmp_path):
    chosen, out, pages = build(ew, ew.ana, ew.semad, tmp_path)
    assert [d.id for d in chosen] == [ew.memo.id, ew.pdf.id, ew.img.id, ew.docx.id, ew.restricted.id]
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == pages
    for number, page in enumerate(reader.pages, start=1):
        assert f"Processo nº {ew.process.number} — fl. {number}" in page.extract_text()
    cover = " ".join(reader.pages[0].extract_text().split())
    assert ew.process.number in cover and "não convertível" in cover and ew.cancelled.sei not in cover
    titles = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert titles[0] == ("Capa", 0)
    assert [t for t, _ in titles[1:]] == [ew.memo.tree_label, ew.pdf.tree_label, ew.img.tree_label,
                                          ew.restricted.tree_label]
    first_pdf_page = titles[2][1]
    assert titles[3][1] == first_pdf_page + 3  # the 3-page PDF, then the image
    assert "Folha 1" in reader.pages[first_pdf_page].extract_text()


def test_what_the_user_may_not_see_is_left_out(ew, tmp_path):
    chosen = export.chosen_documents(ew.process, ew.bia, ew.gab)
    ids = [d.id for d in chosen]
    assert ew.gab_draft.id in ids and ew.cancelled.id not in ids
    chosen_semad = [d.id for d in export.chosen_documents(ew.process, ew.ana, ew.semad)]
    assert ew.gab_draft.id not in chosen_semad
    with pytest.raises(InvalidInput):
        export.chosen_documents(ew.process, ew.ana, ew.semad, [ew.gab_draft.id])
    with pytest.raises(InvalidInput):
        export.chosen_documents(ew.process, ew.ana, ew.semad, [ew.cancelled.id])


def test_picked_documents_only(ew, tmp_path):
    chosen, out, pages = build(ew, ew.ana, ew.semad, tmp_path, [ew.pdf.id])
    assert [d.id for d in chosen] == [ew.pdf.id] and pages == 1 + 3


def test_zip_has_every_file_and_a_manifest(ew):
    chosen = export.chosen_documents(ew.process, ew.ana, ew.semad)
    data = b"".join(export.zip_stream(ew.process, chosen, user=ew.ana, unit=ew.semad))
    archive = zipfile.ZipFile(io.BytesIO(data))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [r["numero_sei"] for r in rows] == [d.sei for d in chosen]
    for row in rows:
        assert hashlib.sha256(archive.read(row["nome"])).hexdigest() == row["sha256"]
    assert rows[1]["nome"].endswith(".pdf") and rows[2]["nome"].endswith(".png") and rows[3]["nome"].endswith(".docx")
    assert archive.read(rows[0]["nome"]).startswith(b"%PDF")


def test_memory_of_a_large_export_stays_bounded(world, db, tmp_path):
    """300 pages of ~50 KB each (about 8 MB compressed): Python's peak stays far below the output size."""
    w = world
    w.process = make_process(w.pm, w.semad, w.ana)
    docs = []
    for part in range(3):  # three 100-page PDFs of ~6 MB (uploads are limited to 10 MB in the tests)
        big = pikepdf.new()
        for n in range(100):
            page = big.add_blank_page(page_size=(595, 842))
            page.Contents = big.make_stream(f"BT 50 800 Td ({part}-{n}) Tj ET\n%".encode() + os.urandom(25_000).hex().encode())
        buffer = io.BytesIO()
        big.save(buffer, compress_streams=False)
        docs.append(external(w.process, w.semad, w.ana, data=buffer.getvalue(), filename=f"grande{part}.pdf"))
    db.session.commit()
    out = tmp_path / "big.pdf"
    tracemalloc.start()
    pages = export.build_pdf(w.process, docs, str(out), user=w.ana, unit=w.semad)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert pages == 301
    assert out.stat().st_size > 6 * 1024 * 1024
    assert peak < 8 * 1024 * 1024, peak


def test_one_export_at_a_time(ew, db):
    export.start_pdf_export(ew.process, by=ew.ana, unit=ew.semad)
    with pytest.raises(Duplicate, match="em andamento"):
        export.start_pdf_export(ew.process, by=ew.ana, unit=ew.semad)


# --- the pages ---------------------------------------------------------------------------------

def test_export_pages_end_to_end(client, ew, db, login):
    login("ana")
    page = client.get(f"/processos/{ew.process.id}/exportar")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Gerar PDF do processo" in html and ew.cancelled.tree_label not in html
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(f"/processos/{ew.process.id}/exportar", data={"csrf_token": token})
    assert response.status_code == 303
    status = client.get(response.headers["Location"])
    assert "PDF pronto" in status.get_data(as_text=True)
    job = db.session.scalar(db.select(ExportJob))
    pdf = client.get(f"/processos/{ew.process.id}/exportacoes/{job.id}/arquivo")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    zipped = client.get(f"/processos/{ew.process.id}/exportar/zip?document_ids={ew.pdf.id}")
    assert zipped.status_code == 200 and zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()[-1] == "manifest.csv"


def test_large_exports_go_to_the_worker_with_a_progress_bar(client, ew, db, login, app, monkeypatch):
    app.config["EXPORT_SYNC_DOCUMENTS"] = 0
    queued = []
    monkeypatch.setattr(export, "run_export", lambda export_id: queued.append(export_id))
    try:
        login("ana")
        html = client.get(f"/processos/{ew.process.id}/exportar").get_data(as_text=True)
        token = html.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(f"/processos/{ew.process.id}/exportar", data={"csrf_token": token})
        assert response.status_code == 303 and queued
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "<progress" in page and "Atualizar" in page and 'hx-trigger="every 1s"' in page
        fragment = client.get(response.headers["Location"], headers={"HX-Request": "true"})
        assert gz(fragment.data) <= FRAGMENT_BUDGET and b"<html" not in fragment.data
        again = client.post(f"/processos/{ew.process.id}/exportar", data={"csrf_token": token})
        assert again.status_code == 422 and "em andamento" in again.get_data(as_text=True)
        export.run_export_now(queued[0])
        db.session.commit()
        done = client.get(response.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "Baixar PDF" in done and "every 1s" not in done
    finally:
        app.config.pop("EXPORT_SYNC_DOCUMENTS")


def test_other_users_cannot_reach_an_export(client, ew, db, login):
    job = export.start_pdf_export(ew.process, by=ew.ana, unit=ew.semad)
    db.session.commit()
    login("bia")
    assert client.get(f"/processos/{ew.process.id}/exportacoes/{job.id}").status_code in (403, 404)
    assert client.get(f"/processos/{ew.process.id}/exportacoes/{job.id}/arquivo").status_code in (403, 404)


def test_export_of_a_process_the_user_cannot_read(client, ew, db, login):
    secret = make_process(ew.pm, ew.semad, ew.ana, level="restrito")
    db.session.commit()
    login("bia")
    assert client.get(f"/processos/{secret.id}/exportar").status_code in (403, 404)
    assert client.get(f"/processos/{secret.id}/exportar/zip").status_code in (403, 404)


def test_old_export_files_are_removed(ew, db, tmp_path, app):
    job = export.start_pdf_export(ew.process, by=ew.ana, unit=ew.semad)
    export.run_export_now(job.id)
    path = export.job_path(job)
    assert path.is_file()
    export.remove_old_files(max_age_hours=-1)
    assert not path.exists()


def test_the_zip_streams_after_the_request_session_is_gone(app, ew, db):
    """As on a real server: no app context outlives the view, so the stream must not use its rows."""
    import threading

    from flask.testing import FlaskClient

    from tests.conftest import PASSWORD, csrf_from

    db.session.commit()
    result, url = {}, f"/processos/{ew.process.id}/exportar/zip"

    def fetch():  # a new thread starts with no Flask context, like a server's worker thread
        client = FlaskClient(app, use_cookies=True)
        token = csrf_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"login": "ana", "password": PASSWORD, "csrf_token": token})
        response = client.get(url)
        result["status"], result["data"] = response.status_code, response.get_data()

    thread = threading.Thread(target=fetch)
    thread.start()
    thread.join()
    assert result["status"] == 200
    names = zipfile.ZipFile(io.BytesIO(result["data"])).namelist()
    assert names[-1] == "manifest.csv" and len(names) > 2
