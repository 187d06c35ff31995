"""The órgão's PAdES seal: certificate at creation, sealing, validation, tamper detection, A1 upload."""
import io
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from reportlab.pdfgen import canvas

from app.models import SealCertificate
from app.services import seal
from tests.conftest import post_form


def sample_pdf(text="Ofício nº 1/2026"):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def a1_bytes(password=b"senha-a1", days=365):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PREFEITURA DE TESTE:12345678000195")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=days))
            .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(b"a1", key, cert, None, serialization.BestAvailableEncryption(password))


def test_new_org_has_a_self_signed_certificate_in_a_private_file(app, world):
    record = seal.active_certificate(world.pm)
    assert record.kind == "self_signed" and "PM" in record.subject
    path = Path(app.config["SEAL_DIR"]) / record.file_name
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_sealed_pdf_validates_and_breaks_when_a_byte_changes(world):
    original = sample_pdf()
    sealed, level = seal.seal_pdf(world.pm, original)
    assert level == "PAdES B-B" and sealed.startswith(original)
    trusted = [seal.active_certificate(world.pm).certificate_pem]
    status = seal.check_seal(sealed, trusted)
    assert status.sealed and status.intact and status.trusted and status.covers_whole_file
    tampered = bytearray(sealed)
    position = sealed.index(b"stream") + 20
    tampered[position] ^= 0x01
    assert not seal.check_seal(bytes(tampered), trusted).intact


def test_seal_of_another_org_is_not_trusted(world):
    sealed, _ = seal.seal_pdf(world.cm, sample_pdf())
    status = seal.check_seal(sealed, [seal.active_certificate(world.pm).certificate_pem])
    assert status.intact and not status.trusted


def test_check_seal_on_garbage_and_unsigned(world):
    assert seal.check_seal(b"not a pdf").message == "O arquivo não é um PDF válido."
    assert not seal.check_seal(sample_pdf()).sealed


def test_unreachable_tsa_falls_back_to_b_b(world, db):
    world.pm.tsa_url = "http://127.0.0.1:9/tsa"
    sealed, level = seal.seal_pdf(world.pm, sample_pdf())
    assert level == "PAdES B-B" and seal.check_seal(sealed).sealed


def test_admin_installs_a1_and_old_seals_remain_valid(client, world, login, db):
    before = seal.active_certificate(world.pm)
    old_sealed, _ = seal.seal_pdf(world.pm, sample_pdf())
    login("admin")
    response = post_form(client, "/admin/certificado/a1",
                         {"file": (io.BytesIO(a1_bytes()), "cert.pfx"), "password": "senha-a1"},
                         page_url="/admin/certificado", content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.expire_all()
    active = seal.active_certificate(world.pm)
    assert active.kind == "a1" and active.id != before.id
    assert seal.check_seal(old_sealed, [before.certificate_pem]).intact
    sealed, _ = seal.seal_pdf(world.pm, sample_pdf())
    assert seal.check_seal(sealed, [active.certificate_pem]).trusted


def test_a1_bad_input(client, world, login, db):
    login("admin")
    cases = [({"file": (io.BytesIO(a1_bytes()), "c.pfx"), "password": "errada"}, "senha incorreta"),
             ({"file": (io.BytesIO(b"lixo"), "c.pfx"), "password": "x"}, "arquivo inválido"),
             ({"file": (io.BytesIO(a1_bytes(days=-1)), "c.pfx"), "password": "senha-a1"}, "fora do prazo"),
             ({"password": "x"}, "Envie o arquivo.")]
    for data, message in cases:
        response = post_form(client, "/admin/certificado/a1", data, page_url="/admin/certificado",
                             content_type="multipart/form-data")
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    assert db.session.query(SealCertificate).filter_by(organization_id=world.pm.id).count() == 1


def test_tsa_url_and_new_self_signed(client, world, login, db):
    login("admin")
    for bad in ("ftp://x", "http://", "http://a b"):
        response = post_form(client, "/admin/certificado/carimbo", {"tsa_url": bad}, page_url="/admin/certificado")
        assert response.status_code == 422 and "sem espaços" in response.get_data(as_text=True)
    assert post_form(client, "/admin/certificado/carimbo", {"tsa_url": "https://tsa.example/tsr"},
                     page_url="/admin/certificado").status_code == 303
    assert post_form(client, "/admin/certificado/autoassinado", page_url="/admin/certificado").status_code == 303
    assert db.session.query(SealCertificate).filter_by(organization_id=world.pm.id).count() == 2


def test_the_audit_log_names_the_certificate_kind_in_portuguese(world, db):
    from app.models import AuditEntry
    from app.services import audit
    entries = db.session.query(AuditEntry).filter_by(organization_id=world.pm.id,
                                                     kind="seal_certificate_installed").all()
    assert entries and all("autoassinado" in audit.describe(e) and "self_signed" not in audit.describe(e)
                           for e in entries)
