"""Full Unicode in PDFs: an embedded TrueType family (DejaVu Sans, else Liberation Sans) when installed,
Helvetica otherwise; co-signatures print in the font their freeze recorded."""
import io
from types import SimpleNamespace

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics

from app.services import pdf_fonts, signing, signing_pdf
from app.services.pdf import Letterhead, render_document_pdf
from tests.signing_support import docworld, sign, signworld  # noqa: F401

SYMBOLS = "≥ ≤ → ✓ − α β Ω"
LETTERHEAD = Letterhead("Prefeitura Municipal de Exemplo", "Secretaria de Administração (SEMAD)")
DOC = SimpleNamespace(title="Parecer nº 3/2026/SEMAD", sei="0004321",
                      process=SimpleNamespace(number="12345.000001/2026-10"))
dejavu = pytest.mark.skipif(pdf_fonts.family("dejavu") is None,
                            reason="DejaVu Sans não instalada (apt-get install fonts-dejavu-core)")


def _fonts(data):
    """BaseFont name → embedded (has a FontFile2), over every page."""
    found = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"]).lstrip("/").split("+")[-1]] = descriptor is not None and \
                "/FontFile2" in descriptor.get_object()
    return found


def _text(data):
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def no_truetype(monkeypatch):
    """A server without TrueType fonts: the families are looked up again, then restored."""
    monkeypatch.setattr(pdf_fonts, "FONT_DIRS", ())
    pdf_fonts.family.cache_clear()
    pdf_fonts.default_family.cache_clear()
    yield
    pdf_fonts.family.cache_clear()
    pdf_fonts.default_family.cache_clear()


@dejavu
def test_symbols_pasted_from_word_are_printed_and_extractable():
    html = (f"<h3>Critérios {SYMBOLS}</h3><p>Nota ≥ 7 → aprovado ✓; erro − 0,5; coeficiente α.</p>"
            f"<p><strong>Negrito ≤</strong> <em>itálico β</em></p><ul><li>item Ω</li></ul>"
            f"<table><tr><th>≥</th><td>✓</td></tr></table>")
    data = render_document_pdf(DOC, html, letterhead=LETTERHEAD)
    text = _text(data)
    for expected in ("Nota ≥ 7 → aprovado ✓; erro − 0,5; coeficiente α.", "Negrito ≤ itálico β", "item Ω",
                     f"Critérios {SYMBOLS}", "Página 1 de 1", "Referência: Processo nº 12345.000001/2026-10"):
        assert expected in text, expected
    fonts = _fonts(data)
    for face in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"):   # body, headings/letterhead, italics
        assert fonts.get(face) is True, fonts
    face = pdfmetrics.getFont("DejaVuSans").face
    assert all(ord(ch) in face.charToGlyph for ch in SYMBOLS.replace(" ", ""))  # real glyphs, not boxes


@dejavu
def test_truetype_pdf_is_deterministic_and_small():
    html = "".join(f"<p>Parágrafo {n}: valor ≥ {n} → ✓ " + "texto de enchimento " * 30 + "</p>" for n in range(60))
    data = render_document_pdf(DOC, html, letterhead=LETTERHEAD)
    assert data == render_document_pdf(DOC, html, letterhead=LETTERHEAD)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 3
    assert len(data) < 120 * 1024                  # subsets of the used glyphs, not 4 × 700 KB of font files


def test_without_truetype_fonts_helvetica_is_used(no_truetype):
    assert pdf_fonts.default_family() is pdf_fonts.HELVETICA
    data = render_document_pdf(DOC, "<p>Ação nº 5 — “ok”</p>", letterhead=LETTERHEAD)
    assert "Ação nº 5 — “ok”" in _text(data)
    assert not any(_fonts(data).values()) and "Helvetica" in _fonts(data)


@dejavu
def test_freeze_records_the_font_and_cosignatures_keep_it(signworld, db):
    from app.services import documents
    w = signworld
    documents.save_version(w.oficio, "<p>Senhor Secretário, nota ≥ 7 → aprovado.</p>", by=w.ana, unit=w.semad,
                           base_version=2)
    sign(w.oficio, w.ana, w.semad)
    freeze = signing_pdf.active_freeze(w.oficio)
    assert signing_pdf.RENDERER_FONTS[freeze.renderer] == pdf_fonts.default_family().key == "dejavu"
    signatures = signing.valid_signatures(w.oficio)
    assert _fonts(signing_pdf.render_pdf(w.oficio, freeze, signatures)).get("DejaVuSans") is True
    freeze.renderer = 1                            # frozen before TrueType fonts: printed in Helvetica again
    old = _fonts(signing_pdf.render_pdf(w.oficio, freeze, signatures))
    assert not any(old.values()) and "Helvetica" in old


def test_a_text_that_fits_winansi_is_printed_in_helvetica_without_embedding(signworld, db):
    """Nearly every Portuguese document: no font to embed, so the signed PDF stays small for slow links."""
    data = render_document_pdf(DOC, "<p>Ação nº 5 — “ok”, § 2º, 50 €.</p>", letterhead=LETTERHEAD)
    assert not any(_fonts(data).values()) and len(data) < 12 * 1024
    sign(signworld.oficio, signworld.ana, signworld.semad)
    assert signing_pdf.RENDERER_FONTS[signing_pdf.active_freeze(signworld.oficio).renderer] == "helvetica"


def test_unknown_family_falls_back_to_the_default():
    assert pdf_fonts.family("comic") is None
    assert pdf_fonts.family_or_default("comic") is pdf_fonts.default_family()
