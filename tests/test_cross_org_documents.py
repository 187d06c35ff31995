"""A unit of another órgão answering inside a process routed to it (issue 4 cross-órgão routing).

The Prefeitura (PM) sends a process from SEMAD to the Câmara's PRESI (CM). PRESI includes documents
with the Câmara's types, models, numbering, letterhead, seal, legal text and cargos; the document
stays in the Prefeitura's process (its access policy, Hipóteses Legais, search). A third órgão sees
nothing; a Câmara unit where the process is not open cannot include."""
import io
import re

import pypdf
import pytest
from sqlalchemy import select

from app.models import Document, DocumentSettings, Process
from app.services import access, blocks, doc_types, documents, orgs, routing, seal, signing, signing_pdf, verification
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.pdf import letterhead_for
from app.services.storage import get_storage
from tests.conftest import PASSWORD, post_form
from tests.documents_support import doc_type, legal_basis, pdf_bytes, png_bytes
from tests.process_factory import make_process
from tests.signing_support import IP, sign

PM_LEGAL = "com fundamento no Decreto Municipal nº 100, de 2026"
CM_LEGAL = "com fundamento na Resolução da Câmara nº 7, de 2026"


@pytest.fixture
def xw(world, make, db):
    """`world` with cross-órgão routing on in PM and CM, distinct legal texts and brasões, a CM cargo of
    PRESI, a PM process of SEMAD sent to PRESI (open there only), a CM unit SECRE (user caetano), a
    SEMAD-only PM user (dora) and a third órgão OX (unit OXU, user otto)."""
    w = world
    w.pm.allow_cross_org_routing = w.cm.allow_cross_org_routing = True
    w.pm.signature_legal_text, w.cm.signature_legal_text = PM_LEGAL, CM_LEGAL
    w.secre = make.unit(w.cm, "SECRE", name="Secretaria da Câmara")
    w.caetano = make.user(w.cm, [w.secre], "caetano", name="Caetano Dias")
    w.dora = make.user(w.pm, [w.semad], "dora", name="Dora Reis")
    w.ox = make.org("OX", name="Prefeitura de Outra Cidade")
    w.ox.allow_cross_org_routing = True                                    # even a willing third órgão sees nothing
    w.oxu = make.unit(w.ox, "OXU", name="Unidade de Outra Cidade")
    w.otto = make.user(w.ox, [w.oxu], "otto", name="Otto Alves")
    w.cm_role = orgs.create_signature_role(w.cm, title="Vereador Presidente", unit=w.presi)
    doc_types.set_brasao(w.pm, io.BytesIO(png_bytes((40, 40))), "pm.png", by=w.admin)
    doc_types.set_brasao(w.cm, io.BytesIO(png_bytes((48, 48))), "cm.png", by=w.cadmin)
    w.process = make_process(w.semad, w.ana, specification="Pedido de informações à Câmara")
    routing.send_process(w.process, [w.presi], by=w.ana, from_unit=w.semad)
    db.session.commit()
    return w


def _cm_oficio(w, **kw):
    return documents.create_internal_document(w.process, doc_type(w.cm), by=w.caio, unit=w.presi, **kw)


def _send_back(w, db):
    routing.send_process(w.process, [w.semad], by=w.caio, from_unit=w.presi)
    db.session.commit()


def _brasao_sha(org):
    return doc_types.settings_for(org).brasao_png_sha256


# --- service ---------------------------------------------------------------------------------

def test_cm_unit_includes_with_its_own_type_model_and_numbering(xw, db):
    w = xw
    pm_process = make_process(w.semad, w.ana, specification="Outro processo da Prefeitura")
    pm_oficio = documents.create_internal_document(pm_process, doc_type(w.pm), by=w.ana, unit=w.semad)
    doc = _cm_oficio(w, recipient="Prefeito Municipal")
    year = documents.today_br().year
    assert doc.organization_id == w.pm.id and documents.issuing_org(doc) == w.cm     # held by PM, issued by CM
    assert doc.type.organization_id == w.cm.id and doc.unit_id == w.presi.id
    assert doc.number == "1" and doc.number_scope == f"doctype:{doc_type(w.cm).id}:unit:{w.presi.id}:{year}"
    assert doc.title == f"Ofício nº 1/{year}/PRESI" and pm_oficio.number == "1"    # separate counters
    html = documents.current_html(doc)
    assert "Câmara Municipal de Teste" in html and "Prefeitura Municipal de Teste" not in html
    assert "Presidência" in html and w.process.number in html
    assert _cm_oficio(w).number == "2"
    own = make_process(w.presi, w.caio, specification="Processo da Câmara")
    assert documents.create_internal_document(own, doc_type(w.cm), by=w.caio, unit=w.presi).number == "3"
    with pytest.raises(InvalidInput, match="Tipo de Documento"):
        documents.create_internal_document(w.process, doc_type(w.pm), by=w.caio, unit=w.presi)
    with pytest.raises(InvalidInput, match="Tipo de Documento"):
        documents.create_internal_document(pm_process, doc_type(w.cm), by=w.ana, unit=w.semad)


def test_cm_texto_padrao_and_documento_modelo(xw, db):
    w = xw
    text = doc_types.save_standard_text(w.cm, by=w.cadmin, unit=None, name="Resposta da Câmara",
                                        html="<p>Em resposta, a {orgao} informa.</p>")
    assert text in doc_types.standard_texts_for(w.presi)
    doc = _cm_oficio(w, source="standard_text", standard_text=text)
    assert "a Câmara Municipal de Teste informa" in documents.current_html(doc)
    assert documents.find_by_sei(w.cm.id, doc.sei) == doc                 # issued by CM: CM finds it
    assert documents.find_by_sei(w.pm.id, doc.sei) == doc                 # held by PM
    assert documents.find_by_sei(w.ox.id, doc.sei) is None
    copy = _cm_oficio(w, source="document", model_document=doc)
    assert "a Câmara Municipal de Teste informa" in documents.current_html(copy)


def test_hipotese_legal_comes_from_the_process_organization(xw, db):
    w = xw
    with pytest.raises(InvalidInput, match="Hipótese Legal"):
        _cm_oficio(w, access_level="restrito", legal_basis_id=legal_basis(w.cm).id)
    db.session.rollback()
    basis = legal_basis(w.pm)
    doc = _cm_oficio(w, access_level="restrito", legal_basis_id=basis.id)
    process = db.session.get(Process, w.process.id)
    assert doc.legal_basis_id == basis.id
    assert process.access_level == "restrito" and process.legal_basis_id == basis.id  # never a CM basis
    assert access.can_view_document(w.caio, w.presi, doc) and not access.can_list_document(w.dora, w.semad, doc)


def test_cm_unit_includes_external_documents_with_its_types(xw, db):
    from app.services import external_documents as ext

    w = xw

    def item(org):
        return ext.UploadItem(stream=io.BytesIO(pdf_bytes()), filename="resposta.pdf",
                              type_id=doc_type(org, "Anexo").id, document_date=documents.today_br())
    created = ext.create_external_documents(w.process, [item(w.cm)], by=w.caio, unit=w.presi, accepted=("pdf",),
                                            max_bytes=1024 * 1024)
    assert created[0].organization_id == w.pm.id and created[0].type.organization_id == w.cm.id
    with pytest.raises(InvalidInput, match="Tipo de Documento externo"):
        ext.create_external_documents(w.process, [item(w.pm)], by=w.caio, unit=w.presi, accepted=("pdf",),
                                      max_bytes=1024 * 1024)


def test_signing_uses_the_camara_cargos_legal_text_letterhead_and_seal(xw, db):
    w = xw
    doc = _cm_oficio(w)
    pm_role = next(r for r in orgs.signature_roles_for(w.semad))
    with pytest.raises(InvalidInput, match="Cargo/Função"):
        signing.sign_document(doc, by=w.caio, unit=w.presi, role_id=pm_role.id, password="x", ip=IP)
    signature = signing.sign_document(doc, by=w.caio, unit=w.presi, role_id=w.cm_role.id,
                                      password=PASSWORD, ip=IP)
    db.session.commit()
    assert signature.role == "Vereador Presidente" and signature.legal_text == CM_LEGAL
    freeze = signing_pdf.active_freeze(doc)
    assert freeze.org_name == "Câmara Municipal de Teste" and freeze.brasao_sha256 == _brasao_sha(w.cm)
    assert letterhead_for(doc).brasao_png == get_storage().read(_brasao_sha(w.cm))
    data = get_storage().read(signing.signed_pdf(doc))
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split())
    assert "Câmara Municipal de Teste" in text and "Vereador Presidente" in text and CM_LEGAL in text
    assert PM_LEGAL not in text and "Prefeitura Municipal de Teste" not in text
    assert seal.check_seal(data, [seal.active_certificate(w.cm).certificate_pem]).trusted
    assert not seal.check_seal(data, [seal.active_certificate(w.pm).certificate_pem]).trusted
    answer = verification.lookup(doc.sei_number, doc.crc)
    assert answer.status == "valid" and answer.signatures[0].legal_text == CM_LEGAL
    assert verification.check_file(data).trusted_by == "Câmara Municipal de Teste"


def test_pm_sees_the_signed_answer_after_it_is_sent_back_but_never_the_minuta(xw, db):
    w = xw
    answer, minuta = _cm_oficio(w), _cm_oficio(w, description="rascunho")
    sign(answer, w.caio, w.presi)
    _send_back(w, db)
    answer, minuta = db.session.get(Document, answer.id), db.session.get(Document, minuta.id)
    assert answer.locked_at is not None                                      # locked when the process left PRESI
    assert access.can_view_document(w.dora, w.semad, answer) and access.can_view_document(w.bia, w.gab, answer)
    assert answer in documents.tree_documents(w.process, w.semad)
    assert minuta not in documents.tree_documents(w.process, w.semad)
    assert not access.can_list_document(w.dora, w.semad, minuta)
    with pytest.raises(NotFound):
        access.require_document(w.dora, w.semad, w.process, minuta)
    with pytest.raises(Forbidden):
        access.require_can_edit(w.dora, w.semad, answer)
    with pytest.raises(Forbidden):
        access.require_can_sign(w.dora, w.semad, answer)
    assert access.can_view_document(w.caio, w.presi, answer)                  # where it has been: still readable
    searchable = set(db.session.scalars(select(Document.id).join(Process, Process.id == Document.process_id)
                                        .where(access.searchable_documents_clause(w.dora, w.semad))))
    assert answer.id in searchable and minuta.id not in searchable


def test_a_third_organization_sees_nothing(xw, db):
    w = xw
    doc = _cm_oficio(w)
    sign(doc, w.caio, w.presi)
    db.session.commit()
    assert not access.can_view_process(w.otto, w.oxu, w.process)
    assert not access.can_view_document(w.otto, w.oxu, doc)
    for check in (lambda: access.require_document(w.otto, w.oxu, w.process, doc),
                  lambda: access.require_can_sign(w.otto, w.oxu, doc),
                  lambda: access.require_document_org(w.otto, doc),
                  lambda: access.require_can_include(w.otto, w.oxu, w.process)):
        with pytest.raises(NotFound):
            check()
    searchable = db.session.scalars(select(Document.id).join(Process, Process.id == Document.process_id)
                                    .where(access.searchable_documents_clause(w.otto, w.oxu))).all()
    assert doc.id not in searchable


def test_a_cm_unit_where_the_process_is_not_open_cannot_include(xw, db):
    w = xw
    with pytest.raises(NotFound):                                             # SECRE: never had it
        documents.create_internal_document(w.process, doc_type(w.cm), by=w.caetano, unit=w.secre)
    db.session.rollback()
    _send_back(w, db)
    with pytest.raises(access.NotOpenHere):                                   # PRESI: had it, now closed there
        _cm_oficio(w)
    with pytest.raises(Forbidden):
        access.require_can_include(w.caio, w.presi, w.process)


def test_a_cm_document_in_a_pm_process_does_not_go_into_a_cm_block(xw, db):
    w = xw
    doc = _cm_oficio(w)
    block = blocks.create_block(w.presi, by=w.caio, description="Respostas")
    with pytest.raises(InvalidInput, match="processo de outro órgão"):
        blocks.add_document(block, blocks.find_document(w.cm.id, doc.sei), by=w.caio, unit=w.presi)


# --- views -----------------------------------------------------------------------------------

def _base(w):
    return f"/processos/{w.process.id}/documentos"


def _logout(client):
    post_form(client, "/logout", page_url="/")


def _options(html, select_id):
    """The option values of one <select>."""
    body = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', body)}


def test_views_cm_clerk_includes_and_signs_pm_clerk_reads_it(client, xw, login, db):
    w = xw
    login("caio")
    page = client.get(_base(w) + "/novo").get_data(as_text=True)
    cm_types = {t.id for t in doc_types.types_for(w.cm, kind="internal")}
    assert _options(page, "type_id") - {0} == cm_types and doc_type(w.pm).id not in cm_types
    bases = _options(page, "legal_basis_id")
    assert legal_basis(w.pm).id in bases and legal_basis(w.cm).id not in bases
    assert "Processo de Prefeitura Municipal de Teste: o documento sai com os Tipos de Documento" in page
    response = post_form(client, _base(w) + "/novo", {"type_id": doc_type(w.cm).id, "source": "model",
                                                      "access_level": "publico", "legal_basis_id": 0,
                                                      "token": "tok-cm-oficio-0123456789"})
    assert response.status_code == 303
    doc = db.session.scalar(select(Document).where(Document.creation_token == "tok-cm-oficio-0123456789"))
    assert doc.type.organization_id == w.cm.id and doc.unit_id == w.presi.id
    bad = post_form(client, _base(w) + "/novo", {"type_id": doc_type(w.pm).id, "source": "model",
                                                 "access_level": "publico", "legal_basis_id": 0, "token": "tok-2-0123456789abcdef"},
                    page_url=_base(w) + "/novo")
    assert bad.status_code == 422
    upload = _options(client.get(_base(w) + "/externo").get_data(as_text=True), "type_id")
    assert doc_type(w.cm, "Anexo").id in upload and doc_type(w.pm, "Anexo").id not in upload
    sign_url = f"{_base(w)}/{doc.id}/assinar"
    assert "Vereador Presidente" in client.get(sign_url).get_data(as_text=True)
    response = post_form(client, sign_url, {"role_id": w.cm_role.id, "password": PASSWORD,
                                            "version": doc.current_version})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    shown = client.get(f"{_base(w)}/{doc.id}").get_data(as_text=True)
    assert "Câmara Municipal de Teste" in shown and f"/documentos/{doc.id}/brasao" not in shown  # own órgão: /timbre
    _send_back(w, db)
    _logout(client)

    login("dora")
    shown = client.get(f"{_base(w)}/{doc.id}")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Câmara Municipal de Teste" in html and "PRESI (CM)" in html
    brasao = re.search(r'<img src="([^"]+)" alt="Brasão"', html).group(1).replace("&amp;", "&")
    assert f"/documentos/{doc.id}/brasao" in brasao
    assert client.get(brasao).data == get_storage().read(_brasao_sha(w.cm))
    db.session.expire_all()
    signed = client.get(f"{_base(w)}/{doc.id}/assinado.pdf")
    assert signed.status_code == 200 and signed.data == get_storage().read(signing.signed_pdf(doc))
    assert "Incluir em Bloco" not in html


def test_views_closed_or_never_there_or_third_org(client, xw, login, db):
    w = xw
    doc = _cm_oficio(w)
    sign(doc, w.caio, w.presi)
    db.session.commit()
    _send_back(w, db)
    login("caio")
    assert client.get(_base(w) + "/novo").status_code == 403                 # closed in PRESI
    assert client.get(_base(w) + "/externo").status_code == 403
    assert client.get(f"{_base(w)}/{doc.id}").status_code == 200             # has been there: still reads it
    _logout(client)
    for who in ("caetano", "otto"):
        login(who)
        for url in ("/novo", "/externo", f"/{doc.id}", f"/{doc.id}/brasao", f"/{doc.id}/assinado.pdf",
                    f"/{doc.id}/assinar", f"/{doc.id}/pdf"):
            assert client.get(_base(w) + url).status_code == 404, (who, url)
        _logout(client)


def test_conferir_names_the_camara(client, xw, db):
    w = xw
    doc = _cm_oficio(w)
    sign(doc, w.caio, w.presi)
    db.session.commit()
    html = client.get(f"/conferir?codigo={doc.sei}&crc={doc.crc}").get_data(as_text=True)
    assert "Documento autêntico" in html and "Caio Reis" in html and "Vereador Presidente" in html
    assert re.search(r"<dt>Órgão</dt><dd>Câmara Municipal de Teste</dd>", html)
    assert db.session.get(DocumentSettings, w.cm.id).brasao_png_sha256 == signing_pdf.active_freeze(doc).brasao_sha256


def _cm_answer_with_an_image(w):
    """A PNG included by PRESI and a CM ofício whose text shows it: (ofício, image document, src)."""
    from app.services import external_documents as ext
    item = ext.UploadItem(stream=io.BytesIO(png_bytes((40, 40))), filename="grafico.png",
                          type_id=doc_type(w.cm, "Anexo").id, document_date=documents.today_br())
    image = ext.create_external_documents(w.process, [item], by=w.caio, unit=w.presi, accepted=("png",),
                                          max_bytes=1024 * 1024)[0]
    doc = _cm_oficio(w)
    src = f"/documentos/imagens/{image.blob_sha256}"
    documents.save_version(doc, f'<p>Veja:</p><p><img src="{src}" alt="g"></p>', by=w.caio, unit=w.presi,
                           base_version=doc.current_version)
    return doc, image, src


def test_an_image_in_the_cm_answer_shows_on_screen_and_in_the_signed_pdf(client, xw, login, db):
    w = xw
    doc, image, src = _cm_answer_with_an_image(w)
    sign(doc, w.caio, w.presi)
    db.session.commit()
    assert signing_pdf.active_freeze(doc).image_shas == [image.blob_sha256]
    login("caio")
    assert client.get(src).status_code == 200
    _logout(client)
    login("otto")
    assert client.get(src).status_code == 404


def test_the_cm_unit_exports_a_pm_minuta_with_its_image(xw, db):
    """Gerar PDF do processo from the Câmara: images of the Prefeitura's process the unit may see are drawn."""
    from app.services import export
    w = xw
    doc, _image, _src = _cm_answer_with_an_image(w)
    db.session.commit()
    data = export.render_internal(doc, w.caio, w.presi)
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    widths = [x.get_object().get("/Width") for x in page["/Resources"].get("/XObject", {}).values()]
    assert 40 in widths                                                    # the image (the CM brasão is 48 wide)


def test_the_cm_unit_jumps_to_a_pm_document_of_the_routed_process_by_its_number(xw, db):
    from app.services import search
    from tests.documents_support import external, internal
    w = xw
    _send_back(w, db)
    pm_file, pm_minuta = external(w.process, w.semad, w.ana), internal(w.process, w.semad, w.ana)
    routing.send_process(w.process, [w.presi], by=w.ana, from_unit=w.semad)
    db.session.commit()
    assert search.find_number(w.caio, w.presi, pm_file.sei) == ("document", pm_file)
    with pytest.raises(InvalidInput):                                      # a minuta of SEMAD: only its unit
        search.find_number(w.caio, w.presi, pm_minuta.sei)
    with pytest.raises(InvalidInput):                                      # a third órgão: unknown
        search.find_number(w.otto, w.oxu, pm_file.sei)
