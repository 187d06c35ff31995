"""Conferir autenticidade (public): código verificador + CRC, or a PDF checked by hash and by its PAdES seal.

No login. Each lookup is counted per IP; wrong answers count as failures: after a few, the page asks a
small arithmetic question (signed with itsdangerous: no third-party service); after many, or too many
lookups, it refuses for a while. Showing a valid document locks it (DESIGN.md §4)."""
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Document, LoginFailure, Rendition, SealCertificate
from app.models.base import utcnow
from app.models.signature import DocumentFreeze, Signature
from app.services import seal, signing
from app.services.errors import InvalidInput, RateLimited

CRC_RE = re.compile(r"^[0-9A-F]{8}$")
CHALLENGE_SALT = "conferir-desafio"
DEFAULTS = {"VERIFY_WINDOW_SECONDS": 15 * 60, "VERIFY_FAILURES_BEFORE_CHALLENGE": 5, "VERIFY_MAX_FAILURES": 50,
            "VERIFY_MAX_LOOKUPS": 300, "VERIFY_MAX_UPLOAD_MB": 30}
NOT_FOUND = "Nenhum documento assinado foi encontrado com este código verificador."
WRONG_CRC = "O código CRC informado não confere com o documento."


def _cfg(name):
    return int(current_app.config.get(name, DEFAULTS[name]))


# --- input -------------------------------------------------------------------------------------

def clean_code(text):
    digits = "".join(ch for ch in (text or "") if not ch.isspace() and ch not in ".-")
    if not digits:
        raise InvalidInput("Informe o código verificador.", "codigo")
    if not digits.isdecimal() or len(digits) > 15:
        raise InvalidInput("O código verificador tem só números (o número SEI do documento).", "codigo")
    return int(digits)


def clean_crc(text):
    crc = "".join((text or "").split()).upper()
    if not crc:
        raise InvalidInput("Informe o código CRC.", "crc")
    if not CRC_RE.match(crc):
        raise InvalidInput("O código CRC tem 8 caracteres: números de 0 a 9 e letras de A a F.", "crc")
    return crc


# --- rate limit and challenge -------------------------------------------------------------------

def _since():
    return utcnow() - timedelta(seconds=_cfg("VERIFY_WINDOW_SECONDS"))


def _count(key):
    return db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.key == key, LoginFailure.at >= _since()))


def check_rate(ip):
    """RateLimited when the IP made too many lookups or failed too often recently."""
    minutes = _cfg("VERIFY_WINDOW_SECONDS") // 60
    if _count(f"conferir:{ip}") >= _cfg("VERIFY_MAX_LOOKUPS") or \
            _count(f"conferir-falha:{ip}") >= _cfg("VERIFY_MAX_FAILURES"):
        raise RateLimited(f"Muitas consultas deste endereço. Aguarde {minutes} minutos e tente de novo.")


def needs_challenge(ip):
    return _count(f"conferir-falha:{ip}") >= _cfg("VERIFY_FAILURES_BEFORE_CHALLENGE")


def record(ip, *, failed):
    """Count one lookup (and a failure); old rows of this page are pruned."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.key.like("conferir%"), LoginFailure.at < _since()))
    db.session.add(LoginFailure(key=f"conferir:{ip}"))
    if failed:
        db.session.add(LoginFailure(key=f"conferir-falha:{ip}"))
    db.session.flush()


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CHALLENGE_SALT)


def new_challenge():
    """(question, token): a sum of two small numbers; the token carries the answer, signed."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return f"Quanto é {a} + {b}?", _serializer().dumps({"a": a + b, "n": secrets.token_hex(8)})


def check_challenge(token, answer):
    """Accept a right answer once (its nonce is then spent); InvalidInput otherwise."""
    wrong = InvalidInput("Resposta incorreta à pergunta de verificação. Responda à nova pergunta.", "resposta")
    try:
        data = _serializer().loads(token or "", max_age=600)
    except BadSignature:
        raise wrong from None
    spent = f"conferir-desafio:{data.get('n')}"
    if str(answer or "").strip() != str(data.get("a")) or _count(spent):
        raise wrong
    db.session.add(LoginFailure(key=spent))


def clear_failures(ip):
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == f"conferir-falha:{ip}"))


# --- answers -----------------------------------------------------------------------------------

@dataclass
class Current:
    """The document's signed PDF in force, for an answer about a superseded copy (None: not signed again)."""
    sha256: str
    signed_at: object
    signatures: int


@dataclass
class Answer:
    status: str                          # valid | cancelled | superseded | wrong_crc | not_found
    document: Document | None = None
    signatures: list = field(default_factory=list)
    show_content: bool = False           # not sigiloso: title, process and the PDF
    pdf_sha256: str | None = None
    superseded_at: object = None         # superseded: when an edit voided the codes' signatures
    current: Current | None = None

    @property
    def failed(self):
        return self.status in ("wrong_crc", "not_found")


def _show_content(document):
    return "sigiloso" not in (document.access_level, document.process.access_level)


def current_copy(document):
    """What is in force now: the current rendition, when it was signed and by how many (None: no signed PDF)."""
    from app.services.signing_pdf import current_rendition
    rendition = current_rendition(document.id)
    if rendition is None:
        return None
    signatures = signing.valid_signatures(document)
    at = next((s.signed_at for s in signatures if s.rendition_sha256 == rendition.blob_sha256), rendition.created_at)
    return Current(rendition.blob_sha256, at, len(signatures))


def _superseded(document, crc):
    """The answer for a CRC of the document's signatures voided by an edit (an old, superseded copy), or None."""
    freeze = db.session.scalar(select(DocumentFreeze).where(
        DocumentFreeze.document_id == document.id, DocumentFreeze.crc == crc,
        DocumentFreeze.cancelled_at.is_not(None)).order_by(DocumentFreeze.id.desc()).limit(1))
    if freeze is None:
        return None
    signatures = db.session.scalars(select(Signature).where(Signature.freeze_id == freeze.id)
                                    .order_by(Signature.signed_at, Signature.id)).all()
    return Answer("superseded", document, signatures, _show_content(document), superseded_at=freeze.cancelled_at,
                  current=current_copy(document))


def lookup(code, crc):
    """The answer for código verificador + CRC; a valid answer locks the document (the public saw it).
    The CRC of signatures an edit voided is answered as a superseded copy (nothing is locked)."""
    document = db.session.scalar(select(Document).where(Document.sei_number == code))
    if document is None or document.deleted_at is not None:
        return Answer("not_found")
    if document.crc != crc:
        superseded = _superseded(document, crc)
        if superseded is not None:
            return superseded
        # unknown, a minuta, or never signed: nothing to tell
        return Answer("not_found") if document.crc is None else Answer("wrong_crc")
    if document.is_cancelled:
        return Answer("cancelled", document)
    if document.locked_at is None:
        document.locked_at = utcnow()
        db.session.flush()
    return _answer("valid", document)


def _answer(status, document):
    show = _show_content(document)
    return Answer(status, document, signing.valid_signatures(document), show,
                  signing.signed_pdf(document) if show else None)


def signed_pdf_for(code, crc):
    """The stored signed PDF (SHA-256) for the codes, when the document is valid and not sigiloso."""
    answer = lookup(code, crc)
    return answer.pdf_sha256 if answer.status == "valid" else None


# --- a PDF file dropped on the page -----------------------------------------------------------

@dataclass
class FileAnswer:
    sha256: str
    signature: Signature | None          # the signature whose rendition these bytes are
    document: Document | None
    later_signatures: int = 0            # signatures after this copy (a newer copy exists)
    seal: object = None                  # seal.SealStatus
    trusted_by: str = ""
    show_content: bool = False
    superseded: Rendition | None = None  # this copy's rendition, when an edit superseded it
    current: Current | None = None       # then: the copy in force now (None: not signed again)

    @property
    def superseded_at(self):
        """When an edit superseded this copy (its signatures were cancelled then), or None."""
        if self.superseded is not None:
            return self.superseded.superseded_at
        return self.signature.cancelled_at if self.signature is not None else None


def read_upload(stream):
    """The bytes of an uploaded PDF, refusing empty, too large or non-PDF files (InvalidInput)."""
    limit = _cfg("VERIFY_MAX_UPLOAD_MB") * 1024 * 1024
    data = stream.read(limit + 1) if stream is not None else b""
    if not data:
        raise InvalidInput("Escolha um arquivo PDF.", "arquivo")
    if len(data) > limit:
        raise InvalidInput(f"O arquivo ultrapassa {_cfg('VERIFY_MAX_UPLOAD_MB')} MB: envie o PDF como foi emitido.",
                           "arquivo")
    if b"%PDF-" not in data[:1024]:
        raise InvalidInput("O arquivo enviado não é um PDF.", "arquivo")
    return data


def check_file(data):
    """Is it a rendition we issued (by SHA-256), and is its PAdES seal intact?"""
    sha = hashlib.sha256(data).hexdigest()
    signature = db.session.scalar(select(Signature).where(Signature.rendition_sha256 == sha).limit(1))
    document = signature and db.session.get(Document, signature.document_id)
    answer = FileAnswer(sha, signature, document)
    if signature is not None:
        answer.later_signatures = db.session.scalar(select(func.count()).select_from(Signature).where(
            Signature.freeze_id == signature.freeze_id, Signature.id > signature.id,
            Signature.cancelled_at.is_(None))) or 0
        answer.show_content = _show_content(document)
        answer.superseded = db.session.scalar(select(Rendition).where(
            Rendition.document_id == document.id, Rendition.blob_sha256 == sha,
            Rendition.superseded_at.is_not(None)).limit(1))
        if answer.superseded_at is not None:
            answer.current = current_copy(document)
    certificates = db.session.scalars(select(SealCertificate)).all()
    answer.seal = seal.check_seal(data, [c.certificate_pem for c in certificates])
    if answer.seal.trusted:
        answer.trusted_by = _seal_owner(io.BytesIO(data), certificates)
    return answer


def _seal_owner(stream, certificates):
    """The órgão whose certificate sealed the file (by the signer's certificate fingerprint)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from app.models import Organization
    try:
        signature = PdfFileReader(stream, strict=False).embedded_signatures[-1]
        fingerprint = hashlib.sha256(signature.signer_cert.dump()).hexdigest()
    except Exception:  # noqa: BLE001 - the seal was already validated; the name is a courtesy
        return ""
    match = next((c for c in certificates if c.fingerprint == fingerprint), None)
    org = db.session.get(Organization, match.organization_id) if match else None
    return org.name if org else ""
