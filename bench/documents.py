"""Documents bench: PDF render time of a 3-page ofício, upload throughput of 100 files, page sizes.

Run: .venv/bin/python bench/documents.py   (BENCH_DATABASE_URL=postgresql+psycopg://… for PostgreSQL)
Targets: PDF p95 ≤ 50 ms; document page ≤ 14 KB and editor page (with editor.js/css and htmx) ≤ 60 KB compressed."""
import io
import re
import time

from _common import css_of, logged_in_client, make_app, sizes, timed

from app.extensions import db

PARAGRAPH = ("<p class=\"al-justify\">Considerando o que consta do processo, informamos que a <strong>Secretaria "
             "Municipal de Administração</strong> concluiu a análise dos documentos apresentados, nos termos da "
             "<em>Lei nº 14.133, de 1º de abril de 2021</em>, e do regulamento municipal, e solicitamos a "
             "<u>manifestação</u> dessa unidade no prazo de dez dias úteis.</p>")
TABLE = ("<table><thead><tr><th>Item</th><th>Descrição</th><th>Qtd.</th></tr></thead><tbody>"
         + "".join(f"<tr><td>{n}</td><td>Material de expediente, lote {n}</td><td>{n * 10}</td></tr>" for n in range(1, 9))
         + "</tbody></table>")
LISTS = "<ol><li>Primeiro ponto<ul><li>detalhe a</li><li>detalhe b</li></ul></li><li>Segundo ponto</li></ol>"


def three_page_oficio():
    return ("<p><strong>Ofício nº 12/2026/DCC/SEMAD</strong></p><p>Exemplo, 29 de novembro de 2026.</p>"
            "<h3>I – CONTEXTO</h3>" + PARAGRAPH * 8 + LISTS + "<h3>II – ITENS</h3>" + TABLE + PARAGRAPH * 9
            + "<h3>III – CONCLUSÃO</h3>" + PARAGRAPH * 5 + "<p>Atenciosamente,</p>")


def main():
    app = make_app()
    with app.app_context():
        from app.models import Process, Unit, User
        from app.services import access, documents, external_documents
        from app.services.pdf import render_document_pdf
        from tests.documents_support import doc_type, pdf_bytes
        ana = db.session.scalar(db.select(User).where(User.login == "ana"))
        semad = db.session.scalar(db.select(Unit).where(Unit.sigla == "SEMAD", Unit.organization_id == ana.organization_id))
        process = next((p for p in db.session.scalars(db.select(Process).where(Process.organization_id == ana.organization_id))
                        if access.open_row(p, semad) is not None), None)
        if process is None:
            from tests.documents_support import make_process
            process = make_process(ana.organization, semad, ana)
        doc = documents.create_internal_document(process, doc_type(ana.organization), by=ana, unit=semad)
        html = three_page_oficio()
        documents.save_version(doc, html, by=ana, unit=semad, base_version=1)
        db.session.commit()
        data = render_document_pdf(doc, html)
        import pypdf
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
        p50, p95 = timed(lambda: render_document_pdf(doc, html), n=100, warmup=10)
        print(f"PDF de ofício com {pages} páginas ({len(data) / 1024:.0f} KB): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"(meta ≤ 50 ms)")

        files = [pdf_bytes(f"arquivo {n}") + b"%" + b"x" * 200_000 + b"\n" for n in range(100)]  # ~200 KB each
        anexo = doc_type(ana.organization, "Anexo")
        start = time.perf_counter()
        for chunk in range(0, 100, 10):
            items = [external_documents.UploadItem(stream=io.BytesIO(f), filename=f"scan{chunk + i}.pdf", type_id=anexo.id,
                                                   document_date=documents.today_br())
                     for i, f in enumerate(files[chunk:chunk + 10])]
            external_documents.create_external_documents(process, items, by=ana, unit=semad, accepted=("pdf",),
                                                         max_bytes=100 * 1024 * 1024)
            db.session.commit()
        elapsed = time.perf_counter() - start
        total_mb = sum(len(f) for f in files) / 1024 / 1024
        print(f"Upload de 100 arquivos ({total_mb:.0f} MB, em lotes de 10, verificados e gravados com fsync): "
              f"{elapsed:.2f} s — {100 / elapsed:.0f} arquivos/s, {total_mb / elapsed:.1f} MB/s")
        ids = dict(process=process.id, doc=doc.id)

    client = logged_in_client(app, "ana")
    page = client.get(f"/processos/{ids['process']}/documentos/{ids['doc']}").get_data()
    css = css_of(client, page)
    gz, br = sizes(page, css)
    print(f"Página do documento (HTML + CSS): gzip {gz / 1024:.1f} KB, brotli {br / 1024:.1f} KB (meta ≤ 14 KB)")
    editor = client.get(f"/processos/{ids['process']}/documentos/{ids['doc']}/editar").get_data()
    resources = [client.get(u.decode()).get_data()
                 for u in re.findall(rb'<(?:script src|link rel="stylesheet" href)="([^"]+)"', editor)]
    gz, br = (sum(x) for x in zip(sizes(editor), *(sizes(r) for r in resources)))
    print(f"Página do editor (HTML + CSS + editor.js + htmx): gzip {gz / 1024:.1f} KB, brotli {br / 1024:.1f} KB "
          f"(meta ≤ 60 KB)")


if __name__ == "__main__":
    main()
