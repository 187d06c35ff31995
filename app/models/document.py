"""Documents: tipos (with numbering rule and Modelo), Textos Padrão, documents, versions, stored bytes."""
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

NUMBERING_MODES = ("unit_year", "org_year", "unit", "org", "none", "manual")
NUMBERING_LABELS = {
    "unit_year": "Sequencial por unidade, reiniciado a cada ano",
    "org_year": "Sequencial no órgão, reiniciado a cada ano",
    "unit": "Sequencial por unidade, contínuo",
    "org": "Sequencial no órgão, contínuo",
    "none": "Sem número",
    "manual": "Informado pelo usuário",
}
APPLIES_TO = {"internal": "Somente interno", "external": "Somente externo", "both": "Interno e externo"}
SIGNATURE_LEVELS = {"simples": "Simples", "avancada": "Avançada (login e senha)", "qualificada": "Qualificada (ICP-Brasil)"}
EXTERNAL_FORMATS = {"nato_digital": "Nato-digital", "digitalizado": "Digitalizado"}
CONFERENCE_TYPES = {
    "copia_autenticada_admin": "Cópia autenticada administrativamente",
    "copia_autenticada_cartorio": "Cópia autenticada por cartório",
    "copia_simples": "Cópia simples",
    "original": "Documento original",
}
# draft = minuta (internal, unsigned); signed (issue 6); final = external, included; cancelled; deleted.
DOCUMENT_STATES = ("draft", "signed", "final", "cancelled", "deleted")
SEI_DIGITS = 7


class DocumentType(db.Model):
    __tablename__ = "document_type"
    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_document_type_org_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    applies_to: Mapped[str] = mapped_column(String(10), default="both")
    numbering: Mapped[str] = mapped_column(String(10), default="unit_year")
    title_template: Mapped[str] = mapped_column(String(200), default="{tipo} nº {numero}/{ano}/{siglas}")
    model_html: Mapped[str] = mapped_column(Text, default="")
    min_signature_level: Mapped[str] = mapped_column(String(12), default="avancada")
    suggested_level: Mapped[str] = mapped_column(String(10), default="publico")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def internal(self):
        return self.applies_to in ("internal", "both")

    @property
    def external(self):
        return self.applies_to in ("external", "both")


class StandardText(db.Model):
    """A Texto Padrão: a reusable snippet of a unit (unit_id null = offered to every unit of the órgão)."""

    __tablename__ = "standard_text"
    __table_args__ = (Index("ix_standard_text_org_unit", "organization_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(100))
    html: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    unit = relationship("Unit")


class Blob(db.Model):
    """Bytes stored once, named by their SHA-256 under STORAGE_DIR."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(db.BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    created_at = mapped_column(UTCDateTime, default=utcnow)


class DocumentSettings(db.Model):
    """Per-órgão document settings: letterhead (brasão) and accepted uploads."""

    __tablename__ = "document_settings"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    brasao_png_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    brasao_svg_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    accepted_types: Mapped[str] = mapped_column(String(200), default="pdf,png,jpeg,tiff,odt,ods,docx,xlsx,txt,csv")
    max_upload_mb: Mapped[int] = mapped_column(default=100)

    @property
    def accepted(self):
        return tuple(x for x in self.accepted_types.split(",") if x)


class Document(db.Model):
    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("number_scope", "number_value", name="uq_document_number"),
        Index("ix_document_process_id_id", "process_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    sei_number: Mapped[int] = mapped_column(db.BigInteger, unique=True)   # número SEI / código verificador
    kind: Mapped[str] = mapped_column(String(10))                         # internal | external
    type_id: Mapped[int] = mapped_column(ForeignKey("document_type.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(40))                # as shown: "12" or typed in
    number_value: Mapped[int | None] = mapped_column()
    number_scope: Mapped[str | None] = mapped_column(String(120))
    year: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(String(200))         # Descrição / Nome na Árvore
    access_level: Mapped[str] = mapped_column(String(10), default="publico")
    legal_basis_id: Mapped[int | None] = mapped_column(ForeignKey("legal_basis.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    state: Mapped[str] = mapped_column(String(10), default="draft")
    current_version: Mapped[int] = mapped_column(default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow)
    locked_at = mapped_column(UTCDateTime)
    cancelled_at = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    deleted_at = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(String(64))   # frozen at first signature (issue 6)
    crc: Mapped[str | None] = mapped_column(String(8))
    # external documents
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"), index=True)
    filename: Mapped[str | None] = mapped_column(String(255))
    document_date = mapped_column(Date)
    external_format: Mapped[str | None] = mapped_column(String(15))
    conference: Mapped[str | None] = mapped_column(String(30))
    # The submit token of the form that created it: a doubled submit finds the first document.
    creation_token: Mapped[str | None] = mapped_column(String(80), unique=True)

    process = relationship("Process")
    type = relationship("DocumentType")
    unit = relationship("Unit")
    author = relationship("User")
    legal_basis = relationship("LegalBasis")
    blob = relationship("Blob")
    interested = relationship("DocumentInterested", order_by="DocumentInterested.position",
                              cascade="all, delete-orphan")

    @property
    def sei(self):
        return f"{self.sei_number:0{SEI_DIGITS}d}"

    @property
    def is_internal(self):
        return self.kind == "internal"

    @property
    def is_draft(self):
        return self.state == "draft"

    @property
    def is_cancelled(self):
        return self.state == "cancelled"

    @property
    def tree_label(self):
        text = self.title if self.is_internal or not self.description else f"{self.type.name} {self.description}"
        return f"{text} ({self.sei})"


class DocumentInterested(db.Model):
    __tablename__ = "document_interested"
    __table_args__ = (UniqueConstraint("document_id", "contact_id", name="uq_document_interested"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    contact = relationship("Contact")


class DocumentVersion(db.Model):
    """One saved text of an internal document; number 1, 2, 3… per document."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    restored_from: Mapped[int | None] = mapped_column()
    params: Mapped[dict] = mapped_column(JSON, default=dict)

    author = relationship("User")
    unit = relationship("Unit")


class Rendition(db.Model):
    """A stored rendering of a document (the signed PDF, issue 6): immutable bytes in blob, never deleted.
    An edit before the lock supersedes every rendition of the document; the current one is the latest
    not superseded."""

    __tablename__ = "rendition"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    kind: Mapped[str] = mapped_column(String(20), default="signed_pdf")
    created_at = mapped_column(UTCDateTime, default=utcnow)
    superseded_at = mapped_column(UTCDateTime)
    superseded_in_version: Mapped[int | None] = mapped_column()   # the document version whose save did it
