"""Assinar: freezing, stored renditions, the PAdES seal, CRC, levels, wrong passwords, edits, locks."""
import io

import pypdf
import pytest
from sqlalchemy import func, select

from app.models import Document, DocumentSettings, HistoryEntry, LoginFailure, Rendition
from app.models.signature import DocumentFreeze, Signature
from app.services import access, documents, seal, signing, signing_pdf
from app.services.errors import Duplicate, Forbidden, InvalidInput, RateLimited
from app.services.storage import get_storage
from app.templating import BRASILIA
from tests.conftest import PASSWORD
from tests.documents_support import doc_type, external, internal, pdf_bytes, png_bytes
from tests.signing_support import IP, docworld, role_id, sign, signworld  # noqa: F401


def _text(data):
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _stored(document):
    return get_storage().read(signing.signed_pdf(document))


def test_first_signature_freezes_and_stores_a_sealed_pdf(signworld, db):
    w = signworld
    signature = sign(w.oficio, w.ana, w.semad)
    doc = db.session.get(Document, w.oficio.id)
    assert doc.state == "signed" and doc.locked_at is None
    freeze = signing_pdf.active_freeze(doc)
    assert doc.content_hash == freeze.content_hash and len(doc.crc) == 8 and doc.crc == doc.crc.upper()
    assert doc.crc == freeze.content_hash[:8].upper() and signature.content_hash == freeze.content_hash
    data = _stored(doc)
    rendition = db.session.scalar(select(Rendition).where(Rendition.document_id == doc.id))
    assert rendition.blob_sha256 == signature.rendition_sha256 and rendition.kind == "signed_pdf"
    import hashlib
    assert hashlib.sha256(data).hexdigest() == rendition.blob_sha256
    text = " ".join(_text(data).split())
    at = signature.signed_at.astimezone(BRASILIA)
    assert (f"Documento assinado eletronicamente por Ana Souza, {signature.role}, em {at:%d/%m/%Y}, às {at:%H:%M}, "
            "conforme horário oficial de Brasília") in text
    assert "conforme horário oficial de Brasília, com fundamento no art. 4º, II, da Lei nº 14.063" in text
    assert f"código verificador {doc.sei} e o código CRC {doc.crc}" in text
    assert "/conferir" in text and "solicitamos informações" in text
    status = seal.check_seal(data, [seal.active_certificate(w.pm).certificate_pem])
    assert status.sealed and status.intact and status.trusted and status.covers_whole_file
    entry = db.session.scalar(select(HistoryEntry).where(HistoryEntry.kind == "document_signed"))
    from app.services.history import describe
    assert describe(entry) == f"Assinado Documento {doc.sei} por Ana Souza"


def test_seal_validates_with_pyhanko_and_breaks_when_one_byte_changes(signworld, db):
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    data = _stored(w.oficio)
    pem = seal.active_certificate(w.pm).certificate_pem.encode()
    root = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(data)).embedded_signatures[0], context)
    assert status.intact and status.valid and status.trusted and status.coverage.name == "ENTIRE_FILE"
    tampered = bytearray(data)
    tampered[data.index(b"stream") + 30] ^= 0x01
    assert not seal.check_seal(bytes(tampered), [pem.decode()]).intact


def test_rendering_the_frozen_inputs_twice_gives_the_same_bytes(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    freeze, sigs = signing_pdf.active_freeze(w.oficio), signing.valid_signatures(w.oficio)
    assert signing_pdf.render_pdf(w.oficio, freeze, sigs) == signing_pdf.render_pdf(w.oficio, freeze, sigs)
    first = _stored(w.oficio)
    assert _stored(w.oficio) == first


def test_changing_the_model_and_letterhead_later_changes_nothing_signed(signworld, db, make):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    sha, crc, before = signing.signed_pdf(w.oficio), w.oficio.crc, _stored(w.oficio)
    oficio_type = doc_type(w.pm)
    oficio_type.model_html = "<p>Modelo novo</p>"
    w.pm.name = "Prefeitura Renomeada"
    w.semad.name = "Secretaria Renomeada"
    from app.services import doc_types
    doc_types.set_brasao(w.pm, io.BytesIO(png_bytes((64, 64))), "brasao.png", by=w.admin)
    db.session.commit()
    assert signing.signed_pdf(w.oficio) == sha and _stored(w.oficio) == before and w.oficio.crc == crc
    # a co-signature renders from the frozen inputs: old names, no brasão, same CRC
    sign(w.oficio, w.admin, w.semad)
    after = _stored(w.oficio)
    text = _text(after)
    assert after != before and "Prefeitura Municipal de Teste" in text and "Renomead" not in text
    assert w.oficio.crc == crc and get_storage().read(sha) == before    # the first PDF is still there, unchanged
    assert db.session.scalar(select(func.count()).select_from(Rendition)) == 2


def test_co_signature_adds_a_footer_and_a_new_rendition(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    sign(w.oficio, w.admin, w.semad)
    text = " ".join(_text(_stored(w.oficio)).split())
    assert text.count("Documento assinado eletronicamente por") == 2
    assert text.index("por Ana Souza") < text.index("por Admin PM")
    assert text.count("A autenticidade deste documento pode ser conferida") == 1


def test_signing_twice_wrong_role_cancelled_and_level_are_refused(signworld, db):
    w = signworld
    with pytest.raises(InvalidInput, match="Cargo/Função"):
        signing.sign_document(w.oficio, by=w.ana, unit=w.semad, role_id=-1, password=PASSWORD, ip=IP)
    sign(w.oficio, w.ana, w.semad)
    with pytest.raises(Duplicate, match="já assinou"):
        sign(w.oficio, w.ana, w.semad)
    w.oficio.type.min_signature_level = "qualificada"
    with pytest.raises(Forbidden, match="qualificada"):
        sign(w.oficio, w.admin, w.semad)
    w.oficio.type.min_signature_level = "simples"
    documents.cancel_document(w.oficio, by=w.ana, unit=w.semad, reason="Erro material")
    with pytest.raises(Forbidden, match="cancelado"):
        sign(w.oficio, w.admin, w.semad)


def test_a_role_of_another_unit_is_refused(signworld, db):
    from app.services import orgs
    w = signworld
    own = orgs.create_signature_role(w.pm, title="Chefe do Gabinete", unit=w.gab)
    with pytest.raises(InvalidInput, match="Cargo/Função"):
        signing.sign_document(w.oficio, by=w.ana, unit=w.semad, role_id=own.id, password=PASSWORD, ip=IP)


def test_wrong_password_counts_toward_the_login_limit(signworld, db, app):
    w = signworld
    limit = app.config["LOGIN_MAX_FAILURES_PER_LOGIN"]
    for _ in range(limit):
        with pytest.raises(signing.WrongPassword):
            sign(w.oficio, w.ana, w.semad, password="errada-123")
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LoginFailure).where(LoginFailure.key == "login:ana")) \
        == limit
    with pytest.raises(RateLimited):
        sign(w.oficio, w.ana, w.semad)
    assert db.session.get(Document, w.oficio.id).state == "draft"


def test_another_unit_cannot_sign_without_a_block(signworld, db):
    w = signworld
    from tests.documents_support import make_process  # noqa: F401
    with pytest.raises(Forbidden, match="Bloco de Assinatura"):
        sign(w.oficio, w.ana, w.gab)


def test_edit_before_lock_cancels_all_signatures(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    sign(w.oficio, w.admin, w.semad)
    old_sha, old_crc = signing.signed_pdf(w.oficio), w.oficio.crc
    documents.save_version(w.oficio, "<p>Texto corrigido.</p>", by=w.ana, unit=w.semad,
                           base_version=w.oficio.current_version)
    db.session.commit()
    doc = db.session.get(Document, w.oficio.id)
    assert doc.state == "draft" and doc.crc is None and signing.valid_signatures(doc) == []
    assert signing.signed_pdf(doc) is None and get_storage().exists(old_sha)
    assert all(s.cancelled_at for s in db.session.scalars(select(Signature)))
    assert db.session.scalar(select(DocumentFreeze)).cancelled_at is not None
    assert db.session.scalar(select(HistoryEntry.params).where(
        HistoryEntry.kind == "document_signatures_cancelled"))["names"] == "Ana Souza, Admin PM"
    sign(doc, w.ana, w.semad)
    assert doc.crc != old_crc and "Texto corrigido" in _text(_stored(doc))


def test_a_locked_document_cannot_be_edited_only_cancelled(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    assert documents.lock_if_opened_elsewhere(w.oficio, w.gab)
    with pytest.raises(Forbidden):
        access.require_can_edit(w.ana, w.semad, w.oficio)
    with pytest.raises(Forbidden, match="bloqueado"):
        documents.save_version(w.oficio, "<p>x</p>", by=w.ana, unit=w.semad, base_version=w.oficio.current_version)
    with pytest.raises(Forbidden):
        access.require_can_delete(w.ana, w.semad, w.oficio)
    access.require_can_cancel(w.ana, w.semad, w.oficio)
    sign(w.oficio, w.admin, w.semad)   # a co-signature does not change the content: still allowed


def test_lock_on_send_or_conclude(signworld, db):
    w = signworld
    sign(w.oficio, w.ana, w.semad)
    documents.lock_process_documents(w.process, w.semad)
    db.session.expire_all()
    assert db.session.get(Document, w.oficio.id).locked_at is not None


def test_external_digitalizado_authentication(signworld, db):
    w = signworld
    original = pdf_bytes("Certidão negativa")
    ext = external(w.process, w.semad, w.ana, data=original, external_format="digitalizado",
                   conference="copia_autenticada_cartorio")
    signature = signing.authenticate_document(ext, by=w.ana, unit=w.semad, role_id=role_id(w.semad),
                                              password=PASSWORD, ip=IP)
    assert ext.state == "final" and ext.content_hash == ext.blob_sha256 and ext.crc == ext.blob_sha256[:8].upper()
    assert get_storage().read(ext.blob_sha256) == original          # the original bytes are kept
    data = _stored(ext)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2 and "Certidão negativa" in reader.pages[0].extract_text()
    assert f"CRC {ext.crc}" in reader.pages[0].extract_text()                  # the stamp on the copy
    termo = " ".join(reader.pages[1].extract_text().split())
    assert "Lei nº 12.682, de 9 de julho de 2012" in termo and "Cópia autenticada por cartório" in termo
    assert "Documento digitalizado autenticado eletronicamente por Ana Souza" in termo
    assert ext.blob_sha256 in termo.replace(" ", "")
    assert signature.kind == "autenticacao" and seal.check_seal(data, [seal.active_certificate(w.pm).certificate_pem]).intact
    image = external(w.process, w.semad, w.ana, data=png_bytes(), filename="foto.png", external_format="digitalizado",
                     conference="copia_simples")
    signing.authenticate_document(image, by=w.ana, unit=w.semad, role_id=role_id(w.semad), password=PASSWORD, ip=IP)
    assert len(pypdf.PdfReader(io.BytesIO(_stored(image))).pages) == 2
    nato = external(w.process, w.semad, w.ana)
    with pytest.raises(Forbidden, match="digitalizados"):
        signing.authenticate_document(nato, by=w.ana, unit=w.semad, role_id=role_id(w.semad), password=PASSWORD,
                                      ip=IP)


def test_signed_pdf_serves_frozen_images_only(signworld, db):
    w = signworld
    image = external(w.process, w.semad, w.ana, data=png_bytes((40, 40)), filename="grafico.png")
    html = f'<p>Veja:</p><p><img src="/documentos/imagens/{image.blob_sha256}" alt="g"></p>'
    documents.save_version(w.oficio, html, by=w.ana, unit=w.semad, base_version=w.oficio.current_version)
    sign(w.oficio, w.ana, w.semad)
    assert signing_pdf.active_freeze(w.oficio).image_shas == [image.blob_sha256]


def test_brasao_is_frozen_by_hash(signworld, db):
    from app.services import doc_types
    w = signworld
    doc_types.set_brasao(w.pm, io.BytesIO(png_bytes((64, 64))), "brasao.png", by=w.admin)
    sign(w.oficio, w.ana, w.semad)
    settings = db.session.get(DocumentSettings, w.pm.id)
    assert signing_pdf.active_freeze(w.oficio).brasao_sha256 == settings.brasao_png_sha256
