"""An SVG brasão: checked at upload (hostile or broken → Portuguese message, nothing stored), drawn in every PDF."""
import io
import socket

import pypdf
import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, Blob, DocumentSettings
from app.services import doc_types, pdf, signing, signing_pdf, svg_drawing
from app.services.errors import InvalidInput
from app.services.storage import get_storage
from tests.conftest import csrf_from
from tests.documents_support import internal, png_bytes
from tests.signing_support import docworld, sign, signworld  # noqa: F401

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
BRASAO = (f'<svg {SVG_NS} width="120" height="140" viewBox="0 0 120 140"><defs><linearGradient id="g">'
          '<stop offset="0" stop-color="#1f4e79"/><stop offset="1" stop-color="#3a7bbf"/></linearGradient>'
          '<path id="star" d="M0 -6 L2 -2 L6 -2 L3 1 L4 6 L0 3 L-4 6 L-3 1 L-6 -2 L-2 -2 Z" fill="gold"/></defs>'
          '<path d="M10 10 H110 V80 Q110 125 60 135 Q10 125 10 80 Z" fill="url(#g)" stroke="#000"/>'
          '<use xlink:href="#star" x="40" y="40"/><use href="#star" x="80" y="40"/></svg>').encode()


def _svg(body, size='width="100" height="100"'):
    return f'<svg {SVG_NS} {size}>{body}</svg>'.encode()


def _bomb():
    """Ten levels of ten <use> each: 10¹⁰ shapes once expanded."""
    defs = '<rect id="l0" width="1" height="1"/>'
    for level in range(1, 11):
        defs += f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * 10 + '</g>'
    return _svg(f'<defs>{defs}</defs><use href="#l10"/>')


HOSTILE = {
    "script": _svg('<script>alert(1)</script><rect width="10" height="10"/>'),
    "event handler": _svg('<rect width="10" height="10" onload="alert(1)"/>'),
    "external image": _svg('<image href="http://example.invalid/x.png" width="10" height="10"/>'),
    "local file": _svg('<image xlink:href="../../instance/secret.png" width="10" height="10"/>'),
    "external use": _svg('<use href="http://example.invalid/a.svg#x"/><rect width="9" height="9"/>'),
    "style url": _svg('<rect width="9" height="9" style="fill:url(http://example.invalid/p.svg#p)"/>'),
    "css import": _svg('<style>@import url(http://example.invalid/a.css);</style><rect width="9" height="9"/>'),
    "entities": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">'
                b'<text>&a;</text></svg>',
    "foreignObject": _svg('<foreignObject><iframe src="http://example.invalid"/></foreignObject>'),
    "use bomb": _bomb(),
    "use cycle": _svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'),
    "deep nesting": _svg("<g>" * 150 + '<rect width="9" height="9"/>' + "</g>" * 150),
    "broken xml": b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9"',
    "nothing drawn": _svg(""),
    "too elongated": _svg('<rect width="1000" height="10"/>', 'width="1000" height="10"'),
}


def _form_content(page):
    """The content of the brasão form XObject on a PDF page, or None."""
    forms = page["/Resources"].get("/XObject") or {}
    for name, ref in forms.items():
        obj = ref.get_object()
        if obj["/Subtype"] == "/Form" and "brasao" in name:
            return obj.get_data()
    return None


def test_an_svg_brasao_is_stored_and_replaces_the_png(docworld, db):
    w = docworld
    doc_types.set_brasao(w.pm, io.BytesIO(png_bytes((64, 64))), "brasao.png", by=w.admin)
    settings = doc_types.set_brasao(w.pm, io.BytesIO(BRASAO), "brasao.svg", by=w.admin)
    assert settings.brasao_svg_sha256 and settings.brasao_png_sha256 is None
    assert db.session.get(Blob, settings.brasao_svg_sha256).media_type == "image/svg+xml"
    letterhead = pdf.letterhead_for(internal(w.process, w.semad, w.ana))
    assert letterhead.brasao_svg == BRASAO and letterhead.brasao_png is None
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.kind == "brasao_uploaded")) == 2


def test_the_minuta_pdf_draws_the_svg_brasao_on_every_page(client, docworld, login, db):
    w = docworld
    login("admin")
    page = client.get("/admin/documentos").get_data(as_text=True)
    assert "envie também a versão PNG" not in page and "na tela e no PDF" in page
    response = client.post("/admin/documentos/brasao", data={"csrf_token": csrf_from(page),
                                                             "brasao": (io.BytesIO(BRASAO), "brasao.svg")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    doc = internal(w.process, w.semad, w.admin)
    from app.services import documents
    documents.save_version(doc, "<p>Parágrafo longo.</p>" * 120, by=w.admin, unit=w.semad, base_version=1)
    db.session.commit()
    data = client.get(f"/processos/{w.process.id}/documentos/{doc.id}/pdf").data
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    contents = [_form_content(p) for p in reader.pages]
    assert all(contents)
    assert b" re" in contents[0] or b" c" in contents[0] or b" l" in contents[0]   # vector paths
    assert b"/FormXob.brasao Do" in reader.pages[0].get_contents().get_data()
    # the web letterhead still shows it (the SVG itself)
    image = client.get("/timbre/brasao")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml" and image.data == BRASAO
    assert "/timbre/brasao" in client.get(f"/processos/{w.process.id}/documentos/{doc.id}").get_data(as_text=True)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_or_broken_svgs_are_refused_and_nothing_is_stored(docworld, db, case):
    w = docworld
    before = db.session.scalar(select(func.count()).select_from(Blob))
    with pytest.raises(InvalidInput) as error:
        doc_types.set_brasao(w.pm, io.BytesIO(HOSTILE[case]), "brasao.svg", by=w.admin)
    assert "SVG" in error.value.message and "brasao.svg" in error.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Blob)) == before
    settings = db.session.get(DocumentSettings, w.pm.id)
    assert settings is None or settings.brasao_svg_sha256 is None


def test_the_upload_page_refuses_a_hostile_svg_with_422(client, docworld, login, db):
    w = docworld
    login("admin")
    page = client.get("/admin/documentos").get_data(as_text=True)
    response = client.post("/admin/documentos/brasao", data={"csrf_token": csrf_from(page),
                                                             "brasao": (io.BytesIO(_bomb()), "brasao.svg")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "não pode ser usado" in html and "complexo demais" in html
    settings = db.session.get(DocumentSettings, w.pm.id)
    assert settings is None or settings.brasao_svg_sha256 is None


def test_rendering_never_touches_the_network(monkeypatch):
    """Even an SVG stored before these checks, naming remote files, renders offline (without them)."""
    def no_network(*args, **kwargs):
        raise AssertionError("network access while rendering")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    svg = _svg('<image href="http://example.invalid/x.png" width="50" height="50"/><rect width="40" height="40"/>'
               '<style>@import url(http://example.invalid/a.css);</style>')
    from types import SimpleNamespace
    doc = SimpleNamespace(title="T", sei="0000001", process=SimpleNamespace(number="1"))
    data = pdf.render_document_pdf(doc, "<p>x</p>", letterhead=pdf.Letterhead("Órgão", "Unidade", brasao_svg=svg))
    assert _form_content(pypdf.PdfReader(io.BytesIO(data)).pages[0])
    assert svg_drawing.drawing_for(HOSTILE["use bomb"]) is None   # a stored bomb is left out, not drawn


def test_signed_pdf_freezes_the_svg_brasao_and_stays_byte_identical(signworld, db):
    w = signworld
    settings = doc_types.set_brasao(w.pm, io.BytesIO(BRASAO), "brasao.svg", by=w.admin)
    sign(w.oficio, w.ana, w.semad)
    freeze = signing_pdf.active_freeze(w.oficio)
    assert freeze.brasao_sha256 == settings.brasao_svg_sha256
    sha = signing.signed_pdf(w.oficio)
    stored = get_storage().read(sha)
    assert _form_content(pypdf.PdfReader(io.BytesIO(stored)).pages[0])
    doc_types.set_brasao(w.pm, io.BytesIO(png_bytes((64, 64))), "outro.png", by=w.admin)
    db.session.commit()
    assert signing.signed_pdf(w.oficio) == sha and get_storage().read(sha) == stored
    sign(w.oficio, w.admin, w.semad)          # a co-signature keeps the frozen (SVG) letterhead
    cosigned = pypdf.PdfReader(io.BytesIO(get_storage().read(signing.signed_pdf(w.oficio)))).pages[0]
    assert _form_content(cosigned) and "/Image" not in str(cosigned["/Resources"].get("/XObject", {}))
