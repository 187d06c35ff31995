"""Inserir imagem: the image documents a clerk may use in a text (policy-filtered), the editor without
JavaScript, the sanitiser's image rule, and the images drawn into the PDF (also the signed rendition)."""
import gzip
import io
import re
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import func, select

from app.blueprints.documents.files import image_bytes_for
from app.models import DocumentVersion
from app.services import document_images, documents, signing, signing_pdf
from app.services.errors import InvalidInput
from app.services.html_tree import parse
from app.services.pdf import FRAME_W
from app.services.pdf_fonts import default_family
from app.services.pdf_html import Converter
from app.services.sanitize import clean_html
from app.services.storage import get_storage
from tests.conftest import csrf_from
from tests.documents_support import docworld, external, internal, jpeg_bytes, legal_basis, png_bytes  # noqa: F401
from tests.signing_support import sign

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"


@pytest.fixture
def imgworld(docworld, db):
    """docworld plus, in PM's process: an Ofício minuta of SEMAD, a PNG and a JPEG image document and a PDF."""
    w = docworld
    w.oficio = internal(w.process, w.semad, w.ana)
    w.png = external(w.process, w.semad, w.ana, data=png_bytes((300, 120)), filename="grafico.png",
                     description="gráfico de despesas")
    w.jpeg = external(w.process, w.semad, w.ana, data=jpeg_bytes(), filename="foto.jpg")
    w.pdf = external(w.process, w.semad, w.ana)
    db.session.commit()
    return w


def _editor(w, doc=None):
    doc = doc or w.oficio
    return f"/processos/{doc.process_id}/documentos/{doc.id}/editar"


def _image_xobjects(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        found += [x for x in (ref.get_object() for ref in xobjects.values()) if x.get("/Subtype") == "/Image"]
    return found


# --- the list: the policy decides ---------------------------------------------------------------

def test_lists_the_process_images_the_clerk_may_see(imgworld, db):
    w = imgworld
    choices = document_images.insertable_images(w.process, user=w.ana, unit=w.semad)
    assert [c.id for c in choices] == [w.png.id, w.jpeg.id]           # no PDF, no internal document
    assert choices[0].src == f"/documentos/imagens/{w.png.blob_sha256}"
    assert choices[0].alt == f"Anexo gráfico de despesas (SEI nº {w.png.sei})"
    documents.cancel_document(w.jpeg, by=w.ana, unit=w.semad, reason="Foto errada")
    assert [c.id for c in document_images.insertable_images(w.process, user=w.ana, unit=w.semad)] == [w.png.id]
    documents.delete_document(w.png, by=w.ana, unit=w.semad)
    assert document_images.insertable_images(w.process, user=w.ana, unit=w.semad) == []


def test_restrito_image_is_not_listed_or_served_to_another_unit_nor_another_org(imgworld, db, client, login):
    w = imgworld
    secret = external(w.process, w.semad, w.ana, data=png_bytes((50, 50)), filename="laudo.png",
                      access_level="restrito", legal_basis_id=legal_basis(w.pm).id)
    db.session.commit()
    assert secret.id in [c.id for c in document_images.insertable_images(w.process, user=w.ana, unit=w.semad)]
    assert document_images.insertable_images(w.process, user=w.bia, unit=w.gab) == []       # never in GAB
    assert document_images.insertable_images(w.process, user=w.caio, unit=w.presi) == []   # another órgão
    src = f"/documentos/imagens/{secret.blob_sha256}"
    assert image_bytes_for(src, w.bia, w.gab) is None and image_bytes_for(src, w.caio, w.presi) is None
    login("bia")
    assert client.get(src).status_code == 404
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login("caio")
    assert client.get(src).status_code == 404


# --- saving with an image (the editor without JavaScript) ------------------------------------------

def test_save_text_appends_the_chosen_image_through_the_sanitiser(imgworld, db):
    w = imgworld
    version = document_images.save_text(w.oficio, "<p>Segue o gráfico.</p><script>x()</script>", by=w.ana,
                                         unit=w.semad, base_version=1, image_id=w.png.id)
    assert version.html == (f'<p>Segue o gráfico.</p><p><img src="/documentos/imagens/{w.png.blob_sha256}" '
                            f'alt="Anexo gráfico de despesas (SEI nº {w.png.sei})"></p>')


def test_save_text_refuses_an_image_the_clerk_may_not_see(imgworld, db):
    w = imgworld
    from tests.documents_support import cm_documents
    other = cm_documents(w, db).ext                                    # the câmara's PNG
    for bad in (other.id, w.pdf.id, 999_999, -1):
        with pytest.raises(InvalidInput, match="Imagem não encontrada"):
            document_images.save_text(w.oficio, "<p>x</p>", by=w.ana, unit=w.semad, base_version=1, image_id=bad)
    assert w.oficio.current_version == 1


def test_editor_without_javascript_offers_and_appends_the_image(imgworld, db, client, login):
    w = imgworld
    login("ana")
    page = client.get(_editor(w)).get_data(as_text=True)
    assert '<label for="image_id">Inserir imagem</label>' in page
    assert f'data-src="/documentos/imagens/{w.png.blob_sha256}"' in page and f"SEI nº {w.jpeg.sei}" in page
    assert f'value="{w.pdf.id}"' not in page
    response = client.post(_editor(w), data={"csrf_token": csrf_from(page), "base_version": "1",
                                              "html": "<p>Veja a foto:</p>", "image_id": str(w.jpeg.id)})
    assert response.status_code == 303
    html = documents.current_html(w.oficio)
    assert html.startswith("<p>Veja a foto:</p><p><img ") and w.jpeg.blob_sha256 in html
    shown = client.get(f"/processos/{w.process.id}/documentos/{w.oficio.id}").get_data(as_text=True)
    assert f'src="/documentos/imagens/{w.jpeg.blob_sha256}"' in shown
    assert client.get(f"/documentos/imagens/{w.jpeg.blob_sha256}").mimetype == "image/jpeg"


def test_editor_refuses_a_tampered_image_choice_and_saves_nothing(imgworld, db, client, login):
    w = imgworld
    from tests.documents_support import cm_documents
    other = cm_documents(w, db).ext
    login("ana")
    for bad in (str(other.id), "abc"):
        page = client.get(_editor(w)).get_data(as_text=True)
        response = client.post(_editor(w), data={"csrf_token": csrf_from(page), "base_version": "1",
                                                  "html": "<p>meu texto</p>", "image_id": bad})
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "Imagem não encontrada" in body and "meu texto" in body
    assert db.session.scalar(select(func.count()).select_from(DocumentVersion)
                             .where(DocumentVersion.document_id == w.oficio.id)) == 1


def test_editor_says_how_to_add_an_image_when_there_is_none(docworld, db, client, login):
    w = docworld
    doc = internal(w.process, w.semad, w.ana)
    db.session.commit()
    login("ana")
    page = client.get(_editor(w, doc)).get_data(as_text=True)
    assert "Inclua a imagem como documento externo (PNG ou JPEG) para usá-la no texto." in page
    assert 'id="image_id"' not in page


def test_editor_page_with_images_within_budget(imgworld, db, client, login):
    w = imgworld
    login("ana")
    page = client.get(_editor(w)).get_data()
    statics = [(STATIC / name).read_bytes() for name in ("app.css", "editor.css", "editor.js",
                                                        "vendor/htmx-2.0.8.min.js")]
    gz = [len(gzip.compress(x, 9)) for x in (page, *statics)]
    assert gz[0] + gz[1] <= 14 * 1024          # the page itself (HTML + CSS)
    assert sum(gz) <= 60 * 1024                # with the editor code and htmx
    assert b"<script>" not in page and b" style=" not in page


# --- the sanitiser keeps only our own image addresses ------------------------------------------------

def test_sanitiser_keeps_only_our_own_image_urls():
    sha = "0f" * 32
    ours = f'<p><img src="/documentos/imagens/{sha}" alt="Anexo (SEI nº 0000012)"></p>'
    assert clean_html(ours) == ours
    for src in ("https://evil.example/a.png", "//evil.example/a.png", "data:image/png;base64,iVBORw0KGgo=",
                "javascript:alert(1)", f"/documentos/imagens/{sha}/../../x", f"/documentos/imagens/{sha.upper()}",
                "/documentos/imagens/abc", f"/static/{sha}", f"https://host/documentos/imagens/{sha}"):
        assert clean_html(f'<p>a<img src="{src}" alt="x">b</p>') == "<p>ab</p>", src
    assert clean_html(f'<img src="/documentos/imagens/{sha}" onerror="alert(1)" width="9">') == \
        f'<img src="/documentos/imagens/{sha}">'
    kept = clean_html(f'<img alt="a<b>c" src="/documentos/imagens/{sha}">')
    assert kept == f'<img alt="abc" src="/documentos/imagens/{sha}">'


# --- the PDF: drawn, fitted to the width, frozen ------------------------------------------------

def test_unsigned_pdf_draws_the_image(imgworld, db, client, login):
    w = imgworld
    document_images.save_text(w.oficio, "<p>Gráfico:</p>", by=w.ana, unit=w.semad, base_version=1,
                              image_id=w.png.id)
    db.session.commit()
    login("ana")
    response = client.get(f"/processos/{w.process.id}/documentos/{w.oficio.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    images = _image_xobjects(response.data)
    assert len(images) == 1 and (images[0]["/Width"], images[0]["/Height"]) == (300, 120)
    without = client.get(f"/processos/{w.process.id}/documentos/{internal(w.process, w.semad, w.ana).id}/pdf")
    assert _image_xobjects(without.data) == []


def test_images_fit_the_width_where_they_stand():
    wide = png_bytes((2000, 100))
    convert = Converter(lambda src: wide if src == "/documentos/imagens/x" else None, default_family(), FRAME_W)
    page = convert.blocks(parse('<p>a<img src="/documentos/imagens/x"></p>').children)
    image = page[-1]
    assert abs(image.drawWidth - FRAME_W) < 0.01 and abs(image.drawHeight - 100 * FRAME_W / 2000) < 0.01
    small = Converter(lambda src: png_bytes((40, 30)), default_family(), FRAME_W).blocks(
        parse('<p><img src="/documentos/imagens/x"></p>').children)[-1]
    assert (small.drawWidth, small.drawHeight) == (40, 30)                   # never enlarged
    table = convert.blocks(parse('<table><tr><td><img src="/documentos/imagens/x"></td><td>b</td></tr></table>')
                           .children)[0]
    cell_image = table._cellvalues[0][0][-1]
    assert cell_image.drawWidth <= FRAME_W / 2 - 8 + 0.01
    bad = Converter(lambda src: b"not an image", default_family(), FRAME_W)
    assert len(bad.blocks(parse('<p>t<img src="/documentos/imagens/x"></p>').children)) == 1


def test_signed_rendition_records_and_draws_the_image(imgworld, db):
    w = imgworld
    document_images.save_text(w.oficio, "<p>Gráfico:</p>", by=w.ana, unit=w.semad, base_version=1,
                              image_id=w.png.id)
    sign(w.oficio, w.ana, w.semad)
    db.session.commit()
    freeze = signing_pdf.active_freeze(w.oficio)
    assert freeze.image_shas == [w.png.blob_sha256]
    assert re.search(r'src="/documentos/imagens/[0-9a-f]{64}"', freeze.html)
    stored = get_storage().read(signing.signed_pdf(w.oficio))
    assert len(_image_xobjects(stored)) == 1


def test_block_preview_prints_only_the_images_the_viewing_unit_may_see(imgworld, db):
    """A block's unit previews the text as it would sign it: a Restrito image it may not see is left out."""
    w = imgworld
    secret = external(w.process, w.semad, w.ana, data=png_bytes((50, 50)), filename="laudo.png",
                      access_level="restrito", legal_basis_id=legal_basis(w.pm).id)
    documents.save_version(w.oficio, f'<p>Laudo:</p><p><img src="/documentos/imagens/{secret.blob_sha256}" '
                                     f'alt="laudo"></p>', by=w.ana, unit=w.semad, base_version=1)
    db.session.commit()
    assert _image_xobjects(signing_pdf.preview_pdf(w.oficio, user=w.ana, unit=w.semad))
    assert not _image_xobjects(signing_pdf.preview_pdf(w.oficio, user=w.bia, unit=w.gab))
