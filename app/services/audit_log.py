"""Reading an órgão's audit log with filters: who acted, the kind of action, a period of days in
America/Sao_Paulo and words of the description. Only that órgão's entries are ever read."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import AuditEntry, User
from app.services.audit import AUDIT_TEXTS, describe
from app.services.errors import InvalidInput

BRASILIA = ZoneInfo("America/Sao_Paulo")
PAGE_SIZE = 50
# Words are matched against the rendered description (accents and case ignored), so entries are read
# in batches and at most SCAN_LIMIT per request; "Mais antigos" continues where the reading stopped.
SCAN_BATCH = 500
SCAN_LIMIT = 5000
MAX_WORDS = 8
SYSTEM = "sistema"  # what the page shows for entries without a user
LABELS = {"role_updated": "Cargo/Função ativado ou desativado"}


@dataclass
class AuditFilters:
    user: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    def any(self):
        return bool(self.user or self.kind or self.date_from or self.date_to or self.text)


@dataclass
class AuditPage:
    entries: list
    older: int | None = None  # pass as `antes` to see the next (older) page; None: nothing older
    partial: bool = False  # the word search stopped at SCAN_LIMIT entries before filling the page


def fold(text):
    """Lower case without accents, for comparing what a person typed with what the page shows."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def kind_label(kind):
    """A kind's name for the filter list: its description without the parameters."""
    if kind in LABELS:
        return LABELS[kind]
    text = re.sub(r":\s*\{.*$", "", AUDIT_TEXTS.get(kind, kind))
    text = re.sub(r"\s*[(\"“]?\{[^}]*\}[)\"”]?", "", text)
    return " ".join(text.split())


def kind_choices():
    return sorted(((kind, kind_label(kind)) for kind in AUDIT_TEXTS), key=lambda pair: fold(pair[1]))


def _day_start_utc(day):
    return datetime.combine(day, time.min, BRASILIA)


def _check(filters):
    if filters.kind and filters.kind not in AUDIT_TEXTS:
        raise InvalidInput("Tipo de ação desconhecido.", "kind")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("O período está invertido: a data inicial (De) é depois da final (Até).")


def _query(org, filters):
    query = select(AuditEntry).where(AuditEntry.organization_id == org.id)
    who = fold(filters.user.strip())
    if who == SYSTEM:
        query = query.where(AuditEntry.user_id.is_(None))
    elif filters.user.strip():
        term = filters.user.strip().lower()
        query = query.where(AuditEntry.user_id.in_(select(User.id).where(
            User.organization_id == org.id,
            or_(func.lower(User.login).contains(term, autoescape=True),
                func.lower(User.name).contains(term, autoescape=True)))))
    if filters.kind:
        query = query.where(AuditEntry.kind == filters.kind)
    if filters.date_from:
        query = query.where(AuditEntry.at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < _day_start_utc(filters.date_to + timedelta(days=1)))
    return query.options(joinedload(AuditEntry.user)).order_by(AuditEntry.id.desc())


def audit_page(org, filters, *, before=None, size=None):
    """One page of the órgão's entries, newest first, older than entry id `before` when given."""
    _check(filters)
    size = size or PAGE_SIZE
    query = _query(org, filters)
    if before:
        query = query.where(AuditEntry.id < before)
    words = fold(filters.text).split()[:MAX_WORDS]
    if not words:
        rows = db.session.scalars(query.limit(size + 1)).all()
        return AuditPage(rows[:size], rows[size - 1].id if len(rows) > size else None)
    return _word_page(query, words, size)


def _word_page(query, words, size):
    found, cursor, examined = [], None, 0
    while examined < SCAN_LIMIT:
        wanted = min(SCAN_BATCH, SCAN_LIMIT - examined)
        batch = db.session.scalars((query.where(AuditEntry.id < cursor) if cursor else query).limit(wanted)).all()
        for entry in batch:
            examined, cursor = examined + 1, entry.id
            text = fold(describe(entry))
            if all(word in text for word in words):
                found.append(entry)
                if len(found) > size:
                    return AuditPage(found[:size], found[size - 1].id)
        if len(batch) < wanted:
            return AuditPage(found)
    return AuditPage(found, cursor, partial=True)
