"""The órgão's PAdES seal: certificates (self-signed at creation, or an uploaded ICP-Brasil A1),
sealing a PDF with pyHanko (B-B; B-T when a timestamp authority is configured) and validating one.

Private keys live in PKCS#12 files under SEAL_DIR (mode 0600); their passwords are stored
encrypted with a key derived from SECRET_KEY, so a database dump alone cannot use them.

`cryptography` is imported inside the functions that use it: a web worker that never seals nor
manages certificates stays ~8 MB smaller (gunicorn workers must stay under 100 MB RSS, bench/load.py)."""
import base64
import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import SealCertificate
from app.services import audit
from app.services.errors import DomainError, InvalidInput

MAX_PKCS12_BYTES = 64 * 1024
SIGNATURE_FIELD = "SeloExpediente"


def _fernet():
    from cryptography.fernet import Fernet
    key = hashlib.sha256(b"expediente-seal:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _seal_dir():
    path = Path(current_app.config["SEAL_DIR"])
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _write_private(path, data):
    """Write with mode 0600 from the start (never world-readable, not even for an instant)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def active_certificate(org):
    return db.session.scalar(select(SealCertificate).where(
        SealCertificate.organization_id == org.id, SealCertificate.active.is_(True)))


def _store(org, kind, key, cert, chain, by):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    password = secrets.token_urlsafe(24).encode()
    data = pkcs12.serialize_key_and_certificates(
        f"selo-{org.sigla}".encode(), key, cert, chain or None, serialization.BestAvailableEncryption(password))
    file_name = f"{org.id}-{secrets.token_hex(8)}.p12"
    _write_private(_seal_dir() / file_name, data)
    db.session.execute(update(SealCertificate).where(SealCertificate.organization_id == org.id)
                       .values(active=False))
    record = SealCertificate(
        organization_id=org.id, kind=kind, subject=cert.subject.rfc4514_string()[:400],
        issuer=cert.issuer.rfc4514_string()[:400], serial=format(cert.serial_number, "x")[:80],
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(), file_name=file_name,
        password_enc=_fernet().encrypt(password).decode(), active=True)
    db.session.add(record)
    audit.record(org, "seal_certificate_installed", by=by, cert_kind=kind, subject=record.subject)
    db.session.flush()
    return record


def generate_self_signed(org, *, by=None, years=10):
    """A P-256 self-signed sealing certificate naming the órgão (fast to make, accepted by PDF readers)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, org.uf),
        x509.NameAttribute(NameOID.LOCALITY_NAME, org.city),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org.name[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Selo eletrônico {org.sigla} — Expediente"[:64]),
    ])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return _store(org, "self_signed", key, cert, [], by)


def import_pkcs12(org, data, password, *, by):
    """Install an ICP-Brasil A1 certificate (PKCS#12 + password) as the órgão's seal."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    if not data:
        raise InvalidInput("Envie o arquivo do certificado (.pfx ou .p12).", "file")
    if len(data) > MAX_PKCS12_BYTES:
        raise InvalidInput("Arquivo grande demais para um certificado A1.", "file")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, (password or "").encode() or None)
    except ValueError:
        raise InvalidInput("Não foi possível abrir o certificado: arquivo inválido ou senha incorreta.",
                           "password") from None
    if key is None or cert is None:
        raise InvalidInput("O arquivo não contém a chave privada e o certificado.", "file")
    now = datetime.now(timezone.utc)
    if not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
        raise InvalidInput("O certificado está fora do prazo de validade.", "file")
    return _store(org, "a1", key, cert, chain, by)


def _is_tsa_url(url):
    if len(url) > 300 or any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number from 0 to 65535)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def set_tsa_url(org, url, *, by):
    """The Autoridade de Carimbo do Tempo (empty: seal without a timestamp); a full http(s) address."""
    url = (url or "").strip() or None
    if url and not _is_tsa_url(url):
        raise InvalidInput("Informe o endereço completo do carimbo do tempo, com http:// ou https:// e o nome do "
                           "servidor, sem espaços (ex.: https://carimbo.exemplo.gov.br/tsa).", "tsa_url")
    if org.tsa_url != url:
        org.tsa_url = url
        audit.record(org, "org_updated", by=by, fields="tsa_url")
    db.session.flush()


def ensure_seal_certificate(org):
    """Seeder: every órgão has a sealing certificate from its creation."""
    if active_certificate(org) is None:
        generate_self_signed(org)


class SealUnavailable(DomainError):
    pass


def _signer(record):
    path = Path(current_app.config["SEAL_DIR"]) / record.file_name
    if not path.is_file():
        raise SealUnavailable("O arquivo do certificado do órgão não foi encontrado. Avise o administrador.")
    return _load_signer(str(path), record.password_enc, current_app.config["SECRET_KEY"])


@lru_cache(maxsize=32)
def _load_signer(path, password_enc, secret_key):
    """The opened PKCS#12 (kept per process: opening it costs more than a seal; a new certificate is a new file)."""
    from cryptography.fernet import InvalidToken
    from pyhanko.sign import signers
    try:
        password = _fernet().decrypt(password_enc.encode())
    except InvalidToken:
        raise SealUnavailable("O certificado do órgão não pode ser aberto (a SECRET_KEY mudou?). "
                              "Avise o administrador.") from None
    return signers.SimpleSigner.load_pkcs12(path, passphrase=password)


def _reserve(signer):
    """Room for the CMS (B-B), so pyHanko needs no dry-run signature to size it: twice the certificates, plus slack."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    return 4096 + 2 * sum(len(c.dump()) for c in certificates)


def seal_pdf(org, pdf_bytes, *, reason="Documento assinado eletronicamente"):
    """Return (sealed bytes, level): PAdES B-T when the órgão has a timestamp authority and it
    answers, otherwise B-B. The input bytes are never modified (an incremental update is appended)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    record = active_certificate(org)
    if record is None:
        raise SealUnavailable("O órgão não tem certificado de selo. Avise o administrador.")
    meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=f"{org.city}/{org.uf}")
    signer = _signer(record)
    if org.tsa_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
            out = signers.sign_pdf(writer, meta, signer=signer, timestamper=HTTPTimeStamper(org.tsa_url, timeout=10))
            return out.getvalue(), "PAdES B-T"
        except Exception as error:  # the TSA is a third party: an outage must not stop signing
            current_app.logger.warning("carimbo do tempo indisponível (%s): selando em B-B", error)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    return signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=_reserve(signer)).getvalue(), "PAdES B-B"


@dataclass
class SealStatus:
    sealed: bool          # there is at least one signature
    intact: bool          # the signed bytes are unchanged
    trusted: bool         # signed by a certificate of ours (or a trusted chain)
    covers_whole_file: bool
    signer: str = ""
    message: str = ""


def check_seal(pdf_bytes, trusted_pems=()):
    """Validate the last embedded signature of a PDF; never raises on bad input."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return SealStatus(False, False, False, False, message="O arquivo não é um PDF válido.")
    if not signatures:
        return SealStatus(False, False, False, False, message="O PDF não tem assinatura digital.")
    roots = [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(p.encode()).public_bytes(
        serialization.Encoding.DER)) for p in trusted_pems]
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots, allow_fetching=False))
    except Exception:
        return SealStatus(True, False, False, False, message="A assinatura digital do PDF está corrompida.")
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    subject = signature.signer_cert.subject.human_friendly if signature.signer_cert else ""
    return SealStatus(True, bool(status.intact and status.valid), bool(status.trusted), whole, subject)
