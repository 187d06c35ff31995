"""Pesquisar: full text over what the user may read, one service with two backends.

SQLite: FTS5 (`document_fts`, bm25). PostgreSQL: `document_text.tsv` (GIN, ts_rank_cd). Both index
the terms of app/services/search_terms.py, so a query means the same on both. The access filter
(access.searchable_documents_clause) and the form's filters are part of the SQL, so counts and
pages are right. Ranking is capped: only the RANK_LIMIT newest matches are ranked (a common
word stays fast); beyond that the page says "mais de N" and asks for a narrower search."""
import html
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup
from sqlalchemy import column, func, literal_column, or_, select, table, text

from app.extensions import db
from app.models import Contact, Process, ProcessInterested
from app.models.document import Document, DocumentInterested
from app.models.search import DocumentText
from app.services import access, search_terms
from app.services.documents import find_by_sei
from app.services.errors import InvalidInput
from app.services.numbering import looks_like_process_number

BRASILIA = ZoneInfo("America/Sao_Paulo")
PAGE_SIZE = 10
SNIPPET_WORDS = 28
SNIPPET_SCAN_CHARS = 300_000
SPACES = re.compile(r"\s+")
fts = table("document_fts", column("rowid"))


@dataclass
class Filters:
    process_type_id: int | None = None
    document_type_id: int | None = None
    unit_id: int | None = None
    date_from: object = None
    date_to: object = None
    interested: str = ""
    access_level: str = ""

    @property
    def any(self):
        return any((self.process_type_id, self.document_type_id, self.unit_id, self.date_from, self.date_to,
                    self.interested, self.access_level))


@dataclass
class Hit:
    document: Document
    score: float
    snippet: Markup


@dataclass
class Results:
    hits: list = field(default_factory=list)
    total: int = 0
    capped: bool = False
    page: int = 1
    size: int = PAGE_SIZE

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.size))


def rank_limit():
    return int(current_app.config.get("SEARCH_RANK_LIMIT", 1000))


# --- the quick box: a process number or a número SEI jumps to it -------------------------------

def find_number(user, unit, q):
    """("process", Process) / ("document", Document) for a number the user may open; InvalidInput for an
    unknown one; None when `q` is not a number."""
    q = (q or "").strip()
    if looks_like_process_number(q):
        digits = "".join(ch for ch in q if ch.isdigit())  # check digits not required: a wrong one finds nothing
        process = db.session.scalar(select(Process).where(Process.number_digits == digits))
        if not process or not access.can_view_process(user, unit, process):
            raise InvalidInput(f"Nenhum processo com o número {q} foi encontrado.", "q")
        return "process", process
    digits = q.replace(".", "").replace(" ", "")
    if digits.isdigit() and 7 <= len(digits) <= 12:
        document = find_by_sei(user.organization_id, digits)
        if document is None or not access.can_list_document(user, unit, document):
            raise InvalidInput(f"Nenhum documento com o número SEI {q} foi encontrado.", "q")
        return "document", document
    return None


# --- the query ---------------------------------------------------------------------------------

def _day_start_utc(day):
    return datetime.combine(day, time.min, BRASILIA)


def check_filters(filters):
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("O período está invertido: a data inicial é depois da final.", "date_to")
    if len(filters.interested or "") > 200:
        raise InvalidInput("O interessado deve ter no máximo 200 caracteres.", "interested")


def _filter_clauses(filters):
    clauses = []
    if filters.process_type_id:
        clauses.append(Process.type_id == filters.process_type_id)
    if filters.document_type_id:
        clauses.append(Document.type_id == filters.document_type_id)
    if filters.unit_id:
        clauses.append(Document.unit_id == filters.unit_id)
    if filters.access_level:
        clauses.append(Process.access_level == filters.access_level)
    if filters.date_from:
        clauses.append(Document.created_at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        clauses.append(Document.created_at < _day_start_utc(filters.date_to + timedelta(days=1)))
    name = " ".join((filters.interested or "").split()).lower()
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = select(Contact.id).where(func.lower(Contact.name).like(pattern, escape="\\"))
        clauses.append(or_(
            select(ProcessInterested.id).where(ProcessInterested.process_id == Process.id,
                                               ProcessInterested.contact_id.in_(matches)).exists(),
            select(DocumentInterested.id).where(DocumentInterested.document_id == Document.id,
                                                DocumentInterested.contact_id.in_(matches)).exists()))
    return clauses


def _base(user, unit, filters):
    return (select(Document.id.label("id")).select_from(Document).join(Process, Process.id == Document.process_id)
            .where(access.searchable_documents_clause(user, unit), *_filter_clauses(filters)))


def _pg_tsquery(query):
    """to_tsquery('simple', '…') with the query as a literal, not a bound parameter: a prepared statement's
    generic plan cannot know how common the words are and picks a plan that reads every match (seconds at
    1 million documents). The terms are [a-z0-9] only; quotes are doubled anyway."""
    value = search_terms.pg_tsquery(query).replace("'", "''")
    return func.to_tsquery(literal_column("'simple'::regconfig"), literal_column(f"'{value}'"))


def _pg_many_matches(tsq):
    """Does PostgreSQL expect many matches? Then walking the newest documents backwards finds the capped
    set at once; otherwise (`document_id + 0` hides that path) the GIN index collects the few matches.
    Left to itself the planner picks the backward walk for medium words too and reads for seconds."""
    sql = select(literal_column("1")).select_from(DocumentText).where(literal_column("document_text.tsv").op("@@")(tsq))
    compiled = str(sql.compile(db.session.get_bind(), compile_kwargs={"literal_binds": True}))
    plan = db.session.execute(text("EXPLAIN (FORMAT JSON) " + compiled)).scalar()
    return plan[0]["Plan"]["Plan Rows"] >= 15 * rank_limit()


def _matching(user, unit, query, filters):
    """The capped selection (id, score) of visible documents matching `query`, newest first."""
    base = _base(user, unit, filters)
    if query is None:
        return base.add_columns(literal_column("0.0").label("score")).order_by(Document.id.desc()), {}
    if db.session.get_bind().dialect.name == "postgresql":
        tsv = literal_column("document_text.tsv")
        tsq = _pg_tsquery(query)
        # ids only: scoring here would make PostgreSQL read every match; the capped ids are ranked in search()
        newest = DocumentText.document_id if _pg_many_matches(tsq) else DocumentText.document_id + 0
        stmt = (base.add_columns(literal_column("0.0").label("score"))
                .join(DocumentText, DocumentText.document_id == Document.id)
                .where(tsv.op("@@")(tsq)).order_by(newest.desc()))
        return stmt, {"tsq": True}
    stmt = (base.add_columns(literal_column("-bm25(document_fts)").label("score"))
            .join(fts, fts.c.rowid == Document.id).where(text("document_fts MATCH :match"))
            .order_by(fts.c.rowid.desc()))
    return stmt, {"match": search_terms.fts5_match(query)}


def search(user, unit, q, filters, *, page=1, order="relevancia", size=PAGE_SIZE):
    """One page of results; InvalidInput with a Portuguese message for a query or filter that makes no sense."""
    check_filters(filters)
    q = (q or "").strip()
    if not q and not filters.any:
        raise InvalidInput("Digite o que deseja pesquisar ou escolha um filtro.", "q")
    query = search_terms.parse_query(q) if q else None
    matching, params = _matching(user, unit, query, filters)
    postgres = "tsq" in params
    cap = rank_limit()
    counted = matching.limit(cap + 1).subquery()
    params = {k: v for k, v in params.items() if k != "tsq"}
    total = db.session.execute(select(func.count()).select_from(counted), params).scalar_one()
    capped = matching.limit(cap).subquery()
    page = max(1, min(int(page or 1), max(1, math.ceil(min(total, cap) / size))))
    ranked = select(capped.c.id, capped.c.score)
    if query is not None and postgres:  # PostgreSQL: rank only the capped newest matches
        tsq = _pg_tsquery(query)
        score = func.ts_rank_cd(literal_column("document_text.tsv"), tsq).label("score")
        ranked = select(capped.c.id, score).join(DocumentText, DocumentText.document_id == capped.c.id)
        capped = ranked.subquery()
        ranked = select(capped.c.id, capped.c.score)
    ranked = ranked.order_by(capped.c.score.desc(), capped.c.id.desc()) if query and order != "data" \
        else ranked.order_by(capped.c.id.desc())
    rows = db.session.execute(ranked.limit(size).offset((page - 1) * size), params).all()
    by_id = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_([r.id for r in rows])))}
    texts = dict(db.session.execute(select(DocumentText.document_id, DocumentText.text)
                                    .where(DocumentText.document_id.in_(list(by_id)))).all())
    terms = query.all_terms if query else set()
    hits = [Hit(by_id[r.id], r.score, snippet(texts.get(r.id) or "", terms)) for r in rows if r.id in by_id]
    return Results(hits=hits, total=min(total, cap), capped=total > cap, page=page, size=size)


# --- snippets ----------------------------------------------------------------------------------

def snippet(body, terms, width=SNIPPET_WORDS):
    """About `width` words around the first match, the matched words in <mark>; HTML-escaped."""
    body = body[:SNIPPET_SCAN_CHARS]
    spans = [(m.start(), m.end(), search_terms.stem(m.group()) in terms) for m in search_terms.words(body)]
    if not spans:
        return Markup("")
    first = next((i for i, span in enumerate(spans) if span[2]), 0)
    start = max(0, first - width // 3)
    end = min(len(spans), start + width)
    out, cursor = [], spans[start][0]
    for begin, finish, hit in spans[start:end]:
        out.append(html.escape(SPACES.sub(" ", body[cursor:begin])))
        word = html.escape(body[begin:finish])
        out.append(f"<mark>{word}</mark>" if hit else word)
        cursor = finish
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(spans) else ""
    return Markup(prefix + "".join(out).strip() + suffix)
