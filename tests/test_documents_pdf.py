"""The reportlab renderer: text extracted with pypdf matches the document; pages, letterhead, signatures."""
import io
from datetime import datetime, timezone
from types import SimpleNamespace

import pypdf

from app.services.pdf import Letterhead, SignatureFooter, Verification, render_document_pdf
from tests.documents_support import docworld, internal, png_bytes  # noqa: F401

LETTERHEAD = Letterhead("Prefeitura Municipal de Exemplo", "Secretaria de Administração (SEMAD)")
DOC = SimpleNamespace(title="Ofício nº 7/2026/SEMAD", sei="0001234",
                      process=SimpleNamespace(number="12345.000001/2026-10"))


def _text(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def _flat(pages):
    return " ".join(" ".join(p.split()) for p in pages)


def test_text_formatting_lists_tables_and_furniture():
    html = ('<h2 class="al-center">DO OBJETO</h2><p class="al-justify">Texto com <strong>negrito</strong>, '
            '<em>itálico</em> e <u>sublinhado</u> — ação nº 5.</p>'
            '<ul><li>Primeiro item<ul><li>Subitem aninhado</li></ul></li><li>Segundo item</li></ul>'
            '<ol><li>Alfa<ol><li>Beta</li></ol></li></ol>'
            '<table><thead><tr><th colspan="2">Itens e valores</th></tr></thead>'
            '<tbody><tr><td rowspan="2">Lote 1</td><td>Caneta</td></tr><tr><td>Papel A4</td></tr></tbody></table>'
            '<blockquote>Citação recuada</blockquote><p class="al-right">Exemplo, 1º de dezembro de 2026.</p>')
    pages = _text(render_document_pdf(DOC, html, letterhead=LETTERHEAD))
    text = _flat(pages)
    for expected in ("DO OBJETO", "Texto com negrito, itálico e sublinhado — ação nº 5.", "Primeiro item",
                     "Subitem aninhado", "Segundo item", "Alfa", "Beta", "Itens e valores", "Lote 1", "Caneta",
                     "Papel A4", "Citação recuada", "Exemplo, 1º de dezembro de 2026.",
                     "Prefeitura Municipal de Exemplo", "Secretaria de Administração (SEMAD)",
                     "Referência: Processo nº 12345.000001/2026-10 — SEI nº 0001234", "Página 1 de 1"):
        assert expected in text, expected


def test_page_x_of_y_on_every_page_and_a4():
    html = "".join(f"<p>Parágrafo {n} " + "texto de enchimento " * 30 + "</p>" for n in range(40))
    data = render_document_pdf(DOC, html, letterhead=LETTERHEAD)
    pages = _text(data)
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert f"Página {n} de {len(pages)}" in page
        assert "SEI nº 0001234" in page
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_signatures_and_verification_block():
    signed_at = datetime(2026, 3, 5, 17, 42, tzinfo=timezone.utc)  # 14:42 in Brasília
    data = render_document_pdf(DOC, "<p>Corpo</p>", letterhead=LETTERHEAD, signatures=[
        SignatureFooter("Ana Souza", "Secretária Municipal", signed_at, "art. 4º, II, da Lei nº 14.063/2020")],
        verification=Verification("https://exemplo.mg.gov.br/conferir?codigo=0001234&crc=1A2B3C4D", "0001234",
                                  "1A2B3C4D"))
    text = _flat(_text(data))
    assert ("Documento assinado eletronicamente por Ana Souza, Secretária Municipal, em 05/03/2026, às 14:42, "
            "conforme horário oficial de Brasília, com fundamento no art. 4º, II, da Lei nº 14.063/2020.") in text
    assert "informando o código verificador 0001234 e o código CRC 1A2B3C4D." in text


def test_same_input_same_bytes():
    html = "<p>Determinístico</p>"
    assert render_document_pdf(DOC, html, letterhead=LETTERHEAD) == render_document_pdf(DOC, html, letterhead=LETTERHEAD)


def test_brasao_is_drawn_and_hostile_html_is_only_text():
    with_brasao = render_document_pdf(DOC, "<p>x</p>", letterhead=Letterhead("Órgão", "Unidade", png_bytes((60, 60))))
    assert b"/Image" in with_brasao
    text = _flat(_text(render_document_pdf(DOC, "<p>&lt;b&gt;não é negrito&lt;/b&gt; &amp; 1 &lt; 2</p>",
                                           letterhead=LETTERHEAD)))
    assert "<b>não é negrito</b> & 1 < 2" in text


def test_real_document_with_model(docworld, db):
    w = docworld
    doc = internal(w.process, w.semad, w.ana, recipient="Secretaria de Obras")
    from app.services import documents
    text = _flat(_text(render_document_pdf(doc, documents.current_html(doc))))
    assert doc.title in text and "Secretaria de Obras" in text and w.process.number in text
    assert "Prefeitura Municipal de Teste" in text and f"SEI nº {doc.sei}" in text


def test_a_huge_paragraph_or_word_is_set_in_pieces_with_balanced_tags():
    """ReportLab's layout grows with the square of a paragraph's (and a word's) length: pieces keep it linear."""
    from app.services import pdf_html
    markup = "<b>" + "negrito &amp; itálico " * 2000 + "</b> fim " + "x" * 20000
    pieces = pdf_html._pieces(markup)
    assert len(pieces) > 4 and all(len(p) <= pdf_html.MAX_PARAGRAPH + 40 for p in pieces)
    for piece in pieces:
        assert piece.count("<b>") == piece.count("</b>") and "&amp" not in piece.replace("&amp;", "")
    assert pdf_html._breakable("y" * 700).split() == ["y" * 300, "y" * 300, "y" * 100]
    from app.services.pdf_fonts import default_family
    flows = pdf_html.paragraphs(markup, pdf_html.styles_for(default_family())["p"])
    assert len(flows) == len(pieces) and flows[0].style.spaceAfter == 0 and flows[-1].style.spaceBefore == 0
