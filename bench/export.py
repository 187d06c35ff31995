"""Export bench: "Gerar PDF do processo" of a 500-page process (25 internal documents rendered by
reportlab, 10 external PDFs of 45 pages with ~40 KB per page, 5 images): time, pages, output size,
Python peak memory (tracemalloc) and the process's RSS growth (resource; qpdf's C memory included).

    .venv/bin/python bench/export.py [--pages-per-pdf 45] [--pdfs 10]"""
import argparse
import io
import os
import resource
import tempfile
import time
import tracemalloc

from _common import make_app

from app.extensions import db


def big_pdf(pages, tag):
    import pikepdf
    pdf = pikepdf.new()
    for n in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Contents = pdf.make_stream(f"BT 50 800 Td ({tag} {n}) Tj ET\n%".encode() + os.urandom(20_000).hex().encode())
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def photo():
    from PIL import Image
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1200, 900), os.urandom(1200 * 900 * 3)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def build_process(pdfs, pages_per_pdf):
    from sqlalchemy import select

    from app.models import Unit, User
    from app.models.document import DocumentType
    from app.services import catalog, documents, external_documents, processes
    user = db.session.scalar(select(User).where(User.login == "ana"))
    unit = db.session.scalar(select(Unit).where(Unit.sigla == "SEMAD"))
    org = unit.organization
    process = processes.create_process(unit, by=user, process_type=catalog.types_for_unit(unit)[1][0],
                                       specification="Bench de exportação", interested="")
    oficio = db.session.scalar(select(DocumentType).where(DocumentType.organization_id == org.id,
                                                          DocumentType.name == "Ofício"))
    anexo = db.session.scalar(select(DocumentType).where(DocumentType.organization_id == org.id,
                                                         DocumentType.name == "Anexo"))
    text = "<p>" + "Texto do ofício sobre a reforma da escola municipal. " * 60 + "</p>"
    for n in range(25):
        doc = documents.create_internal_document(process, oficio, by=user, unit=unit)
        documents.save_version(doc, text * 3, by=user, unit=unit, base_version=doc.current_version)
        doc.state = "signed"
    files = [(f"anexo{n}.pdf", big_pdf(pages_per_pdf, n)) for n in range(pdfs)] + \
            [(f"foto{n}.jpg", photo()) for n in range(5)]
    for name, data in files:
        item = external_documents.UploadItem(stream=io.BytesIO(data), filename=name, type_id=anexo.id,
                                             document_date=documents.today_br())
        external_documents.create_external_documents(process, [item], by=user, unit=unit,
                                                     accepted=("pdf", "jpeg"), max_bytes=200 * 1024 * 1024)
    db.session.commit()
    return process, user, unit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=10)
    parser.add_argument("--pages-per-pdf", type=int, default=45)
    args = parser.parse_args()
    app = make_app(OCR_ENABLED=False, JOBS_IMMEDIATE=True)
    with app.app_context():
        from app.services import export
        process, user, unit = build_process(args.pdfs, args.pages_per_pdf)
        documents = export.chosen_documents(process, user, unit)
        out = os.path.join(tempfile.mkdtemp(prefix="expediente-export-"), "processo.pdf")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        began = time.perf_counter()
        pages = export.build_pdf(process, documents, out, user=user, unit=unit)
        elapsed = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = os.path.getsize(out)
        print(f"Exportação: {len(documents)} documentos, {pages} folhas, {size / 2**20:.1f} MB em {elapsed:.1f} s "
              f"({1000 * elapsed / pages:.0f} ms/folha)")
        print(f"Memória: pico Python {peak / 2**20:.1f} MB (tracemalloc); RSS máximo {rss_after / 1024:.0f} MB "
              f"(+{(rss_after - rss_before) / 1024:.0f} MB durante a exportação)")


if __name__ == "__main__":
    main()
