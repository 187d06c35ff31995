"""The órgão's sealing certificates (PAdES). Old ones are kept so earlier seals stay explainable."""
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class SealCertificate(db.Model):
    __tablename__ = "seal_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))             # self_signed | a1
    subject: Mapped[str] = mapped_column(String(400))
    issuer: Mapped[str] = mapped_column(String(400))
    serial: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))      # SHA-256 of the DER certificate
    not_before = mapped_column(UTCDateTime)
    not_after = mapped_column(UTCDateTime)
    certificate_pem: Mapped[str] = mapped_column(Text)        # public part, for validation
    file_name: Mapped[str] = mapped_column(String(120))       # PKCS#12 under SEAL_DIR (mode 0600)
    password_enc: Mapped[str] = mapped_column(Text)           # Fernet, key derived from SECRET_KEY
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)
