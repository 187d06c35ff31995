"""Search and export: the text extracted from each document (indexed apart from the original
bytes, which are never modified) and the background exports of a process (PDF or ZIP).

The full-text index itself is dialect-specific and lives beside `document_text` (migration 0007):
SQLite: FTS5 table `document_fts` kept in sync from `document_text.terms` by triggers;
PostgreSQL: the column `document_text.tsv` (tsvector, GIN index), written with the terms plus one
bucket lexeme `_b<id // 16384>` (migration 0008) so the newest matches are found bucket by bucket.
Processes are searchable too (`process_text`, migration 0008, the same two backends)."""
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

INDEX_STATES = ("pending", "done", "failed", "skipped")
TEXT_SOURCES = ("html", "pdf", "docx", "odt", "xlsx", "ods", "txt", "csv", "ocr")
EXPORT_STATES = ("queued", "running", "done", "failed")


class DocumentText(db.Model):
    """The searchable text of one document and the state of its extraction (pending = "indexando…")."""

    __tablename__ = "document_text"
    __table_args__ = (Index("ix_document_text_status", "status"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    source: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    terms: Mapped[str | None] = mapped_column(Text)  # SQLite only (the FTS5 external content)
    error: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(default=0)
    updated_at = mapped_column(UTCDateTime, default=utcnow)


class ProcessText(db.Model):
    """The searchable metadata of a process, two rows per process: the head (number and type, which any
    unit of the órgão may find, even for a Restrito process) and the row with content (head +
    especificação + interessados with CPF/CNPJ, only for those who may read the process).
    id = 2 * process_id + with_content."""

    __tablename__ = "process_text"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    with_content: Mapped[bool] = mapped_column(default=False)
    terms: Mapped[str | None] = mapped_column(Text)  # SQLite only (the FTS5 external content)
    updated_at = mapped_column(UTCDateTime, default=utcnow)


class ExportJob(db.Model):
    """One "Gerar PDF do processo" / "Gerar ZIP" request, built in the background when large."""

    __tablename__ = "export_job"
    __table_args__ = (Index("ix_export_job_user_process", "user_id", "process_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(5))  # pdf | zip
    document_ids: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(String(500))
    filename: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(db.BigInteger)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    finished_at = mapped_column(UTCDateTime)

    process = relationship("Process")

    @property
    def percent(self):
        return 100 if self.status == "done" else int(100 * self.done / self.total) if self.total else 0

    @property
    def active(self):
        return self.status in ("queued", "running")
