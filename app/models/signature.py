"""Signing: the frozen content of a signed document, its signatures, and the Blocos de Assinatura.

A document's first signature creates a DocumentFreeze (the exact inputs of its PDF: HTML, letterhead,
numbers, verification URL) with the content hash and CRC; every signature renders a new PDF from
those frozen inputs, sealed and stored as a `rendition`. An edit before the lock voids the freeze
and its signatures (cancelled_at), never deleting them."""
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

SIGNATURE_KINDS = {"assinatura": "Assinatura eletrônica", "autenticacao": "Autenticação de documento digitalizado"}
BLOCK_STATES = {"open": "Aberto", "available": "Disponibilizado", "returned": "Retornado", "concluded": "Concluído"}


class DocumentFreeze(db.Model):
    """The inputs of a signed document's PDF, fixed at its first signature."""

    __tablename__ = "document_freeze"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    crc: Mapped[str] = mapped_column(String(8))
    html: Mapped[str | None] = mapped_column(Text)                    # internal documents
    title: Mapped[str] = mapped_column(String(300))
    sei: Mapped[str] = mapped_column(String(20))
    process_number: Mapped[str] = mapped_column(String(30))
    org_name: Mapped[str] = mapped_column(String(200))
    unit_line: Mapped[str] = mapped_column(String(300))
    brasao_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    image_shas: Mapped[list] = mapped_column(JSON, default=list)      # images of the text the signer could see
    verify_url: Mapped[str] = mapped_column(String(300))
    renderer: Mapped[int] = mapped_column(default=1)                  # signing_pdf.RENDERER_FONTS key at freezing
    created_at = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at = mapped_column(UTCDateTime)                         # voided by an edit before the lock


class Signature(db.Model):
    """One signature (or authentication) of a document, with the rendition it produced."""

    __tablename__ = "signature"
    __table_args__ = (
        # One valid signature per user and document (the second lock behind the service's guard).
        Index("uq_signature_document_user_valid", "document_id", "user_id", unique=True,
              sqlite_where=text("cancelled_at IS NULL"), postgresql_where=text("cancelled_at IS NULL")),
        Index("ix_signature_rendition_sha256", "rendition_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    freeze_id: Mapped[int] = mapped_column(ForeignKey("document_freeze.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(200))            # as printed (the user's name when signing)
    role: Mapped[str] = mapped_column(String(120))            # Cargo/Função chosen
    legal_text: Mapped[str] = mapped_column(Text)             # the órgão's legal basis when signing
    kind: Mapped[str] = mapped_column(String(12), default="assinatura")
    method: Mapped[str] = mapped_column(String(12), default="senha")
    conference: Mapped[str | None] = mapped_column(String(30))  # authentication: tipo de conferência
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at = mapped_column(UTCDateTime, default=utcnow)
    rendition_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    seal_level: Mapped[str | None] = mapped_column(String(20))
    cancelled_at = mapped_column(UTCDateTime)

    user = relationship("User")
    unit = relationship("Unit")
    freeze = relationship("DocumentFreeze")

    @property
    def kind_label(self):
        return SIGNATURE_KINDS.get(self.kind, self.kind)


class SignatureBlock(db.Model):
    """A Bloco de Assinatura: documents of a unit offered to other units to sign."""

    __tablename__ = "signature_block"
    __table_args__ = (UniqueConstraint("organization_id", "number", name="uq_signature_block_number"),
                      Index("ix_signature_block_unit_state", "unit_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    number: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12), default="open")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    concluded_at = mapped_column(UTCDateTime)

    unit = relationship("Unit")
    created_by = relationship("User")
    entries = relationship("SignatureBlockDocument", order_by="SignatureBlockDocument.id",
                           cascade="all, delete-orphan", back_populates="block")
    targets = relationship("SignatureBlockUnit", order_by="SignatureBlockUnit.id", cascade="all, delete-orphan",
                           back_populates="block")

    @property
    def state_label(self):
        return BLOCK_STATES.get(self.state, self.state)


class SignatureBlockDocument(db.Model):
    __tablename__ = "signature_block_document"
    __table_args__ = (UniqueConstraint("block_id", "document_id", name="uq_signature_block_document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("signature_block.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    added_at = mapped_column(UTCDateTime, default=utcnow)

    block = relationship("SignatureBlock", back_populates="entries")
    document = relationship("Document")


class SignatureBlockUnit(db.Model):
    """A unit the block was made available to; it sees the block until it returns it (returned_at)."""

    __tablename__ = "signature_block_unit"
    __table_args__ = (UniqueConstraint("block_id", "unit_id", name="uq_signature_block_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("signature_block.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    made_available_at = mapped_column(UTCDateTime, default=utcnow)
    returned_at = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    block = relationship("SignatureBlock", back_populates="targets")
    unit = relationship("Unit")
