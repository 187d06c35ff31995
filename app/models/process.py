"""Processes: types, hipóteses legais, interessados, the per-unit life (process_unit) and history."""
import unicodedata

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

ACCESS_LEVELS = ("publico", "restrito", "sigiloso")
ACCESS_LABELS = {"publico": "Público", "restrito": "Restrito", "sigiloso": "Sigiloso"}


class LegalBasis(db.Model):
    """Hipótese Legal: the legal ground for a Restrito or Sigiloso level."""

    __tablename__ = "legal_basis"
    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_legal_basis_org_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    basis: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self):
        return f"{self.name} ({self.basis})"


class ProcessType(db.Model):
    __tablename__ = "process_type"
    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_process_type_org_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    code: Mapped[str | None] = mapped_column(String(30))
    suggested_level: Mapped[str] = mapped_column(String(10), default="publico")
    allowed_levels: Mapped[str] = mapped_column(String(40), default="publico,restrito,sigiloso")
    suggested_legal_basis_id: Mapped[int | None] = mapped_column(ForeignKey("legal_basis.id"))
    active: Mapped[bool] = mapped_column(default=True)

    suggested_legal_basis = relationship("LegalBasis")

    @property
    def allowed(self):
        return tuple(x for x in self.allowed_levels.split(",") if x)


def contact_key(name):
    """A contact's name as searched and sorted: lower case, without accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())[:200]


class Contact(db.Model):
    """An interessado (person or company) of an órgão, reused across processes."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_org_name", "organization_id", "name"),
                      Index("ix_contact_org_name_key", "organization_id", "name_key", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="", server_default="")  # contact_key(name)
    document: Mapped[str | None] = mapped_column(String(14), index=True)  # CPF or CNPJ digits
    created_at = mapped_column(UTCDateTime, default=utcnow)

    @validates("name")
    def _keep_name_key(self, _, name):
        self.name_key = contact_key(name)
        return name


class Process(db.Model):
    __tablename__ = "process"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)          # formatted, e.g. 12345.000001/2026-10
    number_digits: Mapped[str] = mapped_column(String(20), unique=True)   # digits only, for lookups
    type_id: Mapped[int] = mapped_column(ForeignKey("process_type.id"), index=True)
    specification: Mapped[str] = mapped_column(String(100))
    access_level: Mapped[str] = mapped_column(String(10), default="publico")
    legal_basis_id: Mapped[int | None] = mapped_column(ForeignKey("legal_basis.id"))
    generating_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    # open | suspended (sobrestado) | annexed (anexado a outro)
    state: Mapped[str] = mapped_column(String(12), default="open")
    annexed_to_id: Mapped[int | None] = mapped_column(ForeignKey("process.id"), index=True)  # Anexar: the main one
    suspended_with_id: Mapped[int | None] = mapped_column(ForeignKey("process.id", ondelete="SET NULL"))  # Sobrestar
    # Bumped by every movement (send, conclude, reopen, sobrestar, anexar…): a form rendered before the
    # process moved carries an older value and is refused (stale form, double submit).
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The submit token of the "Iniciar Processo" form: a doubled submit finds the first process.
    creation_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    type = relationship("ProcessType")
    legal_basis = relationship("LegalBasis")
    generating_unit = relationship("Unit")
    author = relationship("User")
    annexed_to = relationship("Process", remote_side="Process.id", foreign_keys=[annexed_to_id])
    suspended_with = relationship("Process", remote_side="Process.id", foreign_keys=[suspended_with_id])
    interested = relationship("ProcessInterested", order_by="ProcessInterested.position",
                              cascade="all, delete-orphan")


class ProcessInterested(db.Model):
    __tablename__ = "process_interested"
    __table_args__ = (UniqueConstraint("process_id", "contact_id", name="uq_process_interested"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    contact = relationship("Contact", lazy="joined")


INBOX_WHERE = "closed_at IS NULL AND suspended_at IS NULL"


class ProcessUnit(db.Model):
    """The process's life in one unit (derived from history; rebuildable).

    Open while closed_at is null. seen_at null = unread (shown in red)."""

    __tablename__ = "process_unit"
    __table_args__ = (
        UniqueConstraint("process_id", "unit_id", name="uq_process_unit"),
        Index("ix_process_unit_inbox", "unit_id", "closed_at", "last_movement_at", "id"),
        # The inbox: open rows only (partial), newest movement first; PostgreSQL cannot take the order
        # from the index above because "closed_at IS NULL" is not an equality for its planner.
        # A sobrestado process stays open in its unit but leaves the inbox (suspended_at set).
        Index("ix_process_unit_open", "unit_id", "last_movement_at", "id",
              sqlite_where=text(INBOX_WHERE), postgresql_where=text(INBOX_WHERE)),
        # inbox counts, index-only, grouped in index order (process_id: the credential check of the few sigilosos)
        Index("ix_process_unit_open_origin", "unit_id", "origin", "sigiloso", "process_id",
              sqlite_where=text(INBOX_WHERE), postgresql_where=text(INBOX_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    origin: Mapped[str] = mapped_column(String(10), default="generated")  # generated | received
    opened_at = mapped_column(UTCDateTime, default=utcnow)
    seen_at = mapped_column(UTCDateTime)
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    note_priority: Mapped[bool] = mapped_column(default=False)
    deadline = mapped_column(Date)          # Controle de Prazo (unit-internal)
    return_due = mapped_column(Date)        # Retorno Programado owed by this unit
    closed_at = mapped_column(UTCDateTime)
    last_movement_at = mapped_column(UTCDateTime, default=utcnow)
    observations: Mapped[str | None] = mapped_column(Text)  # "Observações desta unidade"
    suspended_at = mapped_column(UTCDateTime)  # Sobrestado: open here, out of the inbox
    # Copy of process.access_level == "sigiloso" (kept by services.levels): the inbox hides these rows
    # from users without a credential without joining the process table.
    sigiloso: Mapped[bool] = mapped_column(default=False, server_default=false())

    process = relationship("Process")
    unit = relationship("Unit")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])
    # The markers this unit put on the process (loaded in one IN query for an inbox page).
    markers = relationship("ProcessMarker", viewonly=True, order_by="ProcessMarker.id",
                           primaryjoin="and_(ProcessUnit.process_id == foreign(ProcessMarker.process_id), "
                                       "ProcessUnit.unit_id == foreign(ProcessMarker.unit_id))")

    @property
    def is_open(self):
        return self.closed_at is None


class HistoryEntry(db.Model):
    """An andamento: append-only; the Portuguese text is rendered from kind + params."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_process_id_id", "process_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Unit-private entries (anotação, marcador, prazo, acompanhamento) are shown only to their unit.
    unit_only: Mapped[bool] = mapped_column(default=False)

    unit = relationship("Unit")
    user = relationship("User")


MARKER_COLORS = {"azul": "Azul", "verde": "Verde", "amarelo": "Amarelo", "laranja": "Laranja",
                 "vermelho": "Vermelho", "roxo": "Roxo", "cinza": "Cinza", "preto": "Preto"}


class Marker(db.Model):
    """Marcador: a unit-defined coloured tag."""

    __tablename__ = "marker"
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_marker_unit_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    color: Mapped[str] = mapped_column(String(10), default="azul")
    active: Mapped[bool] = mapped_column(default=True)


class ProcessMarker(db.Model):
    """A marker applied by a unit to a process, with a text."""

    __tablename__ = "process_marker"
    __table_args__ = (UniqueConstraint("process_id", "marker_id", name="uq_process_marker"),
                      Index("ix_process_marker_unit_process", "unit_id", "process_id"),
                      Index("ix_process_marker_marker_id", "marker_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    marker_id: Mapped[int] = mapped_column(ForeignKey("marker.id"))
    text: Mapped[str | None] = mapped_column(String(250))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at = mapped_column(UTCDateTime, default=utcnow)

    marker = relationship("Marker", lazy="joined")


class MarkerHistory(db.Model):
    """Every change of a process's markers in a unit: added, changed (text) or removed."""

    __tablename__ = "marker_history"
    __table_args__ = (Index("ix_marker_history_process_unit", "process_id", "unit_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    marker_id: Mapped[int] = mapped_column(ForeignKey("marker.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(10))  # added | changed | removed
    text: Mapped[str | None] = mapped_column(String(250))

    marker = relationship("Marker")
    user = relationship("User")


class WatchGroup(db.Model):
    """A unit's group of Acompanhamento Especial."""

    __tablename__ = "watch_group"
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_watch_group_unit_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))


class Watch(db.Model):
    """Acompanhamento Especial: the unit keeps following the process, wherever it goes."""

    __tablename__ = "watch"
    __table_args__ = (UniqueConstraint("process_id", "unit_id", name="uq_watch_process_unit"),
                      Index("ix_watch_unit_id_id", "unit_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("watch_group.id", ondelete="SET NULL"), index=True)
    observation: Mapped[str | None] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at = mapped_column(UTCDateTime, default=utcnow)

    process = relationship("Process")
    group = relationship("WatchGroup")
    user = relationship("User")
